"""Pack loading shared by every page, cached on the pack's content (not its path or mtime).

The loaded pack is one object shared by every session and rerun (`st.cache_resource`), not a
copy unpickled on each rerun (`st.cache_data`). That is safe because nothing changes a loaded
pack: its specs are frozen dataclasses, and every function that derives something from its
frames (joins, classes, the 2025 units, scenarios, exports) builds new frames (pandas
copy-on-write) — `tests/test_pack_cache.py` drives every page over a cached pack and checks
it still equals a fresh load. The derived caches (`ui.units`, `ui.map_data.search_index`)
already shared pack frames across sessions this way.

The content hash (`atlas.packs.pack_fingerprint`, every byte of every file) is computed again
only when a file's stat signature (path, size, mtime, ctime, inode) changes: a rerun costs a
few stat calls, not a read of the whole pack.
"""

from __future__ import annotations

import logging
from pathlib import Path

import sqlalchemy as sa
import streamlit as st

from atlas.ingest.errors import IngestError
from atlas.loader import LoadResult, load_pack
from atlas.manifest import MANIFEST_NAME
from atlas.pack_sync import SharedPacks, SyncResult
from atlas.packs import (
    PackRef,
    default_roots,
    discover_packs,
    pack_fingerprint,
    sweep_staging,
    user_data_dir,
)
from atlas.settings import settings
from ui.scenario_data import store

LOG = logging.getLogger(__name__)
SYNC_KEY = "atlas.packs.sync"  # the last sync's result or problem, for the Packs page

Signature = tuple[tuple[str, int, int, int, int], ...]


@st.cache_resource(show_spinner=False, max_entries=16)
def _load(path_str: str, fingerprint: str) -> LoadResult:
    """`fingerprint` is only part of the cache key: an edited pack is loaded again.

    Shared, never copied: callers must not change the result (see the module docstring).
    """
    del fingerprint
    return load_pack(Path(path_str))


def stat_signature(path: Path) -> Signature:
    """Every file's relative path, size, mtime, ctime and inode, in path order.

    ctime and inode change with any write or replacement of a file (even one that restores
    its mtime and size, or a staged file renamed into place), and a file added or removed
    changes the list.
    """
    signature = []
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        stat = file.stat()
        rel = file.relative_to(path).as_posix()
        signature.append((rel, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino))
    return tuple(signature)


@st.cache_data(show_spinner=False, max_entries=64)
def _fingerprint(path_str: str, signature: Signature) -> str:
    """`signature` is only part of the cache key: the files are hashed again when it changes."""
    del signature
    return pack_fingerprint(Path(path_str))


def fingerprint_cached(path: Path | str) -> str:
    """`atlas.packs.pack_fingerprint(path)`, read again only when a file's stat changes."""
    path = Path(path)
    return _fingerprint(str(path), stat_signature(path))


def load_pack_cached(ref: PackRef, fingerprint: str | None = None) -> LoadResult:
    """`atlas.loader.load_pack(ref.path)`, computed once per pack content.

    `fingerprint`: the pack's, when the caller has it already (`ui.page.open_pack_page`).
    """
    if fingerprint is None:
        fingerprint = fingerprint_cached(ref.path)
    return _load(str(ref.path), fingerprint)


@st.cache_resource(show_spinner=False)
def sweep_staging_once(root: str) -> int:
    """Remove the work folders imports killed mid-save left in `<root>/.staging`, once per
    server process and user data folder (each save sweeps too; this is the start)."""
    return len(sweep_staging(Path(root)))


@st.cache_data(show_spinner=False, max_entries=8)
def _discover(signature: tuple[tuple[str, int], ...]) -> list[PackRef]:
    del signature
    return discover_packs()


def shared_packs() -> SharedPacks | None:
    """The database's packs and this machine's copy, when packs are kept in the database and
    the database can be used."""
    opened = store()
    if not settings().packs_in_database or opened.read_only is not None:
        return None
    return SharedPacks(opened.engine, user_data_dir())


def sync_shared_packs() -> SyncResult | IngestError | None:
    """With `ATLAS_PACK_STORE=database`: this machine's copy brought in step with the
    database (one small query when nothing changed); called once a run by `app.py`, before
    anything lists packs. A problem (a damaged pack, the database
    out of reach) is returned, not raised: the copies already here keep working."""
    shared = shared_packs()
    if shared is None:
        return None
    try:
        outcome: SyncResult | IngestError = shared.sync()
    except IngestError as exc:
        outcome = exc
    except (sa.exc.SQLAlchemyError, OSError) as exc:
        LOG.warning("pack sync failed: %s", exc)
        detail = str(exc).splitlines()[0][:200]
        outcome = IngestError(
            f"Chưa lấy được gói từ cơ sở dữ liệu ({detail}): đang dùng bản đã có trên máy này.",
            f"Cannot fetch packs from the database ({detail}): using the copies on this machine.",
        )
    st.session_state[SYNC_KEY] = outcome
    return outcome


def discover_packs_cached() -> list[PackRef]:
    """`atlas.packs.discover_packs()`, re-read only when a manifest appears, goes or changes.

    The signature (every manifest's path and mtime) costs a few stat calls per rerun instead of
    parsing every pack.toml twice per rerun. With packs in the database, the entry page has
    brought the folder in step with it first (`sync_shared_packs`, once a run).
    """
    signature = []
    for root in default_roots():
        if root.is_dir():
            for manifest in sorted(root.glob(f"*/{MANIFEST_NAME}")):
                signature.append((str(manifest), manifest.stat().st_mtime_ns))
    return _discover(tuple(signature))


def clear_pack_caches() -> None:
    """Forget every discovered and loaded pack: after an import wrote or changed a pack."""
    _discover.clear()
    _load.clear()
    _fingerprint.clear()
