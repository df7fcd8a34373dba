"""Writes into the user packs, checked and recorded: the only way a front end adds a pack or a
layer (the Data and Packs pages and `python -m atlas import|import-all|new-pack`).

Each function first asks `Accounts.may_write_pack` whether the signed-in account may do it
(an editor: a new pack, or into a pack they own or were granted; an admin: any user pack),
then does the file work (`atlas.ingest`, `atlas.newpack`, unchanged: they know files, not
people), then records the event naming the account, and for a new pack its owner. A refused
write touches nothing. `tests/test_architecture.py` proves no page or CLI module calls the
file writers directly.

With `ATLAS_PACK_STORE=database` the folder is first brought in step with the database, the
revision written from is noted, and after the file work the pack is published as its next
revision with the event, in one transaction (`atlas.pack_sync`): an import that raced another
into the same pack is refused with the reason and its folder put back, so neither is lost.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

from atlas.accounts import Accounts, pack_write_rows
from atlas.ingest.batch import import_layers
from atlas.ingest.errors import IngestError
from atlas.ingest.model import ImportPlan, Inspection, JoinResult, SaveResult
from atlas.ingest.save import save_import
from atlas.newpack import NewPackError, create_pack
from atlas.newpack_write import NewPackResult
from atlas.pack_sync import SharedPacks
from atlas.packs import user_data_dir
from atlas.roles import Account, require
from atlas.settings import settings


def _shared(accounts: Accounts, root: Path | None) -> SharedPacks | None:
    """The database's packs when they are kept there, the folder brought in step first."""
    if not settings().packs_in_database:
        return None
    return SharedPacks(accounts.engine, root or user_data_dir(), accounts.clock)


def _record(
    shared: SharedPacks | None,
    accounts: Accounts,
    base: int | None,
    by: Account,
    pack_id: str,
    action: str,
    detail: str,
    new: bool,
) -> None:
    """The event (and owner), with the pack itself when packs are kept in the database."""
    if shared is None:
        accounts.record_pack_write(by, pack_id, action, detail, new)
        return

    def rows(conn: Connection, now: datetime) -> None:
        pack_write_rows(conn, now, by, pack_id, action, detail, new)

    shared.publish(pack_id, base, by.name, rows)


def import_file(
    inspection: Inspection,
    plan: ImportPlan,
    *,
    by: Account,
    accounts: Accounts,
    join: JoinResult | None = None,
    root: Path | None = None,
) -> SaveResult:
    """One layer or table, as a new user pack or into one (`atlas.ingest.save_import`)."""
    new = not plan.into_existing
    accounts.may_write_pack(by, plan.pack_id, new)
    shared = _shared(accounts, root)
    base = shared.revision(plan.pack_id) if shared is not None and not new else None
    result = save_import(inspection, plan, join=join, root=root)
    what = f"{inspection.name}: {result.layer_id or result.table_id or ''}"
    _record(shared, accounts, base, by, result.pack_id, "import", what, new)
    return result


def import_all_layers(
    name: str, data: bytes, pack_id: str, *, by: Account, accounts: Accounts, **options: Any
) -> list[SaveResult]:
    """Every layer of a file as one new user pack (`atlas.ingest.import_layers`)."""
    accounts.may_write_pack(by, pack_id, new=True)
    shared = _shared(accounts, options.get("root"))
    if shared is not None:
        shared.sync()
    results = import_layers(name, data, pack_id, **options)
    layers = ", ".join(r.layer_id or r.table_id or "" for r in results)
    _record(shared, accounts, None, by, results[0].pack_id, "import", f"{name}: {layers}", True)
    return results


def new_pack(*, by: Account, accounts: Accounts, **options: Any) -> NewPackResult:
    """A base pack for a province, district or the nation (`atlas.newpack.create_pack`)."""
    accounts.may_write_pack(by, options.get("pack_id") or "", new=True)
    shared = _shared(accounts, options.get("root"))
    if shared is not None:
        shared.sync()
    result = create_pack(**options)
    detail = f"{result.n_communes} xã / communes"
    try:
        _record(shared, accounts, None, by, result.pack_id, "new_pack", detail, True)
    except IngestError as exc:
        raise NewPackError(exc.vi, exc.en) from None
    return result


def publish_local(
    pack_ids: list[str] | None, *, by: Account, accounts: Accounts, root: Path | None = None
) -> list[str]:
    """Send this machine's never-published user packs (all, or `pack_ids`) to the database,
    so every server sees them: an admin's step when switching to `ATLAS_PACK_STORE=database`.
    Each pack is its own transaction; one already in the database is refused by name."""
    require(by, "manage_accounts")
    shared = _shared(accounts, root)
    if shared is None:
        raise IngestError(
            "Gói đang giữ trong thư mục (ATLAS_PACK_STORE=files): không có gì để gửi.",
            "Packs are kept as files (ATLAS_PACK_STORE=files): there is nothing to send to.",
        )
    shared.sync()
    local = shared.local_only()
    wanted = pack_ids or local
    missing = [p for p in wanted if p not in local]
    if missing:
        raise IngestError(
            f"Không phải gói chỉ có trên máy này: {', '.join(missing)}.",
            f"Not packs of this machine only: {', '.join(missing)}.",
        )
    for pack_id in wanted:
        _record(shared, accounts, None, by, pack_id, "publish", "", False)  # owners kept
    return wanted
