"""Two scenarios on synchronised maps: folium's DualMap drawn by streamlit-folium.

DualMap puts two Leaflet maps side by side and links them with the Leaflet.Sync plugin
(`m1.sync(m2); m2.sync(m1)`): panning or zooming either map moves the other. streamlit-folium
supports it (the component has a second map div for `DualMap.m2`). Its dynamic feature
groups (`feature_group_to_add`) only reach the first map, so here both target layers and
their legends are part of the maps themselves: a change of scenario or target gives a new
map (the view goes back to the district), which on this page is what the user asked for.
Leaflet.Sync is served from static/vendor like every other map asset (`layers.offline`).
"""

from __future__ import annotations

import folium
from folium import plugins
from streamlit_folium import st_folium

from atlas.spec import Pack
from layers.basemap import add_basemaps, add_mouse_position
from layers.compose import compose
from layers.controls import WholeAreaButton, ZoomAndScale
from layers.features import PreparedLayer
from layers.target_layer import target_layer_spec
from layers.vector_tiles import TileSupport

MAP_HEIGHT = 520


def _dress(m: folium.Map, lang: str) -> None:
    """Zoom titles in the UI language and a metric scale; no basemap by default (offline),
    the usual basemaps on offer; mouse coordinates."""
    ZoomAndScale(lang).add_to(m)
    TileSupport().add_to(m)  # a nation's communes are drawn from tiles
    add_basemaps(m, lang)
    add_mouse_position(m, lang)


def synced_maps(
    pack: Pack,
    target_id: str,
    layer_a: PreparedLayer,
    layer_b: PreparedLayer,
    lang: str,
) -> plugins.DualMap:
    """A DualMap on the pack's default view: A's target layer left, B's right, each with its
    legend and layer control."""
    meta = pack.meta
    dual = plugins.DualMap(
        location=list(meta.default_center),
        layout="horizontal",
        tiles=None,
        zoom_start=meta.default_zoom,
        control_scale=False,  # metric only, and zoom titles in the UI language: _dress
        zoom_control=False,
    )
    spec = target_layer_spec(pack, target_id)
    for m, layer in ((dual.m1, layer_a), (dual.m2, layer_b)):
        _dress(m, lang)
        if layer_a.bounds:  # "no way back to the whole district": a button on each map
            WholeAreaButton(layer_a.bounds, lang).add_to(m)
        compose([(spec, layer, 1.0)], lang).add_to(m, lang)
        folium.LayerControl(position="topright", collapsed=True).add_to(m)
    if layer_a.bounds:  # half-width maps: fit the district rather than the pack's zoom
        dual.fit_bounds(layer_a.bounds, padding=(8, 8))
    return dual


def draw_synced_maps(dual: plugins.DualMap, key: str, height: int = MAP_HEIGHT) -> None:
    st_folium(
        dual,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=[],
    )
