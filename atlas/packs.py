"""Finding packs on disk, and fingerprinting them so caches follow file content, not paths."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import time
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: only the age rule below applies
    fcntl = None  # type: ignore[assignment]

from atlas.manifest import MANIFEST_NAME
from atlas.settings import settings
from atlas.spec import Text
from atlas.text import nfc_tree

REPO_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_PACKS = REPO_ROOT / "geodata"


def user_data_dir() -> Path:
    """Where user packs (imports) live: outside the repository, set by ATLAS_USER_DATA."""
    return settings().user_data


def default_roots() -> list[Path]:
    return [SHIPPED_PACKS, user_data_dir()]


@dataclass(frozen=True)
class PackRef:
    """A pack found on disk, with just enough read to list it (no geometry)."""

    id: str
    path: Path
    name: Text
    readable: bool = True


def _peek_name(manifest: Path) -> tuple[Text, bool]:
    try:
        raw = tomllib.loads(manifest.read_text(encoding="utf-8-sig"))
        return Text.of(nfc_tree(raw["pack"]["name"])[0]), True  # as the loader reads it
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError):
        name = manifest.parent.name
        return Text(name, name), False


def _manifests(roots: list[Path] | None) -> Iterator[tuple[str, Path]]:
    """(pack id, pack.toml) of every folder directly under `roots`, in root then name order."""
    for root in roots if roots is not None else default_roots():
        if root.is_dir():
            for manifest in sorted(root.glob(f"*/{MANIFEST_NAME}")):
                yield manifest.parent.name, manifest


def discover_packs(roots: list[Path] | None = None) -> list[PackRef]:
    """Every folder holding a pack.toml directly under one of `roots`, shipped packs first.

    A pack id seen twice keeps the first one found, so a user pack cannot shadow a shipped one
    (`shadowed_packs` names the others).
    """
    found: dict[str, PackRef] = {}
    for pack_id, manifest in _manifests(roots):
        if pack_id not in found:
            name, readable = _peek_name(manifest)
            found[pack_id] = PackRef(pack_id, manifest.parent, name, readable)
    return list(found.values())


def shadowed_packs(roots: list[Path] | None = None) -> list[Path]:
    """Pack folders `discover_packs` leaves out because an earlier root has their id (a user
    pack named like a shipped one): the Packs page names them, so none vanishes silently."""
    seen: set[str] = set()
    hidden: list[Path] = []
    for pack_id, manifest in _manifests(roots):
        if pack_id in seen:
            hidden.append(manifest.parent)
        seen.add(pack_id)
    return hidden


def find_pack(pack_id: str, roots: list[Path] | None = None) -> PackRef | None:
    return next((p for p in discover_packs(roots) if p.id == pack_id), None)


def pack_files(folder: Path | str, links: bool = True) -> list[tuple[str, Path]]:
    """Every file of a pack folder as (relative POSIX path, file), in that path's order; with
    `links=False` symlinked files are left out (what is zipped or sent to the database)."""
    root = Path(folder)
    found = (
        (file.relative_to(root).as_posix(), file)
        for file in root.rglob("*")
        if file.is_file() and (links or not file.is_symlink())
    )
    return sorted(found, key=lambda item: item[0])


def fingerprint_of(files: Iterable[tuple[str, bytes]]) -> str:
    """sha256 over each (relative path, bytes), given in path order: a pack's content hash,
    the same for the folder (`pack_fingerprint`) and its files in the database."""
    digest = hashlib.sha256()
    for rel, data in files:
        digest.update(rel.encode())
        digest.update(b"\0")
        digest.update(data)
        digest.update(b"\0")
    return digest.hexdigest()


def pack_fingerprint(path: Path | str) -> str:
    """sha256 over every file's relative path and bytes: the cache key of a loaded pack."""
    return fingerprint_of((rel, file.read_bytes()) for rel, file in pack_files(path))


# --- the import's staging folder ---------------------------------------------------------------

STAGING_DIR = ".staging"
LOCK_NAME = ".lock"
# A work folder younger than this is never swept: a save may have just made it and not yet
# locked it. Without file locks (Windows) a folder is only swept after STAGING_MAX_AGE_S.
STAGING_GRACE_S = 10 * 60
STAGING_MAX_AGE_S = 24 * 3600


@contextlib.contextmanager
def hold_work_dir(work: Path) -> Iterator[None]:
    """Mark `work` (a save's folder under `.staging`) as live for the `with` block.

    An exclusive lock on `work/.lock`: the kernel drops it when the process dies, however it
    dies, so a folder whose lock can be taken belongs to no running save."""
    handle = open(work / LOCK_NAME, "w")  # noqa: SIM115 - held for the whole block
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        handle.close()


def _orphaned(work: Path, now: float) -> bool:
    try:
        age = now - work.stat().st_mtime
    except OSError:
        return False
    if age < STAGING_GRACE_S:
        return False
    lock = work / LOCK_NAME
    if fcntl is None or not lock.exists():
        return fcntl is not None or age > STAGING_MAX_AGE_S
    with open(lock, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # a live save holds it
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


def sweep_staging(root: Path | None = None, *, now: float | None = None) -> list[Path]:
    """Remove the work folders that killed imports left in `<root>/.staging`; the removed ones.

    A folder goes when it is older than STAGING_GRACE_S and no live save holds its lock (see
    `hold_work_dir`); a live save is never raced, however long it runs. Called by every save
    (before it makes its own folder) and safe to call at app or CLI start."""
    staging = (root or user_data_dir()).expanduser() / STAGING_DIR
    if not staging.is_dir():
        return []
    now = time.time() if now is None else now
    removed = []
    for work in sorted(staging.iterdir()):
        if work.is_dir() and not work.is_symlink() and _orphaned(work, now):
            shutil.rmtree(work, ignore_errors=True)
            removed.append(work)
    with contextlib.suppress(OSError):
        staging.rmdir()  # only when empty
    return removed
