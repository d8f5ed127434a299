"""Local-geometry paper (arXiv 2502.15655): Hessian and G-matrix spectra along training.

Theory and simulation are separate stages:
  ode (effective dynamics of the Gram matrix) -> theory_training (limiting bulk, outliers,
  overlaps of the (c, c) blocks along the ODE);  sgd (online SGD from x = 0) ->
  empirical_training (dense spectra of the same blocks on fresh test data);
  static_theory / static_empirical (x = 0, sweeps in lam and phi).
Each figure has a series stage (series.csv + agreement.csv) and a drawing stage.
"""

GEO = config["geometry"]
check_section("geometry")
check(GEO["block"] < GEO["k"], "geometry.block", f"block must be < k = {GEO['k']}")
check(
    GEO["mean_spacing"] * GEO["k"] <= min(GEO["training"]["d"],
                                          *[s["d"] for s in GEO["static"].values()]),
    "geometry.mean_spacing",
    "mean_spacing * k exceeds a dimension d of geometry.training or geometry.static",
)
check(
    all(t <= GEO["training"]["t_max"] for t in GEO["training"]["hist_times"]),
    "geometry.training.hist_times",
    "histogram times must lie in [0, t_max]",
)
for _name, _sw in GEO["static"].items():
    check(_sw["values"]["start"] < _sw["values"]["stop"], f"geometry.static.{_name}.values",
          "start must be < stop")

GEO_COMMON = {key: GEO[key] for key in ("k", "lam", "phi", "beta", "c_delta", "block",
                                        "mean_spacing", "seed")}
GEO_FIGS = {"fig1": "training", "fig2": "training", "fig3": "lam_sweep", "fig4": "phi_sweep"}
for _fig in GEO_FIGS:
    FIGURES.append(f"figures/geometry_{_fig}.pdf")
    AGREEMENTS.append(f"results/geometry/{_fig}/agreement.csv")


wildcard_constraints:
    sweep="lam_sweep|phi_sweep",


rule geometry_ode:
    input:
        code=code_files("theory/gmm_effective_dynamics.py", "theory/effective_spectrum.py"),
    output:
        "results/geometry/training/ode.npz",
    params:
        common=GEO_COMMON,
        training=GEO["training"],
        ode=GEO["ode"],
    log:
        "logs/geometry/ode.log",
    benchmark:
        "logs/geometry/ode.bench.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/geometry/ode.py"


rule geometry_theory_training:
    input:
        ode="results/geometry/training/ode.npz",
        code=code_files("theory/limiting_spectra.py", "theory/gram_quadrature.py",
                        "theory/effective_spectrum.py"),
    output:
        "results/geometry/training/theory.npz",
    params:
        common=GEO_COMMON,
        training=GEO["training"],
        quadrature=GEO["quadrature"],
    log:
        "logs/geometry/theory_training.log",
    benchmark:
        "logs/geometry/theory_training.bench.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=20,
    conda:
        ENV
    script:
        "../scripts/geometry/theory_training.py"


rule geometry_sgd:
    input:
        code=code_files("training/online_sgd.py", "data/gmm.py", "seeding.py",
                        "theory/effective_spectrum.py"),
    output:
        "results/geometry/training/sgd.npz",
    params:
        common=GEO_COMMON,
        training=GEO["training"],
    log:
        "logs/geometry/sgd.log",
    benchmark:
        "logs/geometry/sgd.bench.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=20,
    conda:
        ENV
    script:
        "../scripts/geometry/sgd.py"


rule geometry_empirical_training:
    input:
        sgd="results/geometry/training/sgd.npz",
        code=code_files("observables/empirical_spectra.py", "data/gmm.py", "seeding.py",
                        "theory/gram_quadrature.py"),
    output:
        "results/geometry/training/empirical.npz",
    params:
        common=GEO_COMMON,
        training=GEO["training"],
    log:
        "logs/geometry/empirical_training.log",
    benchmark:
        "logs/geometry/empirical_training.bench.tsv"
    threads: 2
    resources:
        mem_mb=4000,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/geometry/empirical_training.py"


