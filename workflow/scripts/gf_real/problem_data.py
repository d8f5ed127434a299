"""Stage (data): a real-data problem: the data, the network's empirical NTK and its normalised
spectrum (top eigenvalue of K/N = 1)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.data.real_datasets import load_dataset
    from hdsgd.models import ntk
    from hdsgd.stages import save_stage

    p = snakemake.params.problem
    data = load_dataset(p["dataset"], n_samples=p["n_samples"], seed=p["seed"], path=p["path"])
    print(f"loaded {data.label} from {data.source}: X {data.X.shape}")
    if data.kernel is not None:  # a user's precomputed NTK: linear model started at f_0 = 0
        K, r0, has_network = data.kernel, -data.y, False
    else:
        net = ntk.init_two_layer(data.X.shape[1], p["width"], p["seed"])
        K, r0, has_network = ntk.empirical_ntk(net, data.X), ntk.forward(net, data.X) - data.y, True
    prob = ntk.kernel_problem(K, r0)
    print(f"lambda_max(K/N) = {prob.lambda_max:.4g}, L_0 = {0.5 * prob.loss_components.sum():.4g}")
    save_stage(snakemake.output[0], {
        "gram": prob.gram, "eigvals": prob.eigvals, "loss_components": prob.loss_components,
        "coeffs": prob.coeffs, "r0": prob.r0, "lambda_max": np.array(prob.lambda_max),
        "label": np.array(data.label), "has_network": np.array(has_network),
        "X": data.X, "y": data.y,
    }, seed=p["seed"])
