"""Shared rich consoles, the progress bars the library's callbacks draw, and the one-line error exit."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

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


class Steps:
    """rich progress bars for the library's ``progress(step, done, total)`` callback: one bar per step.

    Use as a context manager and pass the instance as ``progress=``; bars stay on screen when done.
    """

    def __init__(self) -> None:
        self.bars = Progress(SpinnerColumn(), TextColumn("{task.description:<34}"), BarColumn(), MofNCompleteColumn(),
                             TimeElapsedColumn(), console=out)
        self.tasks: dict[str, int] = {}

    def __enter__(self) -> Steps:
        self.bars.start()
        return self

    def __exit__(self, *exc) -> None:
        self.bars.stop()

    def __call__(self, step: str, done: int, total: int) -> None:
        """Start the step's bar on first sight, then move it to ``done`` of ``total``."""
        if step not in self.tasks:
            self.tasks[step] = self.bars.add_task(step, total=max(total, 1))
        self.bars.update(self.tasks[step], completed=done, total=max(total, 1))

    def step(self, description: str):
        """A bar for a block of the command's own work (completed when the block ends)."""
        return _Block(self, description)


class _Block:
    def __init__(self, steps: Steps, description: str) -> None:
        self.steps, self.description = steps, description

    def __enter__(self) -> None:
        self.steps(self.description, 0, 1)

    def __exit__(self, kind, *exc) -> None:
        if kind is None:
            self.steps(self.description, 1, 1)
