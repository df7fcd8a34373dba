"""Saving an import as a user pack, atomically, and zipping packs for download."""

from __future__ import annotations

from pathlib import Path

from atlas.ingest.model import ImportPlan, Inspection, JoinResult, SaveResult
from atlas.packs import PackRef


def save_import(
    inspection: Inspection,
    plan: ImportPlan,
    *,
    join: JoinResult | None = None,
    root: Path | None = None,
) -> SaveResult:
    """Write the import as a new user pack or into an existing user pack (never a shipped one).

    Staged in a temp dir inside the data dir, validated with `load_pack`, then swapped in; on
    any failure the existing packs are untouched and IngestError is raised.
    """
    raise NotImplementedError


def pack_zip(path: Path | str) -> bytes:
    """The pack folder as zip bytes (for download)."""
    raise NotImplementedError


def user_packs(root: Path | None = None) -> list[PackRef]:
    """Packs in the user data dir (the ones an import may add to)."""
    raise NotImplementedError


def is_user_pack(path: Path | str, root: Path | None = None) -> bool:
    """True when `path` is a pack folder inside the user data dir (so it may be written)."""
    raise NotImplementedError
