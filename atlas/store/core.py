"""The store: one engine, its migrated schema, and the views, scenarios and CSV it holds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from atlas.store.clock import _utcnow
from atlas.store.csv_repo import CsvRepo
from atlas.store.engine import make_engine
from atlas.store.errors import DatabaseUnavailable
from atlas.store.location import _first_line, check_database, database_location, default_url
from atlas.store.scenarios_repo import ScenariosRepo
from atlas.store.schema import migrate
from atlas.store.views_repo import ViewsRepo


class Store(ViewsRepo, ScenariosRepo, CsvRepo):
    """Saved scenarios and views of every pack, in one database; create with `open_store()`.
    Its methods are in three halves by what they hold: `ViewsRepo`, `ScenariosRepo`,
    `CsvRepo` (each in its own module); this class owns the engine, the clock and the
    read-only stand-in."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] | None = None) -> None:
        self.engine = engine
        self.clock = clock or _utcnow
        self.read_only: DatabaseUnavailable | None = None  # set on the read-only stand-in
        self.new_database = False  # set by `open_store` when the SQLite file was created
        try:
            self.schema_version = migrate(engine, clock=self.clock)
        except sa.exc.OperationalError as exc:
            if "locked" in str(exc.orig):
                raise
            where, detail = database_location(engine), _first_line(exc)
            raise DatabaseUnavailable(where, "unreachable", detail) from exc
        except sa.exc.DatabaseError as exc:  # "file is not a database", "malformed"
            where, detail = database_location(engine), _first_line(exc)
            raise DatabaseUnavailable(where, "corrupt", detail) from exc

    @classmethod
    def from_url(cls, url: str, clock: Callable[[], datetime] | None = None) -> Store:
        """The store at `url`; `DatabaseUnavailable` (nothing written) if it cannot be used."""
        check_database(url)
        return cls(make_engine(url), clock)

    @classmethod
    def stand_in(cls, problem: DatabaseUnavailable) -> Store:
        """An empty in-memory store that refuses every write with `problem`'s message: the
        app keeps showing packs while the real database cannot be used."""
        store = cls(make_engine("sqlite://"))
        store.read_only = problem
        return store

    def _writable(self) -> None:
        if self.read_only is not None:
            raise self.read_only

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None) -> Store:
    """The store at `url`, else `ATLAS_DB_URL`, else the SQLite file `ATLAS_DB`;
    `new_database` says whether this opening created the file."""
    url = url or default_url()
    existed = store_exists(url)
    opened = Store.from_url(url)
    opened.new_database = not existed
    return opened


def store_exists(url: str | None = None) -> bool:
    """False for a SQLite file not created yet, so a listing need not create one."""
    parsed = sa.make_url(url or default_url())
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return True
    return Path(parsed.database).expanduser().exists()
