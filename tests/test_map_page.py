"""The map page in AppTest: what the panel's widgets send to the map component.

AppTest does not run the st_folium component; it shows it as an unknown element whose
protobuf carries the component's JSON arguments. The layers travel in `feature_group`, a
script that adds each layer's GeoJSON with `<name>_add({...})` and the legend control with
`div.innerHTML = "..."`; the helpers below read both back as data.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from atlas.loader import load_pack
from layers.classify import format_number
from layers.features import bounds, prepare_layer
from layers.viewport import HIT_MAX_ZOOM
from tests.conftest import REPO_ROOT
from ui.widgets import label_md

MAP_PAGE = "pages/map.py"
PACKS_PAGE = "pages/packs.py"
GEODATA = REPO_ROOT / "geodata"
CHOROPLETH = "internet_hamlets"  # Càng Long's only choropleth, hidden when the map opens
# A section heading (`legend_html` writes one for layers with several entries) or an entry label.
LEGEND_TEXT = re.compile(r'<div style="font-weight:600;[^"]*">([^<]*)</div>|<span>(.*?)</span>')


# --- reading the map component back -------------------------------------------------------


def map_args(at: AppTest) -> dict:
    """The st_folium component's arguments (exactly one map on the page)."""
    maps = [
        el for el in at.get("component_instance") if "streamlit_folium" in el.proto.component_name
    ]
    assert len(maps) == 1, [el.proto.component_name for el in at.get("component_instance")]
    return json.loads(maps[0].proto.json_args)


def _decoded_after(script: str, marker: str) -> list[object]:
    """Every JSON value written right after `marker` in the script."""
    decoder = json.JSONDecoder()
    return [decoder.raw_decode(script, m.end())[0] for m in re.finditer(marker, script)]


def map_features(at: AppTest) -> dict[str, dict]:
    """Properties of every GeoJSON feature the map draws, by feature id (`roads:3`)."""
    found: dict[str, dict] = {}
    for data in _decoded_after(map_args(at)["feature_group"], r"_add\("):
        for feature in data.get("features", []) if isinstance(data, dict) else []:
            found[feature["id"]] = feature["properties"]
    return found


def layer_features(at: AppTest, layer_id: str) -> dict[str, dict]:
    return {fid: p for fid, p in map_features(at).items() if fid.startswith(f"{layer_id}:")}


def map_legend_html(at: AppTest) -> str:
    """The on-map legend control's HTML ("" when no layer is shown)."""
    legends = _decoded_after(map_args(at)["feature_group"], r"div\.innerHTML = ")
    assert len(legends) <= 1
    return str(legends[0]) if legends else ""


def map_command(at: AppTest) -> dict | None:
    """The server's view request sent with this run (`layers.viewport.ViewCommand`), if any."""
    found = _decoded_after(map_args(at)["feature_group"], r"viewport\.command\(")
    assert len(found) <= 1
    return found[0] if found else None


def shown_tiles(script: str) -> list[str]:
    """The URL templates of the tile layers a map script adds to the map when it starts."""
    shown = []
    for m in re.finditer(r'var (tile_layer_\w+) = L\.tileLayer\(\s*"([^"]+)"', script):
        if re.search(rf"\b{m.group(1)}\.addTo\(", script):
            shown.append(m.group(2))
    return shown


def map_legend(at: AppTest) -> list[str]:
    """The on-map legend's texts in order: section headings and entry labels, unescaped."""
    return [html.unescape(a or b) for a, b in LEGEND_TEXT.findall(map_legend_html(at))]


def has_run(items: list[str], run: list[str]) -> bool:
    """`run` appears in `items` as consecutive elements."""
    return any(items[i : i + len(run)] == run for i in range(len(items) - len(run) + 1))


def panel_legend_text(at: AppTest) -> str:
    return " ".join(md.value for md in at.markdown if "atlas-legend" in md.value)


