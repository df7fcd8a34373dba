"""A pack's views.toml is checked by the loader (each problem a bilingual warning naming the
view and key) and a bad entry or key never reaches the map: `pack_views` skips or drops it."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from atlas import views as vw
from atlas.loader import load_pack
from cli.main import main as cli_main
from tests.packfactory import make_pack

GEODATA = Path(__file__).resolve().parents[1] / "geodata"
GOOD = '[[views]]\ntitle = { vi = "Nước sạch", en = "Clean water" }\n'


def pack_with_views(tmp_path: Path, text: str) -> Path:
    pack = make_pack(tmp_path)
    (pack / "views.toml").write_text(text, encoding="utf-8")
    return pack


def view_warnings(pack: Path) -> list:
    result = load_pack(pack)
    assert result.report.ok, result.report.issues  # a views file never stops the pack
    return [i for i in result.report.warnings if i.file == "views.toml"]


def test_layers_given_as_a_string_is_a_warning_and_never_becomes_letters(tmp_path: Path) -> None:
    pack = pack_with_views(tmp_path, GOOD + 'layers = "communes"\n')
    (issue,) = view_warnings(pack)
    assert issue.where_text() == "views[0] (title = Nước sạch)"
    assert issue.field == "layers"
    assert issue.text("en").startswith("layers must be a list of layer ids")
    assert issue.text("vi").startswith("layers phải là danh sách mã lớp")
    (view,) = vw.pack_views(pack, "test_pack")
    assert view.layers == ()  # not ("c", "o", "m", …)


def test_a_year_that_is_not_a_number_is_dropped_with_a_warning(tmp_path: Path) -> None:
    pack = pack_with_views(tmp_path, GOOD + 'year = "abc"\n')
    (issue,) = view_warnings(pack)
    assert issue.field == "year"
    assert issue.text("vi") == "năm 'abc' không phải là số nguyên; bỏ qua khoá này"
    assert issue.text("en") == "year 'abc' is not a whole number; the key is ignored"
    assert vw.pack_views(pack, "test_pack")[0].year is None


def test_a_year_the_pack_has_no_data_for_is_a_warning(tmp_path: Path) -> None:
    (issue,) = view_warnings(pack_with_views(tmp_path, GOOD + "year = 2030\n"))
    assert issue.text("en") == "the pack has no data for 2030 (it has: 2021); the key is ignored"


def test_unknown_layer_ids_are_named_and_left_out(tmp_path: Path) -> None:
    pack = pack_with_views(tmp_path, GOOD + 'layers = ["communes", "duong_bo"]\n')
    (issue,) = view_warnings(pack)
    assert "'duong_bo'" in issue.text("vi") and "'duong_bo'" in issue.text("en")
    assert "communes, water" in issue.text("en")  # the layers the pack has


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('units = "2025"', "units"),
        ('basemap = "google"', "basemap"),
        ("zoom = 40", "zoom"),
        ('zoom = "12"', "zoom"),
        ("center = [106.6, 21.6, 0]", "center"),
        ("k = 12", "k"),
        ('scheme = "jenks"', "scheme"),
        ("opacity = { communes = 2 }", "opacity"),
        ('caption = ["a"]', "caption"),
        ('target = "nuoc"', "target"),
        ("scenario = 3", "scenario"),
        ('colour = "red"', "colour"),
    ],
)
def test_each_bad_key_is_a_warning_naming_it_and_is_dropped(
    tmp_path: Path, line: str, key: str
) -> None:
    pack = pack_with_views(tmp_path, GOOD + line + "\n")
    (issue,) = view_warnings(pack)
    assert issue.field == key
    assert issue.text("vi").endswith("bỏ qua khoá này")
    assert issue.text("en").endswith("the key is ignored")
    (view,) = vw.pack_views(pack, "test_pack")
    assert view.title == "Nước sạch"


@pytest.mark.parametrize(
    "line",
    [
        'basemap = "osm"',
        'basemap = "http://tiles.local/{z}/{x}/{y}.png"',
        'units = "post2025"',
        'target = "water"',
        "year = 2021",
        "opacity = { communes = 0.5 }",
        "zoom = 11.75",  # saved views keep the map's quarter zooms
    ],
)
def test_good_keys_give_no_warning(tmp_path: Path, line: str) -> None:
    assert view_warnings(pack_with_views(tmp_path, GOOD + line + "\n")) == []


def test_a_view_without_a_title_is_skipped_and_the_others_kept(tmp_path: Path) -> None:
    pack = pack_with_views(tmp_path, '[[views]]\nlayers = ["communes"]\n\n' + GOOD)
    (issue,) = view_warnings(pack)
    assert issue.where_text() == "views[0]"
    assert issue.text("en").endswith("this view is skipped")
    views = vw.pack_views(pack, "test_pack")
    assert [(v.title, v.id) for v in views] == [("Nước sạch", "default:2")]


def test_malformed_toml_is_a_warning_and_the_pack_still_loads(tmp_path: Path) -> None:
    pack = pack_with_views(tmp_path, "[[views]\ntitle = 'x'\n")
    (issue,) = view_warnings(pack)
    assert issue.text("vi").startswith("lỗi cú pháp TOML")
    assert issue.text("vi").endswith("các góc nhìn mặc định của gói bị bỏ qua")
    assert issue.text("en").endswith("the pack's default views are skipped")
    assert vw.pack_views(pack, "test_pack") == []  # the map and Present pages do not crash


def test_nfd_titles_are_nfc_with_a_warning(tmp_path: Path) -> None:
    pack = pack_with_views(tmp_path, unicodedata.normalize("NFD", GOOD))
    (issue,) = view_warnings(pack)
    assert issue.where_text() == "views[0] (title = Nước sạch) › title.vi"
    assert vw.pack_views(pack, "test_pack")[0].title == "Nước sạch"


def test_validate_lists_view_problems_but_exits_zero(tmp_path: Path, capsys) -> None:
    pack = pack_with_views(tmp_path, GOOD + 'year = "abc"\n')
    assert cli_main(["validate", str(pack)]) == 0
    out = capsys.readouterr().out
    assert "[CẢNH BÁO / WARNING] views.toml › views[0] (title = Nước sạch) › year" in out


@pytest.mark.parametrize("pack_id", ["cang_long", "chi_lang"])
def test_shipped_views_have_no_problems(pack_id: str) -> None:
    assert view_warnings(GEODATA / pack_id) == []
    assert len(vw.pack_views(GEODATA / pack_id, pack_id)) >= 2
