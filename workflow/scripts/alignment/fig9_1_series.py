"""Stage (series): stand-in Fig 9.1's curves (alignment of x^c with E_k of the train-data
H_cc, G_cc, next to the test-data alignments of Fig 2.1) and its checks."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.checks.alignment import fig9_1_rows
    from hdsgd.observables.alignment import alignment_frame
    from hdsgd.stages import load_stage, write_table

    f = snakemake.params.fig
    test, train = load_stage(snakemake.input.observables), load_stage(
        snakemake.input.observables_train)
    a_train = {"hessian": train["h_alignment"], "G": train["g_alignment"]}
    a_test = {"hessian": test["h_alignment"], "G": test["g_alignment"]}
    series = pd.concat([alignment_frame(train["times"], a_train).assign(data="train"),
                        alignment_frame(test["times"], a_test).assign(data="test")],
                       ignore_index=True)
    inputs = [snakemake.input.observables, snakemake.input.observables_train]
    write_table(series, snakemake.output.series, inputs=inputs)
    rows = fig9_1_rows(train["times"], a_train, test["times"], a_test, f)
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
    for r in rows:
        print(r)
