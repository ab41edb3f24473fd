"""Reviewers' overrides of warnings.

Revision ID: 0005
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "findingoverride",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("finding_id", sa.Integer(), sa.ForeignKey("checkfinding.id"), nullable=False, unique=True),
        sa.Column("variant_id", sa.String(length=32), sa.ForeignKey("variant.id"), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_findingoverride_variant_id", "findingoverride", ["variant_id"])


def downgrade() -> None:
    op.drop_index("ix_findingoverride_variant_id", table_name="findingoverride")
    op.drop_table("findingoverride")
