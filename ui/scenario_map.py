"""The scenarios page's map: communes coloured by one target for the working scenario.

Same arrangement as `ui.map_view`: the base map depends only on the pack and the language, so
the browser keeps it across reruns; the target layer and its legend travel as dynamic feature
groups. Unlike the map page, a click on a commune must rerun the page (it switches that
commune's yes/no indicator), so the map returns `last_active_drawing` (the clicked feature,
whose properties carry `_code`) and `last_object_clicked_count` (so a second click on the same
commune counts too). Panning and zooming change neither and do not rerun the page.
"""

from __future__ import annotations

import functools
from dataclasses import replace

from streamlit_folium import st_folium

from atlas.spec import Pack
from layers.basemap import build_base_map, custom_tile_url
from layers.compose import compose
from layers.controls import WholeAreaButton
from layers.features import PreparedLayer
from layers.target_layer import target_layer_spec
from layers.vector_tiles import TileSupport
from ui.map_data import map_labels
from ui.scenario_actions import on_map_click

MAP_HEIGHT = 560
ZOOM_SNAP = 0.25
RETURNED = ["last_active_drawing", "last_object_clicked_count"]


def map_key(pack_id: str, lang: str) -> str:
    return f"scen-map-{pack_id}-{lang}"


def without_popups(fc: dict) -> dict:
    """The features without their popup: a click edits, and the tooltip already shows the
    value; a popup would open and vanish again as the page redraws the layer."""
    features = [
        {**f, "properties": {k: v for k, v in f["properties"].items() if k != "_popup"}}
        for f in fc.get("features", [])
    ]
    return {**fc, "features": features}


def draw_scenario_map(
    pack: Pack,
    lang: str,
    target_id: str,
    prepared: PreparedLayer,
    scenario_id: str,
    height: int = MAP_HEIGHT,
    editable: bool = True,
    fill: bool = True,
    fingerprint: str | None = None,
) -> None:
    """The target layer of the working scenario, its legend, and clicks sent to the page
    (unless not `editable`: the new communes after 2025 are looked at, not edited); `fill`:
    the map takes the window's height below its top, beside the KPI cards."""
    meta = pack.meta
    tile_url = custom_tile_url()  # the server's own; never a URL a user gave
    base = build_base_map(
        meta.default_center, meta.default_zoom, lang, tile_url=tile_url, fill=fill
    )
    if prepared.bounds:  # the communes' extent: the same for every scenario and target
        base.options["zoom_snap"] = ZOOM_SNAP  # the district fills the map, not half of it
        base.fit_bounds(prepared.bounds, padding=(8, 8))
        WholeAreaButton(prepared.bounds, lang).add_to(base)
    spec = target_layer_spec(pack, target_id)
    tiled = prepared.tiled is not None  # a large layer: drawn from tiles, shown, not clicked
    if tiled:
        TileSupport().add_to(base)
        editable = False
    clickable = replace(prepared, fc=without_popups(prepared.fc))
    # The communes' names (`layers.labels`, placed once per pack content) over the target layer.
    labels = map_labels(pack, fingerprint).shown(pack, [spec]) if fingerprint else None
    composed = compose([(spec, clickable, 1.0)], lang, labels)
    groups = [*composed.groups, composed.legend(lang)]
    key = map_key(pack.id, lang) + ("" if editable else "-view") + ("-tiled" if tiled else "")
    st_folium(
        base,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=RETURNED if editable else [],
        feature_group_to_add=groups,
        on_change=functools.partial(on_map_click, pack.id, scenario_id, key) if editable else None,
    )
