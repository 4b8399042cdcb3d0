"""Drivers in causal words, English and Chinese, for every feature that can be a reason for a score.

A feature absent here (a plain level such as production volume or price, or the age of a series) is never
stated as a driver: a level says nothing about why the risk rose. Kinds decide when a value is worth saying and
how it is bounded (covers and shares never negative; a change that rounds to zero is not a change).
"""

from __future__ import annotations

from dataclasses import dataclass

from shortage_radar.contract.settings import contract_config


@dataclass(frozen=True)
class Words:
    """How to say one feature: ``kind`` (see :func:`phrase`), templates with {v} (value) or {a} (size of a change)."""

    kind: str
    en: str
    zh: str
    en_down: str = ""
    zh_down: str = ""


def _signed(en_up: str, zh_up: str, en_down: str, zh_down: str, pct: bool = True) -> Words:
    return Words("change_pct" if pct else "change", en_up, zh_up, en_down, zh_down)


_BASE: dict[str, Words] = {
    "on_shortage_list": Words(
        "flag", "on the national shortage list (shortages recur)", "列入国家短缺药品清单（易反复短缺）"
    ),
    "on_key_monitoring_list": Words("flag", "on the key monitoring list", "列入重点监测清单"),
    "essential": Words("flag", "essential medicine (demand cannot fall)", "基本药物（需求刚性）"),
    "vbp_batch": Words(
        "flag",
        "centrally procured (batch {v:.0f}): the low price squeezes supply",
        "国家集采（第{v:.0f}批）：低价挤压供应",
    ),
    "production_trend": _signed(
        "production rose {a:.0%} on the previous 3 months",
        "产量较前3个月上升{a:.0%}",
        "production fell {a:.0%} on the previous 3 months",
        "产量较前3个月下降{a:.0%}",
    ),
    "production_volatility": Words(
        "value", "production unstable (CV {v:.2f} over 6 months)", "产量波动大（6个月变异系数{v:.2f}）"
    ),
    "capacity_use": Words("share", "plants running at {v:.0%} of capacity", "产能利用率{v:.0%}"),
    "production_minus_sales": _signed(
        "production {a:.0%} above sales", "产量高于销量{a:.0%}", "production {a:.0%} below sales", "产量低于销量{a:.0%}"
    ),
    "months_of_supply": Words(
        "months", "stock covers only {v:.1f} months of sales", "库存仅够{v:.1f}个月销售", "no stock left", "库存已耗尽"
    ),
    "months_of_supply_change": _signed(
        "stock cover rose {a:.1f} months in 3 months",
        "库存可供月数3个月内增加{a:.1f}个月",
        "stock cover fell {a:.1f} months in 3 months",
        "库存可供月数3个月内减少{a:.1f}个月",
        pct=False,
    ),
    "months_of_supply_vs_usual": Words(
        "value",
        "stock cover at {v:.0%} of its usual level",
        "库存可供月数为常态的{v:.0%}",
        "no stock left",
        "库存已耗尽",
    ),
    "safety_gap": _signed(
        "stock only {a:.0%} above the safety line",
        "库存仅高于安全线{a:.0%}",
        "stock {a:.0%} below the safety line",
        "库存低于安全线{a:.0%}",
    ),
    "producers_below_safety": Words(
        "count", "{v:.0f} producers below their safety line", "{v:.0f}家企业库存低于安全线"
    ),
    "api_stock_months": Words(
        "months", "only {v:.1f} months of API on hand", "原料药仅够{v:.1f}个月", "out of API", "原料药已耗尽"
    ),
    "api_stock_months_min": Words(
        "months",
        "a producer has only {v:.1f} months of API",
        "有企业原料药仅够{v:.1f}个月",
        "a producer is out of API",
        "有企业原料药已耗尽",
    ),
    "api_stock_change": _signed(
        "API stock rose {a:.1f} months in 3 months",
        "原料药库存3个月内增加{a:.1f}个月",
        "API stock fell {a:.1f} months in 3 months",
        "原料药库存3个月内减少{a:.1f}个月",
        pct=False,
    ),
    "api_low_share": Words("share", "{v:.0%} of output from producers low on API", "{v:.0%}的产量来自原料药不足的企业"),
    "producers_active": Words("producers", "only {v:.0f} active producers", "仅{v:.0f}家企业在产"),
    "top_producer_share": Words("share", "largest producer makes {v:.0%} of supply", "最大企业占供应{v:.0%}"),
    "producer_hhi": Words("value", "supply concentrated (HHI {v:.2f})", "供应高度集中（HHI {v:.2f}）"),
    "producers_suspended": Words("count", "{v:.0f} producers suspended", "{v:.0f}家企业停产"),
    "suspended_share": Words("share", "suspended producers make {v:.0%} of supply", "停产企业占供应{v:.0%}"),
    "data_doubtful": Words("flag", "data doubtful: an implausible figure was set aside this month",
                           "数据存疑：本月有不合理数值被剔除"),
    "months_since_report": Words("value", "no report filed on time for {v:.0f} months", "已{v:.0f}个月未按时填报"),
    "producers_not_reporting_share": Words("share", "{v:.0%} of its producers did not report this month",
                                           "{v:.0%}的生产企业本月未填报"),
    "suspensions_announced": Words("count", "{v:.0f} suspensions announced", "已公告{v:.0f}起停产"),
    "suspension_time_vs_expected": Words(
        "value", "suspended {v:.1f}x the expected time", "停产时间已达预计的{v:.1f}倍"
    ),
    "months_since_suspension_report": Words("value", "suspension filed {v:.0f} months ago", "{v:.0f}个月前报告停产"),
    "suspension_open": Words("flag", "producer suspended", "企业停产中"),
    "suspension_announced": Words("flag", "suspension announced", "已公告停产"),
    "suspension_reported_now": Words("flag", "suspension filed this month", "本月报告停产"),
    "price_relative_to_class": Words(
        "value",
        "price {v:.2f}x its class median (low prices deter supply)",
        "价格为同类中位数的{v:.2f}倍（低价抑制供应）",
    ),
    "ex_factory_price_change": _signed(
        "ex-factory price rose {a:.0%} in 3 months",
        "出厂价3个月内上涨{a:.0%}",
        "ex-factory price fell {a:.0%} in 3 months",
        "出厂价3个月内下降{a:.0%}",
    ),
    "ex_factory_price_change_year": _signed(
        "ex-factory price rose {a:.0%} in a year",
        "出厂价一年内上涨{a:.0%}",
        "ex-factory price fell {a:.0%} in a year",
        "出厂价一年内下降{a:.0%}",
    ),
    "purchase_price_change": _signed(
        "purchase price rose {a:.0%} in 3 months",
        "采购价3个月内上涨{a:.0%}",
        "purchase price fell {a:.0%} in 3 months",
        "采购价3个月内下降{a:.0%}",
    ),
    "purchase_price_change_year": _signed(
        "purchase price rose {a:.0%} in a year",
        "采购价一年内上涨{a:.0%}",
        "purchase price fell {a:.0%} in a year",
        "采购价一年内下降{a:.0%}",
    ),
    "price_vs_variety_min": Words("value", "price {v:.2f}x the lowest producer's", "价格为最低企业的{v:.2f}倍"),
    "delivery_ratio": Words("share", "delivered {v:.0%} of the contracted volume", "仅交付约定量的{v:.0%}"),
    "delivery_ratio_change": _signed(
        "delivery ratio rose {a:.0%} in 3 months",
        "交付率3个月内上升{a:.0%}",
        "delivery ratio fell {a:.0%} in 3 months",
        "交付率3个月内下降{a:.0%}",
    ),
    "months_since_selection": Words("value", "{v:.0f} months since centralized procurement", "集采中选已{v:.0f}个月"),
    "price_vs_before_selection": Words(
        "value", "price at {v:.0%} of the pre-procurement level", "价格为集采前的{v:.0%}"
    ),
    "sales_trend": _signed(
        "sales rose {a:.0%} on the previous 3 months",
        "销量较前3个月上升{a:.0%}",
        "sales fell {a:.0%} on the previous 3 months",
        "销量较前3个月下降{a:.0%}",
    ),
    "sales_vs_last_year": _signed(
        "sales up {a:.0%} on last year", "销量同比上升{a:.0%}", "sales down {a:.0%} on last year", "销量同比下降{a:.0%}"
    ),
    "sales_vs_usual": Words("value", "sales at {v:.0%} of their usual level", "销量为常态的{v:.0%}"),
    "sales_season_ahead": _signed(
        "demand usually rises {a:.0%} in the coming 3 months",
        "往年未来3个月需求上升{a:.0%}",
        "demand usually falls {a:.0%} in the coming 3 months",
        "往年未来3个月需求下降{a:.0%}",
    ),
    "purchases_trend": _signed(
        "purchases rose {a:.0%} on the previous 3 months",
        "采购量较前3个月上升{a:.0%}",
        "purchases fell {a:.0%} on the previous 3 months",
        "采购量较前3个月下降{a:.0%}",
    ),
    "purchases_vs_last_year": _signed(
        "purchases up {a:.0%} on last year",
        "采购量同比上升{a:.0%}",
        "purchases down {a:.0%} on last year",
        "采购量同比下降{a:.0%}",
    ),
    "purchases_season_ahead": _signed(
        "purchases usually rise {a:.0%} in the coming 3 months",
        "往年未来3个月采购量上升{a:.0%}",
        "purchases usually fall {a:.0%} in the coming 3 months",
        "往年未来3个月采购量下降{a:.0%}",
    ),
    "institution_reports": Words("count", "{v:.0f} institutions report it short", "{v:.0f}家医疗机构报告短缺"),
    "institution_reports_recent": Words(
        "count", "{v:.0f} institution shortage reports in 3 months", "近3个月{v:.0f}次医疗机构短缺报告"
    ),
    "institution_reports_trend": _signed(
        "{a:.0f} more institution reports than the 3 months before",
        "医疗机构短缺报告比前3个月多{a:.0f}次",
        "{a:.0f} fewer institution reports than the 3 months before",
        "医疗机构短缺报告比前3个月少{a:.0f}次",
        pct=False,
    ),
    "institution_reports_vs_usual": Words(
        "value", "institution reports at {v:.1f}x their usual level", "医疗机构短缺报告为常态的{v:.1f}倍"
    ),
    "provinces_reporting": Words("count", "{v:.0f} provinces report it short", "{v:.0f}个省份报告短缺"),
    "provinces_reporting_recent": Words(
        "value", "{v:.1f} provinces reporting it short on average in 3 months", "近3个月平均{v:.1f}个省份报告短缺"
    ),
    "shortage_ongoing": Words("flag", "a shortage is under way", "正处于短缺中"),
    "months_since_shortage": Words("value", "last shortage began {v:.0f} months ago", "上次短缺始于{v:.0f}个月前"),
    "shared_producer_shortages_last_12m": Words(
        "count",
        "{v:.0f} shortages at its producers' other varieties in 12 months",
        "其生产企业的其他品种近12个月短缺{v:.0f}次",
    ),
    "months_since_shortage_end": Words(
        "value", "last shortage ended {v:.0f} months ago", "上次短缺结束于{v:.0f}个月前"
    ),
    "ingredient_shortages_last_12m": Words(
        "count",
        "{v:.0f} shortages of other forms of its ingredient in 12 months",
        "同通用名其他剂型近12个月短缺{v:.0f}次",
    ),
    "ingredient_shortage_ongoing": Words(
        "count", "{v:.0f} other forms of its ingredient short now", "同通用名{v:.0f}个其他剂型正短缺"
    ),
    "form_shortages_last_12m": Words(
        "count", "{v:.0f} shortages of its dosage form in 12 months", "同剂型近12个月短缺{v:.0f}次"
    ),
    "producers_known": Words("producers", "only {v:.0f} producers known", "仅知{v:.0f}家生产企业"),
    "filings_last_12m": Words("count", "{v:.0f} shortage reports filed in 12 months", "近12个月报告短缺{v:.0f}次"),
    "discontinuations_last_12m": Words(
        "count", "{v:.0f} discontinuations filed in 12 months", "近12个月{v:.0f}起停产退市报告"
    ),
    "producer_filings_last_12m": Words(
        "count",
        "its producers filed {v:.0f} reports for other varieties in 12 months",
        "其生产企业近12个月就其他品种报告{v:.0f}次",
    ),
    "shortages_so_far": Words("count", "{v:.0f} shortages so far", "迄今短缺{v:.0f}次"),
    "shortage_months_last_24m": Words(
        "count", "{v:.0f} of the last 24 months in shortage", "近24个月中{v:.0f}个月处于短缺"
    ),
    "last_shortage_months": Words("value", "its last shortage lasted {v:.0f} months", "上次短缺持续{v:.0f}个月"),
    "ingredient_shortages_so_far": Words(
        "count", "{v:.0f} shortages so far of other forms of its ingredient", "同通用名其他剂型迄今短缺{v:.0f}次"
    ),
    "producers_unaffected": Words("producers", "only {v:.0f} producers not suspended", "仅{v:.0f}家生产企业未停产"),
    "producer_filings_so_far": Words(
        "count",
        "its producers filed {v:.0f} reports for other varieties so far",
        "其生产企业迄今就其他品种报告{v:.0f}次",
    ),
    "months_since_disruption": Words("value", "last disruption {v:.0f} months ago", "上次供应中断在{v:.0f}个月前"),
    "disruptions_last_12m": Words("count", "{v:.0f} disruptions in 12 months", "近12个月供应中断{v:.0f}次"),
    "disruptions_last_24m": Words("count", "{v:.0f} disruptions in 24 months", "近24个月供应中断{v:.0f}次"),
    "is_reserve": Words("flag", "reserve enterprise", "储备企业"),
    "p_below_safety_3m": Words(
        "share", "{v:.0%} chance of falling below the safety line within 3 months", "3个月内跌破安全线的概率为{v:.0%}"
    ),
}

