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
    assert [h.name for h in index.query("thi tran")] == ["Thị trấn Chi Lăng", "Thị trấn Đồng Mỏ"]


def test_hit_centre_is_lat_lon_of_the_feature(index) -> None:
    (hit,) = index.query("chi lang")
    assert hit.center == pytest.approx((21.65, 106.65))


def test_empty_query_finds_nothing(index) -> None:
    assert index.query("   ") == []


def test_fold_maps_d_with_stroke_and_strips_tones() -> None:
    assert fold("  Thị trấn ĐỒNG  Mỏ ") == "thi tran dong mo"
