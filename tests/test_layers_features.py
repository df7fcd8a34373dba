"""The FeatureCollection carries per-feature styles and escaped tooltip/popup HTML."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from atlas.loader import load_pack
from atlas.spec import Category, FieldSpec, LayerSpec, StyleSpec, Text
from layers.classify import NO_DATA_COLOR, classify
from layers.features import bounds, feature_collection, layer_inputs, prepare_layer
from tests.packfactory import make_pack

EVIL_NAME = "<img src=x onerror=alert(1)>"
EVIL_VALUE = "<script>alert(1)</script>"

ROADS = LayerSpec(
    id="roads",
    kind="line",
    file="layers/roads.geojson",
    group="giao_thong",
    title=Text("Đường", "Roads"),
    style=StyleSpec(
        type="categorical",
        field="status",
        default_color="#999999",
        weight=4,
        categories=(
            Category("existing", "#1b7837", Text("Hiện có", "Existing")),
            Category("planned", "#d6604d", Text("Quy hoạch", "Planned"), dash="6 4"),
        ),
    ),
    tooltip=("name", "status"),
    popup=("name", "status", "length_km", "note"),
    fields=(
        FieldSpec("name", Text("Tên tuyến", "Road")),
        FieldSpec(
            "status",
            Text("Hiện trạng", "Status"),
            values={
                "existing": Text("Hiện có", "Existing"),
                "planned": Text("Quy hoạch", "Planned"),
            },
        ),
        FieldSpec("length_km", Text("Chiều dài", "Length"), unit="km", type="float"),
        FieldSpec("note", Text("Ghi chú", "Note")),
    ),
)


def roads() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "name": ["QL 53", "ĐT 911", EVIL_NAME],
            "status": ["existing", "planned", "unknown"],
            "length_km": pd.array([15.494, None, 2.0], dtype="Float64"),
            "note": ["ok", EVIL_VALUE, "a & b"],
            "geometry": [
                LineString([(106.1234567891, 9.9876543219), (106.2, 10.0)]),
                LineString([(106.2, 10.0), (106.3, 10.1)]),
                LineString([(106.3, 10.1), (106.4, 10.2)]),
            ],
        },
        crs="EPSG:4326",
    )


def props(fc: dict) -> list[dict]:
    return [f["properties"] for f in fc["features"]]


def test_feature_collection_is_json_serialisable_with_only_the_needed_properties() -> None:
    fc = feature_collection(roads(), ROADS, "vi")
    assert fc["type"] == "FeatureCollection"
    assert json.loads(json.dumps(fc)) == fc
    assert set(props(fc)[0]) == {"_id", "_name", "_style", "_tooltip", "_popup"}
    assert [f["id"] for f in fc["features"]] == ["roads:0", "roads:1", "roads:2"]
    assert [p["_id"] for p in props(fc)] == ["roads:0", "roads:1", "roads:2"]


def test_coordinates_are_rounded_to_six_decimals() -> None:
    fc = feature_collection(roads(), ROADS, "vi")
    assert fc["features"][0]["geometry"]["coordinates"][0] == [106.123457, 9.987654]


def test_categorical_colours_and_dashes_per_feature() -> None:
    styles = [p["_style"] for p in props(feature_collection(roads(), ROADS, "vi"))]
    assert [s["color"] for s in styles] == ["#1b7837", "#d6604d", "#999999"]
    assert [s["dashArray"] for s in styles] == [None, "6 4", None]
    assert all(s["weight"] == 4 for s in styles)
    assert styles[0]["fill"] is False  # a line is never filled


def test_tooltip_shows_labels_and_translated_values_in_each_language() -> None:
    vi = props(feature_collection(roads(), ROADS, "vi"))
    en = props(feature_collection(roads(), ROADS, "en"))
    assert "<th>Tên tuyến</th><td>QL 53</td>" in vi[0]["_tooltip"]
    assert "<th>Hiện trạng</th><td>Hiện có</td>" in vi[0]["_tooltip"]
    assert "<th>Status</th><td>Planned</td>" in en[1]["_tooltip"]


def test_popup_has_the_name_as_title_numbers_in_the_language_and_dashes_for_na() -> None:
    vi = props(feature_collection(roads(), ROADS, "vi"))
    en = props(feature_collection(roads(), ROADS, "en"))
    assert "<b>QL 53</b>" in vi[0]["_popup"]
    assert "<th>Tên tuyến</th>" not in vi[0]["_popup"]  # the title already names it
    assert "<td>15,49 km</td>" in vi[0]["_popup"]
    assert "<td>15.49 km</td>" in en[0]["_popup"]
    assert "<th>Chiều dài</th><td>—</td>" in vi[1]["_popup"]


def test_every_name_value_and_label_is_html_escaped() -> None:
    layer = LayerSpec(
        id="x",
        kind="line",
        file="f",
        group="g",
        title=Text("t", "t"),
        style=ROADS.style,
        tooltip=("name", "note"),
        popup=("note",),
        fields=(FieldSpec("note", Text("<i>Ghi chú</i>", "<i>Note</i>")),),
    )
    p = props(feature_collection(roads(), layer, "vi"))
    assert p[2]["_name"] == EVIL_NAME  # plain text property, for search and clicks
    assert "&lt;img src=x onerror=alert(1)&gt;" in p[2]["_tooltip"]
    assert "<img" not in p[2]["_tooltip"] and "<img" not in p[2]["_popup"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in p[1]["_popup"]
    assert "<script" not in p[1]["_popup"]
    assert "&lt;i&gt;Ghi chú&lt;/i&gt;" in p[1]["_popup"]
    assert "a &amp; b" in p[2]["_popup"]


def test_fixed_style_uses_fill_colour_and_spec_values() -> None:
    layer = LayerSpec(
        id="communes",
        kind="boundary",
        file="f",
        group="g",
        title=Text("Xã", "Communes"),
        style=StyleSpec(color="#333333", fill_color="#fdae6b", weight=1, fill_opacity=0.05),
    )
    frame = gpd.GeoDataFrame({"name": ["A"], "geometry": [box(0, 0, 1, 1)]}, crs="EPSG:4326")
    (style,) = [p["_style"] for p in props(feature_collection(frame, layer, "vi"))]
    assert style == {
        "color": "#333333",
        "weight": 1.0,
        "opacity": 1.0,
        "fill": True,
        "fillColor": "#fdae6b",
        "fillOpacity": 0.05,
        "dashArray": None,
        "radius": 6.0,
    }


def test_without_declared_tooltip_the_name_is_the_tooltip() -> None:
    layer = LayerSpec(
        id="p", kind="point", file="f", group="g", title=Text("p", "p"), style=StyleSpec()
    )
    frame = gpd.GeoDataFrame({"name": ["Chợ <A>"], "geometry": [Point(1, 2)]}, crs="EPSG:4326")
    (p,) = props(feature_collection(frame, layer, "vi"))
    assert p["_tooltip"] == "<b>Chợ &lt;A&gt;</b>"


def test_graduated_style_colours_features_by_class_and_na_grey() -> None:
    layer = LayerSpec(
        id="g",
        kind="polygon",
        file="f",
        group="g",
        title=Text("g", "g"),
        style=StyleSpec(type="graduated", field="v", scheme="thresholds", bins=(50, 100)),
    )
    frame = gpd.GeoDataFrame(
        {
            "name": ["a", "b", "c"],
            "v": pd.array([10.0, 90.0, None], dtype="Float64"),
            "geometry": [box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)],
        },
        crs="EPSG:4326",
    )
    classes = classify(list(frame["v"]), layer.style)
    fills = [
        p["_style"]["fillColor"] for p in props(feature_collection(frame, layer, "vi", classes))
    ]
    assert fills == [classes.colors[0], classes.colors[1], NO_DATA_COLOR]
    # without classes given, the layer is classified from the frame itself
    assert [
        p["_style"]["fillColor"] for p in props(feature_collection(frame, layer, "vi"))
    ] == fills


def test_bounds_are_south_west_north_east() -> None:
    assert bounds(roads()) == [[9.987654, 106.123457], [10.2, 106.4]]
    assert bounds(roads().iloc[0:0]) is None


@pytest.fixture
def pack(tmp_path: Path):
    table = (
        "code,year,water_pct,landfill\n"
        "06463,2021,80.5,true\n06466,2021,40,false\n06463,2023,90,true\n"
    )
    result = load_pack(make_pack(tmp_path, table=table))
    assert result.pack is not None, result.report.issues
    return result.pack


def test_prepared_choropleth_shows_the_year_and_table_labels(pack) -> None:
    prepared = prepare_layer(pack, "water", "vi", year=2021)
    assert prepared.year == 2021
    first, second = props(prepared.fc)
    assert "<th>Nước sạch</th><td>80,5 %</td>" in first["_popup"]
    assert "<th>Năm</th><td>2021</td>" in first["_popup"]
    assert first["_code"] == "06463"
    # classes span every year, so 2021 and 2023 share one legend
    assert prepared.classes is not None
    assert prepared.classes.counts == (1, 2)
    assert [e.label for e in prepared.legend] == ["≤ 50 %", "50 – 100 %", "Không có số liệu"]
    assert second["_style"]["fillColor"] == prepared.classes.colors[0]
    assert prepared.bounds == [[21.6, 106.5], [21.7, 106.7]]


def test_prepared_choropleth_defaults_to_the_latest_year_with_no_data_grey(pack) -> None:
    prepared = prepare_layer(pack, "water", "en")
    assert prepared.year == 2023
    first, second = props(prepared.fc)
    assert "<th>Year</th><td>2023</td>" in first["_popup"]
    assert second["_style"]["fillColor"] == NO_DATA_COLOR
    assert "<td>—</td>" in second["_popup"]


def test_prepared_layer_is_picklable_for_the_cache(pack) -> None:
    import pickle

    prepared = prepare_layer(pack, "communes", "vi")
    assert pickle.loads(pickle.dumps(prepared)) == prepared
    assert prepared.classes is None
    assert [e.label for e in prepared.legend] == ["Xã"]


def test_layer_inputs_keep_only_what_the_layer_depends_on(tmp_path: Path) -> None:
    """The cache key of a prepared layer: the year only for a layer joined to a table, the
    scheme and class count only for a graduated style."""
    pack = load_pack(make_pack(tmp_path)).pack
    water = pack.manifest.layer("water")  # a graduated choropleth joined to a table
    communes = pack.manifest.layer("communes")  # a fixed boundary
    assert layer_inputs(water, 2021, "quantiles", 4) == (2021, "quantiles", 4)
    assert layer_inputs(communes, 2021, "quantiles", 4) == (None, None, None)
    assert layer_inputs(ROADS, 2021, "quantiles", 4) == (None, None, None)  # categorical
    graduated_points = LayerSpec(
        id="pts",
        kind="point",
        file="f",
        group="g",
        title=Text("Điểm", "Points"),
        style=StyleSpec(type="graduated", field="capacity"),
    )
    assert layer_inputs(graduated_points, 2021, "quantiles", 4) == (None, "quantiles", 4)
    # What the narrowed inputs prepare is what the full ones did.
    for layer in (water, communes):
        narrowed = prepare_layer(pack, layer.id, "vi", *layer_inputs(layer, 2021, "quantiles", 3))
        assert narrowed == prepare_layer(pack, layer.id, "vi", 2021, "quantiles", 3)
