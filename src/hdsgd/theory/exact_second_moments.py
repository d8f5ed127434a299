"""Exact second-moment recursion of mini-batch heavy-ball SGD (arXiv 2206.11124, Prop. 1).

For L(w) = (1/2N) sum_i (<psi_i, w> - y_i)^2 (realisable), features X (N x d), H = X^T X / N,
and batches of b distinct points drawn uniformly at each step, the moments
C = E[dw dw^T], J = E[dw v^T], P = E[v v^T] (dw = w - w*) obey exactly

    [C' J'; J'^T P'] = R [C J; J^T P] R^T + alpha^2 gamma Sigma(C) (x) [[1, 1], [1, 1]],
    R = [[1 - alpha H, beta], [-alpha H, beta]],
    Sigma(C) = (1/N) sum_i psi_i psi_i^T <psi_i, C psi_i> - H C H,
    gamma = (N - b) / (b (N - 1)),

and E[L_t] = Tr[H C_t] / 2. This is the reference the SE approximation (Sigma ~ tau1 Tr[HC] H
- tau2 H C H) is checked against.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg.blas import dsyrk as syrk

from hdsgd.theory.generating_functions import sampling_noise_factor

__all__ = ["exact_second_moment_loss", "exact_kernel_second_moments", "KernelSecondMoments"]


def exact_second_moment_loss(features, dw0, *, alpha, beta, batch_size, n_steps):
    """E[L_t], t = 0..n_steps, from the exact recursion started at w_0 - w* = dw0, v_0 = 0."""
    x = np.asarray(features, dtype=float)
    n, d = x.shape
    gamma = sampling_noise_factor(batch_size, n)
    h = x.T @ x / n
    eye = np.eye(d)
    c = np.outer(dw0, dw0)
    j = np.zeros((d, d))
    p = np.zeros((d, d))
    a = eye - alpha * h
    out = np.empty(n_steps + 1)
    out[0] = 0.5 * np.trace(h @ c)
    for t in range(1, n_steps + 1):
        quad = np.einsum("ni,ij,nj->n", x, c, x)
        sigma = (x.T * quad) @ x / n - h @ c @ h
        q = alpha**2 * gamma * sigma
        # new dw = A dw + beta v - alpha xi ;  new v = -alpha H dw + beta v - alpha xi
        ac = a @ c
        aj = a @ j
        hc = h @ c
        hj = h @ j
        c_new = ac @ a.T + beta * (aj + aj.T) + beta**2 * p + q
        j_new = -alpha * ac @ h + beta * aj - alpha * beta * (hj.T) + beta**2 * p + q
        p_new = alpha**2 * hc @ h - alpha * beta * (hj + hj.T) + beta**2 * p + q
        c, j, p = c_new, j_new, p_new
        out[t] = 0.5 * np.trace(h @ c)
    return out


@dataclass
class KernelSecondMoments:
    """Exact E[L_t] (t = 0..T) of SGD on a kernel problem and, per step t = 0..T-1, the six
    traces that make the noise distance D_t(tau1, tau2) a quadratic form (see
    :func:`hdsgd.theory.noise_distance.noise_distance_form`):

    ``ss`` = <Sigma, Sigma>, ``sa`` = <Sigma, A>, ``sb`` = <Sigma, B>, ``aa`` = <A, A>,
    ``ab`` = <A, B>, ``bb`` = <B, B> with the true noise Sigma = Sigma(C_t) (eq. 5),
    A = 2 L_t H and B = H C_t H (the two SE terms of eq. 7; 2 L_t = Tr[H C_t] for a reachable
    target), <X, Y> = Tr[X Y]."""

    loss: np.ndarray
    ss: np.ndarray
    sa: np.ndarray
    sb: np.ndarray
    aa: np.ndarray
    ab: np.ndarray
    bb: np.ndarray


def exact_kernel_second_moments(eigvals, eigvecs, r0, *, alpha, beta, batch_size, n_steps,
                                progress=None) -> KernelSecondMoments:
    """The Prop. 1 recursion for a kernel problem in output space, in the kernel's eigenbasis,
    at 3 N^3 flops per step.

    The problem is the one :func:`hdsgd.training.minibatch_sgd.minibatch_sgd_grid` simulates on
    ``gram`` = K: ``eigvals`` lambda_k >= 0 of K / N, ``eigvecs`` U (N x N, columns u_k),
    residual ``r0`` = f_0 - y. The state is M = E[r r^T] in the eigenbasis (M~ = U^T M U; with
    momentum also E[r p^T] and E[p p^T] for the output velocity p), M~_0 = (U^T r0)(U^T r0)^T.
    For lambda_k > 0, M~_kl = s_k C_kl s_l with s = sqrt(N lambda) and C the parameter-space
    moment of Prop. 1, so this is the same recursion; it also holds on null modes of K (an
    unreachable part of the target), which parameter space cannot represent. With K / N
    diagonal every term is an entrywise product except the data sum of the noise:

        m_i = E[r_i^2] = diag(U M~ U^T)_i,   D = U^T diag(m) U,
        noise = alpha^2 gamma N (lambda lambda^T) o (D - M~ / N),

    one GEMM and one SYRK of N x N matrices; L_t = Tr M~ / (2N). In parameter space
    Sigma(C_t) = R o (D - M~ / N), H C_t H = R o M~ / N with R = sqrt(lambda) sqrt(lambda)^T,
    from which the traces of :class:`KernelSecondMoments` cost O(N^2).
    """
    lam = np.asarray(eigvals, dtype=float)
    U = np.asarray(eigvecs, dtype=float)
    n = lam.size
    if U.shape != (n, n) or np.shape(r0) != (n,):
        raise ValueError(f"eigvecs must be ({n}, {n}) and r0 ({n},)")
    if np.any(lam < 0):
        raise ValueError("eigenvalues must be non-negative")
    gamma = float(sampling_noise_factor(batch_size, n))
    ur = U.T @ np.asarray(r0, dtype=float)
    m = np.outer(ur, ur)
    j = np.zeros((n, n)) if beta else None
    p = np.zeros((n, n)) if beta else None
    a = 1.0 - alpha * lam                         # diagonal of I - alpha K / N
    lam2 = np.outer(lam, lam)
    root = np.sqrt(lam2)
    out = {k: np.empty(n_steps) for k in ("ss", "sa", "sb", "aa", "ab", "bb")}
    loss = np.empty(n_steps + 1)
    for t in range(n_steps + 1):
        loss[t] = 0.5 * np.trace(m) / n
        if t == n_steps:
            break
        q = np.einsum("ik,ik->i", U @ m, U)
        w = U * np.sqrt(np.clip(q, 0.0, None))[:, None]
        data = syrk(1.0, w, trans=1)              # upper triangle of W^T W = U^T diag(m) U
        data = np.triu(data) + np.triu(data, 1).T
        excess = data - m / n
        sigma = root * excess                     # parameter-space Sigma(C_t)
        hch = root * m / n                        # parameter-space H C_t H
        trhc = 2.0 * loss[t]
        out["ss"][t] = np.vdot(sigma, sigma)
        out["sa"][t] = trhc * lam @ np.diagonal(sigma)
        out["sb"][t] = np.vdot(sigma, hch)
        out["aa"][t] = trhc**2 * lam @ lam
        out["ab"][t] = trhc * lam @ np.diagonal(hch)
        out["bb"][t] = np.vdot(hch, hch)
        noise = (alpha**2 * gamma * n) * lam2 * excess
        # r' = (I - alpha K/N) r + beta p - alpha xi ;  p' = -alpha (K/N) r + beta p - alpha xi
        am = a[:, None] * m
        if beta:
            aj = a[:, None] * j
            kj = lam[:, None] * j
            m_new = am * a[None, :] + beta * (aj + aj.T) + beta**2 * p + noise
            j_new = -alpha * am * lam[None, :] + beta * aj - alpha * beta * kj.T + beta**2 * p \
                + noise
            p_new = alpha**2 * lam2 * m - alpha * beta * (kj + kj.T) + beta**2 * p + noise
            m, j, p = m_new, j_new, p_new
        else:
            m = am * a[None, :] + noise
        if progress is not None:
            progress.update(1)
    return KernelSecondMoments(loss, **out)
