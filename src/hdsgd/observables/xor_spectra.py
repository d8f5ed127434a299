"""Spectra of the XOR two-layer network's Hessian and G-matrix blocks along training.

At each checkpoint ``(W, v)`` (arXiv 2310.03010, XOR figures):
* the K first-layer blocks ``H_{W_iW_i}``, ``G_{W_iW_i}`` (d x d): top ``n_eig`` eigenpairs of
  all K at once with the batched LOBPCG of :mod:`hdsgd.observables.eigensolvers`, warm-started
  from the previous checkpoint, one (K, d, p) operator application per iteration;
* the K x K blocks ``H_vv``, ``G_vv``: dense ``eigh``, plus a bulk edge from the hidden-class
  structure. Writing the ridge-free part of a block as

      (1/M) sum_j w_j u_j u_j^T = B + N,   B = sum_c W_c m_c m_c^T,
      N = (1/M) sum_c sum_{j in c} w_j (u_j - m_c)(u_j - m_c)^T,

  (``u = h``; ``w = sigma'`` for H, ``w = r^2`` for G; ``m_c`` the w-weighted mean of ``u_j``
  over the test points of hidden class c, ``W_c`` their total weight / M), the between-class
  part B (rank <= 4) vanishes on the complement U of span{m_c}. By Courant-Fischer on the whole
  block A (ridge terms included), ``lambda_5(A) <= lambda_max(P_U A P_U)``: at most four
  eigenvalues exceed that value, the bulk edge, and the eigenvalues above it are the outliers
  (the paper's vv-block outliers, which live in span{g(W theta)}). On U the block is the
  within-class part N (plus beta I, plus the O(beta) ridge terms of G), so the edge follows the
  bulk: it is within a few per cent of lambda_5 along training. (N's own top eigenvalue, without
  the projection, is a much looser bound: its top direction lies inside the outlier span.)
* population vv blocks ``E[...]`` by Monte Carlo in K dimensions: ``W Y = W theta + L xi`` with
  ``L L^T = W W^T / lambda`` and ``xi ~ N(0, I_K)`` (exact in law), a theory reference for the
  test-sample blocks.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from hdsgd.observables.block_operators import XorBlockOperators
from hdsgd.observables.eigensolvers import top_eigenpairs
from hdsgd.progress import Progress


def _eigh_desc(A):
    w, V = np.linalg.eigh(A)
    return w[..., ::-1], V[..., ::-1]


def class_projected_edge(A: np.ndarray, u: np.ndarray, w: np.ndarray,
                         hidden: np.ndarray) -> float:
    """Bulk edge ``lambda_max(P_U A P_U)`` of the K x K block ``A``, U the orthogonal complement
    of the w-weighted hidden-class means of the rows of ``u`` (M, K) (module docstring)."""
    K = A.shape[0]
    means = []
    for c in np.unique(hidden):
        sel = hidden == c
        means.append((w[sel] @ u[sel]) / max(w[sel].sum(), np.finfo(float).tiny))
    Q, R = np.linalg.qr(np.array(means).T)
    Q = Q[:, np.abs(np.diagonal(R)) > 1e-12 * max(np.abs(R).max(), np.finfo(float).tiny)]
    P = np.eye(K) - Q @ Q.T
    return float(np.linalg.eigvalsh(P @ A @ P)[-1])


def vv_spectra(ops: XorBlockOperators, hidden: np.ndarray) -> dict:
    """Eigen-decompositions (descending) and bulk edges of ``H_vv`` and ``G_vv``."""
    H, G = ops.hessian_vv(), ops.g_vv()
    hv, hV = _eigh_desc(H)
    gv, gV = _eigh_desc(G)
    return {"hvv_vals": hv, "hvv_vecs": hV, "gvv_vals": gv, "gvv_vecs": gV,
            "hvv_edge": class_projected_edge(H, ops.h, ops.sigma_prime, hidden),
            "gvv_edge": class_projected_edge(G, ops.h, ops.r ** 2, hidden)}


def count_outliers(values: np.ndarray, edge, margin: float) -> np.ndarray:
    """Number of eigenvalues above ``(1 + margin) * edge`` (last axis of ``values``)."""
    return np.sum(values > (1.0 + margin) * np.asarray(edge)[..., None], axis=-1)


def xor_spectra_along_trajectory(W_ckpt, v_ckpt, y, Y, hidden, *, beta: float, n_eig: int,
                                 n_check: int, n_keep_vecs: int, tol: float, maxiter: int, dtype,
                                 include_ridge: bool, rng: np.random.Generator,
                                 first_layer: bool = True, threads: int = 1) -> dict:
    """All block spectra at every checkpoint (module docstring). Arrays lead with n_ckpt.

    The 2K first-layer problems (K Hessian, K G blocks) share one batched LOBPCG: ``n_eig``
    vectors per block, of which the top ``n_check`` are converged (the others are guards and
    are not kept); the top ``n_keep_vecs`` eigenvectors are kept (float32). With
    ``first_layer=False`` only the vv blocks are computed.
    """
    n, K, d = W_ckpt.shape
    vv_keys = ("hvv_vals", "hvv_vecs", "gvv_vals", "gvv_vecs", "hvv_edge", "gvv_edge")
    fl_keys = ("hw_vals", "gw_vals", "hw_vecs", "gw_vecs", "w_iters", "w_column_applies",
               "w_converged")
    out = {k: [] for k in vv_keys + (fl_keys if first_layer else ())}
    X = np.linalg.qr(rng.standard_normal((K, d, n_eig)))[0]
    X = np.concatenate([X, X])                    # H blocks, then G blocks, same start
    prog = Progress(n, "spectra")
    for t in range(n):
        ops = XorBlockOperators(W_ckpt[t], v_ckpt[t], y, Y, beta, include_ridge=include_ridge,
                                dtype=dtype, threads=threads)
        for key, val in vv_spectra(ops, hidden).items():
            out[key].append(val)
        if first_layer:
            res = top_eigenpairs(ops.first_layer_columns, X, tol=tol, maxiter=maxiter,
                                 n_check=n_check)
            X = res.vectors
            out["hw_vals"].append(res.values[:K, :n_check])
            out["gw_vals"].append(res.values[K:, :n_check])
            out["hw_vecs"].append(res.vectors[:K, :, :n_keep_vecs].astype(np.float32))
            out["gw_vecs"].append(res.vectors[K:, :, :n_keep_vecs].astype(np.float32))
            out["w_iters"].append(res.iterations)
            out["w_column_applies"].append(res.column_applies)
            out["w_converged"].append(res.converged)
            print(f"checkpoint {t}: {res.iterations.max()} LOBPCG iterations, "
                  f"{res.column_applies} column products")
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
