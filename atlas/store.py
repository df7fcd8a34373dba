"""Scenarios on disk (or in PostgreSQL), with an audit trail and optimistic concurrency.

SQLAlchemy Core only, so any database with a SQLAlchemy URL works unchanged: by default a SQLite
file outside the repository (`ATLAS_DB`, default ~/.local/share/atlas-ha-tang/atlas.db), or
any URL in `ATLAS_DB_URL` (e.g. postgresql+psycopg://…).

Why it is built this way:
* Several planners may edit the same scenario from different browsers. A save names the
  version it was based on; a save from a stale copy is refused (`StaleScenarioError`) and the
  other person's save stays exactly as it was. Nothing is merged silently.
* A save is one transaction: scenario row, edits and audit entries are all written or none.
* Every change is recorded in `audit_log` (who, when, commune, field, old → new), because a
  plan figure someone changed must be traceable to a person and a date.
* The schema is versioned (`schema_version`) and upgraded by ordered migration functions, so
  a database made by an older version of the app is upgraded in place on first use. Each step
  is one transaction, DDL included (on SQLite too, see `make_engine`): a step that fails
  leaves the database at the version before it, and the next start tries again.
* Names are unique per pack ignoring case, accents and spacing (`name_key`, the same fold as
  `atlas.scenarios.check_name`), enforced by a unique index so that two people creating the
  same name at the same moment on PostgreSQL cannot both succeed.
* Times are stored in UTC and shown in Vietnam's time (UTC+7, labelled so; `shown_time`):
  every user is in Vietnam, and "saved at 01:30 UTC" would read as the middle of the night.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

from atlas import events, scenario_csv
from atlas import scenarios as sc
from atlas.formats import time_text
from atlas.kpi import CODE
from atlas.roles import Account, require, require_delete
from atlas.scenarios import Problem, Scenario, ScenarioError, Value
from atlas.settings import settings
from atlas.spec import Pack
from atlas.views import View


def default_db_path() -> Path:
    return settings().db_path


def default_url() -> str:
    """`ATLAS_DB_URL` if set, else a SQLite file at `ATLAS_DB` (or the default path)."""
    return settings().database_url


# --- errors -----------------------------------------------------------------------------------


class StoreError(RuntimeError):
    """A refused store operation, with a Vietnamese and an English message."""

    def __init__(self, vi: str, en: str) -> None:
        self.vi = vi
        self.en = en
        super().__init__(f"{vi} / {en}")

    def message(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi


class StaleScenarioError(StoreError):
    """The scenario was saved (or deleted) by someone else since this copy was loaded."""

    def __init__(
        self,
        scenario_id: str,
        name: str,
        expected: int,
        current: int | None,
        who: str | None = None,
        at: datetime | None = None,
        deleted: bool = False,
    ) -> None:
        self.scenario_id = scenario_id
        self.expected = expected
        self.current = current
        self.who = who
        self.at = at
        self.deleted = deleted
        by_vi = f" bởi {who}" if who else ""
        by_en = f" by {who}" if who else ""
        when = f" ({shown_time(at)})" if at else ""
        if deleted:
            vi = f"Kịch bản “{name}” đã bị xoá{by_vi}{when}. Thay đổi của bạn chưa được lưu."
            en = f"Scenario “{name}” was deleted{by_en}{when}. Your changes were not saved."
        else:
            vi = (
                f"Kịch bản “{name}” đã được lưu{by_vi}{when} (phiên bản {current}) sau khi bạn "
                f"mở bản {expected}. Thay đổi của bạn chưa được lưu và bản của người kia được "
                "giữ nguyên: hãy tải lại kịch bản rồi sửa lại."
            )
            en = (
                f"Scenario “{name}” was saved{by_en}{when} (version {current}) after you opened "
                f"version {expected}. Your changes were not saved and theirs are kept: reload "
                "the scenario and make your changes again."
            )
        super().__init__(vi, en)


class ScenarioNotFoundError(StoreError, KeyError):
    def __init__(self, scenario_id: str) -> None:
        super().__init__(
            f"Không có kịch bản đã lưu mã “{scenario_id}”.",
            f"No saved scenario with id “{scenario_id}”.",
        )


class SchemaTooNewError(StoreError):
    def __init__(self, found: int, known: int) -> None:
        super().__init__(
            f"Cơ sở dữ liệu có lược đồ phiên bản {found}, mới hơn phiên bản {known} mà ứng dụng "
            "này biết: hãy cập nhật ứng dụng.",
            f"The database schema is version {found}, newer than version {known} this app "
            "knows: update the app.",
        )


class DatabaseUnavailable(StoreError):
    """The database cannot be used: where it is, what happened and what to do, in both
    languages; the app then opens read-only (packs, maps, exports) and writes nothing."""

    def __init__(self, where: str, kind: str, detail: str = "") -> None:
        self.where = where
        self.kind = kind
        self.detail = detail
        what_vi, what_en = {
            "empty": ("là tệp rỗng (0 byte), có thể do sao chép hỏng",
                      "is an empty file (0 bytes), perhaps a failed copy"),
            "not_sqlite": ("không phải cơ sở dữ liệu SQLite (tệp khác bị đặt vào chỗ này?)",
                           "is not a SQLite database (another file put in its place?)"),
            "not_a_file": ("là một thư mục, không phải tệp", "is a folder, not a file"),
            "corrupt": ("bị hỏng, không đọc được", "is damaged and cannot be read"),
            "unreachable": ("không kết nối được", "cannot be reached"),
        }[kind]  # fmt: skip
        tail_vi = f" ({detail})" if detail else ""
        super().__init__(
            f"Cơ sở dữ liệu {where} {what_vi}{tail_vi}. Ứng dụng chỉ mở để xem: bản đồ, chỉ "
            "tiêu, trình chiếu và xuất tệp vẫn dùng được, nhưng không lưu được kịch bản, góc "
            "nhìn hay dữ liệu nhập. Cách xử lý: khôi phục bản sao lưu vào đúng đường dẫn này "
            "(python -m atlas backup tạo bản sao lưu), hoặc đổi tên tệp này để ứng dụng tạo cơ "
            "sở dữ liệu mới, rồi tải lại trang. Tệp không bị ghi đè.",
            f"The database {where} {what_en}{tail_vi}. The app is open read-only: maps, "
            "targets, presenting and exports work, but scenarios, views and imports cannot be "
            "saved. What to do: restore a backup to this path (python -m atlas backup makes "
            "one), or rename this file so that the app starts a new database, then reload the "
            "page. The file has not been overwritten.",
        )


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


# --- schema -----------------------------------------------------------------------------------
# The current shape of the tables, used by the queries. Migrations below define their own
# shapes (a migration must keep doing what it did when it was written).

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.String(200), nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)

scenarios_t = sa.Table(
    "scenarios",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("pack_id", sa.String(64), nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("year", sa.Integer, nullable=True),
    sa.Column("base", sa.String(64), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False),
    # fold(name): the key two names clash on (migration 3; NULL never written by this app).
    sa.Column("name_key", sa.String(200), nullable=True),
)

edits_t = sa.Table(
    "scenario_edits",
    metadata,
    sa.Column(
        "scenario_id",
        sa.String(64),
        sa.ForeignKey("scenarios.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("code", sa.String(32), primary_key=True),
    sa.Column("column", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=True),
    sa.Column("type", sa.String(8), nullable=False),
)

audit_t = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("scenario_id", sa.String(64), nullable=False, index=True),
    sa.Column("who", sa.String(200), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("code", sa.String(32), nullable=True),
    sa.Column("column", sa.String(64), nullable=True),
    sa.Column("old", sa.Text, nullable=True),
    sa.Column("new", sa.Text, nullable=True),
)


def _m001_initial(conn: Connection) -> None:
    """Scenarios, their edits, and the audit log."""
    md = sa.MetaData()
    sa.Table(
        "scenarios",
        md,
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("pack_id", sa.String(64), nullable=False, index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("year", sa.Integer, nullable=True),
        sa.Column("base", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
    )
    sa.Table(
        "scenario_edits",
        md,
        sa.Column(
            "scenario_id",
            sa.String(64),
            sa.ForeignKey("scenarios.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("code", sa.String(32), primary_key=True),
        sa.Column("column", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=True),
        sa.Column("type", sa.String(8), nullable=False),
    )
    sa.Table(
        "audit_log",
        md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scenario_id", sa.String(64), nullable=False, index=True),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("code", sa.String(32), nullable=True),
        sa.Column("column", sa.String(64), nullable=True),
        sa.Column("old", sa.Text, nullable=True),
        sa.Column("new", sa.Text, nullable=True),
    )
    md.create_all(conn)


views_t = sa.Table(
    "views",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("pack_id", sa.String(64), nullable=False, index=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)


def _m002_views(conn: Connection) -> None:
    """Saved map views (`atlas.views.View` as JSON), ordered per pack by `position`."""
    md = sa.MetaData()
    sa.Table(
        "views",
        md,
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("pack_id", sa.String(64), nullable=False, index=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    md.create_all(conn)


NAME_KEY_INDEX = "uq_scenarios_pack_name_key"
MIGRATION_WHO = "Atlas (nâng cấp CSDL / database upgrade)"


def _m003_name_key(conn: Connection) -> None:
    """`scenarios.name_key` (the folded name) and a unique index on (pack_id, name_key) among
    the scenarios not deleted.

    Scenarios saved before this step may already clash (the old check compared names as
    typed): the later of two clashing scenarios gets " (2)", " (3)"… appended to its name, a
    new version and an audit entry, so the index can be built and no scenario is hidden.
    """
    conn.execute(sa.text("ALTER TABLE scenarios ADD COLUMN name_key VARCHAR(200)"))
    md = sa.MetaData()
    table = sa.Table(
        "scenarios",
        md,
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("pack_id", sa.String(64)),
        sa.Column("name", sa.String(200)),
        sa.Column("version", sa.Integer),
        sa.Column("created_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
        sa.Column("deleted", sa.Boolean),
        sa.Column("name_key", sa.String(200)),
    )
    audit = sa.Table(
        "audit_log",
        md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scenario_id", sa.String(64)),
        sa.Column("who", sa.String(200)),
        sa.Column("at", sa.DateTime(timezone=True)),
        sa.Column("action", sa.String(16)),
        sa.Column("column", sa.String(64)),
        sa.Column("old", sa.Text),
        sa.Column("new", sa.Text),
    )
    now = _utcnow()
    taken: dict[str, set[str]] = {}
    rows = conn.execute(
        sa.select(
            table.c.id, table.c.pack_id, table.c.name, table.c.version, table.c.deleted
        ).order_by(table.c.created_at, table.c.id)
    ).all()
    for row in rows:
        name, key = row.name, sc.name_key(row.name)
        if not row.deleted:
            used = taken.setdefault(row.pack_id, set())
            n = 2
            while key in used:
                name = f"{row.name[: sc.MAX_NAME - 6]} ({n})"
                key, n = sc.name_key(name), n + 1
            used.add(key)
        values: dict[str, object] = {"name_key": key}
        if name != row.name:
            values.update(name=name, version=row.version + 1, updated_at=now)
            conn.execute(
                audit.insert().values(
                    scenario_id=row.id,
                    who=MIGRATION_WHO,
                    at=now,
                    action="meta",
                    column="name",
                    old=row.name,
                    new=name,
                )
            )
        conn.execute(table.update().where(table.c.id == row.id).values(**values))
    _name_key_index(table).create(conn)


def _name_key_index(table: sa.Table) -> sa.Index:
    live = table.c.deleted == sa.false()
    return sa.Index(
        NAME_KEY_INDEX,
        table.c.pack_id,
        table.c.name_key,
        unique=True,
        sqlite_where=live,
        postgresql_where=live,
    )


_name_key_index(scenarios_t)  # the current shape knows its index too


def _m004_accounts(conn: Connection) -> None:
    """Local accounts (`atlas.accounts`, which imports this module: hence the late import)."""
    from atlas.accounts import m004_accounts

    m004_accounts(conn)


def _m005_events(conn: Connection) -> None:
    """The audit trail of views, imports and accounts, and who may write into a user pack."""
    events.m005_events(conn)


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


# Ordered; append only. Version N is applied after N − 1, each in its own transaction.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "scenarios, scenario_edits, audit_log", _m001_initial),
    Migration(2, "views", _m002_views),
    Migration(3, "scenarios.name_key, unique per pack among live scenarios", _m003_name_key),
    Migration(4, "accounts", _m004_accounts),
    Migration(5, "events, pack_access", _m005_events),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def current_schema_version(engine: Engine) -> int:
    """0 for an empty database."""
    if not sa.inspect(engine).has_table("schema_version"):
        return 0
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0)


def migrate(
    engine: Engine,
    migrations: tuple[Migration, ...] = MIGRATIONS,
    clock: Callable[[], datetime] | None = None,
) -> int:
    """Apply the pending migrations in order; returns the schema version reached."""
    now = clock or _utcnow
    schema_version.create(engine, checkfirst=True)
    found = current_schema_version(engine)
    known = migrations[-1].version if migrations else 0
    if found > known:
        raise SchemaTooNewError(found, known)
    for step in migrations:
        if step.version <= found:
            continue
        try:
            with write_transaction(engine) as conn:
                step.apply(conn)
                conn.execute(
                    schema_version.insert().values(
                        version=step.version, description=step.description, applied_at=now()
                    )
                )
        except (sa.exc.IntegrityError, sa.exc.OperationalError, sa.exc.ProgrammingError):
            # Another process applied this step at the same moment: fine if it is recorded.
            if current_schema_version(engine) < step.version:
                raise
        found = step.version
    return found


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


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    """A stored time as an aware UTC datetime. They are written in UTC; SQLite hands them back
    naive (so they are UTC), PostgreSQL aware in the session's time zone (so convert)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def shown_time(value: datetime, seconds: bool = False, label: bool = True) -> str:
    """A time as users read it: Vietnam's time, labelled (`01/03/2025 15:01 (UTC+7)`) unless
    the column header already says so (`atlas.formats.time_text`)."""
    aware = _aware(value)
    assert aware is not None
    text = time_text(aware, seconds=seconds)
    return f"{text} (UTC+7)" if label else text


