"""k-component Gaussian mixture (k-GMM) of the alignment paper (arXiv 2310.03010, §2).

A sample is a mixture component ``a ~ Cat(p_1..p_k)`` and a point ``Y = mu_a + Z_lambda`` with
``Z_lambda ~ N(0, I_d / lambda)``: ``lambda`` is the signal-to-noise ratio (an inverse
variance). The paper's figures use orthonormal coordinate means ``mu_i = e_{50 i}``.

The observed class of component ``a`` is ``label_map[a]`` in ``[C]`` (the local-geometry paper,
arXiv 2502.15655, allows C != k, e.g. k = 4 components in C = 2 classes); by default
``label_map`` is the identity (C = k, one class per component).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class GaussianMixture:
    """Mixture with means ``means`` (k, d), noise ``N(0, I/lam)``, component probabilities
    ``probs`` and the class ``label_map[a]`` of each component (identity if None)."""

    means: np.ndarray
    lam: float
    probs: np.ndarray
    label_map: np.ndarray | None = None

    def __post_init__(self):
        if self.lam <= 0:
            raise ValueError(f"lam must be positive, got {self.lam}")
        if not np.isclose(np.sum(self.probs), 1.0) or np.any(np.asarray(self.probs) < 0):
            raise ValueError("probs must be a probability vector")
        if self.label_map is not None:
            lm = np.asarray(self.label_map, dtype=np.int64)
            if lm.shape != (self.k,) or lm.min() < 0:
                raise ValueError(f"label_map must hold {self.k} non-negative class indices")
            if set(lm.tolist()) != set(range(int(lm.max()) + 1)):
                raise ValueError("label_map must use every class 0..C-1")
            object.__setattr__(self, "label_map", lm)

    @property
    def k(self) -> int:
        return self.means.shape[0]

    @property
    def d(self) -> int:
        return self.means.shape[1]

    @property
    def n_classes(self) -> int:
        """C: number of observed classes (outputs of the classifier)."""
        return self.k if self.label_map is None else int(self.label_map.max()) + 1

    def classes(self, components: np.ndarray) -> np.ndarray:
        """Observed classes ``label_map[a]`` of components ``a`` (the components if identity)."""
        return components if self.label_map is None else self.label_map[components]

    def sample(self, n: int, rng: np.random.Generator, dtype=np.float64):
        """Draw ``n`` samples: returns the components ``labels`` (n,) int and ``Y`` (n, d).

        The observed classes are ``self.classes(labels)``.
        """
        labels = rng.choice(self.k, size=n, p=self.probs)
        Y = rng.standard_normal((n, self.d)) / np.sqrt(self.lam) + self.means[labels]
        return labels, Y.astype(dtype, copy=False)


def coordinate_means(k: int, d: int, spacing: int) -> np.ndarray:
    """Orthonormal means ``mu_i = e_{spacing * i}`` for i = 1..k (1-based coordinates)."""
    if spacing * k > d:
        raise ValueError(f"mean_spacing * k = {spacing * k} exceeds the dimension d = {d}")
    means = np.zeros((k, d))
    means[np.arange(k), spacing * np.arange(1, k + 1) - 1] = 1.0
    return means


def uniform_mixture(k: int, d: int, lam: float, spacing: int) -> GaussianMixture:
    """The paper's figure setting: coordinate means, uniform class probabilities."""
    return GaussianMixture(coordinate_means(k, d, spacing), float(lam), np.full(k, 1.0 / k))
