"""Stage (series): Fig 4 series (long-time risk and decay exponent across the mean exponent,
SGD points, separation against d) and its rows."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.observables.exact_series import fig4_series, load_run_stages, write_series
    from hdsgd.stages import load_stage
    from hdsgd.theory.exact_closed_forms import power_law_critical_beta

    f, runs = snakemake.params.fig, snakemake.params.runs
    _, theory, sim = load_run_stages(snakemake.input, runs)
    beta_c = power_law_critical_beta(min(f["alphas"]), f["mean_scaling"])
    series, rows = fig4_series(runs, load_stage(snakemake.input.phase), theory, sim, f,
                               beta_c=beta_c)
    inputs = [snakemake.input.phase, *snakemake.input.theory, *snakemake.input.simulation]
    write_series(snakemake.output, series, rows, inputs)
