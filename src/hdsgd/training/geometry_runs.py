"""SGD runs of the local-geometry figures (arXiv 2502.15655), set up from a run's config.

A run is softmax regression on a k-GMM with orthonormal coordinate means ``mu_a = e_{s a}``,
component proportions p (normalised), a label map c: [k] -> [C] and SNR lam; online SGD with
``delta = c_delta / d`` and ridge beta from x_0 = 0 or x_0 ~ N(0, I_d / d), several independent
runs (seeds) advanced together.
"""

from __future__ import annotations

import numpy as np

from hdsgd.data.gmm import GaussianMixture, coordinate_means
from hdsgd.seeding import rng
from hdsgd.training.online_sgd import run_online_sgd

__all__ = ["run_mixture", "initial_point", "run_sgd"]


def run_mixture(run: dict, mean_spacing: int) -> GaussianMixture:
    """The mixture of a run config (keys k, d, lam, p, label_map)."""
    p = np.asarray(run["p"], dtype=float)
    return GaussianMixture(coordinate_means(run["k"], run["d"], mean_spacing), float(run["lam"]),
                           p / p.sum(), label_map=np.asarray(run["label_map"]))


def initial_point(init: str, shape: tuple, gen: np.random.Generator) -> np.ndarray:
    """x_0 of shape (S, C, d): zeros, or i.i.d. N(0, 1/d) entries ("random")."""
    if init == "zero":
        return np.zeros(shape)
    if init == "random":
        return gen.standard_normal(shape) / np.sqrt(shape[-1])
    raise ValueError(f"init must be 'zero' or 'random', got {init!r}")


def run_sgd(run: dict, common: dict, steps: np.ndarray, stream: str) -> dict:
    """Run ``run["seeds"]`` SGD runs to the checkpoint ``steps``.

    ``common`` holds beta, c_delta, mean_spacing, seed; ``stream`` names the random streams
    (``rng(seed, "geometry-sgd-<stream>")``). Returns ``iterates`` (n_ckpt, S, C, d) and the
    mixture's ``means``, ``p``, ``label_map``.
    """
    mix = run_mixture(run, common["mean_spacing"])
    d = run["d"]
    x0 = initial_point(run["init"], (run["seeds"], mix.n_classes, d),
                       rng(common["seed"], f"geometry-init-{stream}"))
    xs = run_online_sgd(mix, x0, beta=common["beta"], delta=common["c_delta"] / d, steps=steps,
                        rng=rng(common["seed"], f"geometry-sgd-{stream}"))
    return {"iterates": xs, "means": mix.means, "p": mix.probs, "label_map": mix.label_map}
