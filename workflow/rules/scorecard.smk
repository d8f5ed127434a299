"""Reproduction scorecard: every figure's agreement rows in one table."""


rule scorecard:
    input:
        tables=AGREEMENTS,
        code=code_files("scorecard.py"),
    output:
        csv="figures/scorecard.csv",
        md="figures/scorecard.md",
    log:
        "logs/scorecard.log",
    conda:
        ENV
    script:
        "../scripts/scorecard.py"
