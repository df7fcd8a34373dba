"""Draws the district map with streamlit-folium, updating layers in place.

The folium Map itself depends only on the pack, the language and the basemap settings, so it
is the same on every rerun and the browser keeps it; the visible layers, the legend, the
search highlight and the server's view requests travel as dynamic feature groups
(`feature_group_to_add`), which streamlit-folium swaps without reloading the iframe.
`returned_objects=[]` keeps panning and zooming from rerunning the script; the browser keeps
the viewport itself (`layers.viewport`), and st_folium's own `center`/`zoom` are not used
(they would be applied again whenever the map is remounted).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import folium
import shapely
from streamlit_folium import st_folium

from atlas.search import SearchHit
from atlas.spec import LayerSpec, Pack
from layers.basemap import build_base_map, custom_tile_url
from layers.compose import Drawn, compose
from layers.features import PreparedLayer
from layers.legend import DEFAULT_FONT_SIZE
from layers.viewport import Bounds, command_layer
from ui.map_data import map_labels
from ui.map_state import MapSettings

MAP_HEIGHT = 640
ZOOM_SNAP = 0.25  # quarter zooms: a fitted district fills the map, not half of it
HIGHLIGHT_COLOR = "#ff00ff"


def highlight_group(pack: Pack, hit: SearchHit) -> folium.FeatureGroup:
    """The found feature, outlined in a colour no layer uses."""
    geom = pack.frames[hit.layer_id].geometry.iloc[hit.row]
    group = folium.FeatureGroup(name="search", control=False)
    if geom.geom_type in ("Point", "MultiPoint"):
        pt = geom.centroid
        folium.CircleMarker(
            [pt.y, pt.x], radius=16, color=HIGHLIGHT_COLOR, weight=4, fill=False
        ).add_to(group)
    else:
        folium.GeoJson(
            shapely.geometry.mapping(geom),
            style_function=lambda _: {
                "color": HIGHLIGHT_COLOR,
                "weight": 5,
                "fill": False,
                "dashArray": "8 6",
            },
            interactive=False,
        ).add_to(group)
    return group


def drawing_order(
    pack: Pack,
    settings: MapSettings,
    prepared: dict[str, PreparedLayer],
    extra: Sequence[tuple[LayerSpec, PreparedLayer]] = (),
) -> list[Drawn]:
    """The visible layers in manifest order, `extra` layers (areas) just before the first
    visible line or point layer, so roads and works stay on top."""
    drawn: list[Drawn] = []
    pending = [(spec, prep, 1.0) for spec, prep in extra]
    for layer_id in settings.visible:
        layer = pack.manifest.layer(layer_id)
        if pending and layer.kind in ("line", "point"):
            drawn += pending
            pending = []
        drawn.append((layer, prepared[layer_id], settings.opacity.get(layer_id, 1.0)))
    return drawn + pending


def draw_map(
    pack: Pack,
    lang: str,
    settings: MapSettings,
    prepared: dict[str, PreparedLayer],
    hit: SearchHit | None = None,
    height: int = MAP_HEIGHT,
    extra: Sequence[tuple[LayerSpec, PreparedLayer]] = (),
    key: str | None = None,
    *,
    fit: Bounds | None = None,
    memory: str | None = None,
    command: Mapping[str, object] | None = None,
    basemap: str | None = None,
    tools: bool = True,
    legend_font_size: int = DEFAULT_FONT_SIZE,
    fill: bool = False,
    fill_gap: int = 16,
    fingerprint: str | None = None,
    emphasis: float = 1.0,
) -> None:
    """Base map once, layers as dynamic feature groups in manifest drawing order.

    `extra` layers (not in the manifest: a scenario's target layer) are areas: they are drawn
    just before the first visible line or point layer, so roads and works stay on top.
    Where the map looks: it fits `fit` (the district) or restores what it remembers under
    `memory` (`layers.viewport`); `command` is the server's latest explicit request (a view
    applied, a search hit), carried out once. `basemap` is shown when the map is created;
    `tools=False` leaves out measuring, coordinates and the basemap switcher (a projected map:
    the legend then takes up to the map's whole height, shrinking rather than scrolling);
    `fill` grows the map to the window's height below it (`layers.fill_height`); the labels
    of the drawn layers are on it when `settings.labels` (placed once per pack content,
    `fingerprint`); `emphasis` widens lines and points (a projected map).
    """
    fingerprint = fingerprint or pack.id
    meta = pack.meta
    tile_url = custom_tile_url()  # "custom" is the server's; a view's own URL is never fetched
    base = build_base_map(
        meta.default_center,
        meta.default_zoom,
        lang,
        tile_url=tile_url,
        selected=basemap,
        tools=tools,
        fit=fit,
        memory=memory,
        zoom_snap=ZOOM_SNAP,
        tiles=True,
        fill=fill,
        fill_gap=fill_gap,
    )
    order = drawing_order(pack, settings, prepared, extra)
    labels = None
    if settings.labels:
        labels = map_labels(pack, fingerprint).shown(pack, [spec for spec, _, _ in order])
    composed = compose(order, lang, labels, emphasis)
    groups = list(composed.groups)
    if hit is not None:
        groups.append(highlight_group(pack, hit))
    legend = composed.legend(lang, legend_font_size, share=None if tools else 1.0)
    if legend is not None:
        groups.append(legend)
    if command:  # last: a fit measures the legend, which is on the map by then
        groups.append(command_layer(command))
    st_folium(
        base,
        key=key or f"atlas-map-{pack.id}-{lang}",
        height=height,
        use_container_width=True,
        returned_objects=[],
        feature_group_to_add=groups,
    )
