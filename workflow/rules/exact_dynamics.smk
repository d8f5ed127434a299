"""Exact-dynamics paper (Collins-Woodfin & Seroussi, arXiv 2510.14074): ODE vs one-pass SGD.

Per run (a key of config exact.runs, or one dimension of the K-way family exact.fig5):
data (mixture, recorded times) -> theory (ODE, all learning rates at once, and the closed form
where one exists) and simulation (streaming SGD over seeds) -> per figure: series
(series.csv + agreement.csv) -> figure. Fig 4 adds a theory stage: the ODE swept over the mean
exponent beta and the closed-form separation against d. docs/exact_dynamics.md has the
equations and every chosen value.
"""

from hdsgd.data.anisotropic_mixture import k_way_family_runs

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

for _exact_fig in _EXACT_FIG_RUNS:
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
                       if k not in ("loss", "gammas", "seeds", "n_pairs", "quadrature_seed")},
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


rule exact_run_simulation:
    input:
        data="<results>/exact/runs/{exact_run}/data.npz",
        code=code_files("training/streaming_sgd.py", "models/binary_glm.py",
                        "models/multi_output_glm.py", "data/anisotropic_mixture.py",
                        "seeding.py"),
    output:
        "<results>/exact/runs/{exact_run}/simulation.npz",
    params:
        run=lambda w: {k: EXACT_RUNS[w.exact_run][k]
                       for k in ("loss", "gammas", "seeds", "seed", "d", "n_pairs",
                                 "quadrature_seed") if k in EXACT_RUNS[w.exact_run]},
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
