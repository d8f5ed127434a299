"""Paper-figure pipeline for the theory of SGD in high dimensions.

`snakemake figures/fig2_1.pdf` rebuilds one figure; `snakemake all` rebuilds every figure and
the reproduction scorecard. Paper-scale parameters live in config/config.yaml; add
`--configfile config/quick.yaml` for the quick CI profile.
"""


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


FIGURES = []  # every figure target, registered by the per-paper rule files
AGREEMENTS = []  # every figure's agreement table (theory vs simulation / paper vs ours)


include: "workflow/rules/common.smk"
include: "workflow/rules/alignment.smk"
include: "workflow/rules/alignment_xor.smk"
include: "workflow/rules/generating_functions.smk"
include: "workflow/rules/gf_real_data.smk"
include: "workflow/rules/exact_dynamics.smk"
include: "workflow/rules/local_geometry.smk"
include: "workflow/rules/scorecard.smk"


propagate_priorities()  # long chains first: priorities reach the data and SGD jobs upstream


rule all:
    default_target: True
    input:
        FIGURES,
        "figures/scorecard.csv",
        "figures/scorecard.md",
