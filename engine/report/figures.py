"""One variety's chart as a plain Plotly figure dict: three volume panels with forecasts and a suspension timeline.

Built as dicts (not ``go.Figure``) so hundreds of figures take milliseconds; the tests check that
Plotly accepts them. Dates are month starts (``YYYY-MM-01``) on one shared x axis.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from shortage_radar.contract.suspension_reasons import reason_words
from shortage_radar.report.series import VOLUMES

COLORS = {"sales": "#1f77b4", "production": "#2ca02c", "inventory": "#7b4fb5", "safety": "#d62728"}
BANDS = {95: 0.12, 80: 0.28}
FONT = ('system-ui, "Segoe UI", Roboto, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", '
        '"WenQuanYi Micro Hei", sans-serif')  # CJK fallback in chart text too (report.css has the same list)
REASON_COLORS = {"api_shortage": "#e6550d", "quality_gmp": "#3182bd", "equipment": "#756bb1",
                 "economic": "#31a354", "regulatory": "#636363", "discontinued": "#000000", "other": "#969696"}
TITLES = {"sales": "Sales 销量", "production": "Production 产量", "inventory": "Inventory 库存",
          "suspensions": "Suspensions 停产"}
# Four stacked panels, top to bottom: sales, production, inventory, suspension timeline.
DOMAINS = {"y": (0.79, 1.0), "y2": (0.55, 0.76), "y3": (0.31, 0.52), "y4": (0.0, 0.24)}
AXIS_OF = {"sales": "y", "production": "y2", "inventory": "y3", "suspensions": "y4"}


def day(month: pd.Period) -> str:
    """The month's first day as Plotly reads dates (``Period.start_time`` is ~50x slower)."""
    return f"{month.year:04d}-{month.month:02d}-01"


def _values(series: pd.Series, decimals: int) -> list[float | None]:
    """Rounded plain floats; an empty month is None (a gap in the line, never a zero)."""
    return [None if math.isnan(v) else v for v in np.round(series.to_numpy(dtype=float), decimals).tolist()]


def _forecast_traces(name: str, fc: pd.DataFrame, last: tuple[str, float] | None, decimals: int,
                     first_panel: bool) -> list[dict]:
    """Mean (dashed) and 80/95% bands; each starts at the last observed value so it joins the history."""
    fc = fc.sort_values("target_month")
    x = [day(m) for m in fc["target_month"]]
    cols = {c: _values(fc[c], decimals) for c in ("mean", "lo_80", "hi_80", "lo_95", "hi_95")}
    if last is not None:
        x = [last[0], *x]
        cols = {c: [round(last[1], decimals), *v] for c, v in cols.items()}
    axis = AXIS_OF[name]
    traces = []
    for level, alpha in BANDS.items():
        fill = f"rgba(31,119,180,{alpha})"
        traces.append({"type": "scatter", "x": x, "y": cols[f"lo_{level}"], "yaxis": axis, "mode": "lines",
                       "line": {"width": 0}, "hoverinfo": "skip", "showlegend": False,
                       "legendgroup": f"band{level}"})
        traces.append({"type": "scatter", "x": x, "y": cols[f"hi_{level}"], "yaxis": axis, "mode": "lines",
                       "line": {"width": 0}, "fill": "tonexty", "fillcolor": fill, "name": f"{level}% interval",
                       "legendgroup": f"band{level}", "showlegend": first_panel, "hoverinfo": "skip"})
    traces.append({"type": "scatter", "x": x, "y": cols["mean"], "yaxis": axis, "mode": "lines",
                   "line": {"color": COLORS[name], "dash": "dash"}, "name": f"{name} forecast",
                   "hovertemplate": "%{x|%Y-%m}: %{y:,.0f}<extra>forecast</extra>"})
    return traces


def _safety_ahead(history: pd.DataFrame, month: pd.Period, horizon: int, decimals: int) -> list[dict]:
    """The last declared safety line carried flat through the forecast months (declared lines hold until changed)."""
    known = history.dropna(subset=["safety_stock"])
    if known.empty or horizon < 1:
        return []
    last = known.iloc[-1]
    value = round(float(last["safety_stock"]), decimals)
    x = [day(last["month"])] + [day(month + k) for k in range(1, horizon + 1)]
    return [{"type": "scatter", "x": x, "y": [value] * len(x), "yaxis": "y3", "mode": "lines",
             "line": {"color": COLORS["safety"], "dash": "dot", "width": 1}, "opacity": 0.6, "showlegend": False,
             "name": "safety line ahead 安全库存(延续)",
             "hovertemplate": "%{x|%Y-%m}: %{y:,.0f}<extra>safety line (last declared)</extra>"}]


