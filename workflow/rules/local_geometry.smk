"""Local-geometry paper (arXiv 2502.15655): Hessian and G-matrix spectra along training.

Stages (roles of docs/ARCHITECTURE.md), per SGD run ``{run}`` of ``geometry.runs``:
  training_simulation (online SGD) -> training_observables (top eigenpairs of the (c, c) blocks on
  fresh test data); training_theory_ode (effective dynamics of the Gram matrix) ->
  training_theory (limiting and finite-d bulk edge, outliers, overlaps along the ODE).
Static sweeps at x = 0 (``{sweep}``): static_observables, static_theory. Fig 5's (lam, t) maps:
map_theory. Fig 7's visible transition against d (``d{dim}``): edgetrend_simulation,
edgetrend_observables, edgetrend_theory. Each figure has a series stage (series.csv +
agreement.csv) and a figure stage.
"""

GEO = config["geometry"]
check_section("geometry")
GEO_RUNS = GEO["runs"]
GEO_TREND = GEO["edge_trend"]
for _name, _run in GEO_RUNS.items():
    _key = f"geometry.runs.{_name}"
    check(len(_run["label_map"]) == _run["k"], f"{_key}.label_map",
          f"needs one class per component (k = {_run['k']})")
    check(sorted(set(_run["label_map"])) == list(range(max(_run["label_map"]) + 1)),
          f"{_key}.label_map", "must use every class 0..C-1")
    check(len(_run["p"]) == _run["k"], f"{_key}.p",
          f"needs one proportion per component (k = {_run['k']})")
    check(GEO["block"] <= max(_run["label_map"]), "geometry.block",
          f"block must be a class of run {_name} (< C = {max(_run['label_map']) + 1})")
    check(GEO["mean_spacing"] * _run["k"] <= _run["d"], "geometry.mean_spacing",
          f"mean_spacing * k exceeds d = {_run['d']} of run {_name}")
    check(all(t <= _run["times"]["t_max"] for t in _run["times"]["extra"]
              + _run["full_spectrum_times"]), f"{_key}.full_spectrum_times",
          "checkpoint times must lie in [0, t_max]")
    check("g" not in _run["kinds"]   # the runs of Figs 2 and 6 score a bulk quantile
          or _run["n_top"] > (_run["d"] - 1) * (1 - GEO["agreement"]["bulk_quantile"]) + 1,
          f"{_key}.n_top", "too few top eigenvalues for geometry.agreement.bulk_quantile")
    check(_run["n_top"] < _run["d"], f"{_key}.n_top", "must be < d")
    check("g" not in _run["kinds"]   # the visible G transition's most aligned eigenvector
          or _run["n_top"] >= GEO["agreement"]["transition_top"], f"{_key}.n_top",
          "must be >= geometry.agreement.transition_top")
for _key in ("emergence_map", "edge_trend"):
    check(GEO[_key]["run"] in GEO_RUNS, f"geometry.{_key}.run",
          f"no run named {GEO[_key]['run']!r} in geometry.runs")
check(GEO_TREND["n_top"] >= GEO["agreement"]["transition_top"], "geometry.edge_trend.n_top",
      "must be >= geometry.agreement.transition_top")
check(len(GEO_TREND["seeds"]) == len(GEO_TREND["dims"]), "geometry.edge_trend.seeds",
      "needs one seed count per dimension in dims")
check(len(set(GEO_TREND["dims"])) == len(GEO_TREND["dims"]), "geometry.edge_trend.dims",
      "dimensions must be distinct")
check(set(GEO_TREND["dims"]) <= set(GEO_TREND["theory_dims"]), "geometry.edge_trend.theory_dims",
      "must include every dimension of geometry.edge_trend.dims")
check(GEO["mean_spacing"] * GEO_RUNS[GEO_TREND["run"]]["k"] <= min(GEO_TREND["dims"]),
      "geometry.edge_trend.dims", "mean_spacing * k exceeds the smallest dimension")
