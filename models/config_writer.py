"""Write tuned values as overrides into a workspace's ``configs/*.yaml`` (never into the installed package).

An override file holds only the keys it changes (``load_config`` merges it over the packaged file);
an existing override keeps its comments and order.
"""

from __future__ import annotations

import io
from importlib import resources
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from shortage_radar.atomic import write_text
from shortage_radar.models.policy import WarningPolicy


def packaged_config_dir() -> Path:
    """The configs folder the package reads (never written: tuned values go to a workspace)."""
    return Path(str(resources.files("shortage_radar.configs")))


def _update(path: Path, changes: dict[str, Any]) -> Path:
    """Set ``changes`` in the override file at ``path`` (created with only these keys), atomically."""
    from ruamel.yaml.comments import CommentedMap

    if path.resolve().parent == packaged_config_dir().resolve():
        raise ValueError(f"{path}: refusing to write into the installed package's configs; write to a workspace")
    yaml = YAML()  # round-trip mode: comments survive
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(path.read_text(encoding="utf-8")) if path.is_file() else None
    data = data if data is not None else CommentedMap()
    for key, value in changes.items():
        if isinstance(value, dict):
            data.setdefault(key, CommentedMap())
            for sub, item in value.items():
                data[key][sub] = item
        else:
            data[key] = value
    stream = io.StringIO()
    yaml.dump(data, stream)
    return write_text(path, stream.getvalue())


def _plain(value: Any) -> Any:
    """Optuna returns numpy-free Python numbers; round floats so the YAML stays readable."""
    return round(value, 6) if isinstance(value, float) else value


def write_lightgbm(config_dir: Path, params: dict[str, Any]) -> Path:
    return _update(config_dir / "model.yaml", {"lightgbm": {k: _plain(v) for k, v in params.items()}})


def write_policy(config_dir: Path, policy: WarningPolicy) -> Path:
    """The tuned levels, and ``fit.mode: fixed`` so that they are used as written."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    levels = CommentedSeq()
    for rule in policy.levels:
        item = CommentedMap(level=rule.level, min_risk=_plain(rule.min_risk), min_impact=rule.min_impact)
        item.fa.set_flow_style()
        levels.append(item)
    # tuned thresholds are meant to be used as written, not re-fitted at train time
    return _update(config_dir / "warning_policy.yaml", {"levels": levels, "fit": {"mode": "fixed"}})
