"""List routes answered from indexes: the stored review risk, the brand copied onto variants and
deliveries, and one index per list order (review queue by age / risk / score, blocked items, briefs,
deliveries, a brief's audit entries by action).

The queue indexes are partial (``WHERE state IN ('blocked', 'in_review')``, the reviewable states) and
end with the brand, so a page and its count are read from the index alone on SQLite and PostgreSQL.
Risk and brand are backfilled here: risk with the same rule as ``app.pipeline.risk.risk``.

Revision ID: 0008
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"  # variant.score (0006) is in the score-order index
branch_labels = None
depends_on = None

# Must stay textually equal to app.api.list_queries.REVIEWABLE_SQL: SQLite uses a partial index only when
# the query repeats its WHERE term.
REVIEWABLE_SQL = "state IN ('blocked', 'in_review')"

# Risk of each variant: failed findings of the compliance gate when it ran, else of the other gates.
BACKFILL_RISK = """
UPDATE variant SET risk = COALESCE((
    SELECT SUM(CASE f.severity WHEN 'block' THEN 3 WHEN 'warn' THEN 1 ELSE 0 END)
    FROM checkfinding f
    WHERE f.variant_id = variant.id AND f.passed = :failed
      AND (f.gate = 'compliance') = EXISTS (
          SELECT 1 FROM checkfinding c WHERE c.variant_id = variant.id AND c.gate = 'compliance')
), 0)
"""

# state ends each queue index so SQLite reads the page from the index alone (a covering index).
QUEUE_INDEXES = {
    "ix_variant_queue_age": ["created_at", "risk DESC", "id", "brand", "state"],
    "ix_variant_queue_risk": ["risk DESC", "created_at", "id", "brand", "state"],
}


def upgrade() -> None:
    op.add_column("variant", sa.Column("brand", sa.String(length=64), nullable=False, server_default=""))
    op.add_column("variant", sa.Column("risk", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("delivery", sa.Column("brand", sa.String(length=64), nullable=False, server_default=""))
    op.execute("UPDATE variant SET brand = (SELECT brief.brand FROM brief WHERE brief.id = variant.brief_id)")
    op.execute("UPDATE delivery SET brand = (SELECT brief.brand FROM brief WHERE brief.id = delivery.brief_id)")
    op.get_bind().execute(sa.text(BACKFILL_RISK), {"failed": False})

    for name, columns in QUEUE_INDEXES.items():
        op.create_index(name, "variant", [sa.text(c) for c in columns],
                        sqlite_where=sa.text(REVIEWABLE_SQL), postgresql_where=sa.text(REVIEWABLE_SQL))
    # Score order: DESC puts NULL (unscored) last on SQLite; PostgreSQL needs NULLS LAST said.
    score = "score DESC NULLS LAST" if op.get_bind().dialect.name == "postgresql" else "score DESC"
    op.create_index("ix_variant_queue_score", "variant", [sa.text(c) for c in (score, "created_at", "id", "brand",
                                                                                  "state")],
                    sqlite_where=sa.text(REVIEWABLE_SQL), postgresql_where=sa.text(REVIEWABLE_SQL))
    # One state (compliance's blocked list): equality on state, then the age order.
    op.create_index("ix_variant_state_age", "variant", [sa.text(c) for c in ("state", "created_at", "risk DESC",
                                                                             "id", "brand")])
    op.create_index("ix_brief_created", "brief", ["created_at", "id", "brand", "state"])
    op.create_index("ix_brief_brand_created", "brief", ["brand", "created_at", "id"])
    op.create_index("ix_brief_state_created", "brief", ["state", "created_at", "id", "brand"])
    op.create_index("ix_delivery_created", "delivery", ["created_at", "id", "brand", "state"])
    op.create_index("ix_delivery_state_created", "delivery", ["state", "created_at", "id", "brand"])
    # A brand-limited count reads only that brand's entries (PostgreSQL scanned the table without it).
    op.create_index("ix_delivery_brand_created", "delivery", ["brand", "created_at", "id"])
    op.create_index("ix_auditentry_brief_action", "auditentry", ["brief_id", "action"])


def downgrade() -> None:
    for name, table in [("ix_auditentry_brief_action", "auditentry"), ("ix_delivery_brand_created", "delivery"),
                        ("ix_delivery_state_created", "delivery"),
                        ("ix_delivery_created", "delivery"), ("ix_brief_state_created", "brief"),
                        ("ix_brief_brand_created", "brief"), ("ix_brief_created", "brief"),
                        ("ix_variant_state_age", "variant"), ("ix_variant_queue_score", "variant"),
                        *((n, "variant") for n in QUEUE_INDEXES)]:
        op.drop_index(name, table_name=table)
    # Plain DROP COLUMN (SQLite 3.35+), as in 0006: a batch rebuild would drop referenced tables.
    op.drop_column("delivery", "brand")
    op.drop_column("variant", "risk")
    op.drop_column("variant", "brand")