def check(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


# --- fixtures ----------------------------------------------------------------------------


def commune_names(pack_id: str) -> set[str]:
    data = json.loads((GEODATA / pack_id / "layers" / "communes.geojson").read_text("utf-8"))
    return {f["properties"]["name"] for f in data["features"]}


def open_map(app_test: AppTest, pack_id: str = "cang_long") -> AppTest:
    at = check(app_test.run())
    if pack_id != "cang_long":
        check(at.sidebar.selectbox(key="pack").set_value(pack_id).run())
    return at


def choropleth_on(at: AppTest) -> AppTest:
    return check(at.toggle(key=f"map.cang_long.on.{CHOROPLETH}").set_value(True).run())


# --- tests -------------------------------------------------------------------------------


PACKS = [("cang_long", "Huyện Càng Long", 14), ("chi_lang", "Huyện Chi Lăng", 20)]


@pytest.mark.parametrize(("pack_id", "title", "n"), PACKS)
def test_the_map_draws_every_commune_of_each_pack(
    app_test: AppTest, pack_id: str, title: str, n: int
) -> None:
    at = open_map(app_test, pack_id)
    assert [t.value for t in at.title] == [title]
    args = map_args(at)
    assert args["key"] and args["feature_group"]
    communes = layer_features(at, "communes")
    assert len(communes) == n
    assert {p["_name"] for p in communes.values()} == commune_names(pack_id)
    # Every layer the manifest shows at start is drawn, and only those.
    manifest = load_pack(GEODATA / pack_id).pack.manifest
    drawn = {fid.split(":")[0] for fid in map_features(at)}
    assert drawn == {la.id for la in manifest.layers if la.visible}


def test_a_layer_toggle_removes_and_restores_its_features(app_test: AppTest) -> None:
    at = open_map(app_test)
    roads = layer_features(at, "roads")
    assert roads
    title = "Giao thông: hiện có và quy hoạch"
    assert title in map_legend(at)

    check(at.toggle(key="map.cang_long.on.roads").set_value(False).run())
    assert layer_features(at, "roads") == {}
    assert title not in map_legend(at)
    assert len(layer_features(at, "communes")) == 14  # the others stay

    check(at.toggle(key="map.cang_long.on.roads").set_value(True).run())
    assert layer_features(at, "roads") == roads
    assert title in map_legend(at)


def test_a_one_entry_layer_after_a_titled_section_reads_as_its_own_item(
    app_test: AppTest,
) -> None:
    """Chi Lăng's railway (fixed style: one entry, no heading) follows the industry section;
    its entry is bold like a heading, not a third kind of industrial area."""
    at = open_map(app_test, "chi_lang")
    assert has_run(map_legend(at), ["Khu công nghiệp", "Khu công nghiệp", "Cụm công nghiệp"])
    legend = map_legend_html(at)
    railway = legend.index("<span>Đường sắt</span>")
    row = legend[legend.rindex("<div style=", 0, railway) : railway]
    assert "font-weight:600" in row
    industry = legend.index("<span>Cụm công nghiệp</span>")
    assert "font-weight" not in legend[legend.rindex("<div style=", 0, industry) : industry]


def test_opacity_scales_the_layer_style(app_test: AppTest) -> None:
    at = open_map(app_test)
    # The style function folium writes (`return {...}`), not the unscaled `_style` property.
    styler = re.compile(r'return {"color": "#525252", "dashArray": null, [^}]*"opacity": ([0-9.]+)')
    assert set(styler.findall(map_args(at)["feature_group"])) == {"0.9"}  # roads, existing
    check(at.slider(key="map.cang_long.opacity.roads").set_value(50).run())
    assert set(styler.findall(map_args(at)["feature_group"])) == {"0.45"}


def test_the_year_changes_the_choropleth_values_and_popups(app_test: AppTest) -> None:
    at = choropleth_on(open_map(app_test))
    rows = list(csv.DictReader((GEODATA / "cang_long/tables/telecom.csv").open(encoding="utf-8")))
    pct = {(r["code"], int(r["year"])): float(r["hamlets_internet_pct"]) for r in rows}
    changed = next(
        code for (code, year) in pct if year == 2021 and pct[code, 2021] != pct[code, 2025]
    )

    def popup_of(code: str) -> str:
        found = [p["_popup"] for p in layer_features(at, CHOROPLETH).values() if p["_code"] == code]
        assert len(found) == 1
        return found[0]

    assert at.select_slider(key="map.cang_long.year").value == 2025
    assert "<td>2025</td>" in popup_of(changed)
    assert f"<td>{format_number(pct[changed, 2025])} %</td>" in popup_of(changed)
    before = {fid: p["_style"]["fillColor"] for fid, p in layer_features(at, CHOROPLETH).items()}

    check(at.select_slider(key="map.cang_long.year").set_value(2021).run())
    assert "<td>2021</td>" in popup_of(changed)
    assert f"<td>{format_number(pct[changed, 2021])} %</td>" in popup_of(changed)
    after = {fid: p["_style"]["fillColor"] for fid, p in layer_features(at, CHOROPLETH).items()}
    assert before.keys() == after.keys() and before != after


@pytest.mark.parametrize("scheme", ["equal_interval", "quantiles", "natural_breaks"])
def test_the_scheme_changes_the_class_labels(app_test: AppTest, cang_long, scheme: str) -> None:
    at = choropleth_on(open_map(app_test))
    title = "Tỷ lệ ấp, khóm có Internet"
    thresholds = [e.label for e in prepare_layer(cang_long, CHOROPLETH).legend]
    assert has_run(map_legend(at), [title, *thresholds])
    assert "≤ 50 %" in thresholds  # the plan's own thresholds, as the manifest says

    check(at.selectbox(key="map.cang_long.scheme").set_value(scheme).run())
    k = at.slider(key="map.cang_long.k").value
    expected = [e.label for e in prepare_layer(cang_long, CHOROPLETH, scheme=scheme, k=k).legend]
    assert expected != thresholds
    assert has_run(map_legend(at), [title, *expected])
    assert not set(thresholds[:-1]) & set(map_legend(at))  # no plan thresholds left
    assert all(html.escape(label) in panel_legend_text(at) for label in expected)
    assert "≤ 50 %" not in panel_legend_text(at)


def test_a_new_search_hit_asks_the_map_to_fit_it_once(app_test: AppTest) -> None:
    at = open_map(app_test)
    assert map_command(at) is None  # nothing asked: the map fits the district by itself
    check(at.text_input(key="map.cang_long.search").input("tan an").run())
    pick = at.selectbox(key="map.cang_long.search_pick")
    commune = next(i for i in pick.options if i.startswith("Xã Tân An · "))
    check(pick.set_value(pick.options.index(commune)).run())
    command = map_command(at)
    (south, west), (north, east) = command["bounds"]
    assert south < 9.892 < north and west < 106.156 < east  # the commune's outline, fitted
    assert command["max_zoom"] == HIT_MAX_ZOOM and "center" not in command
    assert "#ff00ff" in map_args(at)["feature_group"]  # the highlight outline
    # Another rerun (a toggle) sends the same request: the map carries it out only once.
    check(at.toggle(key="map.cang_long.on.roads").set_value(False).run())
    assert map_command(at)["token"] == command["token"]
    # Another hit is a new request.
    other = next(i for i in pick.options if not i.startswith("Xã Tân An · "))
    check(at.selectbox(key="map.cang_long.search_pick").set_value(pick.options.index(other)).run())
    assert map_command(at)["token"] != command["token"]


def test_the_map_fits_the_district_and_keeps_one_script_per_pack(
    app_test: AppTest, cang_long
) -> None:
    """The district's bounds and the sessionStorage key are in the base map's script, which
    does not change when the panel does (the browser keeps the map: no remount)."""
    at = open_map(app_test)
    script = map_args(at)["script"]
    fit = json.loads(re.search(r"var fit = (\[\[.*?\]\]);", script).group(1))
    assert fit == bounds(cang_long.frames["district"])
    assert '"atlas.viewport.map.cang_long"' in script
    assert shown_tiles(script) == []  # no basemap: nothing requested offline
    check(at.toggle(key="map.cang_long.on.roads").set_value(False).run())
    check(at.select_slider(key="map.cang_long.year").set_value(2022).run())
    assert map_args(at)["script"] == script
    assert map_args(at)["center"] is None and map_args(at)["zoom"] is None


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("vi", ["Phóng to", "Thu nhỏ", "Toàn màn hình", "Đo khoảng cách và diện tích"]),
        ("en", ["Zoom in", "Zoom out", "Full screen"]),
    ],
)
def test_the_map_controls_are_in_the_ui_language(
    app_test: AppTest, lang: str, words: list[str]
) -> None:
    at = open_map(app_test)
    if lang == "en":
        check(at.sidebar.radio(key="lang").set_value("en").run())
    script = map_args(at)["script"]
    for word in words:
        assert json.dumps(word) in script, word
    assert "imperial: false" in script and "L.Control.Scale" not in script
    assert f'"decPoint": "{"," if lang == "vi" else "."}"' in script  # 1.234,5 in Vietnamese


