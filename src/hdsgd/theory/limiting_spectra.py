"""Limiting spectra of weighted sample-covariance matrices of Gaussian-mixture data.

Setting (Ben Arous, Gheissari, Huang, Jagannath, arXiv 2502.15655, Sec. 1-2; the objects are the
Hessian and G-matrix blocks of a loss that depends on the data only through ``x^T Y``):

    M = (1/n) sum_l W_l (x) Y_l Y_l^T,      Y_l = mu_{J_l} + Z_l,  Z_l ~ N(0, s I_d),  n = phi d,

with ``s = 1/lambda`` and a per-sample weight ``W_l`` (a scalar, or a p x p PSD matrix for the
full C-class Hessian) that depends on ``Y_l`` only through its projection ``a_l`` onto the span U
of (x, mu) (``r = dim U <= C + k``). Everything below depends on x only through the Gram matrix
of (x, mu), via the law of (W, a) (see :mod:`hdsgd.theory.gram_quadrature`).

Bulk (self-consistent equation; Silverstein-type, the scalar case of the paper's matrix
Stieltjes transform). With ``c = 1/phi`` the deterministic equivalent of the resolvent is
``Pi(z) (x) I_d`` where the p x p matrix ``Pi`` solves

    Pi(z)^{-1} = -z I_p + s E[ W (I_p + c s Pi(z) W)^{-1} ],     m(z) = tr Pi(z) / p,

and the limiting density is ``Im m(E + i0) / pi``. For scalar weights this is
``m = 1 / (-z + s E[w / (1 + c s w m)])``, i.e. the explicit inverse
``z(m) = -1/m + s E[w / (1 + c s w m)]``. Constant ``w = 1`` gives Marchenko-Pastur with ratio c
and scale s.

Outliers (determinant equation). Splitting R^d = U + U^perp, a Schur complement against the
bulk part and the deterministic equivalent of its companion resolvent give the r x r matrix

    D(z) = E[ w a a^T / (1 + c s w m(z)) ] - z I_r,

and the outliers of M are the real z outside the bulk support with det D(z) = 0. If ``v`` spans
ker D(z*), the top eigenvector e of M near z* has ``(u . e)^2 -> (u . v)^2 / (v^T (-D'(z*)) v)``
for a unit vector u in U (coordinates in the same orthonormal basis as ``a``), with
``D'(z) = -I - c s m'(z) E[w^2 a a^T / (1 + c s w m)^2]`` and ``m'(z) = 1 / z'(m)``.
Check: ``w = 1``, ``a ~ N(0, ell)`` gives the BBP location ``z = ell (1 + c / (ell - 1))``.

Edge at the pole (the G-matrix once training starts). z(m) has its pole at
``m = -1/(c s w_sup)`` (``w_sup`` the essential sup of the weight). Since z'(m) increases in m on
``(-1/(c s w_sup), 0)``, if ``z' >= 0`` at the pole, i.e. ``phi E[w^2 / (w_sup - w)^2] <= 1``, there
is no interior minimum and the right edge is the value at the pole:

    lambda_+ = (w_sup / (lambda phi)) (1 + phi E[w / (w_sup - w)]),

finite whenever ``E[w / (w_sup - w)]`` is (:func:`pole_edge`). For the G-matrix weight
``(pi_c - y_c)^2`` at x != 0, w_sup = 1 and the law puts vanishing mass near 1 (misclassified
samples), so lambda_+ lies far above where a finite sample's spectrum ends.

Finite samples. A sample of n weights has its largest value near ``u_n`` with
``P(w > u_n) = 1 - 2^{-1/n}`` (the median of the maximum). The spectrum of a finite sample is
described by the same equations with the weight law conditioned on ``w <= u_n``
(:meth:`ScalarWeightLaw.below`, :func:`sample_max_weight`): a finite-n deterministic equivalent
(our approximation, tested against dense spectra at several d), which matters only where the
limiting edge is set by the far tail of the weight law.

The paper states these formulas in its own notation; here they are re-derived (see the module
tests for the dense-matrix checks), since only the paper's abstract and setup were readable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq, minimize_scalar

__all__ = [
    "ScalarWeightLaw",
    "inverse_stieltjes",
    "inverse_stieltjes_derivative",
    "stieltjes_transform",
    "density",
    "right_edge",
    "right_edge_point",
    "real_axis_stieltjes",
    "left_edge",
    "limiting_cdf",
    "bulk_cdf_grid",
    "cdf_from_grid",
    "upper_quantile",
    "outlier_matrix",
    "outlier_matrix_derivative",
    "outliers",
    "matrix_stieltjes_transform",
    "pole_edge",
    "sample_max_weight",
]


@dataclass(frozen=True)
class ScalarWeightLaw:
    """Discrete joint law of a scalar weight and the projected sample.

    w: (N,) atoms of the weight; q: (N,) their probabilities (sum 1);
    A: (N, r, r) ``E[w a a^T ; atom]`` (the outlier moments; r may be 0);
    s: noise variance 1/lambda; phi: n/d.
    """

    w: np.ndarray
    q: np.ndarray
    A: np.ndarray
    s: float
    phi: float

    def __post_init__(self):
        w = np.asarray(self.w, dtype=float)
        q = np.asarray(self.q, dtype=float)
        if w.ndim != 1 or q.shape != w.shape:
            raise ValueError("w and q must be 1-d arrays of the same length")
        if np.any(q < 0) or not np.isclose(q.sum(), 1.0):
            raise ValueError("q must be a probability vector")
        if np.any(w < 0):
            raise ValueError("weights must be non-negative")
        if not self.s > 0 or not self.phi > 0:
            raise ValueError("s and phi must be positive")
        A = np.asarray(self.A, dtype=float)
        if A.ndim != 3 or A.shape[0] != w.size or A.shape[1] != A.shape[2]:
            raise ValueError("A must have shape (N, r, r)")
        object.__setattr__(self, "w", w)
        object.__setattr__(self, "q", q)
        object.__setattr__(self, "A", A)

    @property
    def c(self) -> float:
        return 1.0 / self.phi

    @property
    def r(self) -> int:
        return self.A.shape[1]

    @classmethod
    def constant(cls, s: float, phi: float, value: float = 1.0) -> ScalarWeightLaw:
        """Constant weight (Marchenko-Pastur), no spike."""
        return cls(np.array([value]), np.array([1.0]), np.zeros((1, 0, 0)), s, phi)

    def binned(self, n_bins: int) -> ScalarWeightLaw:
        """Merge atoms into ``n_bins`` equal-width weight bins (mean weight, summed moments).

        The bulk and the outlier matrix only see w through smooth functions, so this is a
        controlled approximation (error O(bin width)) that makes the solvers fast.
        """
        if self.w.size <= n_bins:
            return self
        edges = np.linspace(self.w.min(), self.w.max(), n_bins + 1)
        idx = np.clip(np.searchsorted(edges, self.w, side="right") - 1, 0, n_bins - 1)
        q = np.bincount(idx, weights=self.q, minlength=n_bins)
        wq = np.bincount(idx, weights=self.q * self.w, minlength=n_bins)
        keep = q > 0
        r = self.r
        A = np.zeros((n_bins, r, r))
        np.add.at(A, idx, self.A)
        return ScalarWeightLaw(wq[keep] / q[keep], q[keep] / q[keep].sum(), A[keep],
                               self.s, self.phi)

    def below(self, u: float) -> ScalarWeightLaw:
        """The law conditioned on ``w <= u`` (atoms above u dropped, the rest renormalised)."""
        keep = self.w <= u
        mass = float(self.q[keep].sum())
        if mass <= 0:
            raise ValueError(f"no weight atom at or below {u}")
        return ScalarWeightLaw(self.w[keep], self.q[keep] / mass, self.A[keep] / mass, self.s,
                               self.phi)


def inverse_stieltjes(m, law: ScalarWeightLaw):
    """``z(m) = -1/m + s E[w / (1 + c s w m)]`` (elementwise, real or complex m)."""
    m = np.asarray(m)
    cs = law.c * law.s
    return -1.0 / m + law.s * ((law.q * law.w) / (1.0 + cs * law.w * m[..., None])).sum(-1)


def inverse_stieltjes_derivative(m, law: ScalarWeightLaw):
    """``z'(m) = 1/m^2 - c s^2 E[w^2 / (1 + c s w m)^2]``."""
    m = np.asarray(m)
    cs = law.c * law.s
    t = (law.q * law.w**2) / (1.0 + cs * law.w * m[..., None]) ** 2
    return 1.0 / m**2 - law.s * cs * t.sum(-1)


