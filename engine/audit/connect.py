"""Connecting to a store's database: SQLite (write-ahead log, or read-only) and PostgreSQL, one engine each."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import NullPool

PAGE_SIZE = 65536  # bytes per page of a new SQLite store (SQLite's largest)
# A writer checkpoints its log into the file once the log holds this much (SQLite's default is 1,000 pages:
# 64 MB at 64 KB a page). A small log is rewritten in place while it is still in the page cache, and costs a
# recording run less CPU; every commit is synced to disk all the same (synchronous=FULL).
WAL_BYTES = 100 * PAGE_SIZE


def read_only_url(path: Path) -> str:
    """A SQLite URL that opens ``path`` read-only and creates nothing beside it.

    ``mode=ro`` reads a write-ahead log (``-wal``) left beside the file, so committed records not yet checkpointed
    are seen; but it must create the ``-shm`` index, which a read-only folder forbids. There, and only when no
    log holds data (all committed records are then in the file itself), ``immutable=1`` reads the file as it is.
    A non-empty log in a read-only folder is never skipped: opening fails and the hint says to copy the store.
    """
    wal = path.with_name(path.name + "-wal")
    holds_log = wal.exists() and wal.stat().st_size > 0
    immutable = "&immutable=1" if not holds_log and not os.access(path.parent, os.W_OK) else ""
    return f"sqlite:///file:{path}?mode=ro{immutable}&uri=true"


def sqlite_engine(url: str, *, timeout: float, read_only: bool = False) -> Engine:
    engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": timeout})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # layak issues BEGIN itself (below): pysqlite's implicit transactions cannot take the write
        # lock up front, and a writer must hold it from reading the head to committing.
        dbapi_connection.isolation_level = None
        if read_only:  # the journal mode is the writer's to set; a reader changes nothing
            return
        cursor = dbapi_connection.cursor()
        # A record is ~10 KB: in 64 KB pages it spills into no overflow chain, which takes SQLite a third less
        # work to write. It applies to a new file only (set before its first write); older stores keep theirs.
        cursor.execute(f"PRAGMA page_size={PAGE_SIZE}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        page_size = cursor.execute("PRAGMA page_size").fetchone()[0]  # an older store keeps its own
        cursor.execute(f"PRAGMA wal_autocheckpoint={max(1, WAL_BYTES // page_size)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("layak_write") else "BEGIN")

    return engine


def postgresql_engine(url: str, *, read_only: bool = False) -> Engine:
    args: dict[str, Any] = {"connect_timeout": 10}
    if read_only:  # the server itself refuses any write a reader might attempt
        args["options"] = "-c default_transaction_read_only=on"
    return create_engine(url, poolclass=NullPool, connect_args=args)
