"""Stage (series): Fig 2 series (least-squares risk, SGD vs ODE vs closed forms) and its rows."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.observables.exact_series import fig2_series, load_run_stages, write_series

    f, runs = snakemake.params.fig, snakemake.params.runs
    data, theory, sim = load_run_stages(snakemake.input, runs)
    series, rows = fig2_series(runs, data, theory, sim, f)
    inputs = [*snakemake.input.data, *snakemake.input.theory, *snakemake.input.simulation]
    write_series(snakemake.output, series, rows, inputs)
