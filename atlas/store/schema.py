"""The tables' current shape, and the ordered migrations that bring any older database to it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from atlas import events
from atlas import scenarios as sc
from atlas.store.clock import _utcnow
from atlas.store.engine import write_transaction
from atlas.store.errors import SchemaTooNewError

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


def _m006_packs(conn: Connection) -> None:
    """User packs kept in the database (`atlas.pack_db`; late import as for accounts)."""
    from atlas.pack_db import m006_packs

    m006_packs(conn)


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
    Migration(6, "packs, pack_files (and PostGIS pack_features, pack_table_rows)", _m006_packs),
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