REASONS_ZH = {
    "api_shortage": "原料药短缺",
    "quality_gmp": "质量/GMP问题",
    "equipment": "设备问题",
    "economic": "经济原因",
    "regulatory": "监管原因",
    "discontinued": "停止生产",
    "other": "其他原因",
}
REASONS_EN = {
    "api_shortage": "API shortage",
    "quality_gmp": "quality/GMP",
    "equipment": "equipment",
    "economic": "economic reasons",
    "regulatory": "regulatory action",
    "discontinued": "discontinuation",
    "other": "other reasons",
}
# Features that are plain levels: never a driver (a test keeps WORDS and these covering the catalog).
PLAIN_LEVELS = frozenset({"production_level", "ex_factory_price_min", "purchase_price", "months_known"})
PROJECTED = "projected_months_of_supply_"  # projected cover k months ahead: said only when it is the cause


def _generated() -> dict[str, Words]:
    out: dict[str, Words] = {}
    for r in contract_config().suspension_reasons:
        out[f"suspended_{r}"] = Words(
            "count", f"{{v:.0f}} suspended for {REASONS_EN.get(r, r)}", f"{{v:.0f}}家因{REASONS_ZH.get(r, r)}停产"
        )
    for w in (12, 24, 60):
        out[f"shortages_last_{w}m"] = Words("count", f"{{v:.0f}} shortages in {w} months", f"近{w}个月短缺{{v:.0f}}次")
        out[f"class_shortages_last_{w}m"] = Words(
            "count", f"{{v:.0f}} shortages in its class in {w} months", f"同类药品近{w}个月短缺{{v:.0f}}次"
        )
    for k in (1, 2, 3):
        out[f"{PROJECTED}{k}m"] = Words(
            "projected",
            f"stock projected to cover only {{v:.1f}} months in {k} months",
            f"预计{k}个月后库存仅够{{v:.1f}}个月",
            f"stock projected to run out within {k} months",
            f"预计{k}个月内库存耗尽",
        )
    return out


