"""The compare page in AppTest, and its synchronised maps rendered offline."""

from __future__ import annotations

import folium
import pandas as pd
import pytest
from folium import plugins
from streamlit.testing.v1 import AppTest

from atlas import kpi, reports
from atlas import scenarios as sc
from atlas.loader import load_pack
from atlas.spec import Pack
from layers import offline
from layers.classify import format_number
from layers.offline import DEFAULT_BASE_URL, remote_urls_in, use_local_assets
from layers.target_layer import target_layer
from tests.app_pages import open_app_page
from tests.conftest import REPO_ROOT
from ui.compare_view import synced_maps

PAGE = "pages/compare.py"


def open_page(at: AppTest, pack: str = "cang_long", lang: str = "vi") -> AppTest:
    return open_app_page(at, PAGE, pack, lang)


def diff_table(at: AppTest) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if "Mã xã" in d.value.columns]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize(
    ("pack_id", "plan"), [("cang_long", "plan-2025"), ("chi_lang", "plan-2030")]
)
def test_defaults_are_first_measured_year_against_the_plan(
    app_test: AppTest, pack_id: str, plan: str
) -> None:
    at = open_page(app_test, pack_id)
    assert [t.value for t in at.title] == ["So sánh kịch bản"]
    assert at.selectbox(key=f"compare.{pack_id}.a").value == "measured-2021"
    assert at.selectbox(key=f"compare.{pack_id}.b").value == plan
    pack = load_pack(REPO_ROOT / "geodata" / pack_id).pack
    assert at.selectbox(key=f"compare.{pack_id}.target").options == [
        t.label.vi for t in pack.targets
    ]
    assert len(at.metric) == len(pack.targets)
    assert len(diff_table(at)) > 0
    assert not at.warning.values or all("Bản đồ sơ đồ" in w for w in at.warning.values)


def test_differing_communes_and_kpi_deltas_match_atlas(app_test: AppTest, cang_long: Pack) -> None:
    at = open_page(app_test)
    reg = sc.registry(cang_long)
    a = sc.materialise(cang_long, reg["measured-2021"], reg)
    b = sc.materialise(cang_long, reg["plan-2025"], reg)

    expected = reports.commune_differences(cang_long, a, b)
    table = diff_table(at)
    assert list(table.columns) == [
        "Mã xã",
        "Xã",
        "Số liệu",
        "A · Hiện trạng 2021",
        "B · Kế hoạch 2025",
    ]
    assert list(table["Mã xã"]) == list(expected["code"])
    assert list(table["A · Hiện trạng 2021"]) == list(expected["value_a"])
    assert list(table["B · Kế hoạch 2025"]) == list(expected["value_b"])
    duc_my = table[
        (table["Xã"] == "Xã Đức Mỹ") & (table["Số liệu"] == "Cáp quang đến trung tâm xã")
    ]
    assert duc_my[["A · Hiện trạng 2021", "B · Kế hoạch 2025"]].values.tolist() == [["Không", "Có"]]
    n_communes = table["Mã xã"].nunique()
    assert any(f"({len(table)} ô, {n_communes} xã)" in s.value for s in at.subheader)

    metrics = list(at.metric)
    results_a = kpi.evaluate_pack(cang_long, a)
    assert [m.label for m in metrics] == [t.label.vi for t in cang_long.targets]
    assert [m.value for m in metrics] == ["100 %"] * 4
    for metric, result in zip(metrics, results_a, strict=True):
        assert metric.delta == f"+{format_number(100 - result.value, 'vi', 1)} điểm %"
    assert metrics[0].delta == "+71,4 điểm %"  # a difference of percentages is in points


def test_choosing_the_same_scenario_twice_warns_and_shows_no_difference(app_test: AppTest) -> None:
    at = open_page(app_test)
    at.selectbox(key="compare.cang_long.b").set_value("measured-2021").run()
    assert not at.exception
    assert any("cùng một kịch bản" in w.value for w in at.warning)
    assert any("cùng số liệu ở mọi xã" in i.value for i in at.info)
    assert [m.delta for m in at.metric] == ["±0 điểm %"] * 4


def test_measured_years_differ_too(app_test: AppTest, cang_long: Pack) -> None:
    at = open_page(app_test)
    at.selectbox(key="compare.cang_long.b").set_value("measured-2025").run()
    at.selectbox(key="compare.cang_long.target").set_value("coverage_5g").run()
    assert not at.exception
    expected = reports.commune_differences(
        cang_long, kpi.measured_frame(cang_long, 2021), kpi.measured_frame(cang_long, 2025)
    )
    assert len(diff_table(at)) == len(expected)


def test_english_labels(app_test: AppTest) -> None:
    at = open_page(app_test, lang="en")
    assert [t.value for t in at.title] == ["Compare scenarios"]
    table = [d.value for d in at.dataframe][0]
    assert list(table.columns) == [
        "Commune code",
        "Commune",
        "Field",
        "A · Measured 2021",
        "B · Plan 2025",
    ]
    assert set(table["B · Plan 2025"]) & {"Yes"}
    assert at.metric[0].delta == "+71.4 pp"  # English: a decimal point, percentage points


# --- the synchronised maps --------------------------------------------------------------------


@pytest.fixture
def local_assets():
    owners = tuple(dict.fromkeys(a.owner for a in offline.LOCAL_ASSETS))
    saved = {owner: (owner.default_js, owner.default_css) for owner in owners}
    use_local_assets()
    yield
    for owner, (js, css) in saved.items():
        owner.default_js, owner.default_css = js, css


def _dual(pack: Pack) -> plugins.DualMap:
    reg = sc.registry(pack)
    a = sc.materialise(pack, reg["measured-2021"], reg)
    b = sc.materialise(pack, reg["plan-2025"], reg)
    layer_a = target_layer(pack, "fibre_communes", a, "vi")
    layer_b = target_layer(pack, "fibre_communes", b, "vi")
    return synced_maps(pack, "fibre_communes", layer_a, layer_b, "vi")


def test_synced_maps_load_nothing_from_the_internet(local_assets, cang_long: Pack) -> None:
    dual = _dual(cang_long)
    html = dual.get_root().render()
    assert remote_urls_in(html) == []
    assert f"{DEFAULT_BASE_URL}/leaflet.sync/L.Map.Sync.js" in html
    assert ".sync(" in html


def test_leaflet_sync_is_prepared_under_static_vendor() -> None:
    if not (REPO_ROOT / "static" / "vendor" / "leaflet").is_dir():
        pytest.skip("static/vendor is not prepared: run `python assets/prepare.py`")
    sync = REPO_ROOT / "static" / "vendor" / "leaflet.sync" / "L.Map.Sync.js"
    assert "L.Map.include" in sync.read_text(encoding="utf-8")


def test_synced_maps_show_each_scenario_on_its_own_map(cang_long: Pack) -> None:
    dual = _dual(cang_long)
    for m in (dual.m1, dual.m2):
        assert len([c for c in _walk(m) if isinstance(c, folium.GeoJson)]) == 1
    # A (2021) has communes short of fibre (red); B (the plan) has none.
    fills_a = {f["properties"]["_style"]["fillColor"] for f in _features(dual.m1)}
    fills_b = {f["properties"]["_style"]["fillColor"] for f in _features(dual.m2)}
    assert len(fills_b) == 1 and len(fills_a) > 1


def _walk(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def _features(m: folium.Map) -> list[dict]:
    geojson = next(c for c in _walk(m) if isinstance(c, folium.GeoJson))
    return geojson.data["features"]
