"""The first schema: runs, scores and quarantined rows.

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("run_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("month", sa.String(7), nullable=False, index=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("is_current", sa.Boolean, nullable=False),
        sa.Column("data_path", sa.Text, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("model_versions", sa.JSON, nullable=False),
        sa.Column("config_hash", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer),
        sa.Column("quarantined", sa.Integer),
        sa.Column("error", sa.Text),
    )
    op.create_index("uq_runs_current_month", "runs", ["month"], unique=True, sqlite_where=sa.text("is_current"),
                    postgresql_where=sa.text("is_current"))
    op.create_table(
        "scores",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.run_id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("entity", sa.String(10), nullable=False),
        sa.Column("variety_id", sa.String(64), nullable=False),
        sa.Column("enterprise_id", sa.String(64), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("horizon", sa.Integer, nullable=False),
        sa.Column("risk", sa.Float, nullable=False),
        sa.Column("warning_level", sa.Integer, nullable=False),
        sa.Column("response_tier", sa.String(12), nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("drivers", sa.Text, nullable=False),
        sa.Column("ongoing", sa.Boolean, nullable=False),
    )
    op.create_index("ix_scores_run_variety", "scores", ["run_id", "variety_id"])
    op.create_table(
        "quarantine",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.run_id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("row_number", sa.Integer),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("column_name", sa.Text),
        sa.Column("detail", sa.Text),
        sa.Column("original", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("quarantine")
    op.drop_table("scores")
    op.drop_table("runs")
