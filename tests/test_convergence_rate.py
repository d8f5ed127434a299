"""The convergence-rate fit of the *_scaling figures: it recovers a known rate from noisy runs,
its bootstrap error bar covers the truth, and a biased (wrong) theory levels off at slope 0."""

import numpy as np
import pytest

from hdsgd.observables.convergence_rate import fit_rate, rate_rows, rate_series, squared_gaps

SIZES = [250, 500, 1000, 2000, 4000]


def _runs(d, n_runs, gen, bias=0.0, n_t=30):
    """Single runs of a curve whose fluctuation is d^-1/2 (plus a fixed bias)."""
    theory = np.sin(np.linspace(0, 3, n_t))
    return theory + bias + gen.standard_normal((n_runs, n_t)) / np.sqrt(d), theory


def test_a_d_to_the_minus_half_fluctuation_gives_slope_minus_half():
    gen = np.random.default_rng(1)
    gaps = [squared_gaps(*_runs(d, 12, gen)) for d in SIZES]
    fit = fit_rate(SIZES, gaps)
    assert fit.slope == pytest.approx(-0.5, abs=3 * fit.slope_se)
    assert 0.002 < fit.slope_se < 0.05
    assert np.all(fit.gap_lo <= fit.gap) and np.all(fit.gap <= fit.gap_hi)
    rows = rate_rows(fit, figure="x_scaling", paper="p", quantity="q", expected=-0.5, tol=0.1,
                     why_expected="CLT")
    assert rows[0]["pass"] and rows[0]["measured"] == pytest.approx(abs(fit.slope + 0.5))


def test_a_wrong_theory_levels_off_and_fails_the_row():
    gen = np.random.default_rng(2)
    gaps = [squared_gaps(*_runs(d, 12, gen, bias=0.1)) for d in SIZES]
    fit = fit_rate(SIZES, gaps)
    assert abs(fit.slope) < 0.1
    rows = rate_rows(fit, figure="x_scaling", paper="p", quantity="q", expected=-0.5, tol=0.1,
                     why_expected="CLT")
    assert not rows[0]["pass"]


def test_the_fit_is_deterministic_and_the_series_draws_the_expected_rate():
    gen = np.random.default_rng(3)
    gaps = [squared_gaps(*_runs(d, 5, gen)) for d in SIZES]
    a, b = fit_rate(SIZES, gaps, seed=4), fit_rate(SIZES, gaps, seed=4)
    assert a.slope_se == b.slope_se
    rows = rate_series(a, quantity="q", expected=-0.5)
    exp = [r for r in rows if r["curve"] == "expected"]
    ratio = exp[-1]["gap"] / exp[0]["gap"]
    assert ratio == pytest.approx((SIZES[-1] / SIZES[0]) ** -0.5)
    with pytest.raises(ValueError, match="at least 3 sizes"):
        fit_rate(SIZES[:2], gaps[:2])
