"""XOR-type Gaussian mixture of the alignment paper (arXiv 2310.03010, §2, XOR model).

Four hidden means ``theta in {+mu, -mu, +nu, -nu}`` (orthonormal ``mu``, ``nu``), each with
probability 1/4; the label is ``y = 1`` for ``+-mu`` and ``y = 0`` for ``+-nu``; a sample is
``Y = theta + Z_lambda`` with ``Z_lambda ~ N(0, I_d / lambda)``. The figures use ``d = 1000``,
``lambda = 10``; by rotation invariance ``mu = e_1``, ``nu = e_2`` loses no generality.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HIDDEN_NAMES = ("+mu", "-mu", "+nu", "-nu")
HIDDEN_LABELS = np.array([1, 1, 0, 0])   # y of each hidden class, in HIDDEN_NAMES order


@dataclass(frozen=True)
class XorMixture:
    """XOR mixture in dimension ``d`` with noise ``N(0, I/lam)``, ``mu = e_1``, ``nu = e_2``."""

    d: int
    lam: float

    def __post_init__(self):
        if self.d < 2:
            raise ValueError(f"d must be at least 2, got {self.d}")
        if self.lam <= 0:
            raise ValueError(f"lam must be positive, got {self.lam}")

    @property
    def mu(self) -> np.ndarray:
        return np.eye(1, self.d, 0)[0]

    @property
    def nu(self) -> np.ndarray:
        return np.eye(1, self.d, 1)[0]

    @property
    def hidden_means(self) -> np.ndarray:
        """The four hidden means (4, d) in the order ``+mu, -mu, +nu, -nu``."""
        return np.stack([self.mu, -self.mu, self.nu, -self.nu])

    def sample(self, n: int, rng: np.random.Generator, dtype=np.float64):
        """Draw ``n`` samples: ``hidden`` (n,) in 0..3, labels ``y`` (n,) in {0,1}, ``Y`` (n, d).

        The noise is drawn in single precision (half the cost of the draws, which dominate
        online SGD with many seeds); ``Y`` is returned in ``dtype``.
        """
        hidden = rng.integers(0, 4, size=n)
        Y = rng.standard_normal((n, self.d), dtype=np.float32).astype(dtype, copy=False)
        Y *= 1.0 / np.sqrt(self.lam)
        Y += self.hidden_means[hidden]
        return hidden, HIDDEN_LABELS[hidden].astype(np.float64), Y
