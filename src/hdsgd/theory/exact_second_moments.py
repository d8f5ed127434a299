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

import numpy as np

from hdsgd.theory.generating_functions import sampling_noise_factor

__all__ = ["exact_second_moment_loss"]


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
