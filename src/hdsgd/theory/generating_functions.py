"""Spectrally-expressible (SE) second-moment dynamics of mini-batch heavy-ball SGD and its
generating functions (Velikanov, Kuznedelev, Yarotsky, arXiv 2206.11124, Sections 3-4).

Problem: quadratic loss L(w) = (1/2N) sum_i (<psi_i, w> - y_i)^2 with a realisable target,
Hessian H = (1/N) sum_i psi_i psi_i^T with eigenpairs (lambda_k, e_k). Heavy-ball SGD with a
batch of b distinct points drawn uniformly from N at every step (paper eq. 1):

    w_{t+1} = w_t + v_{t+1},    v_{t+1} = -alpha grad L_{B_t}(w_t) + beta v_t.

Second moments (Prop. 1). The gradient noise of a batch drawn without replacement has covariance
gamma * Sigma(C) with gamma = (N - b) / (b (N - 1)) (gamma = 1/b for N = infinity) and
Sigma(C) = (1/N) sum_i psi_i psi_i^T <psi_i, C psi_i> - H C H, C = E[(w - w*)(w - w*)^T].
The SE approximation (paper eq. 7) replaces Sigma by

    Sigma_SE(C) = tau1 Tr[H C] H - tau2 H C H,

exact in expectation for Gaussian features with (tau1, tau2) = (1, -1) and for translation-
invariant models with (1, 1). Under SE the diagonal blocks decouple per eigenvalue: with
x_k = alpha lambda_k and M_k = E[(dw_k, v_k)^T (dw_k, v_k)] = [[c11, c12], [c12, c22]],

    M_k(t+1) = R_k M_k R_k^T + alpha^2 gamma (tau1 lambda_k sigma_t - tau2 lambda_k^2 c11_k) E,
    R_k = [[1 - x_k, beta], [-x_k, beta]],   E = [[1, 1], [1, 1]],   sigma_t = sum_l lambda_l c11_l,

and the loss is L_t = sigma_t / 2. Normalisation used throughout this module: ``coeffs[k]`` is
c_k = E[<w_0 - w*, e_k>^2] (the initial error's squared component in the Hessian eigenbasis),
v_0 = 0, so L_0 = (1/2) sum_k lambda_k c_k. For a kernel (function-space) problem with residual
r = f(x_i) - y_i and Gram matrix K = J J^T with eigenvalues N lambda_k and eigenvectors u_k:
c_k = <u_k, r_0>^2 / (N lambda_k), i.e. L_0 = |r_0|^2 / (2N).

Generating functions (paper eqs. 16-20). Write B_k for the linear map of the per-eigenvalue
recursion without the tau1 term, acting on (c11, c12, c22). Then with D_k(z) = det(1 - z B_k),

    D_k(z) = 1 + d1 z + d2 z^2 + d3 z^3,
      d1 = -(1 + beta + beta^2) + 2 x (1 + beta) - x^2 (1 - gamma tau2),
      d2 = beta (1 + beta + beta^2 - 2 x (1 + beta) + x^2 (1 + gamma tau2)),
      d3 = -beta^3,
    [(1 - z B_k)^{-1} E]_11        = (1 + beta z) / D_k(z),
    [(1 - z B_k)^{-1} diag(1,0)]_11 = (1 - beta (1 + beta - 2x) z + beta^3 z^2) / D_k(z),

(derived symbolically once, checked against the iterated recursion in the tests) and

    U(z) = sum_k gamma tau1 alpha^2 lambda_k^2 z (1 + beta z) / D_k(z)             (noise GF)
    V(z) = (1/2) sum_k lambda_k c_k (1 - beta (1 + beta - 2 x_k) z + beta^3 z^2) / D_k(z)
                                                                                  (signal GF)
    L~(z) = sum_t L_t z^t = V(z) / (1 - U(z)).

At z = 1 (with D_k(1) = x_k (2 (1 - beta^2) - x_k (1 - beta) + gamma tau2 x_k (1 + beta))):

    U(1) = sum_k gamma tau1 alpha lambda_k (1 + beta)
           / (2 (1 - beta^2) - x_k (1 - beta) + gamma tau2 x_k (1 + beta)).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

__all__ = [
    "sampling_noise_factor",
    "se_loss_curve",
    "SEGridResult",
    "se_loss_grid",
    "se_mode_polynomial",
    "lemma1_numerator",
    "noise_gf",
    "signal_gf",
    "loss_gf",
    "noise_gf_at_one",
    "signal_gf_at_one",
]


def sampling_noise_factor(batch_size, n_data=None):
    """gamma = (N - b) / (b (N - 1)) for b distinct points out of N (Prop. 1); 1/b if N is None.

    Raises ValueError unless 1 <= b <= N (gamma = 0 at b = N: full-batch GD, no noise).
    """
    b = np.asarray(batch_size, dtype=float)
    if np.any(b < 1):
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    if n_data is None or not np.isfinite(n_data):
        return 1.0 / b
    n = float(n_data)
    if np.any(b > n):
        raise ValueError(f"batch_size {batch_size} exceeds n_data {n_data}")
    if n == 1:
        return np.zeros_like(b)
    return (n - b) / (b * (n - 1.0))


def _as_spectrum(eigvals, coeffs=None):
    lam = np.asarray(eigvals, dtype=float).ravel()
    if lam.size == 0 or np.any(lam < 0) or not np.all(np.isfinite(lam)):
        raise ValueError("eigvals must be a non-empty array of finite non-negative numbers")
    if coeffs is None:
        return lam, None
    c = np.asarray(coeffs, dtype=float).ravel()
    if c.shape != lam.shape:
        raise ValueError(f"coeffs shape {c.shape} differs from eigvals shape {lam.shape}")
    if np.any(c < 0):
        raise ValueError("coeffs are squared components and must be non-negative")
    return lam, c


def se_loss_curve(eigvals, coeffs, *, alpha, beta, batch_size, n_data, tau1, tau2, n_steps):
    """Loss L_t, t = 0..n_steps, of the SE second-moment recursion (paper eqs. 7-9).

    ``eigvals``: Hessian eigenvalues lambda_k (for a kernel problem: eigenvalues of K / N).
    ``coeffs``: c_k = E[<w_0 - w*, e_k>^2], so that L_0 = 1/2 sum_k lambda_k c_k (see module
    docstring for the function-space conversion c_k = <u_k, r_0>^2 / (N lambda_k)).
    ``alpha``, ``beta``: scalars or broadcastable arrays (a whole grid is iterated at once);
    the result has shape ``broadcast(alpha, beta).shape + (n_steps + 1,)``.
    ``n_data=None`` means sampling from an infinite population (gamma = 1/b).
    Divergent settings give growing (possibly inf) values, never an exception.
    """
    lam, c = _as_spectrum(eigvals, coeffs)
    gamma = sampling_noise_factor(batch_size, n_data)
    a, bt = np.broadcast_arrays(np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float))
    shape = a.shape
    a = a.reshape(-1, 1)
    bt = bt.reshape(-1, 1)
    x = a * lam                                  # (G, K)
    c11 = np.broadcast_to(c, x.shape).copy()
    c12 = np.zeros_like(c11)
    c22 = np.zeros_like(c11)
    noise_coef = gamma * a**2 * lam              # alpha^2 gamma lambda_k
    loss = np.empty((a.shape[0], n_steps + 1))
    with np.errstate(over="ignore", invalid="ignore"):
        sigma = c11 @ lam
        loss[:, 0] = 0.5 * sigma
        for t in range(1, n_steps + 1):
            q = noise_coef * (tau1 * sigma[:, None] - tau2 * lam * c11)
            u = (1 - x) * c11 + bt * c12         # (R M)_11 pieces
            w = (1 - x) * c12 + bt * c22         # (R M)_12
            n11 = (1 - x) * u + bt * w + q
            n12 = -x * u + bt * w + q
            n22 = -x * (-x * c11 + bt * c12) + bt * (-x * c12 + bt * c22) + q
            c11, c12, c22 = n11, n12, n22
            sigma = c11 @ lam
            loss[:, t] = 0.5 * sigma
    loss[np.isnan(loss)] = np.inf                # overflowed (inf - inf) runs: diverged
    return loss.reshape(shape + (n_steps + 1,))


@dataclass
class SEGridResult:
    """SE losses (G, R) at ``steps`` (R,) for G configurations; ``diverged_step`` (G,) is the
    first step whose loss exceeded the divergence limit or was not finite (-1: never); recorded
    losses from that step on are ``inf``."""

    steps: np.ndarray
    losses: np.ndarray
    diverged_step: np.ndarray

    @property
    def diverged(self) -> np.ndarray:
        return self.diverged_step >= 0


@functools.cache
def _grid_kernel():
    """Compile (once per process; numba caches the machine code on disk) the SE grid kernel.

    Per configuration the recursion is run as the exact cubic recurrence that Cayley-Hamilton
    gives for the loss weight e_k(t) = lambda_k c11_k(t) of each mode (see :func:`se_loss_grid`).
    The modes' state (3 previous values, 3 coefficients) stays in L1/L2 cache while the
    configuration's 10^4 steps run, the loop over modes is SIMD-vectorised, and a diverged
    configuration stops at once."""
    import numba

    @numba.njit(cache=True, fastmath={"reassoc", "contract"})
    def kernel(lam, coef, alphas, betas, gamma, tau1, tau2, record, limit, out, div_step):
        n_modes = lam.size
        e1 = np.empty(n_modes)          # e(t - 1)
        e2 = np.empty(n_modes)          # e(t - 2)
        e3 = np.empty(n_modes)          # e(t - 3)
        d1 = np.empty(n_modes)
        d2 = np.empty(n_modes)
        w = np.empty(n_modes)
        c11 = np.empty(n_modes)
        c12 = np.empty(n_modes)
        c22 = np.empty(n_modes)
        n_rec = record.size
        t_max = record[n_rec - 1]
        for g in range(alphas.size):
            a = alphas[g]
            b = betas[g]
            gt = gamma * tau2
            sig = 0.0
            for k in range(n_modes):
                x = a * lam[k]
                d1[k] = -(1.0 + b + b * b) + 2.0 * x * (1.0 + b) - x * x * (1.0 - gt)
                d2[k] = b * (1.0 + b + b * b - 2.0 * x * (1.0 + b) + x * x * (1.0 + gt))
                w[k] = gamma * tau1 * a * a * lam[k] * lam[k]
                c11[k] = coef[k]
                c12[k] = 0.0
                c22[k] = 0.0
                e3[k] = lam[k] * coef[k]
                sig += e3[k]
            # losses L_{t-1}, L_{t-2} of the running step; steps 1 and 2 by the 3x3 map
            hist = np.empty(3)
            hist[0] = 0.5 * sig
            j = 0
            alive = True
            for t in range(0, min(2, t_max) + 1):
                if t > 0:
                    new_sig = 0.0
                    for k in range(n_modes):
                        x = a * lam[k]
                        q = gamma * a * a * lam[k] * (tau1 * sig - tau2 * lam[k] * c11[k])
                        u = (1.0 - x) * c11[k] + b * c12[k]
                        v = (1.0 - x) * c12[k] + b * c22[k]
                        n11 = (1.0 - x) * u + b * v + q
                        n12 = -x * u + b * v + q
                        n22 = (-x * (-x * c11[k] + b * c12[k]) + b * (-x * c12[k] + b * c22[k])
                               + q)
                        c11[k] = n11
                        c12[k] = n12
                        c22[k] = n22
                        if t == 1:
                            e2[k] = lam[k] * n11
                        else:
                            e1[k] = lam[k] * n11
                        new_sig += lam[k] * n11
                    sig = new_sig
                    hist[t] = 0.5 * sig
                loss = hist[t]
                if not (loss <= limit):
                    div_step[g] = t
                    alive = False
                    break
                while j < n_rec and record[j] == t:
                    out[g, j] = loss
                    j += 1
            if alive and t_max >= 3:
                b3 = b * b * b
                prev1 = hist[2]
                prev2 = hist[1]
                for t in range(3, t_max + 1):
                    force = 2.0 * prev1 + 2.0 * b * prev2
                    s = 0.0
                    for k in range(n_modes):
                        en = -d1[k] * e1[k] - d2[k] * e2[k] + b3 * e3[k] + w[k] * force
                        e3[k] = en
                        s += en
                    e1, e2, e3 = e3, e1, e2
                    prev2 = prev1
                    prev1 = 0.5 * s
                    if not (prev1 <= limit):
                        div_step[g] = t
                        alive = False
                        break
                    while j < n_rec and record[j] == t:
                        out[g, j] = prev1
                        j += 1
            while j < n_rec:
                out[g, j] = np.inf
                j += 1

    return kernel


def se_loss_grid(eigvals, coeffs, alphas, betas, *, batch_size, n_data, tau1, tau2,
                 record_steps, diverge_factor=np.inf, progress=None, chunk=64) -> SEGridResult:
    """SE losses L_t at ``record_steps`` for every (alphas[g], betas[g]): a compiled kernel.

    Same dynamics as :func:`se_loss_curve` (paper eqs. 7-11), rewritten exactly for speed.
    With A_k the 3x3 per-mode map (without the trace noise) and D_k(z) = det(1 - z A_k) =
    1 + d1 z + d2 z^2 + d3 z^3, Cayley-Hamilton turns x_{t+1} = A_k x_t + q_t (1, 1, 1) into a
    recurrence for the loss weight e_k(t) = lambda_k c11_k(t) alone, valid for t >= 3:

        e_k(t) = -d1 e_k(t-1) - d2 e_k(t-2) + beta^3 e_k(t-3)
                 + gamma tau1 alpha^2 lambda_k^2 (2 L_{t-1} + 2 beta L_{t-2}),

    L_t = 1/2 sum_k e_k(t), because e1^T (A_k + d1) 1 = beta and e1^T (A_k^2 + d1 A_k + d2) 1 = 0
    (the numerator 1 + beta z of U~_k(z) = (1 + beta z) / D_k(z)). Steps 1 and 2 use the 3x3 map.
    Five flops per mode and step instead of about twenty. ``alphas``, ``betas``: equal-length
    1-D arrays; ``record_steps`` increasing, starting at >= 0; a configuration whose loss
    exceeds ``diverge_factor * L_0`` (or is not finite) stops and records ``inf`` from then on.
    ``progress``: optional object with ``update(n)`` called per chunk of configurations.
    """
    lam, c = _as_spectrum(eigvals, coeffs)
    gamma = float(sampling_noise_factor(batch_size, n_data))
    alphas = np.ascontiguousarray(np.asarray(alphas, dtype=float).ravel())
    betas = np.ascontiguousarray(np.asarray(betas, dtype=float).ravel())
    if alphas.shape != betas.shape:
        raise ValueError("alphas and betas must have the same length")
    steps = np.asarray(record_steps, dtype=np.int64)
    if steps.ndim != 1 or steps.size == 0 or steps[0] < 0 or np.any(np.diff(steps) <= 0):
        raise ValueError("record_steps must be increasing non-negative integers")
    limit = float(diverge_factor) * 0.5 * float(lam @ c)
    out = np.empty((alphas.size, steps.size))
    div = np.full(alphas.size, -1, dtype=np.int64)
    kernel = _grid_kernel()
    for s in range(0, alphas.size, chunk):
        sl = slice(s, s + chunk)
        kernel(lam, c, alphas[sl], betas[sl], gamma, float(tau1), float(tau2), steps, limit,
               out[sl], div[sl])
        if progress is not None:
            progress.update(min(chunk, alphas.size - s))
    return SEGridResult(steps, out, div)


def se_mode_polynomial(x, beta, gamma, tau2):
    """Coefficients (d1, d2, d3) of D_k(z) = det(1 - z B_k) = 1 + d1 z + d2 z^2 + d3 z^3."""
    x = np.asarray(x, dtype=float)
    beta = np.asarray(beta, dtype=float)
    d1 = -(1 + beta + beta**2) + 2 * x * (1 + beta) - x**2 * (1 - gamma * tau2)
    d2 = beta * (1 + beta + beta**2 - 2 * x * (1 + beta) + x**2 * (1 + gamma * tau2))
    d3 = -(beta**3) + 0 * x
    return d1, d2, d3


def lemma1_numerator(a, beta, z):
    """R1(a, beta, z): numerator of d/dz (z U~(z)) with U~ = (1 + beta z) / S (paper App. E.2,
    eq. 121; independent of g). Lemma 1.3: R1 >= 0 for -1 < beta < 1, 0 < a < 2 (1 + beta),
    0 < z < 1."""
    b = beta
    return (-2 * a**2 * b * z**2 + 4 * a * b**2 * z**2 + 4 * a * b * z**2 + b**4 * z**4
            + 2 * b**3 * z**3 - 2 * b**3 * z**2 - 2 * b**2 * z**2 - 2 * b * z**2 + 2 * b * z + 1)


def _mode_terms(z, lam, alpha, beta, gamma, tau2):
    """Broadcast z (..., 1) against the spectrum (K,); returns x, D_k(z)."""
    x = alpha * lam
    d1, d2, d3 = se_mode_polynomial(x, beta, gamma, tau2)
    den = 1 + d1 * z + d2 * z**2 + d3 * z**3
    return x, den


def noise_gf(z, eigvals, *, alpha, beta, batch_size, n_data, tau1, tau2):
    """U(z) = sum_k gamma tau1 alpha^2 lambda_k^2 z (1 + beta z) / D_k(z) (paper eq. 17).

    ``z`` (real or complex) is an array of any shape; alpha, beta are scalars.
    """
    lam, _ = _as_spectrum(eigvals)
    gamma = sampling_noise_factor(batch_size, n_data)
    zz = np.asarray(z)[..., None]
    _, den = _mode_terms(zz, lam, alpha, beta, gamma, tau2)
    return np.sum(gamma * tau1 * alpha**2 * lam**2 * zz * (1 + beta * zz) / den, axis=-1)


def signal_gf(z, eigvals, coeffs, *, alpha, beta, batch_size, n_data, tau2):
    """V(z) = 1/2 sum_k lambda_k c_k (1 - beta (1 + beta - 2 x_k) z + beta^3 z^2) / D_k(z).

    The loss of the SE dynamics with the tau1 (trace) noise switched off; eq. 18.
    """
    lam, c = _as_spectrum(eigvals, coeffs)
    gamma = sampling_noise_factor(batch_size, n_data)
    zz = np.asarray(z)[..., None]
    x, den = _mode_terms(zz, lam, alpha, beta, gamma, tau2)
    num = 1 - beta * (1 + beta - 2 * x) * zz + beta**3 * zz**2
    return 0.5 * np.sum(lam * c * num / den, axis=-1)


def loss_gf(z, eigvals, coeffs, *, alpha, beta, batch_size, n_data, tau1, tau2):
    """L~(z) = sum_t L_t z^t = V(z) / (1 - U(z)) (paper eq. 16)."""
    u = noise_gf(z, eigvals, alpha=alpha, beta=beta, batch_size=batch_size, n_data=n_data,
                 tau1=tau1, tau2=tau2)
    v = signal_gf(z, eigvals, coeffs, alpha=alpha, beta=beta, batch_size=batch_size,
                  n_data=n_data, tau2=tau2)
    return v / (1 - u)


def _one_denominator(x, beta, gamma, tau2):
    """D_k(1) / x_k = 2 (1 - beta^2) - x_k (1 - beta) + gamma tau2 x_k (1 + beta)."""
    return 2 * (1 - beta**2) - x * (1 - beta) + gamma * tau2 * x * (1 + beta)


def noise_gf_at_one(eigvals, alpha, beta, *, batch_size, n_data, tau1, tau2):
    """U(1) on a grid: alpha, beta broadcastable arrays; returns their broadcast shape.

    U(1) = sum_k gamma tau1 alpha lambda_k (1 + beta) / (D_k(1) / x_k). Meaningful only where
    every mode is stable (see :mod:`hdsgd.theory.gf_stability`); elsewhere it may be negative
    or infinite.
    """
    lam, _ = _as_spectrum(eigvals)
    gamma = sampling_noise_factor(batch_size, n_data)
    a, bt = np.broadcast_arrays(np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float))
    # D_k(1) / x_k = 2 (1 - beta^2) - alpha lambda_k slope(beta): one pass over the spectrum
    slope = (1 - bt) - gamma * tau2 * (1 + bt)
    head = (2 * (1 - bt**2))[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        total = (lam / (head - (a * slope)[..., None] * lam)).sum(axis=-1)
        return gamma * tau1 * a * (1 + bt) * total


def signal_gf_at_one(eigvals, coeffs, alpha, beta, *, batch_size, n_data, tau2):
    """V(1) = 1/2 sum_k c_k ((1 - beta)^2 (1 + beta) + 2 beta x_k) / (alpha D_k(1) / x_k)."""
    lam, c = _as_spectrum(eigvals, coeffs)
    gamma = sampling_noise_factor(batch_size, n_data)
    a, bt = np.broadcast_arrays(np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float))
    a1 = a[..., None]
    b1 = bt[..., None]
    x = a1 * lam
    den = a1 * _one_denominator(x, b1, gamma, tau2)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = 0.5 * c * ((1 - b1) ** 2 * (1 + b1) + 2 * b1 * x) / den
    return terms.sum(axis=-1)
