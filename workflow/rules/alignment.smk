"""Alignment paper (arXiv 2310.03010), k-GMM single-layer figures (docs/alignment.md).

Stages of a run (a key of config alignment.runs, wildcard {run}):
alignment_gmm_data (means + fixed test sample) -> alignment_gmm_simulation (checkpointed online
SGD) -> alignment_gmm_observables (top eigenpairs of every H_cc and G_cc block on the test
sample, alignments, test accuracy) and alignment_gmm_observables_train (the same blocks built
from the run's own training stream); alignment_gmm_theory (effective-dynamics ODE, predicted
bulk edges, predicted accuracy). Per figure: <fig>_series (series.csv + agreement.csv) ->
<fig>_figure.
"""

include: "alignment_common.smk"


rule alignment_gmm_data:
    input:
        code=code_files("data/gmm.py", "seeding.py"),
    output:
        "<results>/alignment/{run}/data.npz",
    params:
        run=run_config("alignment", "k", "d", "lam", "mean_spacing", "test_factor", "seed"),
    log:
        "<logs>/alignment/gmm_data_{run}.log",
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/alignment/gmm_data.py"


rule alignment_gmm_simulation:
    input:
        data="<results>/alignment/{run}/data.npz",
        code=code_files("training/online_sgd.py", "data/gmm.py", "seeding.py"),
    output:
        "<results>/alignment/{run}/simulation.npz",
    params:
        run=run_config("alignment"),
    log:
        "<logs>/alignment/gmm_simulation_{run}.log",
    benchmark:
        "<logs>/alignment/gmm_simulation_{run}.bench.tsv"
    threads: 1
    priority: 2  # on the longest chain (observables): start it first
    resources:
        mem_mb=1000,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/alignment/gmm_simulation.py"


rule alignment_gmm_observables:
    input:
        data="<results>/alignment/{run}/data.npz",
        simulation="<results>/alignment/{run}/simulation.npz",
        code=code_files(
            "observables/spectra.py",
            "observables/block_operators.py",
            "observables/weighted_gram.py",
            "observables/eigensolvers.py",
            "observables/alignment.py",
            "models/softmax_regression.py",
        ),
    output:
        "<results>/alignment/{run}/observables.npz",
    params:
        run=run_config("alignment"),
        spectra=ALIGN["spectra"],
    log:
        "<logs>/alignment/gmm_observables_{run}.log",
    benchmark:
        "<logs>/alignment/gmm_observables_{run}.bench.tsv"
    threads: 2
    priority: 2  # longest stage of the paper: start it first
    resources:
        mem_mb=1500,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/alignment/gmm_observables.py"


rule alignment_gmm_observables_train:
    input:
        data="<results>/alignment/{run}/data.npz",
        simulation="<results>/alignment/{run}/simulation.npz",
        code=code_files(
            "training/sgd_stream.py",
            "observables/spectra.py",
            "observables/block_operators.py",
            "observables/weighted_gram.py",
            "observables/eigensolvers.py",
            "observables/alignment.py",
        ),
    output:
        "<results>/alignment/{run}/observables_train.npz",
    params:
        run=run_config("alignment"),
        spectra=ALIGN["spectra"],
        stride=ALIGN["fig9_1"]["checkpoint_stride"],
        tol=ALIGN["fig9_1"]["tol"],
    log:
        "<logs>/alignment/gmm_observables_train_{run}.log",
    benchmark:
        "<logs>/alignment/gmm_observables_train_{run}.bench.tsv"
    threads: 2
    priority: 1
    resources:
        mem_mb=1500,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/alignment/gmm_observables_train.py"


