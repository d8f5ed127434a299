"""Observables layer: matrix-free curvature operators, eigensolvers, alignment."""
