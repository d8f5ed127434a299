"""Alignment paper (arXiv 2310.03010), k-GMM single-layer figures.

Stages per run (a key of config alignment.runs):
data (means + fixed test sample) -> sgd (checkpointed online SGD) -> spectra (top eigenpairs
of every H_cc and G_cc block, warm-started) -> alignment table -> figures.
"""

ALIGN = config["alignment"]
check_section("alignment")
for _name, _run in ALIGN["runs"].items():
    check(
        _run["mean_spacing"] * _run["k"] <= _run["d"],
        f"alignment.runs.{_name}.mean_spacing",
        f"mean_spacing * k = {_run['mean_spacing'] * _run['k']} exceeds d = {_run['d']}",
    )
    check(
        3 * ALIGN["spectra"]["n_eig"] <= _run["d"],
        "alignment.spectra.n_eig",
        f"n_eig = {ALIGN['spectra']['n_eig']} too large for d = {_run['d']} (need 3 n_eig <= d)",
    )
    check(
        ALIGN["spectra"]["n_eig"] >= _run["k"],
        "alignment.spectra.n_eig",
        f"n_eig must be at least k = {_run['k']}",
    )
check(
    ALIGN["fig2_1"]["run"] in ALIGN["runs"],
    "alignment.fig2_1.run",
    f"unknown run {ALIGN['fig2_1']['run']!r}",
)

FIGURES.append("figures/fig2_1.pdf")
AGREEMENTS.append("results/alignment/fig2_1/agreement.csv")


rule alignment_data:
    input:
        code=code_files("data/gmm.py", "seeding.py"),
    output:
        "results/alignment/{run}/data.npz",
    params:
        run=run_config("alignment", "k", "d", "lam", "mean_spacing", "test_factor", "seed"),
    log:
        "logs/alignment/data_{run}.log",
    benchmark:
        "logs/alignment/data_{run}.bench.tsv"
    resources:
        mem_mb=2000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/alignment/data.py"


rule alignment_sgd:
    input:
        data="results/alignment/{run}/data.npz",
        code=code_files("training/online_sgd.py", "data/gmm.py", "seeding.py"),
    output:
        "results/alignment/{run}/sgd.npz",
    params:
        run=run_config("alignment"),
    log:
        "logs/alignment/sgd_{run}.log",
    benchmark:
        "logs/alignment/sgd_{run}.bench.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/alignment/sgd.py"


rule alignment_spectra:
    input:
        data="results/alignment/{run}/data.npz",
        sgd="results/alignment/{run}/sgd.npz",
        code=code_files(
            "observables/spectra.py",
            "observables/block_operators.py",
            "observables/eigensolvers.py",
            "models/softmax_regression.py",
        ),
    output:
        "results/alignment/{run}/spectra_test.npz",
    params:
        run=run_config("alignment"),
        spectra=ALIGN["spectra"],
    log:
        "logs/alignment/spectra_{run}.log",
    benchmark:
        "logs/alignment/spectra_{run}.bench.tsv"
    threads: 2
    priority: 1  # long stage: start it early so short jobs fill the last minutes
    resources:
        mem_mb=6000,
        runtime=60,
    conda:
        ENV
    script:
        "../scripts/alignment/spectra.py"


rule alignment_table:
    input:
        data="results/alignment/{run}/data.npz",
        sgd="results/alignment/{run}/sgd.npz",
        spectra="results/alignment/{run}/spectra_test.npz",
        code=code_files("observables/alignment.py", "models/softmax_regression.py"),
    output:
        table="results/alignment/{run}/alignment.csv",
        accuracy="results/alignment/{run}/accuracy.csv",
    params:
        run=run_config("alignment"),
    log:
        "logs/alignment/table_{run}.log",
    resources:
        mem_mb=2000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/alignment/table.py"


rule alignment_fig2_1_agreement:
    input:
        table=f"results/alignment/{ALIGN['fig2_1']['run']}/alignment.csv",
        code=code_files("agreement.py"),
    output:
        "results/alignment/fig2_1/agreement.csv",
    params:
        fig=ALIGN["fig2_1"],
    log:
        "logs/alignment/fig2_1_agreement.log",
    conda:
        ENV
    script:
        "../scripts/alignment/fig2_1_agreement.py"


