"""Write tuned values back into ``configs/*.yaml``, keeping the files' comments and order."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from shortage_radar.models.policy import WarningPolicy


def packaged_config_dir() -> Path:
    """The configs folder the package reads (the repository's ``configs/`` in an editable install)."""
    return Path(str(resources.files("shortage_radar.configs")))


def _update(path: Path, changes: dict[str, Any]) -> Path:
    yaml = YAML()  # round-trip mode: comments survive
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if isinstance(value, dict):
            for sub, item in value.items():
                data[key][sub] = item
        else:
            data[key] = value
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    return path


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
