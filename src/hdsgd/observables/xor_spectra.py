"""Spectra of the XOR two-layer network's Hessian and G-matrix blocks along training.

At each checkpoint ``(W, v)`` (arXiv 2310.03010, XOR figures):
* the K first-layer blocks ``H_{W_iW_i}``, ``G_{W_iW_i}`` (d x d): top ``n_eig`` eigenpairs of
  all K at once with the batched LOBPCG of :mod:`hdsgd.observables.eigensolvers`, warm-started
  from the previous checkpoint, one (K, d, p) operator application per iteration;
* the K x K blocks ``H_vv``, ``G_vv``: dense ``eigh``, plus a bulk edge from the exact split
  into a between-hidden-class part of rank <= 4 and a within-class part:

      sum_j w_j u_j u_j^T = sum_c W_c m_c m_c^T + sum_c sum_{j in c} w_j (u_j - m_c)(u_j - m_c)^T,

  ``m_c`` the w-weighted mean of ``u_j`` over the test points of hidden class c, ``W_c`` their
  total weight (``u = h`` with ``w = sigma'`` for H, ``w = r^2`` for G). The between part is
  PSD of rank <= 4, so (Weyl) at most 4 eigenvalues exceed the within part's top eigenvalue
  (+ beta for H): that value is the bulk edge and the eigenvalues above it are the outliers
  (the paper's vv-block outliers, which live in span{g(W theta)}). For G with the ridge terms
  the edge is that of the ridge-free part (the ridge adds a rank-2 term of size O(beta)).
* population vv blocks ``E[...]`` by Monte Carlo in K dimensions: ``W Y = W theta + L xi`` with
  ``L L^T = W W^T / lambda`` and ``xi ~ N(0, I_K)`` (exact in law), a theory reference for the
  test-sample blocks.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from hdsgd.models.two_layer import XorBlockOperators
from hdsgd.observables.eigensolvers import top_eigenpairs
from hdsgd.progress import Progress


def _eigh_desc(A):
    w, V = np.linalg.eigh(A)
    return w[..., ::-1], V[..., ::-1]


def within_class_edge(u: np.ndarray, w: np.ndarray, hidden: np.ndarray) -> float:
    """Top eigenvalue of ``(1/M) sum_c sum_{j in c} w_j (u_j - m_c)(u_j - m_c)^T``."""
    M, K = u.shape
    within = np.zeros((K, K))
    for c in np.unique(hidden):
        sel = hidden == c
        wc = w[sel]
        m = (wc @ u[sel]) / max(wc.sum(), np.finfo(float).tiny)
        dev = u[sel] - m
        within += (dev * wc[:, None]).T @ dev
    return float(np.linalg.eigvalsh(within / M)[-1])


def vv_spectra(ops: XorBlockOperators, hidden: np.ndarray) -> dict:
    """Eigen-decompositions (descending) and bulk edges of ``H_vv`` and ``G_vv``."""
    hv, hV = _eigh_desc(ops.hessian_vv())
    gv, gV = _eigh_desc(ops.g_vv())
    return {"hvv_vals": hv, "hvv_vecs": hV, "gvv_vals": gv, "gvv_vecs": gV,
            "hvv_edge": within_class_edge(ops.h, ops.sigma_prime, hidden) + ops.beta,
            "gvv_edge": within_class_edge(ops.h, ops.r ** 2, hidden)}


def count_outliers(values: np.ndarray, edge, margin: float) -> np.ndarray:
    """Number of eigenvalues above ``(1 + margin) * edge`` (last axis of ``values``)."""
    return np.sum(values > (1.0 + margin) * np.asarray(edge)[..., None], axis=-1)


def xor_spectra_along_trajectory(W_ckpt, v_ckpt, y, Y, hidden, *, beta: float, n_eig: int,
                                 n_check: int, n_keep_vecs: int, tol: float, maxiter: int, dtype,
                                 include_ridge: bool, rng: np.random.Generator) -> dict:
    """All block spectra at every checkpoint (module docstring). Arrays lead with n_ckpt.

    The first-layer solves use ``n_eig`` vectors per unit, of which the top ``n_check`` are
    converged; the others are guard vectors whose Ritz values (kept in ``*w_vals`` after the
    converged ones) are lower bounds of the next eigenvalues (Cauchy interlacing), i.e. an
    indication of the bulk only. The top ``n_keep_vecs`` eigenvectors are kept (float32).
    """
    n, K, d = W_ckpt.shape
    out = {k: [] for k in ("hvv_vals", "hvv_vecs", "gvv_vals", "gvv_vecs", "hvv_edge",
                           "gvv_edge", "hw_vals", "gw_vals", "hw_vecs", "gw_vecs",
                           "hw_iters", "gw_iters", "hw_converged", "gw_converged")}
    X = {"h": np.linalg.qr(rng.standard_normal((K, d, n_eig)))[0]}
    X["g"] = X["h"].copy()
    prog = Progress(n, "spectra")
    for t in range(n):
        ops = XorBlockOperators(W_ckpt[t], v_ckpt[t], y, Y, beta, include_ridge=include_ridge,
                                dtype=dtype)
        for key, val in vv_spectra(ops, hidden).items():
            out[key].append(val)
        for m, apply in (("h", ops.hessian_first_layer), ("g", ops.g_first_layer)):
            res = top_eigenpairs(apply, X[m], tol=tol, maxiter=maxiter, n_check=n_check)
            X[m] = res.vectors
            out[f"{m}w_vals"].append(res.values)
            out[f"{m}w_vecs"].append(res.vectors[..., :n_keep_vecs].astype(np.float32))
            out[f"{m}w_iters"].append(res.iterations)
            out[f"{m}w_converged"].append(res.converged)
        prog.update(1)
    return {k: np.asarray(v) for k, v in out.items()}


def population_vv_blocks(W, v, hidden_means, lam: float, beta: float, xi: np.ndarray, *,
                         include_ridge: bool = True):
    """Population ``H_vv``, ``G_vv`` at ``(W, v)`` by Monte Carlo with draws ``xi`` (4, n, K).

    Hidden class c uses ``xi[c]`` (stratified: each class weight exactly 1/4); labels are
    1 for +-mu (classes 0, 1) and 0 for +-nu.
    """
    K = W.shape[0]
    L = np.linalg.cholesky(W @ W.T / lam + 1e-14 * np.eye(K))
    H = np.zeros((K, K))
    G = np.zeros((K, K))
    for c in range(4):
        h = np.maximum(hidden_means[c] @ W.T + xi[c] @ L.T, 0.0)
        sig = expit(h @ v)
        r = sig - (1.0 if c < 2 else 0.0)
        H += (h * (sig * (1 - sig))[:, None]).T @ h / (4 * xi.shape[1])
        g = r[:, None] * h + (beta * v if include_ridge else 0.0)
        G += g.T @ g / (4 * xi.shape[1])
    return H + beta * np.eye(K), G
