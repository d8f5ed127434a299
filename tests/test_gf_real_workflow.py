"""gf_real workflow: quick builds, a user-supplied data file, and config errors naming the key."""

import numpy as np
import pandas as pd
import pytest

from hdsgd.agreement import unexplained_failures
from hdsgd.stages import load_stage

from .conftest import copy_workflow, run_snakemake

TINY = """
gf_real:
  problems:
    cifar_standin: {dataset: cifar10_ntk, path: user_ntk.npz, n_samples: 80}
gf:
  critical:
    batch_sizes: [1, 10, 80]
    betas: {start: -0.5, stop: 0.5, num: 3}
    alpha_grid: {start: 0.05, stop: 8.0, num: 8}
    rounds: 1
    n_steps: 200
"""


@pytest.mark.workflow
def test_critical_alpha_figure_builds_from_a_user_kernel_file(tmp_path, build_targets):
    work = tmp_path / "work"
    copy_workflow(work)
    # a user's "CIFAR10 NTK" file: a real kernel (Gram matrix of real digit features)
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    F = (X[:100] - X[:100].mean()) / X[:100].std()
    np.savez(work / "user_ntk.npz", K=F @ F.T / F.shape[1], y=y[:100])
    build_targets(["figures/gf_fig11.pdf"], extra_config=TINY)
    assert (work / "figures/gf_fig11.pdf").stat().st_size > 5000
    agree = pd.read_csv(work / "results/gf/gf_fig11/agreement.csv")
    assert len(agree) == 3 and agree["measured"].notna().all()
    failing = unexplained_failures(agree)
    assert not failing, failing
    prob = load_stage(work / "results/gf_real/problem_cifar_standin.npz")
    assert "user file" in str(prob["label"]) and not bool(prob["has_network"])
    assert prob["eigvals"][0] == pytest.approx(1.0)
    # full batch (b = N) is gradient descent: its simulated edge brackets 2 (1 + beta)
    sim = load_stage(work / "results/gf/gf_fig11/simulation_b80.npz")
    edge = 2 * (1 + sim["betas"])
    assert np.all(sim["lo"] <= edge) and np.all(edge <= sim["hi"])


@pytest.mark.parametrize("extra, key", [
    ("gf_real: {problems: {mnist: {width: 0}}}", "gf_real.problems.mnist.width"),
    ("gf_real: {curves: {fig1: {problem: nope}}}", "gf_real.curves.fig1.problem"),
    ("gf: {critical: {figures: {fig11: {problem: nope}}}}",
     "gf.critical.figures.fig11.problem"),
    ("gf_real: {problems: {tabular_standin: {dataset: sgemm}}}",
     "gf_real.problems.tabular_standin.path"),
])
def test_bad_config_names_the_key(tmp_path, extra, key):
    work = copy_workflow(tmp_path / "w")
    (work / "bad.yaml").write_text(extra)
    proc = run_snakemake(work, "-n", "figures/gf_fig1.pdf", "--configfile", "config/quick.yaml",
                         "bad.yaml", check=False)
    assert proc.returncode != 0
    assert key in proc.stdout + proc.stderr
