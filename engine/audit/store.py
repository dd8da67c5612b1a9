"""The audit store: one code path for SQLite and PostgreSQL, appends serialised under a write lock."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from engine.audit import ids, location
from engine.audit.batch import DraftBatch
from engine.audit.connect import postgresql_engine, read_only_url, sqlite_engine
from engine.audit.filters import Filters
from engine.audit.ids import Clock, UlidFactory, timestamp, utc_now
from engine.audit.placing import COLUMNS, Appended, Head, placed, placed_batch
from engine.audit.record import GENESIS, Draft, StoredRuleset
from engine.audit.schema import SCHEMA_VERSION, current_version, decisions, duplicate_ids, migrate, rulesets

BUSY_TIMEOUT_S: float = 120  # how long a writer waits for another one's transaction (SQLite and PostgreSQL)
# Key of the PostgreSQL advisory lock that serialises appends ("layak_au" in ASCII).
LOCK_KEY = 0x6C61796B5F617564
__all__ = ["Appended", "Filters", "Head", "Row", "Store"]
Row = dict[str, Any]  # one stored record: the columns of audit_decisions
_FOREIGN: list[Connection] = []  # connections a forked child inherited: kept from the collector, which would close them
_READ_ONLY_HINT = "opened read-only: if a -wal file beside it holds records, copy both to a writable folder"
_HINTS = {  # what a failed write most likely means, in SQLite's and PostgreSQL's words
    "store is locked": "another layak is recording into this store; run again when it is done",
    "disk I/O error": "is the disk full or failing? nothing was recorded",
    "disk is full": "free some space; nothing was recorded",
    "readonly database": "the store or its folder is read-only here; nothing was recorded",
    "unable to open database file": "can the store's file and folder be written here? nothing was recorded",
    "read-only transaction": "the database accepts reads only; nothing was recorded",
    "permission denied": "this database role lacks a privilege on the store's tables; nothing was recorded",
}


class Store:
    """An opened audit store. Use ``Store.open``; close it (or use ``with``) when done."""

    def __init__(self, where: str, engine: Engine) -> None:
        self.where = where
        self.engine = engine
        self.dialect = engine.dialect.name
        self._reader: Connection | None = None  # the read transaction of ``snapshot()``, while open
        self._writer: tuple[int, Connection] | None = None  # SQLite: the appends' connection, by process id
        self.read_only = False

    @contextmanager
    def snapshot(self) -> Iterator[Store]:
        """Every read inside sees one consistent state of the store, whatever writers commit meanwhile.

        SQLite: one read transaction (in WAL mode it keeps the snapshot of its first read).
        PostgreSQL: one REPEATABLE READ, READ ONLY transaction. Without it, ``audit verify`` could read the
        rulesets, then records a concurrent ``check`` stored under a new ruleset, and report damage.
        """
        if self._reader is not None:
            yield self
            return
        with self._guard(), self._reading() as conn:
            if self.dialect == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                self._reader = conn
                try:
                    yield self
                finally:
                    self._reader = None

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        if self._reader is not None:
            yield self._reader
        else:
            with self.engine.connect() as conn:
                yield conn

    @classmethod
    def open(
        cls, given: str | None = None, *, create: bool = False, read_only: bool = False, clock: Clock = utc_now
    ) -> Store:
        """Open the store named by ``given``/``$LAYAK_DB``/the default, creating or migrating its schema.

        ``read_only`` (every command that only reads): create, migrate and write nothing, so a copy on read-only
        media or in a read-only folder opens; a store that is not there or not migrated is an error.
        """
        where = location.target(given)
        url = location.to_url(where)
        path = location.sqlite_file(url)
        if path is not None:
            if not path.exists() and (read_only or not create):
                raise location.unreadable(
                    where,
                    "no audit store here",
                    "nothing recorded yet? `layak check` records decisions; --db or LAYAK_DB names another store",
                )
            if not read_only:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as error:
                    raise location.unreadable(where, f"cannot create its directory: {error.strerror}") from None
        try:
            if path is None:
                engine = postgresql_engine(url, read_only=read_only)
            else:
                engine = sqlite_engine(
                    read_only_url(path) if read_only else url, timeout=BUSY_TIMEOUT_S, read_only=read_only
                )
        except (SQLAlchemyError, ImportError) as error:
            raise location.unreadable(where, str(error)) from None
        store = cls(where, engine)
        store.read_only = read_only
        store._ensure_schema(clock)
        return store

    def close(self) -> None:
        self._drop_writer()
        self.engine.dispose()

    def _drop_writer(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None and writer[0] == os.getpid():
            writer[1].close()  # the last connection to close checkpoints the log into the file and removes it
        elif writer is not None:  # a forked child's copy of its parent's connection: never used, never closed
            _FOREIGN.append(writer[1])

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as error:
            cause = error.orig if isinstance(error, DBAPIError) else error
            message = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
            if "database is locked" in message or "lock timeout" in message:
                message = f"the store is locked: another writer held it over {BUSY_TIMEOUT_S:g} s ({message})"
            hint = next((hint for known, hint in _HINTS.items() if known in message), "")
            if self.read_only and ("readonly" in message or "unable to open" in message):
                hint = _READ_ONLY_HINT  # nothing is written here: the writers' hints would mislead
            raise location.unreadable(self.where, message, hint) from None

    @contextmanager
    def _locked(self) -> Iterator[Connection]:
        """A transaction holding the store's write lock until it commits or rolls back."""
        with self.engine.connect() as conn:
            conn.execution_options(layak_write=True)
            with conn.begin():
                if self.dialect == "postgresql":
                    # wait as long as SQLite does, then fail clearly: never stall behind a hung writer forever
                    conn.execute(text(f"SET LOCAL lock_timeout = {int(BUSY_TIMEOUT_S * 1000)}"))
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
                yield conn

    def _ensure_schema(self, clock: Clock) -> None:
        with self._guard():
            with self.engine.connect() as conn:
                found = current_version(conn)
            if found < SCHEMA_VERSION and self.read_only:
                raise location.unreadable(
                    self.where,
                    f"no audit store here: schema version {found}, this layak reads {SCHEMA_VERSION}"
                    if found == 0
                    else f"the store has schema version {found}; this layak reads {SCHEMA_VERSION}",
                    "is this the right file? a reader never creates nor upgrades a store; `layak check` does",
                )
            if found < SCHEMA_VERSION:
                with self._locked() as conn:
                    found = current_version(conn)
                    migrate(conn, found, timestamp(clock()))
        if found > SCHEMA_VERSION:
            raise location.unreadable(
                self.where,
                f"the store has schema version {found}; this layak reads up to {SCHEMA_VERSION}",
                "upgrade layak",
            )

    def append(
        self,
        drafts: Iterable[Draft] | DraftBatch,
        *,
        clock: Clock = utc_now,
        new_id: UlidFactory | None = None,
        chunk: int = 500,
    ) -> Appended:
        """Append records in one transaction: all of them or none, gapless after the current head."""
        new_id = new_id or UlidFactory()
        if isinstance(drafts, DraftBatch):  # a streamed check's batch, placed from its columns
            chunks: Iterator[list[Draft] | DraftBatch] = iter([drafts] if len(drafts) else [])
        else:
            items = iter(drafts)
            chunks = iter(lambda: list(itertools.islice(items, chunk)), [])
        with self._guard(), self._appending() as conn:
            head = self._head(conn)
            seq, prev = head.seq, head.chain_hash
            moment = clock()
            recorded_at = timestamp(moment)
            stored: set[str] = set()
            made: list[str] = []
            insert = self._inserter(conn)
            for batch in chunks:
                for ruleset in [batch.ruleset] if isinstance(batch, DraftBatch) else [d.ruleset for d in batch]:
                    if ruleset.hash not in stored:
                        self._store_ruleset(conn, ruleset, recorded_at)
                        stored.add(ruleset.hash)
                made_now = new_id.many(moment, len(batch))
                if isinstance(batch, DraftBatch):
                    rows, prev = placed_batch(batch, seq, made_now, recorded_at, prev)
                else:
                    rows, prev = placed(batch, seq, made_now, recorded_at, prev)
                seq += len(batch)
                made += made_now
                insert(rows)
        return Appended(first=head.seq + 1, last=seq, head=prev, ids=tuple(made))

    @contextmanager
    def _appending(self) -> Iterator[Connection]:
        """An append's locked transaction. SQLite: on one connection kept open from the first append to ``close``,
        so its pages stay cached and the log is checkpointed as it grows (``connect.WAL_BYTES``) and reused,
        rather than made, checkpointed and removed at every append. A failed append's connection is not reused."""
        if self.dialect != "sqlite":
            with self._locked() as conn:
                yield conn
            return
        if self._writer is None or self._writer[0] != os.getpid():
            self._drop_writer()
            self._writer = (os.getpid(), self.engine.connect().execution_options(layak_write=True))
        conn = self._writer[1]
        try:
            with conn.begin():
                yield conn
        except BaseException:
            with suppress(SQLAlchemyError):  # the append's own error is the one to report
                self._drop_writer()
            raise

    def _inserter(self, conn: Connection) -> Callable[[list[tuple[Any, ...]]], object]:
        """Inserts rows of ``audit_decisions`` (tuples in ``placing.COLUMNS`` order). SQLite: one prepared
        statement run by the driver (SQLAlchemy's per-row parameter processing cost as much as SQLite's own
        work); PostgreSQL: SQLAlchemy's batched multi-row INSERT."""
        if self.dialect != "sqlite":
            return lambda rows: conn.execute(decisions.insert(), [dict(zip(COLUMNS, row, strict=True)) for row in rows])
        sql = f"INSERT INTO {decisions.name} ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
        return lambda rows: conn.exec_driver_sql(sql, rows)

    @staticmethod
    def _store_ruleset(conn: Connection, ruleset: StoredRuleset, stored_at: str) -> None:
        if conn.execute(select(rulesets.c.hash).where(rulesets.c.hash == ruleset.hash)).first() is None:
            row = {"hash": ruleset.hash, "ruleset_id": ruleset.id, "version": ruleset.version, "stored_at": stored_at}
            conn.execute(rulesets.insert().values(body=ruleset.body.decode(), **row))

    @staticmethod
    def _head(conn: Connection) -> Head:
        row = conn.execute(
            select(decisions.c.seq, decisions.c.chain_hash, decisions.c.decision_id, decisions.c.recorded_at)
            .order_by(decisions.c.seq.desc())
            .limit(1)
        ).first()
        return Head(0, GENESIS) if row is None else Head(int(row.seq), row.chain_hash, row.decision_id, row.recorded_at)

    def head(self) -> Head:
        """The last record's sequence number and chain hash."""
        with self._guard(), self._reading() as conn:
            return self._head(conn)

    def count(self) -> int:
        with self._guard(), self._reading() as conn:
            return int(conn.execute(select(func.count()).select_from(decisions)).scalar() or 0)

    def rows(self, filters: Filters | None = None, *, after: int = 0, full: bool = True) -> Iterator[Row]:
        """Records in sequence order (streamed), optionally filtered; ``full=False`` leaves out the record bodies."""
        columns = decisions.c if full else [c for c in decisions.c if c.name not in ("record", "personal")]
        query = select(*columns).where(decisions.c.seq > after).order_by(decisions.c.seq)
        if filters is not None:
            query = filters.applied(query)
        with self._guard(), self._reading() as conn:
            for row in conn.execution_options(yield_per=500).execute(query).mappings():
                yield dict(row)

    def duplicate_ids(self) -> dict[int, tuple[str, int]]:
        """Decision ids held by more than one record (the schema forbids it): seq of each later one → (id, first)."""
        with self._guard(), self._reading() as conn:
            return duplicate_ids(conn)

    def find(self, ident: str) -> Row:
        """The record named by its decision id, a unique prefix of it, or its sequence number (#12 or 12)."""
        seq = ids.sequence_number(ident)
        with self._guard(), self._reading() as conn:
            if seq is not None:
                found = conn.execute(select(decisions).where(decisions.c.seq == seq)).mappings().all()
            else:
                ident = ident.strip().upper()
                found = conn.execute(select(decisions).where(decisions.c.decision_id == ident)).mappings().all()
                if not found and len(ident) >= ids.SHORTEST_PREFIX:
                    pattern = ident.replace("%", "").replace("_", "") + "%"
                    found = (
                        conn.execute(
                            select(decisions)
                            .where(decisions.c.decision_id.like(pattern))
                            .order_by(decisions.c.seq)
                            .limit(4)
                        )
                        .mappings()
                        .all()
                    )
        if len(found) == 1:
            return dict(found[0])
        if found:
            raise ids.ambiguous(ident, [(int(r["seq"]), r["decision_id"]) for r in found], location.shown(self.where))
        raise ids.not_found(ident, location.shown(self.where))

    def ruleset_bodies(self) -> dict[str, str]:
        """Every stored ruleset body by its hash key."""
        with self._guard(), self._reading() as conn:
            return {row.hash: row.body for row in conn.execute(select(rulesets.c.hash, rulesets.c.body))}

    def ruleset_body(self, digest: str) -> str | None:
        with self._guard(), self._reading() as conn:
            return conn.execute(select(rulesets.c.body).where(rulesets.c.hash == digest)).scalar()
