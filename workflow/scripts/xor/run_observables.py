"""Stage (observables): block spectra along training (first-layer blocks batched over units
by LOBPCG, if the run asks for them; vv blocks dense, with their bulk edges) and the
per-checkpoint observables of the run (alignments, accuracies, rank of [g(W theta)],
outlier counts)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np

    from hdsgd.observables.xor_observables import checkpoint_observables, unit_observables
    from hdsgd.observables.xor_spectra import xor_spectra_along_trajectory
    from hdsgd.seeding import rng
    from hdsgd.stages import load_stage, save_stage

    p, sp = snakemake.params.run, snakemake.params.spectra
    data = load_stage(snakemake.input.data)
    sim = load_stage(snakemake.input.simulation)
    spec = xor_spectra_along_trajectory(
        sim["W"], sim["v"], data["test_y"], data["test_Y"], data["test_hidden"],
        beta=p["beta"], n_eig=sp["n_eig"], n_check=sp["n_check"], n_keep_vecs=2,
        tol=sp["tol"], maxiter=sp["maxiter"], dtype=np.dtype(sp["dtype"]).type,
        include_ridge=sp["g_include_ridge"], rng=rng(p["seed"], "eigensolver-start"),
        first_layer=p["first_layer_spectra"], threads=snakemake.threads)
    obs = checkpoint_observables(sim["W"], sim["v"], spec, data,
                                 outlier_margin=sp["outlier_margin"], rank_tol=sp["rank_tol"])
    out = {"times": sim["times"], **obs,
           **{k: spec[k] for k in ("hvv_vals", "gvv_vals", "hvv_edge", "gvv_edge")}}
    if p["first_layer_spectra"]:
        out.update(unit_observables(sim["W"], spec, data["hidden_means"]))
        out.update({k: spec[k] for k in ("hw_vals", "gw_vals", "w_iters", "w_column_applies")})
        # eigenvectors of the last checkpoint only (the stand-in figure's entries panel)
        out.update({"hw_vecs_final": spec["hw_vecs"][-1], "gw_vecs_final": spec["gw_vecs"][-1]})
        print(f"first-layer column products: {spec['w_column_applies'].sum()}")
        if not spec["w_converged"].all():
            print("WARNING: some first-layer eigenproblems stopped at maxiter")
    print("accuracy:", np.round(obs["accuracy"], 3).tolist())
    print("rank of [g(W theta)]:", obs["rank"].tolist())
    print("vv Hessian outliers:", obs["n_outliers_hessian"].tolist())
    save_stage(snakemake.output[0], out, seed=p["seed"],
               inputs=[snakemake.input.data, snakemake.input.simulation])
