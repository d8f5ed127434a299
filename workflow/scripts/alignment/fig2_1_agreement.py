"""Stage: Fig 2.1's checks: final alignments are high and well above the initial ones."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    from hdsgd.agreement import agreement_row, write_agreement
    from hdsgd.stages import read_table

    f = snakemake.params.fig
    t = read_table(snakemake.input.table)
    rows = []
    for matrix, key, label in [("hessian", "min_final_alignment_hessian", "Hessian"),
                               ("G", "min_final_alignment_g", "G-matrix")]:
        m = t[t["matrix"] == matrix]
        first = m[m["time"] == m["time"].min()]["alignment"]
        last = m[m["time"] == m["time"].max()]["alignment"]
        rows.append(agreement_row("fig2_1", "alignment",
                                  f"final alignment with E_k({label} block), min over classes",
                                  last.min(), f[key], ">="))
        rows.append(agreement_row("fig2_1", "alignment",
                                  f"alignment gain with E_k({label} block), mean over classes",
                                  last.mean() - first.mean(), 0.2, ">="))
    write_agreement(snakemake.output[0], rows, params=f, inputs=[snakemake.input.table])
