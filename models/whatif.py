"""What-if: re-score varieties from the champion models with a scenario applied to the panel as known at a month.

Scenarios: an enterprise suspends production for N months (a suspension row filed at the month), an active
ingredient runs short (every producer of varieties with that generic name reports little API at the month),
demand for a variety surges (its sales and purchases at the month rise by a percentage, stock falls by the
extra sales). Nothing is written anywhere.

Many scenarios are scored in one feature build: the affected varieties are copied once per scenario under
new ids (``V0001@@3``) into a small panel of copies, with one unchanged copy of each (``@@base``). Entity
features of a copy depend only on its own rows (features/build.py) and the cross-variety ones are filled
from the whole panel's aggregates (features/cross.py), so each copy gets the features the whole panel with
that one scenario would give. Feeds a scenario never changes (procurement and institution reports, except
for a demand surge) are left out of the copies; wherever the unchanged copy differs from the whole panel
(those feeds), the whole panel's value is used. A test checks this against a full rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
import pandas as pd

from shortage_radar.config import FrozenModel, load_config
from shortage_radar.contract.panel import Panel
from shortage_radar.errors import ArgumentError
from shortage_radar.features import FeatureSet, as_known_at
from shortage_radar.features import cross
from shortage_radar.features.build import entity_features
from shortage_radar.features.grid import panel_months
from shortage_radar.features.settings import FeatureConfig, feature_config
from shortage_radar.models.dataset import model_tables
from shortage_radar.models.policy import WarningPolicy
from shortage_radar.models.risk import RiskModel
from shortage_radar.models.scoring import unranked_rows
from shortage_radar.models.settings import ModelConfig

SEP = "@@"
BASE = "base"
HEAVY = ("procurement", "institution_reports")  # copied only for demand surges, the one scenario that changes them
OUTPUT = ["variety_id", "generic_name", "dosage_form", "risk_before", "risk_after", "level_before", "level_after",
          "drivers_after", "drivers_after_zh", "level_reason_after"]


class WhatIfConfig(FrozenModel):
    suspend_months: int
    suspension_reason: str
    api_shortage_months: float
    critical_levels: tuple[int, ...]


@lru_cache(maxsize=1)
def whatif_config() -> WhatIfConfig:
    """configs/whatif.yaml, read once."""
    return load_config("whatif", WhatIfConfig)


@dataclass(frozen=True)
class Scenario:
    """One change to the panel at the as-of month: ``suspend`` an enterprise, ``api_shortage`` of an ingredient,
    ``demand_surge`` of a variety by ``pct`` percent."""

    kind: Literal["suspend", "api_shortage", "demand_surge"]
    target: str
    months: int = 3
    pct: float = 0.0

    def describe(self) -> dict:
        """The scenario as the API and the output file show it."""
        if self.kind == "suspend":
            return {"suspend": self.target, "months": self.months}
        if self.kind == "api_shortage":
            return {"api_shortage": self.target}
        return {"demand_surge": {"variety_id": self.target, "pct": self.pct}}

    def label(self) -> str:
        if self.kind == "suspend":
            return f"suspend {self.target} for {self.months} months"
        if self.kind == "api_shortage":
            return f"API shortage of {self.target}"
        return f"demand for {self.target} {self.pct:+g}%"


@dataclass(frozen=True)
class _Lookup:
    """Who makes what and which varieties share a generic name, as known at the month (built once)."""

    by_enterprise: dict[str, list[str]]
    by_name: dict[str, list[str]]
    varieties: frozenset[str]

    @classmethod
    def of(cls, known: Panel) -> _Lookup:
        made = [known[t][["enterprise_id", "variety_id"]] for t in ("monthly_reports", "suspensions") if t in known]
        pairs = pd.concat(made).astype(str).drop_duplicates() if made else pd.DataFrame(
            columns=["enterprise_id", "variety_id"])
        varieties = known["varieties"]
        names = varieties["generic_name"].astype(str).str.strip().str.lower()
        ids = varieties["variety_id"].astype(str)
        return cls({e: sorted(g) for e, g in pairs.groupby("enterprise_id")["variety_id"]},
                   {n: sorted(g) for n, g in ids.groupby(names.to_numpy())}, frozenset(ids))


def affected_varieties(lookup: _Lookup, scenario: Scenario, month: pd.Period) -> list[str]:
    """The varieties a scenario touches; ArgumentError when it names nothing in the panel."""
    if scenario.kind == "suspend":
        found = lookup.by_enterprise.get(scenario.target, [])
        what = f"enterprise {scenario.target!r} has no report or suspension"
    elif scenario.kind == "api_shortage":
        found = lookup.by_name.get(scenario.target.strip().lower(), [])
        what = f"no variety has the generic name {scenario.target!r}"
    else:
        if scenario.pct <= -100:
            raise ArgumentError(f"what-if: a demand change of {scenario.pct:g}% must be above -100%")
        found = [scenario.target] if scenario.target in lookup.varieties else []
        what = f"variety {scenario.target!r} is not in the panel"
    if not found:
        raise ArgumentError(f"what-if: {what} by {month}")
    return list(found)


def _plan(affected: list[list[str]], scenarios: list[Scenario]) -> pd.DataFrame:
    """One row per copy to make: the variety, its tag, and its scenario's settings (the unchanged copies first)."""
    everything = sorted(set().union(*affected))
    rows = [(v, BASE, "", "", 0, 0.0) for v in everything]
    rows += [(v, str(i), s.kind, s.target, s.months, s.pct) for i, (s, vs) in enumerate(zip(scenarios, affected,
                                                                                             strict=True)) for v in vs]
    return pd.DataFrame(rows, columns=["variety_id", "tag", "kind", "target", "months", "pct"])


