"""Ballistic-limit (effective) dynamics of one-pass SGD for softmax regression on a k-GMM.

Model (Ben Arous, Gheissari, Huang, Jagannath, arXiv 2310.03010, Sec. 2.1 and Sec. 5): class
b ~ p, data Y = mu_b + Z with Z ~ N(0, I_d / lam), parameters x = (x^1, ..., x^k) in R^{k x d},
loss L = -x^b . Y + log sum_c exp(x^c . Y) + (beta / 2) |x|^2 and online SGD
x_l = x_{l-1} - delta grad L with delta = c_delta / d, rescaled time t = l * delta.

Summary statistics (paper Sec. 5, "ballistic limit of summary statistics")::

    m_{ca}   = x^c . mu_a                      (k x n_means)
    R_{cc'}  = x^c_perp . x^{c'}_perp          (k x k),  x_perp = projection off span(mu)

As d -> infinity they follow the ODE (one Stein-lemma step E[f(Z) Z] = E[grad f] / lam per
noise term, plus the Ito-type correction from |Z_perp|^2 ~ d / lam)::

    dm_{ca}/dt = - sum_b p_b ( E_b[pi_c - 1{c=b}] G_{ab}
                              + (1/lam) sum_e E_b[pi_c (1{c=e} - pi_e)] m_{ea} ) - beta m_{ca}
    dR_{cc'}/dt = - 2 beta R_{cc'} - (1/lam) (A R + (A R)^T)_{cc'}
                  + (c_delta / lam) sum_b p_b E_b[(pi_c - 1{c=b}) (pi_{c'} - 1{c'=b})]

with G_{ab} = mu_a . mu_b, A = sum_b p_b E_b[diag(pi) - pi pi^T], and E_b the expectation over
the logits z ~ N(m_{:, b}, Q / lam), Q = m G^{-1} m^T + R = (x^c . x^{c'}). The expectations are
k-dimensional Gaussian integrals, evaluated by Monte Carlo with common (antithetic) random numbers
so the right-hand side is a smooth function of the state, or (``n_gh``) by a tensor Gauss-Hermite
rule; the ODE is integrated by fixed-step RK4.

Classes and components (arXiv 2502.15655): with a label map c: [k] -> [C] (``label_map``; the
identity by default, C = k) there are C parameter vectors, m is C x k, R and Q are C x C, and
every ``1{c = b}`` above reads ``1{c = c(b)}`` (the target of a sample of component b is
e_{c(b)}). The derivation is unchanged: only the target vector depends on b.

The same logit samples give the law of the per-sample weights w = pi_c (1 - pi_c) (Hessian) and
w = (pi_c - y_c)^2 (G-matrix), whose weighted Marchenko-Pastur law is the bulk of the empirical
test-data blocks (paper Sec. 3/6; docs/alignment.md): :func:`weighted_mp_right_edge`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

__all__ = [
    "GMMDynamicsParams",
    "EffectiveDynamicsSolution",
    "antithetic_normals",
    "gauss_hermite_nodes",
    "logit_samples",
    "softmax_moments",
    "drift",
    "solve_effective_dynamics",
    "summary_statistics",
    "block_weight_samples",
    "weighted_mp_right_edge",
    "bulk_edge_track",
    "population_accuracy",
    "predicted_accuracy",
]


@dataclass(frozen=True)
class GMMDynamicsParams:
    """Parameters of the k-GMM effective dynamics.

    gram: (n, n) Gram matrix mu_a . mu_b of the class means (identity for orthonormal means);
    p: (n,) class probabilities; lam: inverse noise variance; beta: ridge; c_delta = delta * d
    (the O(delta d) correction of dR/dt, zero for delta = o(1/d)); label_map: (n,) class of each
    component, None for the identity (C = k = n classes, one per mean).
    """

    gram: np.ndarray
    p: np.ndarray
    lam: float
    beta: float
    c_delta: float = 1.0
    label_map: np.ndarray | None = None

    def __post_init__(self) -> None:
        gram = np.asarray(self.gram, dtype=float)
        p = np.asarray(self.p, dtype=float)
        if gram.ndim != 2 or gram.shape[0] != gram.shape[1]:
            raise ValueError(f"gram must be a square matrix, got shape {gram.shape}")
        if not np.allclose(gram, gram.T):
            raise ValueError("gram must be symmetric")
        if np.linalg.eigvalsh(gram).min() <= 0:
            raise ValueError("gram must be positive definite (linearly independent means)")
        if p.shape != (gram.shape[0],) or np.any(p <= 0) or not np.isclose(p.sum(), 1.0):
            raise ValueError(f"p must be {gram.shape[0]} positive probabilities summing to 1")
        if not self.lam > 0:
            raise ValueError(f"lam must be > 0, got {self.lam}")
        if self.beta < 0:
            raise ValueError(f"beta must be >= 0, got {self.beta}")
        if self.c_delta < 0:
            raise ValueError(f"c_delta must be >= 0, got {self.c_delta}")
        if self.label_map is not None:
            lm = np.asarray(self.label_map, dtype=np.int64)
            if lm.shape != p.shape or lm.min() < 0 or set(lm.tolist()) != set(
                    range(int(lm.max()) + 1)):
                raise ValueError(f"label_map must map the {p.size} components onto 0..C-1")
            object.__setattr__(self, "label_map", lm)
        object.__setattr__(self, "gram", gram)
        object.__setattr__(self, "p", p)

    @property
    def k(self) -> int:
        """Number of mixture components (means)."""
        return self.gram.shape[0]

    @property
    def n_classes(self) -> int:
        """C: number of classes (parameter vectors); k unless a label map is given."""
        return self.k if self.label_map is None else int(self.label_map.max()) + 1

    @property
    def targets(self) -> np.ndarray:
        """(k, C) one-hot targets: row b is e_{c(b)}."""
        if self.label_map is None:
            return np.eye(self.k)
        return np.eye(self.n_classes)[self.label_map]

    @classmethod
    def orthonormal(cls, k: int, lam: float, beta: float, c_delta: float = 1.0,
                    p: np.ndarray | None = None) -> GMMDynamicsParams:
        """Orthonormal means (e.g. mu_i = e_{50 i}, the paper's figures) with uniform p."""
        p = np.full(k, 1.0 / k) if p is None else p
        return cls(gram=np.eye(k), p=p, lam=lam, beta=beta, c_delta=c_delta)


@dataclass(frozen=True)
class EffectiveDynamicsSolution:
    """ODE solution at times t: m (n_t, k, k), R (n_t, k, k), Q = x . x^T (n_t, k, k)."""

    t: np.ndarray
    m: np.ndarray
    R: np.ndarray
    Q: np.ndarray
    # m is (n_t, C, k), R and Q (n_t, C, C) when classes and components differ

    @property
    def norms(self) -> np.ndarray:
        """|x^c| = sqrt(Q_cc), shape (n_t, k)."""
        return np.sqrt(np.einsum("tcc->tc", self.Q))


def antithetic_normals(k: int, n: int, seed: int) -> np.ndarray:
    """(n, k) standard normals in antithetic pairs (xi, -xi); n must be even.

    Fixed once per solve (common random numbers), so Monte Carlo error does not make the ODE's
    right-hand side rough, and odd moments of xi vanish exactly.
    """
    if n <= 0 or n % 2:
        raise ValueError(f"n_mc must be a positive even number, got {n}")
    half = np.random.default_rng(seed).standard_normal((n // 2, k))
    return np.concatenate([half, -half], axis=0)


def gauss_hermite_nodes(dim: int, n: int):
    """Tensor Gauss-Hermite rule for E[f(xi)], xi ~ N(0, I_dim): nodes (n^dim, dim), weights.

    Exact for polynomials of degree < 2n in each coordinate; for the smooth softmax moments of
    the ODE a few nodes per direction beat many Monte Carlo samples.
    """
    from itertools import product

    from numpy.polynomial.hermite_e import hermegauss

    t, w = hermegauss(n)
    w = w / w.sum()
    nodes = np.array(list(product(t, repeat=dim)))
    weights = np.prod(np.array(list(product(w, repeat=dim))), axis=1)
    return nodes, weights


def _gram_matrix_of_iterate(m: np.ndarray, R: np.ndarray, gram: np.ndarray) -> np.ndarray:
    """Q = x x^T = m G^{-1} m^T + R (x^c = sum_a (G^{-1} m_c)_a mu_a + x^c_perp)."""
    return m @ np.linalg.solve(gram, m.T) + R


def logit_samples(m: np.ndarray, Q: np.ndarray, lam: float, normals: np.ndarray) -> np.ndarray:
    """Logit samples z = (x^c . Y)_c under each class b: z_b = m[:, b] + chol(Q / lam) xi.

    Returns (n_classes b, k, n_mc) (samples last, so reductions over classes are vectorised
    across samples). Q is symmetrised; a numerically singular Q falls back to an eigen-root.
    """
    k = Q.shape[0]
    Qs = 0.5 * (Q + Q.T) / lam
    try:
        chol = np.linalg.cholesky(Qs)
    except np.linalg.LinAlgError:
        w, v = np.linalg.eigh(Qs)
        chol = v * np.sqrt(np.clip(w, 0.0, None))
    if normals.shape[1] != k:
        raise ValueError(f"normals must have {k} columns, got {normals.shape[1]}")
    noise = chol @ normals.T  # (k, n)
    return m.T[:, :, None] + noise[None, :, :]


def _softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over axis -2 (the class axis of :func:`logit_samples`)."""
    e = np.exp(z - z.max(axis=-2, keepdims=True))
    e /= e.sum(axis=-2, keepdims=True)
    return e


def softmax_moments(m: np.ndarray, Q: np.ndarray, lam: float, normals: np.ndarray,
                    weights: np.ndarray | None = None):
    """Per-class first and second softmax moments.

    Returns (E_pi, E_pipi): E_pi[b, c] = E_b[pi_c], E_pipi[b, c, e] = E_b[pi_c pi_e]. The
    expectation is the plain mean over ``normals`` or, with ``weights``, the weighted sum (a
    quadrature rule such as :func:`gauss_hermite_nodes`).
    """
    pi = _softmax(logit_samples(m, Q, lam, normals))  # (b, k, n)
    if weights is None:
        n = pi.shape[2]
        return pi.mean(axis=2), np.matmul(pi, pi.transpose(0, 2, 1)) / n
    return pi @ weights, np.matmul(pi * weights, pi.transpose(0, 2, 1))


def drift(m: np.ndarray, R: np.ndarray, params: GMMDynamicsParams, normals: np.ndarray,
          weights: np.ndarray | None = None):
    """Right-hand side (dm/dt, dR/dt) of the effective dynamics (module docstring).

    ``normals`` (n, C) with optional quadrature ``weights`` (n,): see :func:`softmax_moments`.
    """
    p, G, lam = params.p, params.gram, params.lam
    Q = _gram_matrix_of_iterate(m, R, G)
    E_pi, E_pipi = softmax_moments(m, Q, lam, normals, weights)
    T = params.targets                                   # (b, c): 1{c = c(b)}
    # A = sum_b p_b E_b[diag(pi) - pi pi^T]
    A = np.diag(p @ E_pi) - np.einsum("b,bce->ce", p, E_pipi)
    # mean residual E_b[pi_c - 1{c=c(b)}], as (c, b), weighted by p_b, then mapped by the Gram
    resid = (E_pi - T).T * p[None, :]
    dm = -resid @ G - (A @ m) / lam - params.beta * m
    AR = A @ R
    # C = sum_b p_b E_b[(pi - e_c(b))(pi - e_c(b))^T]
    X = E_pi.T @ (p[:, None] * T)
    C = np.einsum("b,bce->ce", p, E_pipi) - X - X.T + T.T @ (p[:, None] * T)
    dR = -2.0 * params.beta * R - (AR + AR.T) / lam + (params.c_delta / lam) * C
    return dm, 0.5 * (dR + dR.T)


def solve_effective_dynamics(
    t_eval: np.ndarray,
    params: GMMDynamicsParams,
    *,
    m0: np.ndarray | None = None,
    R0: np.ndarray | None = None,
    dt: float = 0.05,
    n_mc: int = 20_000,
    seed: int = 0,
    n_gh: int | None = None,
) -> EffectiveDynamicsSolution:
    """Integrate the effective dynamics by fixed-step RK4 and report the state at t_eval.

    Default initial condition is the d -> infinity limit of x_0 ~ N(0, I_d / d): m = 0, R = I.
    Each interval between consecutive output times is split into ceil(gap / dt) equal steps.
    The Gaussian expectations use ``n_mc`` antithetic Monte Carlo samples, or with ``n_gh`` a
    tensor Gauss-Hermite rule of ``n_gh`` nodes per logit direction (:func:`gauss_hermite_nodes`).
    m has shape (C, k) and R (C, C) (C = k without a label map).
    """
    k, C = params.k, params.n_classes
    t_eval = np.asarray(t_eval, dtype=float)
    if t_eval.ndim != 1 or t_eval.size == 0 or t_eval[0] < 0 or np.any(np.diff(t_eval) < 0):
        raise ValueError("t_eval must be a non-empty, non-decreasing array of times >= 0")
    if not dt > 0:
        raise ValueError(f"dt must be > 0, got {dt}")
    m = np.zeros((C, k)) if m0 is None else np.array(m0, dtype=float)
    R = np.eye(C) if R0 is None else np.array(R0, dtype=float)
    if m.shape != (C, k) or R.shape != (C, C):
        raise ValueError(f"m0 and R0 must have shapes ({C}, {k}) and ({C}, {C})")
    if n_gh is None:
        normals, weights = antithetic_normals(C, n_mc, seed), None
    else:
        normals, weights = gauss_hermite_nodes(C, n_gh)

    def f(state):
        dm, dR = drift(np.ascontiguousarray(state[:, :k]), np.ascontiguousarray(state[:, k:]),
                       params, normals, weights)
        return np.concatenate([dm, dR], axis=1)

    state = np.concatenate([m, R], axis=1)                 # (C, k + C)
    out = np.empty((t_eval.size, C, k + C))
    t = 0.0
    for i, t_next in enumerate(t_eval):
        gap = t_next - t
        n_steps = int(np.ceil(gap / dt - 1e-12)) if gap > 0 else 0
        h = gap / n_steps if n_steps else 0.0
        for _ in range(n_steps):
            k1 = f(state)
            k2 = f(state + 0.5 * h * k1)
            k3 = f(state + 0.5 * h * k2)
            k4 = f(state + h * k3)
            state = state + (h / 6.0) * (k1 + 2 * k2 + 2 * k3 + k4)
        t = t_next
        out[i] = state
    m_t, R_t = out[:, :, :k], out[:, :, k:]
    Q_t = np.stack([_gram_matrix_of_iterate(a, b, params.gram) for a, b in zip(m_t, R_t)])
    return EffectiveDynamicsSolution(t=t_eval.copy(), m=m_t, R=R_t, Q=Q_t)


def summary_statistics(x: np.ndarray, means: np.ndarray):
    """(m, R) of iterates x (..., k, d) for means (n, d): m = x mu^T, R = x_perp x_perp^T.

    x_perp = x - (m G^{-1}) mu removes the component in span(mu). Vectorised over leading axes
    (checkpoints, seeds).
    """
    x = np.asarray(x, dtype=float)
    means = np.asarray(means, dtype=float)
    if x.shape[-1] != means.shape[-1]:
        raise ValueError(f"x has dimension {x.shape[-1]}, means have {means.shape[-1]}")
    G = means @ means.T
    m = x @ means.T
    coef = np.linalg.solve(G, np.swapaxes(m, -1, -2))  # (..., n, k)
    x_perp = x - np.swapaxes(coef, -1, -2) @ means
    return m, x_perp @ np.swapaxes(x_perp, -1, -2)


def block_weight_samples(m: np.ndarray, Q: np.ndarray, params: GMMDynamicsParams, c: int,
                         kind: str, normals: np.ndarray):
    """Samples of the per-sample weight of the (c, c) block and their probabilities.

    kind "hessian": w = pi_c (1 - pi_c) (block (1/M) sum_j w_j Y_j Y_j^T + beta I);
    kind "g": w = (pi_c - y_c)^2 (G-matrix block without the ridge term).
    Returns (w, prob), flat arrays; prob_{b, j} = p_b / n_mc, so E[f(w)] = sum prob f(w).
    """
    pi = _softmax(logit_samples(m, Q, params.lam, normals))[:, c, :]  # (b, n)
    if kind == "hessian":
        w = pi * (1.0 - pi)
    elif kind == "g":
        y = params.targets[:, c][:, None]
        w = (pi - y) ** 2
    else:
        raise ValueError(f"kind must be 'hessian' or 'g', got {kind!r}")
    prob = np.repeat(params.p / pi.shape[1], pi.shape[1])
    return w.ravel(), prob


def weighted_mp_right_edge(w: np.ndarray, prob: np.ndarray, gamma: float,
                           sigma2: float) -> float:
    """Right edge of the limiting spectrum of S = (1/M) sum_j w_j z_j z_j^T, z_j ~ N(0, sigma2 I_d).

    gamma = d / M; w_j i.i.d. from the discrete law (w, prob), independent of z_j. By Silverstein's
    equation for the companion matrix, S / (sigma2 gamma) has Stieltjes inverse
    z(s) = -1/s + (1/gamma) E[w / (1 + w s)]; the right edge is z(s*) at the critical point
    s* in (-1/max w, 0), where 1/s^2 = (1/gamma) E[w^2 / (1 + w s)^2].
    Check: w = 1 gives sigma2 (1 + sqrt(gamma))^2.
    """
    w = np.asarray(w, dtype=float)
    prob = np.asarray(prob, dtype=float)
    if not gamma > 0 or not sigma2 > 0:
        raise ValueError("gamma and sigma2 must be > 0")
    keep = w > 0
    w, prob = w[keep], prob[keep] / prob[keep].sum()
    c = 1.0 / gamma
    wmax = w.max()

    def crit(s):
        return 1.0 / s**2 - c * np.sum(prob * w**2 / (1.0 + w * s) ** 2)

    # crit -> +inf as s -> 0-, and -> -inf at the pole -1/max w (the largest weight is an atom
    # of the discrete law), so the bracket holds a sign change
    lo_end = -1.0 / wmax
    s_star = brentq(crit, lo_end * (1 - 1e-12), lo_end * 1e-6, xtol=1e-14 * abs(lo_end),
                    maxiter=500)
    z = -1.0 / s_star + c * np.sum(prob * w / (1.0 + w * s_star))
    return float(sigma2 * gamma * z)


def bulk_edge_track(sol: EffectiveDynamicsSolution, params: GMMDynamicsParams, c: int,
                    kind: str, gamma: float, *, n_mc: int = 20_000, seed: int = 1) -> np.ndarray:
    """Predicted right bulk edge of the (c, c) Hessian / G block at each ODE time.

    edge(t) = weighted_mp_right_edge(weights at t, gamma = d / M_test, sigma2 = 1 / lam)
    (+ beta for the Hessian, whose block carries + beta I). gamma should use the bulk dimension
    d - 2k (the complement of span(mu, x)).
    """
    normals = antithetic_normals(params.n_classes, n_mc, seed)
    shift = params.beta if kind == "hessian" else 0.0
    out = np.empty(sol.t.size)
    for i in range(sol.t.size):
        w, prob = block_weight_samples(sol.m[i], sol.Q[i], params, c, kind, normals)
        out[i] = weighted_mp_right_edge(w, prob, gamma, 1.0 / params.lam) + shift
    return out


def population_accuracy(m: np.ndarray, Q: np.ndarray, params: GMMDynamicsParams,
                        normals: np.ndarray) -> np.ndarray:
    """Test accuracy of classifiers with summary statistics ``m`` (..., C, k) and
    ``Q = x x^T`` (..., C, C) on fresh samples (an infinite test set):
    sum_b p_b P_b(argmax_c z_c = c(b)), z ~ N(m[:, b], Q / lam) under component b (the logits
    x^c . Y of a sample Y = mu_b + Z are exactly Gaussian).

    Conditional Monte Carlo: with the target logit t = c(b) last in the Cholesky factor L of
    Q / lam, z_t = m_tb + L_t,<t xi + L_tt eta with eta ~ N(0, 1) independent of the other
    C - 1 logits, so P_b(z_t > max_{c != t} z_c | xi) = Phi((m_tb + L_t,<t xi - max_{c != t}
    z_c) / L_tt), averaged over ``normals`` xi (n, C - 1). The estimate is a smooth function of
    (m, Q): with the same normals, the accuracies of nearby classifiers differ by far less
    Monte Carlo noise than indicator counts would give. Vectorised over leading axes.
    """
    from scipy.special import ndtr

    m = np.asarray(m, dtype=float)
    Q = np.asarray(Q, dtype=float)
    C, k = params.n_classes, params.k
    if m.shape[-2:] != (C, k) or Q.shape[-2:] != (C, C):
        raise ValueError(f"m must be (..., {C}, {k}) and Q (..., {C}, {C})")
    if normals.shape[1] != C - 1:
        raise ValueError(f"normals must have C - 1 = {C - 1} columns, got {normals.shape[1]}")
    labels = np.arange(k) if params.label_map is None else params.label_map
    out = np.zeros(m.shape[:-2])
    for t in range(C):
        perm = np.r_[np.delete(np.arange(C), t), t]
        S = 0.5 * (Q + np.swapaxes(Q, -1, -2))[..., perm[:, None], perm] / params.lam
        L = np.linalg.cholesky(S)
        others = L[..., :-1, :-1] @ normals.T                           # (..., C-1, n)
        target = np.einsum("...j,nj->...n", L[..., -1, :-1], normals)  # (..., n)
        for b in np.flatnonzero(labels == t):
            mb = m[..., perm, b]
            top = (mb[..., :-1, None] + others).max(axis=-2)
            z = (mb[..., -1:] + target - top) / L[..., -1, -1:]
            out += params.p[b] * ndtr(z).mean(axis=-1)
    return out


def predicted_accuracy(sol: EffectiveDynamicsSolution, params: GMMDynamicsParams, *,
                       n_mc: int = 20_000, seed: int = 2) -> np.ndarray:
    """Test accuracy implied by the ODE's summary statistics at each time:
    :func:`population_accuracy` with ``n_mc`` antithetic normals."""
    normals = antithetic_normals(params.n_classes - 1, n_mc, seed)
    return population_accuracy(sol.m, sol.Q, params, normals)
