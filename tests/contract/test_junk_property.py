"""Property: validation never raises on random junk tables; it quarantines or stops cleanly."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from shortage_radar.contract.files import PanelError
from shortage_radar.contract.panel import read_panel
from shortage_radar.contract.schemas import TABLE_ORDER, schema_for

JUNK_CELLS = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["", " ", "-1", "0", "1e309", "nan", "inf", "2022-01", "2022-13", "2022-01-01", "true",
                     "maybe", "V1", "E1", "api_shortage", "national", "1.5", "-0", "\u00e9\u4e2d", '"', ",", "\n"]),
    st.integers(-10**12, 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


@st.composite
def junk_table(draw, table: str, structured: bool) -> pd.DataFrame:
    schema = schema_for(table)
    if structured:  # the contract's header (optional columns sometimes dropped), junk cells
        columns = [c for c, col in schema.columns.items() if col.required or draw(st.booleans())]
    else:
        columns = draw(st.lists(st.sampled_from([*schema.columns, "extra", "month", "variety_id"]),
                                max_size=len(schema.columns) + 2, unique=True))
    n_rows = draw(st.integers(0, 12))
    return pd.DataFrame({c: [draw(JUNK_CELLS) for _ in range(n_rows)] for c in columns}, columns=columns)


@st.composite
def junk_panel(draw) -> dict[str, pd.DataFrame]:
    structured = draw(st.integers(0, 4)) > 0
    names = draw(st.lists(st.sampled_from(TABLE_ORDER), min_size=1, max_size=len(TABLE_ORDER), unique=True))
    if structured:
        names = sorted({"varieties", "enterprises", *names}, key=TABLE_ORDER.index)
    return {name: draw(junk_table(name, structured)) for name in names}


@settings(max_examples=int(os.environ.get("JUNK_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(panel=junk_panel(), fmt=st.sampled_from(["csv", "parquet"]))
def test_validation_never_raises_on_junk(panel, fmt):
    folder = Path(tempfile.mkdtemp())
    try:
        for name, frame in panel.items():
            if fmt == "csv":
                frame.to_csv(folder / f"{name}.csv", index=False)
            else:
                frame.astype(object).to_parquet(folder / f"{name}.parquet", index=False)
        try:
            result = read_panel(folder)
        except PanelError as exc:
            assert "\n" not in str(exc)
            event("stopped with PanelError")
            return
        event("validated, some rows quarantined" if len(result.quarantine) else "validated, all rows kept")
        for name, res in result.results.items():
            assert res.kept + len(res.quarantine) == res.rows, name
        assert set(result.quarantine["reason"]) <= set(result.summary()["by_reason"])
    finally:
        shutil.rmtree(folder)