def _copies(known: Panel, plan: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every variety-keyed row once per copy in ``plan``, renamed ``<id>@@<tag>``, with the copy's settings."""
    heavy = (plan["kind"] == "demand_surge").any()
    out = {}
    for name, frame in known.tables.items():
        if name == "enterprises" or "variety_id" not in frame:
            continue
        wanted = plan if name not in HEAVY else plan[plan["variety_id"].isin(
            plan.loc[plan["kind"] == "demand_surge", "variety_id"])]
        if name in HEAVY and not heavy:
            continue
        keyed = frame.assign(_v=frame["variety_id"].astype(str))
        rows = keyed.merge(wanted.rename(columns={"variety_id": "_v"}), on="_v", how="inner")
        rows["variety_id"] = (rows["_v"] + SEP + rows["tag"]).astype(frame["variety_id"].dtype)
        out[name] = rows.drop(columns="_v")
    return out


def _suspend(tables: dict[str, pd.DataFrame], known: Panel, month: pd.Period, cfg: WhatIfConfig) -> None:
    """A suspension filed at the month for every pair of the suspended enterprise in a suspension copy."""
    reports = tables.get("monthly_reports")
    if reports is None:
        return
    mine = reports[(reports["kind"] == "suspend") & (reports["enterprise_id"].astype(str) == reports["target"])]
    pairs = mine[["enterprise_id", "variety_id", "months"]].drop_duplicates(["enterprise_id", "variety_id"])
    added = pd.DataFrame({"enterprise_id": pairs["enterprise_id"].to_numpy(),
                          "variety_id": pairs["variety_id"].to_numpy(),
                          "start_month": month, "reported_month": month,
                          "expected_end_month": [month + int(n) for n in pairs["months"]],
                          "actual_end_month": pd.Series([pd.NaT] * len(pairs), dtype="period[M]"),
                          "reason": cfg.suspension_reason})
    old = tables.get("suspensions")
    template = known.get("suspensions")
    if template is not None:
        added = added.astype({c: template[c].dtype for c in added.columns if c in template})
    merged = pd.concat([old[added.columns], added], ignore_index=True) if old is not None else added
    tables["suspensions"] = merged.drop_duplicates(["enterprise_id", "variety_id", "start_month"], keep="first")


def _changed(tables: dict[str, pd.DataFrame], known: Panel, month: pd.Period, cfg: WhatIfConfig) -> None:
    """Apply each copy's scenario to its rows (the copies tagged ``base`` stay as they are)."""
    _suspend(tables, known, month, cfg)
    reports = tables.get("monthly_reports")
    if reports is not None:
        at = reports["month"] == month
        api = at & (reports["kind"] == "api_shortage")
        if "api_stock_months" in reports:
            reports.loc[api, "api_stock_months"] = cfg.api_shortage_months
        surge = at & (reports["kind"] == "demand_surge")
        factor = 1.0 + reports.loc[surge, "pct"] / 100.0
        extra = reports.loc[surge, "sales"] * (factor - 1.0)
        reports.loc[surge, "sales"] = reports.loc[surge, "sales"] * factor
        reports.loc[surge, "inventory"] = (reports.loc[surge, "inventory"] - extra).clip(lower=0.0)
    purchases = tables.get("procurement")
    if purchases is not None:
        surge = (purchases["month"] == month) & (purchases["kind"] == "demand_surge")
        purchases.loc[surge, "purchase_volume"] *= 1.0 + purchases.loc[surge, "pct"] / 100.0


def _copies_panel(known: Panel, tables: dict[str, pd.DataFrame]) -> Panel:
    out = {"enterprises": known["enterprises"]} if "enterprises" in known else {}
    for name, frame in tables.items():
        out[name] = frame[[c for c in known[name].columns]].reset_index(drop=True)
    return Panel(source=known.source, tables=out, quarantine=known.quarantine, results=known.results)


@dataclass(frozen=True)
class _Baseline:
    known: Panel
    rows: pd.DataFrame            # the month's variety model rows of the whole panel, indexed by variety_id
    scored: pd.DataFrame          # their watchlist columns (risk, level, ...), indexed by variety_id
    context: cross.CrossContext
    grid: pd.PeriodIndex


def _grid(panel: Panel, known: Panel, month: pd.Period) -> pd.PeriodIndex:
    """The feature grid of the panel as known at ``month``; ArgumentError when the month is outside the panel."""
    try:
        grid = panel_months(known)
    except ValueError:
        grid = pd.PeriodIndex([], freq="M")
    if month not in grid:
        whole = panel_months(panel)
        raise ArgumentError(f"what-if: month {month} is outside the panel's months {whole[0]} .. {whole[-1]}")
    return grid


def _baseline(panel: Panel, month: pd.Period, model: RiskModel, policy: WarningPolicy, cfg: ModelConfig,
              fcfg: FeatureConfig) -> _Baseline:
    known = as_known_at(panel, month)
    grid = _grid(panel, known, month)
    parts = entity_features(known, [month], fcfg, grid)
    classes = cross.class_labels(known["varieties"])
    context = cross.combine([cross.partial(parts.variety, parts.pair, classes, fcfg)])
    features = FeatureSet(variety=cross.apply(parts.variety, parts.pair, classes, context, fcfg), pair=parts.pair)
    rows = model_tables(known, cfg, features).variety
    rows = rows[rows["month"] == month].reset_index(drop=True)
    scored = unranked_rows(model, rows, policy, cfg, with_drivers=False)
    return _Baseline(known, rows.set_index("variety_id", drop=False), scored.set_index("variety_id"), context, grid)


def _copy_features(base: _Baseline, copies: Panel, month: pd.Period, fcfg: FeatureConfig) -> pd.DataFrame:
    parts = entity_features(copies, [month], fcfg, base.grid)
    classes = cross.class_labels(copies["varieties"])
    return cross.apply(parts.variety, parts.pair, classes, base.context, fcfg).set_index("variety_id")


def _trusted(base: _Baseline, feats: pd.DataFrame, varieties: list[str]) -> pd.DataFrame:
    """Per variety and feature: the unchanged copy gives the whole panel's value (so its changed copy is right)."""
    columns = [c for c in feats.columns if c in base.rows and c != "month"
               and pd.api.types.is_numeric_dtype(feats[c])]
    whole = base.rows.loc[varieties, columns].to_numpy(dtype=float)
    copy = feats.reindex([v + SEP + BASE for v in varieties])[columns].to_numpy(dtype=float)
    same = np.isclose(whole, copy, rtol=1e-9, atol=1e-12) | (np.isnan(whole) & np.isnan(copy))
    return pd.DataFrame(same, index=varieties, columns=columns)


def _after_rows(base: _Baseline, feats: pd.DataFrame, plan: pd.DataFrame, trusted: pd.DataFrame) -> pd.DataFrame:
    """The whole panel's rows of the changed copies, with every feature a copy computes like the whole panel."""
    ids = plan["variety_id"].tolist()
    rows = base.rows.loc[ids].copy()
    copied = feats.reindex((plan["variety_id"] + SEP + plan["tag"]).tolist())
    columns = list(trusted.columns)
    ok = trusted.loc[ids, columns].to_numpy()
    rows[columns] = np.where(ok, copied[columns].to_numpy(dtype=float), rows[columns].to_numpy(dtype=float))
    return rows.reset_index(drop=True)


def run_scenarios(panel: Panel, month: pd.Period, model: RiskModel, policy: WarningPolicy, cfg: ModelConfig,
                  scenarios: list[Scenario], fcfg: FeatureConfig | None = None,
                  wcfg: WhatIfConfig | None = None) -> pd.DataFrame:
    """Per scenario and affected variety: risk and level before and after, drivers after (one feature build)."""
    fcfg, wcfg = fcfg or feature_config(), wcfg or whatif_config()
    base = _baseline(panel, month, model, policy, cfg, fcfg)
    lookup = _Lookup.of(base.known)
    affected = [affected_varieties(lookup, s, month) for s in scenarios]
    plan = _plan(affected, scenarios)
    tables = _copies(base.known, plan)
    _changed(tables, base.known, month, wcfg)
    feats = _copy_features(base, _copies_panel(base.known, tables), month, fcfg)
    trusted = _trusted(base, feats, sorted(set(plan["variety_id"])))
    changed = plan[plan["tag"] != BASE].reset_index(drop=True)
    scored = unranked_rows(model, _after_rows(base, feats, changed, trusted), policy, cfg, with_drivers=True)
    return _output(base, scenarios, affected, scored)


def _output(base: _Baseline, scenarios: list[Scenario], affected: list[list[str]],
            scored: pd.DataFrame) -> pd.DataFrame:
    index = [(i, v) for i, vs in enumerate(affected) for v in vs]
    ids = [v for _, v in index]
    names = base.known["varieties"].assign(variety_id=lambda f: f["variety_id"].astype(str)).set_index("variety_id")
    before = base.scored.loc[ids]
    out = pd.DataFrame({
        "scenario": [scenarios[i].label() for i, _ in index],
        "target": [scenarios[i].target for i, _ in index],
        "variety_id": ids,
        "generic_name": names.loc[ids, "generic_name"].astype(str).to_numpy(),
        "dosage_form": names.loc[ids, "dosage_form"].astype(str).to_numpy(),
        "producers": base.rows.loc[ids, "producers_active"].to_numpy(dtype=float)
        if "producers_active" in base.rows else np.nan,
        "risk_before": before["risk"].to_numpy(dtype=float),
        "risk_after": scored["risk"].to_numpy(dtype=float),
        "level_before": before["warning_level"].to_numpy(dtype=int),
        "level_after": scored["warning_level"].to_numpy(dtype=int),
        "drivers_after": scored["drivers"].to_numpy(),
        "drivers_after_zh": scored["drivers_zh"].to_numpy(),
        "level_reason_after": scored["level_reason"].to_numpy(),
    })
    return out


def what_if(panel: Panel, month: pd.Period, model: RiskModel, policy: WarningPolicy, cfg: ModelConfig,
            scenario: Scenario) -> pd.DataFrame:
    """One scenario: every affected variety, the largest rise in risk first."""
    out = run_scenarios(panel, month, model, policy, cfg, [scenario])
    out = out.assign(change=out["risk_after"] - out["risk_before"])
    return out.sort_values(["change", "variety_id"], ascending=[False, True], kind="stable").drop(
        columns=["scenario", "target", "change"]).reset_index(drop=True)


def supplier_criticality(panel: Panel, month: pd.Period, model: RiskModel, policy: WarningPolicy,
                         cfg: ModelConfig, months: int | None = None) -> pd.DataFrame:
    """Per enterprise, the varieties that would be orange or red if it suspended for ``months``, ranked.

    Enterprises rank by varieties newly orange or red, then by those orange or red at all, then by the largest
    rise in risk; rows of an enterprise by risk after. Enterprises that would turn nothing orange or red are left
    out.
    """
    wcfg = whatif_config()
    months = months or wcfg.suspend_months
    known = as_known_at(panel, month)
    reports = known.get("monthly_reports")
    if reports is None or not len(reports):
        raise ArgumentError("supplier criticality needs monthly_reports (who makes what)")
    enterprises = sorted(reports["enterprise_id"].astype(str).unique())
    scenarios = [Scenario("suspend", e, months) for e in enterprises]
    out = run_scenarios(panel, month, model, policy, cfg, scenarios)
    out = out.rename(columns={"target": "enterprise_id"})
    critical = list(wcfg.critical_levels)
    hit = out[out["level_after"].isin(critical)].copy()
    hit["newly"] = ~hit["level_before"].isin(critical)
    hit["rise"] = hit["risk_after"] - hit["risk_before"]
    per = hit.groupby("enterprise_id").agg(newly=("newly", "sum"), critical=("variety_id", "size"),
                                           rise=("rise", "max"))
    per = per.sort_values(["newly", "critical", "rise"], ascending=False, kind="stable")
    per["supplier_rank"] = np.arange(1, len(per) + 1)
    hit = hit.merge(per[["supplier_rank"]], left_on="enterprise_id", right_index=True).reset_index(drop=True)
    ent = known["enterprises"].assign(enterprise_id=lambda f: f["enterprise_id"].astype(str))
    hit = hit.merge(ent[["enterprise_id", "name", "province"]], on="enterprise_id", how="left")
    hit = hit.sort_values(["supplier_rank", "risk_after"], ascending=[True, False], kind="stable")
    columns = ["supplier_rank", "enterprise_id", "name", "province", "variety_id", "generic_name", "dosage_form",
               "producers", "risk_before", "risk_after", "level_before", "level_after", "newly", "drivers_after"]
    return hit[columns].reset_index(drop=True)
