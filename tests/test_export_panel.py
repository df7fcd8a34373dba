"""The export panel on the map and present pages makes a file and offers it for download."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import APP


@pytest.mark.parametrize(
    ("page", "fmt"), [("pages/map.py", "geojson"), ("pages/present.py", "xlsx")]
)
def test_export_panel_makes_the_file_and_offers_it(page: str, fmt: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    prefix = "export.map.cang_long" if page.endswith("map.py") else "export.present.cang_long"
    at.selectbox(key=f"{prefix}.format").set_value(fmt).run()
    at.button(key=f"{prefix}.make").click().run()
    assert not at.exception, at.exception
    made = at.session_state[f"{prefix}.file"]
    assert made is not None
    pack_id, name, data, _ = made
    assert pack_id == "cang_long" and name.endswith(f".{fmt}") and len(data) > 1000
