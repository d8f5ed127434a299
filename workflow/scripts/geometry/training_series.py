"""Stage (series): Fig 2 / Fig 6 curves (outliers, edges, overlaps along training) and their
agreement rows (hdsgd.observables.geometry_agreement.training_comparison)."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    import pandas as pd

    from hdsgd.agreement import write_agreement
    from hdsgd.observables.geometry_agreement import training_comparison
    from hdsgd.stages import load_stage, write_table
    from hdsgd.theory.effective_spectrum import first_component

    c, run, tol = snakemake.params.common, snakemake.params.run, snakemake.params.agreement
    inputs = [snakemake.input.ode, snakemake.input.theory, snakemake.input.observables]
    ode, th, ob = (load_stage(p) for p in inputs)
    series, rows = training_comparison(
        th, ob, ode, figure=f"geometry_{snakemake.wildcards.gfig}", kinds=run["kinds"],
        a=first_component(run["label_map"], c["block"]), d=run["d"], tol=tol)
    for r in rows:
        print(r["claim"], r["measured"], r["pass"])
    write_table(pd.DataFrame(series), snakemake.output.series, inputs=inputs)
    write_agreement(snakemake.output.agreement, rows, inputs=inputs)
