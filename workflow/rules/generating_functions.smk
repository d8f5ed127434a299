"""Generating-functions paper (arXiv 2206.11124): SE theory, stability and the figures built on
them: Fig 2 (four (alpha, beta) loss maps), Figs 3, 4, 5, 6 and the critical-learning-rate
Figs 11-14. Equations and parameters: docs/generating_functions.md.

Stages per figure: data (synthetic problems; MNIST and the CIFAR10 stand-in come from
gf_real_problem), simulation (linearised mini-batch SGD, or the SE recursion where the paper
simulates the SD regime), theory (closed forms), series (series.csv + agreement.csv), figure.
"""

include: "gf_common.smk"


GF_SE = ["theory/generating_functions.py", "theory/gf_stability.py"]
GF_SIM = ["training/minibatch_sgd.py", "training/inplace_gemm.py", "seeding.py", "progress.py"]


wildcard_constraints:
    panel=r"mnist|synthetic",
    problem=r"[A-Za-z0-9_]+",
    crit="|".join(GF_CRIT),
    batch=r"\d+",


rule gf_problem_data:
    input:
        code=code_files("data/power_law.py"),
    output:
        "<results>/gf/problem_{problem}/data.npz",
    params:
        problem=lambda wc: GF["problems"][wc.problem],
    log:
        "<logs>/gf/gf_problem_data_{problem}.log",
    priority: 1  # feeds the long simulation stages (inputs by function: not propagated)
    conda:
        ENV
    script:
        "../scripts/gf/problem_data.py"


# ---- Fig 2: log-loss maps over (alpha, beta): SE (a, c) and simulated SGD (b, d) ----


rule gf_fig2_simulation:
    input:
        problem=gf_panel_problem,
        code=code_files(*GF_SIM),
    output:
        "<results>/gf/gf_fig2/simulation_{panel}.npz",
    params:
        fig=GF["fig2"],
    log:
        "<logs>/gf/gf_fig2_simulation_{panel}.log",
    benchmark:
        "<logs>/gf/gf_fig2_simulation_{panel}.bench.tsv"
    threads: 1
    priority: 1  # long stage: start it early so short jobs fill the last minutes
    resources:
        mem_mb=1500,
        runtime=20,
    conda:
        ENV
    script:
        "../scripts/gf/fig2_simulation.py"


rule gf_fig2_theory:
    input:
        problem=gf_panel_problem,
        code=code_files(*GF_SE, "progress.py"),
    output:
        "<results>/gf/gf_fig2/theory_{panel}.npz",
    params:
        fig=GF["fig2"],
        tau=GF["tau"],
        alt_tau=lambda wc: gf_crit_tau(GF["fig2"]["panels"][wc.panel]),
    log:
        "<logs>/gf/gf_fig2_theory_{panel}.log",
    benchmark:
        "<logs>/gf/gf_fig2_theory_{panel}.bench.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/gf/fig2_theory.py"


rule gf_fig2_series:
    input:
        sim=expand("<results>/gf/gf_fig2/simulation_{panel}.npz", panel=["mnist", "synthetic"]),
        theory=expand("<results>/gf/gf_fig2/theory_{panel}.npz", panel=["mnist", "synthetic"]),
        code=code_files("observables/gf_agreement.py", "agreement.py"),
    output:
        series="<results>/gf/gf_fig2/series.csv",
        agreement="<results>/gf/gf_fig2/agreement.csv",
    params:
        fig=GF["fig2"],
    log:
        "<logs>/gf/gf_fig2_series.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig2_series.py"


rule gf_fig2_figure:
    input:
        series="<results>/gf/gf_fig2/series.csv",
        agreement="<results>/gf/gf_fig2/agreement.csv",
        code=code_files("plotting/style.py", "plotting/gf_panels.py"),
    output:
        figure_pdf("gf_fig2", GF_CATEGORY),
    params:
        fig=GF["fig2"],
        labels={p: GF["fig2"]["panels"][p] for p in ("mnist", "synthetic")},
    log:
        "<logs>/gf/gf_fig2_figure.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig2_figure.py"


# ---- Figs 11-14: critical alpha vs beta for several batch sizes ----


rule gf_critical_simulation:
    input:
        problem=gf_crit_problem,
        code=code_files(*GF_SIM, "observables/stability_boundary.py"),
    output:
        "<results>/gf/gf_{crit}/simulation_b{batch}.npz",
    params:
        fig=GF["critical"],
    log:
        "<logs>/gf/gf_critical_simulation_{crit}_b{batch}.log",
    benchmark:
        "<logs>/gf/gf_critical_simulation_{crit}_b{batch}.bench.tsv"
    threads: 1
    priority: 1  # long stage: start it early so short jobs fill the last minutes
    resources:
        mem_mb=1500,
        runtime=20,
    conda:
        ENV
    script:
        "../scripts/gf/critical_simulation.py"


