"""The base map: district view, optional basemaps, and the map tools (scale, fullscreen, …).

The base map is built from the pack (its district bounds), the language and the basemap
settings only, so it is identical across reruns and streamlit-folium never remounts it;
everything that changes with the layer panel travels as dynamic feature groups instead, and
where the map looks is kept by `layers.viewport`.

"No basemap" is the default and an empty base layer: with it selected the browser requests no
tile, so the map works with no internet. Tile basemaps are listed in the map's layer control
and are only requested when a user picks one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import folium
from folium import plugins

from atlas.i18n import t
from atlas.settings import settings
from atlas.spec import Text
from layers.controls import (
    MapStyle,
    WholeAreaButton,
    ZoomAndScale,
    add_fullscreen,
    add_tools,
)
from layers.fill_height import FillHeight
from layers.vector_tiles import TileSupport
from layers.viewport import Bounds, ViewportMemory

NONE, CUSTOM = "none", "custom"  # basemap ids besides BASEMAPS' (atlas.views.BASEMAPS)


@dataclass(frozen=True)
class Basemap:
    id: str
    title: Text
    url: str
    attribution: str
    max_zoom: int = 19


BASEMAPS: tuple[Basemap, ...] = (
    Basemap(
        "osm",
        Text("OpenStreetMap", "OpenStreetMap"),
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors",
    ),
    Basemap(
        "light",
        Text("Nền sáng (CARTO)", "Light (CARTO)"),
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        "&copy; OpenStreetMap contributors &copy; CARTO",
    ),
    Basemap(
        "satellite",
        Text("Ảnh vệ tinh (Esri)", "Satellite imagery (Esri)"),
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "Tiles &copy; Esri",
        max_zoom=18,
    ),
)

NO_BASEMAP = Text("Không nền (ngoại tuyến)", "No basemap (offline)")
CUSTOM_BASEMAP = Text("Máy chủ nền nội bộ", "Intranet tile server")


def custom_tile_url() -> str | None:
    """An intranet tile server (XYZ template) configured by the deployment, if any."""
    return settings().tile_url


def build_base_map(
    center: tuple[float, float],
    zoom: float,
    lang: str,
    tile_url: str | None = None,
    height: int | str = "100%",
    selected: str | None = NONE,
    tools: bool = True,
    fit: Bounds | None = None,
    memory: str | None = None,
    zoom_snap: float | None = None,
    tiles: bool = False,
    fill: bool = False,
    fill_gap: int = 16,
) -> folium.Map:
    """A folium Map with the `selected` basemap shown (none by default) and the map tools.

    `tools=False` (a map to look at, e.g. projected): zoom, scale and full screen only, no
    measuring, mouse position or basemap switcher. `fit` (the district's bounds) and `memory`
    (a sessionStorage key) add `ViewportMemory`: the map fits `fit` unless it remembers where
    the user was; see `layers.viewport` for the rule with explicit requests. `center`/`zoom`
    are only the view before that script runs (and the view of a map without it).
    `tiles=True` loads the vector-tile runtime, for maps that draw large layers from tiles
    (`layers.vector_tiles`). `fill=True`: the map grows to the window's height below it
    (`layers.fill_height`; `height` is then the height before the script runs).
    """
    m = folium.Map(
        location=list(center),
        zoom_start=zoom,
        tiles=None,
        control_scale=False,  # metric only: ZoomAndScale
        zoom_control=False,  # titles in the UI language: ZoomAndScale
        prefer_canvas=False,
        height=height,
    )
    if zoom_snap:
        m.options["zoom_snap"] = zoom_snap
    if tiles:
        TileSupport().add_to(m)
    ZoomAndScale(lang).add_to(m)
    if fit is not None:  # under the zoom buttons: back to the whole area in one click
        WholeAreaButton(fit, lang).add_to(m)
    MapStyle().add_to(m)
    layers = add_basemaps(m, lang, tile_url, selected)
    if tools:
        add_tools(m, lang)
        add_mouse_position(m, lang)
    else:
        add_fullscreen(m, lang)
    if fill:  # before ViewportMemory: the district is fitted in the grown map
        FillHeight(gap=fill_gap).add_to(m)
    if fit is not None or memory is not None:
        ViewportMemory(layers, fit=fit, store_key=memory).add_to(m)
    if tools:
        folium.LayerControl(position="topright", collapsed=True).add_to(m)
    return m


def add_basemaps(
    m: folium.Map, lang: str, tile_url: str | None = None, selected: str | None = NONE
) -> dict[str, folium.map.Layer]:
    """Base layers for the layer control, by basemap id; `selected` is shown, the rest hidden.

    An empty FeatureGroup is the "none" choice, so no tile is requested until a user picks
    one. `selected` "custom" without a `tile_url`, or an unknown id, shows "none".
    """
    known = {bm.id for bm in BASEMAPS} | ({CUSTOM} if tile_url else set())
    shown = selected if selected in known else NONE
    layers: dict[str, folium.map.Layer] = {
        NONE: folium.FeatureGroup(
            name=NO_BASEMAP.get(lang), overlay=False, control=True, show=shown == NONE
        ).add_to(m)
    }
    for bm in BASEMAPS:
        layers[bm.id] = folium.TileLayer(
            tiles=bm.url,
            attr=bm.attribution,
            name=bm.title.get(lang),
            max_zoom=bm.max_zoom,
            overlay=False,
            show=shown == bm.id,
        ).add_to(m)
    if tile_url:
        layers[CUSTOM] = folium.TileLayer(
            tiles=tile_url,
            attr=settings().tile_attribution or CUSTOM_BASEMAP.get(lang),
            name=CUSTOM_BASEMAP.get(lang),
            overlay=False,
            show=shown == CUSTOM,
        ).add_to(m)
    return layers


def add_mouse_position(m: folium.Map, lang: str) -> None:
    """Latitude, longitude under the mouse, bottom left."""
    plugins.MousePosition(
        position="bottomleft",
        separator=" · ",
        empty_string="",
        num_digits=5,
        prefix=t("mapctl.mouse", lang),
        lat_formatter=_coordinate(lang, t("mapctl.north", lang), t("mapctl.south", lang)),
        lng_formatter=_coordinate(lang, t("mapctl.east", lang), t("mapctl.west", lang)),
    ).add_to(m)


def _coordinate(lang: str, positive: str, negative: str) -> str:
    """A JS formatter: 9.98440 → "9,98440° B" in Vietnamese, "9.98440° N" in English (the
    decimal mark of `atlas.text`'s number rule, five decimals ≈ 1 m)."""
    mark = "," if lang == "vi" else "."
    mark_js, pos_js, neg_js = json.dumps(mark), json.dumps(positive), json.dumps(negative)
    return (
        f"function(n) {{ var s = Math.abs(n).toFixed(5).replace('.', {mark_js});"
        f" return s + '° ' + (n >= 0 ? {pos_js} : {neg_js}); }}"
    )
