"""The map page's scenario switch (AppTest): pack tables by default, a scenario's target layer
on demand in place of the measured choropleth of the same table, kept across page switches."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

SCENARIO = "map.cang_long.scenario"
TARGET = "map.cang_long.scenario_target"
MEASURED = "map.cang_long.on.internet_hamlets"  # the telecom table's measured choropleth
MEASURED_TITLE = "Tỷ lệ ấp, khóm có Internet"


def feature_groups(at: AppTest) -> str:
    """The JavaScript of the dynamic feature groups handed to streamlit-folium."""
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)["feature_group"]


def n_layers(at: AppTest) -> int:
    return feature_groups(at).count("map_div.addLayer(")


def test_no_scenario_by_default(app_test: AppTest) -> None:
    at = app_test.run()
    assert not at.exception
    box = at.selectbox(key=SCENARIO)
    assert box.value == "none"
    assert box.options == [
        "Số liệu như trong gói",
        "Hiện trạng 2021",
        "Hiện trạng 2025",
        "Kế hoạch 2025",
    ]
    assert not [s for s in at.selectbox if s.key == TARGET]


def test_a_scenario_adds_its_target_layer_with_a_legend(app_test: AppTest) -> None:
    at = app_test.run()
    before = n_layers(at)
    at.selectbox(key=SCENARIO).set_value("measured-2021").run()
    assert not at.exception
    assert at.selectbox(key=TARGET).value == "fibre_communes"
    assert n_layers(at) == before + 1
    title = json.dumps("Cáp quang đến 100% xã, thị trấn · Hiện trạng 2021")[1:-1]
    assert title in feature_groups(at)  # the legend section names target and scenario

    at.selectbox(key=TARGET).set_value("coverage_5g").run()
    assert not at.exception
    assert json.dumps("Phổ cập 5G · Hiện trạng 2021")[1:-1] in feature_groups(at)

    at.selectbox(key=SCENARIO).set_value("none").run()
    assert n_layers(at) == before


def test_the_choice_survives_a_page_switch(app_test: AppTest) -> None:
    at = app_test.run()
    at.selectbox(key=SCENARIO).set_value("plan-2025").run()
    at.switch_page("pages/targets.py").run()
    at.switch_page("pages/map.py").run()
    assert not at.exception
    assert at.selectbox(key=SCENARIO).value == "plan-2025"
    assert json.dumps("· Kế hoạch 2025")[1:-1] in feature_groups(at)


def test_english(app_test: AppTest) -> None:
    at = app_test.run()
    at.sidebar.radio(key="lang").set_value("en").run()
    at.selectbox(key=SCENARIO).set_value("plan-2025").run()
    assert not at.exception
    assert at.selectbox(key=SCENARIO).options[0] == "Pack tables as shipped"
    assert json.dumps("Fibre broadband in 100% of communes · Plan 2025")[1:-1] in feature_groups(at)


def test_a_scenario_replaces_the_measured_choropleth_of_its_table(app_test: AppTest) -> None:
    at = app_test.run()
    at.toggle(key=MEASURED).set_value(True).run()
    assert not at.exception
    measured_title = json.dumps(MEASURED_TITLE)[1:-1]
    assert measured_title in feature_groups(at)
    with_measured = n_layers(at)

    at.selectbox(key=SCENARIO).set_value("plan-2025").run()
    assert not at.exception
    groups = feature_groups(at)
    assert n_layers(at) == with_measured  # one coverage layer swapped for another
    assert measured_title not in groups  # neither its layer nor its legend section
    assert json.dumps("· Kế hoạch 2025")[1:-1] in groups
    assert any("thay cho “Tỷ lệ ấp, khóm có Internet”" in c.value for c in at.caption)
    assert at.toggle(key=MEASURED).value is True  # still on in the panel …

    at.selectbox(key=SCENARIO).set_value("none").run()
    assert measured_title in feature_groups(at)  # … so it is back with the pack's tables
    assert n_layers(at) == with_measured
