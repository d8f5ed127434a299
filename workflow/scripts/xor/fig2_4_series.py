"""Stage: Fig 2.4 series (layerwise alignments) and its checks against the paper's claims."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import numpy as np
    import pandas as pd

    from hdsgd.agreement import agreement_row, write_agreement
    from hdsgd.stages import read_table, write_table

    f = snakemake.params.fig
    units = read_table(snakemake.input.units)
    summ = read_table(snakemake.input.summary)
    t0, t1 = units["time"].min(), units["time"].max()
    frames = [units.assign(panel="W_" + units["matrix"])[
        ["panel", "time", "unit", "alignment", "alignment_sq"]]]
    for name in ("hessian", "G"):
        a = summ[f"v_alignment_{name}"]
        frames.append(pd.DataFrame({"panel": f"v_{name}", "time": summ["time"], "unit": 0,
                                    "alignment": a, "alignment_sq": a ** 2}))
    series = pd.concat(frames, ignore_index=True)
    inputs = [snakemake.input.units, snakemake.input.summary]
    write_table(series, snakemake.output.series, params=f, inputs=inputs)

    last, first = summ.iloc[-1], summ.iloc[0]
    rows = [agreement_row("fig2_4", "alignment", f"final alignment of v with E_4({n} vv block)",
                          last[f"v_alignment_{n}"], f[f"min_v_alignment_{key}"], ">=")
            for n, key in (("hessian", "hessian"), ("G", "g"))]
    for n, label in (("hessian", "Hessian"), ("G", "G-matrix")):
        u = units[units["matrix"] == n]
        fin, ini = u[u["time"] == t1], u[u["time"] == t0]
        rows.append(agreement_row(
            "fig2_4", "alignment",
            f"median over units of final alignment of W_i with E_2({label} W_iW_i block)",
            np.median(fin["alignment"]), f[f"min_median_w_alignment_{n.lower()}"], ">="))
        rows.append(agreement_row(
            "fig2_4", "alignment",
            f"median over units of alignment gain of W_i with E_2({label} block), t=0 to end",
            np.median(fin["alignment"]) - np.median(ini["alignment"]), f["min_w_gain"], ">="))
        rows.append(agreement_row(
            "fig2_4", "alignment",
            f"theorem: median fraction of E_2({label} W_iW_i block) inside span(mu, nu), end",
            np.median(fin["e2_span_fraction"]), f["min_e2_span_fraction"], ">="))
    rows.append(agreement_row(
        "fig2_4", "alignment", "theorem: fraction of E_4(Hessian vv block) inside "
        "span{g(W theta)}, end", last["e4_in_gspan_hessian"], f["min_e4_in_gspan"], ">="))
    rows.append(agreement_row("fig2_4", "alignment", "final test accuracy (XOR learned)",
                              last["accuracy"], f["min_accuracy"], ">="))
    print(pd.DataFrame(rows).to_string(index=False))
    write_agreement(snakemake.output.agreement, rows, params=f, inputs=inputs)
