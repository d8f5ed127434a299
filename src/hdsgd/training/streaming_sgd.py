"""One-pass (streaming) SGD with m outputs on a diagonal Gaussian mixture, blocked for BLAS.

Update of arXiv 2510.14074 in the normalisation of arXiv 2308.08977 (docs/exact_dynamics.md
§1): with a fresh sample ``(c, a)`` at every step, ``a = mu_c + K_c^{1/2} z``,

    X_{k+1} = X_k - (gamma / d) a grad f_c(X_k^T a)^T,      X in R^{d x m},  time t = k / d.

``n_seeds`` independent sample streams; every learning rate of ``gammas`` runs on each stream
(common random numbers: chains of different gamma share their samples, chains of one gamma
are independent). The streams are drawn in fixed blocks of ``BLOCK`` steps, so a run's start
does not depend on its length or its recorded times (prefix-stable).

Blocked step: within a block of b steps with samples A (b x d), the iterate before step j is
``X_0 - sum_{l<j} a_l u_l^T`` (u_l the step's scaled gradient), so its prediction is
``r_j = (A X_0)_j - sum_{l<j} (a_j . a_l) u_l``: two GEMMs per block (``A X_0`` and the Gram
``A A^T``), a cheap sequential pass over the b predictions, and one GEMM ``X -= A^T U``,
instead of b memory-bound rank-one updates. The arithmetic is the plain update's, reordered.
Blocks sit at fixed step positions and a recorded iterate inside a block is formed on the side
(``X_0 - A[:j]^T U[:j]``), so the trajectory is bitwise independent of its length and of the
recorded times.

At the recorded steps the *population* observables of every iterate are computed exactly from
the mean overlaps ``M_c = X^T mu_c`` and projected norms ``Q_u = X^T K_u X`` (one per distinct
class spectrum): the risk ``sum_c p_c E f_c(r)``, ``r ~ N(M_c, Q_c)``, by the loss's own
Gaussian expectations, ``||X||_F^2`` and linear probes ``v^T X``.
"""

from __future__ import annotations

import numpy as np

from hdsgd.data.anisotropic_mixture import DiagonalMixture

BLOCK = 64  # steps per random-number block and per GEMM block; fixed for determinism


def record_steps(t_record, d: int) -> np.ndarray:
    """SGD step ``round(t d)`` for each recorded time t (sorted, unique, >= 0)."""
    steps = np.rint(np.asarray(t_record, dtype=float) * d).astype(np.int64)
    if steps.ndim != 1 or np.any(np.diff(steps) <= 0) or steps[0] < 0:
        raise ValueError("record times must be increasing and at least 1/d apart")
    return steps


class _Recorder:
    """Population observables of the iterates X (S, d, G, m) at the recorded steps."""

    def __init__(self, mixture, loss, G, S, T, probes):
        self.mix, self.loss = mixture, loss
        self.groups = mixture.spectral_groups()
        self.probes = probes
        L, U, m, P = mixture.n_classes, self.groups.spectra.shape[0], loss.n_outputs, len(probes)
        self.out = {"risk": np.empty((G, S, T)), "m": np.empty((G, S, T, L, m)),
                    "Q": np.empty((G, S, T, U, m, m)), "norm2": np.empty((G, S, T)),
                    "probes": np.empty((G, S, T, P, m))}

    def __call__(self, k: int, X: np.ndarray) -> None:
        self.last = X
        o = self.out
        M = np.einsum("ld,sdgm->gslm", self.mix.means, X, optimize=True)
        Q = np.einsum("ud,sdgm,sdgn->gsumn", self.groups.spectra, X, X, optimize=True)
        o["m"][:, :, k], o["Q"][:, :, k] = M, Q
        L = self.loss.expectations(M, Q, self.groups.group)[3]
        o["risk"][:, :, k] = L @ np.asarray(self.mix.probs, dtype=float)
        o["norm2"][:, :, k] = np.einsum("sdgm,sdgm->gs", X, X)
        o["probes"][:, :, k] = np.einsum("pd,sdgm->gspm", self.probes, X)