rule gf_critical_theory:
    input:
        problem=gf_crit_problem,
        code=code_files(*GF_SE),
    output:
        "<results>/gf/gf_{crit}/theory.npz",
    params:
        fig=GF["critical"],
        tau=GF["tau"],
        main_tau=lambda wc: gf_crit_tau(GF["critical"]["figures"][wc.crit]["problem"]),
    log:
        "<logs>/gf/gf_critical_theory_{crit}.log",
    conda:
        ENV
    script:
        "../scripts/gf/critical_theory.py"


rule gf_critical_series:
    input:
        sim=lambda wc: expand("<results>/gf/gf_{crit}/simulation_b{batch}.npz", crit=wc.crit,
                              batch=GF["critical"]["batch_sizes"]),
        theory="<results>/gf/gf_{crit}/theory.npz",
        problem=gf_crit_problem,
        code=code_files("observables/gf_agreement.py", "agreement.py", "models/ntk.py"),
    output:
        series="<results>/gf/gf_{crit}/series.csv",
        agreement="<results>/gf/gf_{crit}/agreement.csv",
    params:
        fig=GF["critical"],
        name=lambda wc: f"gf_{wc.crit}",
        synthetic=lambda wc: GF["critical"]["figures"][wc.crit]["problem"] in GF["problems"],
    log:
        "<logs>/gf/gf_critical_series_{crit}.log",
    conda:
        ENV
    script:
        "../scripts/gf/critical_series.py"


rule gf_critical_figure:
    input:
        series="<results>/gf/gf_{crit}/series.csv",
        agreement="<results>/gf/gf_{crit}/agreement.csv",
        problem=gf_crit_problem,
        code=code_files("plotting/style.py", "plotting/gf_panels.py"),
    output:
        report("<figures>/gf_{crit}.pdf", caption="../report/gf_critical.rst",
               category=GF_CATEGORY),
    params:
        fig=GF["critical"],
        name=lambda wc: f"gf_{wc.crit}",
        problem=lambda wc: GF["critical"]["figures"][wc.crit]["problem"],
        synthetic=lambda wc: GF["critical"]["figures"][wc.crit]["problem"] in GF["problems"],
        spec=lambda wc: GF["problems"].get(GF["critical"]["figures"][wc.crit]["problem"], {}),
        stand_in=lambda wc: (GFR["problems"].get(
            GF["critical"]["figures"][wc.crit]["problem"], {}).get("dataset") == "digits"),
    log:
        "<logs>/gf/gf_critical_figure_{crit}.log",
    conda:
        ENV
    script:
        "../scripts/gf/critical_figure.py"


# ---- Fig 3: phase diagram, signal -> noise crossover, convergence then divergence ----


rule gf_fig3_simulation:
    input:
        code=code_files(*GF_SE, "data/power_law.py", "progress.py"),
    output:
        "<results>/gf/gf_fig3/simulation.npz",
    params:
        fig=GF["fig3"],
        tau=GF["tau"],
    log:
        "<logs>/gf/gf_fig3_simulation.log",
    benchmark:
        "<logs>/gf/gf_fig3_simulation.bench.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/gf/fig3_simulation.py"


rule gf_fig3_theory:
    input:
        code=code_files(*GF_SE, "theory/power_law_phases.py", "data/power_law.py"),
    output:
        "<results>/gf/gf_fig3/theory.npz",
    params:
        fig=GF["fig3"],
        tau=GF["tau"],
    log:
        "<logs>/gf/gf_fig3_theory.log",
    benchmark:
        "<logs>/gf/gf_fig3_theory.bench.tsv"
    conda:
        ENV
    script:
        "../scripts/gf/fig3_theory.py"


rule gf_fig3_series:
    input:
        sim="<results>/gf/gf_fig3/simulation.npz",
        theory="<results>/gf/gf_fig3/theory.npz",
        code=code_files("observables/gf_agreement.py", "agreement.py"),
    output:
        series="<results>/gf/gf_fig3/series.csv",
        agreement="<results>/gf/gf_fig3/agreement.csv",
    params:
        fig=GF["fig3"],
    log:
        "<logs>/gf/gf_fig3_series.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig3_series.py"


rule gf_fig3_figure:
    input:
        series="<results>/gf/gf_fig3/series.csv",
        agreement="<results>/gf/gf_fig3/agreement.csv",
        code=code_files("plotting/style.py"),
    output:
        figure_pdf("gf_fig3", GF_CATEGORY),
    params:
        fig=GF["fig3"],
    log:
        "<logs>/gf/gf_fig3_figure.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig3_figure.py"


# ---- Fig 4 (stand-in): the numerical checks of Lemma 1 ----


rule gf_fig4_theory:
    input:
        code=code_files(*GF_SE),
    output:
        "<results>/gf/gf_fig4/theory.npz",
    params:
        fig=GF["fig4"],
    log:
        "<logs>/gf/gf_fig4_theory.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig4_theory.py"


