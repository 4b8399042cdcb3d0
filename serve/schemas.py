"""Request and response models of the HTTP API (pydantic v2), with examples for the OpenAPI schema."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from shortage_radar.contract.months import MONTH_PATTERN

Entity = Literal["variety", "enterprise"]
Cell = str | float | int | bool | None


class Out(BaseModel):
    """Responses: strict about unknown fields so the schema says exactly what is sent."""

    model_config = ConfigDict(extra="forbid")


class RejectedRow(Out):
    """A posted row the contract rejects, and why (the reasons of the quarantine)."""

    table: str
    row: int = Field(description="1-based position in the posted list")
    reason: str
    column: str | None
    detail: str | None


class Problem(Out):
    """Every 4xx/5xx body: one line saying what is wrong, and the details where there are some."""

    detail: str = Field(examples=["variety 'V9999' has no score in run 12 (2024-06)"])
    errors: list[dict[str, Any]] | None = Field(default=None, description="Request fields that failed validation")
    rejected: list[RejectedRow] | None = Field(default=None, description="Posted rows that break the contract")


class RiskRow(Out):
    """One watchlist row: the risk of a variety, or of an enterprise for one variety."""

    entity: Entity
    variety_id: str
    enterprise_id: str | None = Field(description="Set on enterprise rows only")
    month: str = Field(pattern=MONTH_PATTERN)
    horizon: int = Field(ge=1, description="Onset within month+1 .. month+horizon")
    risk: float = Field(ge=0, le=1, description="Calibrated probability of onset within the horizon")
    warning_level: int = Field(ge=0, le=4, description="0 none, 4 blue (IV), 3 yellow (III), 2 orange (II), 1 red (I)")
    response_tier: Literal["none", "county", "city", "provincial", "national"]
    rank: int = Field(ge=1, description="1 = highest risk within (entity, month)")
    drivers: list[str] = Field(description="Inputs that raised this score by a meaningful share, in the "
                                           "language asked for (?lang= or Accept-Language)")
    ongoing: bool = Field(description="A shortage or disruption is already under way")
    impact: int | None = Field(default=None, ge=0, description="Impact points the warning policy used "
                                                               "(empty on runs written before v1.1)")
    level_reason: str | None = Field(default=None, description="What set the warning level, in one sentence")
    drivers_zh: list[str] = Field(default_factory=list, description="The drivers in Chinese")
    risk_curve: dict[Literal["1m", "2m", "3m", "6m"], float] | None = Field(
        default=None, description="Probability of an onset within 1, 2, 3 and 6 months, non-decreasing "
                                  "(empty on runs written before v1.1)")

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "entity": "variety", "variety_id": "V0012", "enterprise_id": None, "month": "2024-06", "horizon": 3,
        "risk": 0.41, "warning_level": 2, "response_tier": "provincial", "rank": 3,
        "drivers": ["suspended producers make 62% of supply", "stock covers only 0.4 months of sales"],
        "ongoing": False, "impact": 2,
        "level_reason": "orange II: risk 0.41 >= 0.37 and impact 2 >= 2 (on the national shortage list, 1 producer)",
        "drivers_zh": ["停产企业占供应62%", "库存仅够0.4个月销售"],
        "risk_curve": {"1m": 0.18, "2m": 0.31, "3m": 0.41, "6m": 0.55}}]})


class VarietyRisk(RiskRow):
    run_id: int


class EnterpriseRisk(Out):
    """An enterprise's risk: its most at-risk variety first, then every variety it was scored for."""

    enterprise_id: str
    month: str = Field(pattern=MONTH_PATTERN)
    run_id: int
    risk: float = Field(ge=0, le=1, description="Highest risk over the enterprise's varieties")
    warning_level: int = Field(ge=0, le=4, description="Most severe level over its varieties")
    response_tier: Literal["none", "county", "city", "provincial", "national"]
    rank: int = Field(ge=1, description="Best rank among its rows in the enterprise watchlist")
    drivers: list[str]
    varieties: list[RiskRow]


class WatchlistPage(Out):
    month: str = Field(pattern=MONTH_PATTERN)
    run_id: int
    total: int = Field(ge=0, description="Rows matching the filters")
    limit: int
    offset: int
    items: list[RiskRow]


