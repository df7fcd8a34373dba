"""Writes into the user packs, checked and recorded: the only way a front end adds a pack or a
layer (the Data and Packs pages and `python -m atlas import|import-all|new-pack`).

Each function first asks `Accounts.may_write_pack` whether the signed-in account may do it
(an editor: a new pack, or into a pack they own or were granted; an admin: any user pack),
then does the file work (`atlas.ingest`, `atlas.newpack`, unchanged: they know files, not
people), then records the event naming the account, and for a new pack its owner. A refused
write touches nothing. `tests/test_architecture.py` proves no page or CLI module calls the
file writers directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from atlas.accounts import Accounts
from atlas.ingest.batch import import_layers
from atlas.ingest.model import ImportPlan, Inspection, JoinResult, SaveResult
from atlas.ingest.save import save_import
from atlas.newpack import create_pack
from atlas.newpack_write import NewPackResult
from atlas.roles import Account


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
    result = save_import(inspection, plan, join=join, root=root)
    what = result.layer_id or result.table_id or ""
    accounts.record_pack_write(by, result.pack_id, "import", f"{inspection.name}: {what}", new)
    return result


def import_all_layers(
    name: str, data: bytes, pack_id: str, *, by: Account, accounts: Accounts, **options: Any
) -> list[SaveResult]:
    """Every layer of a file as one new user pack (`atlas.ingest.import_layers`)."""
    accounts.may_write_pack(by, pack_id, new=True)
    results = import_layers(name, data, pack_id, **options)
    layers = ", ".join(r.layer_id or r.table_id or "" for r in results)
    accounts.record_pack_write(by, results[0].pack_id, "import", f"{name}: {layers}", True)
    return results


def new_pack(*, by: Account, accounts: Accounts, **options: Any) -> NewPackResult:
    """A base pack for a province, district or the nation (`atlas.newpack.create_pack`)."""
    accounts.may_write_pack(by, options.get("pack_id") or "", new=True)
    result = create_pack(**options)
    detail = f"{result.n_communes} xã / communes"
    accounts.record_pack_write(by, result.pack_id, "new_pack", detail, True)
    return result
