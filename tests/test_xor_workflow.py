"""XOR workflow (quick config): outlier counts of the vv blocks for the converging and the
sub-optimal run, and first-layer rows aligned with span(mu, nu), all read from stage files."""

import numpy as np
import pytest

from hdsgd.models.two_layer import mean_representation_singular_values
from hdsgd.observables.xor_spectra import count_outliers
from hdsgd.stages import load_stage, read_table

# fewer checkpoints than quick.yaml: the checks only need the start and the end
EXTRA = """
xor:
  runs:
    xor: {checkpoints: {t_min: 0.5, t_switch: 5.0, n_log: 0, n_linear: 3}}
    deficient: {checkpoints: {t_min: 0.5, t_switch: 5.0, n_log: 0, n_linear: 2}}
"""
MARGIN = 0.05   # config xor.spectra.outlier_margin


@pytest.mark.workflow
def test_xor_outliers_rank_and_first_layer_alignment(build_targets):
    work = build_targets(["results/xor/xor/units.csv", "results/xor/deficient/summary.csv"],
                         extra_config=EXTRA)
    good = load_stage(work / "results/xor/xor/spectra_test.npz")
    bad = load_stage(work / "results/xor/deficient/spectra_test.npz")
    bad_sgd = load_stage(work / "results/xor/deficient/sgd.npz")
    data = load_stage(work / "results/xor/deficient/data.npz")

    # Fig 2.5: one Hessian vv outlier at initialisation, four at the end of the good run
    n_good = count_outliers(good["hvv_vals"], good["hvv_edge"], MARGIN)
    assert n_good[0] == 1
    assert n_good[-1] == 4
    # Fig 2.6: the sub-optimal run ends with fewer, as many as the rank of [g(W theta)]
    n_bad = count_outliers(bad["hvv_vals"][-1], bad["hvv_edge"][-1], MARGIN)
    sv = mean_representation_singular_values(bad_sgd["W"][-1], data["hidden_means"])
    rank = int(np.sum(sv > 0.1 * sv[0]))
    assert n_bad < 4
    assert n_bad == rank

    # first-layer rows end aligned with span(mu, nu): the units with large |v_i| (fast ones)
    sgd = load_stage(work / "results/xor/xor/sgd.npz")
    W, v = sgd["W"], sgd["v"]
    frac = np.linalg.norm(W[..., :2], axis=-1) / np.linalg.norm(W, axis=-1)
    fast = np.abs(v[-1]) >= np.median(np.abs(v[-1]))
    assert np.median(frac[0]) < 0.2                  # random start: ~ sqrt(2/d)
    assert np.median(frac[-1][fast]) > 0.8
    # and E_2 of their Hessian blocks lies in span(mu, nu) (first-layer subspace theorem)
    units = read_table(work / "results/xor/xor/units.csv")
    end = units[(units["time"] == units["time"].max()) & (units["matrix"] == "hessian")]
    assert np.median(end["e2_span_fraction"]) > 0.8
