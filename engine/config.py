"""Load ``configs/*.yaml`` into frozen pydantic models: packaged defaults, workspace overrides, CLI overrides.

Every tunable number lives in a YAML file under ``configs/`` (shipped inside the
package as ``shortage_radar.configs``); code reads it through :func:`load_config`. A
workspace's ``configs/<name>.yaml`` (``shortage_radar.workspace``) overrides the keys it
holds, e.g. the values ``shortage tune`` chose.
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


def _deep_merge(base: dict[str, Any], overrides: dict[str, Any], keep_none: bool = False) -> dict[str, Any]:
    """Nested dicts merge key by key; other values (lists too) replace; None is skipped unless ``keep_none``."""
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value, keep_none)
        elif value is not None or keep_none:
            merged[key] = value
    return merged


def override_text(name: str) -> tuple[Path, str] | None:
    """The workspace's ``configs/<name>.yaml`` and its text, when the workspace has one."""
    from shortage_radar.workspace import workspace

    path = workspace().override(name)
    return (path, path.read_text(encoding="utf-8")) if path is not None else None


def _workspace_overrides(name: str) -> dict[str, Any]:
    found = override_text(name)
    if found is None:
        return {}
    path, text = found
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of {name}.yaml keys to override")
    return data


def load_config(
    name: str,
    model: type[M],
    overrides: dict[str, Any] | None = None,
    config_dir: Path | None = None,
) -> M:
    """Validate ``<name>.yaml``, the workspace's overrides of it and non-None ``overrides`` (CLI flags) into ``model``.

    With an explicit ``config_dir`` (a complete folder of configs) the workspace is not consulted.
    """
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
    if config_dir is None:
        raw = _deep_merge(raw, _workspace_overrides(name), keep_none=True)
    data = _deep_merge(raw, overrides or {})
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        origin = "" if config_dir is not None or override_text(name) is None else " (with workspace overrides)"
        raise ConfigError(f"{name}.yaml{origin}: {where}: {first['msg']}") from exc
