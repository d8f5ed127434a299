"""Config checks that stop a run before any job starts, with one line naming the key.

Each config section is validated against its JSON schema (draft 2020-12); cross-key
conditions that a schema cannot express are checked with :func:`require`.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from jsonschema import Draft202012Validator


class ConfigError(ValueError):
    """Bad configuration; the message names the offending key."""


def _key(section: str, path) -> str:
    return ".".join([section, *[str(p) for p in path]])


def validate_section(config: dict, section: str, schema_path) -> None:
    """Validate ``config[section]`` against the schema at ``schema_path``.

    Raises :class:`ConfigError` with a one-line message such as
    ``config key 'alignment.runs.gmm.d': -5 is less than the minimum of 2``.
    """
    if section not in config:
        raise ConfigError(f"config section '{section}' is missing")
    schema = yaml.safe_load(Path(schema_path).read_text())
    validator = Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config[section]), key=lambda e: list(e.path))
    if not errors:
        return
    err = errors[0]
    if err.validator == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        raise ConfigError(f"unknown config key '{_key(section, [*err.path, extra[0]])}'"
                          f" (allowed: {', '.join(sorted(err.schema.get('properties', {})))})")
    if err.validator == "required":
        raise ConfigError(f"config key '{_key(section, err.path)}': {err.message}")
    raise ConfigError(f"config key '{_key(section, err.path)}': {err.message}")


def validate_top_level(config: dict, sections) -> None:
    """Only known sections may appear at the top level of the config."""
    unknown = sorted(set(config) - set(sections))
    if unknown:
        raise ConfigError(f"unknown config key '{unknown[0]}' "
                          f"(allowed sections: {', '.join(sorted(sections))})")


def require(condition: bool, key: str, message: str) -> None:
    """Raise :class:`ConfigError` for ``key`` unless ``condition`` holds."""
    if not condition:
        raise ConfigError(f"config key '{key}': {message}")
