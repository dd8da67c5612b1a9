"""Shared test setup: a private audit store per test (never ~/.local/share), and audit stores on both databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from engine.audit.location import to_url


@pytest.fixture(autouse=True)
def _private_audit_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    # `layak check` records every decision; tests must not write into the user's default store.
    path = tmp_path_factory.mktemp("audit") / "audit.db"
    monkeypatch.setenv("LAYAK_DB", str(path))
    return path


def pg_base_url() -> str:
    """LAYAK_TEST_PG_URL; without it the PostgreSQL tests skip, except in CI where they must run."""
    url = os.environ.get("LAYAK_TEST_PG_URL")
    if not url:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI is set but LAYAK_TEST_PG_URL is not: .ci/run starts PostgreSQL for the audit tests")
        pytest.skip("PostgreSQL audit tests need LAYAK_TEST_PG_URL (.ci/run starts a server and sets it)")
    return url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped afterwards."""
    base = pg_base_url()
    name = f"layak_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(to_url(base), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty audit store on each database: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return str(request.getfixturevalue("pg_url"))


def raw_sql(url: str) -> Connection:
    """A plain connection (no layak code) for tampering; the append-only triggers are switched off first."""
    engine = create_engine(to_url(url), poolclass=NullPool)
    conn = engine.connect()
    if engine.dialect.name == "postgresql":
        for table in ("audit_decisions", "audit_rulesets"):
            conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    else:
        for table in ("audit_decisions", "audit_rulesets"):
            for op in ("update", "delete"):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
    conn.commit()
    return conn
