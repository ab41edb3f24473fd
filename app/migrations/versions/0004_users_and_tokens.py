"""Users, API tokens and sign-in sessions (the review desk).

Revision ID: 0004
Revises: 0002

Written by hand with generic types only, so it runs unchanged on SQLite and PostgreSQL. It shares its
parent with other branches; ``app.db.upgrade`` applies every head.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user",
        sa.Column("id", sa.String(length=32), primary_key=True),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=128), nullable=False),
        sa.Column("password_hash", sa.String(length=256), nullable=True),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("brands", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_user_username", "user", ["username"], unique=True)
    op.create_table(
        "apitoken",
        sa.Column("id", sa.String(length=32), primary_key=True),
        sa.Column("user_id", sa.String(length=32), sa.ForeignKey("user.id"), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("brands", sa.JSON(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_apitoken_user_id", "apitoken", ["user_id"])
    op.create_index("ix_apitoken_token_hash", "apitoken", ["token_hash"], unique=True)
    op.create_table(
        "usersession",
        sa.Column("id", sa.String(length=64), primary_key=True),
        sa.Column("user_id", sa.String(length=32), sa.ForeignKey("user.id"), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_usersession_user_id", "usersession", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_usersession_user_id", table_name="usersession")
    op.drop_table("usersession")
    op.drop_index("ix_apitoken_token_hash", table_name="apitoken")
    op.drop_index("ix_apitoken_user_id", table_name="apitoken")
    op.drop_table("apitoken")
    op.drop_index("ix_user_username", table_name="user")
    op.drop_table("user")
