"""Exact-dynamics paper (Collins-Woodfin & Seroussi, arXiv 2510.14074): ODE vs one-pass SGD.

Per run (a key of config exact.runs, or one dimension of the K-way family exact.fig5):
data (mixture, recorded times) -> theory (ODE, all learning rates at once, and the closed form
where one exists) and simulation (streaming SGD over seeds; the runs of one exact.streams entry
share one sample stream and one simulation job) -> per figure: series (series.csv +
agreement.csv) -> figure. Fig 4 adds a theory stage: the ODE swept over the mean exponent beta
and the closed-form separation against d. The convergence-in-d figure exact_scaling has its own
chain (simulation and theory over all sizes, series, figure). docs/exact_dynamics.md has the
equations and every chosen value.
"""

from hdsgd.data.anisotropic_mixture import k_way_family_runs
from hdsgd.theory.exact_closed_forms import power_law_critical_beta

EXACT = config["exact"]
check_section("exact")

_FAMILY_KEYS = {
    "isotropic": ["sigma"],
    "zero_one": ["rho0", "clean_mass"],
    "power_law": ["alphas", "beta"],
}
for _name, _run in EXACT["runs"].items():
    for _key in _FAMILY_KEYS[_run["family"]] + (
        ["mean_scaling"] if _run["family"] == "power_law" else ["mean_norm"]
    ):
        check(_key in _run, f"exact.runs.{_name}.{_key}",
              f"required for family {_run['family']!r}")
    check(_run["t_min"] < _run["t_max"], f"exact.runs.{_name}.t_min", "must be below t_max")
    if _run["family"] == "zero_one":
        _n0 = round(_run["rho0"] * _run["d"])
        check(0 < _n0 < _run["d"], f"exact.runs.{_name}.rho0",
              "leaves an empty clean or noisy set at this d")

# K-way family (Fig 5): one run per d, K = round(coef d^power), every other key shared
_F5 = EXACT["fig5"]
for _key in _FAMILY_KEYS[_F5["family"]]:
    check(_key in _F5, f"exact.fig5.{_key}", f"required for family {_F5['family']!r}")
check(_F5["t_min"] < _F5["t_agree"] < _F5["t_max"], "exact.fig5.t_agree",
      "must lie between t_min and t_max")
_FIG5_RUNS = k_way_family_runs(_F5)
for _r in _FIG5_RUNS.values():
    check(_r["n_classes"] < _r["d"], "exact.fig5.classes",
          f"gives K = {_r['n_classes']} classes at d = {_r['d']} (need K < d)")
check(len(_FIG5_RUNS) == len(_F5["d"]), "exact.fig5.d", "dimensions must be distinct")
EXACT_RUNS = {**EXACT["runs"], **_FIG5_RUNS}

_EXACT_FIG_RUNS = {
    "fig1": EXACT["fig1"]["runs"],
    "fig2": EXACT["fig2"]["runs"],
    "fig3": [EXACT["fig3"]["run"], *EXACT["fig3"]["profile_runs"]],
    "fig4": EXACT["fig4"]["sgd_runs"],
    "fig5": list(_FIG5_RUNS),
}
for _exact_fig, _exact_runs in _EXACT_FIG_RUNS.items():
    for _r in _exact_runs:
        check(_r in EXACT_RUNS, f"exact.{_exact_fig}", f"unknown run {_r!r}")
for _name, _run in EXACT["runs"].items():
    if "ode_t_max" in _run:
        check(_run["ode_t_max"] > _run["t_max"] and "ode_n_times" in _run,
              f"exact.runs.{_name}.ode_t_max", "must exceed t_max and come with ode_n_times")
for _r in EXACT["fig1"]["runs"]:
    _t = EXACT["runs"][_r]
    check(_t["family"] != "power_law" or "ode_t_max" in _t
          or _t["beta"] < power_law_critical_beta(min(_t["alphas"]), _t["mean_scaling"]),
          f"exact.runs.{_r}.ode_t_max", "a saturating power-law run of Fig 1 needs the ODE "
          "run to its limit (ode_t_max, ode_n_times)")
for _r in EXACT["fig1"]["runs"] + EXACT["fig4"]["sgd_runs"]:
    _t = EXACT_RUNS[_r]
    _fig = "fig1" if _r in EXACT["fig1"]["runs"] else "fig4"
    check(_t["t_min"] < EXACT[_fig]["t_agree"] < _t["t_max"], f"exact.{_fig}.t_agree",
          f"must lie between t_min and t_max of run {_r!r}")
check(EXACT_RUNS[EXACT["fig3"]["run"]]["family"] == "zero_one", "exact.fig3.run",
      "must be a zero_one run (clean directions)")
