"""Online (one-pass) SGD for softmax regression on a Gaussian mixture (arXiv 2310.03010, §2).

Every step draws a fresh sample and takes ``x_l = x_{l-1} - delta grad L(x_{l-1}; y_l, Y_l)``
with ``grad_{x^c} L = (pi_c - y_c) Y + beta x^c``. Independent runs (seeds) are a leading batch
axis and advance together, so ``S`` seeds cost one vectorised step. Only the iterates at the
requested checkpoint steps are kept.
"""

from __future__ import annotations

import numpy as np

from hdsgd.data.gmm import GaussianMixture
from hdsgd.progress import Progress

CHUNK = 2048  # samples drawn per RNG call (always a full chunk: see run_online_sgd)


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
    draws ``CHUNK`` samples even when fewer steps remain, so a run to a later horizon repeats
    the iterates of a shorter one bit for bit.
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
    prog = Progress(n_steps, progress_label) if progress_label else None
    sd = 1.0 / np.sqrt(mixture.lam)
    ck = 0
    while ck < steps.size and steps[ck] == 0:
        out[ck] = x
        ck += 1
    step = 0
    sidx = np.arange(S)
    while step < n_steps:
        m = min(CHUNK, n_steps - step)
        labels = rng.choice(mixture.k, size=(CHUNK, S), p=mixture.probs)
        Z = rng.standard_normal((CHUNK, S, d))
        classes = mixture.classes(labels)
        for i in range(m):
            Y = mixture.means[labels[i]] + sd * Z[i]          # (S, d)
            z = np.einsum("skd,sd->sk", x, Y)
            z -= z.max(axis=1, keepdims=True)
            pi = np.exp(z)
            pi /= pi.sum(axis=1, keepdims=True)
            pi[sidx, classes[i]] -= 1.0                         # pi - y
            x *= 1.0 - delta * beta
            x -= delta * pi[:, :, None] * Y[:, None, :]
            step += 1
            while ck < steps.size and steps[ck] == step:
                out[ck] = x
                ck += 1
        if prog:
            prog.update(m)
    return out


def checkpoint_times(t_max: float, *, t_min: float, t_switch: float, n_log: int,
                     n_linear: int) -> np.ndarray:
    """Checkpoint times: 0, ``n_log`` log-spaced in [t_min, t_switch), ``n_linear`` linear
    points in [t_switch, t_max] (dense early, where the curves move fastest)."""
    t_switch = min(t_switch, t_max)
    log_part = np.geomspace(t_min, t_switch, n_log + 1)[:-1] if n_log > 0 else np.array([])
    lin_part = np.linspace(t_switch, t_max, n_linear)
    return np.unique(np.concatenate([[0.0], log_part, lin_part]))
