"""Tables for people (atlas.people_table): headers in the reader's language, Có/Không, coded
values as their labels, and a CSV a Vietnamese spreadsheet opens as columns."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from atlas.export.data import attribute_table
from atlas.loader import load_pack
from atlas.packs import SHIPPED_PACKS
from atlas.people_table import layer_table, people_csv


@pytest.fixture(scope="module")
def pack():
    return load_pack(SHIPPED_PACKS / "cang_long").pack


def test_a_layer_table_has_labelled_headers_and_its_codes_read_as_the_legend(pack):
    table = layer_table(pack, "roads", "vi")
    assert list(table.columns[:3]) == ["Tên tuyến", "Cấp đường", "Hiện trạng / quy hoạch"]
    assert "Nâng cấp, mở rộng" in set(table["Hiện trạng / quy hoạch"])
    assert "upgrading" not in set(table["Hiện trạng / quy hoạch"])
    english = layer_table(pack, "roads", "en")
    assert english.columns[0] == "Route" and "Upgrading" in set(english["Status"])


def test_yes_no_reads_co_khong_and_a_choropleth_has_its_year(pack):
    table = layer_table(pack, "internet_hamlets", "vi", year=2021)
    assert set(table["Năm"]) == {2021}
    yes_no = [c for c in table.columns if set(table[c].dropna()) <= {"Có", "Không"}]
    assert yes_no, table.columns
    english = layer_table(pack, "internet_hamlets", "en", year=2021)
    column = list(table.columns).index(yes_no[0])
    assert set(english.iloc[:, column].dropna()) <= {"Yes", "No"}


def test_points_keep_their_coordinates_under_readable_headers(pack):
    table = layer_table(pack, "environment_works", "vi")
    assert {"Kinh độ", "Vĩ độ"} <= set(table.columns)
    assert table["Kinh độ"].between(105, 107).all()


def test_a_vietnamese_csv_uses_semicolons_and_decimal_commas_and_the_machine_one_does_not(pack):
    table = layer_table(pack, "communes", "vi")
    text = people_csv(table, "vi").decode("utf-8-sig")
    header, first = text.splitlines()[:2]
    assert header.startswith("Xã, thị trấn;Mã xã (GSO);")
    assert "17,65" in first and "17.65" not in first
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",")
    assert back.shape == table.shape
    english = people_csv(layer_table(pack, "communes", "en"), "en").decode("utf-8-sig")
    assert "17.65" in english.splitlines()[1]
    machine = attribute_table(pack.frames["communes"]).to_csv(index=False)
    assert machine.splitlines()[0].startswith("code,name,")  # field names, for software
