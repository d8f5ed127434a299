"""Models: losses and their derivatives (data-model layer)."""
