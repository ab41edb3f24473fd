"""Signed provenance manifests of published variants (issue 12, part 2).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "provenancerecord",
        sa.Column("variant_id", sa.String(length=32), sa.ForeignKey("variant.id"), primary_key=True),
        sa.Column("brief_id", sa.String(length=32), nullable=False),
        sa.Column("delivery_id", sa.String(length=40), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("manifest", sa.JSON(), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.Column("c2pa_store_b64", sa.Text(), nullable=True),
        sa.Column("c2pa_note", sa.Text(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_index("ix_provenancerecord_brief_id", "provenancerecord", ["brief_id"])


def downgrade() -> None:
    op.drop_index("ix_provenancerecord_brief_id", table_name="provenancerecord")
    op.drop_table("provenancerecord")
