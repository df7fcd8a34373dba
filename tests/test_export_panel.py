"""The export panel on the map and present pages: makes the file under a progress bar, names
it after the view, offers it only for the view it was made for, and carries the view's
scenario layer."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas import views as vw
from atlas.store import open_store
from tests.accounts import EDITOR
from tests.conftest import APP
from tests.test_map_page import check, layer_features

PRESENT = "pages/present.py"
PREFIX = "export.present.cang_long"
INDEX = "present.cang_long.index"
N_SHIPPED = 3  # Càng Long's views.toml


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database of this test's own (the store is cached per URL, so this one is fresh)."""
    url = f"sqlite:///{tmp_path / 'views.db'}"
    monkeypatch.setenv("ATLAS_DB_URL", url)
    return url


def downloads(at: AppTest) -> list:
    return at.get("download_button")


def make(at: AppTest, fmt: str, prefix: str = PREFIX) -> AppTest:
    at.selectbox(key=f"{prefix}.format").set_value(fmt).run()
    return check(at.button(key=f"{prefix}.make").click().run())


def present(view_index: int = 0) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page(PRESENT)
    at.session_state[INDEX] = view_index
    return check(at.run())


@pytest.mark.parametrize(
    ("page", "fmt", "name"),
    [
        ("pages/map.py", "geojson", "cang_long.geojson"),  # the map page's view has no title
        ("pages/present.py", "xlsx", "cang_long-giao-thong-2021-2025.xlsx"),
    ],
)
def test_export_panel_makes_the_file_and_offers_it(page: str, fmt: str, name: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    prefix = "export.map.cang_long" if page.endswith("map.py") else PREFIX
    at = make(at, fmt, prefix)
    made = at.session_state[f"{prefix}.file"]
    assert made.name == name and len(made.data) > 1000
    assert len(downloads(at)) == 1
    (bar,) = at.get("progress")
    assert bar.proto.value == 100 and name in bar.proto.text  # the bar ends full, named


def test_after_next_the_previous_view_s_file_is_not_offered(db_url: str) -> None:
    at = make(present(), "csv")
    assert at.session_state[f"{PREFIX}.file"].name == "cang_long-giao-thong-2021-2025.csv"
    check(at.button(key="present-next").click().run())
    assert downloads(at) == []
    assert any("góc nhìn khác" in c.value for c in at.caption)  # says why, bilingual string
    at = check(at.button(key=f"{PREFIX}.make").click().run())
    made = at.session_state[f"{PREFIX}.file"]
    assert made.name == "cang_long-khu-cum-cong-nghiep-va-do-thi.csv"
    assert len(downloads(at)) == 1


def test_a_view_with_a_scenario_is_shown_and_exported_with_its_target_layer(db_url: str) -> None:
    open_store(db_url).save_view(
        vw.View(
            pack_id="cang_long",
            layers=("communes", "roads"),
            scenario="measured-2021",
            target="hamlets_internet",
            title="Internet 2021",
        ),
        by=EDITOR,
    )
    at = present(N_SHIPPED)
    assert [t.value for t in at.title] == ["Internet 2021"]
    assert len(layer_features(at, "target_hamlets_internet")) == 14
    at = make(at, "xlsx")
    made = at.session_state[f"{PREFIX}.file"]
    assert made.name == "cang_long-internet-2021.xlsx"
    sheets = pd.read_excel(io.BytesIO(made.data), sheet_name=None)
    assert list(sheets)[:3] == ["communes", "target_hamlets_internet", "roads"]
    assert set(sheets["target_hamlets_internet"]["scenario"]) == {"Hiện trạng 2021"}


def test_a_view_whose_scenario_is_gone_says_so_and_exports_nothing(db_url: str) -> None:
    open_store(db_url).save_view(
        vw.View(pack_id="cang_long", layers=("communes",), scenario="gone", title="Cũ"),
        by=EDITOR,
    )
    at = present(N_SHIPPED)
    assert any("gone" in w.value for w in at.warning)  # the map is drawn without it
    assert layer_features(at, "communes")
    at = make(at, "geojson")
    assert at.session_state[f"{PREFIX}.file"] is None
    assert any("gone" in e.value for e in at.error)
    assert downloads(at) == []


def test_the_present_page_hides_the_sidebar_and_toolbar_until_asked(db_url: str) -> None:
    def hides_chrome(at: AppTest) -> bool:
        return any('data-testid="stSidebar"' in md.value for md in at.markdown)

    at = present()
    assert hides_chrome(at)
    check(at.toggle(key="present.chrome").set_value(True).run())
    assert not hides_chrome(at)
    assert at.toggle(key="present.chrome").label == "Hiện thanh bên"
    check(at.toggle(key="present.chrome").set_value(False).run())
    assert hides_chrome(at)


def test_the_map_page_exports_the_scenario_layer_it_shows(db_url: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.selectbox(key="map.cang_long.scenario").set_value("plan-2025").run()
    at.selectbox(key="map.cang_long.scenario_target").set_value("coverage_5g").run()
    at = make(check(at), "geojson", "export.map.cang_long")
    made = at.session_state["export.map.cang_long.file"]
    layers = {f["properties"]["layer"] for f in json.loads(made.data)["features"]}
    assert "target_coverage_5g" in layers
    # Another scenario is another view: the file made for the first is not offered.
    at.selectbox(key="map.cang_long.scenario").set_value("measured-2021").run()
    assert downloads(check(at)) == []
