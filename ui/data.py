"""Pack loading shared by every page, cached on the pack's content (not its path or mtime)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from atlas.loader import LoadResult, load_pack
from atlas.manifest import MANIFEST_NAME
from atlas.packs import PackRef, default_roots, discover_packs, pack_fingerprint


@st.cache_data(show_spinner=False, max_entries=16)
def _load(path_str: str, fingerprint: str) -> LoadResult:
    """`fingerprint` is only part of the cache key: an edited pack is loaded again."""
    del fingerprint
    return load_pack(Path(path_str))


def load_pack_cached(ref: PackRef) -> LoadResult:
    """`atlas.loader.load_pack(ref.path)`, computed once per pack content."""
    return _load(str(ref.path), pack_fingerprint(ref.path))


@st.cache_data(show_spinner=False, max_entries=8)
def _discover(signature: tuple[tuple[str, int], ...]) -> list[PackRef]:
    del signature
    return discover_packs()


def discover_packs_cached() -> list[PackRef]:
    """`atlas.packs.discover_packs()`, re-read only when a manifest appears, goes or changes.

    The signature (every manifest's path and mtime) costs a few stat calls per rerun instead of
    parsing every pack.toml twice per rerun.
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