for _name, _sw in GEO["static"].items():
    check(_sw["values"]["start"] > 0, f"geometry.static.{_name}.values", "start must be > 0")
    check(_sw["values"]["start"] < _sw["values"]["stop"], f"geometry.static.{_name}.values",
          "start must be < stop")
    check(GEO["mean_spacing"] * _sw["k"] <= _sw["d"], "geometry.mean_spacing",
          f"mean_spacing * k exceeds d of geometry.static.{_name}")
    check(GEO["block"] < _sw["k"], "geometry.block", f"block must be < k of {_name}")
for _key in ("times", "theory_times"):
    _span = GEO_TREND[_key]
    check(_span["start"] < _span["stop"], f"geometry.edge_trend.{_key}", "start must be < stop")
check(GEO["emergence_map"]["times"]["start"] < GEO["emergence_map"]["times"]["stop"],
      "geometry.emergence_map.times", "start must be < stop")

GEO_COMMON = {key: GEO[key] for key in ("beta", "c_delta", "block", "mean_spacing", "seed")}
GEO_TRAINING_FIGS = {"fig2": "main", "fig6": "xor"}
GEO_STATIC_FIGS = {"fig3": "lam_sweep", "fig4": "phi_sweep"}
GEO_EMERGENCE_RUNS = ["emergence", "no_emergence"]
GEO_DIMS = [str(d) for d in GEO_TREND["dims"]]
for _fig in ("fig1", "fig2", "fig3", "fig4", "fig5", "fig6", "fig7"):
    FIGURES.append(f"<figures>/geometry_{_fig}.pdf")
    AGREEMENTS.append(f"<results>/geometry/{_fig}/agreement.csv")


wildcard_constraints:
    run="|".join(GEO_RUNS),
    sweep="lam_sweep|phi_sweep",
    dim="|".join(GEO_DIMS),


# the edge-trend run's config without its dimension and seed count (the stages over all
# dimensions), and at each dimension {dim}, with its seed count
GEO_TREND_RUN = {k: v for k, v in GEO_RUNS[GEO_TREND["run"]].items() if k not in ("d", "seeds")}
GEO_TREND_RUNS = {
    str(d): {**GEO_RUNS[GEO_TREND["run"]], "d": d, "seeds": s}
    for d, s in zip(GEO_TREND["dims"], GEO_TREND["seeds"])
}


rule geometry_training_simulation:
    input:
        code=code_files("training/online_sgd.py", "data/gmm.py", "seeding.py",
                        "theory/effective_spectrum.py"),
    output:
        "<results>/geometry/training/{run}/simulation.npz",
    params:
        common=GEO_COMMON,
        run=lambda wc: GEO_RUNS[wc.run],
    log:
        "<logs>/geometry/training_simulation_{run}.log",
    benchmark:
        "<logs>/geometry/training_simulation_{run}.bench.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/geometry/training_simulation.py"


rule geometry_training_observables:
    input:
        simulation="<results>/geometry/training/{run}/simulation.npz",
        code=code_files("observables/empirical_spectra.py", "data/gmm.py", "seeding.py",
                        "theory/gram_quadrature.py"),
    output:
        "<results>/geometry/training/{run}/observables.npz",
    params:
        common=GEO_COMMON,
        run=lambda wc: GEO_RUNS[wc.run],
    log:
        "<logs>/geometry/training_observables_{run}.log",
    benchmark:
        "<logs>/geometry/training_observables_{run}.bench.tsv"
    threads: 1
    resources:
        mem_mb=1500,
        runtime=20,
    priority: 1
    conda:
        ENV
    script:
        "../scripts/geometry/training_observables.py"


rule geometry_training_theory_ode:
    input:
        code=code_files("theory/gmm_effective_dynamics.py", "theory/effective_spectrum.py"),
    output:
        "<results>/geometry/training/{run}/ode.npz",
    params:
        common=GEO_COMMON,
        run=lambda wc: GEO_RUNS[wc.run],
        ode=GEO["ode"],
    log:
        "<logs>/geometry/training_theory_ode_{run}.log",
    benchmark:
        "<logs>/geometry/training_theory_ode_{run}.bench.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/geometry/training_theory_ode.py"


