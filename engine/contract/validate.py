"""Validate one raw table against its schema: typed clean rows plus a quarantine with reasons."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from shortage_radar.contract.csvrows import RawTable
from shortage_radar.contract.parse import parse_frame
from shortage_radar.contract.reasons import PANDERA_CHECKS, PRIORITY
from shortage_radar.contract.settings import ContractConfig

QUARANTINE_COLUMNS = ["table", "file", "row", "reason", "column", "detail", "values"]


@dataclass(frozen=True)
class TableResult:
    """The outcome of validating one table."""

    name: str
    file: str
    clean: pd.DataFrame
    quarantine: pd.DataFrame
    rows: int
    missing_optional: tuple[str, ...] = ()
    ignored_columns: tuple[str, ...] = ()
    by_reason: dict[str, int] = field(default_factory=dict)

    @property
    def kept(self) -> int:
        return len(self.clean)


def _reason_and_column(check: str, column: object) -> tuple[str, str]:
    """Map a pandera check name to (reason code, column)."""
    check = str(check)
    if check in PANDERA_CHECKS:
        return PANDERA_CHECKS[check].value, str(column)
    reason, _, named_column = check.partition(":")
    return reason, named_column or str(column)


def _run_checks(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows failing the schema's checks as (index, column, reason)."""
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as err:
        cases = err.failure_cases
        cases = cases[cases["index"].notna()]
        if cases.empty:
            raise
        mapped = [_reason_and_column(c, col) for c, col in zip(cases["check"], cases["column"], strict=True)]
        return pd.DataFrame(
            {
                "index": cases["index"].astype("int64").to_numpy(),
                "reason": [m[0] for m in mapped],
                "column": [m[1] for m in mapped],
            }
        )
    return pd.DataFrame({"index": pd.Series(dtype="int64"), "reason": [], "column": []})


def _without_key(schema: pa.DataFrameSchema) -> pa.DataFrameSchema:
    rows_only = copy.copy(schema)
    rows_only.unique = None
    return rows_only


def _key_only(schema: pa.DataFrameSchema) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(unique=schema.unique, report_duplicates="exclude_first", name=schema.name)


def _key_codes(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """The key columns as integer codes: same duplicates, far cheaper to compare than Periods or text."""
    return pd.DataFrame({c: pd.factorize(frame[c], use_na_sentinel=True)[0] for c in key}, index=frame.index)


def _primary(failures: pd.DataFrame) -> pd.DataFrame:
    """One record per bad row: its highest-priority reason, with every problem listed in detail."""
    failures = failures.assign(column=failures["column"].astype(str)).drop_duplicates(["index", "reason", "column"])
    per_reason = failures.groupby(["index", "reason"], sort=False)["column"].agg(", ".join).reset_index()
    per_reason["priority"] = per_reason["reason"].map(PRIORITY).fillna(len(PRIORITY))
    per_reason = per_reason.sort_values(["index", "priority"], kind="stable")
    described = per_reason["reason"] + " (" + per_reason["column"] + ")"
    detail = described.groupby(per_reason["index"], sort=True).agg("; ".join)
    first = per_reason.groupby("index", sort=True).first()
    return pd.DataFrame({"reason": first["reason"], "column": first["column"], "detail": detail})


def _quarantine_records(table: str, file: str, raw: pd.DataFrame, primary: pd.DataFrame,
                        lines: Callable[[np.ndarray], np.ndarray] | None = None) -> pd.DataFrame:
    rows = raw.loc[primary.index]
    index = primary.index.to_numpy()
    values = [
        json.dumps({k: (None if pd.isna(v) else str(v)) for k, v in rec.items()}, ensure_ascii=False)
        for rec in rows.to_dict(orient="records")
    ]
    return pd.DataFrame(
        {
            "table": table,
            "file": file,
            "row": lines(index) if lines is not None else index + 1,
            "reason": primary["reason"].to_numpy(),
            "column": primary["column"].to_numpy(),
            "detail": primary["detail"].to_numpy(),
            "values": values,
        },
        columns=QUARANTINE_COLUMNS,
    )


def validate_table(
    name: str, file: str, raw: pd.DataFrame, schema: pa.DataFrameSchema, cfg: ContractConfig,
    lines: Callable[[np.ndarray], np.ndarray] | None = None,
) -> TableResult:
    """Parse, check rows, then check keys among the rows that passed (the first of a key is kept).

    ``lines`` maps 0-based rows of ``raw`` to the source file's line numbers (CSV); without it a
    quarantined row is numbered 1-based among the rows.
    """
    typed, parse_failures = parse_frame(raw, schema, cfg)
    row_failures = _run_checks(_without_key(schema), typed)
    failures = pd.concat([parse_failures, row_failures], ignore_index=True)
    passed = typed.drop(index=failures["index"].unique())
    key_failures = (
        _run_checks(_key_only(schema), _key_codes(passed, list(schema.unique)))
        if schema.unique
        else failures.iloc[:0]
    )
    failures = pd.concat([failures, key_failures], ignore_index=True)
    primary = _primary(failures) if len(failures) else None
    clean = typed.drop(index=primary.index) if primary is not None else typed
    clean = clean.reset_index(drop=True)
    quarantine = (
        _quarantine_records(name, file, raw, primary, lines)
        if primary is not None
        else pd.DataFrame(columns=QUARANTINE_COLUMNS)
    )
    return TableResult(
        name=name,
        file=file,
        clean=clean,
        quarantine=quarantine,
        rows=len(raw),
        missing_optional=tuple(c for c, col in schema.columns.items() if not col.required and c not in raw),
        ignored_columns=tuple(c for c in raw.columns if c not in schema.columns),
        by_reason=quarantine["reason"].value_counts().sort_index().to_dict(),
    )


def validate_raw_table(name: str, file: str, raw: RawTable, schema: pa.DataFrameSchema,
                       cfg: ContractConfig) -> TableResult:
    """``validate_table`` on a file's readable rows, with the records the file itself broke quarantined too."""
    result = validate_table(name, file, raw.frame, schema, cfg, raw.lines)
    if raw.defects.empty:
        return result
    defects = raw.defects.assign(table=name, file=file).reindex(columns=QUARANTINE_COLUMNS)
    quarantine = pd.concat([q for q in (defects, result.quarantine) if len(q)], ignore_index=True)
    quarantine = quarantine.sort_values("row", kind="stable").reset_index(drop=True)
    return TableResult(name=result.name, file=result.file, clean=result.clean, quarantine=quarantine,
                       rows=result.rows + len(defects), missing_optional=result.missing_optional,
                       ignored_columns=result.ignored_columns,
                       by_reason=quarantine["reason"].value_counts().sort_index().to_dict())
