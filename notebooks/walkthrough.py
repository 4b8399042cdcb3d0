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
# # Analyst walkthrough: why is this variety warned, what comes next, and what if a supplier stops?
#
# A monthly run folder as `shortage demo --out DIR` writes it (`panel/`, `watchlist-YYYY-MM.csv`,
# `store.db`, `mlflow.db`). Set `SHORTAGE_RUN` to that folder (absolute, or with `~`); the default is
# `~/shortage-demo`. Charts are shown here and saved as PNG under `$SHORTAGE_RUN/walkthrough/`.
# Run it from any folder (docs/report.md, "The analyst notebook"):
#
# ```
# pip install -e ".[notebook]"
# shortage demo --out ~/shortage-demo
# SHORTAGE_RUN=~/shortage-demo jupytext --to ipynb --execute -o ~/walkthrough.ipynb \
#     /path/to/repo/notebooks/walkthrough.py
# ```

# %%
import os
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from shortage_radar import read_panel
from shortage_radar.contract.suspension_reasons import reason_words
from shortage_radar.features import as_known_at, build_features
from shortage_radar.models.dataset import model_tables
from shortage_radar.models.policy import NAMES, impact_points, warning_policy
from shortage_radar.models.settings import model_config

RUN = Path(os.environ.get("SHORTAGE_RUN", "~/shortage-demo")).expanduser().resolve()
if not (RUN / "panel").is_dir():
    raise SystemExit(f"{RUN} holds no run: write one with `shortage demo --out {RUN}` or set SHORTAGE_RUN")
OUT = RUN / "walkthrough"
OUT.mkdir(exist_ok=True)
panel = read_panel(RUN / "panel")
watchlist_file = sorted(RUN.glob("watchlist-*.csv"))[-1]
watchlist = pd.read_csv(watchlist_file, keep_default_na=False, dtype={"enterprise_id": str})
month = pd.Period(watchlist["month"].iloc[0], freq="M")
print(f"run {RUN}: as of {month}, {len(watchlist):,} watchlist rows; charts saved to {OUT}")


def save(fig, name: str) -> Path:
    """Save the chart beside the run (absolute path) and show it."""
    path = OUT / f"{name}.png"
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.show()
    print(f"saved {path}")
    return path


# %% [markdown]
# ## The ranked watchlist
# Levels follow the four-tier graded response (red I national ... blue IV county). Varieties already in
# shortage (`ongoing`) are scored but their onset risk is not what matters: they are listed apart.

# %%
varieties = watchlist[watchlist["entity"] == "variety"].sort_values("rank")
varieties = varieties.assign(ongoing=varieties["ongoing"].astype(str).str.lower().isin(["true", "1"]))
print(varieties["warning_level"].map(lambda x: NAMES[int(x)][0]).value_counts().to_string())
print(f"in shortage now: {int(varieties['ongoing'].sum())} varieties")
ranking = varieties[~varieties["ongoing"]]
ranking.head(10)[["rank", "variety_id", "risk", "warning_level", "response_tier", "drivers"]]

# %% [markdown]
# ## One variety: the most severe warning, highest risk first

# %%
warned = ranking[ranking["warning_level"] > 0]
pick = (warned if len(warned) else ranking).sort_values(["warning_level", "rank"]).iloc[0]
vid = pick["variety_id"]
en, zh = NAMES[int(pick["warning_level"])]
info = panel["varieties"].set_index("variety_id").loc[vid]
print(f"{vid} {info['generic_name']} ({info['dosage_form']}): risk {pick['risk']:.3f}, {en} / {zh}, "
      f"response tier {pick['response_tier']}")
print("drivers:", pick["drivers"] or "(none above the base rate)")
if "drivers_zh" in pick and pick["drivers_zh"]:
    print("驱动因素:", pick["drivers_zh"])

# %% [markdown]
# ## The level logic: risk thresholds and impact points
# The level is the most severe rule whose risk **and** impact thresholds the row meets
# (`configs/warning_policy.yaml`). Impact points count the national lists, essential status,
# provinces reporting shortages and few producers, from the features as known at the month.

# %%
policy = warning_policy()
rules = pd.DataFrame([{"level": r.level, "name": NAMES[r.level][0], "min_risk": r.min_risk,
                       "min_impact": r.min_impact} for r in sorted(policy.levels, key=lambda r: r.level)])
