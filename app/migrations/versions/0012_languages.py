"""German as a first-class language (issue 13): the language of each brief, idea, variant and finding.

Every row written before this revision was English (the factory wrote and checked English only), so the
columns are filled with ``en``.

Revision ID: 0012
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0001"  # brief, idea, variant and checkfinding are all in the initial schema
branch_labels = None
depends_on = None

TABLES = ("brief", "idea", "variant", "checkfinding")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("language", sa.String(length=16), nullable=False, server_default="en"))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("language")
