"""Result files written atomically: a reader sees the old file or the whole new one, never a part.

Each writer writes a temporary file beside the target and renames it over the target; on any
failure the temporary file is removed and :class:`OutputError` names the file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from shortage_radar.errors import ShortageRadarError

TABLE_SUFFIXES = (".csv", ".parquet")


class OutputError(ShortageRadarError):
    """A result file cannot be written (bad extension, unwritable folder, full disk)."""

    component = "output file"


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``; renamed over it when the block succeeds, removed when it fails."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        os.close(handle)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        yield Path(temp)
        os.replace(temp, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def write_atomic(path: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(temp)`` and move the temporary file to ``path``."""
    with atomic_path(path) as temp:
        write(temp)
    return Path(path)


def check_table_path(path: Path) -> Path:
    """``path`` if it ends in .csv or .parquet; OutputError otherwise (before any work is done)."""
    if Path(path).suffix not in TABLE_SUFFIXES:
        raise OutputError(f"{path}: unknown output format (expected .csv or .parquet)")
    return Path(path)


def write_table(frame: pd.DataFrame, path: Path) -> Path:
    """A table as CSV or Parquet by the file's extension, written atomically."""
    path = check_table_path(path)
    if path.suffix == ".parquet":
        return write_atomic(path, lambda temp: frame.to_parquet(temp, index=False))
    return write_atomic(path, lambda temp: frame.to_csv(temp, index=False))


def write_text(text: str, path: Path) -> Path:
    """A UTF-8 text file (JSON, HTML), written atomically."""
    return write_atomic(path, lambda temp: Path(temp).write_text(text, encoding="utf-8"))