known = as_known_at(panel, month)
cfg = model_config()
tables = model_tables(known, cfg, build_features(known, months=[month]))
row = tables.variety[(tables.variety["variety_id"] == vid) & (tables.variety["month"] == month)]
impact = int(impact_points(row, policy.impact)[0])
if "impact" in pick and str(pick["impact"]) != "":
    assert int(float(pick["impact"])) == impact, "the watchlist's impact is the policy's impact points"
rules["risk met"] = pick["risk"] >= rules["min_risk"]
rules["impact met"] = impact >= rules["min_impact"]
print(f"{vid}: risk {pick['risk']:.3f}, impact points {impact}")
if "level_reason" in pick and pick["level_reason"]:
    print("level reason:", pick["level_reason"])
rules

# %% [markdown]
# ## Its supply and the forecasts: sales, production and inventory against the safety line
# History as known by the end of the month; forecasts from the same models the report uses
# (`models/forecasting.py`), with their 80% band; the last declared safety line carried forward.

# %%
from shortage_radar.report.series import compute_forecasts, volume_history  # noqa: E402

horizon = 6
history = volume_history(known, month - 23, month)
history = history[history["variety_id"] == vid].sort_values("month")
forecasts = compute_forecasts(panel, month, [vid], horizon)
fig, axes = plt.subplots(3, 1, figsize=(9, 7.5), sharex=True)
for ax, series in zip(axes, ("sales", "production", "inventory"), strict=True):
    x = history["month"].dt.to_timestamp()
    ax.plot(x, history[series], marker=".", label=series)
    fc = forecasts[forecasts["series"] == series].sort_values("target_month")
    if len(fc):
        fx = pd.PeriodIndex(fc["target_month"], freq="M").to_timestamp()
        ax.plot(fx, fc["mean"], linestyle="--", label=f"{series} forecast")
        ax.fill_between(fx, fc["lo_80"], fc["hi_80"], alpha=0.25, label="80% interval")
    if series == "inventory" and history["safety_stock"].notna().any():
        line = history["safety_stock"].ffill()
        ahead = pd.period_range(month, month + horizon, freq="M").to_timestamp()
        ax.step(x, line, where="post", color="red", linestyle=":", label="safety line")
        ax.step(ahead, [line.iloc[-1]] * len(ahead), where="post", color="red", linestyle=":", alpha=0.5)
    ax.axvline(month.to_timestamp(), color="grey", linewidth=0.8)
    ax.set_ylabel(series)
    ax.legend(loc="upper left", fontsize=8)
axes[0].set_title(f"{vid} {info['generic_name']} ({info['dosage_form']}): known by the end of {month}, forecast "
                  f"{horizon} months")
save(fig, f"{vid}-supply")
forecasts.head(6)

# %% [markdown]
# ## Its suspensions (as known at the as-of month), reasons in words

# %%
suspensions = known.get("suspensions")
if suspensions is not None:
    timeline = suspensions[suspensions["variety_id"] == vid].sort_values("start_month")
    timeline = timeline.assign(reason=timeline["reason"].map(lambda r: f"{reason_words(r)} / {reason_words(r, 'zh')}"))
    print(timeline.to_string(index=False) if len(timeline) else "no suspensions filed")

# %% [markdown]
# ## Its risk over past runs (the score store)

# %%
from shortage_radar.store import open_store  # noqa: E402

store = open_store(f"sqlite:///{RUN / 'store.db'}")
trend = store.variety_history(vid)
fig, ax = plt.subplots(figsize=(8, 2.8))
ax.plot(trend["month"].astype(str), trend["risk"], marker="o")
ax.set_ylim(0, 1)
ax.set_ylabel("risk")
ax.set_title(f"{vid}: risk in each month's current run")
save(fig, f"{vid}-trend")
trend

# %% [markdown]
# ## How its features moved over the last 12 months

# %%
features = build_features(known, months=pd.period_range(month - 11, month, freq="M")).variety
mine = features[features["variety_id"] == vid].set_index("month")
watch = ["months_of_supply", "suspended_share", "producers_active", "api_stock_months_min", "delivery_ratio",
         "institution_reports_recent", "shortages_last_12m"]
mine[[c for c in watch if c in mine]].round(2)

