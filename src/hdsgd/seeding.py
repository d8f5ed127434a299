"""Independent, named random streams derived from one integer seed.

``rng(seed, "test")`` and ``rng(seed, "sgd")`` are independent generators, so adding a new
consumer of randomness never changes the numbers an existing stage draws.
"""

from __future__ import annotations

import zlib

import numpy as np


def rng(seed: int, purpose: str) -> np.random.Generator:
    """Generator for ``purpose`` (any string) under the integer ``seed``."""
    key = zlib.crc32(purpose.encode())
    return np.random.default_rng(np.random.SeedSequence([int(seed), key]))
