"""The README's two set-up commands stay the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setup_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text, flags=re.S)[:2]


def test_readme_starts_with_install_and_test_commands():
    install, test = _setup_commands()
    assert "pip install" in install and install.rstrip().endswith("shortage demo")
    assert "pytest" in test


def test_ci_runs_the_readme_test_command():
    _, test = _setup_commands()
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert test.strip() in ci_lines
