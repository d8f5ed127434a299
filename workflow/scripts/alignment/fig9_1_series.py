"""Stage: stand-in Fig 9.1's series (alignment of x^c with E_k of the train-data H_cc, G_cc,
next to the test-data alignments of Fig 2.1) and checks."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import pandas as pd

    from hdsgd.agreement import agreement_row, write_agreement
    from hdsgd.observables.alignment import alignment_table
    from hdsgd.stages import load_stage, read_table, write_table

    p, f = snakemake.params.run, snakemake.params.fig
    sgd, sp = load_stage(snakemake.input.sgd), load_stage(snakemake.input.spectra_train)
    train = alignment_table(sgd["times"], sgd["x"], {"hessian": sp["h_vecs"], "G": sp["g_vecs"]},
                            n_sub=p["k"]).assign(data="train")
    test = read_table(snakemake.input.test_table).assign(data="test")
    series = pd.concat([train, test[train.columns]], ignore_index=True)
    inputs = [snakemake.input.sgd, snakemake.input.spectra_train, snakemake.input.test_table]
    write_table(series, snakemake.output.series, params={"run": p, "fig": f}, inputs=inputs)

    rows = []
    t_end = train["time"].max()
    for matrix, key, label in [("hessian", "min_final_alignment_hessian", "Hessian"),
                               ("G", "min_final_alignment_g", "G-matrix")]:
        tr = train[train["matrix"] == matrix]
        rows.append(agreement_row("fig9_1", "alignment",
                                  f"final alignment with E_k(train-data {label} block), "
                                  "min over classes",
                                  tr[tr["time"] == t_end]["alignment"].min(), f[key], ">="))
        both = tr.merge(test[test["matrix"] == matrix], on=["time", "class", "matrix"],
                        suffixes=("_train", "_test"))
        late = both[both["time"] >= f["compare_from"]]
        rows.append(agreement_row("fig9_1", "alignment",
                                  f"train- vs test-data alignment ({label}), mean |gap| over "
                                  f"classes and t >= {f['compare_from']:g}",
                                  (late["alignment_train"] - late["alignment_test"]).abs().mean(),
                                  f["max_train_test_gap"], "<="))
    write_agreement(snakemake.output.agreement, rows, params={"run": p, "fig": f},
                    inputs=inputs)
    for r in rows:
        print(r)