rule geometry_training_theory:
    input:
        ode="<results>/geometry/training/{run}/ode.npz",
        code=code_files("theory/limiting_spectra.py", "theory/gram_quadrature.py",
                        "theory/effective_spectrum.py"),
    output:
        "<results>/geometry/training/{run}/theory.npz",
    params:
        common=GEO_COMMON,
        run=lambda wc: GEO_RUNS[wc.run],
        quadrature=GEO["quadrature"],
        quantile=GEO["agreement"]["bulk_quantile"],
    log:
        "<logs>/geometry/training_theory_{run}.log",
    benchmark:
        "<logs>/geometry/training_theory_{run}.bench.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=20,
    conda:
        ENV
    script:
        "../scripts/geometry/training_theory.py"


rule geometry_static_observables:
    input:
        code=code_files("observables/empirical_spectra.py", "data/gmm.py", "seeding.py"),
    output:
        "<results>/geometry/static/{sweep}/observables.npz",
    params:
        common=GEO_COMMON,
        sweep=lambda wc: GEO["static"][wc.sweep],
    log:
        "<logs>/geometry/static_observables_{sweep}.log",
    benchmark:
        "<logs>/geometry/static_observables_{sweep}.bench.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=20,
    conda:
        ENV
    script:
        "../scripts/geometry/static_observables.py"


rule geometry_static_theory:
    input:
        code=code_files("theory/limiting_spectra.py", "theory/gram_quadrature.py",
                        "theory/effective_spectrum.py"),
    output:
        "<results>/geometry/static/{sweep}/theory.npz",
    params:
        common=GEO_COMMON,
        sweep=lambda wc: GEO["static"][wc.sweep],
        quadrature=GEO["quadrature"],
    log:
        "<logs>/geometry/static_theory_{sweep}.log",
    benchmark:
        "<logs>/geometry/static_theory_{sweep}.bench.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/geometry/static_theory.py"


rule geometry_map_theory:
    input:
        code=code_files("theory/limiting_spectra.py", "theory/gram_quadrature.py",
                        "theory/effective_spectrum.py", "theory/gmm_effective_dynamics.py"),
    output:
        "<results>/geometry/map/theory.npz",
    params:
        common=GEO_COMMON,
        map=GEO["emergence_map"],
        run=GEO_RUNS[GEO["emergence_map"]["run"]],
        quadrature=GEO["quadrature"],
    log:
        "<logs>/geometry/map_theory.log",
    benchmark:
        "<logs>/geometry/map_theory.bench.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=20,
    conda:
        ENV
    script:
        "../scripts/geometry/map_theory.py"


rule geometry_edgetrend_simulation:
    input:
        code=code_files("training/online_sgd.py", "data/gmm.py", "seeding.py"),
    output:
        "<results>/geometry/edgetrend/d{dim}/simulation.npz",
    params:
        common=GEO_COMMON,
        run=lambda wc: GEO_TREND_RUNS[wc.dim],
        times=GEO_TREND["times"],
    log:
        "<logs>/geometry/edgetrend_simulation_d{dim}.log",
    benchmark:
        "<logs>/geometry/edgetrend_simulation_d{dim}.bench.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/geometry/edgetrend_simulation.py"


rule geometry_edgetrend_observables:
    input:
        simulation="<results>/geometry/edgetrend/d{dim}/simulation.npz",
        code=code_files("observables/empirical_spectra.py", "data/gmm.py", "seeding.py"),
    output:
        "<results>/geometry/edgetrend/d{dim}/observables.npz",
    params:
        common=GEO_COMMON,
        run=lambda wc: GEO_TREND_RUNS[wc.dim],
        n_top=GEO_TREND["n_top"],
    log:
        "<logs>/geometry/edgetrend_observables_d{dim}.log",
    benchmark:
        "<logs>/geometry/edgetrend_observables_d{dim}.bench.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=20,
    priority: 1
    conda:
        ENV
    script:
        "../scripts/geometry/edgetrend_observables.py"


rule geometry_edgetrend_theory:
    input:
        code=code_files("theory/limiting_spectra.py", "theory/gram_quadrature.py",
                        "theory/effective_spectrum.py", "theory/gmm_effective_dynamics.py"),
    output:
        "<results>/geometry/edgetrend/theory.npz",
    params:
        common=GEO_COMMON,
        run=GEO_TREND_RUN,
        trend=GEO_TREND,
        quadrature=GEO["quadrature"],
        ode=GEO["ode"],
        level=GEO["agreement"]["transition_level"],
    log:
        "<logs>/geometry/edgetrend_theory.log",
    benchmark:
        "<logs>/geometry/edgetrend_theory.bench.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=20,
    conda:
        ENV
    script:
        "../scripts/geometry/edgetrend_theory.py"


