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
    mnist: {n_samples: 300, width: 100}
    cifar_standin: {dataset: cifar10_ntk, path: user_ntk.npz, n_samples: 320}
  curves:
    fig9: {n_steps: 200, n_records: 20, seeds: 16}
"""  # fig9: enough runs and records that the mean's noise stays below the rows' 0.1 per decade


@pytest.mark.workflow
def test_real_data_figures_build_from_mnist_and_a_user_kernel_file(tmp_path, build_targets):
    work = tmp_path / "work"
    copy_workflow(work)
    # a user's "CIFAR10 NTK" file: a real kernel, the empirical NTK of a network on real digits
    # (as many points as the largest quick batch of Fig 11, which reads the same problem)
    from sklearn.datasets import load_digits

    from hdsgd.models import ntk

    X, y = load_digits(return_X_y=True)
    F = (X[:320] - X[:320].mean()) / X[:320].std()
    K = ntk.empirical_ntk(ntk.init_two_layer(64, 300, seed=1), F)
    np.savez(work / "user_ntk.npz", K=K, y=y[:320])
    build_targets(["figures/quick/gf_fig8.pdf", "figures/quick/gf_fig9.pdf"], extra_config=TINY)
    for fig in ("fig8", "fig9"):
        assert (work / f"figures/quick/gf_{fig}.pdf").stat().st_size > 5000
        agree = pd.read_csv(work / f"results/quick/gf_real/{fig}/agreement.csv")
        assert len(agree) > 0 and agree["measured"].notna().all()
        failing = unexplained_failures(agree)
        assert not failing, failing
    prob = load_stage(work / "results/quick/gf_real/problems/cifar_standin/data.npz")
    assert "user file" in str(prob["label"]) and not bool(prob["has_network"])
    assert prob["eigvals"][0] == pytest.approx(1.0)
    # Fig 8 reads the exact second-moment run of Fig 7's MNIST panel (N = 300 here)
    theory = load_stage(work / "results/quick/gf_real/fig7/mnist/theory.npz")
    assert theory["exact"].shape[1] == 101 and theory["trace_ss"].shape == (1, 100)


@pytest.mark.parametrize("extra, key", [
    ("gf_real: {problems: {mnist: {width: 0}}}", "gf_real.problems.mnist.width"),
    ("gf_real: {curves: {fig1: {problems: [nope]}}}", "gf_real.curves.fig1.problems"),
    ("gf_real: {problems: {mnist_3000: {n_samples: 50}}}",
     "gf_real.curves.fig1.configs[1].batch_size"),
    ("gf_real: {noise_distance: {fig8: {source: fig9}}}", "gf_real.noise_distance.fig8.source"),
    ("gf: {critical: {figures: {fig11: {problem: nope}}}}",
     "gf.critical.figures.fig11.problem"),
    ("gf_real: {problems: {sgemm_standin: {dataset: sgemm}}}",
     "gf_real.problems.sgemm_standin.path"),
])
def test_bad_config_names_the_key(tmp_path, extra, key):
    work = copy_workflow(tmp_path / "w")
    (work / "bad.yaml").write_text(extra)
    proc = run_snakemake(work, "-n", "figures/quick/gf_fig1.pdf", "--configfile",
                         "config/quick.yaml", "bad.yaml", check=False)
    assert proc.returncode != 0
    assert key in proc.stdout + proc.stderr
