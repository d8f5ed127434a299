"""Stage: tidy tables of a run (per-unit alignments, per-checkpoint summary, vv eigenvalues)."""

from hdsgd.logs import log_to

with log_to(snakemake.log[0]):
    from hdsgd.observables.xor_tables import run_table, unit_table, vv_eigen_table
    from hdsgd.stages import load_stage, write_table

    p, sp = snakemake.params.run, snakemake.params.spectra
    data = load_stage(snakemake.input.data)
    sgd = load_stage(snakemake.input.sgd)
    spec = load_stage(snakemake.input.spectra)
    pop = load_stage(snakemake.input.population)
    times = sgd["times"]
    inputs = [snakemake.input.data, snakemake.input.sgd, snakemake.input.spectra,
              snakemake.input.population]
    prov = {"params": {"run": p, "spectra": sp}, "seed": p["seed"], "inputs": inputs}
    write_table(unit_table(times, sgd["W"], spec, data["hidden_means"]),
                snakemake.output.units, **prov)
    summary = run_table(times, sgd["W"], sgd["v"], spec, data,
                        outlier_margin=sp["outlier_margin"])
    write_table(summary, snakemake.output.summary, **prov)
    write_table(vv_eigen_table(times, spec, pop), snakemake.output.vv, **prov)
    print(summary.to_string(index=False))
