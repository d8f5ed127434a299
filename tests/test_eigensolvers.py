"""The batched warm-started LOBPCG against dense eigh."""

import numpy as np

from hdsgd.data.gmm import uniform_mixture
from hdsgd.observables.alignment import alignment, principal_angles
from hdsgd.observables.block_operators import SoftmaxCurvatureBlocks
from hdsgd.observables.eigensolvers import dense_top_eigenpairs, top_eigenpairs


def _blocks(seed, d=120, k=4, M=4000, scale=1.0):
    rng = np.random.default_rng(seed)
    mix = uniform_mixture(k=k, d=d, lam=2.0, spacing=10)
    labels, Y = mix.sample(M, rng)
    x = mix.means * 1.5 * scale + 0.3 * rng.standard_normal((k, d)) / np.sqrt(d)
    return SoftmaxCurvatureBlocks(x, labels, Y, 0.01)


def test_matrix_free_top_k_eigenspace_equals_dense():
    ops = _blocks(0)
    k, p = ops.k, ops.k + 4
    X0 = np.random.default_rng(1).standard_normal((ops.n_blocks, ops.d, p))
    res = top_eigenpairs(ops.apply_columns, X0, tol=1e-10, maxiter=500, n_check=k)
    ref = dense_top_eigenpairs(ops.dense(), p)
    assert res.converged.all()
    np.testing.assert_allclose(res.values[:, :k], ref.values[:, :k], rtol=1e-9)
    angles = principal_angles(res.vectors[:, :, :k], ref.vectors[:, :, :k])
    assert angles.max() < 1e-6


def test_warm_start_needs_fewer_iterations():
    ops0, ops1 = _blocks(0), _blocks(0, scale=1.05)
    p = ops0.k + 4
    X0 = np.random.default_rng(2).standard_normal((ops0.n_blocks, ops0.d, p))
    first = top_eigenpairs(ops0.apply_columns, X0, tol=1e-8, maxiter=500, n_check=ops0.k)
    cold = top_eigenpairs(ops1.apply_columns, X0, tol=1e-8, maxiter=500, n_check=ops0.k)
    warm = top_eigenpairs(ops1.apply_columns, first.vectors, tol=1e-8, maxiter=500, n_check=ops0.k)
    assert warm.converged.all() and cold.converged.all()
    assert warm.column_applies < cold.column_applies
    assert principal_angles(warm.vectors[:, :, :4], cold.vectors[:, :, :4]).max() < 1e-5


def test_alignment_of_vectors_with_subspaces():
    rng = np.random.default_rng(3)
    Q, _ = np.linalg.qr(rng.standard_normal((50, 5)))
    inside = Q @ rng.standard_normal(5)
    assert np.isclose(alignment(inside, Q), 1.0)
    Qfull, _ = np.linalg.qr(np.c_[Q, rng.standard_normal((50, 1))])
    outside = Qfull[:, -1]
    assert abs(alignment(outside, Q)) < 1e-12
    v = 0.6 * Q[:, 0] + 0.8 * outside
    assert np.isclose(alignment(v, Q), 0.6)


def test_soft_locking_applies_only_unconverged_columns():
    """Converged pairs and finished problems get no new operator applications, and the
    result is the same eigenspace as dense eigh; per-problem n_check is honoured."""
    ops = _blocks(0)
    k, p = ops.k, ops.k + 4
    X0 = np.random.default_rng(4).standard_normal((ops.n_blocks, ops.d, p))
    widths = []

    def counting_apply(V, owner):
        widths.append(np.bincount(owner, minlength=ops.n_blocks))
        return ops.apply_columns(V, owner)

    n_check = np.full(ops.n_blocks, k)
    n_check[0] = k + 2
    res = top_eigenpairs(counting_apply, X0, tol=1e-10, maxiter=500, n_check=n_check)
    ref = dense_top_eigenpairs(ops.dense(), p)
    assert res.converged.all()
    np.testing.assert_allclose(res.values[:, :k], ref.values[:, :k], rtol=1e-9)
    np.testing.assert_allclose(res.values[0, :k + 2], ref.values[0, :k + 2], rtol=1e-9)
    assert principal_angles(res.vectors[:, :, :k], ref.vectors[:, :, :k]).max() < 1e-6
    widths = np.array(widths[1:])                 # the first call is the start block
    assert res.column_applies == ops.n_blocks * p + widths.sum()
    assert widths.min() < p                       # converged columns dropped out
    assert (widths == 0).any()                    # finished problems dropped out
    assert res.iterations.min() < res.iterations.max()


def test_column_application_matches_dense_blocks():
    ops = _blocks(1)
    rng = np.random.default_rng(5)
    V = rng.standard_normal((ops.d, 7))
    owner = np.array([0, 3, 3, 4, 7, 7, 2])
    dense = ops.dense()
    np.testing.assert_allclose(ops.apply_columns(V, owner),
                               np.stack([dense[b] @ V[:, j] for j, b in enumerate(owner)], 1),
                               rtol=1e-10, atol=1e-13)


def test_subset_application_matches_full_blocks():
    ops = _blocks(1)
    V = np.random.default_rng(5).standard_normal((ops.n_blocks, ops.d, 3))
    idx = np.array([0, 3, 4, 7])
    np.testing.assert_allclose(ops.apply(V[idx], idx), ops.apply(V)[idx], rtol=1e-12)
