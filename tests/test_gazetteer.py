"""The gazetteer knows where units are, in both structures, and says nothing when it is missing."""

from __future__ import annotations

import pytest

from atlas import gazetteer


def test_the_gazetteer_has_every_unit_of_both_structures():
    assert len(gazetteer.units("pre2025", "province")) == 63
    assert len(gazetteer.units("pre2025", "commune")) == 10035
    assert len(gazetteer.units("post2025", "province")) == 34
    assert len(gazetteer.units("post2025", "commune")) == 3321


@pytest.mark.parametrize(
    ("text", "structure", "code"),
    [
        ("Trà Vinh", None, "84"),
        ("tinh tra vinh", None, "84"),
        ("84", None, "84"),
        ("Tỉnh Lạng Sơn", None, "20"),
        ("TP. Hồ Chí Minh", None, "79"),
        ("Vĩnh Long", "post2025", "86"),
    ],
)
def test_a_province_is_found_by_name_or_code_in_any_spelling(text, structure, code):
    unit = gazetteer.find_province(text, structure)
    assert unit is not None and unit.code == code


def test_a_post2025_only_province_is_found_without_naming_the_structure():
    # Trà Vinh joined Vĩnh Long; "Vĩnh Long" exists in both, a new name only after 2025.
    post = gazetteer.units("post2025", "province")
    pre_keys = set(gazetteer.units("pre2025", "province")["name"].map(gazetteer.province_key))
    new_only = [n for n in post["name"] if gazetteer.province_key(n) not in pre_keys]
    for name in new_only:
        unit = gazetteer.find_province(name)
        assert unit is not None and unit.structure == "post2025"


def test_a_point_in_cang_long_lies_in_tra_vinh_and_the_district_of_cang_long():
    commune, km = gazetteer.commune_at(106.2135, 9.9997)
    assert commune.name == "Thị trấn Càng Long" and km < 1
    assert gazetteer.province_at(106.2135, 9.9997).name == "Tỉnh Trà Vinh"
    assert gazetteer.province_at(106.2135, 9.9997, "post2025").name == "Tỉnh Vĩnh Long"
    assert gazetteer.district_at(106.2135, 9.9997).name == "Huyện Càng Long"


def test_a_point_in_the_sea_is_far_from_every_commune():
    _, km = gazetteer.commune_at(108.6, 8.6)
    assert km > 50


def test_box_distance_is_zero_when_boxes_overlap_and_kilometres_apart_otherwise():
    tra_vinh = gazetteer.find_province("Trà Vinh").bounds
    lang_son = gazetteer.find_province("Lạng Sơn").bounds
    assert gazetteer.box_distance_km(tra_vinh, tra_vinh) == 0
    assert 1000 < gazetteer.box_distance_km(tra_vinh, lang_son) < 1500
    assert gazetteer.overlap_fraction(tra_vinh, tra_vinh) == 1


def test_without_the_file_lookups_find_nothing_instead_of_guessing(tmp_path):
    missing = tmp_path / "none.csv"
    assert not gazetteer.available(missing)
    assert gazetteer.find_province("Trà Vinh", path=missing) is None
    assert gazetteer.commune_at(106.2, 9.99, path=missing) is None
    assert gazetteer.vietnam_bounds(missing) == gazetteer.VIETNAM_BOX
