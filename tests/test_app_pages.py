"""The Streamlit app in AppTest: every page runs, the language switch, the packs page."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import APP, REPO_ROOT
from tests.packfactory import MANIFEST, make_pack

# The shipped packs, in the picker's order; the national one exists once `make prepare` ran.
SHIPPED = [("cang_long", "Huyện Càng Long"), ("chi_lang", "Huyện Chi Lăng")]
if (REPO_ROOT / "geodata" / "vietnam" / "pack.toml").is_file():
    SHIPPED.append(("vietnam", "Việt Nam (cả nước)"))

PACKS_PAGE = "pages/packs.py"
PAGES = sorted(
    p.relative_to(REPO_ROOT).as_posix()
    for p in (REPO_ROOT / "pages").glob("*.py")
    if not p.name.startswith("_") and p.name != "admin.py"  # admins only: tests/test_auth.py
)


def _titles(at: AppTest) -> list[str]:
    return [title.value for title in at.title]


def _table(at: AppTest, column: str) -> pd.DataFrame:
    """The first dataframe shown with a column of that (translated) name, as the reader sees
    it (`st.table` cells are Markdown: `ui.widgets.text_table` escapes them)."""
    for frame in [*at.table, *at.dataframe]:
        if column in frame.value.columns:
            return frame.value.map(
                lambda v: re.sub(r"\\(.)", r"\1", v) if isinstance(v, str) else v
            )
    raise AssertionError(f"no table with a column {column!r}")


def test_there_is_a_page_to_test() -> None:
    assert "pages/packs.py" in PAGES


def test_app_opens_on_the_map_of_the_default_pack(app_test: AppTest) -> None:
    at = app_test.run()
    assert not at.exception, at.exception
    assert _titles(at) == ["Huyện Càng Long"]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception(app_test: AppTest, page: str) -> None:
    at = app_test.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert _titles(at), f"{page} shows no title"
    # The shared sidebar is drawn around every page.
    assert at.sidebar.radio(key="lang").value == "vi"
    assert at.sidebar.selectbox(key="pack").value == "cang_long"


def test_switching_language_to_english_changes_the_heading(app_test: AppTest) -> None:
    at = app_test.switch_page(PACKS_PAGE).run()
    assert _titles(at) == ["Gói dữ liệu"]
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert _titles(at) == ["Data packs"]
    # District names stay Vietnamese in the picker (proper names; a stable label).
    assert at.sidebar.selectbox(key="pack").options == [name for _, name in SHIPPED]
    assert [h.value for h in at.header] == ["Càng Long District"]


def test_switching_language_keeps_the_chosen_pack(app_test: AppTest) -> None:
    at = app_test.switch_page(PACKS_PAGE).run()
    at.sidebar.selectbox(key="pack").set_value("chi_lang").run()
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.sidebar.selectbox(key="pack").value == "chi_lang"
    assert [h.value for h in at.header] == ["Chi Lăng District"]


@pytest.mark.parametrize("page", PAGES)
def test_language_survives_a_page_switch(app_test: AppTest, page: str) -> None:
    at = app_test.run()
    at.sidebar.radio(key="lang").set_value("en").run()
    at.switch_page(page).run()
    assert not at.exception
    assert at.session_state["lang"] == "en"
    assert at.sidebar.radio(key="lang").value == "en"


def test_packs_page_lists_both_packs_and_shows_the_schematic_warning(app_test: AppTest) -> None:
    at = app_test.switch_page(PACKS_PAGE).run()
    assert not at.exception
    found = _table(at, "Mã gói")
    assert list(found["Mã gói"]) == [pack_id for pack_id, _ in SHIPPED]
    assert list(found["Tên"]) == [name for _, name in SHIPPED]
    assert at.sidebar.selectbox(key="pack").options == [name for _, name in SHIPPED]

    assert [h.value for h in at.header] == ["Huyện Càng Long"]
    notes = [e.label for e in at.expander]  # the honesty note: one line that opens
    assert any("Bản đồ sơ đồ" in x and "không dùng để đo đạc" in x for x in notes), notes

    layers = _table(at, "Số đối tượng")
    assert len(layers) > 0
    assert (layers["Số đối tượng"] > 0).all()
    assert set(layers["Hiện khi mở"]) <= {"✓", "–"}
    assert len(_table(at, "Trích văn bản")) > 0

    at.sidebar.selectbox(key="pack").set_value("chi_lang").run()
    assert not at.exception
    assert [h.value for h in at.header] == ["Huyện Chi Lăng"]
    assert any("Bản đồ sơ đồ" in e.label for e in at.expander)


def test_atlas_pack_env_picks_the_first_pack_shown(
    app_test: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATLAS_PACK", "chi_lang")
    at = app_test.switch_page(PACKS_PAGE).run()
    assert at.sidebar.selectbox(key="pack").value == "chi_lang"
    assert [h.value for h in at.header] == ["Huyện Chi Lăng"]


def test_unknown_atlas_pack_warns_and_opens_the_first_pack(
    app_test: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATLAS_PACK", "no_such_pack")
    at = app_test.run()
    assert not at.exception
    assert any("no_such_pack" in w.value for w in at.sidebar.warning)
    assert at.sidebar.selectbox(key="pack").value == "cang_long"


def test_a_broken_pack_shows_its_errors_in_a_table(
    app_test: AppTest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    manifest = MANIFEST.replace('file = "layers/communes.geojson"', 'file = "layers/gone.geojson"')
    make_pack(tmp_path, name="broken", manifest=manifest)
    monkeypatch.setenv("ATLAS_USER_DATA", str(tmp_path))
    monkeypatch.setenv("ATLAS_PACK", "broken")

    at = app_test.switch_page(PACKS_PAGE).run()
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="pack").value == "broken"
    assert any("broken" in e.value for e in at.error)
    issues = _table(at, "Nội dung")
    assert list(issues.columns) == ["Mức độ", "Tệp", "Vị trí", "Trường", "Nội dung"]
    assert "layers/gone.geojson" in set(issues["Tệp"])
    assert "Lỗi" in set(issues["Mức độ"])
    assert "không tìm thấy tệp lớp" in set(issues["Nội dung"])
    found = _table(at, "Mã gói")
    assert "Người dùng" in set(found["Nguồn gói"])


def test_a_broken_pack_speaks_the_ui_language(
    app_test: AppTest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    manifest = MANIFEST.replace("zoom = 11", 'zoom = "mười một"')
    make_pack(tmp_path, name="broken", manifest=manifest)
    (tmp_path / "broken" / "tables" / "env.csv").write_text("code,year\n", encoding="utf-8")
    monkeypatch.setenv("ATLAS_USER_DATA", str(tmp_path))
    monkeypatch.setenv("ATLAS_PACK", "broken")

    at = app_test.switch_page(PACKS_PAGE).run()
    issues = _table(at, "Nội dung")
    assert list(issues["Nội dung"]) == ["giá trị 'mười một' sai kiểu: cần số nguyên"]
    assert list(issues["Vị trí"]) == ["pack.default_view.zoom"]

    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception, at.exception
    issues = _table(at, "Message")
    assert list(issues["Message"]) == ["'mười một' has the wrong type: expected a whole number"]
    assert list(issues["Level"]) == ["Error"]


def test_layers_with_their_own_source_say_so_on_the_packs_page(
    app_test: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATLAS_PACK", "chi_lang")
    at = app_test.switch_page(PACKS_PAGE).run()
    shown = [m.value.replace("\\", "") for m in at.markdown]  # md() escapes punctuation
    assert any("Lớp có nguồn riêng" in m for m in shown)
    (listed,) = [m for m in shown if "**Đường bộ: hiện có và quy hoạch:**" in m]
    roads = next(line for line in listed.splitlines() if "Đường bộ" in line)
    assert "Quốc lộ 1A" in roads and "KHÔNG lấy từ tin bài" in roads
    assert "Ranh giới xã" not in listed  # layers that follow the pack's source are not listed


def test_a_page_opened_by_url_on_a_fresh_server_gets_the_sidebar() -> None:
    """Before any run has called st.navigation, Streamlit runs pages/<page>.py on its own
    (legacy pages/ mode); ui.shell reruns it through app.py. AppTest starts every run in that
    mode, which is also why the language and pack tests above cover the first click after a
    server start."""
    at = AppTest.from_file(str(APP), default_timeout=60).switch_page("pages/packs.py").run()
    assert not at.exception
    assert _titles(at) == ["Gói dữ liệu"]
    assert at.sidebar.selectbox(key="pack").value == "cang_long"
    assert at.sidebar.radio(key="lang").value == "vi"


def test_a_user_pack_with_a_shipped_packs_id_is_named_not_hidden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    shutil.copytree(REPO_ROOT / "geodata" / "chi_lang", tmp_path / "cang_long")
    monkeypatch.setenv("ATLAS_USER_DATA", str(tmp_path))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page(PACKS_PAGE).run()
    assert not at.exception
    texts = [w.value.replace("\\", "") for w in at.warning]  # markdown escapes removed
    shown = [x for x in texts if "cang_long" in x]
    assert len(shown) == 1 and "không được hiện" in shown[0], [w.value for w in at.warning]


def test_the_honesty_note_is_one_line_that_opens_to_the_whole_note_and_source(
    app_test: AppTest,
) -> None:
    at = app_test.run()
    (note,) = [e for e in at.expander if "Bản đồ sơ đồ" in e.label]
    assert "Số liệu minh hoạ" in note.label
    inside = " ".join(m.value for m in note.markdown) + " ".join(c.value for c in note.caption)
    assert "Nguồn:" in inside and "minh hoạ" in inside.lower()
