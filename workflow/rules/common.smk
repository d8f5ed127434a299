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
    if ":" in category:  # Snakemake links every category from every caption as an rst target
        raise WorkflowError(f"report category {category!r}: no colon (docutils ends a link "
                            "target's name at the first one: two categories would clash)")
    return report(f"<figures>/{name}.pdf", caption=f"../report/{name}.rst", category=category)


def check_overrides():
    """After every section's checks (their errors name a key, so they come first): an
    override file that changes values must name its variant."""
    try:
        cv.check_overrides_name_a_variant(_CLI_CONFIGFILES, workflow.config_settings.config)
    except cv.ConfigError as exc:
        stop(exc)


def _producible(path, rule_name):
    """Whether rule ``rule_name`` of this workflow still makes ``path``."""
    rule_ = next((r for r in workflow.rules if r.name == rule_name), None)
    return rule_ is not None and rule_.is_producer(path)


def _stop_on_faults(command):
    """Stop with one line per truncated, corrupt, swapped, missing or stale recorded file of
    this variant (hdsgd.integrity.scan) that ``--forcerun`` does not already rebuild."""
    from hdsgd import integrity

    forced = integrity.forced(sys.argv)
    faults = [f for f in integrity.scan(Path.cwd(), VARIANT, SECTIONS, producible=_producible)
              if f.path not in forced]
    for fault in faults:
        print(f"error: {fault.line()}; to rebuild it and every file made from it run: "
              f"{command}", file=sys.stderr)
    if faults:
        raise SystemExit(1)


def _check_report_figures():
    """`snakemake --report` renders each caption from the params of the job this config
    gives the figure; stop unless every recorded figure of the variant was made with exactly
    those params (Snakemake's record), so that each caption describes the figure it embeds."""
    import shlex

    from snakemake.iocontainers import Wildcards

    from hdsgd import integrity
    from hdsgd.job import describe
    from hdsgd.lineage import recorded_outputs

    figures = variant_dir("figures")
    build = shlex.join(["snakemake", *integrity.without_option(sys.argv, "--report")[1:]])
    recorded = recorded_outputs(
        Path.cwd(), lambda p: p.endswith(".pdf") and Path(p).parent == Path(figures))
    for path, record in sorted(recorded.items()):
        rule_ = next((r for r in workflow.rules if r.name == record.get("rule")), None)
        if rule_ is None or not rule_.is_producer(path) or not Path(path).is_file():
            continue
        wildcards = Wildcards(fromdict=rule_.get_wildcards(path))
        try:
            params = {name: value(wildcards) if callable(value) else value
                      for name, value in rule_.params.items()}
        except (TypeError, KeyError, AttributeError):  # a param function of more than wildcards
            continue
        diff = integrity.params_difference(record.get("params") or [], params)
        if diff:
            key, now, made = diff
            what = (f"was made with {describe(key, made)}, this config gives "
                    f"{describe(key, now)}" if key else
                    "was made with other config values than this config gives")
            print(f"error: {path} {what}: its caption would describe another figure; rebuild "
                  f"it before writing the report: {build}", file=sys.stderr)
            raise SystemExit(1)


def check_memory():
    """Every modelled heavy job's estimated peak memory (hdsgd.memory) fits its rule's mem_mb
    and this machine; else stop naming the key that sets the size and the estimate."""
    from hdsgd import memory

    rules = {r.name: r for r in workflow.rules}
    machine = memory.machine_mb()
    for est in memory.estimates(config):
        rule_ = rules.get(est.rule)
        declared = rule_.resources.get("mem_mb") if rule_ is not None else None
        if declared is not None and not declared.is_evaluable():  # (not a function of the job)
            declared = declared.value
        why = memory.too_large(est, declared if isinstance(declared, (int, float)) else None,
                               machine)
        if why:
            stop(cv.ConfigError(f"config key '{est.key}': {why}", est.key))


def check_before_jobs():
    """Before any job of a build or dry run (end of the Snakefile): the variant's results,
    figures and logs folders must be writable, and its recorded files intact and consistent
    (hdsgd.integrity.scan: truncated, corrupt, swapped, missing intermediates, stale files),
    else stop with one line per problem saying what to run. Before a report, the same scan
    and every figure made with this config's params (its caption is rendered from them).
    Other inspection commands (--unlock, --touch, --lint, listings) and cluster jobs skip
    this."""
    from hdsgd import integrity

    if integrity.reports(sys.argv):
        _stop_on_faults(integrity.repair_command(integrity.without_option(sys.argv, "--report")))
        _check_report_figures()
        return
    if not integrity.builds(sys.argv):
        return
    check_memory()
    folder = integrity.unwritable([variant_dir(r) for r in ("results", "figures", "logs")],
                                  SECTIONS)
    if folder:
        print(f"error: cannot write in {folder} (permission denied or a read-only file "
              "system): make it writable, or build in a writable copy", file=sys.stderr)
        raise SystemExit(1)
    _stop_on_faults(integrity.repair_command(sys.argv))


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
