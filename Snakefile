"""Paper-figure pipeline for the theory of SGD in high dimensions.

`snakemake figures/fig2_1.pdf` rebuilds one figure; `snakemake all` rebuilds every figure and
the reproduction scorecard. Paper-scale parameters live in config/config.yaml; add
`--configfile config/quick.yaml` for the quick CI profile (variant `quick`: its files go to
results/quick/, figures/quick/ and logs/quick/).
"""


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


FIGURES = []  # every figure target, registered by the per-paper rule files
AGREEMENTS = []  # every figure's agreement table (theory vs simulation / paper vs ours)


include: "workflow/rules/common.smk"


# Every path of every rule starts with <results>, <figures> or <logs>: the paper-scale default
# writes to results/, figures/ and logs/, a variant (config key `variant`, e.g. the quick
# profile's `quick`) to results/<variant>/, figures/<variant>/ and logs/<variant>/, so that
# variants never overwrite each other (hdsgd.config_validation.check_variant).
pathvars:
    results=variant_dir("results"),
    figures=variant_dir("figures"),
    logs=variant_dir("logs"),

include: "workflow/rules/alignment.smk"
include: "workflow/rules/alignment_scaling.smk"
include: "workflow/rules/alignment_xor.smk"
include: "workflow/rules/generating_functions.smk"
include: "workflow/rules/gf_scaling.smk"
include: "workflow/rules/gf_real_data.smk"
include: "workflow/rules/exact_dynamics.smk"
include: "workflow/rules/local_geometry.smk"
include: "workflow/rules/geometry_scaling.smk"
include: "workflow/rules/scorecard.smk"


check_overrides()  # an override file that changes values names its variant
check_before_jobs()  # writable folders; no truncated, swapped, missing or stale recorded file
propagate_priorities()  # long chains first: priorities reach the data and SGD jobs upstream


rule all:
    default_target: True
    input:
        FIGURES,
        "<figures>/scorecard.csv",
        "<figures>/scorecard.md",
