"""Mini-batch heavy-ball SGD on the one-hidden-layer ReLU network of :mod:`hdsgd.models.ntk`.

Paper (arXiv 2206.11124) eq. (1): ``w_{t+1} = w_t + v_{t+1}``,
``v_{t+1} = -alpha grad L_{B_t}(w_t) + beta v_t`` with the sampled loss
``L_B(w) = 1/(2b) sum_{i in B} (f(x_i; w) - y_i)^2`` on a batch of ``b`` distinct points drawn
uniformly from the N training points at every step. The recorded quantity is the full training
loss ``L(w_t) = 1/(2N) sum_i (f(x_i; w_t) - y_i)^2``.

Learning rates are given in the paper's normalised units: the experiments rescale the problem so
that the top eigenvalue of the Hessian ``J^T J / N`` (= top eigenvalue of ``K / N``) is 1. For the
network this is the same as running SGD with the raw step ``alpha / lambda_max`` (``lr_scale``
below), which keeps the network and its linearisation on exactly the same problem.

The linearisation ``f_lin(x; w) = f(x; w_0) + J_0(x) (w - w_0)`` only depends on the data through
the kernel ``K = J_0 J_0^T``; it is trained by the quadratic-problem engine
:func:`hdsgd.training.minibatch_sgd.minibatch_sgd_grid` with ``gram = K * lr_scale``. Run ``s`` of
this module draws its batches exactly as that engine does for seed ``seeds[s]`` (stream
``"gf-batches"``, chunks of ``BATCH_CHUNK`` steps), so network and linearisation see the same
batch sequence (common random numbers) when the engine is called with ``chunk=BATCH_CHUNK``.
"""

from __future__ import annotations

import math

import numpy as np

from hdsgd.seeding import rng as named_rng
from hdsgd.training.inplace_gemm import gemm_into
from hdsgd.training.minibatch_sgd import sample_batches

#: steps of batch indices drawn at once (must equal the ``chunk`` given to minibatch_sgd_grid)
BATCH_CHUNK = 256


def log_record_steps(n_steps: int, n_records: int) -> np.ndarray:
    """Recorded steps 0 and about ``n_records`` log-spaced steps in 1..n_steps (every step when
    ``n_records > n_steps``)."""
    if n_records > n_steps:
        return np.arange(n_steps + 1)
    grid = np.round(np.logspace(0, np.log10(n_steps), n_records))
    return np.unique(np.r_[0, grid]).astype(int)


def _stack(params_list: list[dict], dtype) -> dict[str, np.ndarray]:
    """Stack runs; the first layer is stored transposed, ``WT`` (S, d, m), so that the forward
    and backward products are contiguous batched BLAS calls."""
    return {
        "WT": np.stack([np.ascontiguousarray(p["W"].T, dtype=dtype) for p in params_list]),
        "b": np.stack([np.asarray(p["b"], dtype=dtype) for p in params_list]),
        "a": np.stack([np.asarray(p["a"], dtype=dtype) for p in params_list]),
    }


def _outputs(P: dict, Xb: np.ndarray):
    """Batched forward: ``Xb`` (S, n, d) -> outputs (S, n), pre-activations (S, n, m)."""
    d, m = P["WT"].shape[1:]
    H = Xb @ P["WT"] / math.sqrt(d) + P["b"][:, None, :]
    return (np.maximum(H, 0.0) @ P["a"][:, :, None])[:, :, 0] / math.sqrt(m), H


def _full_losses(P: dict, X: np.ndarray, y: np.ndarray, block: int = 1024) -> np.ndarray:
    """``L = 1/(2N) |f(X) - y|^2`` for every stacked parameter set, shape (S,).

    All runs share the inputs, so the first layer of every run is one GEMM
    ``X (N, d) @ [W_1^T ... W_S^T] (d, S m)``."""
    S, d, m = P["WT"].shape
    W_all = np.moveaxis(P["WT"], 0, 1).reshape(d, S * m)
    total = np.zeros(S)
    for s in range(0, X.shape[0], block):
        H = (X[s : s + block] @ W_all).reshape(-1, S, m) / math.sqrt(d) + P["b"]
        f = np.einsum("nsm,sm->ns", np.maximum(H, 0.0), P["a"]) / math.sqrt(m)
        total += ((f - y[s : s + block, None]) ** 2).sum(axis=0, dtype=np.float64)
    return total / (2 * X.shape[0])


