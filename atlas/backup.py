"""`python -m atlas backup`: a consistent copy of the scenario database, taken while the app
may be writing to it.

SQLite: the library's online backup (`sqlite3.Connection.backup`, the SQLite backup API), page
by page under a read lock, so a save in progress is either wholly in the copy or not at all,
and the copy is checked (`PRAGMA integrity_check`) before it is reported. PostgreSQL: its own
`pg_dump` is the tool (a copy made through SQLAlchemy would not be one snapshot); the command
prints how.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from atlas.store import DatabaseUnavailable, StoreError, check_database, default_url


def default_target(source: Path, now: datetime | None = None) -> Path:
    """`atlas.db` → `atlas-backup-20261207-1530.db`, beside it."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return source.with_name(f"{source.stem}-backup-{stamp}{source.suffix or '.db'}")


def backup_database(url: str | None = None, out: Path | None = None) -> Path:
    """Copy the database at `url` (default: the app's) to `out`; the copy's path. Raises
    `StoreError` (bilingual) when there is nothing sound to copy or it is not SQLite."""
    url = url or default_url()
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        where = parsed.render_as_string(hide_password=True)
        raise StoreError(
            f"{where} là PostgreSQL: hãy sao lưu bằng pg_dump, ví dụ "
            f"pg_dump -Fc -f atlas.dump '{parsed.database}'.",
            f"{where} is PostgreSQL: back it up with pg_dump, e.g. "
            f"pg_dump -Fc -f atlas.dump '{parsed.database}'.",
        )
    source = Path(parsed.database or "").expanduser()
    if not source.is_file():
        raise StoreError(
            f"Chưa có cơ sở dữ liệu tại {source}: không có gì để sao lưu.",
            f"There is no database at {source}: nothing to back up.",
        )
    check_database(url)  # a 0-byte or foreign file is said, not copied as if sound
    target = Path(out) if out else default_target(source)
    if target.exists():
        raise StoreError(
            f"Đã có tệp {target}: chọn tên khác (--out), tệp cũ không bị ghi đè.",
            f"{target} already exists: choose another name (--out); it is not overwritten.",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        dst.close()
        target.unlink(missing_ok=True)
        raise DatabaseUnavailable(str(source), "corrupt", str(exc)) from exc
    finally:
        src.close()
    dst.close()
    if ok != "ok":
        target.unlink(missing_ok=True)
        raise DatabaseUnavailable(str(source), "corrupt", str(ok))
    return target
