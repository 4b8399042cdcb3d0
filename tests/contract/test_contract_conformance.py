"""The schemas cover the shared contract exactly: every table and column it names, none renamed."""

from __future__ import annotations

import os

import re
from pathlib import Path

import pytest

from shortage_radar.contract.schemas import TABLE_ORDER, key_columns, required_columns, schema_for

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "CONTRACT.md"
ROW = re.compile(r"^\| `(\w+)` \| ([\w, ]+) \| (.+?) \| .+ \|$")
EXTENSION = re.compile(r"^- `(\w+)\.(\w+)` \((.*?)\)")  # section 4: `table.column` (type, optional)


def _contract_tables(text: str) -> dict[str, tuple[list[str], dict[str, bool]]]:
    """table -> (key columns, {column: optional?}) parsed from the contract's section 1 table."""
    tables = {}
    for line in text.splitlines():
        match = ROW.match(line.strip())
        if not match:
            continue
        name, key, spec = match.groups()
        columns = {}
        for piece in re.split(r";(?![^()]*\))", spec):
            found = re.match(r"\s*([\w, ]+?)\s*\((.*)\)\s*$", piece.strip())
            if not found:
                continue
            for column in found.group(1).split(","):
                columns[column.strip()] = "optional" in found.group(2)
        tables[name] = ([k.strip() for k in key.split(",")], columns)
    for line in text.splitlines():
        added = EXTENSION.match(line.strip())
        if added and added.group(1) in tables:
            tables[added.group(1)][1][added.group(2)] = "optional" in added.group(3)
    return tables


@pytest.fixture(scope="module")
def contract() -> dict:
    if not SHARED.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED} not found: CI runs with ../shared beside the clone")
        pytest.skip(f"{SHARED} not found (the shared contract sits beside the repository)")
    return _contract_tables(SHARED.read_text(encoding="utf-8"))


def test_every_contract_table_has_a_schema(contract):
    assert set(contract) == set(TABLE_ORDER)


def test_columns_keys_and_optionality_match(contract):
    for table, (key, columns) in contract.items():
        schema = schema_for(table)
        assert key_columns(schema) == key, table
        declared = set(schema.columns) - set(key)
        assert declared == set(columns), table
        optional = {c for c, is_optional in columns.items() if is_optional}
        assert {c for c in declared if c not in required_columns(schema)} == optional, table


def test_project_contract_doc_names_every_column():
    doc = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    for table in TABLE_ORDER:
        assert f"`{table}`" in doc
        for column in schema_for(table).columns:
            assert f"`{column}`" in doc or column in doc, (table, column)
