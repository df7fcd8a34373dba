"""Cached map data: prepared layers and the search index, keyed by the pack's content.

Joining, classifying and building GeoJSON happen here once per (pack content, layer,
language) and per year / class scheme only for the layers those change (see
`layers.features.layer_inputs`); a rerun that only toggles a layer or moves an opacity slider
reuses them, and a year change prepares again only the layers joined to a table.
"""

from __future__ import annotations

import streamlit as st

from atlas.search import SearchIndex, build_index
from atlas.spec import Pack
from layers.features import PreparedLayer, layer_inputs, prepare_layer


def prepared_layer(
    pack: Pack,
    fingerprint: str,
    layer_id: str,
    lang: str,
    year: int | None,
    scheme: str | None,
    k: int | None,
) -> PreparedLayer:
    """`layers.features.prepare_layer`, cached on only the inputs this layer depends on."""
    layer = pack.manifest.layer(layer_id)
    return _prepared(pack, fingerprint, layer_id, lang, *layer_inputs(layer, year, scheme, k))


@st.cache_data(show_spinner=False, max_entries=512)
def _prepared(
    _pack: Pack,
    fingerprint: str,
    layer_id: str,
    lang: str,
    year: int | None,
    scheme: str | None,
    k: int | None,
) -> PreparedLayer:
    """`fingerprint` stands for `_pack` in the key."""
    del fingerprint
    return prepare_layer(_pack, layer_id, lang=lang, year=year, scheme=scheme, k=k)


@st.cache_resource(show_spinner=False, max_entries=32)
def search_index(_pack: Pack, fingerprint: str) -> SearchIndex:
    """One immutable index per pack content, shared by every session."""
    del fingerprint
    return build_index(_pack)
