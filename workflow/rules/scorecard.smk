"""Reproduction scorecard: every figure's agreement rows in one table."""


rule scorecard:
    input:
        tables=AGREEMENTS,
        code=code_files("scorecard.py"),
    output:
        csv=report(
            "<figures>/scorecard.csv",
            caption="../report/scorecard.rst",
            category="Reproduction scorecard",
        ),
        md="<figures>/scorecard.md",
    log:
        "<logs>/scorecard.log",
    conda:
        ENV
    script:
        "../scripts/scorecard.py"
