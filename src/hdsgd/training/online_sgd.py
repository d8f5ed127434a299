"""Online (one-pass) SGD for softmax regression on a Gaussian mixture (arXiv 2310.03010, §2).

Every step draws a fresh sample and takes ``x_l = x_{l-1} - delta grad L(x_{l-1}; y_l, Y_l)``
with ``grad_{x^c} L = (pi_c - y_c) Y + beta x^c``. Independent runs (seeds) are a leading batch
axis and advance together, so ``S`` seeds cost one vectorised step. Only the iterates at the
requested checkpoint steps are kept.

Blocked update (same iterates, matrix products instead of one pass over x per step): with
``rho = 1 - delta beta`` and residuals ``a_j = pi_j - y_j``, ``n`` steps from ``x_0`` give

    x_i = rho^i (x_0 - delta sum_{j<i} rho^{-(j+1)} a_j Y_j^T),
    z_i = x_i Y_i = rho^i (x_0 Y_i - delta sum_{j<i} rho^{-(j+1)} a_j (Y_j . Y_i)),

so a block of ``BLOCK`` samples needs ``x_0 Y^T`` (k x n), the samples' Gram matrix (n x n)
and, at its end, one product ``A Y`` (k x n by n x d): the sequential part of SGD (softmax,
residual) runs on n-dimensional vectors, and the d-dimensional work is three matrix products
per block. The block grid is fixed (``BLOCK`` steps from each chunk start) and an iterate at
a checkpoint inside a block is read off the formula above without changing the state, so the
iterates do not depend on which checkpoints are requested (prefix-stable bit for bit).
"""

from __future__ import annotations

import numpy as np

from hdsgd.data.gmm import GaussianMixture
from hdsgd.progress import Progress

CHUNK = 2048  # labels drawn per RNG call (always a full chunk: see run_online_sgd)
BLOCK = 32    # steps per blocked update; divides CHUNK (noise drawn per block, same stream)


def checkpoint_steps(times: np.ndarray, delta: float) -> np.ndarray:
    """Steps ``round(t / delta)`` for rescaled times ``t``, unique and sorted."""
    return np.unique(np.rint(np.asarray(times) / delta).astype(np.int64))


def run_online_sgd(mixture: GaussianMixture, x0: np.ndarray, *, beta: float, delta: float,
                   steps: np.ndarray, rng: np.random.Generator,
                   progress_label: str | None = "sgd") -> np.ndarray:
    """Run online SGD from ``x0`` (S, C, d) and return iterates at ``steps`` (n_ckpt, S, C, d).

    ``steps`` must be sorted; step 0 is the initial point. C is the number of classes of the
    mixture (``mixture.n_classes``, = k unless it has a label map); a sample of component ``a``
    carries the class ``mixture.classes(a)``. The random stream is prefix-stable: every chunk
    draws the labels of ``CHUNK`` samples (also past the last step of the run), then their
    noise block by block (the same numbers as one ``(CHUNK, S, d)`` draw), so a run to a later
    horizon repeats the iterates of a shorter one bit for bit.
    """
    x = np.array(x0, dtype=np.float64, copy=True)
    if x.ndim == 2:
        raise ValueError("x0 must have a leading seed axis: shape (S, k, d)")
    S, k, d = x.shape
    if k != mixture.n_classes:
        raise ValueError(f"x0 has {k} rows, the mixture has {mixture.n_classes} classes")
    steps = np.asarray(steps, dtype=np.int64)
    n_steps = int(steps[-1]) if steps.size else 0
    out = np.empty((steps.size, S, k, d))
    out[steps == 0] = x
    prog = Progress(n_steps, progress_label) if progress_label else None
    sd = 1.0 / np.sqrt(mixture.lam)
    rho = 1.0 - delta * beta
    step = 0
    while step < n_steps:
        labels = rng.choice(mixture.k, size=(CHUNK, S), p=mixture.probs)
        classes = mixture.classes(labels)
        chunk_start = step
        for b0 in range(0, CHUNK, BLOCK):
            if step >= n_steps:
                break
            noise = rng.standard_normal((BLOCK, S, d))
            Y = mixture.means[labels[b0:b0 + BLOCK]] + sd * noise          # (BLOCK, S, d)
            n = min(BLOCK, n_steps - step)
            lo, hi = np.searchsorted(steps, [step + 1, step + n + 1])
            _advance_block(x, np.ascontiguousarray(Y.transpose(1, 0, 2)),
                           classes[b0:b0 + BLOCK].T, n, steps[lo:hi] - step, out[lo:hi],
                           rho=rho, delta=delta)
            step += n
        if prog:
            prog.update(step - chunk_start)
    return out


def _advance_block(x, Y, classes, n, local_steps, out, *, rho: float, delta: float) -> None:
    """``n`` SGD steps on the block's samples ``Y`` (S, BLOCK, d) with targets ``classes``
    (S, BLOCK) (module docstring). ``x`` (S, k, d) becomes the iterate after the whole block
    when ``n == BLOCK`` (left unchanged otherwise: the run ends in this block); the iterates
    after ``local_steps`` (1..n) steps go to ``out``."""
    S, k, _ = x.shape
    B = Y.shape[1]
    P = x @ Y.transpose(0, 2, 1)                     # (S, k, B): x_0 . Y_i
    G = Y @ Y.transpose(0, 2, 1)                     # (S, B, B): Y_j . Y_i
    A = np.zeros((S, k, B))                          # rho^-(j+1) a_j
    sidx = np.arange(S)
    for i in range(n):
        z = P[:, :, i] - delta * (A[:, :, :i] @ G[:, :i, i, None])[:, :, 0] if i else P[:, :, 0]
        z = z * rho**i
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        z[sidx, classes[:, i]] -= 1.0                 # a_i = pi_i - y_i
        A[:, :, i] = z * rho ** -(i + 1)
    for j, o in zip(local_steps, out):
        if j < B:
            o[...] = rho**j * (x - delta * (A[:, :, :j] @ Y[:, :j]))
    if n == B:
        x -= delta * (A @ Y)
        x *= rho**B
        if local_steps.size and local_steps[-1] == B:
            out[-1] = x


def checkpoint_times(t_max: float, *, t_min: float, t_switch: float, n_log: int,
                     n_linear: int) -> np.ndarray:
    """Checkpoint times: 0, ``n_log`` log-spaced in [t_min, t_switch), ``n_linear`` linear
    points in [t_switch, t_max] (dense early, where the curves move fastest)."""
    t_switch = min(t_switch, t_max)
    log_part = np.geomspace(t_min, t_switch, n_log + 1)[:-1] if n_log > 0 else np.array([])
    lin_part = np.linspace(t_switch, t_max, n_linear)
    return np.unique(np.concatenate([[0.0], log_part, lin_part]))
