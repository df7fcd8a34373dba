"""The map page on a province pack: its large layers travel as tile and value-table URLs.

AppTest runs no component; the st_folium arguments show what a rerun sends the browser. For a
tiled layer that is one `__atlasTiles.sync(…)` entry (archive URL, value-table URL, opacity),
never its geometry; a year change sends a new value-table URL and nothing else new.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas import gazetteer
from bench.scale_pack import build_scale_pack
from tests.test_map_page import check, map_args, map_identity

pytestmark = pytest.mark.skipif(not gazetteer.available(), reason="gazetteer.csv not generated")

PACK = "scale_province"
SYNC = re.compile(r"__atlasTiles\.sync\([^,]+, ")


@pytest.fixture(scope="module")
def province_pack():
    """Bến Tre's 148 synthetic communes (~300 vertices each) as a user pack, for this module."""
    root = Path(os.environ["ATLAS_USER_DATA"])
    folder = build_scale_pack(root, "province")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def tiled_specs(at: AppTest) -> list[dict]:
    """The tiled layers the map is told to draw (one sync call per map update)."""
    script = map_args(at)["feature_group"]
    calls = [json.JSONDecoder().raw_decode(script, m.end())[0] for m in SYNC.finditer(script)]
    assert len(calls) == 1, calls
    return calls[0]


def open_province(app_test: AppTest) -> AppTest:
    at = check(app_test.run())
    return check(at.sidebar.selectbox(key="pack").set_value(PACK).run())


def test_the_choropleth_travels_as_urls_not_geometry(app_test: AppTest, province_pack) -> None:
    at = open_province(app_test)
    specs = tiled_specs(at)
    assert [s["key"] for s in specs] == ["internet"]  # the pack's visible layer
    assert specs[0]["url"].startswith("/app/static/tiles/") and specs[0]["url"].endswith(".pmtiles")
    assert specs[0]["values"].startswith("/app/static/tiles/values/")
    groups = map_args(at)["feature_group"]
    assert '"coordinates"' not in groups
    assert len(groups) < 30_000  # the legend and controls; the inline map was ~1.3 MB
    served = Path(__file__).resolve().parent.parent / "static" / "tiles"
    assert (served / specs[0]["url"].rsplit("/", 1)[1]).is_file()
    assert (served / "values" / specs[0]["values"].rsplit("/", 1)[1]).is_file()


def test_a_year_change_sends_a_new_value_table_and_keeps_the_map(
    app_test: AppTest, province_pack
) -> None:
    at = open_province(app_test)
    identity, before = map_identity(at), tiled_specs(at)[0]
    check(at.select_slider(key=f"map.{PACK}.year").set_value(2021).run())
    after = tiled_specs(at)[0]
    assert map_identity(at) == identity  # not remounted
    assert after["url"] == before["url"]  # the same tiles
    assert after["values"] != before["values"]


def test_opacity_and_a_second_tiled_layer_share_the_archive(
    app_test: AppTest, province_pack
) -> None:
    at = open_province(app_test)
    check(at.toggle(key=f"map.{PACK}.on.communes").set_value(True).run())
    check(at.slider(key=f"map.{PACK}.opacity.internet").set_value(50).run())
    specs = {s["key"]: s for s in tiled_specs(at)}
    assert list(specs) == ["communes", "internet"]  # drawing order: the manifest's
    assert specs["communes"]["url"] == specs["internet"]["url"]
    assert specs["internet"]["opacity"] == 0.5 and specs["communes"]["opacity"] == 1.0
    check(at.toggle(key=f"map.{PACK}.on.internet").set_value(False).run())
    check(at.toggle(key=f"map.{PACK}.on.communes").set_value(False).run())
    assert tiled_specs(at) == []  # an empty list: the browser removes what it drew


def test_a_cleared_tile_folder_is_built_again_on_the_next_run(
    app_test: AppTest, province_pack
) -> None:
    at = open_province(app_test)
    spec = tiled_specs(at)[0]
    served = Path(__file__).resolve().parent.parent / "static" / "tiles"
    archive = served / spec["url"].rsplit("/", 1)[1]
    values = served / "values" / spec["values"].rsplit("/", 1)[1]
    archive.unlink()
    values.unlink()
    check(at.run())
    again = tiled_specs(at)[0]
    assert again == spec  # same content, same names
    assert archive.is_file() and values.is_file()