rule alignment_gmm_theory:
    input:
        data="<results>/alignment/{run}/data.npz",
        simulation="<results>/alignment/{run}/simulation.npz",  # only x_0 (theory.init)
        code=code_files("theory/gmm_effective_dynamics.py", "training/online_sgd.py"),
    output:
        "<results>/alignment/{run}/theory.npz",
    params:
        run=run_config(
            "alignment", "k", "d", "lam", "beta", "c_delta", "test_factor", "t_max", "checkpoints"
        ),
        theory=ALIGN["theory"],
    log:
        "<logs>/alignment/gmm_theory_{run}.log",
    benchmark:
        "<logs>/alignment/gmm_theory_{run}.bench.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/alignment/gmm_theory.py"


rule alignment_fig2_1_series:
    input:
        **align_run_files("fig2_1", "observables"),
        code=code_files("checks/alignment.py", "agreement.py"),
    output:
        series="<results>/alignment/fig2_1/series.csv",
        agreement="<results>/alignment/fig2_1/agreement.csv",
    params:
        run=align_run("fig2_1"),
        fig=ALIGN["fig2_1"],
    log:
        "<logs>/alignment/fig2_1_series.log",
    conda:
        ENV
    script:
        "../scripts/alignment/fig2_1_series.py"


rule alignment_fig2_2_series:
    input:
        **align_run_files("fig2_2", "data", "simulation", "observables", "theory"),
        code=code_files("checks/alignment.py", "observables/gmm_localisation.py", "agreement.py"),
    output:
        series="<results>/alignment/fig2_2/series.csv",
        agreement="<results>/alignment/fig2_2/agreement.csv",
    params:
        run=align_run("fig2_2"),
        fig=ALIGN["fig2_2"],
    log:
        "<logs>/alignment/fig2_2_series.log",
    conda:
        ENV
    script:
        "../scripts/alignment/fig2_2_series.py"


rule alignment_fig2_3_series:
    input:
        **align_run_files("fig2_3", "data", "simulation", "observables", "theory"),
        code=code_files("checks/alignment.py", "agreement.py"),
    output:
        series="<results>/alignment/fig2_3/series.csv",
        agreement="<results>/alignment/fig2_3/agreement.csv",
    params:
        run=align_run("fig2_3"),
        fig=ALIGN["fig2_3"],
    log:
        "<logs>/alignment/fig2_3_series.log",
    conda:
        ENV
    script:
        "../scripts/alignment/fig2_3_series.py"


rule alignment_fig9_1_series:
    input:
        **align_run_files("fig9_1", "observables", "observables_train"),
        code=code_files("checks/alignment.py", "agreement.py"),
    output:
        series="<results>/alignment/fig9_1/series.csv",
        agreement="<results>/alignment/fig9_1/agreement.csv",
    params:
        run=align_run("fig9_1"),
        fig=ALIGN["fig9_1"],
    log:
        "<logs>/alignment/fig9_1_series.log",
    conda:
        ENV
    script:
        "../scripts/alignment/fig9_1_series.py"


rule alignment_fig9_2_series:
    input:
        **align_run_files("fig9_2", "observables", "theory"),
        code=code_files("checks/alignment.py", "agreement.py"),
    output:
        series="<results>/alignment/fig9_2/series.csv",
        agreement="<results>/alignment/fig9_2/agreement.csv",
    params:
        run=align_run("fig9_2"),
        fig=ALIGN["fig9_2"],
    log:
        "<logs>/alignment/fig9_2_series.log",
    conda:
        ENV
    script:
        "../scripts/alignment/fig9_2_series.py"


for _fig in ALIGN_FIGS:

    rule:
        name:
            f"alignment_{_fig}_figure"
        input:
            series=f"<results>/alignment/{_fig}/series.csv",
            agreement=f"<results>/alignment/{_fig}/agreement.csv",
            code=code_files("plotting/style.py", "plotting/alignment_panels.py"),
        output:
            figure_pdf(_fig, "Alignment paper, k-GMM"),
        params:
            run=align_run(_fig),
            fig=ALIGN[_fig],
            name=_fig,
        log:
            f"<logs>/alignment/{_fig}_figure.log",
        conda:
            ENV
        script:
            # formatted when the job runs (a loop variable would be late-bound)
            "../scripts/alignment/{params.name}_figure.py"
