"""Stage (simulation): online SGD for softmax regression on the k-GMM of one run."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.stages import save_stage
    from hdsgd.theory.effective_spectrum import training_checkpoints
    from hdsgd.training.geometry_runs import run_sgd

    c, run = snakemake.params.common, snakemake.params.run
    tm = run["times"]
    delta = c["c_delta"] / run["d"]
    steps, times = training_checkpoints(tm["t_max"], tm["n_times"],
                                        tm["extra"] + run["full_spectrum_times"], delta)
    out = run_sgd(run, c, steps, stream=snakemake.wildcards.run)
    save_stage(snakemake.output[0], {"times": times, "steps": steps, **out},
               seed=c["seed"])
