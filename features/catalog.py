"""Every feature's name, meaning, source table, when it becomes known, and how to say it in words.

This registry is the single source of docs/features.md (``python -m shortage_radar.features.catalog``
regenerates it) and of the words used to explain scores. A test keeps code, registry and doc in step.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from shortage_radar.contract.settings import contract_config

END_OF_T = "end of t"
VARIETY_PREFIX = "variety_"  # pair rows carry their variety's features under this prefix


@dataclass(frozen=True)
class Feature:
    name: str
    levels: str        # "variety", "pair" or "both"
    family: str
    source: str
    meaning: str
    phrase: str        # words for a driver; {v} is the value
    known: str = END_OF_T


_R = "monthly_reports"
_S = "suspensions (from reported_month; actual_end_month only from that month on)"
_E = "shortage_events (from start_month; end_month only from that month on)"
_EPISODES = " [report-only panels, episode_features on]"  # configs/features.yaml episode_features (default off)
_ONLY = " [report-only panels]"  # built when configs/features.yaml report_features says so (default: no
# monthly_reports)

_BASE: tuple[Feature, ...] = (
    Feature("on_shortage_list", "variety", "static", "varieties", "on the national shortage list (1/0)",
            "on the national shortage list", "always"),
    Feature("on_key_monitoring_list", "variety", "static", "varieties", "on the key monitoring list (1/0)",
            "on the key monitoring list", "always"),
    Feature("essential", "variety", "static", "varieties", "essential medicine (1/0)", "essential medicine",
            "always"),
    Feature("vbp_batch", "variety", "procurement", "varieties, monthly_reports",
            "centralized-procurement batch, shown only from the first month with contracted volumes (the "
            "varieties table has no date, so the batch alone would reveal a later selection)",
            "procured centrally (batch {v:.0f})"),
    Feature("production_level", "both", "supply", _R, "mean production over the last 3 months",
            "production {v:,.0f} units/month"),
    Feature("production_trend", "both", "supply", _R, "last 3 months' production over the 3 before, minus 1",
            "production {v:+.0%} vs the previous 3 months"),
    Feature("production_volatility", "both", "supply", _R, "coefficient of variation of production, 6 months",
            "production volatile (CV {v:.2f})"),
    Feature("capacity_use", "both", "supply", _R, "production over capacity, last 3 months",
            "capacity use {v:.0%}"),
    Feature("production_minus_sales", "both", "supply", _R, "(production - sales) / sales, last 3 months",
            "production {v:+.0%} vs sales"),
    Feature("months_of_supply", "both", "supply", _R, "inventory over mean sales of the last 3 months",
            "stock cover {v:.1f} months"),
    Feature("months_of_supply_change", "both", "supply", _R, "change of months of supply over 3 months",
            "stock cover {v:+.1f} months in 3 months"),
    Feature("months_of_supply_vs_usual", "both", "supply", _R,
            "months of supply over its mean of the 12 months before t (stocking habits differ)",
            "stock cover at {v:.0%} of its usual level"),
    Feature("safety_gap", "both", "supply", _R, "(inventory - declared safety stock) / safety stock",
            "stock {v:+.0%} vs the safety line"),
    Feature("producers_below_safety", "variety", "supply", _R, "producers whose inventory is below their safety line",
            "{v:.0f} producers below their safety line"),
    Feature("api_stock_months", "pair", "supply", _R, "months of active ingredient on hand",
            "{v:.1f} months of API on hand"),
    Feature("api_stock_months_min", "variety", "supply", _R, "lowest API stock among producers, in months",
            "lowest API stock {v:.1f} months"),
    Feature("api_stock_change", "both", "supply", _R, "change of API months on hand over 3 months (variety: lowest)",
            "API stock {v:+.1f} months in 3 months"),
    Feature("api_low_share", "variety", "supply", _R,
            "share of recent production made by producers reporting < 1 month of API (of those reporting API)",
            "{v:.0%} of output from producers low on API"),
    Feature("producers_active", "variety", "supply", _R, "producers with production in the last 12 months",
            "{v:.0f} active producers"),
    Feature("top_producer_share", "variety", "supply", _R, "largest producer's share of 12-month production",
            "largest producer makes {v:.0%}"),
    Feature("producer_hhi", "variety", "supply", _R, "Herfindahl index of producers' 12-month production",
            "supply concentrated (HHI {v:.2f})"),
    Feature("data_doubtful", "both", "audit", _R + " (audit, docs/audit.md)",
            "a report at t had a figure the audit finds implausible with high severity (1/0); the figure is "
            "blanked, not used as true", "data doubtful this month (an implausible figure was set aside)"),
    Feature("months_since_report", "pair", "audit", _R + " (filed by the deadline)",
            "months since the pair's last report filed by its deadline (0 = reported at t)",
            "last report {v:.0f} months ago"),
    Feature("producers_not_reporting_share", "variety", "audit", _R + " (filed by the deadline)",
            "share of the producers that reported in t or the 3 months before that did not report at t",
            "{v:.0%} of its producers did not report"),
    Feature("producers_suspended", "variety", "suspensions", _S, "producers with an open suspension",
            "{v:.0f} producers suspended"),
    Feature("suspended_share", "variety", "suspensions", _S, "share of 12-month production from suspended producers",
            "suspended producers make {v:.0%} of supply"),
    Feature("suspensions_announced", "variety", "suspensions", _S, "suspensions filed for a later start",
            "{v:.0f} suspensions announced"),
    Feature("suspension_time_vs_expected", "both", "suspensions", _S,
            "months suspended over the expected length (longest open one)", "suspended {v:.1f}x the expected time"),
    Feature("months_since_suspension_report", "variety", "suspensions", _S, "months since a suspension was filed",
            "suspension filed {v:.0f} months ago"),
    Feature("suspension_open", "pair", "suspensions", _S, "the producer has an open suspension (1/0)",
            "suspended"),
    Feature("suspension_announced", "pair", "suspensions", _S, "a suspension is filed for a later start (1/0)",
            "suspension announced"),
    Feature("suspension_reported_now", "pair", "suspensions", _S, "a suspension was filed this month (1/0)",
            "suspension filed this month"),
    Feature("ex_factory_price_min", "variety", "price", _R, "lowest ex-factory price among producers",
            "ex-factory price {v:.2f} CNY"),
    Feature("purchase_price", "variety", "price", "procurement", "volume-weighted purchase price",
            "purchase price {v:.2f} CNY"),
    Feature("price_relative_to_class", "variety", "price", "procurement, monthly_reports",
            "price over the median of its therapeutic class (low price is a known risk)",
            "price {v:.2f}x its class median"),
    Feature("ex_factory_price_change", "variety", "price", _R, "ex-factory price change over 3 months",
            "ex-factory price {v:+.0%} in 3 months"),
    Feature("ex_factory_price_change_year", "variety", "price", _R, "ex-factory price change over 12 months",
            "ex-factory price {v:+.0%} in a year"),
    Feature("purchase_price_change", "variety", "price", "procurement", "purchase price change over 3 months",
            "purchase price {v:+.0%} in 3 months"),
    Feature("purchase_price_change_year", "variety", "price", "procurement", "purchase price change over 12 months",
            "purchase price {v:+.0%} in a year"),
    Feature("price_vs_variety_min", "pair", "price", _R, "producer's price over the variety's lowest",
            "price {v:.2f}x the lowest producer's"),
    Feature("delivery_ratio", "both", "procurement", _R, "delivered / contracted volume, last 3 months",
            "delivered {v:.0%} of the contracted volume"),
    Feature("delivery_ratio_change", "both", "procurement", _R, "change of the delivery ratio over 3 months",
            "delivery ratio {v:+.0%} in 3 months"),
    Feature("months_since_selection", "both", "procurement", _R, "months since contracted volumes first appeared",
            "{v:.0f} months since centralized procurement"),
    Feature("price_vs_before_selection", "both", "procurement", _R,
            "ex-factory price now over the 6 months before selection", "price {v:.0%} of the pre-procurement level"),
    Feature("sales_trend", "variety", "demand", _R, "sales of the last 3 months over the 3 before, minus 1",
            "sales {v:+.0%} vs the previous 3 months"),
    Feature("sales_vs_last_year", "variety", "demand", _R, "sales of the last 3 months vs a year earlier",
            "sales {v:+.0%} vs last year"),
    Feature("sales_vs_usual", "variety", "demand", _R, "sales at t over their mean of the 12 months before",
            "sales at {v:.0%} of their usual level"),
    Feature("sales_season_ahead", "variety", "demand", _R,
            "last year's sales of the coming 3 months over last year's current 3", "season ahead {v:+.0%}"),
    Feature("purchases_trend", "variety", "demand", "procurement", "purchases of the last 3 months over the 3 before",
            "purchases {v:+.0%} vs the previous 3 months"),
    Feature("purchases_vs_last_year", "variety", "demand", "procurement", "purchases vs a year earlier",
            "purchases {v:+.0%} vs last year"),
    Feature("purchases_season_ahead", "variety", "demand", "procurement",
            "last year's purchases of the coming 3 months over last year's current 3",
            "purchase season ahead {v:+.0%}"),
    Feature("institution_reports", "variety", "demand", "institution_reports", "institutions reporting it short",
            "{v:.0f} institutions report it short"),
    Feature("institution_reports_recent", "variety", "demand", "institution_reports",
            "institution shortage reports, last 3 months", "{v:.0f} institution reports in 3 months"),
    Feature("institution_reports_trend", "variety", "demand", "institution_reports",
            "institution reports of the last 3 months minus the 3 before", "institution reports {v:+.0f} vs before"),
    Feature("institution_reports_vs_usual", "variety", "demand", "institution_reports",
            "(reports at t + 1) over (their mean of the 12 months before + 1)",
            "institution reports at {v:.1f}x their usual level"),
    Feature("provinces_reporting", "variety", "demand", "institution_reports", "provinces with institution reports",
            "{v:.0f} provinces report it short"),
    Feature("provinces_reporting_recent", "variety", "demand", "institution_reports",
            "mean provinces reporting, last 3 months", "{v:.1f} provinces reporting on average"),
    Feature("shortage_ongoing", "variety", "history", _E, "a shortage is ongoing (1/0)", "shortage ongoing"),
    Feature("months_since_shortage", "variety", "history", _E, "months since the last shortage began",
            "last shortage {v:.0f} months ago"),
    Feature("shared_producer_shortages_last_12m", "variety", "history", _E,
            "shortages in 12 months at other varieties of its producers", "{v:.0f} recent shortages at its producers"),
    Feature("months_since_shortage_end", "variety", "history", _E,
            "months since its last shortage ended" + _ONLY, "last shortage ended {v:.0f} months ago"),
    Feature("ingredient_shortages_last_12m", "variety", "peers", _E + ", varieties.generic_name",
            "onsets in 12 months at other dosage forms of the same generic name" + _ONLY,
            "{v:.0f} shortages of other forms of its ingredient in 12 months"),
    Feature("ingredient_shortage_ongoing", "variety", "peers", _E + ", varieties.generic_name",
            "other dosage forms of the same generic name in shortage now" + _ONLY,
            "{v:.0f} other forms of its ingredient short now"),
    Feature("form_shortages_last_12m", "variety", "peers", _E + ", varieties.dosage_form",
            "onsets in 12 months at other varieties of the same dosage form" + _ONLY,
            "{v:.0f} shortages of its dosage form in 12 months"),
    Feature("producers_known", "variety", "reporting", "monthly_reports, suspensions",
            "enterprises known to make it (a report or a filed suspension by t)" + _ONLY,
            "{v:.0f} producers known"),
    Feature("filings_last_12m", "variety", "reporting", _S, "suspension (shortage) reports filed in 12 months" + _ONLY,
            "{v:.0f} reports filed in 12 months"),
    Feature("discontinuations_last_12m", "variety", "reporting", _S,
            "discontinuations filed in 12 months (suspensions with reason discontinued)" + _ONLY,
            "{v:.0f} discontinuations filed in 12 months"),
    Feature("producer_filings_last_12m", "variety", "reporting", _S,
            "reports filed in 12 months by its producers for their other varieties" + _ONLY,
            "its producers filed {v:.0f} reports elsewhere in 12 months"),
    Feature("shortages_so_far", "variety", "episodes", _E, "its shortages (onsets) since the panel began" + _EPISODES,
            "{v:.0f} shortages so far"),
    Feature("shortage_months_last_24m", "variety", "episodes", _E, "months in shortage in the last 24" + _EPISODES,
            "{v:.0f} of the last 24 months in shortage"),
    Feature("last_shortage_months", "variety", "episodes", _E,
            "length in months of its latest ended shortage" + _EPISODES, "its last shortage lasted {v:.0f} months"),
    Feature("ingredient_shortages_so_far", "variety", "episodes", _E + ", varieties.generic_name",
            "onsets so far at other dosage forms of the same generic name" + _EPISODES,
            "{v:.0f} shortages so far of other forms of its ingredient"),
    Feature("producers_unaffected", "variety", "reporting", "monthly_reports, suspensions",
            "producers known minus those with an open suspension" + _EPISODES, "{v:.0f} producers not suspended"),
    Feature("producer_filings_so_far", "variety", "reporting", _S,
            "reports filed so far by its producers for their other varieties" + _EPISODES,
            "its producers filed {v:.0f} reports elsewhere so far"),
    Feature("months_since_disruption", "pair", "history", "supply_disruptions", "months since its last disruption",
            "last disruption {v:.0f} months ago"),
    Feature("disruptions_last_12m", "pair", "history", "supply_disruptions", "its disruptions in the last 12 months",
            "{v:.0f} disruptions in 12 months"),
    Feature("disruptions_last_24m", "pair", "history", "supply_disruptions", "its disruptions in the last 24 months",
            "{v:.0f} disruptions in 24 months"),
    Feature("months_known", "pair", "static", "monthly_reports, suspensions", "months since the pair was first seen",
            "reporting for {v:.0f} months"),
    Feature("is_reserve", "pair", "static", "enterprises", "the enterprise is a key reserve enterprise (1/0)",
            "reserve enterprise", "always"),
)


def _reasons() -> tuple[Feature, ...]:
    return tuple(Feature(f"suspended_{r}", "both", "suspensions", _S,
                         f"producers with an open suspension for {r} (pair: 1/0)",
                         f"{{v:.0f}} suspended ({r})") for r in contract_config().suspension_reasons)


def _windows() -> tuple[Feature, ...]:
    out = []
    for w in (12, 24, 60):
        out.append(Feature(f"shortages_last_{w}m", "variety", "history", _E, f"its shortage onsets in {w} months",
                           f"{{v:.0f}} shortages in {w} months"))
        out.append(Feature(f"class_shortages_last_{w}m", "variety", "history", _E,
                           f"onsets at other varieties of its therapeutic class in {w} months",
                           f"{{v:.0f}} shortages in its class in {w} months"))
    return tuple(out)


def _projections() -> tuple[Feature, ...]:
    src = "monthly_reports (Holt projection, features/projection.py)"
    out = [Feature(f"projected_months_of_supply_{k}m", "both", "forecast", src,
                   f"projected stock over projected sales {k} month(s) ahead",
                   f"projected cover {{v:.1f}} months in {k}m")
           for k in (1, 2, 3)]
    out.append(Feature("p_below_safety_3m", "both", "forecast", src,
                       "probability that projected stock falls below the safety line within 3 months",
                       "{v:.0%} chance of falling below the safety line within 3 months"))
    return tuple(out)


def catalog() -> dict[str, Feature]:
    return {f.name: f for f in (*_BASE, *_reasons(), *_windows(), *_projections())}


def describe(name: str, value: float) -> str:
    """A driver in words, e.g. ``stock cover 0.6 months``."""
    if name.startswith(VARIETY_PREFIX) and name not in catalog():
        return "variety: " + describe(name[len(VARIETY_PREFIX):], value)
    feature = catalog().get(name)
    if feature is None:
        return f"{name} = {value:.3g}"
    try:
        return feature.phrase.format(v=value)
    except (ValueError, TypeError):
        return f"{feature.phrase} ({value:.3g})"


def markdown() -> str:
    """docs/features.md."""
    lines = ["# Features", "",
             "Generated by `python -m shortage_radar.features.catalog > docs/features.md` from "
             "`features/catalog.py`; a test keeps it in step with the code.", "",
             "Every value in a row for month t uses only data known by the end of t: monthly reports, purchases "
             "and institution reports of months <= t; suspensions from their `reported_month` (an "
             "`actual_end_month` only from that month on); shortage events from their `start_month` (an "
             "`end_month` only from that month on). A pair's missing report is carried forward from its "
             "last report for at most `carry_forward_months` (configs/features.yaml). A table that is absent "
             "leaves its features empty (NaN), never an error. Windows: levels and trends over 3 months, "
             "volatility over 6, market shares over 12 (configs/features.yaml).", "",
             "Features marked [report-only panels] are built when `report_features` (configs/features.yaml) "
             "says so: by default for panels without `monthly_reports`, such as the public shortage records "
             "of [real-data.md](real-data.md), where they carry most of the signal; on the demo panel the "
             "supply features say more and these only add noise.", "",
             "Levels: `variety` rows (one per variety and month) and `pair` rows (one per enterprise-variety "
             "pair and month, from the month the pair is first seen).", ""]
    family = None
    for f in sorted(catalog().values(), key=lambda f: (f.family, f.name)):
        if f.family != family:
            family = f.family
            lines += ["", f"## {family}", "", "| name | level | meaning | source | known from | in words |",
                      "|---|---|---|---|---|---|"]
        lines.append(f"| `{f.name}` | {f.levels} | {f.meaning} | {f.source} | {f.known} | {f.phrase} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown())
