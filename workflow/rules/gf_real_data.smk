"""Generating-functions paper (arXiv 2206.11124), real-data figures (App. F), offline data.

Loss curves (Figs 1, 7, 9, 10; docs/generating_functions.md, "Real-data loss curves"):
gf_real_problem_data (data set -> one-hidden-layer net -> empirical NTK, normalised spectrum)
-> per figure and problem: gf_real_curves_simulation (linearised SGD runs),
gf_real_curves_simulation_network (the network), gf_real_curves_theory (SE curves, exact second
moments, power-law fits and eq. 28a) -> gf_real_curves_series (series.csv + agreement.csv) ->
gf_real_<fig>_figure. Fig 8: gf_real_noise_distance_series reads the exact second-moment
trajectory of a Fig 7 panel -> gf_real_fig8_figure.
The problem stages also feed the (alpha, beta) maps and critical learning rates of
generating_functions.smk (Figs 2, 5, 11, 12). Figure targets: figures/gf_<key>.pdf for every key
of gf_real.curves and gf_real.noise_distance.
"""

from hdsgd.data.real_datasets import DATA_FILE_CONTENTS, SHIPPED_ROWS

GFR = config["gf_real"]
check_section("gf_real")
for _fig, _c in GFR["curves"].items():
    for _p in _c["problems"]:
        check(_p in GFR["problems"], f"gf_real.curves.{_fig}.problems",
              f"unknown problem {_p!r}")
        for _i, _cfg in enumerate(_c["configs"]):  # every batch size against every problem
            check_batch(f"gf_real.curves.{_fig}.configs[{_i}].batch_size", _cfg["batch_size"],
                        GFR["problems"][_p]["n_samples"], f"gf_real.problems.{_p}.n_samples")
    for _p in _c["problem_claims"]:
        check(_p in _c["problems"], f"gf_real.curves.{_fig}.problem_claims",
              f"{_p!r} is not one of the figure's problems")
    if _c["power_law"]:
        for _k in ("eigval_ranks", "tail_ranks"):
            _r = _c["power_law"][_k]
            check(_r is not None and _r[0] < _r[1] <= min(
                GFR["problems"][_p]["n_samples"] for _p in _c["problems"]),
                f"gf_real.curves.{_fig}.power_law.{_k}", "need k_min < k_max <= N")
for _fig, _c in GFR["noise_distance"].items():
    check(_c["source"] in GFR["curves"] and GFR["curves"][_c["source"]]["exact_moments"],
          f"gf_real.noise_distance.{_fig}.source", "must be a curves figure with exact_moments")
    check(_c["problem"] in GFR["curves"].get(_c["source"], {}).get("problems", []),
          f"gf_real.noise_distance.{_fig}.problem", "must be a problem of the source figure")
    check(max(_c["ellipse_steps"]) < GFR["curves"][_c["source"]]["n_steps"],
          f"gf_real.noise_distance.{_fig}.ellipse_steps", "must be < the source's n_steps")
for _p, _c in GFR["problems"].items():
    # named by the dataset key: the file that chose a dataset without a path is to blame
    check(_c["dataset"] not in ("bike_sharing", "sgemm", "cifar10_ntk") or _c["path"],
          f"gf_real.problems.{_p}.dataset",
          f"{_c['dataset']} needs its data file: set gf_real.problems.{_p}.path")
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
GFR_CATEGORY = "Generating functions, real data"
for _fig in [*GFR["curves"], *GFR["noise_distance"]]:
    FIGURES.append(f"<figures>/gf_{_fig}.pdf")
    AGREEMENTS.append(f"<results>/gf_real/{_fig}/agreement.csv")
# wildcard alternatives: exactly the configured keys
GFR_KEYS = {part: "|".join(sorted(GFR[part]))
            for part in ("problems", "curves", "noise_distance")}


gfr_data = "<results>/gf_real/problems/{}/data.npz".format  # a problem's data stage


rule gf_real_problem_data:
    input:
        code=code_files("data/real_datasets.py", "models/ntk.py"),
    output:
        "<results>/gf_real/problems/{problem}/data.npz",
    wildcard_constraints:
        problem=GFR_KEYS["problems"],
    params:
        problem=lambda wc: GFR["problems"][wc.problem],
    log:
        "<logs>/gf_real/problem_data_{problem}.log",
    benchmark:
        "<logs>/gf_real/problem_data_{problem}.bench.tsv"
    priority: 1  # feeds the long curves/grid stages through an input function (not propagated)
    threads: 1
    resources:
        mem_mb=2000,
        runtime=20,
    conda:
        ENV
    script:
        "../scripts/gf_real/problem_data.py"


rule gf_real_curves_simulation:
    input:
        problem=lambda wc: gfr_data(wc.problem),
        code=code_files("training/minibatch_sgd.py"),
    output:
        "<results>/gf_real/{fig}/{problem}/simulation.npz",
    wildcard_constraints:
        fig=GFR_KEYS["curves"],
        problem=GFR_KEYS["problems"],
    params:
        fig=lambda wc: {k: GFR["curves"][wc.fig][k]
                        for k in ("configs", "n_steps", "n_records", "seeds")},
        sim_dtype=GFR["sim_dtype"],
    log:
        "<logs>/gf_real/curves_simulation_{fig}_{problem}.log",
    benchmark:
        "<logs>/gf_real/curves_simulation_{fig}_{problem}.bench.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/gf_real/curves_simulation.py"


