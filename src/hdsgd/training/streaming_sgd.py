"""One-pass (streaming) SGD for scalar GLM losses on a diagonal Gaussian mixture.

Update of arXiv 2510.14074 in the normalisation of arXiv 2308.08977 (brief §2.2): with a fresh
sample ``(c, a)`` at every step,

    x_{k+1} = x_k - (gamma / d) a f'(<x_k, a>; y_c),      time t = k / d.

Runs are a leading batch axis B (seeds x learning rates, one ``gamma`` per run) and advance
together. At the recorded times the *population* observables of every iterate are computed
exactly: ``m_c = <x, mu_c>``, ``Q_c = x^T K_c x``, the risk ``sum_c p_c E f(r)`` with
``r ~ N(m_c, Q_c)`` (Gauss-Hermite), ``||x||^2`` and linear probes ``<v, x>``.
(``hdsgd.training.online_sgd`` is softmax-specific with isotropic noise and keeps whole
iterates, so it is not reused here.)
"""

from __future__ import annotations

import numpy as np

from hdsgd.data.anisotropic_mixture import DiagonalMixture
from hdsgd.models.binary_glm import check_loss, loss_derivative, population_risk

CHUNK_ELEMENTS = 2**21  # normals drawn per RNG call (steps x runs x d); fixed for determinism


def record_steps(t_record, d: int) -> np.ndarray:
    """SGD step ``round(t d)`` for each recorded time t (sorted, unique, >= 0)."""
    steps = np.rint(np.asarray(t_record, dtype=float) * d).astype(np.int64)
    if steps.ndim != 1 or np.any(np.diff(steps) <= 0) or steps[0] < 0:
        raise ValueError("record times must be increasing and at least 1/d apart")
    return steps


def run_streaming_sgd(mixture: DiagonalMixture, kind: str, gammas, t_record, *,
                      rng: np.random.Generator, x0: np.ndarray | None = None,
                      probes: np.ndarray | None = None, n_nodes: int = 61,
                      progress=None) -> dict[str, np.ndarray]:
    """Run ``len(gammas)`` independent streaming-SGD chains; record at times ``t_record``.

    Returns ``t`` (T,) = recorded steps / d, ``risk`` (B, T), ``m`` and ``Q`` (B, T, L),
    ``norm2`` (B, T), ``probes`` (B, T, P) for probe rows (P, d) and the last iterate
    ``x_final`` (B, d).
    """
    check_loss(kind)
    gam = np.atleast_1d(np.asarray(gammas, dtype=float))
    B, d, L = gam.size, mixture.d, mixture.n_classes
    steps = record_steps(t_record, d)
    probes = np.zeros((0, d)) if probes is None else np.atleast_2d(probes)
    x = np.zeros((B, d)) if x0 is None else np.broadcast_to(x0, (B, d)).astype(float)
    T = steps.size
    out = {"t": steps / d, "risk": np.empty((B, T)), "m": np.empty((B, T, L)),
           "Q": np.empty((B, T, L)), "norm2": np.empty((B, T)),
           "probes": np.empty((B, T, probes.shape[0]))}
    sqrt_eigs = np.sqrt(mixture.eigs)
    labels = np.asarray(mixture.labels, dtype=float)
    eta = gam / d
    chunk = max(1, CHUNK_ELEMENTS // (B * d))

    def record(k):
        m, Q = mixture.overlaps(x)
        out["m"][:, k], out["Q"][:, k] = m, Q
        out["risk"][:, k] = population_risk(kind, m, Q, labels, mixture.probs, n_nodes)
        out["norm2"][:, k] = np.sum(x * x, axis=1)
        out["probes"][:, k] = x @ probes.T

    k_rec, step, n_steps = 0, 0, int(steps[-1])
    while k_rec < T and steps[k_rec] == 0:
        record(k_rec)
        k_rec += 1
    while step < n_steps:
        n = min(chunk, n_steps - step)
        cls = rng.choice(L, size=(n, B), p=mixture.probs)
        a_all = rng.standard_normal((n, B, d))
        a_all *= sqrt_eigs[cls]
        a_all += mixture.means[cls]
        y_all = labels[cls]
        for j in range(n):
            a = a_all[j]
            r = np.einsum("bd,bd->b", x, a)
            x -= (eta * loss_derivative(kind, r, y_all[j]))[:, None] * a
            step += 1
            if step == steps[k_rec]:
                record(k_rec)
                k_rec += 1
        if not np.all(np.isfinite(x)):
            raise FloatingPointError(f"SGD diverged by step {step} (gammas {gam})")
        if progress is not None:
            progress.update(n)
    out["x_final"] = x
    return out
