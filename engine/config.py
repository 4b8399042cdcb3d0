"""Load ``configs/*.yaml`` into frozen pydantic models, with overrides from the CLI.

Every tunable number lives in a YAML file under ``configs/`` (shipped inside the
package as ``shortage_radar.configs``); code reads it through :func:`load_config`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from shortage_radar.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


class FrozenModel(BaseModel):
    """Base for all configuration models: immutable and strict about unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def config_text(name: str, config_dir: Path | None = None) -> str:
    """Return the YAML text of ``<name>.yaml`` from ``config_dir`` or the packaged configs."""
    if config_dir is not None:
        path = Path(config_dir) / f"{name}.yaml"
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found (expected {name}.yaml in {config_dir})")
        return path.read_text(encoding="utf-8")
    return resources.files("shortage_radar.configs").joinpath(f"{name}.yaml").read_text(encoding="utf-8")


def _deep_merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        elif value is not None:
            merged[key] = value
    return merged


def load_config(
    name: str,
    model: type[M],
    overrides: dict[str, Any] | None = None,
    config_dir: Path | None = None,
) -> M:
    """Validate ``<name>.yaml`` (plus non-None ``overrides``, e.g. CLI flags) into ``model``."""
    text = config_text(name, config_dir)
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{name}.yaml:{where}: not valid YAML ({problem})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{name}.yaml: expected a mapping of settings, found {type(raw).__name__}")
    data = _deep_merge(raw, overrides or {})
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{name}.yaml: {where}: {first['msg']}") from exc
