"""Where the database is: the configured URL, a SQLite file checked before it is opened, and
its location as a user can find it."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from atlas.settings import settings
from atlas.store.errors import DatabaseUnavailable


def default_db_path() -> Path:
    return settings().db_path


def default_url() -> str:
    """`ATLAS_DB_URL` if set, else a SQLite file at `ATLAS_DB` (or the default path)."""
    return settings().database_url


SQLITE_HEADER = b"SQLite format 3\x00"


def check_database(url: str) -> None:
    """Raise `DatabaseUnavailable` for a SQLite file that must not be opened as a database: a
    0-byte file (SQLite would silently make it a new, empty database), a file that is not
    SQLite, a folder. A missing file is fine: it is created (and said so by `new_database`)."""
    parsed = sa.make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return
    if database.startswith("file:"):
        return
    path = Path(database).expanduser()
    if not path.exists():
        return
    if path.is_dir():
        raise DatabaseUnavailable(str(path), "not_a_file")
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_HEADER))
    if not head:
        raise DatabaseUnavailable(str(path), "empty")
    if head != SQLITE_HEADER:
        raise DatabaseUnavailable(str(path), "not_sqlite")


def database_location(engine: Engine) -> str:
    """The database as a user can find it: a SQLite file's path, else the URL (no password)."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database:
        return str(Path(url.database).expanduser())
    return url.render_as_string(hide_password=True)


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
