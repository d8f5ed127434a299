"""Stage: tidy alignment table (time, class, matrix, alignment) and test accuracy."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    import pandas as pd

    from hdsgd.models.softmax_regression import accuracy
    from hdsgd.observables.alignment import alignment_table
    from hdsgd.stages import load_stage, write_table

    p = snakemake.params.run
    data = load_stage(snakemake.input.data)
    sgd = load_stage(snakemake.input.sgd)
    sp = load_stage(snakemake.input.spectra)
    table = alignment_table(sgd["times"], sgd["x"],
                            {"hessian": sp["h_vecs"], "G": sp["g_vecs"]}, n_sub=p["k"])
    inputs = [snakemake.input.data, snakemake.input.sgd, snakemake.input.spectra]
    write_table(table, snakemake.output.table, params=p, seed=p["seed"], inputs=inputs)
    acc = pd.DataFrame({"time": sgd["times"],
                        "test_accuracy": [accuracy(x, data["test_labels"], data["test_Y"])
                                          for x in sgd["x"]]})
    write_table(acc, snakemake.output.accuracy, params=p, seed=p["seed"], inputs=inputs)
    print(acc.to_string(index=False))
