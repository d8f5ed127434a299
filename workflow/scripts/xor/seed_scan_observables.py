"""Stage (observables, on demand): the seed scan behind Fig 2.6's run. Runs the configured
deficient run's SGD for many seeds at once (each seed's trajectory is bit for bit the one it
would have alone), measures at every checkpoint the rank of [g(W theta)], the test accuracy and
the vv Hessian outliers, and tabulates which seeds develop a rank deficiency (full rank at
t = 0, deficient from some t <= max_t_deficient to the end, accuracy flat below the optimum),
and selects the one whose [g(W theta)] is most clearly of full rank at t = 0."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    import pandas as pd

    from hdsgd.data.xor import XorMixture
    from hdsgd.observables.block_operators import XorBlockOperators
    from hdsgd.observables.xor_deficiency import deficiency_profile, develops_deficiency
    from hdsgd.observables.xor_observables import checkpoint_observables
    from hdsgd.observables.xor_spectra import vv_spectra
    from hdsgd.progress import Progress
    from hdsgd.stages import load_stage, write_table
    from hdsgd.training.xor_sgd import run_xor_sgd_seeds

    p, sp, sc = snakemake.params.run, snakemake.params.spectra, snakemake.params.scan
    data = load_stage(snakemake.input.data)
    seeds = list(range(sc["n_seeds"]))
    steps, W, v = run_xor_sgd_seeds(XorMixture(p["d"], p["lam"]), seeds, K=p["K"],
                                    beta=p["beta"], c_delta=p["c_delta"],
                                    v_init_scale=p["v_init_scale"], t_max=p["t_max"],
                                    checkpoints=p["checkpoints"])
    times = steps * p["c_delta"] / p["d"]
    rows = []
    prog = Progress(len(seeds), "seed observables")
    for s in seeds:
        spec = [vv_spectra(XorBlockOperators(W[t, s], v[t, s], data["test_y"], data["test_Y"],
                                             p["beta"], include_ridge=sp["g_include_ridge"]),
                           data["test_hidden"]) for t in range(times.size)]
        spec = {k: np.array([x[k] for x in spec]) for k in spec[0]}
        obs = checkpoint_observables(W[:, s], v[:, s], spec, data,
                                     outlier_margin=sp["outlier_margin"], rank_tol=sp["rank_tol"])
        prof = deficiency_profile(times, obs["sv"], obs["rank"], obs["accuracy"],
                                  obs["n_outliers_hessian"])
        ok = develops_deficiency(prof, max_t_deficient=sc["max_t_deficient"],
                                 max_accuracy=sc["max_accuracy"],
                                 max_accuracy_spread=sc["max_accuracy_spread"])
        rows.append({"seed": s, **prof.as_dict(), "develops_deficiency": ok})
        prog.update()
    table = pd.DataFrame(rows)
    # the figure's seed: of those that develop a deficiency, the one whose [g(W theta)] is most
    # clearly of full rank at t = 0 (largest s_4 / s_1)
    good = table[table["develops_deficiency"]]
    table["selected"] = False
    if len(good):
        table.loc[good["sv_ratio_start"].idxmax(), "selected"] = True
    print(table.to_string(index=False))
    print(f"{int(table['develops_deficiency'].sum())} of {len(seeds)} seeds develop a rank "
          f"deficiency: {good['seed'].tolist()}; {int((table['rank_end'] < 4).sum())} end "
          f"rank-deficient; selected: {table[table['selected']]['seed'].tolist()}")
    write_table(table, snakemake.output[0], inputs=[snakemake.input.data])
