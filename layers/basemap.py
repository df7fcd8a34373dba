"""The base map: district view, optional basemaps, and the map tools (scale, fullscreen, …).

The base map is built from the pack's default view, the language and the basemap settings
only, so it is identical across reruns and streamlit-folium never remounts it; everything that
changes with the layer panel travels as dynamic feature groups instead.

"No basemap" is the default and an empty base layer: with it selected the browser requests no
tile, so the map works with no internet. Tile basemaps are listed in the map's layer control
and are only requested when a user picks one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import folium
from folium import plugins

from atlas.spec import Text

TILE_URL_ENV = "ATLAS_TILE_URL"
TILE_ATTR_ENV = "ATLAS_TILE_ATTRIBUTION"


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
    url = os.environ.get(TILE_URL_ENV, "").strip()
    return url or None


def build_base_map(
    center: tuple[float, float],
    zoom: int,
    lang: str,
    tile_url: str | None = None,
    height: int | str = "100%",
) -> folium.Map:
    """A folium Map with no tiles shown, basemaps to pick from, and the map tools."""
    m = folium.Map(
        location=list(center),
        zoom_start=zoom,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        height=height,
    )
    add_basemaps(m, lang, tile_url)
    plugins.Fullscreen(
        position="topleft",
        title="Toàn màn hình" if lang == "vi" else "Full screen",
        title_cancel="Thoát toàn màn hình" if lang == "vi" else "Exit full screen",
    ).add_to(m)
    plugins.MeasureControl(
        position="topleft",
        primary_length_unit="kilometers",
        secondary_length_unit="meters",
        primary_area_unit="hectares",
        secondary_area_unit="sqmeters",
    ).add_to(m)
    add_mouse_position(m, lang)
    folium.LayerControl(position="topright", collapsed=True).add_to(m)
    return m


def add_basemaps(m: folium.Map, lang: str, tile_url: str | None = None) -> None:
    """Base layers for the layer control: "no basemap" (shown) and the tile basemaps (hidden).

    An empty FeatureGroup is the "none" choice, so no tile is requested until a user picks one.
    """
    folium.FeatureGroup(name=NO_BASEMAP.get(lang), overlay=False, control=True).add_to(m)
    for bm in BASEMAPS:
        folium.TileLayer(
            tiles=bm.url,
            attr=bm.attribution,
            name=bm.title.get(lang),
            max_zoom=bm.max_zoom,
            overlay=False,
            show=False,
        ).add_to(m)
    if tile_url:
        folium.TileLayer(
            tiles=tile_url,
            attr=os.environ.get(TILE_ATTR_ENV, CUSTOM_BASEMAP.get(lang)),
            name=CUSTOM_BASEMAP.get(lang),
            overlay=False,
            show=False,
        ).add_to(m)


def add_mouse_position(m: folium.Map, lang: str) -> None:
    """Latitude, longitude under the mouse, bottom left."""
    plugins.MousePosition(
        position="bottomleft",
        separator=" , ",
        empty_string="",
        num_digits=5,
        prefix="Vĩ độ, kinh độ:" if lang == "vi" else "Lat, lon:",
    ).add_to(m)
