"""The 2026 urban classification: a town layer says which class was set under which criteria.

The plans' "đô thị loại IV / loại V" targets were set under the 2016 criteria; the resolution
of 24/12/2025 (in force 1/1/2026) keeps only the special class and classes I–III. All of it
is data: field labels and values, the layer's honesty note, and a target's `note`.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas.loader import load_pack
from atlas.spec import Pack, Text
from cli.main import main as cli_main
from layers.features import prepare_layer
from layers.legend import legend_html, legend_section
from tests.conftest import REPO_ROOT
from tests.packfactory import MANIFEST, make_pack

TOWN_TARGET = """
[[targets]]
id = "town_v"
label = { vi = "Tân An đạt đô thị loại V", en = "Tân An reaches class V" }
value = 100
unit = "%"
year = 2025
table = "env"
column = "landfill"
aggregate = "share_true"
quote = "Tân An đạt tiêu chí đô thị loại V"
note.vi = "Loại V đặt theo tiêu chí cũ; từ 1/1/2026 không còn loại IV, V."
note.en = "Class V was set under the old criteria; classes IV and V are gone since 1 Jan 2026."
"""
NOTE = Text(
    "Loại V đặt theo tiêu chí cũ; từ 1/1/2026 không còn loại IV, V.",
    "Class V was set under the old criteria; classes IV and V are gone since 1 Jan 2026.",
)
SHIPPED = ("cang_long", "chi_lang")


@pytest.fixture(scope="module")
def shipped() -> dict[str, Pack]:
    return {pid: load_pack(REPO_ROOT / "geodata" / pid).pack for pid in SHIPPED}


def test_a_target_note_is_read_as_bilingual_text_and_is_optional(tmp_path: Path) -> None:
    pack = load_pack(make_pack(tmp_path, manifest=MANIFEST + TOWN_TARGET)).pack
    notes = {t.id: t.note for t in pack.targets}
    assert notes == {"water": None, "town_v": NOTE}


def test_a_target_note_without_english_is_refused_where_it_stands(tmp_path: Path) -> None:
    manifest = MANIFEST + TOWN_TARGET.replace('note.en = "Class V', 'note.xx = "Class V')
    result = load_pack(make_pack(tmp_path, manifest=manifest))
    assert result.pack is None
    wheres = [str(issue.where.en) for issue in result.report.errors]
    assert any("targets[1] (id = town_v) › note" in w for w in wheres), wheres


def test_the_targets_command_prints_a_targets_note_in_both_languages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = make_pack(tmp_path, manifest=MANIFEST + TOWN_TARGET)
    assert cli_main(["targets", str(pack)]) == 0
    out = capsys.readouterr().out
    assert f"ghi chú / note: {NOTE.vi} / {NOTE.en}" in out
    assert out.count("ghi chú / note:") == 1


@pytest.mark.parametrize("pack_id", SHIPPED)
def test_town_layers_label_the_2016_target_class_and_the_2026_class(
    shipped: dict[str, Pack], pack_id: str
) -> None:
    layer = shipped[pack_id].manifest.layer("urban")
    target, now = layer.field_spec("target_class"), layer.field_spec("class_2026")
    for lang in ("vi", "en"):
        assert "1210/2016/UBTVQH13" in target.label.get(lang)
        assert "26/2022/UBTVQH15" in target.label.get(lang)
        assert "111/2025/UBTVQH15" in now.label.get(lang)
    assert "tiêu chí 2016" in target.label.vi and "tiêu chí 2026" in now.label.vi
    assert "2016 criteria" in target.label.en and "2026 criteria" in now.label.en
    assert {"special", "I", "II", "III"} <= set(now.values)
    assert "IV" not in now.values and "V" not in now.values
    assert layer.popup.index("target_class") < layer.popup.index("class_2026")


@pytest.mark.parametrize("pack_id", SHIPPED)
def test_no_town_is_given_an_invented_2026_class(shipped: dict[str, Pack], pack_id: str) -> None:
    """A class IV/V target has no 2026 counterpart: a town gets the resolution's transitional
    class (it was a class V township) or none, never a class of its own."""
    frame = shipped[pack_id].frames["urban"]
    assert set(frame["target_class"]) <= {"IV", "V"}
    for current, now in zip(frame["current_class"], frame["class_2026"], strict=True):
        assert now == ("III_transition" if current in ("IV", "V") else "none")


def test_popup_shows_both_classes_each_with_its_criteria(shipped: dict[str, Pack]) -> None:
    layer = shipped["cang_long"].manifest.layer("urban")
    for lang in ("vi", "en"):
        prepared = prepare_layer(shipped["cang_long"], "urban", lang)
        popups = {
            f["properties"]["_name"]: f["properties"]["_popup"] for f in prepared.fc["features"]
        }
        for name in ("target_class", "class_2026"):
            label = html.escape(layer.field_spec(name).label.get(lang))
            assert all(label in popup for popup in popups.values()), (lang, name)
        none = html.escape(layer.field_spec("class_2026").values["none"].get(lang))
        assert none in popups["Đô thị Tân An"]


def test_legend_names_the_old_criteria_and_its_note_the_2026_change(
    shipped: dict[str, Pack],
) -> None:
    layer = shipped["cang_long"].manifest.layer("urban")
    vi = legend_section(layer, prepare_layer(shipped["cang_long"], "urban", "vi").legend, "vi")
    en = legend_section(layer, prepare_layer(shipped["cang_long"], "urban", "en").legend, "en")
    assert [e.label for e in vi.entries] == [
        "Mục tiêu loại IV (tiêu chí 2016)",
        "Mục tiêu loại V (tiêu chí 2016)",
    ]
    assert all("2016 criteria" in e.label for e in en.entries)
    assert "1/1/2026" in vi.note and "1 Jan 2026" in en.note
    assert html.escape(en.note) in legend_html([en], "en")
    chi_lang = shipped["chi_lang"].manifest.layer("urban")
    assert "1/1/2026" in legend_section(chi_lang, (), "vi").note


def _targets_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at: AppTest) -> AppTest:
    make_pack(tmp_path, name="towns", manifest=MANIFEST + TOWN_TARGET)
    monkeypatch.setenv("ATLAS_USER_DATA", str(tmp_path))
    monkeypatch.setenv("ATLAS_PACK", "towns")
    at.switch_page("pages/targets.py").run()
    assert not at.exception, at.exception
    return at


def test_targets_page_shows_an_urban_class_targets_note_in_the_ui_language(
    app_test: AppTest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    at = _targets_page(tmp_path, monkeypatch, app_test)
    shown = [i.value.replace("\\", "") for i in at.info]  # md() escapes punctuation
    assert shown == [NOTE.vi]  # the water target has no note
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception, at.exception
    assert [i.value.replace("\\", "") for i in at.info] == [NOTE.en]
