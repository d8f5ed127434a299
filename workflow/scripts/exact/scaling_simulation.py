"""Stage (simulation): the single SGD runs of the convergence-in-d figure, every setting at
every d (the settings of one d on one sample stream)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.progress import Progress
    from hdsgd.stages import save_stage
    from hdsgd.training.streaming_sgd import scaling_simulation

    sc = snakemake.params.scaling
    steps = sum(int(round(sc["t_max"] * d)) for d in sc["d"])
    out = scaling_simulation(sc, snakemake.params.settings, n_nodes=snakemake.params.n_nodes,
                             progress=Progress(steps, "sgd steps"))
    save_stage(snakemake.output[0], out, seed=sc["seed"])