rule geometry_fig1_series:
    input:
        theory="<results>/geometry/training/main/theory.npz",
        observables="<results>/geometry/training/main/observables.npz",
        code=code_files("observables/geometry_agreement.py",
                        "observables/spectral_agreement.py", "agreement.py"),
    output:
        series="<results>/geometry/fig1/series.csv",
        agreement="<results>/geometry/fig1/agreement.csv",
    params:
        common=GEO_COMMON,
        run=GEO_RUNS["main"],
        agreement=GEO["agreement"],
    log:
        "<logs>/geometry/fig1_series.log",
    conda:
        ENV
    script:
        "../scripts/geometry/fig1_series.py"


rule geometry_training_series:
    input:
        ode=lambda wc: f"<results>/geometry/training/{GEO_TRAINING_FIGS[wc.gfig]}/ode.npz",
        theory=lambda wc: f"<results>/geometry/training/{GEO_TRAINING_FIGS[wc.gfig]}/theory.npz",
        observables=lambda wc: (
            f"<results>/geometry/training/{GEO_TRAINING_FIGS[wc.gfig]}/observables.npz"),
        code=code_files("observables/geometry_agreement.py",
                        "observables/spectral_agreement.py", "agreement.py"),
    output:
        series="<results>/geometry/{gfig}/series.csv",
        agreement="<results>/geometry/{gfig}/agreement.csv",
    wildcard_constraints:
        gfig="fig2|fig6",
    params:
        common=GEO_COMMON,
        run=lambda wc: GEO_RUNS[GEO_TRAINING_FIGS[wc.gfig]],
        agreement=GEO["agreement"],
    log:
        "<logs>/geometry/{gfig}_series.log",
    conda:
        ENV
    script:
        "../scripts/geometry/training_series.py"


rule geometry_static_series:
    input:
        theory=lambda wc: f"<results>/geometry/static/{GEO_STATIC_FIGS[wc.gfig]}/theory.npz",
        observables=lambda wc: (
            f"<results>/geometry/static/{GEO_STATIC_FIGS[wc.gfig]}/observables.npz"),
        code=code_files("observables/geometry_agreement.py",
                        "observables/spectral_agreement.py", "agreement.py"),
    output:
        series="<results>/geometry/{gfig}/series.csv",
        agreement="<results>/geometry/{gfig}/agreement.csv",
    wildcard_constraints:
        gfig="fig3|fig4",
    params:
        common=GEO_COMMON,
        sweep=lambda wc: GEO["static"][GEO_STATIC_FIGS[wc.gfig]],
        agreement=GEO["agreement"],
    log:
        "<logs>/geometry/{gfig}_series.log",
    conda:
        ENV
    script:
        "../scripts/geometry/static_series.py"


rule geometry_fig5_series:
    input:
        theory=expand("<results>/geometry/training/{run}/theory.npz", run=GEO_EMERGENCE_RUNS),
        observables=expand("<results>/geometry/training/{run}/observables.npz",
                           run=GEO_EMERGENCE_RUNS),
        map="<results>/geometry/map/theory.npz",
        code=code_files("observables/geometry_agreement.py",
                        "observables/spectral_agreement.py", "agreement.py"),
    output:
        series="<results>/geometry/fig5/series.csv",
        agreement="<results>/geometry/fig5/agreement.csv",
    params:
        common=GEO_COMMON,
        runs={run: GEO_RUNS[run] for run in GEO_EMERGENCE_RUNS},
        agreement=GEO["agreement"],
    log:
        "<logs>/geometry/fig5_series.log",
    conda:
        ENV
    script:
        "../scripts/geometry/fig5_series.py"


