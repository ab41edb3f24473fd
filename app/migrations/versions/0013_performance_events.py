"""Measure and learn: performance events, per-variant aggregates, slots with winners and weight history,
retractions (with their content.retracted notices) and withdrawn claims (app/performance/models.py).

Revision ID: 0013
Revises: 0010
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013"
down_revision = "0010"  # new tables only; 0010 is the newest revision this branch was cut from
branch_labels = None
depends_on = None

_TS = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "performanceevent",
        sa.Column("id", sa.String(length=128), primary_key=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("brand", sa.String(length=64), nullable=False),
        sa.Column("slot", sa.String(length=200), nullable=False),
        sa.Column("variant_id", sa.String(length=32), nullable=False),
        sa.Column("occurred_at", _TS(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("segment", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=128), nullable=False),
        sa.Column("received_at", _TS(), nullable=False),
        sa.Column("aggregated", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_performanceevent_brand", "performanceevent", ["brand"])
    op.create_index("ix_performanceevent_variant_id", "performanceevent", ["variant_id"])
    op.create_index("ix_performanceevent_aggregated", "performanceevent", ["aggregated"])
    op.create_table(
        "variantstats",
        sa.Column("slot", sa.String(length=200), primary_key=True),
        sa.Column("variant_id", sa.String(length=32), primary_key=True),
        sa.Column("brand", sa.String(length=64), nullable=False),
        sa.Column("impressions", sa.Integer(), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.Column("conversions", sa.Integer(), nullable=False),
        sa.Column("value_sum", sa.Float(), nullable=False),
        sa.Column("last_event_at", _TS(), nullable=True),
        sa.Column("updated_at", _TS(), nullable=False),
    )
    op.create_index("ix_variantstats_brand", "variantstats", ["brand"])
    op.create_table(
        "slot",
        sa.Column("id", sa.String(length=200), primary_key=True),
        sa.Column("brand", sa.String(length=64), nullable=False),
        sa.Column("brief_id", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("goal", sa.String(length=16), nullable=False),
        sa.Column("winner_variant_id", sa.String(length=32), nullable=True),
        sa.Column("winner_probability", sa.Float(), nullable=True),
        sa.Column("winner_declared_at", _TS(), nullable=True),
        sa.Column("created_at", _TS(), nullable=False),
    )
    op.create_index("ix_slot_brand", "slot", ["brand"])
    op.create_index("ix_slot_brief_id", "slot", ["brief_id"])
    op.create_table(
        "weightsnapshot",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slot", sa.String(length=200), nullable=False),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.Column("impressions", sa.Integer(), nullable=False),
        sa.Column("created_at", _TS(), nullable=False),
    )
    op.create_index("ix_weightsnapshot_slot", "weightsnapshot", ["slot"])
    op.create_table(
        "retraction",
        sa.Column("id", sa.String(length=40), primary_key=True),
        sa.Column("variant_id", sa.String(length=32), nullable=False, unique=True),
        sa.Column("brand", sa.String(length=64), nullable=False),
        sa.Column("brief_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("claim_ids", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("notice_state", sa.String(length=16), nullable=False),
        sa.Column("notice_attempts", sa.Integer(), nullable=False),
        sa.Column("notice_error", sa.Text(), nullable=True),
        sa.Column("created_at", _TS(), nullable=False),
    )
    op.create_index("ix_retraction_brand", "retraction", ["brand"])
    op.create_index("ix_retraction_brief_id", "retraction", ["brief_id"])
    op.create_table(
        "claimwithdrawal",
        sa.Column("brand", sa.String(length=64), primary_key=True),
        sa.Column("claim_id", sa.String(length=64), primary_key=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("created_at", _TS(), nullable=False),
    )


def downgrade() -> None:
    for table in ("claimwithdrawal", "retraction", "weightsnapshot", "slot", "variantstats", "performanceevent"):
        op.drop_table(table)