for _r in EXACT["fig2"]["runs"]:
    _t = EXACT_RUNS[_r]
    check(_t["loss"] == "least_squares"
          and (_t["family"] == "isotropic" or _t.get("clean_mass") == 1.0),
          "exact.fig2.runs", f"run {_r!r} must be least squares with a closed form "
          "(isotropic, or zero_one with clean_mass 1)")
for _r in EXACT["fig3"]["profile_runs"]:
    check(EXACT_RUNS[_r]["family"] == "power_law", "exact.fig3.profile_runs",
          f"run {_r!r} must be a power_law run (weights against the mode variance)")
for _r in EXACT["fig4"]["sgd_runs"]:
    _t = EXACT_RUNS[_r]
    check(_t["family"] == "power_law" and EXACT["fig4"]["gamma"] in _t["gammas"]
          and _t["t_max"] == EXACT["fig4"]["t_max"] and _t["d"] in EXACT["fig4"]["d"]
          and _t["mean_scaling"] == EXACT["fig4"]["mean_scaling"]
          and list(_t["alphas"]) == list(EXACT["fig4"]["alphas"]),
          "exact.fig4.sgd_runs",
          f"run {_r!r} must be power_law with the sweep's gamma {EXACT['fig4']['gamma']}, "
          f"t_max {EXACT['fig4']['t_max']}, mean_scaling, alphas and a d listed in exact.fig4.d")

# Runs sharing one SGD sample stream (exact.streams): one simulation job draws the samples once
_STREAMS = EXACT.get("streams", {})
_STREAM_KEYS = ("d", "seeds", "t_min", "t_max", "n_times")
for _stream, _members in _STREAMS.items():
    for _r in _members:
        check(_r in EXACT["runs"], f"exact.streams.{_stream}", f"unknown run {_r!r}")
        check(sum(_r in m for m in _STREAMS.values()) == 1, f"exact.streams.{_stream}",
              f"run {_r!r} is in more than one stream")
        check(all(EXACT["runs"][_r][k] == EXACT["runs"][_members[0]][k] for k in _STREAM_KEYS),
              f"exact.streams.{_stream}",
              f"run {_r!r} must share {', '.join(_STREAM_KEYS)} with {_members[0]!r}")
    check(_stream not in EXACT_RUNS, f"exact.streams.{_stream}", "is also the name of a run")
_SINGLE_RUNS = [r for r in EXACT_RUNS if not any(r in m for m in _STREAMS.values())]

# Convergence in d (exact_scaling): Fig 1 settings at every d of exact.scaling.d
_SC = EXACT["scaling"]
for _s in _SC["settings"]:
    check(_s in EXACT["runs"] and "n_classes" not in EXACT["runs"][_s],
          "exact.scaling.settings", f"{_s!r} is not a binary run of exact.runs")
    check(_s in _SC["expected_slope"], "exact.scaling.expected_slope", f"no rate for {_s!r}")
check(len(_SC["seeds"]) == len(_SC["d"]), "exact.scaling.seeds", "needs one entry per d")
check(_SC["t_agree"] < _SC["t_max"], "exact.scaling.t_agree", "must be below t_max")

for _exact_fig in [*_EXACT_FIG_RUNS, "scaling"]:
    FIGURES.append(f"<figures>/exact_{_exact_fig}.pdf")
    AGREEMENTS.append(f"<results>/exact/{_exact_fig}/agreement.csv")


wildcard_constraints:
    exact_run="|".join(EXACT_RUNS),
    exact_fig="|".join(_EXACT_FIG_RUNS),


rule exact_run_data:
    input:
        code=code_files("data/anisotropic_mixture.py", "observables/sgd_vs_ode.py", "seeding.py"),
    output:
        "<results>/exact/runs/{exact_run}/data.npz",
    params:
        run=lambda w: {k: v for k, v in EXACT_RUNS[w.exact_run].items()
                       if k not in ("loss", "gammas", "seeds", "n_pairs", "quadrature_seed",
                                    "ode_t_max", "ode_n_times")},
    log:
        "<logs>/exact/run_data_{exact_run}.log",
    benchmark:
        "<logs>/exact/run_data_{exact_run}.bench.tsv"
    conda:
        ENV
    script:
        "../scripts/exact/run_data.py"


