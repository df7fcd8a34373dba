"""Saved map views: listing, saving, renaming, reordering and deleting, each checked against
the account that asks and recorded in the events table."""

from __future__ import annotations

import uuid
from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from atlas import events
from atlas.roles import Account, require, require_delete
from atlas.store.engine import write_transaction
from atlas.store.schema import views_t
from atlas.views import View


class ViewsRepo:
    """The view half of `Store` (uses its engine, clock and `_writable`)."""

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
