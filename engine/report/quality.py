"""The report's data-quality section: the month's audit per province, per enterprise and finding by finding.

Rendered here as plain HTML (escaped; no script), from the payload's ``audit`` field, into the page's
``{{AUDIT}}`` slot: one self-contained block, independent of the watchlist's JavaScript.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from shortage_radar.audit import SUMMARY_COLUMNS, audit, province_summary
from shortage_radar.contract.panel import Panel

SECTION_STYLE = ("#data-quality{margin:0 18px 12px;padding:8px 12px;background:#fff;border:1px solid #ddd;"
                 "border-radius:4px}#data-quality details{margin:6px 0}#data-quality .high{color:#b00020}"
                 "#data-quality table{max-width:100%}#data-quality .scroll{max-height:420px;overflow:auto}")


def audit_payload(panel: Panel, month: pd.Period, max_findings: int) -> dict | None:
    """Counts per province and per enterprise, and the findings (high severity first, at most ``max_findings``)."""
    if "monthly_reports" not in panel:
        return None
    found = audit(panel, month)
    provinces = province_summary(panel, month, found)
    pairs = found[found["enterprise_id"].notna()]
    enterprises = (pairs.groupby(["province", "enterprise_id"], dropna=False)
                   .agg(findings=("check", "size"), high=("severity", lambda s: int((s == "high").sum())),
                        checks=("check", lambda s: ", ".join(sorted(set(s)))))
                   .reset_index().sort_values(["high", "findings"], ascending=False, kind="stable"))
    return {
        "month": str(month), "total": int(len(found)),
        "by_check": {str(k): int(v) for k, v in found["check"].value_counts().sort_index().items()},
        "provinces": _records(provinces), "enterprises": _records(enterprises),
        "findings": _records(found.head(max_findings)), "shown": int(min(len(found), max_findings)),
    }


def _records(frame: pd.DataFrame) -> list[dict]:
    """JSON-ready rows (missing -> None, numpy ints -> int)."""
    out = frame.astype(object).where(frame.notna(), None)
    return [{k: (int(v) if hasattr(v, "item") and float(v).is_integer() else v) for k, v in r.items()}
            for r in out.to_dict("records")]


def _table(rows: list[dict], columns: list[str]) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr" + (' class="high"' if r.get("severity") == "high" else "") + ">"
        + "".join(f"<td>{escape('' if r.get(c) is None else str(r.get(c)))}</td>" for c in columns) + "</tr>"
        for r in rows)
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def render_section(data: dict | None) -> str:
    """The section's HTML ('' when the panel has no monthly reports to audit)."""
    if not data:
        return ""
    checks = ", ".join(f"{escape(k)} {v}" for k, v in data["by_check"].items()) or "none"
    more = (f" (the first {data['shown']:,} shown; <code>shortage audit</code> lists all)"
            if data["shown"] < data["total"] else "")
    return (
        f'<style>{SECTION_STYLE}</style><section id="data-quality">'
        f'<h2>Data quality 数据质量 {escape(data["month"])}</h2>'
        f"<p>{data['total']:,} audit findings: {checks}. Figures found implausible with high severity are kept in "
        "the panel but not used as true in the scores (the variety's <code>data_doubtful</code> is 1).</p>"
        f"<details open><summary>Per province 各省</summary>{_table(data['provinces'], SUMMARY_COLUMNS)}</details>"
        f"<details><summary>Per enterprise 各企业</summary>"
        f"{_table(data['enterprises'], ['province', 'enterprise_id', 'findings', 'high', 'checks'])}</details>"
        f"<details><summary>Findings 问题明细{more}</summary>"
        f"{_table(data['findings'], ['severity', 'check', 'province', 'enterprise_id', 'variety_id', 'detail'])}"
        "</details></section>")