rule exact_run_theory:
    input:
        data="<results>/exact/runs/{exact_run}/data.npz",
        code=code_files("theory/exact_run.py", "theory/exact_ode.py", "theory/multi_output_ode.py",
                        "theory/exact_closed_forms.py", "models/binary_glm.py",
                        "models/multi_output_glm.py", "data/anisotropic_mixture.py"),
    output:
        "<results>/exact/runs/{exact_run}/theory.npz",
    params:
        run=lambda w: {k: v for k, v in EXACT_RUNS[w.exact_run].items() if k != "seeds"},
        ode=lambda w: {**EXACT["ode"], **({"dt": _F5["dt"]} if w.exact_run in _FIG5_RUNS else {})},
    log:
        "<logs>/exact/run_theory_{exact_run}.log",
    benchmark:
        "<logs>/exact/run_theory_{exact_run}.bench.tsv"
    threads: 1
    resources:
        mem_mb=1500,
        runtime=20,
    conda:
        ENV
    script:
        "../scripts/exact/run_theory.py"


_SIMULATION_CODE = code_files("training/streaming_sgd.py", "models/binary_glm.py",
                              "models/multi_output_glm.py", "data/anisotropic_mixture.py",
                              "seeding.py")
_SIMULATION_KEYS = ("loss", "gammas", "seeds", "seed", "d", "n_pairs", "quadrature_seed")


rule exact_run_simulation:
    wildcard_constraints:
        exact_run="|".join(_SINGLE_RUNS),
    input:
        data="<results>/exact/runs/{exact_run}/data.npz",
        code=_SIMULATION_CODE,
    output:
        "<results>/exact/runs/{exact_run}/simulation.npz",
    params:
        run=lambda w: {k: EXACT_RUNS[w.exact_run][k]
                       for k in _SIMULATION_KEYS if k in EXACT_RUNS[w.exact_run]},
        n_nodes=EXACT["ode"]["n_nodes"],
    log:
        "<logs>/exact/run_simulation_{exact_run}.log",
    benchmark:
        "<logs>/exact/run_simulation_{exact_run}.bench.tsv"
    threads: 1
    resources:
        mem_mb=1500,
        runtime=30,
    priority: 1
    conda:
        ENV
    script:
        "../scripts/exact/run_simulation.py"


# One job per stream: its runs' samples are drawn once (run_shared_stream); the stream uses the
# SGD seed of its first run, whose simulation is then the one it would have alone.
for _stream, _members in _STREAMS.items():

    rule:
        name:
            f"exact_{_stream}_simulation"
        input:
            data=[f"<results>/exact/runs/{r}/data.npz" for r in _members],
            code=_SIMULATION_CODE,
        output:
            [f"<results>/exact/runs/{r}/simulation.npz" for r in _members],
        params:
            runs={r: {k: EXACT_RUNS[r][k] for k in _SIMULATION_KEYS if k in EXACT_RUNS[r]}
                  for r in _members},
            n_nodes=EXACT["ode"]["n_nodes"],
        log:
            f"<logs>/exact/{_stream}_simulation.log",
        benchmark:
            f"<logs>/exact/{_stream}_simulation.bench.tsv"
        threads: 1
        resources:
            mem_mb=1500,
            runtime=30,
        priority: 1
        conda:
            ENV
        script:
            "../scripts/exact/stream_simulation.py"


rule exact_fig4_theory:
    input:
        code=code_files("theory/exact_run.py", "theory/exact_ode.py",
                        "theory/exact_closed_forms.py", "data/anisotropic_mixture.py"),
    output:
        "<results>/exact/fig4/theory.npz",
    params:
        fig=EXACT["fig4"],
        ode=EXACT["ode"],
    log:
        "<logs>/exact/fig4_theory.log",
    benchmark:
        "<logs>/exact/fig4_theory.bench.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=20,
    conda:
        ENV
    script:
        "../scripts/exact/fig4_theory.py"


_EXACT_FIG_EXTRA = {"fig4": {"phase": "<results>/exact/fig4/theory.npz"}}


_EXACT_FIG_CATEGORY = {
    "fig1": "Exact-dynamics paper, Figure 1",
    "fig2": "Exact-dynamics paper, claim reproductions (stand-ins)",
    "fig3": "Exact-dynamics paper, claim reproductions (stand-ins)",
    "fig4": "Exact-dynamics paper, claim reproductions (stand-ins)",
    "fig5": "Exact-dynamics paper, claim reproductions (stand-ins)",
}

