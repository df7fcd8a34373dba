"""Finding packs on disk, and fingerprinting them so caches follow file content, not paths."""

from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from atlas.manifest import MANIFEST_NAME
from atlas.spec import Text
from atlas.text import nfc_tree

REPO_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_PACKS = REPO_ROOT / "geodata"


def user_data_dir() -> Path:
    """Where user packs (imports) live: outside the repository, set by ATLAS_USER_DATA."""
    default = Path.home() / ".local" / "share" / "atlas-ha-tang" / "packs"
    return Path(os.environ.get("ATLAS_USER_DATA", default)).expanduser()


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


def discover_packs(roots: list[Path] | None = None) -> list[PackRef]:
    """Every folder holding a pack.toml directly under one of `roots`, shipped packs first.

    A pack id seen twice keeps the first one found, so a user pack cannot shadow a shipped one.
    """
    found: dict[str, PackRef] = {}
    for root in roots if roots is not None else default_roots():
        if not root.is_dir():
            continue
        for manifest in sorted(root.glob(f"*/{MANIFEST_NAME}")):
            pack_id = manifest.parent.name
            if pack_id in found:
                continue
            name, readable = _peek_name(manifest)
            found[pack_id] = PackRef(pack_id, manifest.parent, name, readable)
    return list(found.values())


def find_pack(pack_id: str, roots: list[Path] | None = None) -> PackRef | None:
    return next((p for p in discover_packs(roots) if p.id == pack_id), None)


def pack_fingerprint(path: Path | str) -> str:
    """sha256 over every file's relative path and bytes: the cache key of a loaded pack."""
    root = Path(path)
    digest = hashlib.sha256()
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(file.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
