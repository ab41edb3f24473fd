"""Worker liveness, notifications and KPIs: one heartbeat row per worker process (app/liveness.py), the e-mail
address a user's notifications go to (app/notifications.py), and (brand, created_at) indexes on briefs and
variants for the KPI period queries (app/kpis.py).

Revision ID: 0014
Revises: 0010, 0004, 0008
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0014"
down_revision = ("0010", "0004", "0008")  # the user table is 0004's; variant.brand is 0008's
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
    op.create_index("ix_kpi_brief_brand_created", "brief", ["brand", "created_at"])
    op.create_index("ix_kpi_variant_brand_created", "variant", ["brand", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_kpi_variant_brand_created", table_name="variant")
    op.drop_index("ix_kpi_brief_brand_created", table_name="brief")
    with op.batch_alter_table("user") as batch:
        batch.drop_column("email")
    op.drop_index("ix_workerheartbeat_seen_at", table_name="workerheartbeat")
    op.drop_table("workerheartbeat")
