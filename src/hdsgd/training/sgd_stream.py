"""The training stream of :func:`hdsgd.training.online_sgd.run_online_sgd`, regenerated.

One-pass SGD never stores its samples. The train-data matrices of arXiv 2310.03010 Sec. 8
(Hessian and G-matrix built from the training samples instead of a held-out test set) need
them, so this module redraws them from the same generator state, in the same order: for each
chunk of ``CHUNK`` steps (always a full chunk, also the last), labels
``rng.choice(k, size=(CHUNK, S), p)`` then noise ``rng.standard_normal((CHUNK, S, d))``,
sample ``Y = mu_label + Z / sqrt(lam)``. A test replays SGD on the regenerated stream and
checks the iterates are bit-identical.
"""

from __future__ import annotations

import numpy as np

from hdsgd.data.gmm import GaussianMixture
from hdsgd.training.online_sgd import CHUNK


def online_sgd_stream(mixture: GaussianMixture, n_steps: int, n_seeds: int,
                      rng: np.random.Generator, seed_index: int = 0, dtype=np.float32):
    """Labels (n_steps,) and samples Y (n_steps, d) that seed ``seed_index`` of a
    ``run_online_sgd`` call with ``n_seeds`` seeds and generator ``rng`` consumed."""
    if not 0 <= seed_index < n_seeds:
        raise ValueError(f"seed_index must be in [0, {n_seeds}), got {seed_index}")
    sd = 1.0 / np.sqrt(mixture.lam)
    labels = np.empty(n_steps, dtype=np.int64)
    Y = np.empty((n_steps, mixture.d), dtype=dtype)
    step = 0
    while step < n_steps:
        m = min(CHUNK, n_steps - step)
        lab = rng.choice(mixture.k, size=(CHUNK, n_seeds), p=mixture.probs)[:m, seed_index]
        Z = rng.standard_normal((CHUNK, n_seeds, mixture.d))[:m, seed_index]
        labels[step:step + m] = lab
        Y[step:step + m] = mixture.means[lab] + sd * Z
        step += m
    return labels, Y
