# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Analyst walkthrough: why is this variety red?
#
# Load a monthly run (the panel and its watchlist), pick the highest-warned variety, and look
# at what drives its score: the drivers in words, its supply series against the safety line,
# its suspensions, and how its features moved. Point `SHORTAGE_RUN` at a folder written by
# `shortage demo` (default `shortage-demo/`).

# %%
import os
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from shortage_radar import read_panel
from shortage_radar.features import as_known_at, build_features
from shortage_radar.models.policy import NAMES

RUN = Path(os.environ.get("SHORTAGE_RUN", "shortage-demo"))
panel = read_panel(RUN / "panel")
watchlist_file = sorted(RUN.glob("watchlist-*.csv"))[-1]
watchlist = pd.read_csv(watchlist_file, keep_default_na=False)
month = pd.Period(watchlist["month"].iloc[0], freq="M")
print(f"run {RUN}: as of {month}, {len(watchlist):,} watchlist rows")

# %% [markdown]
# ## The ranked watchlist
# Levels per the four-tier response (red I national ... blue IV county).

# %%
varieties = watchlist[watchlist["entity"] == "variety"].sort_values("rank")
counts = varieties["warning_level"].map(lambda x: NAMES[int(x)][0]).value_counts()
print(counts.to_string())
varieties.head(10)[["rank", "variety_id", "risk", "warning_level", "response_tier", "drivers"]]

# %% [markdown]
# ## One variety: the most severe warning, highest risk first

# %%
warned = varieties[varieties["warning_level"] > 0]
pick = (warned if len(warned) else varieties).sort_values(["warning_level", "rank"]).iloc[0]
vid = pick["variety_id"]
en, zh = NAMES[int(pick["warning_level"])]
print(f"{vid}: risk {pick['risk']:.2f}, {en} / {zh}, response tier {pick['response_tier']}")
print("drivers:", pick["drivers"] or "(none above the base rate)")
info = panel["varieties"][panel["varieties"]["variety_id"] == vid]
info

# %% [markdown]
# ## Its series: production, sales and inventory against the declared safety line

# %%
known = as_known_at(panel, month)
reports = known.get("monthly_reports")
if reports is not None:
    series = (reports[reports["variety_id"] == vid]
              .groupby("month")[["production", "sales", "inventory", "safety_stock"]].sum(min_count=1))
    fig = go.Figure()
    for column in series.columns:
        fig.add_trace(go.Scatter(x=series.index.astype(str), y=series[column], name=column,
                                 line={"dash": "dot"} if column == "safety_stock" else None))
    fig.update_layout(title=f"{vid}: supply series (known by the end of {month})", height=350)
    print(series.tail(6).to_string())

# %% [markdown]
# ## Its suspensions (as known at the as-of month)

# %%
suspensions = known.get("suspensions")
if suspensions is not None:
    timeline = suspensions[suspensions["variety_id"] == vid].sort_values("start_month")
    print(timeline.to_string(index=False) if len(timeline) else "no suspensions filed")

# %% [markdown]
# ## How its features moved over the last 12 months

# %%
features = build_features(known, months=pd.period_range(month - 11, month, freq="M")).variety
mine = features[features["variety_id"] == vid].set_index("month")
watch = ["months_of_supply", "suspended_share", "producers_active", "api_stock_months_min", "delivery_ratio",
         "institution_reports_recent", "shortages_last_12m"]
mine[[c for c in watch if c in mine]].round(2)

# %% [markdown]
# ## Enterprises behind it

# %%
enterprises = watchlist[(watchlist["entity"] == "enterprise") & (watchlist["variety_id"] == vid)]
enterprises[["enterprise_id", "risk", "warning_level", "drivers"]]
