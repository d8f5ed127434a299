"""Online SGD for the two-layer XOR network (arXiv 2310.03010), vectorised over seeds.

Each step draws a fresh sample ``(y, Y)`` of the XOR mixture and updates simultaneously

    v   <- v   - delta (r h + beta v),             r = sigma(v . g(W Y)) - y, h = g(W Y)
    W_i <- W_i - delta (r v_i 1{W_i.Y > 0} Y + beta W_i).

``S`` independent runs (seeds) form a leading batch axis. (``hdsgd.training.online_sgd`` is
specific to softmax regression, hence this module.) Only the iterates at the requested
checkpoint steps are kept.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from hdsgd.data.xor import XorMixture
from hdsgd.progress import Progress

CHUNK = 1024  # samples drawn per RNG call; fixed so results do not depend on it


def run_xor_sgd(mixture: XorMixture, W0: np.ndarray, v0: np.ndarray, *, beta: float,
                delta: float, steps: np.ndarray, rng: np.random.Generator,
                progress_label: str | None = "sgd"):
    """Run from ``W0`` (S, K, d), ``v0`` (S, K); return ``W`` (n_ckpt, S, K, d), ``v``
    (n_ckpt, S, K).

    ``steps`` sorted, step 0 being the initial point.
    """
    W = np.array(W0, dtype=np.float64, copy=True)
    v = np.array(v0, dtype=np.float64, copy=True)
    if W.ndim != 3 or v.ndim != 2 or v.shape != W.shape[:2]:
        raise ValueError("W0 must be (S, K, d) and v0 (S, K)")
    S, K, d = W.shape
    if d != mixture.d:
        raise ValueError(f"W0 has dimension {d}, the mixture {mixture.d}")
    steps = np.asarray(steps, dtype=np.int64)
    n_steps = int(steps[-1]) if steps.size else 0
    W_out = np.empty((steps.size, S, K, d))
    v_out = np.empty((steps.size, S, K))
    prog = Progress(n_steps, progress_label) if progress_label else None
    ck = 0
    while ck < steps.size and steps[ck] == 0:
        W_out[ck], v_out[ck] = W, v
        ck += 1
    step = 0
    shrink = 1.0 - delta * beta
    while step < n_steps:
        m = min(CHUNK, n_steps - step)
        hidden, y, Y = mixture.sample(m * S, rng)
        Y = Y.reshape(m, S, d)
        y = y.reshape(m, S)
        for i in range(m):
            pre = np.einsum("skd,sd->sk", W, Y[i])
            h = np.maximum(pre, 0.0)
            r = expit(np.einsum("sk,sk->s", h, v)) - y[i]
            coef = (r[:, None] * v) * (pre > 0)                   # r v_i 1{W_i.Y > 0}
            v *= shrink
            v -= delta * r[:, None] * h
            W *= shrink
            W -= delta * coef[:, :, None] * Y[i][:, None, :]
            step += 1
            while ck < steps.size and steps[ck] == step:
                W_out[ck], v_out[ck] = W, v
                ck += 1
        if prog:
            prog.update(m)
    return W_out, v_out