rule alignment_fig2_1:
    input:
        table=f"results/alignment/{ALIGN['fig2_1']['run']}/alignment.csv",
        agreement="results/alignment/fig2_1/agreement.csv",
        code=code_files("plotting/style.py", "plotting/alignment_panels.py"),
    output:
        figure_pdf("fig2_1", "Alignment paper: k-GMM"),
    params:
        run=ALIGN["runs"][ALIGN["fig2_1"]["run"]],
    log:
        "logs/alignment/fig2_1.log",
    conda:
        ENV
    script:
        "../scripts/alignment/fig2_1.py"


# ---- Figs 2.2, 2.3 and the k-GMM stand-in Fig 9.2 (effective dynamics + localisation) ----

for _fig in ("fig2_2", "fig2_3", "fig9_1", "fig9_2"):
    check(
        ALIGN[_fig]["run"] in ALIGN["runs"],
        f"alignment.{_fig}.run",
        f"unknown run {ALIGN[_fig]['run']!r}",
    )
for _fig in ("fig2_2", "fig2_3", "fig9_1", "fig9_2"):
    FIGURES.append(f"figures/{_fig}.pdf")
    AGREEMENTS.append(f"results/alignment/{_fig}/agreement.csv")


# stage files of the run each figure draws (config alignment.<fig>.run)
_ALIGN_STAGES = {
    _fig: {
        _s: f"results/alignment/{ALIGN[_fig]['run']}/{_f}.npz"
        for _s, _f in [("data", "data"), ("sgd", "sgd"), ("spectra", "spectra_test"),
                       ("theory", "theory"), ("spectra_train", "spectra_train")]
    }
    for _fig in ("fig2_2", "fig2_3", "fig9_1", "fig9_2")
}


rule alignment_theory:
    input:
        data="results/alignment/{run}/data.npz",
        sgd="results/alignment/{run}/sgd.npz",  # only its initial point x_0 (theory.init)
        code=code_files("theory/gmm_effective_dynamics.py", "training/online_sgd.py"),
    output:
        "results/alignment/{run}/theory.npz",
    params:
        run=run_config(
            "alignment", "k", "d", "lam", "beta", "c_delta", "test_factor", "t_max", "checkpoints"
        ),
        theory=ALIGN["theory"],
    log:
        "logs/alignment/theory_{run}.log",
    benchmark:
        "logs/alignment/theory_{run}.bench.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/alignment/theory.py"


rule alignment_spectra_train:
    input:
        data="results/alignment/{run}/data.npz",
        sgd="results/alignment/{run}/sgd.npz",
        code=code_files(
            "training/sgd_stream.py",
            "observables/spectra.py",
            "observables/block_operators.py",
            "observables/eigensolvers.py",
        ),
    output:
        "results/alignment/{run}/spectra_train.npz",
    params:
        run=run_config("alignment", "k", "d", "lam", "beta", "seed"),
        spectra=ALIGN["spectra"],
    log:
        "logs/alignment/spectra_train_{run}.log",
    benchmark:
        "logs/alignment/spectra_train_{run}.bench.tsv"
    threads: 2
    priority: 1  # long stage: start it early so short jobs fill the last minutes
    resources:
        mem_mb=6000,
        runtime=60,
    conda:
        ENV
    script:
        "../scripts/alignment/spectra_train.py"


rule alignment_fig9_1_series:
    input:
        sgd=_ALIGN_STAGES["fig9_1"]["sgd"],
        spectra_train=_ALIGN_STAGES["fig9_1"]["spectra_train"],
        test_table=f"results/alignment/{ALIGN['fig9_1']['run']}/alignment.csv",
        code=code_files("observables/alignment.py", "agreement.py"),
    output:
        series="results/alignment/fig9_1/series.csv",
        agreement="results/alignment/fig9_1/agreement.csv",
    params:
        run=ALIGN["runs"][ALIGN["fig9_1"]["run"]],
        fig=ALIGN["fig9_1"],
    log:
        "logs/alignment/fig9_1_series.log",
    conda:
        ENV
    script:
        "../scripts/alignment/fig9_1_series.py"


