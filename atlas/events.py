"""The audit trail of everything that is not a scenario cell: saved views, pack imports and
grants, account changes (scenario edits keep their own, finer log in `audit_log`).

Each row names the account that did it (`who`), when (UTC, shown in Vietnam's time), what
(`action` on a `kind` of thing, its id and pack) and a short `detail` as text. Rows are written
in the same transaction as the change they record, so a change without its row cannot exist.
`trail()` merges these rows with the scenario log for the admin page, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

events_t = sa.Table(
    "events",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("who", sa.String(200), nullable=False, index=True),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("target", sa.String(200), nullable=True),
    sa.Column("pack_id", sa.String(64), nullable=True),
    sa.Column("detail", sa.Text, nullable=True),
)

# Who may write into a user pack besides admins: its owner (who made it) and those an admin
# granted it to. Keyed by the folded account name (`atlas.roles.name_key`).
pack_access_t = sa.Table(
    "pack_access",
    sa.MetaData(),
    sa.Column("pack_id", sa.String(64), primary_key=True),
    sa.Column("name_key", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),  # owner | granted
    sa.Column("by", sa.String(200), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)


def m005_events(conn: Connection) -> None:
    """The events table and pack access (frozen here: later shapes get their own migration)."""
    md = sa.MetaData()
    sa.Table(
        "events",
        md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.String(200), nullable=False, index=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("target", sa.String(200), nullable=True),
        sa.Column("pack_id", sa.String(64), nullable=True),
        sa.Column("detail", sa.Text, nullable=True),
    )
    sa.Table(
        "pack_access",
        md,
        sa.Column("pack_id", sa.String(64), primary_key=True),
        sa.Column("name_key", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    md.create_all(conn)


@dataclass(frozen=True)
class Event:
    """One recorded write. `kind`: view, pack, account or scenario (the last from audit_log)."""

    at: datetime
    who: str
    action: str
    kind: str
    target: str | None = None
    pack_id: str | None = None
    detail: str | None = None


def record(
    conn: Connection,
    at: datetime,
    who: str,
    action: str,
    kind: str,
    target: str | None = None,
    pack_id: str | None = None,
    detail: str | None = None,
) -> None:
    """One row, inside the caller's write transaction."""
    conn.execute(
        events_t.insert().values(
            at=at,
            who=who[:200],
            action=action,
            kind=kind,
            target=None if target is None else target[:200],
            pack_id=pack_id,
            detail=detail,
        )
    )


def first_by(conn: Connection, kind: str, target: str) -> str | None:
    """Who created `target` (its first `create` event), if it was recorded."""
    return conn.execute(
        sa.select(events_t.c.who)
        .where(events_t.c.kind == kind, events_t.c.target == target, events_t.c.action == "create")
        .order_by(events_t.c.id)
        .limit(1)
    ).scalar()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def recent(engine: Engine, limit: int = 500, who: str | None = None) -> list[Event]:
    """The latest events, newest first (scenario entries merged in: `atlas.store` audit_log)."""
    from atlas.store import audit_t, scenarios_t  # the store imports this module

    query = sa.select(events_t).order_by(events_t.c.id.desc()).limit(limit)
    scen = (
        sa.select(audit_t, scenarios_t.c.pack_id, scenarios_t.c.name.label("scenario_name"))
        .join(scenarios_t, scenarios_t.c.id == audit_t.c.scenario_id, isouter=True)
        .order_by(audit_t.c.id.desc())
        .limit(limit)
    )
    if who:
        query = query.where(events_t.c.who == who)
        scen = scen.where(audit_t.c.who == who)
    with engine.connect() as conn:
        rows = [
            Event(_aware(r.at), r.who, r.action, r.kind, r.target, r.pack_id, r.detail)
            for r in conn.execute(query)
        ]
        for r in conn.execute(scen):
            cell = " · ".join(x for x in (r.code, r.column) if x)
            change = f"{r.old or ''} → {r.new or ''}" if (r.old or r.new) else ""
            detail = " ".join(x for x in (cell, change) if x) or None
            rows.append(
                Event(_aware(r.at), r.who, r.action, "scenario", r.scenario_name, r.pack_id, detail)
            )
    rows.sort(key=lambda e: e.at, reverse=True)
    return rows[:limit]
