"""Alignment paper (arXiv 2310.03010), XOR two-layer network figures.

Stages per run (a key of config xor.runs):
data (hidden means + fixed test sample) -> sgd (checkpointed online SGD of (W, v)) ->
spectra (first-layer blocks batched over units by LOBPCG; vv blocks dense) and population
(theory: population vv blocks by Monte Carlo) -> tables -> per-figure series/agreement -> figures.
"""

XOR = config["xor"]
check_section("xor")
for _name, _run in XOR["runs"].items():
    check(
        3 * XOR["spectra"]["n_eig"] <= _run["d"],
        "xor.spectra.n_eig",
        f"n_eig = {XOR['spectra']['n_eig']} too large for d = {_run['d']} (need 3 n_eig <= d)",
    )
    check(
        _run["K"] <= _run["d"],
        f"xor.runs.{_name}.K",
        f"K = {_run['K']} exceeds d = {_run['d']}",
    )
XOR_FIGS = ["fig2_4", "fig2_5", "fig2_6", "xor_first_layer"]
for _fig in XOR_FIGS:
    check(
        XOR[_fig]["run"] in XOR["runs"],
        f"xor.{_fig}.run",
        f"unknown run {XOR[_fig]['run']!r}",
    )
    FIGURES.append(f"figures/{_fig}.pdf")
    AGREEMENTS.append(f"results/xor/{_fig}/agreement.csv")


XOR_STAGE_FILES = {"spectra": "spectra_test.npz", "sgd": "sgd.npz", "units": "units.csv",
                   "summary": "summary.csv", "vv": "vv_eigenvalues.csv"}
# files of the run that figure `fig` draws (config xor.<fig>.run)
xor_run_files = lambda fig, *stages: {
    s: f"results/xor/{XOR[fig]['run']}/{XOR_STAGE_FILES[s]}" for s in stages
}


rule xor_data:
    input:
        code=code_files("data/xor.py", "seeding.py"),
    output:
        "results/xor/{run}/data.npz",
    params:
        run=run_config("xor", "d", "lam", "test_factor", "seed"),
    log:
        "logs/xor/data_{run}.log",
    resources:
        mem_mb=2000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/xor/data.py"


rule xor_sgd:
    input:
        code=code_files("training/xor_sgd.py", "training/online_sgd.py", "data/xor.py",
                        "seeding.py"),
    output:
        "results/xor/{run}/sgd.npz",
    params:
        run=run_config("xor", "d", "K", "lam", "beta", "c_delta", "v_init_scale", "seed",
                       "t_max", "checkpoints"),
    log:
        "logs/xor/sgd_{run}.log",
    benchmark:
        "logs/xor/sgd_{run}.bench.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/xor/sgd.py"


rule xor_spectra:
    input:
        data="results/xor/{run}/data.npz",
        sgd="results/xor/{run}/sgd.npz",
        code=code_files("observables/xor_spectra.py", "observables/eigensolvers.py",
                        "models/two_layer.py"),
    output:
        "results/xor/{run}/spectra_test.npz",
    params:
        run=run_config("xor"),
        spectra=XOR["spectra"],
    log:
        "logs/xor/spectra_{run}.log",
    benchmark:
        "logs/xor/spectra_{run}.bench.tsv"
    threads: 2
    priority: 1  # long stage: start it early so short jobs fill the last minutes
    resources:
        mem_mb=6000,
        runtime=60,
    conda:
        ENV
    script:
        "../scripts/xor/spectra.py"


rule xor_population:
    input:
        sgd="results/xor/{run}/sgd.npz",
        code=code_files("observables/xor_spectra.py", "data/xor.py"),
    output:
        "results/xor/{run}/population_vv.npz",
    params:
        run=run_config("xor"),
        population=XOR["population"],
        spectra=XOR["spectra"],
    log:
        "logs/xor/population_{run}.log",
    benchmark:
        "logs/xor/population_{run}.bench.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/xor/population.py"


rule xor_tables:
    input:
        data="results/xor/{run}/data.npz",
        sgd="results/xor/{run}/sgd.npz",
        spectra="results/xor/{run}/spectra_test.npz",
        population="results/xor/{run}/population_vv.npz",
        code=code_files("observables/xor_tables.py", "observables/alignment.py",
                        "models/two_layer.py"),
    output:
        units="results/xor/{run}/units.csv",
        summary="results/xor/{run}/summary.csv",
        vv="results/xor/{run}/vv_eigenvalues.csv",
    params:
        run=run_config("xor"),
        spectra=XOR["spectra"],
    log:
        "logs/xor/tables_{run}.log",
    resources:
        mem_mb=2000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/xor/tables.py"


