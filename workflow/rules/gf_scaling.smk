"""Generating-functions paper (arXiv 2206.11124): convergence in N of the SE approximation to
the exact mean loss on the synthetic Haar-basis problem (figures/gf_scaling.pdf;
docs/generating_functions.md, "Convergence in N"). Config gf.scaling; the problem's nu, kappa
and derived tau are those of the gf.problems entry it names, the paper's tau is gf.tau.

gf_scaling_theory (exact second moments of every draw at every N, and SE) -> gf_scaling_series
(RMS gaps, fitted rates, rows) -> gf_scaling_figure.
"""

GF_SCALING = GF["scaling"]
check(GF_SCALING["problem"] in GF["problems"], "gf.scaling.problem",
      f"unknown problem {GF_SCALING['problem']!r} (not in gf.problems)")
check(len(GF_SCALING["draws"]) == len(GF_SCALING["sizes"]), "gf.scaling.draws",
      "one number of draws per size")
check(len(set(GF_SCALING["sizes"])) == len(GF_SCALING["sizes"]), "gf.scaling.sizes",
      "sizes must be distinct")
check_batch("gf.scaling.batch_size", GF_SCALING["batch_size"], min(GF_SCALING["sizes"]),
            "gf.scaling.sizes")
_GF_SCALING_PARAMS = {
    # what the losses depend on (the rest of gf.scaling only decides how they are scored)
    "draws": {key: GF_SCALING[key] for key in ("problem", "sizes", "draws", "alpha", "beta",
                                                "batch_size", "n_steps", "seed")},
    "problem": GF["problems"][GF_SCALING["problem"]],
    "taus": {"derived": GF["problems"][GF_SCALING["problem"]]["se_tau"], "paper": GF["tau"]},
}
FIGURES.append("<figures>/gf_scaling.pdf")
AGREEMENTS.append("<results>/gf/gf_scaling/agreement.csv")


rule gf_scaling_theory:
    input:
        code=code_files("data/power_law.py", "theory/exact_second_moments.py",
                        "theory/generating_functions.py", "seeding.py", "progress.py"),
    output:
        "<results>/gf/gf_scaling/theory.npz",
    params:
        **_GF_SCALING_PARAMS,
    log:
        "<logs>/gf/gf_scaling_theory.log",
    benchmark:
        "<logs>/gf/gf_scaling_theory.bench.tsv"
    threads: 1
    priority: 1  # the longest job of this figure: start it early
    resources:
        mem_mb=500,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/gf/scaling_theory.py"


rule gf_scaling_series:
    input:
        theory="<results>/gf/gf_scaling/theory.npz",
        code=code_files("checks/gf_scaling.py", "observables/convergence_rate.py",
                        "agreement.py"),
    output:
        series="<results>/gf/gf_scaling/series.csv",
        agreement="<results>/gf/gf_scaling/agreement.csv",
    params:
        **_GF_SCALING_PARAMS,
        scaling=GF_SCALING,
    log:
        "<logs>/gf/gf_scaling_series.log",
    conda:
        ENV
    script:
        "../scripts/gf/scaling_series.py"


rule gf_scaling_figure:
    input:
        series="<results>/gf/gf_scaling/series.csv",
        code=code_files("plotting/style.py", "plotting/scaling_panels.py",
                        "checks/gf_scaling.py"),
    output:
        figure_pdf("gf_scaling", GF_CATEGORY),
    params:
        **_GF_SCALING_PARAMS,
    log:
        "<logs>/gf/gf_scaling_figure.log",
    conda:
        ENV
    script:
        "../scripts/gf/scaling_figure.py"
