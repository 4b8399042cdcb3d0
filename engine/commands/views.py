"""Rich renderings of validation results for the terminal."""

from __future__ import annotations

from rich.table import Table

from shortage_radar.contract.panel import Panel


def validation_table(panel: Panel) -> Table:
    """Per table: rows read, kept, quarantined, and the reasons."""
    table = Table(title=f"Panel {panel.source}", title_justify="left")
    for name, justify in (("table", "left"), ("rows", "right"), ("kept", "right"), ("quarantined", "right"),
                          ("by reason", "left")):
        table.add_column(name, justify=justify)
    for name, result in panel.results.items():
        reasons = ", ".join(f"{r} {n}" for r, n in result.by_reason.items()) or "-"
        bad = len(result.quarantine)
        table.add_row(name, f"{result.rows:,}", f"{result.kept:,}", f"[red]{bad:,}[/]" if bad else "0", reasons)
    return table


def notes(panel: Panel) -> list[str]:
    """Optional columns absent and columns ignored, so nothing is dropped silently."""
    lines = []
    for name, result in panel.results.items():
        if result.missing_optional:
            lines.append(f"{name}: optional columns not present: {', '.join(result.missing_optional)}")
        if result.ignored_columns:
            lines.append(f"{name}: columns not in the contract, ignored: {', '.join(result.ignored_columns)}")
    absent = [t for t in ("enterprises", "monthly_reports", "suspensions", "institution_reports", "procurement",
                          "shortage_events", "supply_disruptions") if t not in panel.results]
    if absent:
        lines.append(f"optional tables not present: {', '.join(absent)}")
    return lines
