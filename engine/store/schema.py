"""The store's tables (SQLAlchemy Core): runs, scores (watchlist rows) and quarantined rows."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

runs = sa.Table(
    "runs", metadata,
    sa.Column("run_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("month", sa.String(7), nullable=False, index=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("status", sa.String(16), nullable=False),  # running, succeeded, failed, withdrawn
    sa.Column("is_current", sa.Boolean, nullable=False, default=False),
    sa.Column("data_path", sa.Text, nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("model_versions", sa.JSON, nullable=False),
    sa.Column("config_hash", sa.String(64), nullable=False),
    sa.Column("rows", sa.Integer),
    sa.Column("quarantined", sa.Integer),
    sa.Column("error", sa.Text),
)
# The database itself allows at most one current run per month (a partial unique index).
sa.Index("uq_runs_current_month", runs.c.month, unique=True, sqlite_where=runs.c.is_current,
         postgresql_where=runs.c.is_current)

scores = sa.Table(
    "scores", metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.run_id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("entity", sa.String(10), nullable=False),
    sa.Column("variety_id", sa.String(64), nullable=False),
    sa.Column("enterprise_id", sa.String(64), nullable=False),  # "" on variety rows
    sa.Column("month", sa.String(7), nullable=False),
    sa.Column("horizon", sa.Integer, nullable=False),
    sa.Column("risk", sa.Float, nullable=False),
    sa.Column("warning_level", sa.Integer, nullable=False),
    sa.Column("response_tier", sa.String(12), nullable=False),
    sa.Column("rank", sa.Integer, nullable=False),
    sa.Column("drivers", sa.Text, nullable=False),
    sa.Column("ongoing", sa.Boolean, nullable=False),
    sa.Column("risk_1m", sa.Float),  # v1.1 extensions (migration 0003): empty on runs written before
    sa.Column("risk_2m", sa.Float),
    sa.Column("risk_3m", sa.Float),
    sa.Column("risk_6m", sa.Float),
    sa.Column("impact", sa.Integer),
    sa.Column("level_reason", sa.Text),
    sa.Column("drivers_zh", sa.Text),
    sa.Index("ix_scores_run_variety", "run_id", "variety_id"),
)

quarantine = sa.Table(
    "quarantine", metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.run_id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("table_name", sa.String(40), nullable=False),
    sa.Column("file", sa.Text, nullable=False),
    sa.Column("row_number", sa.Integer),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("column_name", sa.Text),
    sa.Column("detail", sa.Text),
    sa.Column("original", sa.Text, nullable=False),  # the source row as JSON
)

QUARANTINE_COLUMNS = {"table": "table_name", "file": "file", "row": "row_number", "reason": "reason",
                      "column": "column_name", "detail": "detail", "values": "original"}

# One row per (run, subscription): what was POSTed for that run's level changes (migration 0003), so a run
# never alerts a subscription twice.
alerts_sent = sa.Table(
    "alerts_sent", metadata,
    sa.Column("alert_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.run_id", ondelete="CASCADE"), nullable=False),
    sa.Column("subscription", sa.String(100), nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # delivered, failed
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("items", sa.Integer, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),  # the JSON body sent
    sa.Column("error", sa.Text),
    sa.UniqueConstraint("run_id", "subscription", name="uq_alerts_run_subscription"),
)