def test_map_state_survives_a_visit_to_the_packs_page(app_test: AppTest) -> None:
    at = open_map(app_test)
    check(at.toggle(key="map.cang_long.on.roads").set_value(False).run())
    check(at.select_slider(key="map.cang_long.year").set_value(2022).run())

    check(at.switch_page(PACKS_PAGE).run())
    assert [t.value for t in at.title] == ["Gói dữ liệu"]
    maps = [el.proto.component_name for el in at.get("component_instance")]
    assert not any("streamlit_folium" in name for name in maps)  # no map drawn meanwhile
    check(at.switch_page(MAP_PAGE).run())
    assert at.toggle(key="map.cang_long.on.roads").value is False
    assert at.select_slider(key="map.cang_long.year").value == 2022
    assert layer_features(at, "roads") == {}
    assert len(layer_features(at, "communes")) == 14


def test_english_shows_english_layer_titles(app_test: AppTest) -> None:
    at = open_map(app_test)
    check(at.sidebar.radio(key="lang").set_value("en").run())
    pack = load_pack(GEODATA / "cang_long").pack
    labels = {t.key: t.label for t in at.toggle}
    assert labels.pop("map.cang_long.labels") == "Names on the map"
    # Labels are Markdown: a title from a file is escaped (ui.widgets.label_md).
    assert labels == {f"map.cang_long.on.{la.id}": label_md(la.title.en) for la in pack.layers}
    assert [t.value for t in at.title] == ["Càng Long District"]
    assert "Roads: existing and planned" in map_legend(at)
    roads = layer_features(at, "roads")
    assert all("Status" in p["_popup"] for p in roads.values())


