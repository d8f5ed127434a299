"""Distance between the true SGD noise and its SE approximation (arXiv 2206.11124, App. F.4,
eqs. 240-241, Fig. 8).

Along the exact second-moment trajectory C_t (Prop. 1) the sampling-noise term is
Sigma_t = Sigma(C_t) (eq. 5) and its SE approximation (eq. 7) is
Sigma_SE(tau1, tau2) = tau1 A_t - tau2 B_t with A_t = Tr[H C_t] H and B_t = H C_t H. The relative
quadratic trace distance

    D_t(tau1, tau2) = Tr[(Sigma_t - Sigma_SE)^2] / Tr[Sigma_t^2]
                    = 1 + 2 g . tau + tau^T Q tau,
    g = (-<S, A>, <S, B>) / <S, S>,   Q = [[<A, A>, -<A, B>], [-<A, B>, <B, B>]] / <S, S>,

(<X, Y> = Tr[X Y]) is a quadratic form in tau = (tau1, tau2): its level sets are ellipses with
principal axes along the eigenvectors of Q and lengths proportional to mu^{-1/2} (mu the
eigenvalues of Q), so the minor/major axis ratio is sqrt(mu_min / mu_max). Its minimum over
the plane is 1 - g^T Q^{-1} g at tau* = -Q^{-1} g; on the line tau1 = 1 the best
tau2 = (<A, B> - <S, B>) / <B, B>.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["NoiseDistance", "noise_distance_form"]


@dataclass
class NoiseDistance:
    """Per-step summaries of D_t (arrays over t): the quadratic form (``g`` (T, 2), ``Q``
    (T, 2, 2)), global minimiser ``tau_opt`` (T, 2) and minimum ``d_min``, the best ``tau2_at_1``
    on tau1 = 1 and its value ``d_min_at_1``, and the ellipses' minor/major ``axis_ratio``."""

    g: np.ndarray
    Q: np.ndarray
    tau_opt: np.ndarray
    d_min: np.ndarray
    tau2_at_1: np.ndarray
    d_min_at_1: np.ndarray
    axis_ratio: np.ndarray

    def value(self, tau1, tau2, t=slice(None)):
        """D_t(tau1, tau2) for broadcastable tau1, tau2 at steps ``t`` (shape (..., T))."""
        g, Q = self.g[t], self.Q[t]
        t1 = np.asarray(tau1, dtype=float)[..., None]
        t2 = np.asarray(tau2, dtype=float)[..., None]
        return (1 + 2 * (g[..., 0] * t1 + g[..., 1] * t2) + Q[..., 0, 0] * t1**2
                + 2 * Q[..., 0, 1] * t1 * t2 + Q[..., 1, 1] * t2**2)


def noise_distance_form(ss, sa, sb, aa, ab, bb) -> NoiseDistance:
    """The quadratic form of D_t from the six traces (arrays over t), e.g. those returned by
    :func:`hdsgd.theory.exact_second_moments.exact_kernel_second_moments`."""
    ss, sa, sb, aa, ab, bb = (np.asarray(v, dtype=float) for v in (ss, sa, sb, aa, ab, bb))
    if np.any(ss <= 0):
        raise ValueError("Tr[Sigma^2] must be positive")
    g = np.stack([-sa, sb], axis=-1) / ss[..., None]
    Q = np.stack([np.stack([aa, -ab], -1), np.stack([-ab, bb], -1)], -2) / ss[..., None, None]
    tau_opt = -np.linalg.solve(Q, g[..., None])[..., 0]
    d_min = 1 + np.einsum("...i,...i->...", g, tau_opt)
    tau2_at_1 = (ab - sb) / bb
    d_min_at_1 = (ss - 2 * sa + aa - (sb - ab) ** 2 / bb) / ss
    mu = np.linalg.eigvalsh(Q)
    axis_ratio = np.sqrt(np.clip(mu[..., 0], 0.0, None) / mu[..., 1])
    return NoiseDistance(g, Q, tau_opt, d_min, tau2_at_1, d_min_at_1, axis_ratio)
