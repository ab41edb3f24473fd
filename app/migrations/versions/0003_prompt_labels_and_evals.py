"""Prompt label history and prompt evaluation runs.

Revision ID: 0003
Revises: 0002

Written by hand with generic types only, so it runs unchanged on SQLite and PostgreSQL. It shares its
parent with other branches; ``app.db.upgrade`` applies every head.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "promptlabelevent",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("prompt", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("from_version", sa.Integer(), nullable=True),
        sa.Column("to_version", sa.Integer(), nullable=False),
        sa.Column("prompt_hash", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_promptlabelevent_prompt", "promptlabelevent", ["prompt"])
    op.create_table(
        "evalrun",
        sa.Column("id", sa.String(length=32), primary_key=True),
        sa.Column("suite", sa.String(length=128), nullable=False),
        sa.Column("suite_path", sa.Text(), nullable=False),
        sa.Column("prompt_ref", sa.String(length=128), nullable=False),
        sa.Column("prompt_hash", sa.String(length=64), nullable=False),
        sa.Column("prompt_label", sa.String(length=128), nullable=False),
        sa.Column("baseline_ref", sa.String(length=128), nullable=False),
        sa.Column("baseline_hash", sa.String(length=64), nullable=False),
        sa.Column("baseline_label", sa.String(length=128), nullable=False),
        sa.Column("model", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_evalrun_suite", "evalrun", ["suite"])
    op.create_index("ix_evalrun_status", "evalrun", ["status"])
    op.create_table(
        "evalcaseresult",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.String(length=32), sa.ForeignKey("evalrun.id"), nullable=False),
        sa.Column("case_id", sa.String(length=128), nullable=False),
        sa.Column("side", sa.String(length=16), nullable=False),
        sa.Column("output", sa.JSON(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("run_id", "case_id", "side", name="uq_evalcaseresult_slot"),
    )
    op.create_index("ix_evalcaseresult_run_id", "evalcaseresult", ["run_id"])


def downgrade() -> None:
    op.drop_index("ix_evalcaseresult_run_id", table_name="evalcaseresult")
    op.drop_table("evalcaseresult")
    op.drop_index("ix_evalrun_status", table_name="evalrun")
    op.drop_index("ix_evalrun_suite", table_name="evalrun")
    op.drop_table("evalrun")
    op.drop_index("ix_promptlabelevent_prompt", table_name="promptlabelevent")
    op.drop_table("promptlabelevent")
