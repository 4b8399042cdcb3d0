"""Read a CSV table as raw text cells, setting aside rows the file itself breaks, with their source line numbers.

The common clean file takes the fast path: one pyarrow read. Only when that read fails on a row
(a ragged row, bytes that are not UTF-8, a cell over the configured size) is the file read again
record by record with the ``csv`` module, and each bad record is set aside with its line and reason
while every other row is kept. Line numbers count every line of the file (header = line 1, blank
lines and line breaks inside quoted cells included); a record is numbered by its first line.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from shortage_radar.errors import PanelError

_BLOCK = 1 << 24  # bytes per read when counting lines
_SURROGATE = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, kept by errors="surrogateescape"
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")  # never in a header of names
_SHOWN_CHARS = 200  # of an oversized cell, in the quarantine's values
TEXT = pd.StringDtype("pyarrow")


class RowDefect(StrEnum):
    """Why a CSV record could not be read as a row (set aside before the contract's rules run)."""

    MALFORMED_ROW = "malformed_row"        # wrong number of fields, or not valid CSV
    UNDECODABLE_TEXT = "undecodable_text"  # bytes that are not UTF-8
    OVERSIZED_CELL = "oversized_cell"      # a cell longer than contract.yaml's max_cell_chars


DEFECT_COLUMNS = ["row", "reason", "column", "detail", "values"]


def _no_defects() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else object) for c in DEFECT_COLUMNS})


@dataclass(frozen=True)
class RawTable:
    """A table file's readable rows as raw cells, its defective records, and a map to source line numbers."""

    frame: pd.DataFrame
    defects: pd.DataFrame = field(default_factory=_no_defects)
    lines: Callable[[np.ndarray], np.ndarray] | None = None  # 0-based frame rows -> source line; None: row + 1


def _max_cell_chars() -> int:
    from shortage_radar.contract.settings import contract_config

    return contract_config().max_cell_chars


def _fail(path: Path, reason: str) -> None:
    raise PanelError(f"{path}: cannot be read as CSV (UTF-8 text with a header row): {reason}") from None


def _fast(path: Path, limit: int) -> pd.DataFrame | None:
    """One pyarrow read (None when a row breaks it or a cell is over ``limit``); OSError propagates."""
    try:
        names = pacsv.open_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 16)).schema.names
        convert = pacsv.ConvertOptions(column_types={name: pa.string() for name in names}, null_values=[""],
                                       strings_can_be_null=True, quoted_strings_can_be_null=True)
        table = pacsv.read_csv(path, convert_options=convert)
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    for column in table.columns:  # bytes >= characters: only a file with a long cell pays for the careful check
        longest = pc.max(pc.binary_length(column)).as_py() if table.num_rows else None
        if longest is not None and longest > limit:
            return None
    frame = table.to_pandas(types_mapper={pa.string(): TEXT, pa.large_string(): TEXT}.get)
    return frame.reset_index(drop=True)


def _newlines(path: Path) -> tuple[int, bool]:
    """How many line breaks the file has, and whether it ends with one (streamed: no whole-file copy)."""
    count, last = 0, b""
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            count += block.count(b"\n")
            last = block[-1:]
    return count, last == b"\n"


def _record_lines(path: Path) -> np.ndarray:
    """The first line of every non-blank data record (the careful reader's numbering, without keeping cells)."""
    starts, end, header = [], 0, True
    with path.open(encoding="utf-8", errors="surrogateescape", newline="") as handle:
        reader = csv.reader(handle)
        while True:
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error:
                record = ["?"]
            start, end = end + 1, reader.line_num
            if not record:
                continue
            if header:
                header = False
                continue
            starts.append(start)
    return np.asarray(starts, dtype=np.int64)


def _lazy_lines(path: Path, rows: int) -> Callable[[np.ndarray], np.ndarray]:
    """Line numbers on demand (only quarantined rows need them): row + 2 unless the file has extra line breaks."""
    found: dict[str, np.ndarray | None] = {}

    def lines(index: np.ndarray) -> np.ndarray:
        index = np.asarray(index, dtype=np.int64)
        if "starts" not in found:
            count, ends_with_break = _newlines(path)
            simple = count == rows + (1 if ends_with_break else 0)
            found["starts"] = None if simple else _record_lines(path)
        starts = found["starts"]
        return index + 2 if starts is None else starts[index]

    return lines


def _shown(record: list[str]) -> str:
    """The record's fields as JSON, undecodable bytes shown as \\x.. escapes and long cells cut."""
    def one(cell: str) -> str:
        text = cell.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        return text if len(text) <= _SHOWN_CHARS else f"{text[:_SHOWN_CHARS]}... ({len(text):,} characters)"

    return json.dumps([one(c) for c in record], ensure_ascii=False)


def _defect(record: list[str], header: list[str], limit: int) -> tuple[str, str | None, str] | None:
    """(reason, column, detail) of a bad record, None when it is a row."""
    if len(record) != len(header):
        return RowDefect.MALFORMED_ROW.value, None, f"{len(record)} fields; the header has {len(header)}"
    for name, cell in zip(header, record, strict=True):
        if _SURROGATE.search(cell):
            byte = cell.encode("utf-8", "surrogateescape")[_SURROGATE.search(cell).start():][:1].hex()
            return RowDefect.UNDECODABLE_TEXT.value, name, f"column '{name}' is not UTF-8 text (byte 0x{byte})"
    for name, cell in zip(header, record, strict=True):
        if len(cell) > limit:
            return (RowDefect.OVERSIZED_CELL.value, name,
                    f"column '{name}' has {len(cell):,} characters; at most {limit:,} (contract.yaml max_cell_chars)")
    return None


