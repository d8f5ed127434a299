"""Alignment paper (arXiv 2310.03010), XOR two-layer network figures (docs/alignment.md).

Stages of a run (a key of config xor.runs, wildcard {run}):
xor_run_data (hidden means + fixed test sample) -> xor_run_simulation (checkpointed online SGD
of (W, v)) -> xor_run_observables (first-layer blocks batched over units by LOBPCG if the run
asks for them; vv blocks dense with their bulk edges; alignments, accuracies, rank of
[g(W theta)], outlier counts) and xor_run_theory (population vv blocks by Monte Carlo). Per
figure: <fig>_series (series.csv + agreement.csv) -> <fig>_figure. On demand (not in `all`):
xor_seed_scan_observables, the scan of seeds that justifies Fig 2.6's run.
"""


rule xor_run_data:
    input:
        code=code_files("data/xor.py", "seeding.py"),
    output:
        "<results>/xor/{run}/data.npz",
    params:
        run=run_config("xor", "d", "lam", "test_factor", "test_seed"),
    log:
        "<logs>/xor/run_data_{run}.log",
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/xor/run_data.py"


rule xor_run_simulation:
    input:
        code=code_files("training/xor_sgd.py", "training/online_sgd.py", "data/xor.py",
                        "seeding.py"),
    output:
        "<results>/xor/{run}/simulation.npz",
    params:
        run=run_config("xor", "d", "K", "lam", "beta", "c_delta", "v_init_scale", "seed",
                       "t_max", "checkpoints"),
    log:
        "<logs>/xor/run_simulation_{run}.log",
    benchmark:
        "<logs>/xor/run_simulation_{run}.bench.tsv"
    threads: 1
    priority: 2  # on the longest chain (observables): start it first
    resources:
        mem_mb=1000,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/xor/run_simulation.py"


rule xor_run_observables:
    input:
        data="<results>/xor/{run}/data.npz",
        simulation="<results>/xor/{run}/simulation.npz",
        code=code_files("observables/xor_spectra.py", "observables/xor_observables.py",
                        "observables/eigensolvers.py", "observables/block_operators.py",
                        "observables/weighted_gram.py", "observables/alignment.py",
                        "models/two_layer.py"),
    output:
        "<results>/xor/{run}/observables.npz",
    params:
        run=run_config("xor"),
        spectra=XOR["spectra"],
    log:
        "<logs>/xor/run_observables_{run}.log",
    benchmark:
        "<logs>/xor/run_observables_{run}.bench.tsv"
    threads: 2
    priority: 2  # long stage: start it early so short jobs fill the last minutes
    resources:
        mem_mb=1500,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/xor/run_observables.py"


rule xor_run_theory:
    input:
        simulation="<results>/xor/{run}/simulation.npz",
        code=code_files("observables/xor_spectra.py", "data/xor.py"),
    output:
        "<results>/xor/{run}/theory.npz",
    params:
        run=run_config("xor", "d", "K", "lam", "beta"),
        population=XOR["population"],
        g_include_ridge=XOR["spectra"]["g_include_ridge"],
    log:
        "<logs>/xor/run_theory_{run}.log",
    benchmark:
        "<logs>/xor/run_theory_{run}.bench.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/xor/run_theory.py"


rule xor_seed_scan_observables:
    input:
        data=f"<results>/xor/{XOR['seed_scan']['run']}/data.npz",
        code=code_files("training/xor_sgd.py", "observables/xor_deficiency.py",
                        "observables/xor_observables.py", "observables/xor_spectra.py"),
    output:
        "<results>/xor/seed_scan/observables.csv",
    params:
        run=XOR["runs"][XOR["seed_scan"]["run"]],
        spectra=XOR["spectra"],
        scan=XOR["seed_scan"],
    log:
        "<logs>/xor/seed_scan_observables.log",
    benchmark:
        "<logs>/xor/seed_scan_observables.bench.tsv"
    threads: 1
    resources:
        mem_mb=1500,
        runtime=60,
    conda:
        ENV
    script:
        "../scripts/xor/seed_scan_observables.py"


rule xor_fig2_4_series:
    input:
        **xor_run_files("fig2_4", "observables", "simulation"),
        code=code_files("checks/xor.py", "agreement.py"),
    output:
        series="<results>/xor/fig2_4/series.csv",
        agreement="<results>/xor/fig2_4/agreement.csv",
    params:
        fig=XOR["fig2_4"],
    log:
        "<logs>/xor/fig2_4_series.log",
    conda:
        ENV
    script:
        "../scripts/xor/fig2_4_series.py"


rule xor_fig2_5_series:
    input:
        **xor_run_files("fig2_5", "observables", "theory"),
        code=code_files("checks/xor.py", "agreement.py"),
    output:
        series="<results>/xor/fig2_5/series.csv",
        agreement="<results>/xor/fig2_5/agreement.csv",
    params:
        fig=XOR["fig2_5"],
    log:
        "<logs>/xor/fig2_5_series.log",
    conda:
        ENV
    script:
        "../scripts/xor/fig2_5_series.py"


rule xor_fig2_6_series:
    input:
        **xor_run_files("fig2_6", "observables"),
        code=code_files("checks/xor.py", "observables/xor_deficiency.py", "agreement.py",
                        "data/xor.py"),
    output:
        series="<results>/xor/fig2_6/series.csv",
        agreement="<results>/xor/fig2_6/agreement.csv",
    params:
        fig=XOR["fig2_6"],
        scan=XOR["seed_scan"],
    log:
        "<logs>/xor/fig2_6_series.log",
    conda:
        ENV
    script:
        "../scripts/xor/fig2_6_series.py"


rule xor_first_layer_series:
    input:
        **xor_run_files("xor_first_layer", "simulation", "observables"),
        code=code_files("checks/xor.py", "agreement.py"),
    output:
        series="<results>/xor/xor_first_layer/series.csv",
        agreement="<results>/xor/xor_first_layer/agreement.csv",
    params:
        fig=XOR["xor_first_layer"],
    log:
        "<logs>/xor/first_layer_series.log",
    conda:
        ENV
    script:
        "../scripts/xor/first_layer_series.py"


for _subject, _fig in XOR_FIGS.items():

    rule:
        name:
            f"xor_{_subject}_figure"
        input:
            series=f"<results>/xor/{_fig}/series.csv",
            agreement=f"<results>/xor/{_fig}/agreement.csv",
            code=code_files("plotting/style.py", "plotting/alignment_panels.py", "data/xor.py"),
        output:
            figure_pdf(_fig, "Alignment paper, XOR two-layer network"),
        params:
            run=XOR["runs"][XOR[_fig]["run"]],
            fig=XOR[_fig],
            subject=_subject,
        log:
            f"<logs>/xor/{_subject}_figure.log",
        conda:
            ENV
        script:
            # formatted when the job runs (a loop variable would be late-bound)
            "../scripts/xor/{params.subject}_figure.py"
