"""Exactly-once under faults: leases on units of work, webhook endpoints disabled by 410 Gone, and the
attempt a delivery's current retry round started from.

Revision ID: 0010
Revises: 0001
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0001"  # the delivery table; workclaim and disabledendpoint are new
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workclaim",
        sa.Column("key", sa.String(length=200), primary_key=True),
        sa.Column("task", sa.String(length=32), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=128), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_index("ix_workclaim_expires_at", "workclaim", ["expires_at"])
    op.create_table(
        "disabledendpoint",
        sa.Column("target", sa.String(length=512), primary_key=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("delivery_id", sa.String(length=40), nullable=True),
        sa.Column("disabled_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    with op.batch_alter_table("delivery") as batch:
        batch.add_column(sa.Column("round_base", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("delivery") as batch:
        batch.drop_column("round_base")
    op.drop_table("disabledendpoint")
    op.drop_index("ix_workclaim_expires_at", table_name="workclaim")
    op.drop_table("workclaim")
