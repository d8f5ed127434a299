"""Per-eigenmode deterministic ODE for one-pass SGD on a commuting-covariance Gaussian mixture.

Re-derived form of the ODE of arXiv 2510.14074 (docs/exact_dynamics.md §2; the paper's body was
out of reach), i.e. the per-eigenvalue form of the resolvent ODE of arXiv 2308.08977, specialised
to a mixture with diagonal covariances ``K_c = diag(lambda^{(c)})`` and a scalar predictor. The
general m-output form is :mod:`hdsgd.theory.multi_output_ode` (equal to this one for m = 1).

SGD ``x_{k+1} = x_k - (gamma / d) a f'(<x_k, a>; y_c)`` at time ``t = k / d`` is described, mode by
mode (i = 1..d), by a deterministic part ``y_i`` and a fluctuation second moment ``C_i``:

    dy_i/dt = -gamma sum_c p_c [ mu_{c,i} g_c + lambda_i^{(c)} H_c y_i ]
    dC_i/dt = -2 gamma sum_c p_c lambda_i^{(c)} H_c C_i + (gamma^2 / d) sum_c p_c lambda_i^{(c)} I_c

closed through the class-wise mean overlaps and projected norms

    m_c = sum_i mu_{c,i} y_i,     Q_c = sum_i lambda_i^{(c)} (y_i^2 + C_i),

with ``(g_c, H_c, I_c) = E[f', f'', f'^2]`` under ``r ~ N(m_c, Q_c)`` (Gauss-Hermite, see
:mod:`hdsgd.models.binary_glm`). The risk is ``L(t) = sum_c p_c E f(r)``; a linear statistic
``<v, x>`` of SGD concentrates on ``<v, y>`` and ``||x||^2`` on ``sum_i (y_i^2 + C_i)``.

Several learning rates -- or several mixtures that differ only in their means -- are integrated
at once (leading axis G). Integrators: fixed-step RK4, or, for long horizons, exponential
midpoint steps that grow with t (:func:`solve_exact_ode`, ``rel_step``). Given the scalars
``(g_c, H_c, I_c)``, each mode's equations are linear with constant coefficients,

    dy_i/dt = -gamma (P_i + B_i y_i),    dC_i/dt = -2 gamma B_i C_i + (gamma^2 / d) N_i,

(``P_i = sum_c p_c mu_{c,i} g_c``, ``B_i = sum_c p_c lambda_i^{(c)} H_c``,
``N_i = sum_c p_c lambda_i^{(c)} I_c``), and a step of length h with frozen scalars is exact:
``y <- y + h phi(gamma B h) dy/dt`` with ``phi(x) = (1 - e^{-x}) / x`` (and ``2 gamma B h`` for C).
Freezing them at the midpoint of the step (predicted by a half step) makes the scheme second
order in h; it is stable for any h, so the slowest modes of a power-law spectrum (time scale
``1 / (gamma lambda_d H)``, ~10^4 at d = 1000) cost ~``log(t_max) / rel_step`` steps instead of
``gamma lambda_1 H t_max / dt``.
"""

from __future__ import annotations

import numpy as np

from hdsgd.data.anisotropic_mixture import DiagonalMixture
from hdsgd.models.binary_glm import check_loss, class_expectations


def _mean_overlaps(means, y):
    return y @ means.T if means.ndim == 2 else np.einsum("gd,gld->gl", y, means)


