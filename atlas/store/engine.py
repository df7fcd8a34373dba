"""Engines and write transactions (SQLite: foreign keys, WAL, BEGIN IMMEDIATE for writers)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

# --- engines ----------------------------------------------------------------------------------

WRITE = "atlas_write"  # execution option: this transaction will write (SQLite: BEGIN IMMEDIATE)


def _sqlite_connect(dbapi_conn: Any, _record: object) -> None:
    """pysqlite's legacy transaction control sends no BEGIN before DDL, so a migration's
    CREATE/ALTER would be committed one statement at a time. SQLAlchemy's documented recipe
    (SQLite dialect, "Transactions with SQLite and the sqlite3 driver"): switch pysqlite's own
    BEGIN off here and emit BEGIN from the engine's "begin" event (`_sqlite_begin`)."""
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")  # outside any transaction, where it takes effect
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """BEGIN IMMEDIATE for a transaction that will write: it takes the write lock first, so
    two saves wait for each other (busy timeout) instead of one failing with "database is
    locked" when both read first and then try to write."""
    write = conn.get_execution_options().get(WRITE)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """`engine.begin()` for a transaction that writes (see `_sqlite_begin`)."""
    with engine.execution_options(**{WRITE: True}).begin() as conn:
        yield conn


def make_engine(url: str) -> Engine:
    """An engine for `url`; a SQLite file's folder is created, foreign keys are enforced and
    every transaction, DDL included, is a real one."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(parsed, pool_pre_ping=True)
    database = parsed.database or ""
    if database in ("", ":memory:"):
        engine = sa.create_engine(
            parsed, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        if not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        # Wait for another writer instead of failing at once with "database is locked".
        engine = sa.create_engine(parsed, connect_args={"timeout": 30})
    sa.event.listen(engine, "connect", _sqlite_connect)
    sa.event.listen(engine, "begin", _sqlite_begin)
    return engine
