"""Joint law of (softmax weights, projected sample) as a function of the Gram matrix alone.

For softmax regression on a k-GMM (component J ~ p, Y = mu_J + Z, Z ~ N(0, I_d / lambda),
parameters x = (x^1..x^C), observed class c(J) through a label map c: [k] -> [C]; C = k and
c(J) = J by default) the Hessian and G-matrix weights of a test sample depend
on Y only through its projection a onto U = span(x, mu) (arXiv 2502.15655: the limits depend on x
only through G = (x, mu)^T (x, mu)). In an orthonormal basis of U built from G,

    G = R^T R  (R: r x (C + k)),   x^c -> R[:, c],   mu_a -> R[:, C + a],
    a = R_mu[:, J] + xi,   xi ~ N(0, I_r / lambda),    logits u = R_x^T a.

The logits see xi only through eta = P^T xi (P: orthonormal basis of range R_x, C' <= C columns),
so each class is integrated by a C'-dimensional Gauss-Hermite rule in eta, and the remaining
directions contribute their conditional covariance exactly:

    E[a a^T | eta, J] = (R_mu[:, J] + P eta)(R_mu[:, J] + P eta)^T + (I - P P^T) / lambda.

Weights (paper's multi-class logistic example, and 2310.03010): for the (c, c) block
Hessian ``w = pi_c (1 - pi_c)``, G-matrix ``w = (pi_c - 1{c(J) = c})^2``; full C x C weight
matrices ``diag(pi) - pi pi^T`` and ``(pi - e_c(J))(pi - e_c(J))^T``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from scipy.special import softmax

from hdsgd.theory.limiting_spectra import ScalarWeightLaw

__all__ = ["GramQuadrature", "gram_coordinates", "gram_matrix", "block_weight_law",
           "full_weight_atoms", "KINDS"]

KINDS = ("hessian", "g")


def gram_matrix(x: np.ndarray, means: np.ndarray) -> np.ndarray:
    """G = (x, mu)^T (x, mu) from parameters x (C, d) and means (k, d); shape (C+k, C+k)."""
    V = np.concatenate([x, means], axis=0)
    return V @ V.T


def gram_coordinates(G: np.ndarray, tol: float = 1e-10) -> np.ndarray:
    """R (r x n) with R^T R = G, r = numerical rank of G (eigen-decomposition)."""
    G = 0.5 * (np.asarray(G, dtype=float) + np.asarray(G, dtype=float).T)
    val, vec = np.linalg.eigh(G)
    keep = val > tol * max(val.max(), 1.0)
    return np.sqrt(val[keep])[:, None] * vec[:, keep].T


@dataclass(frozen=True)
class GramQuadrature:
    """Quadrature nodes for the projected test sample, class by class.

    logits (k, N, C); abar (k, N, r) conditional means of a; prob (k, N) with
    sum = 1 over both axes (prob[J] sums to p_J); resid (r, r) = (I - P P^T)/lambda;
    coords (r, C + k) the vectors' coordinates; C, lam; targets (k, C) one-hot rows e_c(J).
    """

    logits: np.ndarray
    abar: np.ndarray
    prob: np.ndarray
    resid: np.ndarray
    coords: np.ndarray
    C: int
    lam: float
    targets: np.ndarray

    @classmethod
    def build(cls, G: np.ndarray, C: int, p: np.ndarray, lam: float, n_gh: int = 12,
              label_map: np.ndarray | None = None):
        """Rule for the Gram matrix G of (x^1..x^C, mu_1..mu_k), component probabilities p
        (k,) and the class ``label_map[J]`` of component J (identity if None, then C = k)."""
        G = np.asarray(G, dtype=float)
        p = np.asarray(p, dtype=float)
        k = G.shape[0] - C
        if k != p.size:
            raise ValueError(f"G has {G.shape[0]} rows = C + k; expected k = len(p) = {p.size}")
        if np.any(p < 0) or not np.isclose(p.sum(), 1.0):
            raise ValueError("p must be a probability vector")
        if label_map is None:
            if C != k:
                raise ValueError(f"C = {C} classes for k = {k} components needs a label_map")
            label_map = np.arange(k)
        label_map = np.asarray(label_map, dtype=np.int64)
        if label_map.shape != (k,) or label_map.min() < 0 or label_map.max() >= C:
            raise ValueError(f"label_map must map {k} components into 0..{C - 1}")
        R = gram_coordinates(G)
        r = R.shape[0]
        Rx, Rmu = R[:, :C], R[:, C:]
        if Rx.size and np.abs(Rx).max() > 0:
            U, S, _ = np.linalg.svd(Rx, full_matrices=False)
            P = U[:, S > 1e-10 * S.max()]
        else:
            P = np.zeros((r, 0))
        cp = P.shape[1]
        t1, w1 = hermegauss(n_gh)
        w1 = w1 / w1.sum()
        if cp:
            t = np.array(list(product(t1, repeat=cp)))
            wt = np.prod(np.array(list(product(w1, repeat=cp))), axis=1)
        else:
            t, wt = np.zeros((1, 0)), np.ones(1)
        eta = t / np.sqrt(lam)                                      # (N, C')
        abar = Rmu.T[:, None, :] + (eta @ P.T)[None, :, :]          # (k, N, r)
        logits = abar @ Rx                                          # (k, N, C)
        prob = p[:, None] * wt[None, :]
        resid = (np.eye(r) - P @ P.T) / lam
        return cls(logits, abar, prob, resid, R, C, float(lam), np.eye(C)[label_map])

    @property
    def r(self) -> int:
        return self.abar.shape[-1]

    def softmax(self) -> np.ndarray:
        return softmax(self.logits, axis=-1)

    def unit_coords(self, index: int) -> np.ndarray:
        """Unit vector in U-coordinates along column ``index`` of (x, mu) (C + a for mu_a)."""
        v = self.coords[:, index]
        return v / np.linalg.norm(v)


def _block_weights(quad: GramQuadrature, c: int, kind: str) -> np.ndarray:
    pi = quad.softmax()[..., c]                                     # (k, N)
    if kind == "hessian":
        return pi * (1.0 - pi)
    if kind == "g":
        return (pi - quad.targets[:, c][:, None]) ** 2
    raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")


def block_weight_law(quad: GramQuadrature, c: int, kind: str, phi: float,
                     n_bins: int | None = 600) -> ScalarWeightLaw:
    """ScalarWeightLaw of the (c, c) block of the Hessian / G-matrix at this Gram matrix."""
    w = _block_weights(quad, c, kind).ravel()
    q = quad.prob.ravel()
    abar = quad.abar.reshape(-1, quad.r)
    A = (q * w)[:, None, None] * (abar[:, :, None] * abar[:, None, :] + quad.resid)
    law = ScalarWeightLaw(w, q / q.sum(), A, 1.0 / quad.lam, phi)
    return law.binned(n_bins) if n_bins else law


def full_weight_atoms(quad: GramQuadrature, kind: str):
    """Atoms of the C x C weight matrix of the full Hessian / G-matrix: (W (N, C, C), q (N,))."""
    pi = quad.softmax()                                             # (k, N, C)
    if kind == "hessian":
        W = pi[..., :, None] * (np.eye(quad.C) - pi[..., None, :])
    elif kind == "g":
        res = pi - quad.targets[:, None, :]                         # (k, N, C)
        W = res[..., :, None] * res[..., None, :]
    else:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    return W.reshape(-1, quad.C, quad.C), quad.prob.ravel()
