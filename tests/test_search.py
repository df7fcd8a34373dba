"""Search finds features whatever the case, diacritics or Unicode form of the query."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from atlas.loader import load_pack
from atlas.search import build_index
from atlas.text import fold
from tests.packfactory import make_pack


@pytest.fixture
def index(tmp_path: Path):
    return build_index(load_pack(make_pack(tmp_path)).pack)


@pytest.mark.parametrize(
    "query", ["Đồng Mỏ", "dong mo", "DONG MO", unicodedata.normalize("NFD", "Đồng Mỏ"), "mo dong"]
)
def test_query_ignores_case_diacritics_and_unicode_form(index, query: str) -> None:
    assert [h.name for h in index.query(query)] == ["Thị trấn Đồng Mỏ"]


def test_a_file_shared_by_two_layers_is_indexed_once(index) -> None:
    assert [h.name for h in index.query("thi tran")] == ["Thị trấn Đồng Mỏ", "Thị trấn Chi Lăng"]


def test_hit_centre_is_lat_lon_of_the_feature(index) -> None:
    (hit,) = index.query("chi lang")
    assert hit.center == pytest.approx((21.65, 106.65))


def test_words_match_at_word_starts_and_exact_names_come_first(tmp_path: Path) -> None:
    from tests.packfactory import features

    communes = [
        ("06463", "Đô thị Tân An", (106.5, 21.6)),
        ("06466", "Xã Tân Bình", (106.6, 21.6)),
        ("06469", "Xã Tân An", (106.7, 21.6)),
        ("06472", "Xã Tân An Hội", (106.8, 21.6)),
    ]
    index = build_index(load_pack(make_pack(tmp_path, feats=features(communes))).pack)
    names = [h.name for h in index.query("tan an")]
    assert set(names[:2]) == {"Xã Tân An", "Đô thị Tân An"}
    assert names[2:] == ["Xã Tân An Hội"]


def test_empty_query_finds_nothing(index) -> None:
    assert index.query("   ") == []


def test_fold_maps_d_with_stroke_and_strips_tones() -> None:
    assert fold("  Thị trấn ĐỒNG  Mỏ ") == "thi tran dong mo"


def test_the_search_hint_names_places_of_the_pack_shown() -> None:
    root = Path(__file__).resolve().parents[1] / "geodata"
    chi_lang = build_index(load_pack(root / "chi_lang").pack).examples()
    cang_long = build_index(load_pack(root / "cang_long").pack).examples()
    assert len(chi_lang) == 3 and len(set(chi_lang)) == 3
    assert not set(chi_lang) & set(cang_long)
    names = set(load_pack(root / "chi_lang").pack.frames["communes"]["name"])
    assert chi_lang[0] in names
    # Three different places, none a one-feature layer (the district's outline).
    assert cang_long == ["Xã Mỹ Cẩm", "Đô thị Tân An", "Khu công nghiệp Cổ Chiên"]


def test_words_in_a_row_rank_before_scattered_words_which_only_fill_an_empty_list() -> None:
    pack = load_pack(Path(__file__).resolve().parents[1] / "geodata" / "cang_long").pack
    labels = [hit.label for hit in build_index(pack).query("tan an")]
    assert labels[:2] == ["Xã Tân An", "Đô thị Tân An"]  # exact (unit words aside) first
    assert all("Tân An" in label for label in labels), labels  # not "Dự án … Tân Bình"
    scattered = [hit.label for hit in build_index(pack).query("binh tan")]
    assert scattered, "scattered words still find something when nothing closer does"