def stieltjes_transform(z, law: ScalarWeightLaw, *, n_fixed: int = 300, n_newton: int = 60):
    """Solve the scalar self-consistent equation at complex z (Im z > 0), vectorised.

    Damped fixed-point iterations ``m <- 1/(-z + s E[w/(1 + c s w m)])`` (a contraction on the
    upper half-plane) give a starting point, then Newton on ``z(m) - z = 0`` polishes it; a Newton
    step that leaves the upper half-plane is rejected.
    """
    z = np.asarray(z, dtype=complex)
    mean_w = float(law.q @ law.w)
    m = -1.0 / (z - law.s * mean_w)
    cs = law.c * law.s
    for _ in range(n_fixed):
        t = ((law.q * law.w) / (1.0 + cs * law.w * m[..., None])).sum(-1)
        m = 0.5 * m + 0.5 / (-z + law.s * t)
    for _ in range(n_newton):
        f = inverse_stieltjes(m, law) - z
        step = f / inverse_stieltjes_derivative(m, law)
        new = m - step
        ok = (new.imag > 0) & np.isfinite(new)
        m = np.where(ok, new, m)
        if np.all(np.abs(f) < 1e-13 * (1 + np.abs(z))):
            break
    return m


def density(E, law: ScalarWeightLaw, eta: float = 1e-7):
    """Limiting spectral density ``Im m(E + i eta) / pi`` on real points E.

    Solved at height 0.1 (fixed point), then continued down to ``eta`` by Newton steps, the
    height divided by 10 each time. For phi < 1 the atom of mass 1 - phi at 0 is left out
    (continuous part only).
    """
    E = np.asarray(E, dtype=float)
    scale = max(1.0, law.s * float(law.w.max()))
    heights = [h for h in (1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6) if h > eta] + [eta]
    m = stieltjes_transform(E + 1j * heights[0] * scale, law, n_fixed=20, n_newton=40)
    for h in heights[1:]:
        z = E + 1j * h * scale
        for _ in range(40):
            f = inverse_stieltjes(m, law) - z
            new = m - f / inverse_stieltjes_derivative(m, law)
            ok = (new.imag > 0) & np.isfinite(new)
            m = np.where(ok, new, m)
            if np.all(np.abs(f) < 1e-12 * scale):
                break
    if law.phi < 1.0:  # remove the eta-smeared atom (1 - phi) at 0: continuous part only
        m = m + (1.0 - law.phi) / z
    return np.clip(m.imag, 0.0, None) / np.pi