def _volume_traces(history: pd.DataFrame, forecasts: pd.DataFrame, decimals: int) -> list[dict]:
    x = [day(m) for m in history["month"]]
    traces: list[dict] = []
    for i, name in enumerate(VOLUMES):
        y = _values(history[name], decimals) if len(history) else []
        traces.append({"type": "scatter", "x": x, "y": y, "yaxis": AXIS_OF[name], "mode": "lines+markers",
                       "marker": {"size": 3}, "line": {"color": COLORS[name]}, "name": name,
                       "hovertemplate": "%{x|%Y-%m}: %{y:,.0f}<extra>" + name + "</extra>"})
        observed = [(xi, yi) for xi, yi in zip(x, y, strict=True) if yi is not None]
        fc = forecasts[forecasts["series"] == name]
        if len(fc):
            traces.extend(_forecast_traces(name, fc, observed[-1] if observed else None, decimals, i == 0))
    if len(history) and history["safety_stock"].notna().any():
        traces.append({"type": "scatter", "x": x, "y": _values(history["safety_stock"], decimals), "yaxis": "y3",
                       "mode": "lines", "line": {"color": COLORS["safety"], "dash": "dot", "width": 2, "shape": "hv"},
                       "name": "safety line 安全库存",
                       "hovertemplate": "%{x|%Y-%m}: %{y:,.0f}<extra>safety line</extra>"})
    return traces


def _suspension_traces(susp: pd.DataFrame, month: pd.Period, labels: dict[str, str]) -> list[dict]:
    """Gantt-like bars per enterprise: known periods by reason; an ongoing one continues dotted to its expected end."""
    traces: dict[str, dict] = {}

    def segment(key: str, style: dict, name: str, start: str, end: str, label: str, text: str) -> None:
        trace = traces.setdefault(key, {"type": "scatter", "mode": "lines", "yaxis": "y4", "x": [], "y": [],
                                        "text": [], "name": name, "line": style, "connectgaps": False,
                                        "hovertemplate": "%{text}<extra></extra>"})
        trace["x"] += [start, end, None]
        trace["y"] += [label, label, None]
        trace["text"] += [text, text, None]

    for row in susp.itertuples(index=False):
        label = row.enterprise_id  # the name goes in the hover text: long axis labels squeeze every panel
        ongoing = pd.isna(row.actual_end_month)
        last = month if ongoing else row.actual_end_month
        expected = "" if pd.isna(row.expected_end_month) else f", expected end {row.expected_end_month}"
        until = "now (ongoing)" if ongoing else row.actual_end_month
        words = f"{reason_words(row.reason)} {reason_words(row.reason, 'zh')}"
        text = (f"{labels.get(row.enterprise_id, row.enterprise_id)}<br>{words}: {row.start_month} to {until}"
                f"; reported {row.reported_month}{expected}")
        color = REASON_COLORS.get(str(row.reason), REASON_COLORS["other"])
        segment(str(row.reason), {"color": color, "width": 12}, f"suspended: {words}", day(row.start_month),
                day(last + 1), label, text)
        if ongoing and not pd.isna(row.expected_end_month) and row.expected_end_month > month:
            segment("expected", {"color": "#999999", "width": 4, "dash": "dot"}, "expected end (ongoing)",
                    day(month + 1), day(row.expected_end_month + 1), label, text)
    return list(traces.values())


def variety_figure(history: pd.DataFrame, forecasts: pd.DataFrame, suspensions: pd.DataFrame, month: pd.Period,
                   first: pd.Period, horizon: int, labels: dict[str, str], decimals: int, height: int) -> dict:
    """The detail chart of one variety (history from ``first`` to ``month``, forecasts to ``month + horizon``)."""
    data = (_volume_traces(history, forecasts, decimals) + _safety_ahead(history, month, horizon, decimals)
            + _suspension_traces(suspensions, month, labels))
    layout: dict = {
        "height": height, "font": {"family": FONT},
        "margin": {"l": 70, "r": 20, "t": 30, "b": 40}, "hovermode": "closest",
        "legend": {"orientation": "h", "y": -0.06, "yanchor": "top", "x": 0, "font": {"size": 11}},
        "xaxis": {"type": "date", "anchor": "y4", "range": [day(first), day(month + horizon + 1)],
                  "showgrid": True},
        "shapes": [{"type": "line", "xref": "x", "yref": "paper", "x0": day(month), "x1": day(month), "y0": 0,
                    "y1": 1, "line": {"color": "#555555", "width": 1, "dash": "dot"}}],
        "annotations": [{"text": f"as of {month}", "xref": "x", "yref": "paper", "x": day(month), "y": 1.0,
                         "showarrow": False, "xanchor": "right", "font": {"size": 10, "color": "#555555"}}],
    }
    for axis, (lo, hi) in DOMAINS.items():
        key = "yaxis" if axis == "y" else f"yaxis{axis[1:]}"
        name = next(n for n, a in AXIS_OF.items() if a == axis)
        layout[key] = {"domain": [lo, hi], "anchor": "x", "title": {"text": TITLES[name], "font": {"size": 11}},
                       "rangemode": "tozero", "zeroline": True}
    layout["yaxis4"].update({"type": "category", "rangemode": "normal", "automargin": True})
    if suspensions.empty:
        layout["annotations"].append({"text": "no suspension reported by this month", "xref": "paper",
                                      "yref": "y4 domain", "x": 0.5, "y": 0.5, "showarrow": False,
                                      "font": {"color": "#777777"}})
    return {"data": data, "layout": layout}