rule geometry_static_theory:
    input:
        code=code_files("theory/limiting_spectra.py", "theory/gram_quadrature.py",
                        "theory/effective_spectrum.py"),
    output:
        "results/geometry/static/{sweep}_theory.npz",
    params:
        common=GEO_COMMON,
        sweep=lambda wc: GEO["static"][wc.sweep],
        quadrature=GEO["quadrature"],
    log:
        "logs/geometry/static_theory_{sweep}.log",
    benchmark:
        "logs/geometry/static_theory_{sweep}.bench.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/geometry/static_theory.py"


rule geometry_static_empirical:
    input:
        code=code_files("observables/empirical_spectra.py", "data/gmm.py", "seeding.py"),
    output:
        "results/geometry/static/{sweep}_empirical.npz",
    params:
        common=GEO_COMMON,
        sweep=lambda wc: GEO["static"][wc.sweep],
    log:
        "logs/geometry/static_empirical_{sweep}.log",
    benchmark:
        "logs/geometry/static_empirical_{sweep}.bench.tsv"
    threads: 2
    resources:
        mem_mb=4000,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/geometry/static_empirical.py"


rule geometry_training_series:
    input:
        ode="results/geometry/training/ode.npz",
        theory="results/geometry/training/theory.npz",
        sgd="results/geometry/training/sgd.npz",
        empirical="results/geometry/training/empirical.npz",
        code=code_files("theory/limiting_spectra.py", "observables/spectral_agreement.py",
                        "agreement.py"),
    output:
        series="results/geometry/{gfig}/series.csv",
        agreement="results/geometry/{gfig}/agreement.csv",
    wildcard_constraints:
        gfig="fig1|fig2",
    params:
        common=GEO_COMMON,
        training=GEO["training"],
        agreement=GEO["agreement"],
    log:
        "logs/geometry/{gfig}_series.log",
    resources:
        mem_mb=2000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/geometry/{wildcards.gfig}_series.py"


rule geometry_static_series:
    input:
        theory=lambda wc: f"results/geometry/static/{GEO_FIGS[wc.gfig]}_theory.npz",
        empirical=lambda wc: f"results/geometry/static/{GEO_FIGS[wc.gfig]}_empirical.npz",
        code=code_files("observables/spectral_agreement.py", "agreement.py"),
    output:
        series="results/geometry/{gfig}/series.csv",
        agreement="results/geometry/{gfig}/agreement.csv",
    wildcard_constraints:
        gfig="fig3|fig4",
    params:
        common=GEO_COMMON,
        sweep=lambda wc: GEO["static"][GEO_FIGS[wc.gfig]],
        agreement=GEO["agreement"],
    log:
        "logs/geometry/{gfig}_series.log",
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/geometry/static_series.py"


rule geometry_training_figure:
    input:
        series="results/geometry/{gfig}/series.csv",
        agreement="results/geometry/{gfig}/agreement.csv",
        code=code_files("plotting/style.py"),
    output:
        report("figures/geometry_{gfig}.pdf", caption="../report/geometry.rst",
               category="Local geometry"),
    wildcard_constraints:
        gfig="fig1|fig2",
    params:
        common=GEO_COMMON,
        training=GEO["training"],
    log:
        "logs/geometry/{gfig}.log",
    conda:
        ENV
    script:
        "../scripts/geometry/{wildcards.gfig}.py"


rule geometry_static_figure:
    input:
        series="results/geometry/{gfig}/series.csv",
        agreement="results/geometry/{gfig}/agreement.csv",
        code=code_files("plotting/style.py"),
    output:
        report("figures/geometry_{gfig}.pdf", caption="../report/geometry.rst",
               category="Local geometry"),
    wildcard_constraints:
        gfig="fig3|fig4",
    params:
        common=GEO_COMMON,
        sweep=lambda wc: GEO["static"][GEO_FIGS[wc.gfig]],
    log:
        "logs/geometry/{gfig}.log",
    conda:
        ENV
    script:
        "../scripts/geometry/static_figure.py"
