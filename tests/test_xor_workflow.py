"""XOR workflow (quick config): vv outlier counts of the converging and the sub-optimal run,
rank of [g(W theta)] at every checkpoint, first-layer rows aligned with span(mu, nu), all read
from stage files; every agreement row passes."""

import numpy as np
import pytest

from hdsgd.models.two_layer import mean_representation_singular_values
from hdsgd.stages import load_stage, read_table


@pytest.mark.workflow
def test_xor_outliers_rank_and_first_layer_alignment(build_targets):
    figs = ["fig2_4", "fig2_5", "fig2_6", "xor_first_layer"]
    work = build_targets([f"figures/quick/{f}.pdf" for f in figs])
    good = load_stage(work / "results/quick/xor/xor/observables.npz")
    bad = load_stage(work / "results/quick/xor/deficient/observables.npz")
    bad_sim = load_stage(work / "results/quick/xor/deficient/simulation.npz")
    data = load_stage(work / "results/quick/xor/deficient/data.npz")

    # Fig 2.5: one Hessian vv outlier at initialisation, four at the end of the good run
    assert good["n_outliers_hessian"][0] == 1 and good["n_outliers_hessian"][-1] == 4
    # the bulk edge bounds lambda_5 (Courant-Fischer) at every checkpoint
    assert np.all(good["hvv_vals"][:, 4] <= good["hvv_edge"] * (1 + 1e-12))
    # Fig 2.6: full rank at t = 0, as many outliers as the rank of [g(W theta)] at the end
    sv = np.array([mean_representation_singular_values(W, data["hidden_means"])
                   for W in bad_sim["W"]])
    np.testing.assert_allclose(sv[:, :4], bad["sv"], rtol=1e-12)
    assert bad["rank"][0] == 4 and bad["rank"][-1] < 4
    assert bad["n_outliers_hessian"][-1] == bad["rank"][-1]
    # the run was not given first-layer spectra (Fig 2.6 shows only the vv blocks)
    assert "hw_vals" not in set(bad)

    # first-layer rows end aligned with span(mu, nu): the units with large |v_i| (fast ones)
    sim = load_stage(work / "results/quick/xor/xor/simulation.npz")
    W, v = sim["W"], sim["v"]
    frac = np.linalg.norm(W[..., :2], axis=-1) / np.linalg.norm(W, axis=-1)
    fast = np.abs(v[-1]) >= np.median(np.abs(v[-1]))
    assert np.median(frac[0]) < 0.2                  # random start: ~ sqrt(2/d)
    assert np.median(frac[-1][fast]) > 0.8
    # and E_2 of their Hessian blocks lies in span(mu, nu) (first-layer subspace theorem)
    assert np.median(good["e2_span_fraction_hessian"][-1]) > 0.8
    for fig in figs:
        agreement = read_table(work / f"results/quick/xor/{fig}/agreement.csv")
        assert agreement["pass"].all(), agreement
