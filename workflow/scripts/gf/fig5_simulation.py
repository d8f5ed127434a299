"""Stage: linearised SGD on MNIST at beta = 0 for each batch size (its own learning rate),
mean loss over seeds at log-spaced steps (Fig 5)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.progress import Progress
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.training.minibatch_sgd import minibatch_sgd_grid

    f = snakemake.params.fig
    prob = load_stage(snakemake.input.problem)
    steps = np.unique(np.r_[0, np.geomspace(1, f["n_steps"], f["n_records"]).astype(int)])
    losses = []
    for b, alpha in zip(f["batch_sizes"], f["alphas"]):
        res = minibatch_sgd_grid(prob["gram"], prob["r0"], [alpha], [f["beta"]], batch_size=b,
                                 n_steps=f["n_steps"], seeds=f["seeds"], record_steps=steps,
                                 dtype=np.dtype(f["sim_dtype"]),
                                 progress=Progress(f["n_steps"], f"b = {b}", every_s=30))
        losses.append(res.losses[:, 0].mean(axis=0))
    save_stage(snakemake.output[0], {"steps": steps, "loss": np.array(losses)}, seed=f["seeds"][0],
               inputs=[snakemake.input.problem])
