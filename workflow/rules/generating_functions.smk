"""Generating-functions paper (arXiv 2206.11124): synthetic figures.

Per figure: a simulation stage (real mini-batch heavy-ball SGD on a power-law kernel problem,
vectorised over (alpha, beta) grids and seeds), a theory stage (SE generating functions,
stability, Theorem 2 asymptotics), a compare stage (tidy series.csv + agreement.csv) and the
figure, which only draws.
"""

GF = config["gf"]
check_section("gf")
check(
    GF["fig3"]["fit_steps"][0] < GF["fig3"]["fit_steps"][1] <= GF["fig3"]["n_steps"],
    "gf.fig3.fit_steps",
    f"need fit_steps[0] < fit_steps[1] <= n_steps = {GF['fig3']['n_steps']}",
)
# every batch size against the data set it is drawn from (gf.problem.n_data samples)
_N_DATA = GF["problem"]["n_data"]
for _i, _panel in enumerate(GF["fig2"]["panels"]):
    check_batch(f"gf.fig2.panels[{_i}].batch_size", _panel["batch_size"], _N_DATA,
                "gf.problem.n_data")
for _fig in ("fig3", "fig6"):
    check_batch(f"gf.{_fig}.batch_size", GF[_fig]["batch_size"], _N_DATA, "gf.problem.n_data")
for _fig, _key in (("fig5", "batch_sizes"), ("fig5", "theory_batch_sizes"),
                   ("fig12", "batch_sizes")):
    check_batch(f"gf.{_fig}.{_key}", GF[_fig][_key], _N_DATA, "gf.problem.n_data")

GF_FIGS = ["gf_fig2_synthetic", "gf_fig3", "gf_fig5", "gf_fig6", "gf_fig12_synthetic"]
for _fig in GF_FIGS:
    FIGURES.append(f"figures/{_fig}.pdf")
    AGREEMENTS.append(f"results/gf/{_fig}/agreement.csv")

GF_COMMON = {k: GF[k] for k in ("problem", "tau1", "tau2", "sim_dtype")}
GF_SIM_CODE = ["data/power_law.py", "training/minibatch_sgd.py", "seeding.py"]
GF_THEORY_CODE = [
    "theory/generating_functions.py",
    "theory/gf_stability.py",
    "theory/power_law_phases.py",
    "data/power_law.py",
]


wildcard_constraints:
    panel=r"\d+",


# ---- Fig 2: stability regions in the (alpha, beta) plane ----


rule gf_fig2_sim:
    input:
        code=code_files(*GF_SIM_CODE, "progress.py"),
    output:
        "results/gf/gf_fig2_synthetic/sim_{panel}.npz",
    params:
        common=GF_COMMON,
        fig=GF["fig2"],
    log:
        "logs/gf/gf_fig2_sim_{panel}.log",
    benchmark:
        "logs/gf/gf_fig2_sim_{panel}.bench.tsv"
    threads: 1
    priority: 1  # long stage: start it early so short jobs fill the last minutes
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/gf/fig2_sim.py"


rule gf_fig2_theory:
    input:
        code=code_files(*GF_THEORY_CODE),
    output:
        "results/gf/gf_fig2_synthetic/theory.npz",
    params:
        common=GF_COMMON,
        fig=GF["fig2"],
    log:
        "logs/gf/gf_fig2_theory.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig2_theory.py"


rule gf_fig2_compare:
    input:
        sims=expand("results/gf/gf_fig2_synthetic/sim_{panel}.npz",
                    panel=range(len(GF["fig2"]["panels"]))),
        theory="results/gf/gf_fig2_synthetic/theory.npz",
        code=code_files("agreement.py"),
    output:
        series="results/gf/gf_fig2_synthetic/series.csv",
        agreement="results/gf/gf_fig2_synthetic/agreement.csv",
    params:
        fig=GF["fig2"],
    log:
        "logs/gf/gf_fig2_compare.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig2_compare.py"


