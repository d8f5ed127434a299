"""Multi-output GLM losses and their Gaussian expectations (docs/exact_dynamics.md §2, §4).

A linear predictor with ``m`` outputs, ``r = X^T a`` in R^m (X is d x m), is scored on a sample of
class ``c`` with a loss ``f_c(r)``. Given the class, ``r ~ N(m_c, Q_c)`` exactly, with the mean
overlap ``m_c = X^T mu_c`` and the projected norm ``Q_c = X^T K_c X``, so everything the
deterministic dynamics needs is a set of class-wise Gaussian expectations

    g_c = E grad f_c(r)          (m,)
    H_c = E hess f_c(r)          (m, m)
    I_c = E grad f_c grad f_c^T  (m, m)
    L_c = E f_c(r)               scalar

Three losses:

* :class:`ScalarGLM` -- m = 1, binary labels y_c = +-1, logistic or least squares; the scalar
  expectations of :mod:`hdsgd.models.binary_glm` (Gauss-Hermite / closed form).
* :class:`OneHotLeastSquares` -- ``f_c(r) = ||r - t_c||^2 / 2`` with targets t_c (one-hot e_c for
  K-way classification): ``g = m_c - t_c``, ``H = I``, ``I = (m_c - t_c)(m_c - t_c)^T + Q_c``,
  ``L = (||m_c - t_c||^2 + tr Q_c) / 2``, all in closed form.
* :class:`SoftmaxCrossEntropy` -- ``f_c(r) = log sum_k e^{r_k} - r_c`` (m = K outputs, one per
  class): ``grad = s(r) - e_c`` and ``hess = diag(s) - s s^T`` with ``s`` the softmax. Its
  m-dimensional Gaussian expectations use one fixed set of ``n_draws`` antithetic pairs
  ``+-z_j`` of randomised quasi-Monte Carlo normals (common random numbers: the same points at
  every evaluation, so the ODE right-hand side is a smooth deterministic function), mapped to
  ``r = m_c + F z`` with ``F F^T = Q_c`` (symmetric square root). docs/exact_dynamics.md
  gives the accuracy argument; the tests compare the scheme with 10^6-draw Monte Carlo.

Shapes: ``M`` (..., L, m) class means of r; ``Q`` (..., U, m, m) projected norms of the U
distinct class spectra, ``group`` (L,) maps class c to its spectrum; results broadcast over the
leading axes.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.special import log_softmax, softmax

from hdsgd.models.binary_glm import check_loss, class_expectations, loss, loss_derivative

__all__ = ["ScalarGLM", "OneHotLeastSquares", "SoftmaxCrossEntropy", "symmetric_sqrt"]


def symmetric_sqrt(Q: np.ndarray) -> np.ndarray:
    """``F = V diag(sqrt(max(w, 0))) V^T`` for ``Q = V diag(w) V^T`` (PSD, possibly singular)."""
    w, V = np.linalg.eigh(0.5 * (Q + np.swapaxes(Q, -1, -2)))
    return (V * np.sqrt(np.maximum(w, 0.0))[..., None, :]) @ np.swapaxes(V, -1, -2)


class ScalarGLM:
    """One output, binary labels (``labels`` (L,) in {+1, -1}); ``kind`` logistic or
    least_squares."""

    n_outputs = 1

    def __init__(self, kind: str, labels, n_nodes: int = 61):
        self.kind = check_loss(kind)
        self.labels = np.asarray(labels, dtype=float)
        self.n_nodes = int(n_nodes)

    def gradient(self, r: np.ndarray, c: np.ndarray) -> np.ndarray:
        """``grad f_c(r)`` for r (..., 1) and class indices c broadcasting against r[..., 0]."""
        return loss_derivative(self.kind, r[..., 0], self.labels[c])[..., None]

    def value(self, r: np.ndarray, c: np.ndarray) -> np.ndarray:
        return loss(self.kind, r[..., 0], self.labels[c])

    def expectations(self, M, Q, group):
        Qc = np.take(Q[..., 0, 0], group, axis=-1)
        g, H, I, L = class_expectations(self.kind, M[..., 0], Qc, self.labels, self.n_nodes)
        return g[..., None], H[..., None, None], I[..., None, None], L


class OneHotLeastSquares:
    """``f_c(r) = ||r - t_c||^2 / 2``; ``targets`` (L, m), default one-hot (m = L)."""

    def __init__(self, targets):
        self.targets = np.asarray(targets, dtype=float)
        self.n_outputs = self.targets.shape[1]

    @classmethod
    def one_hot(cls, n_classes: int) -> OneHotLeastSquares:
        return cls(np.eye(n_classes))

    def gradient(self, r, c):
        return r - self.targets[c]

    def value(self, r, c):
        return 0.5 * np.sum((r - self.targets[c]) ** 2, axis=-1)

    def expectations(self, M, Q, group):
        Qc = np.take(Q, group, axis=-3)                      # (..., L, m, m)
        res = M - self.targets
        I = res[..., :, None] * res[..., None, :] + Qc
        H = np.broadcast_to(np.eye(self.n_outputs), I.shape)
        L = 0.5 * (np.sum(res * res, axis=-1) + np.trace(Qc, axis1=-2, axis2=-1))
        return res, H, I, L


@lru_cache(maxsize=8)
def antithetic_normals(n_pairs: int, dim: int, seed: int) -> np.ndarray:
    """``2 n_pairs`` points ``[z; -z]`` (rows, in R^dim) with z scrambled-Sobol normals.

    Fixed for given arguments (common random numbers); read-only.
    """
    from scipy.stats import norm, qmc

    if n_pairs < 1:
        raise ValueError(f"n_pairs must be >= 1, got {n_pairs}")
    u = qmc.Sobol(dim, scramble=True, seed=seed).random(n_pairs)
    z = norm.ppf(u)
    out = np.concatenate([z, -z])
    out.setflags(write=False)
    return out


class SoftmaxCrossEntropy:
    """Softmax cross-entropy over ``n_classes`` outputs (class c <-> output c).

    ``n_pairs`` antithetic quasi-Monte Carlo pairs (``2 n_pairs`` points), fixed by ``seed``.
    """

    def __init__(self, n_classes: int, n_pairs: int = 512, seed: int = 0):
        if n_classes < 2:
            raise ValueError(f"softmax needs >= 2 classes, got {n_classes}")
        self.n_outputs = int(n_classes)
        self.n_pairs = int(n_pairs)
        self.seed = int(seed)

    def gradient(self, r, c):
        return softmax(r, axis=-1) - np.eye(self.n_outputs)[c]

    def value(self, r, c):
        return -np.take_along_axis(log_softmax(r, axis=-1), np.asarray(c)[..., None],
                                   axis=-1)[..., 0]

    def draws(self) -> np.ndarray:
        return antithetic_normals(self.n_pairs, self.n_outputs, self.seed)

    def expectations(self, M, Q, group):
        K = self.n_outputs
        F = symmetric_sqrt(Q)                                 # (..., U, K, K)
        W = self.draws() @ np.swapaxes(F, -1, -2)            # (..., U, N, K): rows F z
        W = np.take(W, group, axis=-3)                       # (..., L, N, K)
        R = W + M[..., :, None, :]
        # shift each row by its entry at the class mean's largest output (softmax is shift-
        # invariant; rows deviate from it by O(sqrt(Q)), far from exp's overflow)
        top = np.argmax(M, axis=-1)[..., None, None]          # (..., L, 1, 1)
        shift = np.take_along_axis(R, np.broadcast_to(top, (*R.shape[:-1], 1)), axis=-1)
        S = np.exp(R - shift)
        tot = S.sum(axis=-1, keepdims=True)
        S *= 1.0 / tot                                       # softmax, (..., L, N, K)
        lse = np.log(tot) + shift
        n = S.shape[-2]
        Es = S.mean(axis=-2)                                 # (..., L, K)
        Ess = np.swapaxes(S, -1, -2) @ S / n                 # (..., L, K, K)
        eye = np.eye(K)
        H = eye * Es[..., None, :] - Ess
        I = Ess - Es[..., :, None] * eye[:, None, :] - eye[:, :, None] * Es[..., None, :]
        I = I + eye[:, :, None] * eye[:, None, :]
        g = Es - eye
        L = lse[..., 0].mean(axis=-1) - np.diagonal(M, axis1=-2, axis2=-1)
        return g, H, I, L


def loss_for_run(run: dict, labels, *, n_nodes: int = 61):
    """The loss of a configured run: binary ``logistic`` / ``least_squares`` (labels +-1), or
    K-way ``softmax`` / ``one_hot_least_squares`` (K = len(labels) outputs)."""
    kind = run["loss"]
    if kind in ("logistic", "least_squares"):
        return ScalarGLM(kind, labels, n_nodes)
    if kind == "one_hot_least_squares":
        return OneHotLeastSquares.one_hot(len(labels))
    if kind == "softmax":
        return SoftmaxCrossEntropy(len(labels), run["n_pairs"], run["quadrature_seed"])
    raise ValueError(f"unknown loss {kind!r}")
