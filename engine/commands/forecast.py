"""``shortage forecast``: sales, production, inventory and months-of-supply forecasts as of a month."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer

from shortage_radar.commands.backtest import write_table
from shortage_radar.commands.console import fail, out
from shortage_radar.commands.engine import Engine, EngineOption, dask_session
from shortage_radar.commands.months import parse_month
from shortage_radar.contract.files import PanelError
from shortage_radar.contract.panel import read_panel


def _forecasts(data: Path, as_of, h: int, session):
    """forecast_panel locally, or the same forecasts on the Dask cluster."""
    from shortage_radar.models.forecast_config import forecast_config
    from shortage_radar.models.forecasting import forecast_panel

    if session is None:
        return forecast_panel(read_panel(data), as_of, h)
    from shortage_radar.distributed.forecast import forecast_dask
    from shortage_radar.distributed.reader import read_partitioned

    return forecast_dask(session.client, read_partitioned(data, session.cfg), as_of, h, forecast_config(), session.cfg)


def forecast(
    data: Annotated[Path, typer.Option("--data", help="Panel folder.")],
    month: Annotated[str, typer.Option("--month", help="As-of month YYYY-MM: only data known by its end is used.")],
    out_file: Annotated[Path, typer.Option("--out", help="Long-format forecasts (.csv or .parquet).")],
    h: Annotated[int, typer.Option("--h", help="Months ahead.", min=1, max=24)] = 6,
    engine: EngineOption = Engine.local,
) -> None:
    """Forecast every variety and enterprise-variety series for t+1..t+h with 80% and 95% intervals."""
    as_of = parse_month(month, "--month")
    try:
        with ExitStack() as stack:
            session = stack.enter_context(dask_session()) if engine is Engine.dask else None
            with out.status(f"forecasting {h} months from {as_of}" + (" on Dask" if session else "")):
                frame = _forecasts(data, as_of, h, session)
    except PanelError as exc:
        fail(str(exc))
    write_table(frame, out_file)
    if frame.empty:
        out.print("no monthly_reports in this panel: nothing to forecast (empty file written)")
    counts = frame.groupby("series")["model"].value_counts().to_dict() if len(frame) else {}
    out.print(f"{len(frame):,} forecast rows; models: {counts}")
    out.print(f"forecasts: [bold]{out_file}[/]")