# %% [markdown]
# ## What if a supplier stops for 3 months?
# The supplier: the enterprise (not suspended now) that is the only producer of the most varieties this month,
# a single point of failure. With the what-if library (`models.whatif.what_if`, issue 20) in this checkout,
# it answers; without it, the notebook does the same computation by hand and says so: a **re-score of a
# modified panel through the library** (the champion model, the panel as known at the month plus one added
# suspension of every variety the enterprise makes, reported this month). Nothing is written to the store.

# %%
from shortage_radar.contract.panel import Panel  # noqa: E402
from shortage_radar.models.monthly import score_month  # noqa: E402
from shortage_radar.models.registry import load_champion, mlflow_config, use_tracking  # noqa: E402

try:
    from shortage_radar.models.whatif import Scenario, what_if
except ImportError:  # a checkout without the what-if library
    what_if = None

reports = known["monthly_reports"]
now = reports.loc[reports["month"] == month, ["enterprise_id", "variety_id"]].astype(str).drop_duplicates()
running = known["suspensions"] if "suspensions" in known else None
open_ = running.loc[running["actual_end_month"].isna(), "enterprise_id"] if running is not None else []
stopped = {str(e) for e in open_}
sole = now[now.groupby("variety_id")["enterprise_id"].transform("size") == 1]
candidates = sole[~sole["enterprise_id"].isin(stopped)]["enterprise_id"].value_counts()
producer = candidates.index[0] if len(candidates) else now["enterprise_id"].value_counts().index[0]
its_varieties = sorted(now.loc[now["enterprise_id"] == producer, "variety_id"])
print(f"{producer}: makes {len(its_varieties)} varieties, sole producer of {int(candidates.get(producer, 0))}")

use_tracking(f"sqlite:///{RUN / 'mlflow.db'}")
variety_model, _ = load_champion(mlflow_config().variety_model)


def rescored(producer: str, months: int = 3) -> pd.DataFrame:
    """RE-SCORE OF A MODIFIED PANEL (by hand, for a checkout without models.whatif): risk before and after."""
    added = pd.DataFrame({"enterprise_id": producer, "variety_id": its_varieties, "start_month": month,
                          "reported_month": month, "expected_end_month": month + months,
                          "actual_end_month": pd.NaT, "reason": "other"})
    base = running if running is not None else added.iloc[:0]
    added = added.astype(base.dtypes.to_dict())
    tables = dict(known.tables, suspensions=pd.concat([base, added], ignore_index=True))
    changed = Panel(source=known.source, tables=tables, quarantine=known.quarantine, results=known.results)
    keys = ["variety_id", "risk", "warning_level", "drivers"]
    before = score_month(known, month, variety_model, None, policy, cfg)[keys]
    after = score_month(changed, month, variety_model, None, policy, cfg)[keys]
    both = before.merge(after, on="variety_id", suffixes=("_before", "_after"))
    both = both.rename(columns={"warning_level_before": "level_before", "warning_level_after": "level_after"})
    return both[both["variety_id"].isin(its_varieties)].sort_values("risk_after", ascending=False)


if what_if is not None:
    whatif, how = what_if(panel, month, variety_model, policy, cfg, Scenario("suspend", producer, 3)), "what_if"
else:
    whatif, how = rescored(producer), "re-score of a modified panel"
severity = {0: 0, 4: 1, 3: 2, 2: 3, 1: 4}
raised = int((whatif["level_after"].map(severity) > whatif["level_before"].map(severity)).sum())
print(f"what-if ({how}): {producer} suspends {len(its_varieties)} varieties for 3 months from {month}: mean risk "
      f"{whatif['risk_before'].mean():.3f} -> {whatif['risk_after'].mean():.3f}; levels raised: {raised}")
fig, ax = plt.subplots(figsize=(8, 0.4 * len(whatif) + 1.2))
ax.barh(whatif["variety_id"], whatif["risk_after"], color="#ff8c00", label="after")
ax.barh(whatif["variety_id"], whatif["risk_before"], color="#1f77b4", label="before")
ax.set_xlim(0, 1)
ax.set_xlabel("risk")
ax.set_title(f"what if {producer} suspends for 3 months")
ax.legend()
save(fig, f"whatif-{producer}")
whatif[["variety_id", "risk_before", "risk_after", "level_before", "level_after", "drivers_after"]]

# %% [markdown]
# ## Enterprises behind the picked variety

# %%
pairs = watchlist[(watchlist["entity"] == "enterprise") & (watchlist["variety_id"] == vid)]
pairs[["enterprise_id", "risk", "warning_level", "drivers"]]
