"""Mini-batch heavy-ball SGD on a quadratic (kernel) problem, vectorised over whole (alpha, beta)
grids and seeds (arXiv 2206.11124, eq. 1).

Function-space form. For L(w) = |J w - y|^2 / (2N) with a realisable target, the residual
r = J w - y (N-vector) and the velocity p = J v evolve with the Gram matrix K = J J^T as

    p_{t+1} = beta p_t - (alpha / b) K[:, B_t] r_t[B_t],    r_{t+1} = r_t + p_{t+1},

with B_t = b distinct indices drawn uniformly from 1..N at every step, and L_t = |r_t|^2 / (2N).
This is exactly weight-space heavy-ball SGD (multiply the weight update by J), at O(N b) cost
per step instead of O(N d).

Vectorisation: the state is an array (seeds, configs, N). All configurations of one seed share
the batch sequence (common random numbers: each configuration is still exact SGD, and grid
comparisons are less noisy); seeds draw independent sequences from
``hdsgd.seeding.rng(seed, "gf-batches")``.

The state is updated in blocks of rows small enough to stay in L2 cache (``ROW_BLOCK_BYTES``),
so the passes over a block touch main memory once instead of streaming the whole state through
four separate numpy passes (``benchmarks/bench_gf_grid.py`` measures both side by side). Large
grids: per seed and block of configurations, ``p *= beta``, one in-place BLAS GEMM
``p <- p - (alpha/b) r[:, B] K[B, :]``, ``r += p``. Few configurations and many seeds: per block
of seeds, one batched matmul (S_blk, G, b) @ (S_blk, b, N) and the same in-cache updates.

Divergence: every ``check_every`` steps (and at recorded steps) the loss of each run is compared
with ``diverge_factor * L_0``; a run above it or non-finite is recorded (step, loss value),
frozen at zero and reported as ``inf`` at later recorded steps. Overflow never raises.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hdsgd.seeding import rng as named_rng
from hdsgd.training.inplace_gemm import gemm_into

__all__ = ["SGDGridResult", "minibatch_sgd_grid", "sample_batches"]

#: bytes of one block of state rows (p and r blocks stay in a 512 KiB-1 MiB L2 cache together)
ROW_BLOCK_BYTES = 1 << 18


@dataclass
class SGDGridResult:
    """losses (S, G, R) at ``steps`` (R,); diverged_step (S, G) (-1: never); diverged_loss."""

    steps: np.ndarray
    losses: np.ndarray
    diverged_step: np.ndarray
    diverged_loss: np.ndarray

    @property
    def diverged(self) -> np.ndarray:
        return self.diverged_step >= 0


def sample_batches(gen: np.random.Generator, n_data: int, batch_size: int, n_steps: int):
    """(n_steps, batch_size) indices, each row b distinct points drawn uniformly from n_data.

    Small batches (b^2 <= N, so a row repeats an index with probability < 1/2): draw with
    replacement and redraw the rows that repeat (rejection keeps every b-subset equally likely),
    O(b) per row. Larger batches: the b smallest of N uniform keys, O(N) per row."""
    if batch_size == n_data:
        return np.broadcast_to(np.arange(n_data), (n_steps, n_data))
    if batch_size * batch_size <= n_data:
        idx = gen.integers(0, n_data, (n_steps, batch_size))
        while True:
            ordered = np.sort(idx, axis=1)
            repeat = np.flatnonzero((ordered[:, 1:] == ordered[:, :-1]).any(axis=1))
            if repeat.size == 0:
                return idx
            idx[repeat] = gen.integers(0, n_data, (repeat.size, batch_size))
    keys = gen.random((n_steps, n_data))
    return np.argpartition(keys, batch_size - 1, axis=1)[:, :batch_size]


def minibatch_sgd_grid(gram, r0, alphas, betas, *, batch_size: int, n_steps: int, seeds,
                       record_steps, diverge_factor: float = 1e8, check_every: int = 10,
                       chunk: int = 256, dtype=np.float64, progress=None) -> SGDGridResult:
    """Run heavy-ball SGD for every (alphas[g], betas[g]) pair and every seed at once.

    ``gram``: K = J J^T (N x N); ``r0``: initial residual (N,); ``alphas``, ``betas``: equal-
    length 1-D arrays (flatten a grid before calling); ``record_steps``: sorted step indices in
    0..n_steps at which L_t = |r_t|^2 / (2N) is stored; ``progress``: optional object with
    ``update(n)`` (e.g. :class:`hdsgd.progress.Progress` over ``n_steps``); ``dtype`` of the
    state (float32 halves the memory traffic of large grids; losses are accumulated in float64).

    With one seed, diverged configurations are dropped from the state (their recorded losses are
    ``inf`` anyway), so a grid whose upper part blows up early costs only its converging part.
    With ``batch_size == N`` every step uses the whole data set (full-batch heavy ball, no
    randomness): the run is done in the eigenbasis of K, K = Q diag(mu) Q^T, where the step
    p <- beta p - (alpha/N) K r acts on each coordinate of Q^T r separately (O(N) per step
    instead of O(N^2)); the loss |r|^2 / (2N) is the same in either basis.
    """
    gram = np.asarray(gram, dtype=float)
    r0 = np.asarray(r0, dtype=float)
    n = r0.shape[0]
    if gram.shape != (n, n):
        raise ValueError(f"gram shape {gram.shape} does not match r0 length {n}")
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be in 1..{n}, got {batch_size}")
    alphas = np.asarray(alphas, dtype=float).ravel()
    betas = np.asarray(betas, dtype=float).ravel()
    if alphas.shape != betas.shape:
        raise ValueError("alphas and betas must have the same length")
    seeds = [int(s) for s in np.atleast_1d(seeds)]
    steps = np.asarray(record_steps, dtype=int)
    if steps.ndim != 1 or np.any(np.diff(steps) <= 0) or steps[0] < 0 or steps[-1] > n_steps:
        raise ValueError("record_steps must be increasing integers within 0..n_steps")
    n_seeds, n_cfg = len(seeds), alphas.size
    full_batch = batch_size == n
    if full_batch:
        mu, q = np.linalg.eigh(gram)
        r0 = q.T @ r0
        gram_t = (mu / n).astype(dtype)              # per-coordinate step factor
    else:
        gram_t = gram.astype(dtype)
        gens = [named_rng(s, "gf-batches") for s in seeds]

    r = np.broadcast_to(r0.astype(dtype), (n_seeds, n_cfg, n)).copy()
    p = np.zeros_like(r)
    rows = max(1, ROW_BLOCK_BYTES // (n * r.itemsize))
    live = np.arange(n_cfg)                          # configurations still in the state
    step_size = (alphas / batch_size).astype(dtype)[:, None]
    momentum = betas.astype(dtype)[:, None]
    loss0 = r0 @ r0 / (2 * n)
    limit = diverge_factor * loss0
    losses = np.full((n_seeds, n_cfg, steps.size), np.inf)
    div_step = np.full((n_seeds, n_cfg), -1, dtype=np.int64)
    div_loss = np.full((n_seeds, n_cfg), np.nan)
    record_at = {int(s): i for i, s in enumerate(steps)}

    def blocks(n_rows):
        return [slice(c, min(c + rows, n_rows)) for c in range(0, n_rows, rows)]

    def check(t):
        nonlocal r, p, step_size, momentum, live, config_blocks, cfg_ix
        with np.errstate(over="ignore", invalid="ignore"):
            loss = np.einsum("sgn,sgn->sg", r, r, dtype=np.float64) / (2 * n)
        bad = ~np.isfinite(loss) | (loss > limit)
        new = bad & (div_step[:, live] < 0)
        if new.any():
            sub = div_step[:, live]
            sub[new] = t
            div_step[:, live] = sub
            sub = div_loss[:, live]
            sub[new] = loss[new]
            div_loss[:, live] = sub
            r[new] = 0.0
            p[new] = 0.0
        if t in record_at:
            alive = div_step[:, live] < 0
            losses[:, live, record_at[t]] = np.where(alive, loss, np.inf)
        if n_seeds == 1 and new.any():               # drop diverged configurations
            keep = ~new[0]
            live = live[keep]
            r, p = r[:, keep], p[:, keep]
            step_size, momentum = step_size[keep], momentum[keep]
            config_blocks = blocks(live.size)
            cfg_ix = np.arange(live.size)[None, :, None]

    def step_configs(r_s, p_s, idx):
        """One seed of a large grid: p <- beta p - (alpha/b) r[:, B] K[B, :], r <- r + p, block
        by block, the product accumulated into p by an in-place GEMM."""
        k_b = gram_t[idx]                                     # (b, N)
        r_b = r_s[:, idx] * step_size                         # (G, b)
        for blk in config_blocks:
            p_blk = p_s[blk]
            p_blk *= momentum[blk]
            gemm_into(p_blk, r_b[blk], k_b, alpha=-1.0, beta=1.0)
            r_s[blk] += p_blk

    def step_seeds(blk, idx):
        """A block of seeds of a small grid (G < one block): the same update for all of them
        with one batched matmul (S_blk, G, b) @ (S_blk, b, N); the block fits in cache."""
        r_s, p_s = r[blk], p[blk]
        sel = np.arange(idx.shape[0])[:, None, None], cfg_ix, idx[:, None, :]
        grad = (r_s[sel] * step_size) @ gram_t[idx]
        p_s *= momentum
        p_s -= grad
        r_s += p_s

    def step_full_batch():
        """Full batch in the eigenbasis: p <- beta p - alpha (mu/N) r, r <- r + p."""
        for s in range(n_seeds):
            for blk in config_blocks:
                p_blk, r_blk = p[s, blk], r[s, blk]
                p_blk *= momentum[blk]
                p_blk -= (step_size[blk] * batch_size) * gram_t * r_blk
                r_blk += p_blk

    cfg_ix = np.arange(n_cfg)[None, :, None]
    config_blocks = blocks(n_cfg)
    per_block = max(1, rows // n_cfg)
    seed_blocks = [slice(s, min(s + per_block, n_seeds)) for s in range(0, n_seeds, per_block)]

    check(0)
    batches = None
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, n_steps + 1):
            if full_batch:
                step_full_batch()
            else:
                j = (t - 1) % chunk
                if j == 0:
                    batches = np.stack([sample_batches(g, n, batch_size,
                                                       min(chunk, n_steps - t + 1))
                                        for g in gens], axis=1)       # (chunk, S, b)
                if n_cfg >= rows:
                    for s in range(n_seeds):
                        step_configs(r[s], p[s], batches[j, s])
                else:
                    for blk in seed_blocks:
                        step_seeds(blk, batches[j, blk])
            if t % check_every == 0 or t in record_at:
                check(t)
            if progress is not None:
                progress.update(1)
            if live.size == 0:
                if progress is not None:
                    progress.update(n_steps - t)
                break
    return SGDGridResult(steps, losses, div_step, div_loss)