class HistoryPoint(Out):
    month: str = Field(pattern=MONTH_PATTERN)
    risk: float = Field(ge=0, le=1)
    warning_level: int = Field(ge=0, le=4)
    rank: int = Field(ge=1)
    run_id: int


class VarietyHistory(Out):
    variety_id: str
    points: list[HistoryPoint]


class Health(Out):
    status: Literal["ok", "degraded"] = Field(description="degraded: no model or no run to serve")
    model_versions: dict[str, str] = Field(examples=[{"shortage-variety": "3", "shortage-enterprise": "3"}])
    last_run_month: str | None = Field(examples=["2024-06"])
    last_run_id: int | None
    detail: str | None = Field(default=None, description="What is missing when degraded")


class ChampionModel(Out):
    name: str
    version: str
    backtest: dict[str, float] = Field(description="Backtest metrics logged with the model's training run",
                                       examples=[{"pr_auc": 0.31, "brier": 0.05}])
    blend: dict | None = Field(None, description="Inner validation of the training window: PR-AUC of the model, "
                                                "of each simple baseline and of the chosen blend; the winner and "
                                                "its margin over the best baseline")
    policy: dict | None = Field(None, description="The warning policy fitted at train time: each level's risk "
                                                 "threshold, impact floor, share of rows and lift on the inner "
                                                 "validation")


class ModelInfo(Out):
    models: list[ChampionModel]
    loaded_at: str | None
    last_reload_error: str | None


class ReloadResult(Out):
    reloaded: bool
    model_versions: dict[str, str] = Field(description="Versions being served after the attempt")
    error: str | None = Field(default=None, description="Why loading failed; the last good model is kept")


_DESCRIBED = {"string[pyarrow]": "text", "period[M]": "month YYYY-MM", "float64": "number", "Int64": "integer",
              "boolean": "boolean (true/false)"}


def _row_model(table: str) -> type[BaseModel]:
    """A posted row of ``table``: the contract's columns, required ones required, nothing else allowed.

    Cells are as a CSV file holds them (a number may come as text); the contract's rules decide the rest.
    """
    from shortage_radar.contract.schemas import schema_for

    fields: dict[str, Any] = {}
    for name, column in schema_for(table).columns.items():
        kind = _DESCRIBED.get(str(column.dtype), "text")
        text = f"{kind}; {'required' if column.required else 'optional'}" + ("" if column.nullable else ", not empty")
        if column.required:
            fields[name] = (Cell, Field(description=text))
        else:
            fields[name] = (Cell, Field(default=None, description=text))
    title = "".join(part.title() for part in table.split("_")) + "Row"
    return create_model(title, __config__=ConfigDict(extra="forbid"), __doc__=f"A row of {table}.", **fields)


MonthlyReportsRow = _row_model("monthly_reports")
SuspensionsRow = _row_model("suspensions")
ProcurementRow = _row_model("procurement")
InstitutionReportsRow = _row_model("institution_reports")