rule gf_real_curves_simulation_network:
    input:
        problem=lambda wc: gfr_data(wc.problem),
        code=code_files("training/network_sgd.py", "models/ntk.py"),
    output:
        "<results>/gf_real/{fig}/{problem}/simulation_network.npz",
    wildcard_constraints:
        fig=GFR_KEYS["curves"],
        problem=GFR_KEYS["problems"],
    params:
        fig=lambda wc: {k: GFR["curves"][wc.fig][k]
                        for k in ("configs", "n_steps", "n_records", "network_seeds")},
        problem=lambda wc: GFR["problems"][wc.problem],
        dtype=GFR["network_dtype"],
    log:
        "<logs>/gf_real/curves_simulation_network_{fig}_{problem}.log",
    benchmark:
        "<logs>/gf_real/curves_simulation_network_{fig}_{problem}.bench.tsv"
    threads: 1
    priority: 1  # long stage: start it early so short jobs fill the last minutes
    resources:
        mem_mb=2000,
        runtime=60,
    conda:
        ENV
    script:
        "../scripts/gf_real/curves_simulation_network.py"


rule gf_real_curves_theory:
    input:
        problem=lambda wc: gfr_data(wc.problem),
        code=code_files("theory/generating_functions.py", "theory/exact_second_moments.py",
                        "theory/power_law_phases.py", "models/ntk.py"),
    output:
        "<results>/gf_real/{fig}/{problem}/theory.npz",
    wildcard_constraints:
        fig=GFR_KEYS["curves"],
        problem=GFR_KEYS["problems"],
    params:
        fig=lambda wc: {k: GFR["curves"][wc.fig][k]
                        for k in ("configs", "n_steps", "n_records", "taus", "exact_moments",
                                  "power_law")},
    log:
        "<logs>/gf_real/curves_theory_{fig}_{problem}.log",
    benchmark:
        "<logs>/gf_real/curves_theory_{fig}_{problem}.bench.tsv"
    threads: 1
    priority: 1
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/gf_real/curves_theory.py"


rule gf_real_curves_series:
    input:
        simulation=lambda wc: expand("<results>/gf_real/{fig}/{p}/simulation.npz", fig=wc.fig,
                                     p=GFR["curves"][wc.fig]["problems"]),
        network=lambda wc: expand("<results>/gf_real/{fig}/{p}/simulation_network.npz",
                                  fig=wc.fig, p=GFR["curves"][wc.fig]["problems"])
        if GFR["curves"][wc.fig]["network"] else [],
        theory=lambda wc: expand("<results>/gf_real/{fig}/{p}/theory.npz", fig=wc.fig,
                                 p=GFR["curves"][wc.fig]["problems"]),
        problems=lambda wc: [gfr_data(p) for p in GFR["curves"][wc.fig]["problems"]],
        code=code_files("observables/gf_real_agreement.py", "agreement.py"),
    output:
        series="<results>/gf_real/{fig}/series.csv",
        agreement="<results>/gf_real/{fig}/agreement.csv",
    wildcard_constraints:
        fig=GFR_KEYS["curves"],
    params:  # everything but the figure's wording (a new title redraws, never rescores)
        fig=lambda wc: {k: v for k, v in GFR["curves"][wc.fig].items()
                        if k not in ("title", "stand_in")},
        problems=lambda wc: GFR["curves"][wc.fig]["problems"],
        datasets=lambda wc: [GFR["problems"][p]["dataset"]
                             for p in GFR["curves"][wc.fig]["problems"]],
        name=lambda wc: f"gf_{wc.fig}",
    log:
        "<logs>/gf_real/curves_series_{fig}.log",
    conda:
        ENV
    script:
        "../scripts/gf_real/curves_series.py"


rule gf_real_noise_distance_series:
    input:
        theory=lambda wc: (f"<results>/gf_real/{GFR['noise_distance'][wc.fig]['source']}/"
                           f"{GFR['noise_distance'][wc.fig]['problem']}/theory.npz"),
        problem=lambda wc: gfr_data(GFR["noise_distance"][wc.fig]["problem"]),
        code=code_files("theory/noise_distance.py", "observables/gf_real_agreement.py",
                        "agreement.py"),
    output:
        series="<results>/gf_real/{fig}/series.csv",
        agreement="<results>/gf_real/{fig}/agreement.csv",
    wildcard_constraints:
        fig=GFR_KEYS["noise_distance"],
    params:
        fig=lambda wc: GFR["noise_distance"][wc.fig],
        name=lambda wc: f"gf_{wc.fig}",
    log:
        "<logs>/gf_real/noise_distance_series_{fig}.log",
    conda:
        ENV
    script:
        "../scripts/gf_real/noise_distance_series.py"


for _fig, _c in GFR["curves"].items():

    rule:
        name:
            f"gf_real_{_fig}_figure"
        input:
            series=f"<results>/gf_real/{_fig}/series.csv",
            agreement=f"<results>/gf_real/{_fig}/agreement.csv",
            code=code_files("plotting/style.py", "plotting/gf_real_panels.py"),
        output:
            figure_pdf(f"gf_{_fig}", GFR_CATEGORY),
        params:
            fig=_c,
            title=_c["title"],
        log:
            f"<logs>/gf_real/{_fig}_figure.log",
        conda:
            ENV
        script:
            "../scripts/gf_real/curves_figure.py"


for _fig, _c in GFR["noise_distance"].items():

    rule:
        name:
            f"gf_real_{_fig}_figure"
        input:
            series=f"<results>/gf_real/{_fig}/series.csv",
            agreement=f"<results>/gf_real/{_fig}/agreement.csv",
            code=code_files("plotting/style.py", "plotting/gf_real_panels.py"),
        output:
            figure_pdf(f"gf_{_fig}", GFR_CATEGORY),
        params:
            fig=_c,
            title=_c["title"],
        log:
            f"<logs>/gf_real/{_fig}_figure.log",
        conda:
            ENV
        script:
            "../scripts/gf_real/noise_distance_figure.py"