# Per figure: a series rule and a figure rule (each registers its own report caption).
# `script:` is formatted with the job's params when the job runs, so it names the figure
# through params.which (a loop variable would be read after the loop has ended).
for _exact_fig, _exact_category in _EXACT_FIG_CATEGORY.items():

    rule:
        name:
            f"exact_{_exact_fig}_series"
        input:
            **{
                stage: [f"<results>/exact/runs/{r}/{stage}.npz" for r in _EXACT_FIG_RUNS[_exact_fig]]
                for stage in ("data", "theory", "simulation")
            },
            **_EXACT_FIG_EXTRA.get(_exact_fig, {}),
            code=code_files("observables/exact_series.py", "observables/sgd_vs_ode.py",
                            "theory/exact_closed_forms.py", "agreement.py"),
        output:
            series=f"<results>/exact/{_exact_fig}/series.csv",
            agreement=f"<results>/exact/{_exact_fig}/agreement.csv",
        params:
            which=_exact_fig,
            fig=EXACT[_exact_fig],
            runs={r: EXACT_RUNS[r] for r in _EXACT_FIG_RUNS[_exact_fig]},
        log:
            f"<logs>/exact/{_exact_fig}_series.log",
        benchmark:
            f"<logs>/exact/{_exact_fig}_series.bench.tsv"
        conda:
            ENV
        script:
            "../scripts/exact/{params.which}_series.py"

    rule:
        name:
            f"exact_{_exact_fig}_figure"
        input:
            series=f"<results>/exact/{_exact_fig}/series.csv",
            agreement=f"<results>/exact/{_exact_fig}/agreement.csv",
            code=code_files("plotting/style.py", "plotting/exact_panels.py"),
        output:
            figure_pdf(f"exact_{_exact_fig}", _exact_category),
        params:
            which=_exact_fig,
            fig=EXACT[_exact_fig],
            runs={r: EXACT_RUNS[r] for r in _EXACT_FIG_RUNS[_exact_fig]},
        log:
            f"<logs>/exact/{_exact_fig}_figure.log",
        benchmark:
            f"<logs>/exact/{_exact_fig}_figure.bench.tsv"
        conda:
            ENV
        script:
            "../scripts/exact/{params.which}_figure.py"


# Convergence in d (docs/exact_dynamics.md §7): the Fig 1 settings of exact.scaling.settings at
# every d, single SGD runs against the ODE; the theory stage adds two deliberately wrong ODEs
# (learning rate x control_gamma_scale, SGD-noise term dropped) whose gaps the figure draws.
_SCALING_SETTINGS = {s: EXACT["runs"][s] for s in _SC["settings"]}


rule exact_scaling_simulation:
    input:
        code=_SIMULATION_CODE,
    output:
        "<results>/exact/scaling/simulation.npz",
    params:
        scaling=_SC,
        settings=_SCALING_SETTINGS,
        n_nodes=EXACT["ode"]["n_nodes"],
    log:
        "<logs>/exact/scaling_simulation.log",
    benchmark:
        "<logs>/exact/scaling_simulation.bench.tsv"
    threads: 1
    resources:
        mem_mb=1500,
        runtime=30,
    priority: 2
    conda:
        ENV
    script:
        "../scripts/exact/scaling_simulation.py"


rule exact_scaling_theory:
    input:
        code=code_files("theory/exact_run.py", "theory/exact_ode.py", "models/binary_glm.py",
                        "data/anisotropic_mixture.py", "seeding.py"),
    output:
        "<results>/exact/scaling/theory.npz",
    params:
        scaling=_SC,
        settings=_SCALING_SETTINGS,
        ode=EXACT["ode"],
    log:
        "<logs>/exact/scaling_theory.log",
    benchmark:
        "<logs>/exact/scaling_theory.bench.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/exact/scaling_theory.py"


rule exact_scaling_series:
    input:
        simulation="<results>/exact/scaling/simulation.npz",
        theory="<results>/exact/scaling/theory.npz",
        code=code_files("observables/exact_series.py", "observables/convergence_rate.py",
                        "agreement.py"),
    output:
        series="<results>/exact/scaling/series.csv",
        agreement="<results>/exact/scaling/agreement.csv",
    params:
        scaling=_SC,
        settings=_SCALING_SETTINGS,
    log:
        "<logs>/exact/scaling_series.log",
    benchmark:
        "<logs>/exact/scaling_series.bench.tsv"
    conda:
        ENV
    script:
        "../scripts/exact/scaling_series.py"


rule exact_scaling_figure:
    input:
        series="<results>/exact/scaling/series.csv",
        agreement="<results>/exact/scaling/agreement.csv",
        code=code_files("plotting/style.py", "plotting/exact_panels.py",
                        "plotting/scaling_panels.py"),
    output:
        figure_pdf("exact_scaling", "Exact-dynamics paper, convergence in d"),
    params:
        scaling=_SC,
        settings=_SCALING_SETTINGS,
    log:
        "<logs>/exact/scaling_figure.log",
    benchmark:
        "<logs>/exact/scaling_figure.bench.tsv"
    conda:
        ENV
    script:
        "../scripts/exact/scaling_figure.py"
