"""Shared helpers: config validation, code-version inputs, conda env, wildcard constraints."""

from pathlib import Path

import yaml

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


CAPTIONS = yaml.safe_load((Path(workflow.basedir) / "workflow/report/captions.yaml").read_text())


def figure_pdf(pattern, category):
    """Output ``figures/<pattern>.pdf`` marked for the HTML report (`snakemake --report`).

    Its caption (what the figure shows, which paper figure it reproduces, the data used) comes
    from workflow/report/captions.yaml through the rule's ``caption`` param (``figure_caption``).
    """
    return report(f"figures/{pattern}.pdf", caption="../report/caption.rst", category=category)


def figure_caption(wildcards, output):
    """Params function: the caption of the figure a job renders (keyed by file stem)."""
    name = Path(output[0]).stem
    if name not in CAPTIONS:
        raise WorkflowError(f"figure {name} has no caption in workflow/report/captions.yaml")
    return CAPTIONS[name]
