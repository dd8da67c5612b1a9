"""The store's tables (SQLAlchemy Core, one definition for SQLite and PostgreSQL) and their migrations."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    inspect,
    select,
)
from sqlalchemy.exc import DBAPIError

SCHEMA_VERSION = 1

metadata = MetaData()

schema_version = Table(
    "audit_schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", String(32), nullable=False),
)

rulesets = Table(
    "audit_rulesets",
    metadata,
    Column("hash", String(64), primary_key=True),  # SHA-256 of the canonical body: content identity
    Column("ruleset_id", String(80), nullable=False),
    Column("version", String(80), nullable=False),
    Column("body", Text, nullable=False),  # RFC 8785 JSON of the resolved ruleset
    Column("stored_at", String(32), nullable=False),
)

decisions = Table(
    "audit_decisions",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("decision_id", String(26), nullable=False, unique=True),
    # Copies of record fields, for queries; `audit verify` checks that they agree with the record.
    Column("recorded_at", String(32), nullable=False),
    Column("as_of", String(10), nullable=False),
    Column("position", String(80), nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("board", Text),
    Column("actor", Text, nullable=False),
    Column("nip", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("ruleset_hash", String(64), nullable=False),
    Column("record", Text, nullable=False),  # RFC 8785 JSON, personal data sealed: what the chain covers
    Column("personal", Text, nullable=False),  # the sealed values with their salts
    Column("prev_hash", String(64), nullable=False),
    Column("chain_hash", String(64), nullable=False),
)
Index("audit_decisions_recorded_at", decisions.c.recorded_at)
Index("audit_decisions_position", decisions.c.position, decisions.c.recorded_at)

GUARDED = ("audit_decisions", "audit_rulesets")

_PG_GUARDS = [
    """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION USING MESSAGE = 'the layak audit log is append-only: ' || TG_OP || ' on '
             || TG_TABLE_NAME || ' refused'; END $$""",
    *[
        f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
          FOR EACH ROW EXECUTE FUNCTION audit_append_only()"""
        for table in GUARDED
    ],
    *[
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
          FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()"""
        for table in GUARDED
    ],
]
_SQLITE_GUARDS = [
    f"""CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table}
        BEGIN SELECT RAISE(ABORT, 'the layak audit log is append-only: {op} on {table} refused'); END"""
    for table in GUARDED
    for op in ("UPDATE", "DELETE")
]


def duplicate_ids(conn: Connection) -> dict[int, tuple[str, int]]:
    """Decision ids held by more than one record: seq of each later one → (id, seq of the first)."""
    twice = select(decisions.c.decision_id).group_by(decisions.c.decision_id).having(func.count() > 1)
    query = select(decisions.c.seq, decisions.c.decision_id).where(decisions.c.decision_id.in_(twice))
    out: dict[int, tuple[str, int]] = {}
    first: dict[str, int] = {}
    for seq, decision_id in conn.execute(query.order_by(decisions.c.seq)):
        first.setdefault(decision_id, int(seq))
        if first[decision_id] != seq:
            out[int(seq)] = (decision_id, first[decision_id])
    return out


def current_version(conn: Connection) -> int:
    """The schema version of the store, 0 when it has no layak tables yet."""
    if not inspect(conn).has_table(schema_version.name):
        return 0
    return int(conn.execute(select(schema_version.c.version).order_by(schema_version.c.version.desc())).scalar() or 0)


def _create_v1(conn: Connection) -> None:
    metadata.create_all(conn, tables=[rulesets, decisions])
    postgresql = conn.dialect.name == "postgresql"
    for statement in _PG_GUARDS if postgresql else _SQLITE_GUARDS:
        conn.exec_driver_sql(statement)
    for column in ("record", "personal") if postgresql else ():
        try:  # lz4 TOAST compression halves append time; pglz stays where it is unavailable (< 14, no lz4)
            with conn.begin_nested():
                conn.exec_driver_sql(f"ALTER TABLE audit_decisions ALTER COLUMN {column} SET COMPRESSION lz4")
        except DBAPIError:
            pass


# Step n brings a store from version n-1 to n; each runs in the same locked transaction as its row.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _create_v1}


def migrate(conn: Connection, found: int, applied_at: str) -> None:
    """Run every step after ``found`` (caller holds the write lock), recording each version applied."""
    if found == 0:
        metadata.create_all(conn, tables=[schema_version])
    for version in range(found + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[version](conn)
        conn.execute(schema_version.insert().values(version=version, applied_at=applied_at))