def test_a_layer_with_its_own_source_shows_it_under_its_legend(app_test: AppTest) -> None:
    at = open_map(app_test, "chi_lang")
    captions = [c for c in at.caption if "Văn bản không nêu tên các tuyến này" in c.value]
    assert len(captions) == 1
    assert "Quốc lộ 1A" in captions[0].proto.help  # the layer's source, on hover
    check(at.toggle(key="map.chi_lang.on.roads").set_value(False).run())
    assert not [c for c in at.caption if "Văn bản không nêu tên các tuyến này" in c.value]


def test_a_year_or_scheme_change_prepares_again_only_the_layers_it_changes(
    app_test: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Roads, points and boundaries do not depend on the year or the class scheme: changing
    either must not rebuild them (nor add cache entries for them)."""
    import ui.map_data

    prepared: list[str] = []
    original = ui.map_data.prepare_layer

    def recording(pack, layer_id, **kwargs):
        prepared.append(layer_id)
        return original(pack, layer_id, **kwargs)

    monkeypatch.setattr(ui.map_data, "prepare_layer", recording)
    ui.map_data._prepared.clear()
    at = choropleth_on(open_map(app_test))
    assert CHOROPLETH in prepared and "roads" in prepared
    for change in (
        lambda: at.select_slider(key="map.cang_long.year").set_value(2021),
        lambda: at.selectbox(key="map.cang_long.scheme").set_value("quantiles"),
        lambda: at.slider(key="map.cang_long.k").set_value(4),
    ):
        prepared.clear()
        check(change().run())
        assert prepared == [CHOROPLETH]


def map_identity(at: AppTest) -> tuple[str, str]:
    """What decides whether the browser keeps the map: the component key (streamlit-folium
    hashes the map's script into it) and the script itself, as a hash."""
    args = map_args(at)
    return args["key"], hashlib.sha256(args["script"].encode()).hexdigest()


def test_panel_changes_keep_the_map_and_change_only_its_feature_groups(
    app_test: AppTest,
) -> None:
    """Opacity, scheme, classes and search travel in `feature_group` (and the view), never in
    the map's script or key: a new key or script would remount the iframe."""
    at = choropleth_on(open_map(app_test))
    identity = map_identity(at)
    groups = map_args(at)["feature_group"]
    changes = {
        "opacity": lambda: at.slider(key="map.cang_long.opacity.roads").set_value(0),
        "scheme": lambda: at.selectbox(key="map.cang_long.scheme").set_value("quantiles"),
        "k": lambda: at.slider(key="map.cang_long.k").set_value(3),
        "search": lambda: at.text_input(key="map.cang_long.search").input("tan an"),
        "opacity back": lambda: at.slider(key="map.cang_long.opacity.roads").set_value(100),
    }
    for name, change in changes.items():
        check(change().run())
        assert map_identity(at) == identity, name
        assert map_args(at)["feature_group"] != groups, name  # the change did reach the map
        groups = map_args(at)["feature_group"]
    pick = at.selectbox(key="map.cang_long.search_pick")
    check(pick.set_value(1 if len(pick.options) > 1 else 0).run())
    assert map_identity(at) == identity
    assert map_command(at) is not None  # the hit moves the view, not the map


def test_the_play_button_starts_from_the_first_year_and_steps_to_the_last(
    app_test: AppTest,
) -> None:
    from ui.map_panel import next_year

    at = open_map(app_test)
    years = at.select_slider(key="map.cang_long.year").options
    assert at.select_slider(key="map.cang_long.year").value == 2025  # the last year
    check(at.button(key="player.cang_long.button").click().run())
    assert at.session_state["player.cang_long"] is True
    assert at.select_slider(key="map.cang_long.year").value == int(years[0])
    assert at.button(key="player.cang_long.button").proto.icon == ":material/pause:"
    check(at.button(key="player.cang_long.button").click().run())  # ⏸ stops it
    assert at.session_state["player.cang_long"] is False
    assert next_year([2021, 2023, 2025], 2021, False) == 2023
    assert next_year([2021, 2023, 2025], 2025, False) is None  # the player stops
    assert next_year([2021, 2023, 2025], 2025, True) == 2021  # a new start


def test_the_names_toggle_sends_the_labels_of_the_drawn_layers_only(app_test: AppTest) -> None:
    at = open_map(app_test)
    script = map_args(at)["feature_group"]
    assert '"QL53"' in script and "textContent" in script
    check(at.toggle(key="map.cang_long.on.roads").set_value(False).run())
    assert '"QL53"' not in map_args(at)["feature_group"]  # a hidden layer's names go with it
    check(at.toggle(key="map.cang_long.labels").set_value(False).run())
    assert "atlas-label" not in map_args(at)["feature_group"]
