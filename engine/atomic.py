"""Atomic result files: write to a temporary file beside the target, then rename it over the target.

A reader never sees a half-written watchlist, report or quarantine file, and a failed write (full
disk, unwritable folder) leaves the previous file as it was and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

from shortage_radar.errors import ShortageRadarError

TABLE_SUFFIXES = (".csv", ".parquet")


class OutputError(ShortageRadarError, ValueError):
    """A result file cannot be written: one line naming the output path and why."""

    component = "output path"


def output_failure(path: Path, exc: BaseException) -> OutputError:
    """One line naming the output path and the operating system's reason."""
    text = str(exc).strip()
    reason = getattr(exc, "strerror", None) or (text.splitlines()[0] if text else type(exc).__name__)
    return OutputError(f"output path {path}: cannot write ({reason})")


def _is_special(path: Path) -> bool:
    """A device or pipe (``/dev/stdout``, ``/dev/full``): written in place, it cannot be renamed over."""
    with contextlib.suppress(OSError):
        return path.exists() and not path.is_file() and not path.is_dir()
    return False


_FILE_MODE = 0o666


def _umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on failure it is removed.

    OSError (and a failure to create the folder) becomes OutputError naming ``path``.
    """
    path = Path(path)
    if _is_special(path):
        try:
            yield path
        except OSError as exc:
            raise output_failure(path, exc) from None
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(handle)
    except OSError as exc:
        raise output_failure(path, exc) from None
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, _FILE_MODE & ~_umask())  # mkstemp makes 0600; results are read by others (web server, BI)
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise output_failure(path, exc) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path | str, write: Callable[[Path], object]) -> Path:
    """Call ``write(temporary_path)`` and move the result to ``path`` atomically; return ``path``."""
    with atomic_path(path) as temp:
        write(temp)
    return Path(path)


def check_table_path(path: Path | str) -> Path:
    """``path`` if it ends in .csv or .parquet; OutputError otherwise (checked before any work is done)."""
    path = Path(path)
    if path.suffix not in TABLE_SUFFIXES:
        raise OutputError(f"output path {path}: unknown format (expected .csv or .parquet)")
    return path


def write_table(frame: pd.DataFrame, path: Path | str) -> Path:
    """A table as CSV or Parquet by the file's extension, written atomically."""
    path = check_table_path(path)
    if path.suffix == ".parquet":
        return write_atomic(path, lambda p: frame.to_parquet(p, index=False))
    return write_atomic(path, lambda p: frame.to_csv(p, index=False))


def write_text(path: Path | str, text: str) -> Path:
    """A text file (UTF-8), written atomically."""
    return write_atomic(path, lambda p: Path(p).write_text(text, encoding="utf-8"))
