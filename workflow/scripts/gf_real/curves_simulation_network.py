"""Stage (simulation): the one-hidden-layer network trained by mini-batch SGD on one problem,
every configured (batch size, alpha, beta); run s draws the batches of linearised run s."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.models import ntk
    from hdsgd.progress import Progress
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.training.network_sgd import log_record_steps, train_network_sgd

    f = snakemake.params.fig
    prob = load_stage(snakemake.input.problem)
    if not bool(prob["has_network"]):
        raise ValueError("this problem is a user-supplied kernel: it has no network to train")
    p = snakemake.params.problem
    X, y = prob["X"], prob["y"]
    params0 = ntk.init_two_layer(X.shape[1], p["width"], p["seed"])
    steps = log_record_steps(f["n_steps"], f["n_records"])
    k = f["network_seeds"]
    runs = np.empty((len(f["configs"]), k, steps.size))
    bar = Progress(len(f["configs"]) * f["n_steps"], "network SGD steps")
    for i, c in enumerate(f["configs"]):
        print(f"network SGD: b={c['batch_size']}, alpha={c['alpha']}, beta={c['beta']}")
        runs[i] = train_network_sgd([params0] * k, X, y, alpha=c["alpha"], beta=c["beta"],
                                    batch_size=c["batch_size"], n_steps=f["n_steps"],
                                    record_steps=steps, seeds=list(range(k)),
                                    lr_scale=1.0 / float(prob["lambda_max"]), progress=bar,
                                    dtype=np.dtype(snakemake.params.dtype))
    save_stage(snakemake.output[0], {"steps": steps, "runs": runs}, seed=0,
               inputs=[snakemake.input.problem],
               allow_nonfinite=["runs"])  # a diverging configuration records inf
