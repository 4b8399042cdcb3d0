"""``shortage whatif``: re-score varieties under a scenario (or every supplier suspending), nothing stored."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from shortage_radar.commands.console import fail, out
from shortage_radar.commands.months import parse_month
from shortage_radar.errors import ShortageRadarError


def _scenario(suspend: str | None, months: int | None, api_shortage: str | None, demand_surge: str | None,
              all_suppliers: bool):
    """The one scenario asked for (None for --all-suppliers); exit 2 unless exactly one was given."""
    from shortage_radar.models.whatif import Scenario, whatif_config

    given = [suspend is not None, api_shortage is not None, demand_surge is not None, all_suppliers]
    if sum(given) != 1:
        fail("give exactly one of --suspend, --api-shortage, --demand-surge, --all-suppliers", code=2)
    if months is not None and suspend is None and not all_suppliers:
        fail("--months goes with --suspend or --all-suppliers", code=2)
    months = months or whatif_config().suspend_months
    if suspend is not None:
        return Scenario("suspend", suspend, months=months)
    if api_shortage is not None:
        return Scenario("api_shortage", api_shortage)
    if demand_surge is not None:
        variety, _, pct = demand_surge.rpartition(":")
        try:
            return Scenario("demand_surge", variety, pct=float(pct.rstrip("%")))
        except ValueError:
            fail(f"--demand-surge {demand_surge!r}: expected VARIETY_ID:PCT, e.g. V0012:50", code=2)
    return None


def scenario_months(months: int | None) -> int:
    from shortage_radar.models.whatif import whatif_config

    return months or whatif_config().suspend_months


def _table(frame: pd.DataFrame, title: str, n: int = 15):
    from rich.table import Table

    from shortage_radar.models.policy import NAMES

    table = Table(title=title, title_justify="left")
    head = ["enterprise", "variety", "name", "risk before", "after", "level before", "after", "drivers after"]
    for col in head if "enterprise_id" in frame else head[1:]:
        table.add_column(col)
    for row in frame.head(n).itertuples():
        cells = [row.variety_id, f"{row.generic_name} ({row.dosage_form})", f"{row.risk_before:.2f}",
                 f"{row.risk_after:.2f}", NAMES[row.level_before][0], NAMES[row.level_after][0], row.drivers_after]
        table.add_row(*([row.enterprise_id] if "enterprise_id" in frame else []), *cells)
    return table


def whatif(
    data: Annotated[Path, typer.Option("--data", help="Panel folder.")],
    month: Annotated[str, typer.Option("--month", help="As-of month YYYY-MM.")],
    out_file: Annotated[Path, typer.Option("--out", help="Result file (.csv or .parquet).")],
    suspend: Annotated[str | None, typer.Option("--suspend", help="ENTERPRISE_ID that suspends production.")] = None,
    months: Annotated[int | None, typer.Option("--months", min=1, max=24,
                                               help="Months of suspension (default configs/whatif.yaml).")] = None,
    api_shortage: Annotated[str | None, typer.Option("--api-shortage",
                                                     help="Generic name whose active ingredient runs short.")] = None,
    demand_surge: Annotated[str | None, typer.Option("--demand-surge", help="VARIETY_ID:PCT, demand up PCT%.")] = None,
    all_suppliers: Annotated[bool, typer.Option("--all-suppliers", help="Supplier criticality: every enterprise "
                                                "suspending in turn; varieties reaching orange or red.")] = False,
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri", help="MLflow tracking URI.")] = None,
) -> None:
    """What if: re-score from the champion models with a scenario applied at the month; nothing is stored."""
    import shortage_radar as sr
    from shortage_radar.atomic import check_table_path, write_table

    as_of = parse_month(month, "--month")
    check_table_path(out_file)
    scenario = _scenario(suspend, months, api_shortage, demand_surge, all_suppliers)
    try:
        panel = sr.read_panel(data)
        models = sr.champions(tracking_uri)
        if scenario is None:
            result = sr.supplier_criticality(panel, models, as_of, months)
            title = f"Suppliers whose {scenario_months(months)}-month suspension turns varieties orange or red"
        else:
            result = sr.what_if(panel, models, as_of, scenario)
            title = f"What if: {scenario.label()} ({as_of})"
    except (ShortageRadarError, LookupError) as exc:
        fail(str(exc))
    write_table(result, out_file)
    out.print(_table(result, title))
    raised = int((result["level_after"].replace(0, 9) < result["level_before"].replace(0, 9)).sum())
    out.print(f"{len(result)} rows; level raised on {raised}; mean risk {result['risk_before'].mean():.3f} -> "
              f"{result['risk_after'].mean():.3f}" if len(result) else "no variety reaches orange or red")
    out.print(f"written: [bold]{out_file}[/]")
