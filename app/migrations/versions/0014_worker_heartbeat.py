"""Worker liveness and notifications: one heartbeat row per worker process (app/liveness.py), and the e-mail
address a user's notifications go to (app/notifications.py).

Revision ID: 0014
Revises: 0010, 0004
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0014"
down_revision = ("0010", "0004")  # 0004 holds the user table
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workerheartbeat",
        sa.Column("name", sa.String(length=200), primary_key=True),
        sa.Column("queue", sa.String(length=128), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_index("ix_workerheartbeat_seen_at", "workerheartbeat", ["seen_at"])
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("email", sa.String(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.drop_column("email")
    op.drop_index("ix_workerheartbeat_seen_at", table_name="workerheartbeat")
    op.drop_table("workerheartbeat")