rule geometry_fig7_series:
    input:
        observables=expand("<results>/geometry/edgetrend/d{dim}/observables.npz", dim=GEO_DIMS),
        theory="<results>/geometry/edgetrend/theory.npz",
        code=code_files("observables/geometry_agreement.py",
                        "observables/spectral_agreement.py", "agreement.py"),
    output:
        series="<results>/geometry/fig7/series.csv",
        agreement="<results>/geometry/fig7/agreement.csv",
    params:
        common=GEO_COMMON,
        run=GEO_TREND_RUN,
        trend=GEO_TREND,
        agreement=GEO["agreement"],
    log:
        "<logs>/geometry/fig7_series.log",
    conda:
        ENV
    script:
        "../scripts/geometry/fig7_series.py"


GEO_FIGURE_INPUTS = {
    fig: {"series": f"<results>/geometry/{fig}/series.csv",
          "agreement": f"<results>/geometry/{fig}/agreement.csv"}
    for fig in ("fig1", "fig5", "fig7")
}


rule geometry_fig1_figure:
    input:
        **GEO_FIGURE_INPUTS["fig1"],
        code=code_files("plotting/style.py", "plotting/geometry_panels.py"),
    output:
        figure_pdf("geometry_fig1", "Local geometry"),
    params:
        common=GEO_COMMON,
        run=GEO_RUNS["main"],
    log:
        "<logs>/geometry/fig1_figure.log",
    conda:
        ENV
    script:
        "../scripts/geometry/fig1_figure.py"


rule geometry_training_figure:
    input:
        series="<results>/geometry/{gfig}/series.csv",
        agreement="<results>/geometry/{gfig}/agreement.csv",
        code=code_files("plotting/style.py", "plotting/geometry_panels.py"),
    output:
        report("<figures>/geometry_{gfig}.pdf", caption="../report/geometry_training.rst",
               category="Local geometry"),
    wildcard_constraints:
        gfig="fig2|fig6",
    params:
        common=GEO_COMMON,
        run=lambda wc: GEO_RUNS[GEO_TRAINING_FIGS[wc.gfig]],
        run_name=lambda wc: GEO_TRAINING_FIGS[wc.gfig],
        number=lambda wc: int(wc.gfig[3:]),
        agreement=GEO["agreement"],
    log:
        "<logs>/geometry/{gfig}_figure.log",
    conda:
        ENV
    script:
        "../scripts/geometry/training_figure.py"


rule geometry_static_figure:
    input:
        series="<results>/geometry/{gfig}/series.csv",
        agreement="<results>/geometry/{gfig}/agreement.csv",
        code=code_files("plotting/style.py", "plotting/geometry_panels.py"),
    output:
        report("<figures>/geometry_{gfig}.pdf", caption="../report/geometry_static.rst",
               category="Local geometry"),
    wildcard_constraints:
        gfig="fig3|fig4",
    params:
        common=GEO_COMMON,
        sweep=lambda wc: GEO["static"][GEO_STATIC_FIGS[wc.gfig]],
        number=lambda wc: int(wc.gfig[3:]),
    log:
        "<logs>/geometry/{gfig}_figure.log",
    conda:
        ENV
    script:
        "../scripts/geometry/static_figure.py"


rule geometry_fig5_figure:
    input:
        **GEO_FIGURE_INPUTS["fig5"],
        code=code_files("plotting/style.py", "plotting/geometry_panels.py"),
    output:
        figure_pdf("geometry_fig5", "Local geometry"),
    params:
        common=GEO_COMMON,
        runs={run: GEO_RUNS[run] for run in GEO_EMERGENCE_RUNS},
        map=GEO["emergence_map"],
        agreement=GEO["agreement"],
    log:
        "<logs>/geometry/fig5_figure.log",
    conda:
        ENV
    script:
        "../scripts/geometry/fig5_figure.py"


rule geometry_fig7_figure:
    input:
        **GEO_FIGURE_INPUTS["fig7"],
        code=code_files("plotting/style.py", "plotting/geometry_panels.py"),
    output:
        figure_pdf("geometry_fig7", "Local geometry"),
    params:
        common=GEO_COMMON,
        run=GEO_TREND_RUN,
        trend=GEO_TREND,
        agreement=GEO["agreement"],
    log:
        "<logs>/geometry/fig7_figure.log",
    conda:
        ENV
    script:
        "../scripts/geometry/fig7_figure.py"
