"""End to end: Figs 2.2, 2.3 and stand-ins 9.1, 9.2 from nothing with the quick profile; the paper's
claims asserted from the stage files, not from the figures."""

import numpy as np
import pytest

from hdsgd.observables.gmm_localisation import outlier_separation
from hdsgd.stages import load_stage, read_table


@pytest.mark.workflow
def test_localisation_figures_build_and_claims_hold(build_targets):
    targets = ["figures/fig2_2.pdf", "figures/fig2_3.pdf", "figures/fig9_1.pdf",
               "figures/fig9_2.pdf"]
    work = build_targets(targets)
    for t in targets:
        assert (work / t).read_bytes().startswith(b"%PDF")
    run = work / "results/alignment/gmm"
    data, sgd = load_stage(run / "data.npz"), load_stage(run / "sgd.npz")
    sp, th = load_stage(run / "spectra_test.npz"), load_stage(run / "theory.npz")
    k = sgd.provenance["params"]["k"]

    # Fig 2.3 (left): the k outliers of H_11 stand clear of the bulk at the final checkpoint:
    # the gap l_k - l_k+1 exceeds the spread of the computed bulk eigenvalues l_k+1 .. l_n
    final = sp["h_vals"][-1, 0]
    assert outlier_separation(final, k) > 2.0
    # and the predicted bulk edge sits at l_k+1 (within 5%)
    edge = np.interp(sgd["times"][-1], th["times"], th["edge_h11"])
    assert final[k] == pytest.approx(edge, rel=0.05)

    # Fig 2.2: x^1's largest coordinate is mu_1's; x^1 is negative on the other means'
    support = np.argmax(data["means"], axis=1)
    x1 = sgd["x"][-1, 0]
    assert np.argmax(np.abs(x1)) == support[0] and x1[support[0]] > 0
    assert np.all(x1[support[1:]] < 0)

    # Fig 2.3 (right): the ODE (separate theory stage) tracks x^1 . mu_1
    m_sim = sgd["x"][:, 0] @ data["means"][0]
    m_th = np.interp(sgd["times"], th["times"], th["m"][:, 0, 0])
    assert np.abs(m_sim - m_th).max() < 0.1 * m_th.max()

    # Fig 9.1 (Sec. 8): train-data matrices carry the same outlier structure as test-data ones
    train = load_stage(run / "spectra_train.npz")
    assert outlier_separation(train["h_vals"][-1, 0], k) > 2.0

    for fig in ("fig2_2", "fig2_3", "fig9_1", "fig9_2"):
        agreement = read_table(work / f"results/alignment/{fig}/agreement.csv")
        assert len(agreement) >= 3 and agreement["pass"].all(), agreement
    series = read_table(work / "results/alignment/fig2_3/series.csv")
    assert set(series["source"]) == {"simulation", "theory"}
