"""Stage: series (SE curves per batch size, simulated edges with their brackets, the problem's
spectrum and the tail sums of its initial loss) and agreement rows of a critical-alpha figure
(Figs 11-14)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.models.ntk import loss_tail
    from hdsgd.observables.gf_agreement import (
        between_edges,
        between_edges_row,
        critical_alpha_rows,
    )
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
    if snakemake.params.synthetic:  # every (b, beta): edge between the SE tau2 = -1 and +1 edges
        sims = [load_stage(p) for p in snakemake.input.sim]
        lo, hi = (np.concatenate([sm[k] for sm in sims]) for k in ("lo", "hi"))
        minus, plus = (np.concatenate([th[f"alpha_{k}_rows_b{int(sm['batch_size'])}"]
                                       for sm in sims]) for k in ("main", "paper"))
        inside = between_edges(lo, hi, minus, plus, f["between_margin"])
        frames.append(pd.DataFrame({"batch_size": -1, "series": ["edge between taus"],
                                    "value": [np.nansum(inside)],
                                    "total": [np.isfinite(inside).sum()]}))
        rows.append(between_edges_row(name, "every b", sim_lo=lo, sim_hi=hi, alpha_minus=minus,
                                      alpha_plus=plus, margin=f["between_margin"],
                                      min_fraction=f["min_between_fraction"]))
    prob = load_stage(snakemake.input.problem)  # what the critical alpha does not depend on
    lam, tail = prob["eigvals"], loss_tail(prob["loss_components"])
    ranks = np.arange(1, lam.size + 1)
    for label, v in (("eigenvalue", lam / lam[0]), ("tail sum", tail / tail[0])):
        frames.append(pd.DataFrame({"batch_size": -1, "series": label, "rank": ranks,
                                    "value": v}))
    inputs = [*snakemake.input.sim, snakemake.input.theory, snakemake.input.problem]
    write_table(pd.concat(frames, ignore_index=True), snakemake.output.series, inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
