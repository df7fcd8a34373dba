"""Pack loading shared by every page, cached on the pack's content (not its path or mtime)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from atlas.loader import LoadResult, load_pack
from atlas.packs import PackRef, pack_fingerprint


@st.cache_data(show_spinner=False, max_entries=16)
def _load(path_str: str, fingerprint: str) -> LoadResult:
    """`fingerprint` is only part of the cache key: an edited pack is loaded again."""
    del fingerprint
    return load_pack(Path(path_str))


def load_pack_cached(ref: PackRef) -> LoadResult:
    """`atlas.loader.load_pack(ref.path)`, computed once per pack content."""
    return _load(str(ref.path), pack_fingerprint(ref.path))
