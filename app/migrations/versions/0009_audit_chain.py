"""The audit log becomes a hash chain with signed checkpoints; TRUNCATE is refused on PostgreSQL.

Adds ``seq``, ``prev_hash`` and ``entry_hash`` to ``auditentry`` and hashes the rows already there in the
order they were written (by id), with the code that chains new entries (:mod:`app.audit.chain`). Creates
``auditcheckpoint`` (append-only too) and ``auditchainlock`` (one row, whose lock orders appends). On
PostgreSQL the append-only function of 0002 now also refuses TRUNCATE of either table, statement by
statement. Run the application as a role that does not own these tables (README, "Running on
PostgreSQL"): an owner can still disable triggers.

Revision ID: 0009
Revises: 0002
"""

import json
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0002"
branch_labels = None
depends_on = None

_TABLES = ("auditentry", "auditcheckpoint")


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    # Plain ALTER TABLE ADD COLUMN: a batch copy of the table on SQLite would drop 0002's triggers.
    op.add_column("auditentry", sa.Column("seq", sa.Integer(), nullable=True))
    op.add_column("auditentry", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("auditentry", sa.Column("entry_hash", sa.String(length=64), nullable=True))
    op.create_index("ix_auditentry_seq", "auditentry", ["seq"], unique=True)
    op.create_table(
        "auditcheckpoint",
        sa.Column("number", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("previous", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("checkpoint_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("signature", sa.Text(), nullable=False),
    )
    op.create_table(
        "auditchainlock",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("appends", sa.Integer(), nullable=False),
    )
    op.execute("INSERT INTO auditchainlock (id, appends) VALUES (1, 0)")
    _hash_existing_rows(postgres)
    if postgres:
        op.execute("CREATE TRIGGER auditentry_no_truncate BEFORE TRUNCATE ON auditentry "
                   "FOR EACH STATEMENT EXECUTE FUNCTION auditentry_append_only()")
        op.execute("CREATE TRIGGER auditcheckpoint_no_change BEFORE UPDATE OR DELETE ON auditcheckpoint "
                   "FOR EACH ROW EXECUTE FUNCTION auditentry_append_only()")
        op.execute("CREATE TRIGGER auditcheckpoint_no_truncate BEFORE TRUNCATE ON auditcheckpoint "
                   "FOR EACH STATEMENT EXECUTE FUNCTION auditentry_append_only()")
        return
    for action in ("UPDATE", "DELETE"):  # SQLite has no TRUNCATE: an unqualified DELETE fires these per row
        op.execute(
            f"CREATE TRIGGER auditcheckpoint_no_{action.lower()} BEFORE {action} ON auditcheckpoint "
            f"BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: {action} refused'); END"
        )


def _hash_existing_rows(postgres: bool) -> None:
    from app.audit.chain import GENESIS, entry_hash, timestamp  # the same hashing as new entries

    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, brief_id, subject_type, subject_id, action, actor, details, "
                                "created_at FROM auditentry ORDER BY id")).mappings().all()
    if not rows:
        return
    _set_update_triggers(postgres, enabled=False)
    table = sa.table("auditentry", sa.column("id"), sa.column("seq"), sa.column("prev_hash"),
                     sa.column("entry_hash"))
    previous = GENESIS
    for seq, row in enumerate(rows, start=1):
        details = row["details"]
        if isinstance(details, str):  # SQLite hands JSON back as text through a plain text() query
            details = json.loads(details)
        created = row["created_at"]
        if isinstance(created, str):
            created = datetime.fromisoformat(created)
        content = {"seq": seq, "created_at": timestamp(created), "brief_id": row["brief_id"],
                   "subject_type": row["subject_type"], "subject_id": row["subject_id"], "action": row["action"],
                   "actor": row["actor"], "details": details}
        current = entry_hash(content, previous)
        bind.execute(table.update().where(table.c.id == row["id"]).values(seq=seq, prev_hash=previous,
                                                                           entry_hash=current))
        previous = current
    _set_update_triggers(postgres, enabled=True)


def _set_update_triggers(postgres: bool, *, enabled: bool) -> None:
    if postgres:
        op.execute(f"ALTER TABLE auditentry {'ENABLE' if enabled else 'DISABLE'} TRIGGER auditentry_no_change")
    elif enabled:
        op.execute("CREATE TRIGGER auditentry_no_update BEFORE UPDATE ON auditentry "
                   "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE refused'); END")
    else:
        op.execute("DROP TRIGGER IF EXISTS auditentry_no_update")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in _TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP TRIGGER IF EXISTS auditcheckpoint_no_change ON auditcheckpoint")
    else:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS auditcheckpoint_no_{action}")
    op.drop_table("auditchainlock")
    op.drop_table("auditcheckpoint")
    op.drop_index("ix_auditentry_seq", table_name="auditentry")
    for column in ("entry_hash", "prev_hash", "seq"):  # plain ALTER TABLE: a batch copy would lose 0002's triggers
        op.drop_column("auditentry", column)
