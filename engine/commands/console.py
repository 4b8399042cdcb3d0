"""Shared rich consoles and the one-line error exit every command uses."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one clear line on stderr and exit non-zero (no traceback)."""
    err.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    raise typer.Exit(code)


def show_workspace(chosen, argv: list[str]) -> None:
    """Say where the workspace is (one dim line on stdout; not with --json or --help, whose output is parsed)."""
    from shortage_radar.workspace import workspace

    if any(a in ("--json", "--help") for a in argv):
        return
    found = chosen or workspace()
    note = "" if found.root.is_dir() else " (not created yet)"
    out.print(f"[dim]workspace: {found.root}{note}[/]", soft_wrap=True)


def quiet_libraries(verbose: bool) -> None:
    """Library warnings and MLflow/Alembic INFO lines stay off the console unless --verbose."""
    import logging
    import os
    import warnings

    if verbose:
        logging.basicConfig(level=logging.INFO)
        return
    warnings.filterwarnings("ignore")
    os.environ.setdefault("PYTHONWARNINGS", "ignore")  # worker processes (service workers, MLflow's env capture)
    os.environ.setdefault("MLFLOW_LOGGING_LEVEL", "ERROR")  # read when mlflow is first imported
    for name in ("mlflow", "alembic", "optuna", "distributed", "urllib3", "git", "shortage_radar"):
        logging.getLogger(name).setLevel(logging.ERROR)
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")
