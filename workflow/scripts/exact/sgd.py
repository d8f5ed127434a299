"""Stage: streaming SGD of one run, every (learning rate, seed) chain in one batch."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.data.anisotropic_mixture import DiagonalMixture
    from hdsgd.progress import Progress
    from hdsgd.seeding import rng
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.training.streaming_sgd import run_streaming_sgd

    p, n_nodes = snakemake.params.run, snakemake.params.n_nodes
    st = load_stage(snakemake.input.mixture)
    mix = DiagonalMixture(st["means"], st["eigs"], st["probs"], st["labels"])
    G, S, t = len(p["gammas"]), p["seeds"], st["t"]
    gam = np.repeat(np.asarray(p["gammas"], dtype=float), S)        # run b = (g, s), g-major
    out = run_streaming_sgd(mix, p["loss"], gam, t, rng=rng(p["seed"], "sgd"),
                            probes=st["probes"], n_nodes=n_nodes,
                            progress=Progress(int(round(t[-1] * p["d"])), "sgd steps"))
    shaped = {k: v.reshape(G, S, *v.shape[1:]) for k, v in out.items() if k != "t"}
    print("final risk, mean over seeds:", shaped["risk"][:, :, -1].mean(1).round(5))
    save_stage(snakemake.output[0], {"gammas": p["gammas"], "t": out["t"], **shaped},
               params={"run": p, "n_nodes": n_nodes}, seed=p["seed"],
               inputs=[snakemake.input.mixture])
