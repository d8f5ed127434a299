"""Stage (simulation): streaming SGD of one run, every (learning rate, seed) chain at once."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.progress import Progress
    from hdsgd.seeding import rng
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.training.streaming_sgd import run_simulation

    p, n_nodes = snakemake.params.run, snakemake.params.n_nodes
    st = load_stage(snakemake.input.data)
    out = run_simulation(p, st, n_nodes=n_nodes, rng=rng(p["seed"], "sgd"),
                         progress=Progress(int(round(st["t"][-1] * p["d"])), "sgd steps"))
    print("final risk, mean over seeds:", out["risk"][:, :, -1].mean(1).round(5))
    save_stage(snakemake.output[0], {"gammas": p["gammas"], **out},
               seed=p["seed"],
               inputs=[snakemake.input.data])
