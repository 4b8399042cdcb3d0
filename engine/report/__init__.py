"""The offline HTML analyst report: ranked watchlist, variety details with forecasts, enterprise views."""

from shortage_radar.report.build import build_report, month_report

__all__ = ["build_report", "month_report"]