def run_streaming_sgd(mixture: DiagonalMixture, loss, gammas, n_seeds: int, t_record, *,
                      rng: np.random.Generator, x0: np.ndarray | None = None,
                      probes: np.ndarray | None = None, progress=None,
                      block: int = BLOCK) -> dict[str, np.ndarray]:
    """Run ``n_seeds`` streams x ``len(gammas)`` learning rates; record at times ``t_record``.

    ``loss`` provides ``n_outputs`` (m), ``gradient(r, c)`` and ``expectations(M, Q, group)``
    (:mod:`hdsgd.models.multi_output_glm`). Returns ``t`` (T,) = recorded steps / d and, with
    leading axes (G, S): ``risk`` (T,), ``m`` (T, L, m), ``Q`` (T, U, m, m), ``norm2`` (T,),
    ``probes`` (T, P, m) for probe rows (P, d), and the last iterate ``x_final`` (d, m).
    """
    gam = np.atleast_1d(np.asarray(gammas, dtype=float))
    G, S, d, m = gam.size, int(n_seeds), mixture.d, int(loss.n_outputs)
    if S < 1:
        raise ValueError(f"n_seeds must be >= 1, got {n_seeds}")
    steps = record_steps(t_record, d)
    probes = np.zeros((0, d)) if probes is None else np.atleast_2d(probes)
    X = np.zeros((S, d, G, m))
    if x0 is not None:
        X[...] = np.reshape(x0, (d, 1, m))                 # x0: (d,) for m = 1, or (d, m)
    X = X.reshape(S, d, G * m)
    rec = _Recorder(mixture, loss, G, S, steps.size, probes)
    sqrt_eigs = np.sqrt(np.asarray(mixture.eigs, dtype=float))
    means = np.asarray(mixture.means, dtype=float)
    cdf = np.cumsum(mixture.probs)
    cdf /= cdf[-1]
    eta = np.repeat(gam / d, m)                            # (G m,): gamma / d per column
    # noise is drawn only on the modes where some class has variance (one contiguous range;
    # the zero-one model's clean set is a prefix), so zero-variance modes cost nothing
    noisy = np.flatnonzero(sqrt_eigs.max(axis=0) > 0)
    cols = slice(noisy[0], noisy[-1] + 1) if noisy.size else slice(0, 0)
    sqrt_eigs = np.ascontiguousarray(sqrt_eigs[:, cols])
    z = np.empty((S, block, cols.stop - cols.start))
    scale = np.empty_like(z)
    A = np.empty((S, block, d))
    sub = gemm_block(G * m, block)
    k_rec, step, n_steps = 0, 0, int(steps[-1])
    while k_rec < steps.size and steps[k_rec] == 0:
        rec(k_rec, X.reshape(S, d, G, m))
        k_rec += 1
    while step < n_steps:
        cls = np.minimum(np.searchsorted(cdf, rng.random((S, block)), side="right"), cdf.size - 1)
        rng.standard_normal(out=z)
        np.take(sqrt_eigs, cls, axis=0, out=scale)
        z *= scale
        np.take(means, cls, axis=0, out=A)
        A[..., cols] += z
        start = step
        for j0 in range(0, block, sub):          # fixed sub-blocks: records never regroup steps
            Ab = A[:, j0:j0 + sub]
            b = Ab.shape[1]
            U = _block_gradients(X, Ab, cls[:, j0:j0 + sub], loss, eta, G, m)
            At = np.swapaxes(Ab, 1, 2)
            while k_rec < steps.size and steps[k_rec] <= step + b:
                j = int(steps[k_rec] - step)         # record after j steps of this sub-block
                rec(k_rec, (X - At[:, :, :j] @ U[:, :j]).reshape(S, d, G, m))
                k_rec += 1
            X -= At @ U
            step += b
            if step >= n_steps:
                break
        if not np.all(np.isfinite(X)):
            raise FloatingPointError(f"SGD diverged by step {step} (gammas {gam})")
        if progress is not None:
            progress.update(min(step, n_steps) - start)
    x_final = np.moveaxis(rec.last.reshape(S, d, G, m), 2, 0)
    return {"t": steps / d, **rec.out, "x_final": x_final}


def gemm_block(columns: int, block: int) -> int:
    """Steps per GEMM update: the Gram matrix costs ``b d`` per step against ``2 d columns`` for
    the two products, so few columns (binary losses) take short blocks."""
    return min(block, 16 if columns < 8 else 64)


def _block_gradients(X, A, cls, loss, eta, G, m) -> np.ndarray:
    """Scaled gradients U (S, b, G m) of the steps with samples A (S, b, d) started from X
    (S, d, G m): step j sees ``X - sum_{l<j} a_l u_l^T``, i.e. prediction
    ``(A X)_j - sum_{l<j} (a_j . a_l) u_l``; the steps then total ``X - A^T U``."""
    S, b, _ = A.shape
    R = A @ X                                              # (S, b, G m) predictions at X
    gram = A @ np.swapaxes(A, 1, 2)                        # (S, b, b)
    U = np.empty((S, b, G * m))
    for j in range(b):
        grad = loss.gradient(R[:, j].reshape(S, G, m), cls[:, j, None])
        U[:, j] = grad.reshape(S, G * m) * eta
        if j + 1 < b:                                      # later predictions see this step
            R[:, j + 1:] -= gram[:, j + 1:, j, None] * U[:, j, None, :]
    return U


def run_simulation(run: dict, data, *, n_nodes: int, rng: np.random.Generator,
                   progress=None) -> dict[str, np.ndarray]:
    """Streaming SGD of one configured exact-dynamics run (``data``: the run's mixture arrays,
    probes and recorded times ``t``); binary runs lose the output axis of m, Q, probes, x."""
    from hdsgd.models.multi_output_glm import loss_for_run

    mix = DiagonalMixture(data["means"], data["eigs"], data["probs"], data["labels"])
    loss = loss_for_run(run, mix.labels, n_nodes=n_nodes)
    out = run_streaming_sgd(mix, loss, run["gammas"], run["seeds"], data["t"], rng=rng,
                            probes=data["probes"], progress=progress)
    if loss.n_outputs == 1:
        out = {k: v[..., 0] if k in ("m", "probes", "x_final") else v for k, v in out.items()}
        out["Q"] = out["Q"][..., 0, 0]
    return out