rule gf_fig4_series:
    input:
        theory="<results>/gf/gf_fig4/theory.npz",
        code=code_files("observables/gf_agreement.py", "agreement.py"),
    output:
        series="<results>/gf/gf_fig4/series.csv",
        agreement="<results>/gf/gf_fig4/agreement.csv",
    params:
        fig=GF["fig4"],
    log:
        "<logs>/gf/gf_fig4_series.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig4_series.py"


rule gf_fig4_figure:
    input:
        series="<results>/gf/gf_fig4/series.csv",
        agreement="<results>/gf/gf_fig4/agreement.csv",
        code=code_files("plotting/style.py"),
    output:
        figure_pdf("gf_fig4", GF_CATEGORY),
    params:
        fig=GF["fig4"],
    log:
        "<logs>/gf/gf_fig4_figure.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig4_figure.py"


# ---- Fig 5: budget independence on MNIST (linearised SGD, beta = 0) ----


rule gf_fig5_simulation:
    input:
        problem=gf_problem_file(GF["fig5"]["problem"]),
        code=code_files(*GF_SIM),
    output:
        "<results>/gf/gf_fig5/simulation.npz",
    params:
        fig=GF["fig5"],
    log:
        "<logs>/gf/gf_fig5_simulation.log",
    benchmark:
        "<logs>/gf/gf_fig5_simulation.bench.tsv"
    threads: 1
    priority: 1  # long stage: start it early so short jobs fill the last minutes
    resources:
        mem_mb=1500,
        runtime=20,
    conda:
        ENV
    script:
        "../scripts/gf/fig5_simulation.py"


rule gf_fig5_theory:
    input:
        problem=gf_problem_file(GF["fig5"]["problem"]),
        code=code_files(*GF_SE),
    output:
        "<results>/gf/gf_fig5/theory.npz",
    params:
        fig=GF["fig5"],
        tau=GF["real_se_tau"],
    log:
        "<logs>/gf/gf_fig5_theory.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig5_theory.py"


rule gf_fig5_series:
    input:
        sim="<results>/gf/gf_fig5/simulation.npz",
        theory="<results>/gf/gf_fig5/theory.npz",
        code=code_files("observables/gf_agreement.py", "agreement.py"),
    output:
        series="<results>/gf/gf_fig5/series.csv",
        agreement="<results>/gf/gf_fig5/agreement.csv",
    params:
        fig=GF["fig5"],
    log:
        "<logs>/gf/gf_fig5_series.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig5_series.py"


rule gf_fig5_figure:
    input:
        series="<results>/gf/gf_fig5/series.csv",
        agreement="<results>/gf/gf_fig5/agreement.csv",
        problem=gf_problem_file(GF["fig5"]["problem"]),
        code=code_files("plotting/style.py"),
    output:
        figure_pdf("gf_fig5", GF_CATEGORY),
    params:
        fig=GF["fig5"],
        paper_n=10000,
    log:
        "<logs>/gf/gf_fig5_figure.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig5_figure.py"


# ---- Fig 6: negative momenta: eq. 30 map, L(alpha) and L(beta) of the SE (SD) runs ----


rule gf_fig6_simulation:
    input:
        code=code_files(*GF_SE, "data/power_law.py", "progress.py"),
    output:
        "<results>/gf/gf_fig6/simulation.npz",
    params:
        fig=GF["fig6"],
        tau=GF["tau"],
    log:
        "<logs>/gf/gf_fig6_simulation.log",
    benchmark:
        "<logs>/gf/gf_fig6_simulation.bench.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/gf/fig6_simulation.py"


rule gf_fig6_theory:
    input:
        code=code_files(*GF_SE, "theory/power_law_phases.py", "data/power_law.py"),
    output:
        "<results>/gf/gf_fig6/theory.npz",
    params:
        fig=GF["fig6"],
        tau=GF["tau"],
    log:
        "<logs>/gf/gf_fig6_theory.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig6_theory.py"


rule gf_fig6_series:
    input:
        sim="<results>/gf/gf_fig6/simulation.npz",
        theory="<results>/gf/gf_fig6/theory.npz",
        code=code_files("observables/gf_agreement.py", "agreement.py"),
    output:
        series="<results>/gf/gf_fig6/series.csv",
        agreement="<results>/gf/gf_fig6/agreement.csv",
    params:
        fig=GF["fig6"],
    log:
        "<logs>/gf/gf_fig6_series.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig6_series.py"


rule gf_fig6_figure:
    input:
        series="<results>/gf/gf_fig6/series.csv",
        agreement="<results>/gf/gf_fig6/agreement.csv",
        code=code_files("plotting/style.py"),
    output:
        figure_pdf("gf_fig6", GF_CATEGORY),
    params:
        fig=GF["fig6"],
    log:
        "<logs>/gf/gf_fig6_figure.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig6_figure.py"
