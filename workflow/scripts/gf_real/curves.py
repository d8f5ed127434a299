"""Stage: loss curves on one problem: linearised SGD (simulated), SE theory, optionally the
non-linear network and the exact second-moment recursion (Prop. 1), for every configured
(batch size, alpha, beta)."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np

    from hdsgd.data.real_datasets import load_dataset
    from hdsgd.models import ntk
    from hdsgd.progress import Progress
    from hdsgd.stages import load_stage, save_stage
    from hdsgd.theory.exact_second_moments import exact_second_moment_loss
    from hdsgd.theory.generating_functions import se_loss_curve
    from hdsgd.training.minibatch_sgd import minibatch_sgd_grid
    from hdsgd.training.network_sgd import BATCH_CHUNK, train_network_sgd

    f, prob_p = snakemake.params.fig, snakemake.params.problem
    prob = load_stage(snakemake.input.problem)
    n, T = prob["r0"].size, f["n_steps"]
    steps = np.unique(np.r_[0, np.round(np.logspace(0, np.log10(T), f["n_records"]))]).astype(int)
    cfgs = f["configs"]
    seeds = list(f["seeds"])
    lin = np.empty((len(cfgs), len(seeds), steps.size))
    se = np.empty((len(cfgs), len(f["taus"]), steps.size))
    net = np.full((len(cfgs), len(seeds), steps.size), np.nan)
    do_net = f["network"] and bool(prob["has_network"])
    exact = np.full((len(cfgs), steps.size), np.nan)
    if f["exact_moments"]:  # features Phi = U sqrt(N lambda) with Phi Phi^T = gram, Phi dw0 = r0
        spec = ntk.kernel_spectrum(prob["gram"], prob["r0"])
        keep = spec.eigvals > 1e-12 * spec.eigvals[0]
        phi = spec.U[:, keep] * np.sqrt(n * spec.eigvals[keep])
        dw0 = spec.U[:, keep].T @ prob["r0"] / np.sqrt(n * spec.eigvals[keep])
    if do_net:
        data = load_dataset(prob_p["dataset"], n_samples=prob_p["n_samples"],
                            seed=prob_p["seed"], path=prob_p["path"])
        params0 = ntk.init_two_layer(data.X.shape[1], prob_p["width"], prob_p["seed"])
    bar = Progress(len(cfgs), "curves configs")
    for i, c in enumerate(cfgs):
        if c["batch_size"] > n:
            raise ValueError(f"gf_real: batch_size {c['batch_size']} exceeds N = {n}")
        kw = dict(batch_size=c["batch_size"], n_steps=T, record_steps=steps)
        res = minibatch_sgd_grid(prob["gram"], prob["r0"], [c["alpha"]], [c["beta"]],
                                 seeds=seeds, chunk=BATCH_CHUNK, **kw)
        lin[i] = res.losses[:, 0]
        for j, (tau1, tau2) in enumerate(f["taus"]):
            se[i, j] = se_loss_curve(prob["eigvals"], prob["coeffs"], alpha=c["alpha"],
                                     beta=c["beta"], batch_size=c["batch_size"], n_data=n,
                                     tau1=tau1, tau2=tau2, n_steps=T)[steps]
        if f["exact_moments"]:
            exact[i] = exact_second_moment_loss(phi, dw0, alpha=c["alpha"], beta=c["beta"],
                                                batch_size=c["batch_size"], n_steps=T)[steps]
        if do_net:
            k = f["network_seeds"]  # the network is costly: its first k seeds only
            net[i, :k] = train_network_sgd([params0] * k, data.X, data.y, alpha=c["alpha"],
                                           beta=c["beta"], seeds=seeds[:k],
                                           lr_scale=1.0 / float(prob["lambda_max"]), **kw)
        bar.update(1)
    out = {"steps": steps, "linearised": lin, "se": se, "network": net, "exact": exact,
           "batch_size": np.array([c["batch_size"] for c in cfgs]),
           "alpha": np.array([c["alpha"] for c in cfgs]),
           "beta": np.array([c["beta"] for c in cfgs]),
           "taus": np.array(f["taus"], dtype=float)}
    if f.get("gd_alpha") is not None:  # full-batch GD (noise-free, gamma = 0): exact curve
        gd = se_loss_curve(prob["eigvals"], prob["coeffs"], alpha=f["gd_alpha"], beta=0.0,
                           batch_size=n, n_data=n, tau1=1.0, tau2=0.0, n_steps=T)
        out["gd_steps"] = np.arange(T + 1)
        out["gd"] = gd
    # network / exact are NaN where not computed (network: False, exact_moments: False)
    save_stage(snakemake.output[0], out, params=f, seed=seeds[0], inputs=[snakemake.input.problem],
               allow_nonfinite=["network", "exact"])
