"""End to end: figures/fig2_1.pdf from nothing with the quick profile, then a no-op rerun."""

import numpy as np
import pytest

from hdsgd.stages import load_stage, read_table

from .conftest import run_snakemake


@pytest.mark.workflow
def test_fig2_1_builds_and_alignment_rises(quick_all):
    work = quick_all
    assert (work / "figures/quick/fig2_1.pdf").read_bytes().startswith(b"%PDF")
    table = read_table(work / "results/quick/alignment/fig2_1/series.csv")
    assert set(table["matrix"]) == {"hessian", "G"}
    for matrix in ("hessian", "G"):
        m = table[table["matrix"] == matrix]
        first = m[m["time"] == m["time"].min()].sort_values("class")["alignment"].to_numpy()
        last = m[m["time"] == m["time"].max()].sort_values("class")["alignment"].to_numpy()
        # every class ends well aligned and far above where it started
        assert np.all(last > first + 0.25), (matrix, first, last)
        assert last.mean() > 0.7
    agreement = read_table(work / "results/quick/alignment/fig2_1/agreement.csv")
    assert agreement["pass"].all()
    sgd = load_stage(work / "results/quick/alignment/gmm/simulation.npz")
    assert sgd.provenance["params"]["run"]["d"] == 200 and sgd.provenance["seed"] == 0
    assert {"numpy", "scipy", "hdsgd"} <= set(sgd.provenance["versions"])

    again = run_snakemake(work, "all", "--cores", "1", "-n", "--configfile", "config/quick.yaml")
    assert "Nothing to be done" in again.stdout + again.stderr

    # touching one stage's config value reruns that stage and what depends on it, only
    (work / "tol.yaml").write_text("variant: quick\nalignment:\n  spectra:\n    tol_g: 2.0e-4\n")
    dry = run_snakemake(work, "figures/quick/fig2_1.pdf", "--cores", "1", "-n",
                        "--configfile", "config/quick.yaml", "tol.yaml")
    out = dry.stdout + dry.stderr
    assert "alignment_gmm_observables" in out and "alignment_fig2_1_figure" in out
    assert "alignment_gmm_simulation" not in out and "alignment_gmm_data" not in out
