"""Stage (simulation): streaming SGD of the runs of one stream on one shared sample stream."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.progress import Progress
    from hdsgd.seeding import rng
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.training.streaming_sgd import run_stream_simulation

    runs, n_nodes = snakemake.params.runs, snakemake.params.n_nodes
    data = {r: load_stage(path) for r, path in zip(runs, snakemake.input.data, strict=True)}
    first = next(iter(runs.values()))
    seed = first["seed"]                    # the stream draws from its first run's SGD seed
    steps = int(round(next(iter(data.values()))["t"][-1] * first["d"]))
    outs = run_stream_simulation(runs, data, n_nodes=n_nodes, rng=rng(seed, "sgd"),
                                 progress=Progress(steps, "sgd steps"))
    for (r, out), path, data_path in zip(outs.items(), snakemake.output, snakemake.input.data,
                                         strict=True):
        print(f"{r}: final risk, mean over seeds:", out["risk"][:, :, -1].mean(1).round(5))
        save_stage(path, {"gammas": runs[r]["gammas"], **out}, seed=seed, inputs=[data_path])