def check_time_grid(gammas, t_eval, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """Learning rates as a 1-D array and ``t_eval`` as a strictly increasing 1-D array of times
    >= 0; raises ValueError otherwise or if the RK4 step ``dt`` is not positive."""
    gammas = np.atleast_1d(np.asarray(gammas, dtype=float))
    t_eval = np.asarray(t_eval, dtype=float)
    if t_eval.ndim != 1 or np.any(np.diff(t_eval) <= 0) or t_eval[0] < 0:
        raise ValueError("t_eval must be a strictly increasing 1-D array of times >= 0")
    if dt <= 0:
        raise ValueError(f"dt must be positive, got {dt}")
    return gammas, t_eval


def _coefficients(mixture, kind, y, C, n_nodes, means):
    """``(P, B, N)`` (G, d) of the frozen-scalar mode equations (module docstring)."""
    p = mixture.probs
    m = _mean_overlaps(means, y)
    Q = (y * y + C) @ mixture.eigs.T
    g, H, I, _ = class_expectations(kind, m, Q, mixture.labels, n_nodes)
    pull = (p * g) @ means if means.ndim == 2 else np.einsum("gl,gld->gd", p * g, means)
    return pull, (p * H) @ mixture.eigs, (p * I) @ mixture.eigs


def ode_rhs(mixture: DiagonalMixture, kind: str, y: np.ndarray, C: np.ndarray,
            gammas: np.ndarray, n_nodes: int = 61, means: np.ndarray | None = None,
            noise_scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Right-hand side ``(dy/dt, dC/dt)`` of the mode ODE for states y, C of shape (G, d).

    ``means`` (G, L, d), if given, replaces the mixture's means batch row by batch row;
    ``noise_scale`` multiplies the SGD-noise term (1: the ODE; 0: a negative control).
    """
    gam = np.asarray(gammas, dtype=float)[:, None]
    means = mixture.means if means is None else means
    pull, curv, noise = _coefficients(mixture, kind, y, C, n_nodes, means)
    dy = -gam * (pull + curv * y)
    dC = -2.0 * gam * curv * C + (noise_scale * gam**2 / mixture.d) * noise
    return dy, dC


def _phi(x: np.ndarray) -> np.ndarray:
    """``(1 - e^{-x}) / x`` for x >= 0 (1 at x = 0)."""
    out = np.ones_like(x)
    big = x > 1e-12
    out[big] = -np.expm1(-x[big]) / x[big]
    return out


def _exponential_step(mixture, kind, y, C, gam, h, coef_state, n_nodes, means, noise_scale):
    """(y, C) after a step h with the scalars frozen at ``coef_state`` (exact for frozen
    scalars, module docstring)."""
    pull, curv, noise = _coefficients(mixture, kind, *coef_state, n_nodes, means)
    rate = gam * curv
    dy = -gam * (pull + curv * y)
    dC = -2.0 * rate * C + (noise_scale * gam**2 / mixture.d) * noise
    return y + h * _phi(rate * h) * dy, C + h * _phi(2.0 * rate * h) * dC


def _observe(mixture, kind, y, C, probes, n_nodes, means):
    m = _mean_overlaps(means, y)
    Q = (y * y + C) @ mixture.eigs.T
    L = class_expectations(kind, m, Q, mixture.labels, n_nodes)[3] @ mixture.probs
    return m, Q, L, np.sum(y * y + C, axis=1), y @ probes.T


def solve_exact_ode(mixture: DiagonalMixture, kind: str, gammas, t_eval, *, dt: float = 0.01,
                    rel_step: float | None = None, y0: np.ndarray | None = None,
                    probes: np.ndarray | None = None, n_nodes: int = 61,
                    means: np.ndarray | None = None, noise_scale: float = 1.0,
                    progress=None) -> dict[str, np.ndarray]:
    """Integrate the mode ODE from ``y = y0`` (default 0), ``C = 0`` with RK4 of step <= ``dt``,
    or, given ``rel_step``, with exponential midpoint steps of length ``max(dt, rel_step t)``
    (module docstring; for horizons far beyond the fastest mode's time scale).

    Returns arrays at the sorted times ``t_eval`` (T,): ``risk`` (G, T), ``m`` and ``Q``
    (G, T, L), ``norm2`` (G, T) = E||x||^2, ``probes`` (G, T, P) = <v_p, y> for the rows v_p of
    ``probes`` (P, d), and ``y_final`` (G, d). Raises if the state stops being finite
    (learning rate beyond the stability edge). ``means`` (G, L, d): one mixture per batch row
    (sharing the spectra, probabilities and labels of ``mixture``).
    """
    check_loss(kind)
    gammas, t_eval = check_time_grid(gammas, t_eval, dt)
    means = mixture.means if means is None else np.asarray(means, dtype=float)
    if means.ndim == 3 and gammas.size == 1:
        gammas = np.full(means.shape[0], gammas[0])
    G, d = gammas.size, mixture.d
    probes = np.zeros((0, d)) if probes is None else np.atleast_2d(probes)
    y = np.zeros((G, d)) if y0 is None else np.broadcast_to(y0, (G, d)).astype(float)
    C = np.zeros((G, d))
    T, L, P = t_eval.size, mixture.n_classes, probes.shape[0]
    out = {"t": t_eval, "risk": np.empty((G, T)), "m": np.empty((G, T, L)),
           "Q": np.empty((G, T, L)), "norm2": np.empty((G, T)), "probes": np.empty((G, T, P))}

    def f(y, C):
        return ode_rhs(mixture, kind, y, C, gammas, n_nodes, means, noise_scale)

    def rk4(y, C, h):
        k1y, k1c = f(y, C)
        k2y, k2c = f(y + 0.5 * h * k1y, C + 0.5 * h * k1c)
        k3y, k3c = f(y + 0.5 * h * k2y, C + 0.5 * h * k2c)
        k4y, k4c = f(y + h * k3y, C + h * k3c)
        return (y + (h / 6.0) * (k1y + 2 * k2y + 2 * k3y + k4y),
                C + (h / 6.0) * (k1c + 2 * k2c + 2 * k3c + k4c))

    gam = gammas[:, None]

    def exponential(y, C, h):
        args = (n_nodes, means, noise_scale)
        half = _exponential_step(mixture, kind, y, C, gam, h / 2, (y, C), *args)
        return _exponential_step(mixture, kind, y, C, gam, h, half, *args)

    t = 0.0
    for k, t_next in enumerate(t_eval):
        if rel_step is None:                    # RK4: equal steps of at most dt to t_next
            n = int(np.ceil((t_next - t) / dt - 1e-9))
            h = (t_next - t) / n if n > 0 else 0.0
            for j in range(n):
                if j % 64 == 0 and not (np.all(np.isfinite(y)) and np.all(np.isfinite(C))):
                    break
                y, C = rk4(y, C, h)
        else:                                   # exponential midpoint: steps grow like t
            while t < t_next and np.all(np.isfinite(y)) and np.all(np.isfinite(C)):
                h = max(dt, rel_step * t)
                h = t_next - t if t_next - t < 1.5 * h else h
                y, C = exponential(y, C, h)
                t = t_next if h == t_next - t else t + h
        t = t_next
        if not (np.all(np.isfinite(y)) and np.all(np.isfinite(C))):
            raise FloatingPointError(f"ODE state diverged by t = {t_next} (gammas {gammas})")
        (out["m"][:, k], out["Q"][:, k], out["risk"][:, k], out["norm2"][:, k],
         out["probes"][:, k]) = _observe(mixture, kind, y, C, probes, n_nodes, means)
        if progress is not None:
            progress.update(1)
    out["y_final"] = y
    return out
