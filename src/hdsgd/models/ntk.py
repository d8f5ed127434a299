"""Empirical NTK of a one-hidden-layer ReLU network, its spectrum and power-law fits.

Network in the NTK parametrisation used in the paper's experiments (arXiv 2206.11124, App. F;
width m, input dimension d, all weights drawn i.i.d. N(0, 1)):

    f(x; W, b, a) = m^{-1/2} sum_j a_j relu(h_j(x)),     h_j(x) = d^{-1/2} w_j . x + b_j .

Its Jacobian rows, with D_ij = 1[h_j(x_i) > 0]:

    df/dW_jk = a_j D_ij x_k / sqrt(m d),   df/db_j = a_j D_ij / sqrt(m),
    df/da_j = relu(h_ij) / sqrt(m)

and the empirical NTK ``K = J J^T`` in closed form (never materialising J, which has m(d+2)
columns):

    K = (1/m) [ relu(H) relu(H)^T + ((D*a)(D*a)^T) o (X X^T / d + 1) ]        (o: entrywise).

The linearised model trained on ``L = 1/(2N) |f - y|^2`` is the quadratic problem of the paper
(Sec. 2) with Hessian ``H = J^T J / N`` whose non-zero eigenvalues are those of ``K / N``. For the
loss ``L = 1/(2N) |r|^2`` of a residual ``r`` we write ``r`` in the eigenbasis ``u_k`` of ``K``:
``L = 1/2 sum_k p_k`` with loss components ``p_k = (u_k . r)^2 / N``; the squared
parameter-space error components of the SE theory are ``c_k = p_k / lambda_k``.

Power laws (paper Sec. 6, eq. 25): ``lambda_k ~ Lambda k^{-nu}`` and the tail sums of the
loss components ``S_k = sum_{l >= k} p_l ~ K k^{-kappa}``; in the signal-dominated phase the
loss then decays as ``L_t ~ t^{-zeta}`` with ``zeta = kappa / nu`` (eq. 28a).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def init_two_layer(d: int, width: int, seed: int) -> dict[str, np.ndarray]:
    """Standard-normal initial parameters ``W`` (m, d), ``b`` (m,), ``a`` (m,)."""
    if d < 1 or width < 1:
        raise ValueError(f"need d >= 1 and width >= 1, got d={d}, width={width}")
    rng = np.random.default_rng(seed)
    return {
        "W": rng.standard_normal((width, d)),
        "b": rng.standard_normal(width),
        "a": rng.standard_normal(width),
    }


def preactivations(params: dict, X: np.ndarray) -> np.ndarray:
    """``H_ij = d^{-1/2} w_j . x_i + b_j``, shape (N, m)."""
    d = params["W"].shape[1]
    return X @ params["W"].T / np.sqrt(d) + params["b"]


def forward(params: dict, X: np.ndarray) -> np.ndarray:
    """Network outputs ``f(x_i)`` for the rows of ``X``, shape (N,)."""
    m = params["a"].shape[0]
    return np.maximum(preactivations(params, X), 0.0) @ params["a"] / np.sqrt(m)


def jacobian(params: dict, X: np.ndarray) -> np.ndarray:
    """Dense Jacobian ``J`` (N, m d + 2 m) with columns ordered [W (row-major), b, a].

    Only for small networks (tests); use :func:`empirical_ntk` for the kernel."""
    m, d = params["W"].shape
    H = preactivations(params, X)
    Da = (H > 0) * params["a"] / np.sqrt(m)  # (N, m)
    JW = (Da[:, :, None] * X[:, None, :] / np.sqrt(d)).reshape(X.shape[0], m * d)
    return np.hstack([JW, Da, np.maximum(H, 0.0) / np.sqrt(m)])


def flatten_params(params: dict) -> np.ndarray:
    """Parameters as one vector in the column order of :func:`jacobian`."""
    return np.concatenate([params["W"].ravel(), params["b"], params["a"]])


def unflatten_params(theta: np.ndarray, width: int, d: int) -> dict[str, np.ndarray]:
    """Inverse of :func:`flatten_params`."""
    md = width * d
    return {
        "W": theta[:md].reshape(width, d),
        "b": theta[md : md + width],
        "a": theta[md + width : md + 2 * width],
    }


def empirical_ntk(params: dict, X: np.ndarray, block: int = 2048) -> np.ndarray:
    """``K = J J^T`` by the closed form in the module docstring, shape (N, N).

    Row blocks of ``block`` points bound the memory of the (block, m) intermediates."""
    m, d = params["W"].shape
    H = preactivations(params, X)
    Phi = np.maximum(H, 0.0)
    Da = (H > 0) * params["a"]
    K = np.empty((X.shape[0], X.shape[0]))
    for s in range(0, X.shape[0], block):
        sl = slice(s, s + block)
        K[sl] = (Phi[sl] @ Phi.T + (Da[sl] @ Da.T) * (X[sl] @ X.T / d + 1.0)) / m
    return 0.5 * (K + K.T)


@dataclass
class KernelSpectrum:
    """Spectrum of ``K / N`` (descending), eigenvectors (columns of ``U``), loss components."""

    eigvals: np.ndarray  # lambda_k of K/N (= non-zero Hessian eigenvalues), descending
    U: np.ndarray  # (N, N) orthonormal eigenvectors of K
    loss_components: np.ndarray  # p_k = (u_k . r)^2 / N, so that L = 1/2 sum_k p_k

    @property
    def coeffs(self) -> np.ndarray:
        """Squared parameter-space error components ``c_k = p_k / lambda_k`` (0 where
        ``lambda_k = 0``), so that ``L = 1/2 sum_k lambda_k c_k``."""
        lam = self.eigvals
        out = np.zeros_like(lam)
        pos = lam > 0
        out[pos] = self.loss_components[pos] / lam[pos]
        return out


def kernel_spectrum(K: np.ndarray, residual: np.ndarray) -> KernelSpectrum:
    """Eigendecomposition of ``K / N`` and the loss components of ``residual = f_0 - y``.

    Tiny negative eigenvalues from round-off are clipped to 0."""
    N = K.shape[0]
    if K.shape != (N, N) or residual.shape != (N,):
        raise ValueError(f"K must be (N, N) and residual (N,), got {K.shape}, {residual.shape}")
    lam, U = np.linalg.eigh(K / N)
    lam, U = np.clip(lam[::-1], 0.0, None), U[:, ::-1]
    return KernelSpectrum(lam, U, (U.T @ residual) ** 2 / N)


def fit_power_law(values: np.ndarray, k_min: int, k_max: int) -> tuple[float, float]:
    """Least-squares fit of ``values_k ~ A k^{-exponent}`` on ranks ``k_min..k_max``
    (1-based, inclusive) in log-log coordinates. Returns ``(A, exponent)``."""
    values = np.asarray(values, dtype=float)
    if not 1 <= k_min < k_max <= values.size:
        raise ValueError(f"need 1 <= k_min < k_max <= {values.size}, got {k_min}, {k_max}")
    k = np.arange(k_min, k_max + 1)
    v = values[k_min - 1 : k_max]
    if np.any(v <= 0):
        raise ValueError("power-law fit needs positive values on the fitted range")
    slope, intercept = np.polyfit(np.log(k), np.log(v), 1)
    return float(np.exp(intercept)), float(-slope)


def power_law_r2(values: np.ndarray, k_min: int, k_max: int, A: float, exponent: float) -> float:
    """Coefficient of determination of ``log values_k ~ log A - exponent log k`` on ranks
    ``k_min..k_max``: 1 - (residual variance) / (variance of log values)."""
    k = np.arange(k_min, k_max + 1)
    logv = np.log(np.asarray(values, dtype=float)[k_min - 1 : k_max])
    resid = logv - (np.log(A) - exponent * np.log(k))
    return float(1.0 - resid.var() / logv.var())


def loss_tail(loss_components: np.ndarray) -> np.ndarray:
    """``S_k = sum_{l >= k} p_l`` (k = 1..N): the part of the initial loss (x2) that lives on
    eigen-directions of rank k and higher."""
    return np.cumsum(loss_components[::-1])[::-1]


@dataclass
class KernelProblem:
    """A real-data least-squares problem in the paper's normalised units.

    ``gram`` = K / lambda_max and ``eigvals`` = eigenvalues of K / N divided by lambda_max, so
    the top Hessian eigenvalue is 1 (the paper's normalisation of its NTK experiments);
    ``loss_components`` p_k with L_0 = 1/2 sum_k p_k; ``r0`` = f_0 - y; ``lambda_max`` is the
    raw top eigenvalue of K / N (the network's raw step is alpha / lambda_max)."""

    gram: np.ndarray
    eigvals: np.ndarray
    loss_components: np.ndarray
    r0: np.ndarray
    lambda_max: float

    @property
    def coeffs(self) -> np.ndarray:
        """SE-theory c_k = p_k / lambda_k (normalised units; 0 on zero eigenvalues)."""
        return KernelSpectrum(self.eigvals, np.empty((0, 0)), self.loss_components).coeffs


def kernel_problem(K: np.ndarray, r0: np.ndarray) -> KernelProblem:
    """Normalise the kernel problem ``(K, r0)`` so that the top eigenvalue of K / N is 1.

    Eigenvalues below the eigensolver's round-off level N eps (eps = float64 machine epsilon,
    relative to lambda_max = 1) cannot be told from 0; they are set to that level, so that their
    loss components (which no SGD step reduces measurably: alpha lambda T << 1) stay in the
    loss of the SE theory, whose parameter-space form needs lambda > 0."""
    spec = kernel_spectrum(K, r0)
    lam_max = float(spec.eigvals[0])
    if lam_max <= 0:
        raise ValueError("kernel has no positive eigenvalue")
    floor = K.shape[0] * np.finfo(float).eps
    eigvals = np.maximum(spec.eigvals / lam_max, floor)
    return KernelProblem(K / lam_max, eigvals, spec.loss_components, r0, lam_max)
