"""Saved scenarios: reading, optimistic saving with an audit entry per change, deleting."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from atlas import scenarios as sc
from atlas.roles import Account, require, require_delete
from atlas.scenarios import Scenario, ScenarioError
from atlas.spec import Pack
from atlas.store.clock import _aware
from atlas.store.codec import _base_lookup, _text, decode_value, value_type
from atlas.store.engine import write_transaction
from atlas.store.errors import ScenarioNotFoundError, StaleScenarioError
from atlas.store.schema import audit_t, edits_t, scenarios_t


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


class ScenariosRepo:
    """The scenario half of `Store` (uses its engine, clock and `_writable`)."""

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
