"""Local-geometry paper (arXiv 2502.15655): convergence in d of the Hessian block's spectrum to
its limiting law, at x = 0 and at one time along SGD (figures/geometry_scaling.pdf;
docs/geometry.md, "Convergence in d"). Config geometry.scaling.

The SGD iterates come from the edge-trend runs (geometry_edgetrend_simulation, same model) at
the sizes they cover and from geometry_scaling_simulation at the others; the limiting law is the
theory stage of the run geometry.scaling.run (geometry_training_theory). Stages:
geometry_scaling_simulation -> geometry_scaling_observables (whole test-data spectra) ->
geometry_scaling_series (Kolmogorov distances, outliers, fitted rates, rows) ->
geometry_scaling_figure.
"""

GEO_SCALING = GEO["scaling"]
_GS_KEY = "geometry.scaling"
check(GEO_SCALING["run"] == GEO_TREND["run"], f"{_GS_KEY}.run",
      f"must be the edge-trend run {GEO_TREND['run']!r} (its SGD iterates are reused)")
check(GEO_SCALING["run"] in GEO_RUNS, f"{_GS_KEY}.run",
      f"unknown run {GEO_SCALING['run']!r}")
check("hessian" in GEO_RUNS[GEO_SCALING["run"]]["kinds"], f"{_GS_KEY}.run",
      "its theory must include the Hessian block")
for _key in ("x0_samples", "tests_per_run"):
    check(len(GEO_SCALING[_key]) == len(GEO_SCALING["sizes"]), f"{_GS_KEY}.{_key}",
          "one entry per size")
check(len(set(GEO_SCALING["sizes"])) == len(GEO_SCALING["sizes"]), f"{_GS_KEY}.sizes",
      "sizes must be distinct")
check(GEO["mean_spacing"] * GEO_RUNS[GEO_SCALING["run"]]["k"] <= min(GEO_SCALING["sizes"]),
      f"{_GS_KEY}.sizes", "the smallest size must hold the means (mean_spacing * k)")
_gs_run = GEO_RUNS[GEO_SCALING["run"]]
_gs_t = GEO_SCALING["time"]
_tr, _rt = GEO_TREND["times"], _gs_run["times"]
check(any(abs(_tr["start"] + i * (_tr["stop"] - _tr["start"]) / (_tr["num"] - 1) - _gs_t) < 1e-9
          for i in range(_tr["num"])), f"{_GS_KEY}.time",
      "must be one of the edge-trend times geometry.edge_trend.times")
check(any(abs(i * _rt["t_max"] / (_rt["n_times"] - 1) - _gs_t) < 1e-9
          for i in range(_rt["n_times"])), f"{_GS_KEY}.time",
      f"must be a checkpoint of geometry.runs.{GEO_SCALING['run']}.times")
check(all(any(abs(t - u) < 1e-9 for u in _gs_run["full_spectrum_times"]) for t in (0.0, _gs_t)),
      f"{_GS_KEY}.time", f"0 and the time must be full-spectrum times of the run (its theory "
      f"tabulates the limiting law there): geometry.runs.{GEO_SCALING['run']}.full_spectrum_times")
_GS_MODEL = {key: v for key, v in _gs_run.items() if key not in ("d", "seeds")}
# what the spectra depend on (the rest of geometry.scaling only decides how they are scored)
_GS_SAMPLING = {key: GEO_SCALING[key]
                for key in ("run", "sizes", "time", "x0_samples", "runs", "tests_per_run", "seed")}
# the SGD iterates at every size: the edge-trend runs where they exist, own runs elsewhere
GEO_SCALING_OWN = [d for d in GEO_SCALING["sizes"] if d not in GEO_TREND["dims"]]
GEO_SCALING_SIMS = [f"<results>/geometry/scaling/d{d}/simulation.npz" if d in GEO_SCALING_OWN
                    else f"<results>/geometry/edgetrend/d{d}/simulation.npz"
                    for d in GEO_SCALING["sizes"]]

FIGURES.append("<figures>/geometry_scaling.pdf")
AGREEMENTS.append("<results>/geometry/scaling/agreement.csv")


rule geometry_scaling_simulation:
    input:
        code=code_files("training/online_sgd.py", "training/geometry_runs.py", "data/gmm.py",
                        "seeding.py"),
    output:
        "<results>/geometry/scaling/d{sdim}/simulation.npz",
    wildcard_constraints:
        sdim="|".join(str(d) for d in GEO_SCALING_OWN) or "none",
    params:
        common=GEO_COMMON,
        sgd=lambda wc: {**_GS_MODEL, "d": int(wc.sdim), "seeds": GEO_SCALING["runs"]},
        time=_gs_t,
    log:
        "<logs>/geometry/scaling_simulation_d{sdim}.log",
    benchmark:
        "<logs>/geometry/scaling_simulation_d{sdim}.bench.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/geometry/scaling_simulation.py"


rule geometry_scaling_observables:
    input:
        simulations=GEO_SCALING_SIMS,
        code=code_files("observables/block_eigenvalues.py", "observables/empirical_spectra.py",
                        "training/geometry_runs.py", "data/gmm.py", "seeding.py"),
    output:
        "<results>/geometry/scaling/observables.npz",
    params:
        common=GEO_COMMON,
        model=_GS_MODEL,
        sampling=_GS_SAMPLING,
    log:
        "<logs>/geometry/scaling_observables.log",
    benchmark:
        "<logs>/geometry/scaling_observables.bench.tsv"
    threads: 1
    priority: 1  # the longest job of this figure: start it early
    resources:
        mem_mb=2000,
        runtime=20,
    conda:
        ENV
    script:
        "../scripts/geometry/scaling_observables.py"


rule geometry_scaling_series:
    input:
        observables="<results>/geometry/scaling/observables.npz",
        theory=f"<results>/geometry/training/{GEO_SCALING['run']}/theory.npz",
        code=code_files("checks/geometry_scaling.py", "observables/convergence_rate.py",
                        "observables/empirical_spectra.py", "theory/limiting_spectra.py",
                        "agreement.py"),
    output:
        series="<results>/geometry/scaling/series.csv",
        agreement="<results>/geometry/scaling/agreement.csv",
    params:
        common=GEO_COMMON,
        run=_gs_run,
        sampling=_GS_SAMPLING,
        scaling=GEO_SCALING,
    log:
        "<logs>/geometry/scaling_series.log",
    benchmark:
        "<logs>/geometry/scaling_series.bench.tsv"
    conda:
        ENV
    script:
        "../scripts/geometry/scaling_series.py"


rule geometry_scaling_figure:
    input:
        series="<results>/geometry/scaling/series.csv",
        code=code_files("plotting/style.py", "plotting/scaling_panels.py",
                        "checks/geometry_scaling.py"),
    output:
        figure_pdf("geometry_scaling", "Local geometry"),
    params:
        model=_GS_MODEL,
        scaling=GEO_SCALING,
    log:
        "<logs>/geometry/scaling_figure.log",
    conda:
        ENV
    script:
        "../scripts/geometry/scaling_figure.py"
