"""pandera schemas, one per contract table: the single source of column types and rules.

Each column's dtype says how its cells are parsed (see ``parse.py``); each check is named
after the quarantine reason it raises. ``required=False`` marks the contract's optional
columns; ``nullable=True`` marks cells that may be empty (not reported).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from shortage_radar.contract.reasons import Reason
from shortage_radar.contract.settings import ContractConfig, contract_config

TEXT = "string[pyarrow]"
MONTH = pd.PeriodDtype("M")
NUMBER = "float64"
INTEGER = "Int64"
FLAG = "boolean"
DATE = "datetime64[ns]"

TABLE_ORDER: tuple[str, ...] = (
    "varieties",
    "enterprises",
    "monthly_reports",
    "suspensions",
    "institution_reports",
    "procurement",
    "shortage_events",
    "supply_disruptions",
)
REQUIRED_TABLES: tuple[str, ...] = ("varieties",)


@dataclass(frozen=True)
class KnownIds:
    """Ids of the kept rows of ``varieties`` and ``enterprises``, for referential checks."""

    varieties: frozenset[str] = frozenset()
    enterprises: frozenset[str] = frozenset()


def _rule(fn: Callable[[pd.Series], pd.Series], reason: Reason) -> pa.Check:
    return pa.Check(fn, name=reason.value)


def _key_text() -> pa.Column:
    return pa.Column(TEXT, nullable=False)


def _text(required: bool = True) -> pa.Column:
    return pa.Column(TEXT, nullable=True, required=required)


def _flag(required: bool = True) -> pa.Column:
    return pa.Column(FLAG, nullable=True, required=required)


def _month(nullable: bool = False, required: bool = True) -> pa.Column:
    return pa.Column(MONTH, nullable=nullable, required=required)


def _date(required: bool = True) -> pa.Column:
    """A calendar day (``YYYY-MM-DD``); empty allowed."""
    return pa.Column(DATE, nullable=True, required=required)


def _amount(required: bool = True, dtype: str = NUMBER) -> pa.Column:
    """A volume, stock or count: empty allowed, negative not."""
    return pa.Column(dtype, _rule(lambda s: s >= 0, Reason.NEGATIVE_VALUE), nullable=True, required=required)


def _price(required: bool = True) -> pa.Column:
    return pa.Column(NUMBER, _rule(lambda s: s > 0, Reason.NON_POSITIVE_PRICE), nullable=True, required=required)


def _category(values: Collection[str], nullable: bool = True, required: bool = True) -> pa.Column:
    allowed = frozenset(values)
    return pa.Column(
        TEXT, _rule(lambda s: s.isin(allowed), Reason.UNKNOWN_CATEGORY), nullable=nullable, required=required
    )


def _ref(known: frozenset[str], reason: Reason) -> pa.Column:
    return pa.Column(TEXT, _rule(lambda s: s.isin(known), reason), nullable=False)


def _not_before_start(column: str, start: str = "start_month") -> pa.Check:
    """Row check: ``column`` (when given) is not before ``start``. Named ``reason:column``."""

    def check(df: pd.DataFrame) -> pd.Series:
        if column not in df:
            return pd.Series(True, index=df.index)
        end = df[column]
        return end.isna() | df[start].isna() | (end >= df[start])

    return pa.Check(check, name=f"{Reason.END_BEFORE_START.value}:{column}", ignore_na=False)


def _reported_in_time(max_delay: int) -> pa.Check:
    def check(df: pd.DataFrame) -> pd.Series:
        late = df["reported_month"] > df["start_month"] + max_delay
        return ~late.fillna(False)

    return pa.Check(check, name=f"{Reason.LATE_REPORT.value}:reported_month", ignore_na=False)


def _schema(name: str, columns: dict[str, pa.Column], key: list[str], checks: list[pa.Check] | None = None):
    return pa.DataFrameSchema(
        columns,
        checks=checks or [],
        unique=key,
        report_duplicates="exclude_first",
        name=name,
        strict=False,
    )


def varieties_schema(known: KnownIds, cfg: ContractConfig) -> pa.DataFrameSchema:
    return _schema(
        "varieties",
        {
            "variety_id": _key_text(),
            "generic_name": _text(),
            "dosage_form": _text(),
            "on_shortage_list": _flag(),
            "on_key_monitoring_list": _flag(),
            "vbp_batch": _amount(dtype=INTEGER),
            "essential": _flag(required=False),
            "therapeutic_class": _text(required=False),
        },
        key=["variety_id"],
    )


def enterprises_schema(known: KnownIds, cfg: ContractConfig) -> pa.DataFrameSchema:
    return _schema(
        "enterprises",
        {"enterprise_id": _key_text(), "name": _text(), "province": _text(), "is_reserve": _flag()},
        key=["enterprise_id"],
    )


def monthly_reports_schema(known: KnownIds, cfg: ContractConfig) -> pa.DataFrameSchema:
    return _schema(
        "monthly_reports",
        {
            "enterprise_id": _ref(known.enterprises, Reason.UNKNOWN_ENTERPRISE),
            "variety_id": _ref(known.varieties, Reason.UNKNOWN_VARIETY),
            "month": _month(),
            "production": _amount(),
            "sales": _amount(),
            "inventory": _amount(),
            "capacity": _amount(required=False),
            "api_stock_months": _amount(required=False),
            "ex_factory_price": _price(required=False),
            "contracted_volume": _amount(required=False),
            "delivered_volume": _amount(required=False),
            "safety_stock": _amount(required=False),
            "filed_on": _date(required=False),  # v1.1: the day the report was filed (docs/contract.md)
        },
        key=["enterprise_id", "variety_id", "month"],
    )


def suspensions_schema(known: KnownIds, cfg: ContractConfig) -> pa.DataFrameSchema:
    return _schema(
        "suspensions",
        {
            "enterprise_id": _ref(known.enterprises, Reason.UNKNOWN_ENTERPRISE),
            "variety_id": _ref(known.varieties, Reason.UNKNOWN_VARIETY),
            "start_month": _month(),
            "reported_month": _month(),
            "expected_end_month": _month(nullable=True, required=False),
            "actual_end_month": _month(nullable=True, required=False),
            "reason": _category(cfg.suspension_reasons),
        },
        key=["enterprise_id", "variety_id", "start_month"],
        checks=[
            _reported_in_time(cfg.max_report_delay_months),
            _not_before_start("expected_end_month"),
            _not_before_start("actual_end_month"),
        ],
    )


def institution_reports_schema(known: KnownIds, cfg: ContractConfig) -> pa.DataFrameSchema:
    return _schema(
        "institution_reports",
        {
            "month": _month(),
            "province": _key_text(),
            "variety_id": _ref(known.varieties, Reason.UNKNOWN_VARIETY),
            "reports": pa.Column(INTEGER, _rule(lambda s: s >= 0, Reason.NEGATIVE_VALUE), nullable=True),
        },
        key=["month", "province", "variety_id"],
    )


def procurement_schema(known: KnownIds, cfg: ContractConfig) -> pa.DataFrameSchema:
    return _schema(
        "procurement",
        {
            "month": _month(),
            "province": _key_text(),
            "variety_id": _ref(known.varieties, Reason.UNKNOWN_VARIETY),
            "purchase_volume": _amount(),
            "avg_price": _price(),
        },
        key=["month", "province", "variety_id"],
    )


def shortage_events_schema(known: KnownIds, cfg: ContractConfig) -> pa.DataFrameSchema:
    return _schema(
        "shortage_events",
        {
            "variety_id": _ref(known.varieties, Reason.UNKNOWN_VARIETY),
            "start_month": _month(),
            "end_month": _month(nullable=True, required=False),
            "scope": _category(cfg.shortage_scopes),
            "provinces": _text(required=False),
            "reason": _category(cfg.suspension_reasons, required=False),
        },
        key=["variety_id", "start_month"],
        checks=[_not_before_start("end_month")],
    )


def supply_disruptions_schema(known: KnownIds, cfg: ContractConfig) -> pa.DataFrameSchema:
    return _schema(
        "supply_disruptions",
        {
            "enterprise_id": _ref(known.enterprises, Reason.UNKNOWN_ENTERPRISE),
            "variety_id": _ref(known.varieties, Reason.UNKNOWN_VARIETY),
            "start_month": _month(),
            "end_month": _month(nullable=True, required=False),
        },
        key=["enterprise_id", "variety_id", "start_month"],
        checks=[_not_before_start("end_month")],
    )


SCHEMAS: dict[str, Callable[[KnownIds, ContractConfig], pa.DataFrameSchema]] = {
    "varieties": varieties_schema,
    "enterprises": enterprises_schema,
    "monthly_reports": monthly_reports_schema,
    "suspensions": suspensions_schema,
    "institution_reports": institution_reports_schema,
    "procurement": procurement_schema,
    "shortage_events": shortage_events_schema,
    "supply_disruptions": supply_disruptions_schema,
}


def schema_for(table: str, known: KnownIds | None = None, cfg: ContractConfig | None = None) -> pa.DataFrameSchema:
    """The pandera schema of ``table``; referential checks use ``known`` ids."""
    return SCHEMAS[table](known or KnownIds(), cfg or contract_config())


def required_columns(schema: pa.DataFrameSchema) -> list[str]:
    return [name for name, col in schema.columns.items() if col.required]


def key_columns(schema: pa.DataFrameSchema) -> list[str]:
    return list(schema.unique or [])