# --- values as text ---------------------------------------------------------------------------


def value_type(value: Value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    raise TypeError(f"an edit value must be int, float, bool or None, not {type(value).__name__}")


def decode_value(text: str | None, kind: str) -> Value:
    if kind == "null" or text is None:
        return None
    if kind == "bool":
        return text == "true"
    if kind == "int":
        return int(text)
    if kind == "float":
        return float(text)
    raise ValueError(f"unknown value type {kind!r}")


# --- the store --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditEntry:
    """One recorded change. `action`: create, edit, import, revert, meta, delete.

    For edit/import/revert `code` and `column` name the cell and `old`/`new` are the values as
    text ("" never appears: None means no data, or for `old` of a first edit without a known
    base, not recorded). For meta `column` is name/description/year/base.
    """

    id: int
    scenario_id: str
    who: str
    at: datetime
    action: str
    code: str | None
    column: str | None
    old: str | None
    new: str | None


class Store:
    """Saved scenarios of every pack, in one database. Create with `open_store()`."""

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

    # saved views -----------------------------------------------------------------------------

    def list_views(self, pack_id: str) -> list[View]:
        """The pack's saved views in their order (`position`)."""
        query = (
            sa.select(views_t.c.id, views_t.c.position, views_t.c.title, views_t.c.data)
            .where(views_t.c.pack_id == pack_id)
            .order_by(views_t.c.position, views_t.c.created_at, views_t.c.id)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            replace(View.from_json(row.data), id=row.id, position=n, title=row.title)
            for n, row in enumerate(rows)
        ]

    def save_view(self, view: View, *, by: Account) -> View:
        """Store `view` as a new view, last in its pack's list; returns it with its id."""
        require(by, "save_view")
        self._writable()
        with write_transaction(self.engine) as conn:
            last = conn.execute(
                sa.select(sa.func.max(views_t.c.position)).where(views_t.c.pack_id == view.pack_id)
            ).scalar()
            position = 0 if last is None else int(last) + 1
            saved = replace(view, id=uuid.uuid4().hex[:12], position=position)
            conn.execute(
                views_t.insert().values(
                    id=saved.id,
                    pack_id=saved.pack_id,
                    position=position,
                    title=saved.title,
                    data=saved.to_json(),
                    created_at=self.clock(),
                )
            )
            self._event(conn, by, "create", saved.id, saved.pack_id, saved.title)
        return saved

    def rename_view(
        self, view_id: str, title: str, caption: str | None = None, *, by: Account
    ) -> None:
        require(by, "save_view")
        self._writable()
        with write_transaction(self.engine) as conn:
            row = conn.execute(
                sa.select(views_t.c.data, views_t.c.pack_id, views_t.c.title).where(
                    views_t.c.id == view_id
                )
            ).first()
            if row is None:
                raise KeyError(view_id)
            self._event(conn, by, "rename", view_id, row.pack_id, f"{row.title} → {title}")
            view = View.from_json(row.data)
            view = replace(view, title=title, caption=view.caption if caption is None else caption)
            conn.execute(
                views_t.update()
                .where(views_t.c.id == view_id)
                .values(title=title, data=view.to_json())
            )

    def move_view(self, view_id: str, step: int, *, by: Account) -> None:
        """Move a view `step` places (−1 up, +1 down) in its pack's list; clamped at the ends."""
        require(by, "save_view")
        self._writable()
        with write_transaction(self.engine) as conn:
            pack_id = conn.execute(
                sa.select(views_t.c.pack_id).where(views_t.c.id == view_id)
            ).scalar()
            if pack_id is None:
                raise KeyError(view_id)
            ids = list(
                conn.execute(
                    sa.select(views_t.c.id)
                    .where(views_t.c.pack_id == pack_id)
                    .order_by(views_t.c.position, views_t.c.created_at, views_t.c.id)
                ).scalars()
            )
            old = ids.index(view_id)
            ids.insert(max(0, min(len(ids) - 1, old + step)), ids.pop(old))
            for position, vid in enumerate(ids):
                conn.execute(views_t.update().where(views_t.c.id == vid).values(position=position))
            self._event(conn, by, "move", view_id, pack_id, f"{old + 1} → {ids.index(view_id) + 1}")

    def delete_view(self, view_id: str, *, by: Account) -> None:
        """Delete a view: its maker (an editor) or an admin."""
        self._writable()
        with write_transaction(self.engine) as conn:
            row = conn.execute(
                sa.select(views_t.c.pack_id, views_t.c.title).where(views_t.c.id == view_id)
            ).first()
            if row is None:
                return
            require_delete(by, events.first_by(conn, "view", view_id))
            conn.execute(views_t.delete().where(views_t.c.id == view_id))
            self._event(conn, by, "delete", view_id, row.pack_id, row.title)

    def _event(
        self, conn: Connection, by: Account, action: str, view_id: str, pack_id: str, detail: str
    ) -> None:
        events.record(conn, self.clock(), by.name, action, "view", view_id, pack_id, detail)

    # reading ---------------------------------------------------------------------------------

    def list_scenarios(self, pack_id: str, include_deleted: bool = False) -> list[Scenario]:
        """The pack's saved scenarios, oldest first."""
        query = sa.select(scenarios_t).where(scenarios_t.c.pack_id == pack_id)
        if not include_deleted:
            query = query.where(scenarios_t.c.deleted.is_(False))
        query = query.order_by(scenarios_t.c.created_at, scenarios_t.c.id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
            return [self._scenario(conn, row) for row in rows]

    def get(self, scenario_id: str, include_deleted: bool = False) -> Scenario:
        with self.engine.connect() as conn:
            row = self._row(conn, scenario_id)
            if row is None or (row["deleted"] and not include_deleted):
                raise ScenarioNotFoundError(scenario_id)
            return self._scenario(conn, row)

    def registry(self, pack: Pack) -> dict[str, Scenario]:
        """Built-in and saved scenarios of the pack, by id."""
        return sc.registry(pack, self.list_scenarios(pack.id))

    def history(
        self, scenario_id: str | None = None, pack_id: str | None = None
    ) -> list[AuditEntry]:
        """Audit entries, oldest first, of one scenario or of every scenario of a pack."""
        query = sa.select(audit_t).order_by(audit_t.c.id)
        if scenario_id is not None:
            query = query.where(audit_t.c.scenario_id == scenario_id)
        if pack_id is not None:
            ids = sa.select(scenarios_t.c.id).where(scenarios_t.c.pack_id == pack_id)
            query = query.where(audit_t.c.scenario_id.in_(ids))
        with self.engine.connect() as conn:
            return [
                AuditEntry(**{**row, "at": _aware(row["at"])})
                for row in conn.execute(query).mappings()
            ]

    def deletion(self, scenario_id: str) -> AuditEntry | None:
        """Who deleted the scenario and when, if it is deleted (else None)."""
        with self.engine.connect() as conn:
            row = self._row(conn, scenario_id)
            if row is None or not row["deleted"]:
                return None
            found = (
                conn.execute(
                    sa.select(audit_t)
                    .where(audit_t.c.scenario_id == scenario_id, audit_t.c.action == "delete")
                    .order_by(audit_t.c.id.desc())
                    .limit(1)
                )
                .mappings()
                .first()
            )
        if found is None:
            return None
        return AuditEntry(**{**found, "at": _aware(found["at"])})

    # writing ---------------------------------------------------------------------------------

    def save(
        self,
        scenario: Scenario,
        expected_version: int,
        by: Account,
        base: pd.DataFrame | None = None,
        action: str = "edit",
    ) -> Scenario:
        """Write the scenario as a new version; returns it with its new version and times.

        `expected_version` is the version the caller's copy was loaded at (0 = new scenario).
        If the stored version differs, nothing is written and StaleScenarioError is raised.
        `base` (the scenario's base commune frame) lets the audit log record the value an
        edit replaced when the cell had not been edited before.
        """
        require(by, "edit_scenario")
        self._writable()
        self._check_saveable(scenario, by.name)
        try:
            return self._save(scenario, expected_version, by.name, base, action)
        except sa.exc.IntegrityError as exc:
            # Another writer got in between our checks and our write (PostgreSQL: READ
            # COMMITTED): the unique index or the primary key refused it. Say which.
            raise self._refusal(scenario, expected_version, exc) from exc

    def _save(
        self,
        scenario: Scenario,
        expected_version: int,
        who: str,
        base: pd.DataFrame | None,
        action: str,
    ) -> Scenario:
        now = self.clock()
        key = sc.name_key(scenario.name)
        with write_transaction(self.engine) as conn:
            row = self._row(conn, scenario.id)
            if expected_version == 0:
                if row is not None:
                    raise self._stale(conn, scenario, expected_version, row)
                conn.execute(
                    scenarios_t.insert().values(
                        id=scenario.id,
                        pack_id=scenario.pack_id,
                        name=scenario.name,
                        name_key=key,
                        description=scenario.description,
                        year=scenario.year,
                        base=scenario.base,
                        version=1,
                        created_at=now,
                        updated_at=now,
                        deleted=False,
                    )
                )
                created = now
                self._audit(conn, scenario.id, who, now, "create", new=scenario.name)
                old_meta: Mapping[str, object] = {}
            else:
                if row is None or row["deleted"] or row["version"] != expected_version:
                    raise self._stale(conn, scenario, expected_version, row)
                if row["pack_id"] != scenario.pack_id:
                    raise ValueError("a scenario cannot move to another pack")
                # The version check is repeated in the UPDATE itself: if another writer got in
                # between the read and this statement, no row matches and the save is refused.
                done = conn.execute(
                    scenarios_t.update()
                    .where(
                        scenarios_t.c.id == scenario.id,
                        scenarios_t.c.version == expected_version,
                        scenarios_t.c.deleted.is_(False),
                    )
                    .values(
                        name=scenario.name,
                        name_key=key,
                        description=scenario.description,
                        year=scenario.year,
                        base=scenario.base,
                        version=expected_version + 1,
                        updated_at=now,
                    )
                )
                if done.rowcount != 1:
                    raise self._stale(
                        conn, scenario, expected_version, self._row(conn, scenario.id)
                    )
                created = _aware(row["created_at"])
                old_meta = row
            self._check_unique_name(conn, scenario)
            for key in ("name", "description", "year", "base"):
                if old_meta and old_meta[key] != getattr(scenario, key):
                    self._audit(
                        conn,
                        scenario.id,
                        who,
                        now,
                        "meta",
                        column=key,
                        old=_text(old_meta[key]),
                        new=_text(getattr(scenario, key)),
                    )
            self._write_edits(conn, scenario, who, now, base, action)
        return replace(
            scenario,
            version=expected_version + 1,
            created_at=created,
            updated_at=now,
            edits=dict(scenario.edits),
        )

    def delete(self, scenario_id: str, expected_version: int, by: Account) -> None:
        """Mark the scenario deleted (its rows and history stay); refused if it is a base.
        Its maker (an editor) or an admin may."""
        require(by, "delete_own")
        self._writable()
        now = self.clock()
        with write_transaction(self.engine) as conn:
            row = self._row(conn, scenario_id)
            if row is None:
                raise ScenarioNotFoundError(scenario_id)
            require_delete(by, self._maker(conn, scenario_id))
            stub = Scenario(id=scenario_id, pack_id=row["pack_id"], name=row["name"])
            if row["deleted"] or row["version"] != expected_version:
                raise self._stale(conn, stub, expected_version, row)
            users = conn.execute(
                sa.select(scenarios_t.c.name).where(
                    scenarios_t.c.base == scenario_id, scenarios_t.c.deleted.is_(False)
                )
            ).scalars()
            names = ", ".join(f"“{n}”" for n in users)
            if names:
                raise ScenarioError([sc.problem("in_use", name=row["name"], dependents=names)])
            done = conn.execute(
                scenarios_t.update()
                .where(
                    scenarios_t.c.id == scenario_id,
                    scenarios_t.c.version == expected_version,
                    scenarios_t.c.deleted.is_(False),
                )
                .values(deleted=True, version=expected_version + 1, updated_at=now)
            )
            if done.rowcount != 1:
                raise self._stale(conn, stub, expected_version, self._row(conn, scenario_id))
            self._audit(conn, scenario_id, by.name, now, "delete", old=row["name"])

    # CSV -------------------------------------------------------------------------------------

    def export_csv(self, pack: Pack, scenario_id: str) -> str:
        """The saved scenario's whole table (`atlas.scenario_csv.table_to_csv`)."""
        return scenario_csv.table_to_csv(pack, self.get(scenario_id), self.registry(pack))

    def import_csv(
        self,
        pack: Pack,
        scenario: Scenario,
        text: str,
        by: Account,
        replace_all: bool = False,
    ) -> tuple[Scenario | None, list[Problem]]:
        """Validate a CSV (whole table or edits) and save it into `scenario` (loaded or new).

        All or nothing: with any problem (each with its CSV row) nothing is written and
        (None, problems) is returned. Audit entries of the imported cells have action "import".
        """
        reg = {**self.registry(pack), scenario.id: scenario}
        parsed = scenario_csv.read_csv(pack, text, scenario, reg, replace_all)
        if parsed.problems:
            return None, parsed.problems
        return self.save_import(pack, scenario, parsed, by, replace_all), []

    def save_import(
        self,
        pack: Pack,
        scenario: Scenario,
        parsed: scenario_csv.CsvImport,
        by: Account,
        replace_all: bool = False,
    ) -> Scenario:
        """Save a checked file (`scenario_csv.read_csv` without problems) into `scenario`."""
        self._writable()
        if parsed.problems:
            raise ScenarioError(parsed.problems)
        reg = {**self.registry(pack), scenario.id: scenario}
        updated = parsed.apply(scenario, replace_all)
        base = sc.base_frame(pack, updated, reg)
        return self.save(updated, scenario.version, by, base=base, action="import")

    # internals -------------------------------------------------------------------------------

    def _maker(self, conn: Connection, scenario_id: str) -> str | None:
        """Who created the scenario (its first audit entry)."""
        return conn.execute(
            sa.select(audit_t.c.who)
            .where(audit_t.c.scenario_id == scenario_id, audit_t.c.action == "create")
            .order_by(audit_t.c.id)
            .limit(1)
        ).scalar()

    def _row(self, conn: Connection, scenario_id: str) -> Mapping | None:
        query = sa.select(scenarios_t).where(scenarios_t.c.id == scenario_id)
        return conn.execute(query).mappings().first()

    def _scenario(self, conn: Connection, row: Mapping) -> Scenario:
        query = (
            sa.select(edits_t)
            .where(edits_t.c.scenario_id == row["id"])
            .order_by(edits_t.c.code, edits_t.c.column)
        )
        edits = {
            (e["code"], e["column"]): decode_value(e["value"], e["type"])
            for e in conn.execute(query).mappings()
        }
        return Scenario(
            id=row["id"],
            pack_id=row["pack_id"],
            name=row["name"],
            description=row["description"],
            year=row["year"],
            base=row["base"],
            edits=edits,
            version=row["version"],
            created_at=_aware(row["created_at"]),
            updated_at=_aware(row["updated_at"]),
        )

    def _check_saveable(self, scenario: Scenario, who: str) -> None:
        if scenario.builtin:
            raise ScenarioError([sc.problem("builtin", name=scenario.name)])
        if not who or not who.strip() or len(who) > 200:
            raise ValueError("who: the name of the person saving is required (≤ 200 characters)")
        problems = sc.check_name(scenario.name, {})
        if scenario.base == scenario.id:
            problems.append(sc.problem("base_cycle", name=scenario.name, chain=scenario.name))
        if problems:
            raise ScenarioError(problems)
        for value in scenario.edits.values():
            value_type(value)  # raises TypeError for anything not storable

    def _check_unique_name(self, conn: Connection, scenario: Scenario) -> None:
        """Inside the transaction; the unique index on name_key backs it up for writers that
        pass this check at the same moment."""
        if self._name_clash(conn, scenario):
            raise ScenarioError([sc.problem("duplicate_name", name=scenario.name)])

    def _name_clash(self, conn: Connection, scenario: Scenario) -> bool:
        clash = conn.execute(
            sa.select(scenarios_t.c.id).where(
                scenarios_t.c.pack_id == scenario.pack_id,
                scenarios_t.c.name_key == sc.name_key(scenario.name),
                scenarios_t.c.id != scenario.id,
                scenarios_t.c.deleted.is_(False),
            )
        ).first()
        return clash is not None

    def _refusal(self, scenario: Scenario, expected_version: int, exc: Exception) -> Exception:
        """Why a save's write was refused by the database: a name taken, or a stale copy
        (else the database's own error)."""
        with self.engine.connect() as conn:
            if self._name_clash(conn, scenario):
                return ScenarioError([sc.problem("duplicate_name", name=scenario.name)])
            row = self._row(conn, scenario.id)
            if row is not None:
                return self._stale(conn, scenario, expected_version, row)
        return exc

    def _write_edits(
        self,
        conn: Connection,
        scenario: Scenario,
        who: str,
        now: datetime,
        base: pd.DataFrame | None,
        action: str,
    ) -> None:
        """Write only the cells that changed, each with its audit entry."""
        query = sa.select(edits_t).where(edits_t.c.scenario_id == scenario.id)
        stored = {
            (e["code"], e["column"]): (e["value"], e["type"])
            for e in conn.execute(query).mappings()
        }
        lookup = _base_lookup(base)
        for key in sorted(set(stored) - set(scenario.edits)):
            conn.execute(
                edits_t.delete().where(
                    edits_t.c.scenario_id == scenario.id,
                    edits_t.c.code == key[0],
                    edits_t.c.column == key[1],
                )
            )
            old = _text(decode_value(*stored[key]))
            self._audit(conn, scenario.id, who, now, "revert", key[0], key[1], old, lookup(*key))
        for key, value in scenario.edits.items():
            kind = value_type(value)
            text = None if value is None else sc.encode_value(value)
            if key in stored and stored[key] == (text, kind):
                continue
            old = _text(decode_value(*stored[key])) if key in stored else lookup(*key)
            self._write_edit(conn, scenario.id, key, text, kind, replace_row=key in stored)
            self._audit(conn, scenario.id, who, now, action, key[0], key[1], old, _text(value))

    def _write_edit(
        self,
        conn: Connection,
        scenario_id: str,
        key: tuple[str, str],
        text: str | None,
        kind: str,
        replace_row: bool,
    ) -> None:
        """One cell. A separate method so tests can make a save fail half-way through."""
        if replace_row:
            conn.execute(
                edits_t.update()
                .where(
                    edits_t.c.scenario_id == scenario_id,
                    edits_t.c.code == key[0],
                    edits_t.c.column == key[1],
                )
                .values(value=text, type=kind)
            )
        else:
            conn.execute(
                edits_t.insert().values(
                    scenario_id=scenario_id, code=key[0], column=key[1], value=text, type=kind
                )
            )

    def _audit(
        self,
        conn: Connection,
        scenario_id: str,
        who: str,
        at: datetime,
        action: str,
        code: str | None = None,
        column: str | None = None,
        old: str | None = None,
        new: str | None = None,
    ) -> None:
        conn.execute(
            audit_t.insert().values(
                scenario_id=scenario_id,
                who=who,
                at=at,
                action=action,
                code=code,
                column=column,
                old=old,
                new=new,
            )
        )

    def _stale(
        self, conn: Connection, scenario: Scenario, expected: int, row: Mapping | None
    ) -> StaleScenarioError:
        last = conn.execute(
            sa.select(audit_t.c.who, audit_t.c.at)
            .where(audit_t.c.scenario_id == scenario.id)
            .order_by(audit_t.c.id.desc())
            .limit(1)
        ).first()
        return StaleScenarioError(
            scenario.id,
            row["name"] if row is not None else scenario.name,
            expected,
            row["version"] if row is not None else None,
            who=last.who if last else None,
            at=_aware(last.at) if last else None,
            deleted=bool(row is not None and row["deleted"]),
        )


def _text(value: object) -> str | None:
    """A value as the audit log shows it."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool | int | float):
        return sc.encode_value(value)
    return str(value)


def _base_lookup(base: pd.DataFrame | None) -> Callable[[str, str], str | None]:
    """(code, column) → the base's value as text, or None when unknown."""
    if base is None or CODE not in base.columns:
        return lambda code, column: None
    rows = base.set_index(CODE)

    def lookup(code: str, column: str) -> str | None:
        if code not in rows.index or column not in rows.columns:
            return None
        value = rows.at[code, column]
        if value is pd.NA or (isinstance(value, float) and value != value):
            return None
        if hasattr(value, "item"):
            value = value.item()  # numpy scalar → Python, so 12 is "12", not "np.int64(12)"
        return _text(value)

    return lookup


def database_location(engine: Engine) -> str:
    """The database as a user can find it: a SQLite file's path, else the URL (no password)."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database:
        return str(Path(url.database).expanduser())
    return url.render_as_string(hide_password=True)


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


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
