"""Real-data benchmark: the engine against every simple baseline on real and partial-feed panels, in one run.

    python bench/real_data.py --canada PANEL [--demo PANEL] [--canada-2023 PANEL] [--before] [--json FILE]

Panels (each a rolling-origin backtest with the default configuration, nothing tuned per panel):
Canada voluntary era (as-of 2014-04 .. 2015-12) and mandatory era (2017-04 .. 2018-01) of the
panel `shortage import canada` writes; optionally Canada 2023 (a panel imported with the 2023
folder too, as-of 2023-04 .. its last month with a known 3-month horizon); and partial-feed
variants of a demo panel, each with `shortage_events` as the labels: prices only (`procurement`
with purchase volumes blanked), reports only (`suspensions`), events only (no input feed), and
the full demo (as-of the last 36 months). Per panel: PR-AUC, ROC-AUC, P@10 of the engine and of
every baseline, the engine's share of onsets warned at level 1-3 one to three months ahead, level
1-3 warnings per month and their share of varieties. ``--before`` runs the pre-issue-18 engine
(`guard: false`, configured fixed levels) for the "before" column.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pandas as pd

from shortage_radar.contract.panel import Panel, read_panel
from shortage_radar.features.grid import panel_months
from shortage_radar.models.backtest import run_backtest
from shortage_radar.models.policy import warning_policy
from shortage_radar.models.settings import model_config

DEMO_MONTHS = 36
PARTIAL = {"prices only": ("varieties", "procurement", "shortage_events"),
           "reports only": ("varieties", "enterprises", "suspensions", "shortage_events"),
           "events only": ("varieties", "shortage_events")}


def partial_folder(demo: Path, tables: tuple[str, ...], out: Path) -> Path:
    """A copy of the demo panel folder with only ``tables`` (procurement keeps its prices, volumes blanked)."""
    out.mkdir(parents=True, exist_ok=True)
    for name in tables:
        frame = pd.read_csv(demo / f"{name}.csv", dtype=str, keep_default_na=False)
        if name == "procurement":
            frame["purchase_volume"] = ""
        frame.to_csv(out / f"{name}.csv", index=False)
    return out


def _settings(before: bool):
    cfg, policy = model_config(), warning_policy()
    if before:
        cfg = cfg.model_copy(update={"guard": False})
        policy = policy.model_copy(update={"fit": policy.fit.model_copy(update={"mode": "fixed"})})
    return cfg, policy


def _row(name: str, panel: Panel, start: pd.Period, end: pd.Period, before: bool) -> dict:
    cfg, policy = _settings(before)
    began = time.perf_counter()
    m = run_backtest(panel, start, end, cfg, policy, drivers=False).metrics
    v = m["variety"]
    base = {k: {"pr_auc": b["pr_auc"], "roc_auc": b["roc_auc"], "precision_at_10": b["precision_at_10"]}
            for k, b in m["baselines"].items()}
    best = max((k for k in base if base[k]["pr_auc"] is not None), key=lambda k: base[k]["pr_auc"], default=None)
    return {"panel": name, "months": f"{start}..{end}", "prevalence": v["prevalence"], "rows": v["rows"],
            "engine": {k: v[k] for k in ("pr_auc", "roc_auc", "precision_at_10")}, "baselines": base,
            "best_baseline": best, "onsets": v["onsets"]["onsets"], "onsets_warned": v["onsets"]["warned_share"],
            "warnings_per_month": v["warnings_per_month"], "warned_share_per_month": v["warned_share_per_month"],
            "horizons": {h: x["pr_auc"] for h, x in v.get("horizons", {}).items()},
            "seconds": round(time.perf_counter() - began, 1)}


def _fmt(x, pct: bool = False) -> str:
    return "-" if x is None else (f"{x:.1%}" if pct else f"{x:.3f}")


def _markdown(rows: list[dict]) -> str:
    names = sorted({b for r in rows for b in r["baselines"]})
    head = ["panel", "as-of months", "prevalence", "engine PR-AUC", "best baseline", "engine / best",
            "engine / history", "ROC-AUC", "P@10", *[f"{n} PR-AUC" for n in names], "onsets warned 1-3 m ahead",
            "warnings / month (share)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        e, best = r["engine"], r["best_baseline"]
        bp = r["baselines"][best]["pr_auc"] if best else None
        hist = r["baselines"].get("history", {}).get("pr_auc")
        ratio = lambda a, b: "-" if not a or not b else f"{a / b:.2f}x"  # noqa: E731
        cells = [r["panel"], r["months"], _fmt(r["prevalence"]), _fmt(e["pr_auc"]),
                 f"{best} {_fmt(bp)}" if best else "-", ratio(e["pr_auc"], bp), ratio(e["pr_auc"], hist),
                 _fmt(e["roc_auc"]), _fmt(e["precision_at_10"]),
                 *[_fmt(r["baselines"].get(n, {}).get("pr_auc")) for n in names],
                 f"{_fmt(r['onsets_warned'], True)} of {r['onsets']}",
                 f"{r['warnings_per_month']:.1f} ({r['warned_share_per_month']:.1%})"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _panels(args) -> list[tuple[str, Panel, pd.Period, pd.Period]]:
    out = []
    if args.canada:
        canada = read_panel(args.canada)
        out += [("Canada voluntary", canada, pd.Period("2014-04", "M"), pd.Period("2015-12", "M")),
                ("Canada mandatory", canada, pd.Period("2017-04", "M"), pd.Period("2018-01", "M"))]
    if args.canada_2023:
        panel = read_panel(args.canada_2023)
        last = panel_months(panel)[-1] - model_config().horizon
        out.append(("Canada 2023", panel, pd.Period("2023-04", "M"), last))
    if args.demo:
        demo = read_panel(args.demo)
        last = panel_months(demo)[-1]
        start = last - DEMO_MONTHS + 1
        out.append(("demo (all feeds)", demo, start, last))
        work = Path(args.work)
        out += [(f"demo {name}", read_panel(partial_folder(Path(args.demo), tables, work / name.replace(" ", "_"))),
                 start, last) for name, tables in PARTIAL.items()]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--canada")
    parser.add_argument("--canada-2023")
    parser.add_argument("--demo")
    parser.add_argument("--work", default="bench-partial-panels", help="where the partial-feed panels are written")
    parser.add_argument("--only", nargs="*", help="panel names to run (default: all)")
    parser.add_argument("--before", action="store_true", help="the pre-issue-18 engine")
    parser.add_argument("--json")
    args = parser.parse_args()
    rows = []
    for name, panel, start, end in _panels(args):
        if args.only and name not in args.only:
            continue
        rows.append(_row(name, panel, start, end, args.before))
        print(json.dumps(rows[-1], default=str), flush=True)
    print(_markdown(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
