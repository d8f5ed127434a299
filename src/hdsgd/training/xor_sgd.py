"""Online SGD for the two-layer XOR network (arXiv 2310.03010), vectorised over seeds.

Each step draws a fresh sample ``(y, Y)`` of the XOR mixture and updates simultaneously

    v   <- v   - delta (r h + beta v),             r = sigma(v . g(W Y)) - y, h = g(W Y)
    W_i <- W_i - delta (r v_i 1{W_i.Y > 0} Y + beta W_i).

``S`` independent runs (seeds) form a leading batch axis; each has its own generator, so run s
of a batch is bit for bit the run of that seed alone (a seed scan and the figure's single run
share their trajectories). Streams are prefix-stable: samples are drawn in chunks of ``CHUNK``
per seed, always full, so a run to a later horizon repeats a shorter one exactly. The ridge
shrinkage of W is kept as a scalar factor (``W = scale * W_tilde``), which saves one pass over W
per step. Only the iterates at the requested checkpoint steps are kept.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.special import expit

from hdsgd.data.xor import XorMixture
from hdsgd.progress import Progress

CHUNK = 1024        # samples drawn per generator call (always a full chunk)
SEED_BLOCK = 8      # seeds advanced together (their W fits in cache)


def run_xor_sgd(mixture: XorMixture, W0: np.ndarray, v0: np.ndarray, *, beta: float,
                delta: float, steps: np.ndarray,
                rngs: Sequence[np.random.Generator] | np.random.Generator,
                progress_label: str | None = "sgd"):
    """Run from ``W0`` (S, K, d), ``v0`` (S, K) with one generator per seed in ``rngs`` (a
    single generator for S = 1); return ``W`` (n_ckpt, S, K, d), ``v`` (n_ckpt, S, K).

    ``steps`` sorted, step 0 being the initial point.
    """
    W = np.array(W0, dtype=np.float64, copy=True)
    v = np.array(v0, dtype=np.float64, copy=True)
    if W.ndim != 3 or v.ndim != 2 or v.shape != W.shape[:2]:
        raise ValueError("W0 must be (S, K, d) and v0 (S, K)")
    S, K, d = W.shape
    if d != mixture.d:
        raise ValueError(f"W0 has dimension {d}, the mixture {mixture.d}")
    rngs = [rngs] if isinstance(rngs, np.random.Generator) else list(rngs)
    if len(rngs) != S:
        raise ValueError(f"need one generator per seed: {S} seeds, {len(rngs)} generators")
    steps = np.asarray(steps, dtype=np.int64)
    n_steps = int(steps[-1]) if steps.size else 0
    W_out = np.empty((steps.size, S, K, d))
    v_out = np.empty((steps.size, S, K))
    prog = Progress(n_steps, progress_label) if progress_label else None
    ck = 0
    while ck < steps.size and steps[ck] == 0:
        W_out[ck], v_out[ck] = W, v
        ck += 1
    shrink = 1.0 - delta * beta
    step = 0
    while step < n_steps:
        m = min(CHUNK, n_steps - step)
        marks = steps[(steps > step) & (steps <= step + m)] - step  # checkpoints in this chunk
        for a in range(0, S, SEED_BLOCK):       # one block's samples in memory at a time
            blk = slice(a, min(a + SEED_BLOCK, S))
            draws = [mixture.sample(CHUNK, g) for g in rngs[blk]]
            y = np.stack([dr[1][:m] for dr in draws], axis=1)      # (m, s)
            Y = np.stack([dr[2][:m] for dr in draws], axis=1)      # (m, s, d)
            del draws
            saved = _advance(W[blk], v[blk], y, Y, delta, shrink, marks)
            for j, (Wc, vc) in enumerate(saved):
                W_out[ck + j, blk], v_out[ck + j, blk] = Wc, vc
        ck += marks.size
        step += m
        if prog:
            prog.update(m)
    return W_out, v_out


def _advance(W, v, y, Y, delta, shrink, marks):
    """``len(y)`` steps of the seeds in ``W`` (s, K, d), ``v`` (s, K), in place; returns
    copies of the iterates after the steps listed in ``marks`` (1-based)."""
    saved = []
    scale = 1.0                                   # true W = scale * W
    marks = set(int(x) for x in marks)
    for i in range(y.shape[0]):
        Yi = Y[i]
        pre = scale * np.matmul(W, Yi[:, :, None])[:, :, 0]        # (s, K) = W_i . Y
        act = pre > 0
        h = np.where(act, pre, 0.0)
        r = expit(np.einsum("sk,sk->s", h, v)) - y[i]
        coef = (r[:, None] * v) * act                               # r v_i 1{W_i.Y > 0}
        v *= shrink
        v -= delta * r[:, None] * h
        scale *= shrink
        W -= (delta / scale) * coef[:, :, None] * Yi[:, None, :]
        if i + 1 in marks:
            saved.append((scale * W, v.copy()))
    W *= scale
    return saved


def run_xor_sgd_seeds(mixture: XorMixture, seeds, *, K: int, beta: float, c_delta: float,
                      v_init_scale: float, t_max: float, checkpoints: dict,
                      progress_label: str | None = "sgd"):
    """The runs of the given seeds, vectorised: ``W_i(0) ~ N(0, I_d/d)``,
    ``v(0) ~ N(0, v_init_scale^2 I_K)``, delta = c_delta / d, checkpoints at rescaled times
    :func:`~hdsgd.training.online_sgd.checkpoint_times` up to ``t_max``. Seed s draws from the
    named streams ``(s, "init")``, ``(s, "init-v")``, ``(s, "sgd")``, so its trajectory does not
    depend on the other seeds. Returns steps, W (n_ckpt, S, K, d), v (n_ckpt, S, K)."""
    from hdsgd.seeding import rng
    from hdsgd.training.online_sgd import checkpoint_steps, checkpoint_times

    d = mixture.d
    delta = c_delta / d
    steps = checkpoint_steps(checkpoint_times(t_max, **checkpoints), delta)
    W0 = np.stack([rng(s, "init").standard_normal((K, d)) / np.sqrt(d) for s in seeds])
    v0 = np.stack([v_init_scale * rng(s, "init-v").standard_normal(K) for s in seeds])
    W, v = run_xor_sgd(mixture, W0, v0, beta=beta, delta=delta, steps=steps,
                       rngs=[rng(s, "sgd") for s in seeds], progress_label=progress_label)
    return steps, W, v
