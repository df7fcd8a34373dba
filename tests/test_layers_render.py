"""Renderers wrap prepared features into self-contained FeatureGroups, one per layer kind."""

from __future__ import annotations

import json
from pathlib import Path

import folium
import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box

from atlas.loader import load_pack
from atlas.spec import LAYER_KINDS, LayerSpec, StyleSpec, Text
from layers.features import feature_collection, prepare_layer
from layers.render import RENDERERS, render_layer
from tests.packfactory import make_pack

EVIL_NAME = "<img src=x onerror=alert(1)>"
EVIL_VALUE = "<script>alert(1)</script>"
GEOMETRY = {
    "boundary": box(106.0, 10.0, 106.1, 10.1),
    "polygon": box(106.0, 10.0, 106.1, 10.1),
    "choropleth": box(106.0, 10.0, 106.1, 10.1),
    "line": LineString([(106.0, 10.0), (106.1, 10.1)]),
    "point": Point(106.05, 10.05),
}


def spec(kind: str, **style) -> LayerSpec:
    return LayerSpec(
        id=f"{kind}_layer",
        kind=kind,
        file="f",
        group="g",
        title=Text(f"Lớp {kind}", f"Layer {kind}"),
        style=StyleSpec(**style),
        tooltip=("name", "note"),
        popup=("note",),
    )


def fc_for(kind: str, **style) -> tuple[dict, LayerSpec]:
    layer = spec(kind, **style)
    frame = gpd.GeoDataFrame(
        {"name": ["Xã Tân An", EVIL_NAME], "note": ["Ghi chú 42", EVIL_VALUE]},
        geometry=[GEOMETRY[kind], GEOMETRY[kind]],
        crs="EPSG:4326",
    )
    return feature_collection(frame, layer, "vi"), layer


def rendered(group: folium.FeatureGroup) -> str:
    m = folium.Map(location=[10.05, 106.05], zoom_start=12, tiles=None)
    group.add_to(m)
    return m.get_root().render()


def geojson_of(group: folium.FeatureGroup) -> folium.GeoJson:
    (child,) = group._children.values()
    assert isinstance(child, folium.GeoJson)
    return child


def bound(geojson: folium.GeoJson) -> set[str]:
    """Kinds of tooltip and popup bound to the layer (folium adds them as children)."""
    return {type(c).__name__ for c in geojson._children.values()}


def test_renderers_cover_every_layer_kind() -> None:
    assert set(RENDERERS) == set(LAYER_KINDS)


@pytest.mark.parametrize("kind", LAYER_KINDS)
def test_each_kind_renders_a_named_feature_group_containing_its_data(kind: str) -> None:
    fc, layer = fc_for(kind)
    group = render_layer(fc, layer, lang="en")
    assert isinstance(group, folium.FeatureGroup)
    assert group.layer_name == f"Layer {kind}"
    assert group._parent is None  # self-contained: no map referenced at construction
    out = rendered(group)
    assert "Ghi ch\\u00fa 42" in out or "Ghi chú 42" in out
    assert f"{layer.id}:0" in out
    assert ".bindTooltip(" in out and ".bindPopup(" in out