rule xor_fig2_4_series:
    input:
        **xor_run_files("fig2_4", "units", "summary"),
        code=code_files("agreement.py"),
    output:
        series="results/xor/fig2_4/series.csv",
        agreement="results/xor/fig2_4/agreement.csv",
    params:
        fig=XOR["fig2_4"],
    log:
        "logs/xor/fig2_4_series.log",
    conda:
        ENV
    script:
        "../scripts/xor/fig2_4_series.py"


rule xor_fig2_5_series:
    input:
        **xor_run_files("fig2_5", "vv", "summary"),
        code=code_files("agreement.py"),
    output:
        series="results/xor/fig2_5/series.csv",
        agreement="results/xor/fig2_5/agreement.csv",
    params:
        fig=XOR["fig2_5"],
    log:
        "logs/xor/fig2_5_series.log",
    conda:
        ENV
    script:
        "../scripts/xor/fig2_5_series.py"


rule xor_fig2_6_series:
    input:
        **xor_run_files("fig2_6", "vv", "summary"),
        code=code_files("agreement.py", "data/xor.py"),
    output:
        series="results/xor/fig2_6/series.csv",
        agreement="results/xor/fig2_6/agreement.csv",
    params:
        fig=XOR["fig2_6"],
    log:
        "logs/xor/fig2_6_series.log",
    conda:
        ENV
    script:
        "../scripts/xor/fig2_6_series.py"


rule xor_first_layer_series:
    input:
        **xor_run_files("xor_first_layer", "sgd", "spectra", "units"),
        code=code_files("agreement.py", "observables/xor_tables.py"),
    output:
        series="results/xor/xor_first_layer/series.csv",
        agreement="results/xor/xor_first_layer/agreement.csv",
    params:
        fig=XOR["xor_first_layer"],
        n_check=XOR["spectra"]["n_check"],
    log:
        "logs/xor/xor_first_layer_series.log",
    conda:
        ENV
    script:
        "../scripts/xor/first_layer_series.py"


rule xor_fig2_4:
    input:
        series="results/xor/fig2_4/series.csv",
        agreement="results/xor/fig2_4/agreement.csv",
        code=code_files("plotting/style.py"),
    output:
        figure_pdf("fig2_4", "Alignment paper: XOR two-layer network"),
    params:
        run=XOR["runs"][XOR["fig2_4"]["run"]],
    log:
        "logs/xor/fig2_4.log",
    conda:
        ENV
    script:
        "../scripts/xor/fig2_4.py"


rule xor_fig2_5:
    input:
        series="results/xor/fig2_5/series.csv",
        agreement="results/xor/fig2_5/agreement.csv",
        code=code_files("plotting/style.py"),
    output:
        figure_pdf("fig2_5", "Alignment paper: XOR two-layer network"),
    params:
        run=XOR["runs"][XOR["fig2_5"]["run"]],
    log:
        "logs/xor/fig2_5.log",
    conda:
        ENV
    script:
        "../scripts/xor/fig2_5.py"


rule xor_fig2_6:
    input:
        series="results/xor/fig2_6/series.csv",
        agreement="results/xor/fig2_6/agreement.csv",
        code=code_files("plotting/style.py", "data/xor.py"),
    output:
        figure_pdf("fig2_6", "Alignment paper: XOR two-layer network"),
    params:
        run=XOR["runs"][XOR["fig2_6"]["run"]],
    log:
        "logs/xor/fig2_6.log",
    conda:
        ENV
    script:
        "../scripts/xor/fig2_6.py"


rule xor_first_layer:
    input:
        series="results/xor/xor_first_layer/series.csv",
        agreement="results/xor/xor_first_layer/agreement.csv",
        code=code_files("plotting/style.py"),
    output:
        figure_pdf("xor_first_layer", "Alignment paper: XOR two-layer network"),
    params:
        run=XOR["runs"][XOR["xor_first_layer"]["run"]],
    log:
        "logs/xor/xor_first_layer.log",
    conda:
        ENV
    script:
        "../scripts/xor/first_layer.py"
