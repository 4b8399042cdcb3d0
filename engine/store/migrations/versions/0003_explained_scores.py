"""Scores explained (contract v1.1: risk_1m..risk_6m, impact, level_reason, drivers_zh) and the alerts sent.

Revision ID: 0003_explained_scores
Revises: 0002_api_keys
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_explained_scores"
down_revision = "0002_api_keys"
branch_labels = None
depends_on = None

CURVE = ("risk_1m", "risk_2m", "risk_3m", "risk_6m")


def upgrade() -> None:
    with op.batch_alter_table("scores") as batch:
        for column in CURVE:
            batch.add_column(sa.Column(column, sa.Float))
        batch.add_column(sa.Column("impact", sa.Integer))
        batch.add_column(sa.Column("level_reason", sa.Text))
        batch.add_column(sa.Column("drivers_zh", sa.Text))
    op.create_table(
        "alerts_sent",
        sa.Column("alert_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.run_id", ondelete="CASCADE"), nullable=False),
        sa.Column("subscription", sa.String(100), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("items", sa.Integer, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("error", sa.Text),
        sa.UniqueConstraint("run_id", "subscription", name="uq_alerts_run_subscription"),
    )


def downgrade() -> None:
    op.drop_table("alerts_sent")
    with op.batch_alter_table("scores") as batch:
        batch.drop_column("drivers_zh")
        batch.drop_column("level_reason")
        batch.drop_column("impact")
        for column in reversed(CURVE):
            batch.drop_column(column)
