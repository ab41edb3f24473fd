"""Best-of-N drafting: every candidate of a variant slot, the kept variant's score, and the candidate
each drafting LLM call wrote.

Revision ID: 0006
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "draftcandidate",
        sa.Column("id", sa.String(length=32), primary_key=True),
        sa.Column("brief_id", sa.String(length=32), sa.ForeignKey("brief.id"), nullable=False),
        sa.Column("idea_id", sa.String(length=32), sa.ForeignKey("idea.id"), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("candidate_no", sa.Integer(), nullable=False),
        sa.Column("headline", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("cta", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("score_components", sa.JSON(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("kept", sa.Boolean(), nullable=False),
        sa.Column("variant_id", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("idea_id", "channel", "ordinal", "revision", "candidate_no", name="uq_candidate_slot"),
    )
    op.create_index("ix_draftcandidate_brief_id", "draftcandidate", ["brief_id"])
    # Plain ADD COLUMN on both dialects: no table rebuild, existing rows get the defaults.
    op.add_column("variant", sa.Column("score", sa.Float(), nullable=True))
    op.add_column("variant", sa.Column("score_components", sa.JSON(), nullable=False, server_default="{}"))
    op.create_index("ix_variant_score", "variant", ["score"])
    op.add_column("llmcall", sa.Column("candidate_id", sa.String(length=32), nullable=True))
    op.create_index("ix_llmcall_candidate_id", "llmcall", ["candidate_id"])


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): a batch rebuild would drop the variant table, which other
    # tables reference with foreign keys enforced.
    op.drop_index("ix_llmcall_candidate_id", table_name="llmcall")
    op.drop_column("llmcall", "candidate_id")
    op.drop_index("ix_variant_score", table_name="variant")
    op.drop_column("variant", "score_components")
    op.drop_column("variant", "score")
    op.drop_index("ix_draftcandidate_brief_id", table_name="draftcandidate")
    op.drop_table("draftcandidate")
