"""``shortage forecast``: sales, production, inventory and months-of-supply forecasts as of a month."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shortage_radar.commands.console import out
from shortage_radar.commands.engine import Engine, EngineOption, backend_for
from shortage_radar.commands.months import parse_month


def forecast(
    data: Annotated[Path, typer.Option("--data", help="Panel folder.")],
    month: Annotated[str, typer.Option("--month", help="As-of month YYYY-MM: only data known by its end is used.")],
    out_file: Annotated[Path, typer.Option("--out", help="Long-format forecasts (.csv or .parquet).")],
    h: Annotated[int, typer.Option("--h", help="Months ahead.", min=1, max=24)] = 6,
    engine: EngineOption = Engine.local,
) -> None:
    """Forecast every variety and enterprise-variety series for t+1..t+h with 80% and 95% intervals."""
    import shortage_radar as sr
    from shortage_radar.files import check_table_path, write_table

    as_of = parse_month(month, "--month")
    check_table_path(out_file)
    with backend_for(data, engine) as backend:
        with out.status(f"forecasting {h} months from {as_of}" + (" on Dask" if backend.name == "dask" else "")):
            frame = sr.forecast(backend, as_of, h)
    write_table(frame, out_file)
    if frame.empty:
        out.print("no monthly_reports in this panel: nothing to forecast (empty file written)")
    counts = frame.groupby("series")["model"].value_counts().to_dict() if len(frame) else {}
    out.print(f"{len(frame):,} forecast rows; models: {counts}")
    out.print(f"forecasts: [bold]{out_file}[/]")