WORDS: dict[str, Words] = {**_BASE, **_generated()}

# Features that tell one story: their pushes add up, and the one that pushed most says it.
GROUPS: dict[str, tuple[str, ...]] = {
    "cover": (
        "months_of_supply",
        "months_of_supply_vs_usual",
        "months_of_supply_change",
        *(f"{PROJECTED}{k}m" for k in (1, 2, 3)),
    ),
    "api": ("api_stock_months", "api_stock_months_min", "api_low_share", "api_stock_change"),
    "suspension": ("suspended_share", "producers_suspended", "suspension_open"),
    "institutions": (
        "institution_reports",
        "institution_reports_recent",
        "institution_reports_trend",
        "institution_reports_vs_usual",
        "provinces_reporting",
        "provinces_reporting_recent",
    ),
}
GROUP_OF: dict[str, str] = {name: group for group, names in GROUPS.items() for name in names}


def _change(words: Words, value: float, digits: int) -> tuple[str, str] | None:
    size = abs(value)
    if round(size, digits) == 0:  # "+0%" is not a reason
        return None
    en, zh = (words.en, words.zh) if value > 0 else (words.en_down, words.zh_down)
    return en.format(a=size), zh.format(a=size)


def phrase(words: Words, value: float) -> tuple[str, str] | None:
    """(English, Chinese) for one value, or None when the value says nothing (a zero count, a nil change)."""
    kind = words.kind
    if kind == "change_pct":
        return _change(words, value, 2)
    if kind == "change":
        return _change(words, value, 1)
    if kind == "flag" and value <= 0:
        return None
    if kind == "count" and round(value) < 1:
        return None
    if kind == "share":
        value = min(max(value, 0.0), 1.0)
        if round(value, 2) == 0:
            return None
    if kind in ("months", "projected", "producers", "value"):
        value = max(value, 0.0)  # covers, counts and ratios are never negative
    if words.en_down and words.en.format(v=value) == words.en.format(v=0.0):  # nothing left, said in words
        return words.en_down, words.zh_down
    if kind == "producers" and round(value) < 1:
        return "no active producer", "无在产企业"
    return words.en.format(v=value), words.zh.format(v=value)
