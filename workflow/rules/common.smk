"""Shared helpers: config validation, code-version inputs, conda env, wildcard constraints."""

from pathlib import Path

from hdsgd.config_validation import ConfigError, require, validate_section, validate_top_level

ENV = "../../environment.yml"
SECTIONS = ["alignment", "xor", "gf", "gf_real", "exact", "geometry"]
SCHEMA_DIR = Path(workflow.basedir) / "workflow" / "schemas"


wildcard_constraints:
    run=r"[A-Za-z0-9_]+",
    fig=r"[A-Za-z0-9_]+",


def check_section(section):
    """Validate config[section] against its schema; stop the run with a one-line message."""
    try:
        validate_section(config, section, SCHEMA_DIR / f"{section}.schema.yaml")
    except ConfigError as exc:
        raise WorkflowError(str(exc)) from None


def check(condition, key, message):
    try:
        require(condition, key, message)
    except ConfigError as exc:
        raise WorkflowError(str(exc)) from None


try:
    validate_top_level(config, SECTIONS)
except ConfigError as exc:
    raise WorkflowError(str(exc)) from None


def code_files(*modules):
    """Package modules a rule depends on (as inputs, so that code changes rerun the rule)."""
    files = [f"src/hdsgd/{m}" for m in modules]
    missing = [f for f in files if not Path(f).exists()]
    if missing:
        raise WorkflowError(f"code_files: no such module {missing[0]}")
    return files + ["src/hdsgd/stages.py"]


def run_config(section, *keys):
    """Params function: ``config[section]["runs"][{run}]`` for wildcard ``run``.

    With ``keys``, only those entries: a stage then reruns only when a value it uses changes.
    """
    if not keys:
        return lambda wildcards: config[section]["runs"][wildcards.run]
    return lambda wildcards: {k: config[section]["runs"][wildcards.run][k] for k in keys}


def figure_pdf(name, category):
    """Output ``figures/<name>.pdf`` marked for the HTML report (`snakemake --report`).

    Its caption ``workflow/report/<name>.rst`` says what the figure shows, which paper figure
    it reproduces and the data used.
    """
    caption = Path(workflow.basedir) / "workflow" / "report" / f"{name}.rst"
    if not caption.exists():
        raise WorkflowError(f"figure {name} has no caption file {caption}")
    return report(f"figures/{name}.pdf", caption=f"../report/{name}.rst", category=category)
