"""The two imports end to end: source folders -> report rows -> contract tables -> panel folder."""

from __future__ import annotations

from pathlib import Path

from shortage_radar.importers.canada import canada_reports
from shortage_radar.importers.openfda import openfda_reports
from shortage_radar.importers.panel import contract_tables
from shortage_radar.importers.reference import reference_lists
from shortage_radar.importers.settings import RealDataConfig, real_data_config
from shortage_radar.importers.write import table_counts, write_import


def _span(tables) -> dict[str, str]:
    months = [m for name, col in (("suspensions", "reported_month"), ("shortage_events", "start_month"))
              for m in tables[name][col].dropna() if m]
    return {"first_month": min(months), "last_month": max(months)} if months else {}


def import_canada(sources: list[Path], out_dir: Path, cfg: RealDataConfig | None = None) -> dict:
    """Drug Shortages Canada folders -> panel at ``out_dir``; returns the import summary."""
    cfg = cfg or real_data_config()
    reports, summary, files = canada_reports(sources, cfg)
    reference = reference_lists(files.get("essential"), files.get("classes"), cfg)
    tables = contract_tables(reports, reference, cfg)
    summary.update(files={k: [p.name for p in v] for k, v in files.files.items() if v},
                   reports=int(len(reports)), tables=table_counts(tables), **_span(tables))
    write_import(tables, summary, out_dir)
    return summary


def import_openfda(source: Path, out_dir: Path, cfg: RealDataConfig | None = None) -> dict:
    """An openFDA drug-shortages bulk file -> panel at ``out_dir``; returns the import summary."""
    cfg = cfg or real_data_config()
    reports, summary, reference = openfda_reports(source, cfg)
    tables = contract_tables(reports, reference, cfg)
    summary.update(reports=int(len(reports)), tables=table_counts(tables), **_span(tables))
    write_import(tables, summary, out_dir)
    return summary
