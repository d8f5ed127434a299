"""Generating-functions paper (arXiv 2206.11124), real-data figures (App. F), offline data.

Stages: problem_<name> (data -> one-hidden-layer net -> empirical NTK, normalised spectrum)
-> curves (simulated network / linearised SGD and SE theory) -> series + agreement -> figure.
Figure targets: figures/gf_<key>.pdf for every key of gf_real.curves. The problem stages also
feed the (alpha, beta) grids and critical learning rates of generating_functions.smk.
"""

from hdsgd.data.real_datasets import DATA_FILE_CONTENTS, SHIPPED_ROWS

GFR = config["gf_real"]
check_section("gf_real")
for _fig, _c in GFR["curves"].items():
    check(_c["problem"] in GFR["problems"], f"gf_real.curves.{_fig}.problem",
          f"unknown problem {_c['problem']!r}")
    check((_c["gd_alpha"] is None) == (_c["gd_fit_window"] is None)
          == (_c["spectrum_fit_ranks"] is None), f"gf_real.curves.{_fig}.gd_alpha",
          "gd_alpha, gd_fit_window and spectrum_fit_ranks are set together or all null")
    check(_c["gd_fit_window"] is None or _c["gd_fit_window"][1] <= _c["n_steps"],
          f"gf_real.curves.{_fig}.gd_fit_window", "window ends after n_steps")
for _p, _c in GFR["problems"].items():
    check(_c["dataset"] not in ("bike_sharing", "sgemm", "cifar10_ntk") or _c["path"],
          f"gf_real.problems.{_p}.path", f"dataset {_c['dataset']} needs a path to its file")
    check(_c["dataset"] in ("mnist", "bike_sharing", "sgemm", "cifar10_ntk") or not _c["path"],
          f"gf_real.problems.{_p}.path", f"dataset {_c['dataset']} ships with a package: "
          "set path to null")
    if not _c["path"]:
        check(_c["n_samples"] <= SHIPPED_ROWS[_c["dataset"]], f"gf_real.problems.{_p}.n_samples",
              f"{_c['n_samples']} samples requested but the shipped {_c['dataset']} data has "
              f"{SHIPPED_ROWS[_c['dataset']]} rows")
    else:  # a user's file: present, readable, with the arrays/columns the loader needs
        check_data_file(f"gf_real.problems.{_p}.path", _c["path"],
                        min_rows=_c["n_samples"], rows_key=f"gf_real.problems.{_p}.n_samples",
                        **DATA_FILE_CONTENTS[_c["dataset"]](_c["path"]))
# every batch size against the problem it samples from (n_samples rows)
for _name, _c in GFR["curves"].items():
    _n = GFR["problems"][_c["problem"]]["n_samples"]
    for _i, _cfg in enumerate(_c["configs"]):
        check_batch(f"gf_real.curves.{_name}.configs[{_i}].batch_size", _cfg["batch_size"], _n,
                    f"gf_real.problems.{_c['problem']}.n_samples")

GFR_CATEGORY = "Generating functions: real data"
for _fig in GFR["curves"]:
    FIGURES.append(f"figures/gf_{_fig}.pdf")
    AGREEMENTS.append(f"results/gf_real/{_fig}/agreement.csv")
# wildcard alternatives: exactly the configured keys
GFR_KEYS = {part: "|".join(sorted(GFR[part])) for part in ("problems", "curves")}


rule gf_real_problem:
    input:
        code=code_files("data/real_datasets.py", "models/ntk.py"),
    output:
        "results/gf_real/problem_{problem}.npz",
    wildcard_constraints:
        problem=GFR_KEYS["problems"],
    params:
        problem=lambda wc: GFR["problems"][wc.problem],
    log:
        "logs/gf_real/problem_{problem}.log",
    benchmark:
        "logs/gf_real/problem_{problem}.bench.tsv"
    priority: 1  # feeds the long curves/grid stages through an input function (not propagated)
    threads: 1
    resources:
        mem_mb=4000,
        runtime=20,
    conda:
        ENV
    script:
        "../scripts/gf_real/problem.py"


rule gf_real_curves:
    input:
        problem=lambda wc: f"results/gf_real/problem_{GFR['curves'][wc.fig]['problem']}.npz",
        code=code_files("training/network_sgd.py", "training/minibatch_sgd.py",
                        "theory/generating_functions.py", "data/real_datasets.py",
                        "models/ntk.py"),
    output:
        "results/gf_real/{fig}/curves.npz",
    wildcard_constraints:
        fig=GFR_KEYS["curves"],
    params:
        fig=lambda wc: GFR["curves"][wc.fig],
        problem=lambda wc: GFR["problems"][GFR["curves"][wc.fig]["problem"]],
    log:
        "logs/gf_real/curves_{fig}.log",
    benchmark:
        "logs/gf_real/curves_{fig}.bench.tsv"
    threads: 1
    priority: 1  # long stage: start it early so short jobs fill the last minutes
    resources:
        mem_mb=4000,
        runtime=60,
    conda:
        ENV
    script:
        "../scripts/gf_real/curves.py"


rule gf_real_curves_series:
    input:
        curves="results/gf_real/{fig}/curves.npz",
        problem=lambda wc: f"results/gf_real/problem_{GFR['curves'][wc.fig]['problem']}.npz",
        code=code_files("models/ntk.py", "agreement.py"),
    output:
        series="results/gf_real/{fig}/series.csv",
        agreement="results/gf_real/{fig}/agreement.csv",
    wildcard_constraints:
        fig=GFR_KEYS["curves"],
    params:
        fig=lambda wc: GFR["curves"][wc.fig],
        name=lambda wc: f"gf_{wc.fig}",
    log:
        "logs/gf_real/curves_series_{fig}.log",
    conda:
        ENV
    script:
        "../scripts/gf_real/curves_series.py"


for _fig, _c in GFR["curves"].items():

    rule:
        name:
            f"gf_real_figure_{_fig}"
        input:
            series=f"results/gf_real/{_fig}/series.csv",
            agreement=f"results/gf_real/{_fig}/agreement.csv",
            problem=f"results/gf_real/problem_{_c['problem']}.npz",
            code=code_files("plotting/style.py"),
        output:
            figure_pdf(f"gf_{_fig}", GFR_CATEGORY),
        params:
            fig=_c,
            title=_c["title"],
        log:
            f"logs/gf_real/figure_{_fig}.log",
        conda:
            ENV
        script:
            "../scripts/gf_real/curves_figure.py"
