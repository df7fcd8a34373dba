"""Cached map data: prepared layers and the search index, keyed by the pack's content.

Joining, classifying and building GeoJSON happen here once per (pack content, layer, year,
scheme, language); a rerun that only toggles a layer or moves an opacity slider reuses them.
"""

from __future__ import annotations

import streamlit as st

from atlas.search import SearchIndex, build_index
from atlas.spec import Pack
from layers.features import PreparedLayer, prepare_layer


@st.cache_data(show_spinner=False, max_entries=512)
def prepared_layer(
    _pack: Pack,
    fingerprint: str,
    layer_id: str,
    lang: str,
    year: int | None,
    scheme: str | None,
    k: int | None,
) -> PreparedLayer:
    """`layers.features.prepare_layer`, cached; `fingerprint` stands for `_pack` in the key."""
    del fingerprint
    return prepare_layer(_pack, layer_id, lang=lang, year=year, scheme=scheme, k=k)


@st.cache_resource(show_spinner=False, max_entries=32)
def search_index(_pack: Pack, fingerprint: str) -> SearchIndex:
    """One immutable index per pack content, shared by every session."""
    del fingerprint
    return build_index(_pack)
