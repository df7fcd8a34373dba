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
from atlas.tiles import TileArchive
from layers.classify import Classes
from layers.features import PreparedLayer, layer_classes, layer_inputs, prepare_layer
from layers.labels import WebLabels, web_labels
from layers.vector_tiles import layer_archive, prepare_tiled_layer, still_served


def prepared_layer(
    pack: Pack,
    fingerprint: str,
    layer_id: str,
    lang: str,
    year: int | None,
    scheme: str | None,
    k: int | None,
) -> PreparedLayer:
    """`layers.features.prepare_layer`, cached on only the inputs this layer depends on; a
    large layer as vector tiles (`layers.vector_tiles`), its archive built once."""
    layer = pack.manifest.layer(layer_id)
    inputs = layer_inputs(layer, year, scheme, k)
    archive = tile_archive(pack, fingerprint, layer_id)
    if archive is None:
        return _prepared(pack, fingerprint, layer_id, lang, *inputs)
    prepared = _prepared_tiled(pack, fingerprint, layer_id, archive, lang, *inputs)
    if prepared.tiled is not None and not still_served(prepared.tiled):
        tile_archive.clear()  # the tile folder was cleared: build what this view needs again
        _prepared_tiled.clear()
        archive = tile_archive(pack, fingerprint, layer_id)
        prepared = _prepared_tiled(pack, fingerprint, layer_id, archive, lang, *inputs)
    return prepared


@st.cache_resource(show_spinner=False, max_entries=256)
def tile_archive(_pack: Pack, fingerprint: str, layer_id: str) -> TileArchive | None:
    """The layer's tile archive (None: drawn inline), once per pack content and process."""
    del fingerprint
    return layer_archive(_pack, layer_id)


@st.cache_data(show_spinner=False, max_entries=512)
def _prepared_tiled(
    _pack: Pack,
    fingerprint: str,
    layer_id: str,
    archive: TileArchive,
    lang: str,
    year: int | None,
    scheme: str | None,
    k: int | None,
) -> PreparedLayer:
    """`fingerprint` stands for `_pack` in the key."""
    classes = _classes(_pack, fingerprint, layer_id, scheme, k)
    return prepare_tiled_layer(
        _pack, layer_id, archive, lang=lang, year=year, scheme=scheme, k=k, classes=classes
    )


@st.cache_resource(show_spinner=False, max_entries=256)
def _classes(
    _pack: Pack, fingerprint: str, layer_id: str, scheme: str | None, k: int | None
) -> Classes | None:
    """A layer's classes (over every year), once per pack content, scheme and count."""
    del fingerprint
    return layer_classes(_pack, layer_id, scheme=scheme, k=k)


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


@st.cache_data(show_spinner=False, max_entries=32)
def map_labels(_pack: Pack, fingerprint: str) -> WebLabels:
    """Every label of the pack placed at each zoom of the map (`layers.labels`), once per
    pack content; `fingerprint` stands for `_pack` in the key."""
    del fingerprint
    return web_labels(_pack)