rule gf_fig2_synthetic:
    input:
        series="results/gf/gf_fig2_synthetic/series.csv",
        theory="results/gf/gf_fig2_synthetic/theory.npz",
        agreement="results/gf/gf_fig2_synthetic/agreement.csv",
        code=code_files("plotting/style.py"),
    output:
        figure_pdf("gf_fig2_synthetic", "Generating functions: synthetic"),
    params:
        common=GF_COMMON,
        fig=GF["fig2"],
    log:
        "logs/gf/gf_fig2_synthetic.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig2.py"


# ---- Fig 3: phase diagram, signal-to-noise transition, convergence-then-divergence ----


rule gf_fig3_sim:
    input:
        code=code_files(*GF_SIM_CODE, "theory/gf_stability.py", "progress.py"),
    output:
        "results/gf/gf_fig3/sim.npz",
    params:
        common=GF_COMMON,
        fig=GF["fig3"],
    log:
        "logs/gf/gf_fig3_sim.log",
    benchmark:
        "logs/gf/gf_fig3_sim.bench.tsv"
    threads: 1
    priority: 1  # long stage: start it early so short jobs fill the last minutes
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/gf/fig3_sim.py"


rule gf_fig3_theory:
    input:
        code=code_files(*GF_THEORY_CODE),
    output:
        "results/gf/gf_fig3/theory.npz",
    params:
        common=GF_COMMON,
        fig=GF["fig3"],
    log:
        "logs/gf/gf_fig3_theory.log",
    benchmark:
        "logs/gf/gf_fig3_theory.bench.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/gf/fig3_theory.py"


rule gf_fig3_compare:
    input:
        sim="results/gf/gf_fig3/sim.npz",
        theory="results/gf/gf_fig3/theory.npz",
        code=code_files("agreement.py", "theory/power_law_phases.py"),
    output:
        series="results/gf/gf_fig3/series.csv",
        agreement="results/gf/gf_fig3/agreement.csv",
    params:
        fig=GF["fig3"],
    log:
        "logs/gf/gf_fig3_compare.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig3_compare.py"


rule gf_fig3:
    input:
        series="results/gf/gf_fig3/series.csv",
        theory="results/gf/gf_fig3/theory.npz",
        agreement="results/gf/gf_fig3/agreement.csv",
        code=code_files("plotting/style.py"),
    output:
        figure_pdf("gf_fig3", "Generating functions: synthetic"),
    params:
        common=GF_COMMON,
        fig=GF["fig3"],
    log:
        "logs/gf/gf_fig3.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig3.py"


# ---- Fig 12 (synthetic part): critical alpha versus beta for several batch sizes ----


rule gf_fig12_sim:
    input:
        code=code_files(*GF_SIM_CODE, "theory/gf_stability.py", "progress.py"),
    output:
        "results/gf/gf_fig12_synthetic/sim.npz",
    params:
        common=GF_COMMON,
        fig=GF["fig12"],
    log:
        "logs/gf/gf_fig12_sim.log",
    benchmark:
        "logs/gf/gf_fig12_sim.bench.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/gf/fig12_sim.py"


rule gf_fig12_theory:
    input:
        code=code_files(*GF_THEORY_CODE),
    output:
        "results/gf/gf_fig12_synthetic/theory.npz",
    params:
        common=GF_COMMON,
        fig=GF["fig12"],
    log:
        "logs/gf/gf_fig12_theory.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig12_theory.py"


rule gf_fig12_compare:
    input:
        sim="results/gf/gf_fig12_synthetic/sim.npz",
        theory="results/gf/gf_fig12_synthetic/theory.npz",
        code=code_files("agreement.py"),
    output:
        series="results/gf/gf_fig12_synthetic/series.csv",
        agreement="results/gf/gf_fig12_synthetic/agreement.csv",
    params:
        fig=GF["fig12"],
    log:
        "logs/gf/gf_fig12_compare.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig12_compare.py"