@pytest.mark.parametrize("kind", LAYER_KINDS)
def test_data_reaches_the_page_escaped_never_as_markup(kind: str) -> None:
    fc, layer = fc_for(kind)
    out = rendered(render_layer(fc, layer))
    # folium inserts _tooltip/_popup with innerHTML; the HTML we built holds &lt;…&gt;,
    # which the page carries JSON-encoded (& → \u0026) and the browser shows as text.
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in out
    assert "\\u0026lt;script\\u0026gt;alert(1)\\u0026lt;/script\\u0026gt;" in out
    assert "<img src=x" not in out
    assert "<script>alert(1)" not in out
    popup = fc["features"][1]["properties"]["_popup"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in popup


def test_tooltip_and_popup_bind_only_the_prepared_html_fields() -> None:
    fc, layer = fc_for("polygon")
    out = rendered(render_layer(fc, layer))
    assert 'let fields = ["_tooltip"];' in out
    assert 'let fields = ["_popup"];' in out
    assert 'let fields = ["name"' not in out and 'let fields = ["note"' not in out


def test_opacity_multiplies_the_style_opacities() -> None:
    fc, layer = fc_for("polygon", opacity=0.8, fill_opacity=0.5)
    feature = fc["features"][0]
    full = geojson_of(render_layer(fc, layer, opacity=1.0)).style_function(feature)
    half = geojson_of(render_layer(fc, layer, opacity=0.5)).style_function(feature)
    assert (full["opacity"], full["fillOpacity"]) == (0.8, 0.5)
    assert (half["opacity"], half["fillOpacity"]) == (0.4, 0.25)
    assert feature["properties"]["_style"]["opacity"] == 0.8  # the prepared data is untouched


def test_boundary_has_at_most_a_light_fill_and_none_when_transparent() -> None:
    fc, layer = fc_for("boundary", fill_opacity=0.6)
    style = geojson_of(render_layer(fc, layer)).style_function(fc["features"][0])
    assert style["fillOpacity"] == pytest.approx(0.1)
    fc, layer = fc_for("boundary", fill_opacity=0.0, weight=3)
    style = geojson_of(render_layer(fc, layer)).style_function(fc["features"][0])
    assert style["fill"] is False
    assert style["weight"] == 3


def test_lines_are_never_filled() -> None:
    fc, layer = fc_for("line")
    style = geojson_of(render_layer(fc, layer)).style_function(fc["features"][0])
    assert style["fill"] is False


def test_points_are_circle_markers_sized_by_their_style() -> None:
    fc, layer = fc_for("point", radius=9, color="#e31a1c")
    group = render_layer(fc, layer)
    style = geojson_of(group).style_function(fc["features"][0])
    assert style["radius"] == 9
    assert style["fill"] is True
    out = rendered(group)
    assert "_pointToLayer(feature, latlng)" in out
    assert "new L.CircleMarker(latlng, opts)" in out
    assert '"radius": 9.0' in out


def test_emphasis_widens_lines_and_points_for_a_projector() -> None:
    fc, layer = fc_for("point", radius=7)
    big = geojson_of(render_layer(fc, layer, emphasis=1.5))
    assert big.style_function(big.data["features"][0])["radius"] == pytest.approx(10.5)
    fc, layer = fc_for("line", weight=4)
    wide = geojson_of(render_layer(fc, layer, emphasis=1.5))
    assert wide.style_function(wide.data["features"][0])["weight"] == pytest.approx(6)
    assert fc["features"][0]["properties"]["_style"]["weight"] == 4  # prepared data untouched


def test_style_reads_the_prepared_style_of_each_feature() -> None:
    fc, layer = fc_for("polygon")
    fc["features"][1]["properties"]["_style"] = {
        **fc["features"][1]["properties"]["_style"],
        "fillColor": "#abcdef",
    }
    out = rendered(render_layer(fc, layer))
    assert '"fillColor": "#abcdef"' in out


def test_empty_collection_renders_without_tooltip_or_popup() -> None:
    layer = spec("polygon")
    out = rendered(render_layer({"type": "FeatureCollection", "features": []}, layer))
    assert ".bindTooltip(" not in out


def test_render_does_not_mutate_the_prepared_collection() -> None:
    fc, layer = fc_for("line")
    before = json.dumps(fc, sort_keys=True)
    rendered(render_layer(fc, layer, opacity=0.3))
    assert json.dumps(fc, sort_keys=True) == before


def test_a_loaded_pack_renders_every_layer(tmp_path: Path) -> None:
    pack = load_pack(make_pack(tmp_path)).pack
    assert pack is not None
    m = folium.Map(tiles=None)
    for layer in pack.layers:
        prepared = prepare_layer(pack, layer.id, "vi")
        render_layer(prepared.fc, layer, 0.8, "vi").add_to(m)
    out = m.get_root().render()
    assert "Th\\u1ecb tr\\u1ea5n \\u0110\\u1ed3ng M\\u1ecf" in out or "Thị trấn Đồng Mỏ" in out
    assert "water:0" in out and "communes:1" in out


def test_feature_group_works_through_streamlit_folium_dynamic_groups() -> None:
    sf = pytest.importorskip("streamlit_folium")
    to_string = getattr(sf, "_get_feature_group_string", None)
    if to_string is None:
        pytest.skip("streamlit-folium internals changed")
    fc, layer = fc_for("choropleth")
    script = to_string(render_layer(fc, layer), folium.Map(tiles=None), 0)
    assert "feature_group_feature_group_0" in script
    assert ".bindPopup(" in script
    assert "map_div.addLayer(feature_group_feature_group_0);" in script


@pytest.mark.parametrize("kind", LAYER_KINDS)
def test_a_layer_at_zero_opacity_is_drawn_but_takes_no_pointer_events(kind: str) -> None:
    """Invisible must not mean in the way: a path with `fill` on catches the mouse even at
    fillOpacity 0, which would hide the tooltips and popups of the layers beneath."""
    fc, layer = fc_for(kind, fill_opacity=0.7)
    group = render_layer(fc, layer, opacity=0.0, lang="en")
    assert group.layer_name == f"Layer {kind}"  # still listed, in its place
    geojson = geojson_of(group)
    assert geojson.options.get("interactive") is False
    assert not bound(geojson)
    assert not geojson.highlight
    for feature in fc["features"]:
        style = geojson.style_function(feature)
        assert style["opacity"] == 0 and style["fillOpacity"] == 0
        assert style["fill"] is False
        assert style["interactive"] is False  # what a point's circle marker is built from
    out = rendered(group)
    assert f"{layer.id}:0" in out and f"{layer.id}:1" in out  # the features are still there
    assert ".bindTooltip(" not in out and ".bindPopup(" not in out
    assert "mouseover" not in out  # no highlight on hover


@pytest.mark.parametrize("kind", LAYER_KINDS)
def test_a_faint_layer_keeps_its_tooltip_popup_and_highlight(kind: str) -> None:
    fc, layer = fc_for(kind)
    geojson = geojson_of(render_layer(fc, layer, opacity=0.1))
    assert geojson.options.get("interactive", True) is not False
    assert bound(geojson) == {"GeoJsonTooltip", "GeoJsonPopup"}
    assert geojson.highlight
    out = rendered(render_layer(fc, layer, opacity=0.1))
    assert ".bindTooltip(" in out and ".bindPopup(" in out and "mouseover" in out
