"""Stage (series): Fig 1 series (binary logistic risk, SGD vs ODE, four covariance models)
and its agreement rows."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.observables.exact_series import fig1_series, load_run_stages, write_series

    f, runs = snakemake.params.fig, snakemake.params.runs
    data, theory, sim = load_run_stages(snakemake.input, runs)
    from hdsgd.theory.exact_closed_forms import power_law_critical_beta

    def beta_c(p):
        return power_law_critical_beta(min(p["alphas"]), p["mean_scaling"])

    series, rows = fig1_series(runs, data, theory, sim, f, beta_c=beta_c)
    inputs = [*snakemake.input.data, *snakemake.input.theory, *snakemake.input.simulation]
    write_series(snakemake.output, series, rows, inputs)
