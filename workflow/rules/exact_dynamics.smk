"""Exact-dynamics paper (Collins-Woodfin & Seroussi, arXiv 2510.14074): ODE vs one-pass SGD.

Per run (a key of config exact.runs): mixture (means, covariance spectra, recorded times)
-> ode (per-mode ODE, all learning rates at once) and sgd (streaming SGD, learning rates x
seeds) -> per-figure tables (series.csv, agreement.csv) -> figure. Fig 4 adds an ODE sweep
over the power-law mean exponent beta.
"""

EXACT = config["exact"]
check_section("exact")

_FAMILY_KEYS = {
    "isotropic": ["sigma"],
    "zero_one": ["rho0", "clean_mass"],
    "power_law": ["alphas", "beta"],
    "many_class": ["n_classes", "zero_fraction", "eig_range"],
}
for _name, _run in EXACT["runs"].items():
    for _key in _FAMILY_KEYS[_run["family"]]:
        check(_key in _run, f"exact.runs.{_name}.{_key}",
              f"required for family {_run['family']!r}")
    check(_run["t_min"] < _run["t_max"], f"exact.runs.{_name}.t_min", "must be below t_max")
    if _run["family"] == "zero_one":
        _n0 = round(_run["rho0"] * _run["d"])
        check(0 < _n0 < _run["d"], f"exact.runs.{_name}.rho0",
              "leaves an empty clean or noisy set at this d")
_EXACT_FIG_RUNS = {
    "fig1": EXACT["fig1"]["runs"],
    "fig2": EXACT["fig2"]["runs"],
    "fig3": [EXACT["fig3"]["run"], *EXACT["fig3"]["profile_runs"]],
    "fig4": EXACT["fig4"]["sgd_runs"],
    "fig5": EXACT["fig5"]["runs"],
}
for _exact_fig, _exact_runs in _EXACT_FIG_RUNS.items():
    for _r in _exact_runs:
        check(_r in EXACT["runs"], f"exact.{_exact_fig}", f"unknown run {_r!r}")
check(EXACT["runs"][EXACT["fig3"]["run"]]["family"] == "zero_one", "exact.fig3.run",
      "must be a zero_one run (clean directions)")
for _r in EXACT["fig4"]["sgd_runs"]:
    _run = EXACT["runs"][_r]
    check(_run["family"] == "power_law" and EXACT["fig4"]["gamma"] in _run["gammas"]
          and _run["t_max"] == EXACT["fig4"]["t_max"] and _run["d"] in EXACT["fig4"]["d"],
          "exact.fig4.sgd_runs",
          f"run {_r!r} must be power_law with gamma {EXACT['fig4']['gamma']}, "
          f"t_max {EXACT['fig4']['t_max']} and a d listed in exact.fig4.d")

for _exact_fig in _EXACT_FIG_RUNS:
    FIGURES.append(f"figures/exact_{_exact_fig}.pdf")
    AGREEMENTS.append(f"results/exact/{_exact_fig}/agreement.csv")


wildcard_constraints:
    exact_run="|".join(EXACT["runs"]),
    exact_fig="|".join(_EXACT_FIG_RUNS),


_EXACT_FIG_EXTRA = {"fig4": {"phase": "results/exact/fig4/phase_ode.npz"}}


rule exact_mixture:
    input:
        code=code_files("data/anisotropic_mixture.py", "observables/sgd_vs_ode.py", "seeding.py"),
    output:
        "results/exact/{exact_run}/mixture.npz",
    params:
        run=lambda w: {
            k: v
            for k, v in EXACT["runs"][w.exact_run].items()
            if k not in ("loss", "gammas", "seeds")
        },
    log:
        "logs/exact/mixture_{exact_run}.log",
    conda:
        ENV
    script:
        "../scripts/exact/mixture.py"


