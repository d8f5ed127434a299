"""Shared helpers: config checks, code-version inputs, conda env, wildcard constraints."""

import os
import sys
from pathlib import Path

from hdsgd import config_validation as cv

ENV = "../../environment.yml"
SECTIONS = cv.SECTIONS
SCHEMA_DIR = Path(workflow.basedir) / "workflow" / "schemas"
# config files, lowest precedence first: config/config.yaml, then each --configfile in order
_CLI_CONFIGFILES = [str(f) for f in workflow.config_settings.configfiles]
CONFIG_FILES = [
    *(str(f) for f in workflow.configfiles if str(f) not in _CLI_CONFIGFILES),
    *_CLI_CONFIGFILES,
]


wildcard_constraints:
    run=r"[A-Za-z0-9_]+",
    fig=r"[A-Za-z0-9_]+",


def stop(exc):
    """Stop before any job with one line, ``error: <config file>: config key '<key>': ...``.

    A raised exception would make Snakemake print this file's frame and a traceback, so the
    line is printed here and the parse ends with ``SystemExit``.
    """
    source = cv.config_source(exc.key, CONFIG_FILES) if exc.key else None
    where = f"{os.path.relpath(source)}: " if source else ""
    print(f"error: {where}{exc}", file=sys.stderr)
    raise SystemExit(1)


def check_section(section):
    """Reject NaN/inf anywhere in config[section], then validate it against its schema."""
    try:
        cv.validate_section(config, section, SCHEMA_DIR / f"{section}.schema.yaml")
    except cv.ConfigError as exc:
        stop(exc)


def check(condition, key, message):
    """Stop naming ``key`` unless ``condition`` holds."""
    try:
        cv.require(condition, key, message)
    except cv.ConfigError as exc:
        stop(exc)


def check_batch(key, value, n, n_key):
    """Every batch key (an int, a list or a {start, stop} span) must be <= its data size ``n``
    (config key ``n_key``). Call it for every batch-size key the workflow reads, because
    tests/test_config_errors.py finds every batch property of every schema and checks that an
    override larger than the data stops the dry run naming it."""
    try:
        cv.check_batch(key, value, n, n_key)
    except cv.ConfigError as exc:
        stop(exc)


def check_data_file(key, path, **expected):
    """A configured data file exists, is readable and holds the expected arrays/columns
    (see hdsgd.config_validation.check_data_file); returns its number of rows."""
    try:
        return cv.check_data_file(key, path, **expected)
    except cv.ConfigError as exc:
        stop(exc)


try:
    cv.validate_top_level(config, SECTIONS)
    VARIANT = cv.check_variant(config, SECTIONS, workflow.config_settings.config)
except cv.ConfigError as exc:
    stop(exc)




def variant_dir(root):
    """``root`` (results, figures, logs) of this build: ``root/<variant>`` for a variant."""
    return f"{root}/{VARIANT}" if VARIANT else root


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
    return report(f"<figures>/{name}.pdf", caption=f"../report/{name}.rst", category=category)


def check_overrides():
    """After every section's checks (their errors name a key, so they come first): an
    override file that changes values must name its variant."""
    try:
        cv.check_overrides_name_a_variant(_CLI_CONFIGFILES, workflow.config_settings.config)
    except cv.ConfigError as exc:
        stop(exc)


def propagate_priorities():
    """Give every rule upstream of a prioritised rule that rule's priority (critical path first).

    Snakemake's ``priority:`` orders ready jobs only: a long stage with ``priority: 1`` whose
    data and SGD jobs have priority 0 still waits behind every short job. Called once after
    all rules are defined (end of the Snakefile): a rule whose output pattern can produce an
    input of a prioritised rule gets at least that priority, repeated up the chain. Inputs
    given by functions are not followed (give such producers a priority themselves).
    """
    import re

    def output_regex(pattern):
        escaped = re.escape(str(pattern))
        return re.compile(re.sub(r"\\\{[^}]*\\\}", "[^/]+", escaped) + "$")

    producers = [(r, [output_regex(o) for o in r.output]) for r in workflow.rules]
    changed = True
    while changed:
        changed = False
        for rule_ in workflow.rules:
            prio = rule_.priority
            if callable(prio) or not prio:
                continue
            for inp in rule_.input:
                if callable(inp):
                    continue
                probe = re.sub(r"\{[^}]*\}", "w", str(inp))
                for producer, regexes in producers:
                    if producer is rule_ or callable(producer.priority):
                        continue
                    if producer.priority < prio and any(rx.match(probe) for rx in regexes):
                        producer.priority = prio
                        changed = True
