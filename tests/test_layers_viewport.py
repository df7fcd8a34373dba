"""The base map's viewport memory, basemaps by id, tools on or off, and localised controls."""

from __future__ import annotations

import json
import re

import pytest

from atlas.export import ExportView
from atlas.loader import load_pack
from atlas.views import View
from layers.basemap import build_base_map
from layers.controls import MEASURE_ENGLISH, js_words_pattern, measure_translations
from layers.features import bounds
from layers.viewport import command_layer, district_bounds, view_command
from tests.conftest import REPO_ROOT
from tests.packfactory import make_pack

GEODATA = REPO_ROOT / "geodata"


def page_of(m) -> str:
    return m.get_root().render()


def shown_tile_urls(page: str) -> list[str]:
    """Tile URL templates of layers added to the map when it starts (folium's `.addTo`)."""
    found = []
    for m in re.finditer(r'var (tile_layer_\w+) = L\.tileLayer\(\s*"([^"]+)"', page):
        if re.search(rf"\b{m.group(1)}\.addTo\(", page):
            found.append(m.group(2))
    return found


@pytest.mark.parametrize("pack_id", ["cang_long", "chi_lang"])
def test_a_pack_fits_its_district_layer(pack_id: str) -> None:
    pack = load_pack(GEODATA / pack_id).pack
    assert district_bounds(pack) == bounds(pack.frames["district"])


def test_a_pack_without_a_district_layer_fits_all_its_layers(tmp_path) -> None:
    pack = load_pack(make_pack(tmp_path)).pack
    assert "district" not in pack.frames
    (south, west), (north, east) = district_bounds(pack)
    for frame in pack.frames.values():
        (s, w), (n, e) = bounds(frame)
        assert south <= s and west <= w and n <= north and e <= east


def test_the_viewport_memory_knows_the_basemaps_by_id_and_fits_the_district() -> None:
    fit = [[9.8, 106.1], [10.1, 106.3]]
    page = page_of(build_base_map((10, 106), 12, "vi", fit=fit, memory="atlas.viewport.map.x"))
    assert 'var storeKey = "atlas.viewport.map.x";' in page
    assert f"var fit = {json.dumps(fit)};" in page
    for basemap in ("none", "osm", "light", "satellite"):
        assert f'"{basemap}": ' in page
    assert '"custom": ' not in page  # no tile server configured
    assert "sessionStorage" in page and '"moveend baselayerchange"' in page


def test_a_map_without_fit_or_memory_has_no_viewport_script() -> None:
    assert "__atlasViewport" not in page_of(build_base_map((10, 106), 12, "vi"))


@pytest.mark.parametrize(
    ("selected", "tile_url", "shown"),
    [
        (None, None, []),
        ("none", None, []),
        ("osm", None, ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"]),
        ("custom", "http://tiles.local/{z}/{x}/{y}.png", ["http://tiles.local/{z}/{x}/{y}.png"]),
        ("custom", None, []),  # no tile server: no basemap
        ("mars", None, []),
    ],
)
def test_the_selected_basemap_is_the_one_shown(selected, tile_url, shown) -> None:
    page = page_of(build_base_map((10, 106), 12, "en", tile_url=tile_url, selected=selected))
    assert shown_tile_urls(page) == shown


def test_a_map_without_tools_has_no_measuring_coordinates_or_basemap_switcher() -> None:
    full = page_of(build_base_map((10, 106), 12, "vi"))
    bare = page_of(build_base_map((10, 106), 12, "vi", tools=False))
    for tool in ("L.Control.Measure", "L.Control.MousePosition", "L.control.layers"):
        assert tool in full and tool not in bare
    for kept in ("L.control.zoom", "L.control.scale", "L.control.fullscreen"):
        assert kept in bare


@pytest.mark.parametrize(
    ("lang", "titles"),
    [("vi", ["Phóng to", "Thu nhỏ", "Toàn màn hình"]), ("en", ["Zoom in", "Zoom out"])],
)
def test_zoom_and_fullscreen_titles_follow_the_language(lang: str, titles: list[str]) -> None:
    page = page_of(build_base_map((10, 106), 12, lang))
    for title in titles:
        assert json.dumps(title) in page
    assert "imperial: false" in page  # metric scale bar only
    assert "L.control.zoom" in page and '"zoomControl": false' in page


def test_every_measure_string_is_translated_to_vietnamese() -> None:
    words = measure_translations("vi")
    assert set(words) == set(MEASURE_ENGLISH.values())
    assert words["Measure distances and areas"] == "Đo khoảng cách và diện tích"
    assert measure_translations("en") == {}  # leaflet-measure is English already


def test_the_measure_pattern_prefers_the_longest_string() -> None:
    pattern = js_words_pattern({"Area": "Diện tích", "Area measurement": "Đo diện tích"})
    assert pattern == r"\b(Area measurement|Area)\b"
    assert js_words_pattern({}) == "(?!)"  # matches nothing


def test_a_view_command_holds_only_what_is_asked() -> None:
    assert view_command("t1") == {"token": "t1"}
    command = view_command("t2", center=(9.9, 106.2), zoom=13, basemap="osm")
    assert command == {"token": "t2", "center": [9.9, 106.2], "zoom": 13, "basemap": "osm"}
    m = build_base_map((10, 106), 12, "vi")
    command_layer(command).add_to(m)
    page = page_of(m)
    assert f"viewport.command({json.dumps(command, sort_keys=True)})" in page


def test_the_html_export_shows_the_view_s_basemap() -> None:
    from layers.export_html import build_export_map

    pack = load_pack(GEODATA / "cang_long").pack
    view = View(pack_id="cang_long", layers=("communes",), basemap="light")
    export = ExportView.from_view(view)
    assert export.basemap == "light"
    page = page_of(build_export_map(pack, export))
    assert shown_tile_urls(page) == [
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png"
    ]
    plain = page_of(build_export_map(pack, ExportView.default(pack)))
    assert shown_tile_urls(plain) == []