def train_network_sgd(
    params0: list[dict],
    X: np.ndarray,
    y: np.ndarray,
    *,
    alpha: float,
    beta: float,
    batch_size: int,
    n_steps: int,
    record_steps: np.ndarray,
    seeds,
    lr_scale: float = 1.0,
    diverge_at: float = 1e6,
    progress=None,
    dtype=np.float64,
) -> np.ndarray:
    """Train ``len(params0)`` independent networks (vectorised) by heavy-ball mini-batch SGD;
    run ``s`` samples its batches from seed ``seeds[s]`` (see module docstring).

    Returns the full training loss at ``record_steps`` (0 <= t <= n_steps), shape
    (runs, len(record_steps)). The raw step is ``alpha * lr_scale``. A run whose loss exceeds
    ``diverge_at`` times its initial loss (or is not finite) is frozen and records ``inf``.
    ``progress``: optional object with ``update(n)`` called once per step. ``dtype``: precision
    of the parameters and data (float32 halves the cost of the GEMMs; losses are summed in
    float64)."""
    N, d = X.shape
    if not 1 <= batch_size <= N:
        raise ValueError(f"batch_size={batch_size} must lie in [1, N={N}]")
    record_steps = np.asarray(record_steps, dtype=int)
    if record_steps.min() < 0 or record_steps.max() > n_steps:
        raise ValueError("record_steps must lie in [0, n_steps]")
    seeds = [int(s) for s in np.atleast_1d(seeds)]
    if len(seeds) != len(params0):
        raise ValueError(f"need one seed per network: {len(seeds)} seeds, {len(params0)} nets")
    gens = [named_rng(s, "gf-batches") for s in seeds]
    P = _stack(params0, dtype)
    X = np.asarray(X, dtype=dtype)
    y = np.asarray(y, dtype=dtype)
    V = {k: np.zeros_like(v) for k, v in P.items()}
    S, m = P["a"].shape
    lr = float(alpha * lr_scale)
    beta = float(beta)
    out = np.full((S, record_steps.size), np.inf)
    alive = np.ones(S, dtype=bool)
    L0 = _full_losses(P, X, y)
    rec = {t: i for i, t in enumerate(record_steps)}
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(n_steps + 1):
            if t in rec:
                L = _full_losses(P, X, y)
                alive &= np.isfinite(L) & (L <= diverge_at * L0)
                out[alive, rec[t]] = L[alive]
            if t == n_steps or not alive.any():
                break
            j = t % BATCH_CHUNK
            if j == 0:
                n_chunk = min(BATCH_CHUNK, n_steps - t)
                batches = np.stack([sample_batches(g, N, batch_size, n_chunk) for g in gens], 1)
            idx = batches[j]  # (S, b)
            Xb = X[idx]  # (S, b, d)
            f, H = _outputs(P, Xb)
            r = (f - y[idx]) / batch_size  # dL_B/df_i
            grads = {"a": (r[:, None, :] @ np.maximum(H, 0.0))[:, 0, :] / math.sqrt(m)}
            delta = r[:, :, None] * (H > 0) * (P["a"][:, None, :] / math.sqrt(m))  # dL_B/dh
            grads["b"] = delta.sum(axis=1)
            for k in ("a", "b"):
                V[k] *= beta
                V[k] -= lr * grads[k]
                V[k][~alive] = 0.0
                P[k] += V[k]
            for s in np.flatnonzero(alive):
                _first_layer_step(P["WT"][s], V["WT"][s], Xb[s], delta[s], lr / math.sqrt(d), beta)
            if progress is not None:
                progress.update(1)
    return out


def _first_layer_step(WT, VT, Xb, delta, step, beta):
    """Heavy-ball update of the first layer, ``V <- beta V - step Xb^T delta``, ``W <- W + V``,
    as one in-place GEMM on the (d, m) arrays; with ``beta = 0`` the GEMM updates ``W`` directly
    and ``V`` stays zero. The first layer is the only large parameter, so this saves four full
    passes over it per step."""
    if beta:
        gemm_into(VT, Xb.T, delta, alpha=-step, beta=beta)
        WT += VT
    else:
        gemm_into(WT, Xb.T, delta, alpha=-step, beta=1.0)
