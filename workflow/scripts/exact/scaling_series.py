"""Stage (series): convergence in d, the RMS gap of single runs to the ODE against d, its
fitted slope (bootstrap over runs) and the slope rows; the wrong ODEs' gaps for the figure."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.observables.exact_series import scaling_series, write_series
    from hdsgd.stages import load_stage

    sim, theory = load_stage(snakemake.input.simulation), load_stage(snakemake.input.theory)
    series, rows = scaling_series(snakemake.params.scaling, snakemake.params.settings, theory,
                                  sim, controls=("gamma", "noise"))
    write_series(snakemake.output, series, rows,
                 [snakemake.input.simulation, snakemake.input.theory])
