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