def right_edge_point(law: ScalarWeightLaw) -> tuple[float, float]:
    """(m*, z(m*)): the local minimum of z(m) on ``(-1/(c s w_max), 0)``."""
    wmax = float(law.w.max())
    lo = -1.0 / (law.c * law.s * wmax)
    res = minimize_scalar(lambda m: float(inverse_stieltjes(m, law)),
                          bounds=(lo * (1 - 1e-10), lo * 1e-8), method="bounded",
                          options={"xatol": 1e-13 * abs(lo), "maxiter": 500})
    return float(res.x), float(res.fun)


def right_edge(law: ScalarWeightLaw) -> float:
    """Right edge of the bulk: the local minimum of z(m) on ``(-1/(c s w_max), 0)``."""
    return right_edge_point(law)[1]


def left_edge(law: ScalarWeightLaw) -> float:
    """Left edge of the continuous bulk: the local maximum of z(m) left of its support.

    phi > 1: on m > 0. phi <= 1 (an atom 1 - phi at 0): on ``m < -1/(c s w_min)`` (w_min the
    smallest positive weight; z rises from 0+ as m -> -inf, since z ~ (1/c - 1)/m, to its
    maximum, then falls to -inf at the pole); 0 if that maximum is not positive (phi = 1: the
    hard edge at 0).
    """
    if law.phi > 1.0:
        res = minimize_scalar(lambda lm: -float(inverse_stieltjes(np.exp(lm), law)),
                              bounds=(-30.0, 30.0), method="bounded", options={"xatol": 1e-12})
        return float(max(-res.fun, 0.0))
    y0 = -np.log(law.c * law.s * float(law.w[law.w > 0].min()))     # log |pole|
    res = minimize_scalar(lambda y: -float(inverse_stieltjes(-np.exp(y), law)),
                          bounds=(y0 + 1e-9, y0 + 40.0), method="bounded",
                          options={"xatol": 1e-12})
    return float(max(-res.fun, 0.0))


def bulk_cdf_grid(law: ScalarWeightLaw, n_grid: int = 800):
    """(grid, density, CDF) of the continuous bulk on a grid clustered at the edges.

    The density is integrated by the trapezoid rule; the CDF is normalised to the bulk mass
    ``min(1, phi)`` (the atom 1 - phi at 0 for phi < 1 is added by :func:`cdf_from_grid`).
    """
    lo, hi = left_edge(law), right_edge(law)
    grid = lo + (hi - lo) * (0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, n_grid)))
    rho = density(grid, law)
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (rho[1:] + rho[:-1]) * np.diff(grid))])
    return grid, rho, cum / cum[-1] * min(1.0, law.phi)


