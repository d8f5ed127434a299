"""The in-place GEMM update equals the dense formula for every operand layout and dtype."""

import numpy as np
import pytest

from hdsgd.training.inplace_gemm import gemm_into


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("a_fortran", [False, True])
@pytest.mark.parametrize("b_fortran", [False, True])
def test_gemm_into_updates_c_in_place(dtype, a_fortran, b_fortran):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((5, 3)).astype(dtype)
    b = rng.standard_normal((3, 4)).astype(dtype)
    a = np.asfortranarray(a) if a_fortran else a
    b = np.asfortranarray(b) if b_fortran else b
    c = rng.standard_normal((5, 4)).astype(dtype)
    expected = -0.7 * a.astype(float) @ b.astype(float) + 0.3 * c.astype(float)
    view = c[:]  # the caller's view must see the update: no copy is returned
    gemm_into(c, a, b, alpha=-0.7, beta=0.3)
    np.testing.assert_allclose(view, expected, rtol=1e-5 if dtype == np.float32 else 1e-12)


def test_gemm_into_writes_through_a_row_block_view():
    """The grid engine updates row blocks of a larger C-ordered state."""
    rng = np.random.default_rng(1)
    state = rng.standard_normal((10, 6))
    before = state.copy()
    a, b = rng.standard_normal((3, 2)), rng.standard_normal((2, 6))
    gemm_into(state[4:7], a, b, alpha=1.0, beta=0.5)
    np.testing.assert_allclose(state[4:7], a @ b + 0.5 * before[4:7], rtol=1e-12)
    np.testing.assert_array_equal(np.delete(state, [4, 5, 6], 0), np.delete(before, [4, 5, 6], 0))
