"""Per-eigenmode ODE of one-pass SGD with m outputs on a commuting-covariance Gaussian mixture.

The general (multi-output) form of the deterministic dynamics of arXiv 2510.14074, re-derived in
docs/exact_dynamics.md §2 (the paper's body was out of reach). SGD on ``X`` (d x m),
``X_{k+1} = X_k - (gamma / d) a grad f_c(X_k^T a)^T`` at time ``t = k / d``, is described mode by
mode (i = 1..d, rows x_i of X in the common eigenbasis) by a deterministic part ``y_i`` in R^m
and a fluctuation second moment ``C_i`` (m x m):

    dy_i/dt = -gamma sum_c p_c [ mu_{c,i} g_c + lambda^{(c)}_i H_c y_i ]
    dC_i/dt = -gamma sum_c p_c lambda^{(c)}_i (H_c C_i + C_i H_c)
              + (gamma^2 / d) sum_c p_c lambda^{(c)}_i I_c

closed through the class-wise mean overlaps and projected norms

    m_c = sum_i mu_{c,i} y_i  (R^m),     Q_c = sum_i lambda^{(c)}_i (y_i y_i^T + C_i)  (m x m),

with ``(g_c, H_c, I_c, L_c)`` the Gaussian expectations of the loss under ``r ~ N(m_c, Q_c)``
(:mod:`hdsgd.models.multi_output_glm`); the risk is ``sum_c p_c L_c``. For m = 1 this is the
binary ODE of :mod:`hdsgd.theory.exact_ode`.

Two exact reductions keep the cost at O(d m^2) per evaluation for shared spectra:

* classes with identical covariance spectra share ``Q_c`` (U distinct spectra, ``group``);
* the ``C_i`` equation depends on the mode only through its spectral signature
  ``(lambda^{(c)}_i)_c`` and is linear, and ``Q_c`` needs only ``sum_i lambda_i C_i``, so one
  aggregated ``C_p = sum_{i in p} C_i`` is integrated per distinct signature p (P: 1 for
  isotropic, 2 for the zero-one model, d for power laws), with noise ``n_p`` times a mode's.

Learning rates are a leading batch axis G; fixed-step RK4.
"""

from __future__ import annotations

import numpy as np

from hdsgd.data.anisotropic_mixture import DiagonalMixture
from hdsgd.theory.exact_ode import check_time_grid