def cdf_from_grid(x, grid: np.ndarray, cdf: np.ndarray, phi: float):
    """Limiting CDF at points x from a tabulated bulk CDF (plus the atom at 0 if phi < 1)."""
    x = np.asarray(x, dtype=float)
    atom = max(0.0, 1.0 - phi)
    return np.where(x >= 0, atom, 0.0) + np.interp(x, grid, cdf, left=0.0, right=cdf[-1])


def upper_quantile(law: ScalarWeightLaw, tail: float, n_grid: int = 160) -> float:
    """The point x above which the limiting law has mass ``tail`` (0 < tail < min(1, phi)).

    Useful where the support's sup is a poor finite-n observable: a thin tail of large weights
    (G-matrix) puts little mass far out, so quantiles converge long before the edge does. Only
    the top of the bulk is integrated: the density on a grid clustered at the right edge
    (``x = edge - L u^2``, on which the square-root edge is smooth), the window L doubled
    until it holds the mass ``tail``.
    """
    if not 0.0 < tail < min(1.0, law.phi):
        raise ValueError(f"tail mass must lie in (0, {min(1.0, law.phi):g}), got {tail}")
    edge, lo = right_edge(law), left_edge(law)
    u = np.linspace(0.0, 1.0, n_grid)
    width = min(0.1 * edge, edge - lo)
    while True:
        x = edge - width * u**2                                    # decreasing from the edge
        rho = density(x, law)
        mass = np.concatenate([[0.0], np.cumsum(0.5 * (rho[1:] + rho[:-1]) * -np.diff(x))])
        if mass[-1] >= tail or width >= edge - lo:
            return float(np.interp(tail, mass, x))
        width = min(2.0 * width, edge - lo)


def limiting_cdf(x, law: ScalarWeightLaw, n_grid: int = 800):
    """CDF of the limiting law at points x (atom 1 - phi at 0 when phi < 1)."""
    grid, _, cdf = bulk_cdf_grid(law, n_grid)
    return cdf_from_grid(x, grid, cdf, law.phi)


def real_axis_stieltjes(z: float, law: ScalarWeightLaw, m_edge: float) -> float:
    """m(z) for real z right of the bulk: the root of z(m) = z on (m_edge, 0).

    z(m) increases from the edge value at m_edge to +inf as m -> 0-, so the bracket is found by
    moving towards 0 geometrically.
    """
    hi = 0.5 * m_edge
    while float(inverse_stieltjes(hi, law)) < z:
        hi *= 0.5
    return brentq(lambda m: float(inverse_stieltjes(m, law)) - z, m_edge, hi, xtol=1e-15,
                  rtol=1e-14, maxiter=500)


def outlier_matrix(z: float, law: ScalarWeightLaw, m: float | None = None):
    """``D(z) = sum_atoms A / (1 + c s w m(z)) - z I_r`` for real z right of the bulk."""
    if m is None:
        m = real_axis_stieltjes(z, law, right_edge_point(law)[0])
    coef = 1.0 / (1.0 + law.c * law.s * law.w * m)
    return np.einsum("b,bij->ij", coef, law.A) - z * np.eye(law.r)


def outlier_matrix_derivative(z: float, law: ScalarWeightLaw, m: float | None = None):
    """``D'(z) = -I - c s m'(z) sum_atoms w A / (1 + c s w m)^2``, ``m' = 1 / z'(m)``."""
    if m is None:
        m = real_axis_stieltjes(z, law, right_edge_point(law)[0])
    dm = 1.0 / float(inverse_stieltjes_derivative(m, law))
    coef = law.w / (1.0 + law.c * law.s * law.w * m) ** 2
    return -np.eye(law.r) - law.c * law.s * dm * np.einsum("b,bij->ij", coef, law.A)


