"""``shortage alerts``: POST the month's level changes to each subscription, once per run (recorded in the store)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from shortage_radar.commands.console import fail, out
from shortage_radar.commands.months import parse_month
from shortage_radar.errors import ShortageRadarError

WebhookOption = Annotated[list[str] | None, typer.Option("--webhook", help="Webhook URL (repeatable): every change.")]
ConfigOption = Annotated[Path | None, typer.Option("--config", help="Subscriptions YAML (name, url, provinces, "
                                                                    "classes, levels).")]


def subscriptions(webhooks: list[str] | None, config: Path | None) -> list:
    """--webhook URLs and --config subscriptions; configs/alerts.yaml's when neither is given."""
    from shortage_radar.report.alerts import alerts_config, load_subscriptions, webhook

    subs = [webhook(u) for u in webhooks or []]
    if config is not None:
        subs += load_subscriptions(config)
    return subs or list(alerts_config().subscriptions)


def report_deliveries(deliveries: list) -> None:
    """A table of what was sent; exit 1 when a delivery failed (it is tried again by the next call)."""
    from rich.table import Table

    table = Table(title="Alerts", title_justify="left")
    for col in ("subscription", "status", "varieties", "attempts", "error"):
        table.add_column(col)
    for d in deliveries:
        table.add_row(d.subscription, d.status, str(d.items), str(d.attempts), d.error or "")
    out.print(table)
    failed = [d for d in deliveries if d.status == "failed"]
    if failed:
        fail(f"{len(failed)} alert delivery(ies) failed ({failed[0].subscription}: {failed[0].error}); "
             f"the next `shortage alerts` call tries them again")


def send(store, month: pd.Period, webhooks: list[str] | None, config: Path | None, panel=None) -> list:
    from shortage_radar.report.alerts import send_alerts

    return send_alerts(store, month, subscriptions(webhooks, config), panel=panel)


def alerts(
    month: Annotated[str, typer.Option("--month", help="Month YYYY-MM whose current run is compared with the "
                                                       "previous run.")],
    webhooks: WebhookOption = None,
    config: ConfigOption = None,
    store: Annotated[str | None, typer.Option("--store", help="Score store URL (default SHORTAGE_STORE_URL, "
                                                              "else configs/store.yaml).")] = None,
) -> None:
    """Alert subscribers to varieties that became orange or red since the previous run (and those that went down)."""
    from shortage_radar.store import open_store

    as_of = parse_month(month, "--month")
    try:
        deliveries = send(open_store(store), as_of, webhooks, config)
    except ShortageRadarError as exc:
        fail(str(exc), code=getattr(exc, "exit_code", 1))
    report_deliveries(deliveries)
