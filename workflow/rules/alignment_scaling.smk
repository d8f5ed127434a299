"""Alignment paper (arXiv 2310.03010): convergence in d of single online-SGD runs of the k-GMM
to the effective dynamics (figures/alignment_scaling.pdf; docs/alignment.md, "Convergence in
d"). Config alignment.scaling; the model parameters (k, lam, beta, c_delta) are those of the
run it names.

alignment_scaling_simulation (the runs at every size: summary statistics, test accuracy) and
alignment_scaling_theory (the d -> infinity ODE and a replica with independent Monte Carlo
numbers) -> alignment_scaling_series (RMS gaps, fitted rates, rows) -> alignment_scaling_figure.
"""

SCALING = ALIGN["scaling"]
check(
    SCALING["run"] in ALIGN["runs"],
    "alignment.scaling.run",
    f"unknown run {SCALING['run']!r}",
)
_SCALING_MODEL = {
    key: ALIGN["runs"][SCALING["run"]][key] for key in ("k", "lam", "beta", "c_delta")
}
check(
    SCALING["mean_spacing"] * _SCALING_MODEL["k"] <= min(SCALING["sizes"]),
    "alignment.scaling.sizes",
    f"the smallest size {min(SCALING['sizes'])} is below mean_spacing * k = "
    f"{SCALING['mean_spacing'] * _SCALING_MODEL['k']} (alignment.scaling.mean_spacing)",
)
for _d in SCALING["sizes"]:
    _steps = SCALING["t_max"] / SCALING["n_times"] * _d / _SCALING_MODEL["c_delta"]
    check(
        abs(_steps - round(_steps)) < 1e-9,
        "alignment.scaling.n_times",
        f"t_max / n_times = {SCALING['t_max'] / SCALING['n_times']:g} is not a whole number "
        f"of SGD steps c_delta / d at d = {_d}",
    )
_SCALING_PARAMS = {
    "model": _SCALING_MODEL,
    "sweep": {key: SCALING[key] for key in ("sizes", "runs", "mean_spacing", "seed")},
    "times": {key: SCALING[key] for key in ("t_max", "n_times")},
    "accuracy": SCALING["accuracy"],
    "ode": SCALING["ode"],
    "fig": {
        key: SCALING[key]
        for key in ("expected_slope", "slope_tol", "max_theory_noise_ratio", "bootstrap_seed")
    },
}
FIGURES.append("<figures>/alignment_scaling.pdf")
AGREEMENTS.append("<results>/alignment/scaling/agreement.csv")


rule alignment_scaling_simulation:
    input:
        code=code_files(
            "training/gmm_size_sweep.py",
            "training/online_sgd.py",
            "data/gmm.py",
            "seeding.py",
            "theory/gmm_effective_dynamics.py",
        ),
    output:
        "<results>/alignment/scaling/simulation.npz",
    params:
        model=_SCALING_PARAMS["model"],
        sweep=_SCALING_PARAMS["sweep"],
        times=_SCALING_PARAMS["times"],
        accuracy=_SCALING_PARAMS["accuracy"],
    log:
        "<logs>/alignment/scaling_simulation.log",
    benchmark:
        "<logs>/alignment/scaling_simulation.bench.tsv"
    threads: 1
    priority: 1  # the longest job of this figure: start it early
    resources:
        mem_mb=1000,
        runtime=20,
    conda:
        ENV
    script:
        "../scripts/alignment/scaling_simulation.py"


rule alignment_scaling_theory:
    input:
        code=code_files("theory/gmm_effective_dynamics.py"),
    output:
        "<results>/alignment/scaling/theory.npz",
    params:
        model=_SCALING_PARAMS["model"],
        times=_SCALING_PARAMS["times"],
        accuracy=_SCALING_PARAMS["accuracy"],
        ode=_SCALING_PARAMS["ode"],
    log:
        "<logs>/alignment/scaling_theory.log",
    benchmark:
        "<logs>/alignment/scaling_theory.bench.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/alignment/scaling_theory.py"


rule alignment_scaling_series:
    input:
        simulation="<results>/alignment/scaling/simulation.npz",
        theory="<results>/alignment/scaling/theory.npz",
        code=code_files(
            "checks/alignment_scaling.py", "observables/convergence_rate.py", "agreement.py"
        ),
    output:
        series="<results>/alignment/scaling/series.csv",
        agreement="<results>/alignment/scaling/agreement.csv",
    params:
        times=_SCALING_PARAMS["times"],
        fig=_SCALING_PARAMS["fig"],
    log:
        "<logs>/alignment/scaling_series.log",
    conda:
        ENV
    script:
        "../scripts/alignment/scaling_series.py"


rule alignment_scaling_figure:
    input:
        series="<results>/alignment/scaling/series.csv",
        code=code_files(
            "plotting/style.py", "plotting/scaling_panels.py", "checks/alignment_scaling.py"
        ),
    output:
        figure_pdf("alignment_scaling", "Alignment paper, k-GMM"),
    params:
        model=_SCALING_PARAMS["model"],
        sweep=_SCALING_PARAMS["sweep"],
        times=_SCALING_PARAMS["times"],
    log:
        "<logs>/alignment/scaling_figure.log",
    conda:
        ENV
    script:
        "../scripts/alignment/scaling_figure.py"