class _Lines:
    """A text file's lines for ``csv.reader``, keeping the raw lines of the record being read."""

    def __init__(self, handle) -> None:
        self.handle = handle
        self.taken: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self.handle)
        self.taken.append(line)
        return line

    def pop(self) -> list[str]:
        taken, self.taken = self.taken, []
        return taken


@dataclass
class _Scan:
    """What the careful pass found: the header, the good records' bytes and first lines, the defects."""

    header: list[str] | None = None
    kept: io.BytesIO = field(default_factory=io.BytesIO)
    starts: array = field(default_factory=lambda: array("q"))
    defects: list[dict] = field(default_factory=list)


def _scan(path: Path, limit: int) -> _Scan:
    """One pass of the csv module: bad records set aside with their first line, good ones copied as bytes."""
    csv.field_size_limit(sys.maxsize)  # sizes are checked here, against the configured limit
    found, end = _Scan(), 0
    with path.open(encoding="utf-8", errors="surrogateescape", newline="") as handle:
        lines = _Lines(handle)
        reader = csv.reader(lines)
        while True:
            try:
                record, problem = next(reader), None
            except StopIteration:
                break
            except csv.Error as exc:
                record, problem = [], (RowDefect.MALFORMED_ROW.value, None, f"not valid CSV: {exc}")
            start, end, raw = end + 1, reader.line_num, lines.pop()
            if not record and problem is None:
                continue  # a blank line
            if found.header is None and problem is None:
                if any(_SURROGATE.search(c) or _CONTROL.search(c) for c in record):
                    _fail(path, "the header row is not UTF-8 text (binary data?)")
                found.header = record
                found.kept.write("".join(raw).encode("utf-8"))
                continue
            problem = problem or _defect(record, found.header or [], limit)
            if problem is None:
                found.kept.write("".join(raw).encode("utf-8"))
                found.starts.append(start)
            else:
                found.defects.append(dict(zip(DEFECT_COLUMNS, (start, *problem, _shown(record)), strict=True)))
    if found.header is None:
        _fail(path, "the file has no header row")
    return found


def _parse_kept(found: _Scan) -> pd.DataFrame | None:
    """The good records' bytes parsed by pyarrow, as the fast path would (None if it still disagrees)."""
    names = found.header or []
    if not found.kept.getvalue().endswith(b"\n"):
        found.kept.write(b"\n")
    convert = pacsv.ConvertOptions(column_types={name: pa.string() for name in names}, null_values=[""],
                                   strings_can_be_null=True, quoted_strings_can_be_null=True)
    try:
        table = pacsv.read_csv(pa.BufferReader(pa.py_buffer(found.kept.getbuffer())), convert_options=convert,
                               read_options=pacsv.ReadOptions(block_size=max(1 << 20, 4 * _max_cell_chars())))
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    if table.num_rows != len(found.starts) or table.column_names != names:
        return None
    return table.to_pandas(types_mapper={pa.string(): TEXT, pa.large_string(): TEXT}.get).reset_index(drop=True)


def _careful(path: Path, limit: int) -> RawTable:
    """Bad records set aside with their first line and reason; the good ones parsed by pyarrow in one go.

    Only the good records' bytes are held (not Python objects per cell), so memory stays near the fast path's.
    """
    found = _scan(path, limit)
    frame = _parse_kept(found)
    if frame is None:  # pyarrow and the csv module disagree on some quoting: read the kept records as text
        frame = _rows_frame(found)
    lines = np.frombuffer(found.starts, dtype=np.int64) if len(found.starts) else np.zeros(0, dtype=np.int64)
    defects = pd.DataFrame(found.defects, columns=DEFECT_COLUMNS) if found.defects else _no_defects()
    return RawTable(frame, defects, lambda index: lines[np.asarray(index, dtype=np.int64)])


def _rows_frame(found: _Scan) -> pd.DataFrame:
    """The kept records read by the csv module (slow, memory-hungry: only when pyarrow cannot read them)."""
    text = io.StringIO(found.kept.getvalue().decode("utf-8"), newline="")
    rows = list(csv.reader(text))[1:]
    rows = [r for r in rows if r]
    return pd.DataFrame(rows, columns=found.header, dtype=object).replace("", None).astype(TEXT)


def read_csv_table(path: Path) -> RawTable:
    """The CSV file's rows as raw text cells (empty cell -> missing) with defective records set aside.

    A file that cannot be opened at all, or has no readable header, is a PanelError.
    """
    limit = _max_cell_chars()
    try:
        frame = _fast(path, limit)
        if frame is not None:
            return RawTable(frame, lines=_lazy_lines(path, len(frame)))
        return _careful(path, limit)
    except OSError as exc:
        _fail(path, exc.strerror or str(exc))
    raise AssertionError("unreachable")