rule gf_fig12_synthetic:
    input:
        series="results/gf/gf_fig12_synthetic/series.csv",
        theory="results/gf/gf_fig12_synthetic/theory.npz",
        agreement="results/gf/gf_fig12_synthetic/agreement.csv",
        code=code_files("plotting/style.py"),
    output:
        figure_pdf("gf_fig12_synthetic", "Generating functions: synthetic"),
    params:
        common=GF_COMMON,
        fig=GF["fig12"],
    log:
        "logs/gf/gf_fig12_synthetic.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig12.py"


# ---- Fig 6: optimal (alpha, beta) and the sign of the momentum effect in both phases ----


wildcard_constraints:
    phase=r"signal|noise",
    kind=r"sim|theory",


rule gf_fig6_grid:
    input:
        code=code_files(*GF_SIM_CODE, *GF_THEORY_CODE, "progress.py"),
    output:
        "results/gf/gf_fig6/{kind}_{phase}.npz",
    params:
        common=GF_COMMON,
        fig=GF["fig6"],
        kind=lambda wildcards: wildcards.kind,
    log:
        "logs/gf/gf_fig6_{kind}_{phase}.log",
    benchmark:
        "logs/gf/gf_fig6_{kind}_{phase}.bench.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/gf/fig6_grid.py"


rule gf_fig6_compare:
    input:
        **{f"{k}_{p}": f"results/gf/gf_fig6/{k}_{p}.npz"
           for k in ("sim", "theory") for p in ("signal", "noise")},
        code=code_files("agreement.py"),
    output:
        series="results/gf/gf_fig6/series.csv",
        agreement="results/gf/gf_fig6/agreement.csv",
    params:
        fig=GF["fig6"],
    log:
        "logs/gf/gf_fig6_compare.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig6_compare.py"


rule gf_fig6:
    input:
        series="results/gf/gf_fig6/series.csv",
        agreement="results/gf/gf_fig6/agreement.csv",
        code=code_files("plotting/style.py"),
    output:
        figure_pdf("gf_fig6", "Generating functions: synthetic"),
    params:
        common=GF_COMMON,
        fig=GF["fig6"],
    log:
        "logs/gf/gf_fig6.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig6.py"


# ---- Fig 5 (synthetic part): batch size at a fixed sample budget ----


rule gf_fig5_sim:
    input:
        code=code_files(*GF_SIM_CODE, "theory/gf_stability.py", "progress.py"),
    output:
        "results/gf/gf_fig5/sim.npz",
    params:
        common=GF_COMMON,
        fig=GF["fig5"],
    log:
        "logs/gf/gf_fig5_sim.log",
    benchmark:
        "logs/gf/gf_fig5_sim.bench.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/gf/fig5_sim.py"


rule gf_fig5_theory:
    input:
        code=code_files(*GF_THEORY_CODE),
    output:
        "results/gf/gf_fig5/theory.npz",
    params:
        common=GF_COMMON,
        fig=GF["fig5"],
    log:
        "logs/gf/gf_fig5_theory.log",
    benchmark:
        "logs/gf/gf_fig5_theory.bench.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=20,
    conda:
        ENV
    script:
        "../scripts/gf/fig5_theory.py"


rule gf_fig5_compare:
    input:
        sim="results/gf/gf_fig5/sim.npz",
        theory="results/gf/gf_fig5/theory.npz",
        code=code_files("agreement.py"),
    output:
        series="results/gf/gf_fig5/series.csv",
        agreement="results/gf/gf_fig5/agreement.csv",
    params:
        fig=GF["fig5"],
    log:
        "logs/gf/gf_fig5_compare.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig5_compare.py"


rule gf_fig5:
    input:
        series="results/gf/gf_fig5/series.csv",
        agreement="results/gf/gf_fig5/agreement.csv",
        code=code_files("plotting/style.py"),
    output:
        figure_pdf("gf_fig5", "Generating functions: synthetic"),
    params:
        common=GF_COMMON,
        fig=GF["fig5"],
    log:
        "logs/gf/gf_fig5.log",
    conda:
        ENV
    script:
        "../scripts/gf/fig5.py"
