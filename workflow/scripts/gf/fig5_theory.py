"""Stage: SE loss curves (paper's tau) for the Fig 5 runs, on the MNIST problem's spectrum."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.stages import load_stage, save_stage
    from hdsgd.theory.generating_functions import se_loss_grid

    f, tau = snakemake.params.fig, snakemake.params.tau
    prob = load_stage(snakemake.input.problem)
    n = prob["r0"].size
    steps = np.unique(np.r_[0, np.geomspace(1, f["n_steps"], f["n_records"]).astype(int)])
    loss = np.array([se_loss_grid(prob["eigvals"], prob["coeffs"], [a], [f["beta"]], batch_size=b,
                                  n_data=n, tau1=tau[0], tau2=tau[1],
                                  record_steps=steps).losses[0]
                     for b, a in zip(f["batch_sizes"], f["alphas"])])
    save_stage(snakemake.output[0], {"steps": steps, "loss": loss},
               inputs=[snakemake.input.problem])
