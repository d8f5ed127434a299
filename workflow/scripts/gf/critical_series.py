"""Stage: series (SE curves per batch size, simulated edges with their brackets) and agreement
rows of a critical-alpha figure (Figs 11-14)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.observables.gf_agreement import critical_alpha_rows
    from hdsgd.stages import load_stage, write_table

    f, name = snakemake.params.fig, snakemake.params.name
    th = load_stage(snakemake.input.theory)
    frames, rows = [], []
    for path in snakemake.input.sim:
        sim = load_stage(path)
        b = int(sim["batch_size"])
        lo, hi = sim["lo"], sim["hi"]
        ok = (lo > 0) & np.isfinite(hi)
        frames.append(pd.DataFrame({
            "batch_size": b, "series": "simulated edge", "beta": sim["betas"],
            "alpha": np.where(ok, np.sqrt(np.where(ok, lo * hi, 1.0)), np.nan),
            "alpha_lo": lo, "alpha_hi": hi}))
        for key, label in (("paper", "SE paper tau"), ("main", "SE own tau")):
            frames.append(pd.DataFrame({"batch_size": b, "series": label,
                                        "beta": th["fine_betas"],
                                        "alpha": th[f"alpha_{key}_fine_b{b}"],
                                        "alpha_lo": np.nan, "alpha_hi": np.nan}))
        bound = float(th[f"eff_bound_b{b}"])
        frames.append(pd.DataFrame({"batch_size": b, "series": "Prop. 4 bound",
                                    "beta": th["fine_betas"],
                                    "alpha": bound * (1 - th["fine_betas"]),
                                    "alpha_lo": np.nan, "alpha_hi": np.nan}))
        rows += critical_alpha_rows(name, batch_size=b, betas=sim["betas"], sim_lo=lo, sim_hi=hi,
                                    alpha_main=th[f"alpha_main_rows_b{b}"],
                                    alpha_paper=th[f"alpha_paper_rows_b{b}"],
                                    synthetic=snakemake.params.synthetic,
                                    max_edge_gap=f["max_edge_gap"],
                                    heavy_tail_b_max=f["heavy_tail_b_max"])
    inputs = [*snakemake.input.sim, snakemake.input.theory]
    write_table(pd.concat(frames, ignore_index=True), snakemake.output.series, inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