rule exact_ode:
    input:
        mixture="results/exact/{exact_run}/mixture.npz",
        code=code_files("theory/exact_ode.py", "models/binary_glm.py"),
    output:
        "results/exact/{exact_run}/ode.npz",
    params:
        run=lambda w: {k: EXACT["runs"][w.exact_run][k] for k in ("loss", "gammas")},
        ode=EXACT["ode"],
    log:
        "logs/exact/ode_{exact_run}.log",
    benchmark:
        "logs/exact/ode_{exact_run}.bench.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=20,
    conda:
        ENV
    script:
        "../scripts/exact/ode.py"


rule exact_sgd:
    input:
        mixture="results/exact/{exact_run}/mixture.npz",
        code=code_files("training/streaming_sgd.py", "models/binary_glm.py", "seeding.py"),
    output:
        "results/exact/{exact_run}/sgd.npz",
    params:
        run=lambda w: {
            k: EXACT["runs"][w.exact_run][k] for k in ("loss", "gammas", "seeds", "seed", "d")
        },
        n_nodes=EXACT["ode"]["n_nodes"],
    log:
        "logs/exact/sgd_{exact_run}.log",
    benchmark:
        "logs/exact/sgd_{exact_run}.bench.tsv"
    threads: 1
    resources:
        mem_mb=3000,
        runtime=60,
    conda:
        ENV
    script:
        "../scripts/exact/sgd.py"


rule exact_phase_ode:
    input:
        code=code_files(
            "theory/exact_ode.py",
            "theory/exact_closed_forms.py",
            "data/anisotropic_mixture.py",
            "observables/sgd_vs_ode.py",
        ),
    output:
        "results/exact/fig4/phase_ode.npz",
    params:
        fig=EXACT["fig4"],
        ode=EXACT["ode"],
    log:
        "logs/exact/phase_ode.log",
    benchmark:
        "logs/exact/phase_ode.bench.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/exact/phase_ode.py"


rule exact_tables:
    input:
        unpack(
            lambda w: {
                stage: [f"results/exact/{r}/{stage}.npz" for r in _EXACT_FIG_RUNS[w.exact_fig]]
                for stage in ("mixture", "ode", "sgd")
            }
            | _EXACT_FIG_EXTRA.get(w.exact_fig, {})
        ),
        code=code_files("observables/sgd_vs_ode.py", "theory/exact_closed_forms.py",
                        "agreement.py"),
    output:
        series="results/exact/{exact_fig}/series.csv",
        agreement="results/exact/{exact_fig}/agreement.csv",
    params:
        fig=lambda w: EXACT[w.exact_fig],
        runs=lambda w: {r: EXACT["runs"][r] for r in _EXACT_FIG_RUNS[w.exact_fig]},
    log:
        "logs/exact/tables_{exact_fig}.log",
    conda:
        ENV
    script:
        "../scripts/exact/tables_{wildcards.exact_fig}.py"


_EXACT_FIG_CATEGORY = {
    "fig1": "Exact-dynamics paper: Figure 1",
    "fig2": "Exact-dynamics paper: claim reproductions (stand-ins)",
    "fig3": "Exact-dynamics paper: claim reproductions (stand-ins)",
    "fig4": "Exact-dynamics paper: claim reproductions (stand-ins)",
    "fig5": "Exact-dynamics paper: claim reproductions (stand-ins)",
}

# `script:` is evaluated when the job runs, in the workflow's shared globals, so it must not
# depend on a loop variable: one dispatcher script draws the figure named by params.which.
for _exact_fig, _exact_category in _EXACT_FIG_CATEGORY.items():

    rule:
        name:
            f"exact_{_exact_fig}"
        input:
            series=f"results/exact/{_exact_fig}/series.csv",
            agreement=f"results/exact/{_exact_fig}/agreement.csv",
            script=f"workflow/scripts/exact/{_exact_fig}.py",
            code=code_files("plotting/style.py", "plotting/exact_panels.py"),
        output:
            figure_pdf(f"exact_{_exact_fig}", _exact_category),
        params:
            which=_exact_fig,
            fig=EXACT[_exact_fig],
            runs={r: EXACT["runs"][r] for r in _EXACT_FIG_RUNS[_exact_fig]},
        log:
            f"logs/exact/figure_{_exact_fig}.log",
        conda:
            ENV
        script:
            "../scripts/exact/figure.py"