def outliers(law: ScalarWeightLaw, *, z_max: float | None = None, tol: float = 1e-10):
    """Outliers to the right of the bulk and their eigenvectors in U-coordinates.

    The eigenvalues of the symmetric D(z) decrease in z; each one positive just right of the
    bulk edge crosses zero once: that crossing is an outlier. Returns (locations (n_out,),
    vectors (n_out, r) unit kernel vectors v, norms (n_out,) = v^T (-D') v), largest first;
    the squared overlap of the eigenvector with a unit u in U is ``(u . v)^2 / norm``.
    """
    if law.r == 0:
        return np.zeros(0), np.zeros((0, 0)), np.zeros(0)
    m_edge, edge = right_edge_point(law)
    eps = 1e-9 * max(1.0, abs(edge))

    def D(z):
        return outlier_matrix(z, law, real_axis_stieltjes(z, law, m_edge))

    lam_edge = np.linalg.eigvalsh(D(edge + eps))
    if z_max is None:
        z_max = edge + 2.0 * float(np.abs(law.A.sum(0)).sum()) + 1.0
    locs, vecs, norms = [], [], []
    for j in range(law.r):
        if lam_edge[j] <= 0:
            continue

        def g(z, j=j):
            return np.linalg.eigvalsh(D(z))[j]

        if g(z_max) > 0:
            raise RuntimeError("outlier search interval too short; raise z_max")
        z0 = brentq(g, edge + eps, z_max, xtol=tol * max(1.0, abs(edge)), maxiter=200)
        m0 = real_axis_stieltjes(z0, law, m_edge)
        _, vec = np.linalg.eigh(outlier_matrix(z0, law, m0))
        v = vec[:, j]
        locs.append(z0)
        vecs.append(v)
        norms.append(float(v @ (-outlier_matrix_derivative(z0, law, m0)) @ v))
    order = np.argsort(locs)[::-1]
    return (np.asarray(locs)[order], np.asarray(vecs).reshape(-1, law.r)[order],
            np.asarray(norms)[order])


def matrix_stieltjes_transform(z, W: np.ndarray, q: np.ndarray, s: float, phi: float, *,
                               n_iter: int = 2000, damping: float = 0.5, tol: float = 1e-12):
    """Matrix self-consistent equation for p x p PSD weights (the full C-class matrices).

    ``Pi^{-1} = -z I + s sum_i q_i W_i (I + c s Pi W_i)^{-1}``, solved by damped iteration at
    each complex z (vectorised); returns (m = tr Pi / p, Pi) with Pi of shape (nz, p, p).
    """
    z = np.atleast_1d(np.asarray(z, dtype=complex))
    W = np.asarray(W, dtype=float)
    p = W.shape[-1]
    c = 1.0 / phi
    eye = np.eye(p)
    Wc = W.astype(complex)
    Pi = -np.broadcast_to(eye, (z.size, p, p)) / (z[:, None, None] - s * np.trace(
        np.einsum("i,ijk->jk", q, W)) / p)
    for _ in range(n_iter):
        K = eye + c * s * np.einsum("zab,ibc->ziac", Pi, Wc)
        T = np.linalg.solve(K, np.broadcast_to(eye, K.shape))          # (I + c s Pi W)^{-1}
        S = np.einsum("i,iab,zibc->zac", q, Wc, T)
        new = np.linalg.inv(-z[:, None, None] * eye + s * S)
        diff = np.abs(new - Pi).max()
        Pi = damping * Pi + (1 - damping) * new
        if diff < tol:
            break
    return np.trace(Pi, axis1=1, axis2=2) / p, Pi



def sample_max_weight(law: ScalarWeightLaw, n: int) -> float:
    """Median of the largest of n i.i.d. weights: u with ``P(w > u) = 1 - 2^{-1/n}``.

    Each atom stands for a small interval of weights centred on it, so the tail mass at an
    atom is the mass above it plus half its own; u is interpolated linearly in between.
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    order = np.argsort(law.w)[::-1]
    q = law.q[order]
    tail = np.cumsum(q) - 0.5 * q                     # P(w > w_(i)), increasing
    target = -np.expm1(-np.log(2.0) / n)              # 1 - 2^{-1/n}
    return float(np.interp(target, tail, law.w[order]))


def pole_edge(law: ScalarWeightLaw, w_sup: float) -> tuple[float, bool]:
    """Right edge if it sits at the pole of z(m): (lambda_+, applies).

    ``lambda_+ = (w_sup / (lambda phi)) (1 + phi E[w / (w_sup - w)])`` (module docstring), with
    ``applies = phi E[w^2 / (w_sup - w)^2] <= 1`` (no interior minimum of z). ``w_sup`` is the
    essential sup of the weight, e.g. 1 for the G-matrix weight ``(pi_c - y_c)^2`` at x != 0.
    """
    if law.w.max() >= w_sup:
        return float("nan"), False
    gap = w_sup - law.w
    lam_phi = 1.0 / (law.s * law.c)
    value = w_sup / lam_phi * (1.0 + law.phi * float(law.q @ (law.w / gap)))
    applies = law.phi * float(law.q @ (law.w / gap) ** 2) <= 1.0
    return value, bool(applies)