class ScoreRequest(BaseModel):
    """New rows of one month from another system; the contract's columns, cells as in a CSV file."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "month": "2024-07",
        "monthly_reports": [{"enterprise_id": "E0003", "variety_id": "V0012", "month": "2024-07",
                             "production": 1200, "sales": 1500, "inventory": 300}],
        "suspensions": [{"enterprise_id": "E0003", "variety_id": "V0012", "start_month": "2024-07",
                         "reported_month": "2024-07", "reason": "api_shortage"}],
        "procurement": [{"month": "2024-07", "province": "Hebei", "variety_id": "V0012",
                         "purchase_volume": 800, "avg_price": 1.9}],
        "institution_reports": [{"month": "2024-07", "province": "Hebei", "variety_id": "V0012", "reports": 4}],
    }]})

    month: str = Field(pattern=MONTH_PATTERN, description="As-of month the rows belong to")
    variety_ids: list[str] = Field(default_factory=list, max_length=1000,
                                   description="Varieties to score besides those named in the rows")
    monthly_reports: list[MonthlyReportsRow] = Field(default_factory=list, max_length=100_000)  # type: ignore[valid-type]
    suspensions: list[SuspensionsRow] = Field(default_factory=list, max_length=100_000)  # type: ignore[valid-type]
    procurement: list[ProcurementRow] = Field(default_factory=list, max_length=100_000)  # type: ignore[valid-type]
    institution_reports: list[InstitutionReportsRow] = Field(  # type: ignore[valid-type]
        default_factory=list, max_length=100_000)

    def rows(self, table: str) -> list[dict[str, Cell]]:
        """The posted rows of ``table`` as dicts of the cells that were sent."""
        return [row.model_dump(exclude_unset=True) for row in getattr(self, table)]


class NotScored(Out):
    """A requested variety that has no live score, and why."""

    variety_id: str
    reason: str = Field(examples=["nothing about this variety is known by 2024-07: post its rows for that month"])


class ScoreResponse(Out):
    month: str = Field(pattern=MONTH_PATTERN)
    model_versions: dict[str, str]
    based_on_run: int | None = Field(description="Run whose panel the rows were merged into")
    rows_merged: dict[str, int] = Field(description="Posted rows merged per table")
    items: list[RiskRow] = Field(description="Live scores of the posted varieties (and their enterprises)")
    not_scored: list[NotScored] = Field(default_factory=list,
                                        description="Requested varieties without a live score, each with the reason")



class AuditFinding(Out):
    """One finding of the reporting-compliance and data-accuracy audit (docs/audit.md)."""

    month: str = Field(pattern=MONTH_PATTERN)
    check: Literal["missing_report", "late_report", "stock_flow", "implausible_value", "under_delivery",
                   "price_spike"]
    severity: Literal["high", "medium", "low"]
    province: str | None
    enterprise_id: str | None = Field(description="Empty on findings about a province's purchases")
    variety_id: str
    detail: str = Field(description="What was found, in words, with the figures")


class AuditPage(Out):
    """The month's findings (filtered), with counts per check and per province of the filtered findings."""

    month: str = Field(pattern=MONTH_PATTERN)
    data_path: str = Field(description="The panel audited: the latest run's")
    total: int = Field(ge=0)
    by_check: dict[str, int]
    by_province: dict[str, int]
    limit: int
    offset: int
    items: list[AuditFinding]


class DemandSurge(BaseModel):
    model_config = ConfigDict(extra="forbid")

    variety_id: str = Field(max_length=64, examples=["V0012"])
    pct: float = Field(gt=-100, le=1000, description="Demand change in percent (50 = half as much again)")


class WhatIfRequest(BaseModel):
    """One scenario at an as-of month: ``suspend`` (with ``months``), ``api_shortage`` or ``demand_surge``."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"month": "2024-06", "suspend": "E0003", "months": 3}, {"month": "2024-06", "api_shortage": "heparin"},
        {"month": "2024-06", "demand_surge": {"variety_id": "V0012", "pct": 50}}]})

    month: str = Field(pattern=MONTH_PATTERN, description="As-of month; the panel as known then")
    suspend: str | None = Field(default=None, max_length=64, description="Enterprise that suspends production")
    months: int | None = Field(default=None, ge=1, le=24, description="Months of suspension (default 3)")
    api_shortage: str | None = Field(default=None, max_length=200, description="Generic name short of its API")
    demand_surge: DemandSurge | None = None

    @model_validator(mode="after")
    def _one_scenario(self) -> WhatIfRequest:
        given = [self.suspend is not None, self.api_shortage is not None, self.demand_surge is not None]
        if sum(given) != 1:
            raise ValueError("give exactly one of suspend, api_shortage, demand_surge")
        if self.months is not None and self.suspend is None:
            raise ValueError("months goes with suspend")
        return self


class WhatIfItem(Out):
    variety_id: str
    generic_name: str
    dosage_form: str
    risk_before: float = Field(ge=0, le=1)
    risk_after: float = Field(ge=0, le=1)
    level_before: int = Field(ge=0, le=4)
    level_after: int = Field(ge=0, le=4)
    drivers_after: list[str] = Field(description="Drivers of the risk after, in the language asked for")
    level_reason_after: str


class WhatIfResponse(Out):
    month: str = Field(pattern=MONTH_PATTERN)
    scenario: dict[str, Any] = Field(examples=[{"suspend": "E0003", "months": 3}])
    model_versions: dict[str, str]
    items: list[WhatIfItem] = Field(description="Every affected variety, the largest rise in risk first")