rule alignment_fig2_2_series:
    input:
        **{s: _ALIGN_STAGES["fig2_2"][s] for s in ("data", "sgd", "spectra", "theory")},
        code=code_files("observables/gmm_localisation.py", "agreement.py"),
    output:
        series="results/alignment/fig2_2/series.csv",
        agreement="results/alignment/fig2_2/agreement.csv",
    params:
        run=ALIGN["runs"][ALIGN["fig2_2"]["run"]],
        fig=ALIGN["fig2_2"],
    log:
        "logs/alignment/fig2_2_series.log",
    conda:
        ENV
    script:
        "../scripts/alignment/fig2_2_series.py"


rule alignment_fig2_3_series:
    input:
        **{s: _ALIGN_STAGES["fig2_3"][s] for s in ("data", "sgd", "spectra", "theory")},
        accuracy=f"results/alignment/{ALIGN['fig2_3']['run']}/accuracy.csv",
        code=code_files("observables/gmm_localisation.py", "agreement.py"),
    output:
        series="results/alignment/fig2_3/series.csv",
        agreement="results/alignment/fig2_3/agreement.csv",
    params:
        run=ALIGN["runs"][ALIGN["fig2_3"]["run"]],
        fig=ALIGN["fig2_3"],
    log:
        "logs/alignment/fig2_3_series.log",
    conda:
        ENV
    script:
        "../scripts/alignment/fig2_3_series.py"


rule alignment_fig9_2_series:
    input:
        **{s: _ALIGN_STAGES["fig9_2"][s] for s in ("sgd", "spectra", "theory")},
        code=code_files("agreement.py"),
    output:
        series="results/alignment/fig9_2/series.csv",
        agreement="results/alignment/fig9_2/agreement.csv",
    params:
        run=ALIGN["runs"][ALIGN["fig9_2"]["run"]],
        fig=ALIGN["fig9_2"],
    log:
        "logs/alignment/fig9_2_series.log",
    conda:
        ENV
    script:
        "../scripts/alignment/fig9_2_series.py"


rule alignment_fig2_2:
    input:
        series="results/alignment/fig2_2/series.csv",
        agreement="results/alignment/fig2_2/agreement.csv",
        code=code_files("plotting/style.py"),
    output:
        figure_pdf("fig2_2", "Alignment paper: k-GMM"),
    params:
        run=ALIGN["runs"][ALIGN["fig2_2"]["run"]],
    log:
        "logs/alignment/fig2_2.log",
    conda:
        ENV
    script:
        "../scripts/alignment/fig2_2.py"


rule alignment_fig2_3:
    input:
        series="results/alignment/fig2_3/series.csv",
        agreement="results/alignment/fig2_3/agreement.csv",
        code=code_files("plotting/style.py"),
    output:
        figure_pdf("fig2_3", "Alignment paper: k-GMM"),
    params:
        run=ALIGN["runs"][ALIGN["fig2_3"]["run"]],
    log:
        "logs/alignment/fig2_3.log",
    conda:
        ENV
    script:
        "../scripts/alignment/fig2_3.py"


rule alignment_fig9_2:
    input:
        series="results/alignment/fig9_2/series.csv",
        agreement="results/alignment/fig9_2/agreement.csv",
        code=code_files("plotting/style.py"),
    output:
        figure_pdf("fig9_2", "Alignment paper: k-GMM"),
    params:
        run=ALIGN["runs"][ALIGN["fig9_2"]["run"]],
    log:
        "logs/alignment/fig9_2.log",
    conda:
        ENV
    script:
        "../scripts/alignment/fig9_2.py"


rule alignment_fig9_1:
    input:
        series="results/alignment/fig9_1/series.csv",
        agreement="results/alignment/fig9_1/agreement.csv",
        code=code_files("plotting/style.py", "plotting/alignment_panels.py"),
    output:
        figure_pdf("fig9_1", "Alignment paper: k-GMM"),
    params:
        run=ALIGN["runs"][ALIGN["fig9_1"]["run"]],
    log:
        "logs/alignment/fig9_1.log",
    conda:
        ENV
    script:
        "../scripts/alignment/fig9_1.py"
