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