class MultiOutputODE:
    """Right-hand side and observables of the mode ODE for a mixture and a loss.

    ``loss`` provides ``n_outputs`` (m) and ``expectations(M, Q, group)``.
    """

    def __init__(self, mixture: DiagonalMixture, loss, *, noise_scale: float = 1.0):
        self.mix = mixture
        self.loss = loss
        self.m = int(loss.n_outputs)
        gr = self.groups = mixture.spectral_groups()
        p = np.asarray(mixture.probs, dtype=float)
        # class weights per spectrum: class_to_spec[u, c] = p_c [group_c == u]
        self.class_to_spec = np.zeros((gr.spectra.shape[0], p.size))
        self.class_to_spec[gr.group, np.arange(p.size)] = p
        # noise of class c on signature p (summed over its modes): p_c n_p lambda^{(c)}_p / d;
        # noise_scale multiplies it (1: the ODE; 0: a negative control)
        w = (gr.signatures * gr.counts)[gr.group]                      # (L, P)
        self.noise_weights = p[:, None] * w * (float(noise_scale) / mixture.d)

    def overlaps(self, y: np.ndarray, C: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``M`` (G, L, m) = mean overlaps, ``Q`` (G, U, m, m) = projected norms per spectrum."""
        gr = self.groups
        M = np.einsum("ld,gdm->glm", self.mix.means, y, optimize=True)
        Q = np.einsum("ud,gdm,gdn->gumn", gr.spectra, y, y, optimize=True)
        Q += np.einsum("up,gpmn->gumn", gr.signatures, C, optimize=True)
        return M, Q

    def rhs(self, y, C, gammas):
        """``(dy/dt, dC/dt)`` for y (G, d, m), C (G, P, m, m) and learning rates (G,)."""
        gr, p = self.groups, np.asarray(self.mix.probs, dtype=float)
        gam = np.asarray(gammas, dtype=float)
        M, Q = self.overlaps(y, C)
        g, H, I, _ = self.loss.expectations(M, Q, gr.group)
        Hs = np.einsum("uc,gcmn->gumn", self.class_to_spec, H)    # sum_{c in u} p_c H_c
        drift = np.einsum("ld,glm->gdm", self.mix.means, p[:, None] * g, optimize=True)
        drift += np.einsum("ud,gumn,gdn->gdm", gr.spectra, Hs, y, optimize=True)
        A = np.einsum("up,gumn->gpmn", gr.signatures, Hs)          # per signature
        AC = A @ C
        noise = np.einsum("cp,gcmn->gpmn", self.noise_weights, I)
        g4 = gam[:, None, None, None]
        dC = -g4 * (AC + np.swapaxes(AC, -1, -2)) + g4**2 * noise
        return -gam[:, None, None] * drift, dC

    def risk(self, M, Q) -> np.ndarray:
        """``sum_c p_c L_c`` over the class axis of ``M`` (..., L, m), ``Q`` (..., U, m, m)."""
        L = self.loss.expectations(M, Q, self.groups.group)[3]
        return L @ np.asarray(self.mix.probs, dtype=float)

    def solve(self, gammas, t_eval, *, dt: float = 0.01, y0: np.ndarray | None = None,
              probes: np.ndarray | None = None, progress=None) -> dict[str, np.ndarray]:
        """Integrate from ``y = y0`` (default 0), ``C = 0`` with RK4 steps of at most ``dt``.

        Returns at the sorted times ``t_eval`` (T,): ``risk`` (G, T), ``m`` (G, T, L, m),
        ``Q`` (G, T, U, m, m), ``norm2`` (G, T) = E||X||_F^2, ``probes`` (G, T, P, m) =
        ``v_p^T y`` for probe rows v_p (P, d), and ``y_final`` (G, d, m). Raises
        FloatingPointError if the state stops being finite (beyond the stability edge).
        """
        gammas, t_eval = check_time_grid(gammas, t_eval, dt)
        G, d, m = gammas.size, self.mix.d, self.m
        P = self.groups.counts.size
        probes = np.zeros((0, d)) if probes is None else np.atleast_2d(probes)
        y = np.zeros((G, d, m)) if y0 is None else np.broadcast_to(
            np.reshape(y0, (d, m)), (G, d, m)).astype(float)
        C = np.zeros((G, P, m, m))
        T, L, U = t_eval.size, self.mix.n_classes, self.groups.spectra.shape[0]
        out = {"t": t_eval, "risk": np.empty((G, T)), "m": np.empty((G, T, L, m)),
               "Q": np.empty((G, T, U, m, m)), "norm2": np.empty((G, T)),
               "probes": np.empty((G, T, probes.shape[0], m))}
        t = 0.0
        for k, t_next in enumerate(t_eval):
            n = int(np.ceil((t_next - t) / dt - 1e-9))
            h = (t_next - t) / n if n > 0 else 0.0
            for j in range(n):
                if j % 64 == 0 and not _finite(y, C):
                    break
                k1y, k1c = self.rhs(y, C, gammas)
                k2y, k2c = self.rhs(y + 0.5 * h * k1y, C + 0.5 * h * k1c, gammas)
                k3y, k3c = self.rhs(y + 0.5 * h * k2y, C + 0.5 * h * k2c, gammas)
                k4y, k4c = self.rhs(y + h * k3y, C + h * k3c, gammas)
                y = y + (h / 6.0) * (k1y + 2 * k2y + 2 * k3y + k4y)
                C = C + (h / 6.0) * (k1c + 2 * k2c + 2 * k3c + k4c)
            if not _finite(y, C):
                raise FloatingPointError(f"ODE state diverged by t = {t_next} (gammas {gammas})")
            t = t_next
            M, Q = self.overlaps(y, C)
            out["m"][:, k], out["Q"][:, k], out["risk"][:, k] = M, Q, self.risk(M, Q)
            out["norm2"][:, k] = np.einsum("gdm,gdm->g", y, y) + np.einsum("gpmm->g", C)
            out["probes"][:, k] = np.einsum("pd,gdm->gpm", probes, y)
            if progress is not None:
                progress.update(1)
        out["y_final"] = y
        return out


def _finite(y, C) -> bool:
    return bool(np.all(np.isfinite(y)) and np.all(np.isfinite(C)))
