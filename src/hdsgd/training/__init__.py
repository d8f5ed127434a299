"""Training layer: SGD drivers."""
