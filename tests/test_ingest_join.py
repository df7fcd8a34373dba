"""The commune join on files like the ones clerks send, made here from the shipped packs and
the gazetteer/crosswalk: ASCII twins, NFD names, integer codes, post-2025 codes, the
Phường/Phương trap, same names of different unit types, and layers that are no commune data
at all. Every file joins every commune right, or names each row it cannot join and why."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from atlas import gazetteer
from atlas.ingest import (
    ColumnMapping,
    ImportPlan,
    IngestError,
    commune_reference,
    inspect_upload,
    join_communes,
    save_import,
    suggest_mapping,
)
from atlas.ingest import join as join_module
from atlas.ingest.names import Reading, agree, readings
from atlas.loader import load_pack
from atlas.text import fold
from cli import main as cli
from tests.accounts import cli_as
from tests.conftest import REPO_ROOT
from tests.ingest_fixtures import cang_long, communes_wgs84, vector_bytes

needs_gazetteer = pytest.mark.skipif(
    not gazetteer.available(), reason="gazetteer not generated (make prepare)"
)


@lru_cache(maxsize=1)
def chi_lang():
    return load_pack(REPO_ROOT / "geodata" / "chi_lang").pack


def ref_cl() -> pd.DataFrame:
    return commune_reference(cang_long())


def ref_chi() -> pd.DataFrame:
    return commune_reference(chi_lang())


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def ascii_of(text: str) -> str:
    return fold(text).title()


def matched(join, i: int) -> tuple[str, str | None]:
    row = join.rows.iloc[i]
    return row["status"], row["code"]


def unjoined_rows_say_why(join) -> None:
    """Every row not joined carries a reason in both languages."""
    rows = join.rows[~join.rows["status"].isin(["code", "name"])]
    assert (rows["reason_vi"] != "").all() and (rows["reason_en"] != "").all(), rows


# --- names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Phường Thạnh", [("phuong", "thanh")]),
        ("Phương Thạnh", [(None, "phuong thanh")]),
        ("Phuong Thanh", [("phuong", "thanh"), (None, "phuong thanh")]),
        ("Xã Phương Thạnh", [("xa", "phuong thanh")]),
        (nfd("THỊ TRẤN CHI LĂNG"), [("thi_tran", "chi lang")]),
        ("TT. Chi Lăng", [("thi_tran", "chi lang")]),
        ("Thi tran Chi Lang", [("thi_tran", "chi lang"), (None, "thi tran chi lang")]),
        ("X. Y Tịch", [("xa", "y tich")]),
        ("Phường 01", [("phuong", "1")]),
        ("P.1", [("phuong", "1")]),
        ("\u00d0ại Phúc", [(None, "dai phuc")]),  # Icelandic Eth from a legacy font
        ("Xã Thị Trấn", [("xa", "thi tran")]),  # a prefix word inside the name stays
    ],
)
def test_the_unit_type_is_read_only_where_it_is_a_prefix(written, expected):
    assert list(readings(written)) == [Reading(t, n) for t, n in expected]


def test_same_name_of_another_unit_type_does_not_agree():
    assert agree("Xã Chi Lăng", "chi lang") and agree("Phường 01", "P. 1")
    assert not agree("Xã Chi Lăng", "Thị trấn Chi Lăng")
    assert agree("Xã Mỹ Cẩm", "Xã Mỹ Cẩn", 0.8) and not agree("Xã Mỹ Cẩm", "Xã Mỹ Cẩn")


# --- columns by evidence ------------------------------------------------------------------


def short_ascii() -> list[str]:
    """Càng Long's communes as an ASCII column without the type: "Phuong Thanh", …"""
    return [ascii_of(n) for n in cang_long().frames["communes"]["short_name"]]


def test_the_column_with_diacritics_beats_its_ascii_twin_and_every_commune_joins():
    ref = ref_cl()
    table = pd.DataFrame(
        {
            "commune": short_ascii(),
            "commune_vn": [nfd(n) for n in ref["name"]],
            "dan_so": range(len(ref)),
        }
    )
    mapping = suggest_mapping(list(table.columns), table, ref)
    assert mapping.name == "commune_vn" and mapping.code is None and mapping.join
    joined = join_communes(table, ref, mapping)
    assert joined.all_matched and joined.codes() == list(ref["code"])


def test_an_ascii_column_alone_still_joins_every_commune_including_phuong_thanh():
    ref = ref_cl()
    table = pd.DataFrame({"commune": short_ascii()})
    assert "Phuong Thanh" in list(table["commune"])
    joined = join_communes(table, ref, suggest_mapping(["commune"], table, ref))
    assert joined.all_matched and joined.codes() == list(ref["code"])


def test_integer_codes_win_over_counts_and_years_and_names_are_checked():
    ref = ref_chi()
    table = pd.DataFrame(
        {
            "stt": range(1, len(ref) + 1),
            "n_ho": [14] * len(ref),
            "nam": [2024] * len(ref),
            "ma_xa": ref["code"].astype(int),
            "ten": ref["name"],
        }
    )
    mapping = suggest_mapping(list(table.columns), table, ref)
    assert (mapping.code, mapping.name, mapping.year) == ("ma_xa", "ten", "nam")
    joined = join_communes(table, ref, mapping)
    assert joined.counts()["code"] == len(ref) and joined.codes() == list(ref["code"])


def roads(crs_from: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """A roads layer in Càng Long: its own ids (`ma` = "HA13"), a count, a year."""
    return gpd.GeoDataFrame(
        {
            "ma": ["HA13", "QL53", "DT911"],
            "ten": ["Đường huyện 13", "Quốc lộ 53", "Đường tỉnh 911"],
            "n_communes": [14, 3, 5],
            "nam": [2021, 2022, 2023],
        },
        geometry=[LineString([(106.2 + i / 100, 9.95), (106.25, 10.0)]) for i in range(3)],
        crs=4326,
    )


def hydro_plants() -> gpd.GeoDataFrame:
    """Hydro plants in Chi Lăng by year: the year column once became "duplicate codes"."""
    return gpd.GeoDataFrame(
        {
            "ten": ["Thủy điện A", "Thủy điện B", "Thủy điện C", "Thủy điện D"],
            "year": [2010, 2010, 2015, 2020],
            "cong_suat": [12, 8, 30, 4],
        },
        geometry=[Point(106.55 + i / 50, 21.65) for i in range(4)],
        crs=4326,
    )


def district_file() -> gpd.GeoDataFrame:
    """Càng Long's district outline with `n_communes` = 14 (it turned into code "00014")."""
    frame = cang_long().frames["district"][["code", "name", "geometry"]].copy()
    frame["n_communes"] = 14
    return frame


@pytest.mark.parametrize("with_reference", [True, False], ids=["reference", "none"])
@pytest.mark.parametrize("make", [roads, hydro_plants, district_file])
def test_counts_years_and_road_ids_are_never_taken_as_commune_codes(make, with_reference):
    frame = make()
    ref = ref_cl() if with_reference else None
    mapping = suggest_mapping([c for c in frame.columns if c != "geometry"], frame, ref)
    assert mapping.code is None and not mapping.join, mapping
    assert mapping.name in ("ten", "name")  # still the features' name


@needs_gazetteer
def test_without_a_reference_a_commune_layer_keeps_its_codes_by_the_gazetteer():
    frame = communes_wgs84()
    frame["code"] = frame["code"].astype(int)
    mapping = suggest_mapping(["code", "name", "area_km2"], frame)
    assert mapping.code == "code" and mapping.join
    # The same codes on a table with no names and no places are not enough evidence.
    bare = pd.DataFrame({"code": frame["code"], "v": range(len(frame))})
    assert suggest_mapping(["code", "v"], bare).code is None


# --- the join -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written", ["Xã Phương Thạnh", nfd("Xã Phương Thạnh"), "Phương Thạnh", "Phuong Thanh"]
)
def test_xa_phuong_thanh_is_a_name_not_a_ward(written):
    joined = join_communes(pd.DataFrame({"ten": [written]}), ref_cl(), ColumnMapping(name="ten"))
    assert matched(joined, 0) == ("name", "29290")


def test_a_ward_named_thanh_is_not_xa_phuong_thanh():
    joined = join_communes(
        pd.DataFrame({"ten": ["Phường Thạnh"]}), ref_cl(), ColumnMapping(name="ten")
    )
    assert joined.rows["status"][0] == "unmatched"
    assert "Phường Thạnh" in joined.rows["reason_en"][0]


def test_thi_tran_and_xa_chi_lang_each_join_their_own_and_a_bare_name_says_which():
    names = ["Thị trấn Chi Lăng", "Xã Chi Lăng", "TT Chi Lăng", "xa chi lang", "Chi Lăng"]
    joined = join_communes(pd.DataFrame({"ten": names}), ref_chi(), ColumnMapping(name="ten"))
    assert joined.codes() == ["06466", "06523", "06466", "06523", None]
    why = joined.rows["reason_en"][4]
    assert "Thị trấn Chi Lăng (06466)" in why and "Xã Chi Lăng (06523)" in why
    unjoined_rows_say_why(joined)


def test_ward_numbers_and_legacy_eth_fold_alike():
    ref = pd.DataFrame({"code": ["26734", "26737"], "name": ["Phường 1", "Phường 2"]})
    rows = pd.DataFrame({"ten": ["Phường 01", "P.2", "phuong 02", "Xã 1"]})
    joined = join_communes(rows, ref, ColumnMapping(name="ten"))
    assert joined.codes() == ["26734", "26737", "26737", None]
    eth = pd.DataFrame({"ten": ["X\u00e3 \u00d0\u1ea1i Ph\u00fac", "xã \u00f0ại phước"]})
    assert join_communes(eth, ref_cl(), ColumnMapping(name="ten")).codes() == ["29293", "29296"]


def test_a_code_whose_name_disagrees_is_a_conflict_shown_with_both_names_and_never_joined():
    ref = ref_cl()
    rows = pd.DataFrame(
        {"ma": ["29269", "29272", "29281"], "ten": ["Xã Tân An", "An Trường A", "Xã Tân Ann"]}
    )
    joined = join_communes(rows, ref, ColumnMapping(code="ma", name="ten"))
    assert list(joined.rows["status"]) == ["conflict", "code", "code"]  # a typo is no conflict
    assert joined.codes() == [None, "29272", "29281"] and joined.problem is None
    why = joined.rows["reason_en"][0]
    assert "Xã Mỹ Cẩm" in why and "Xã Tân An" in why


def post2025_rows(district: str) -> pd.DataFrame:
    """The post-2025 communes a pre-2025 district went into, with their new codes and names
    (from the crosswalk), as a clerk's table of the new communes would list them."""
    from atlas import crosswalk

    frame = crosswalk._read(str(crosswalk.CROSSWALK_FILE))
    rows = frame[frame["old_district_code"] == district]
    rows = rows[["new_code", "new_name"]].drop_duplicates("new_code").reset_index(drop=True)
    return pd.DataFrame({"ma_xa": rows["new_code"].astype(int), "ten_xa": rows["new_name"],
                         "dan_so": range(len(rows))})  # fmt: skip


@needs_gazetteer
@pytest.mark.parametrize(
    ("district", "pack", "province"),
    [("844", cang_long, "Tỉnh Vĩnh Long"), ("187", chi_lang, "Tỉnh Lạng Sơn")],
)
def test_post_2025_communes_are_never_joined_by_code_to_a_pre_2025_pack(
    district, pack, province, tmp_path
):
    table = post2025_rows(district)
    ref = commune_reference(pack())
    mapping = suggest_mapping(list(table.columns), table, ref)
    joined = join_communes(table, ref, mapping)
    assert joined.problem is not None and not joined.all_matched
    vi, en = joined.problem
    assert f"{len(table)} of {len(table)} rows are post-2025 communes of {province}" in en
    assert "this pack has pre-2025 communes" in en and "crosswalk" in en
    assert f"{len(table)} trên {len(table)} dòng" in vi and province in vi
    insp = inspect_upload("xa_moi.csv", table.to_csv(index=False).encode())
    plan = ImportPlan("moi", mapping, drop_unmatched=True)
    with pytest.raises(IngestError) as exc:
        save_import(insp, plan, join=join_communes(insp.data, ref, mapping), root=tmp_path)
    assert exc.value.en == en


@needs_gazetteer
def test_chi_lang_new_code_06463_is_a_conflict_with_dong_mo():
    table = post2025_rows("187")
    joined = join_communes(table, ref_chi(), ColumnMapping(code="ma_xa", name="ten_xa"))
    row = joined.rows[joined.rows["input_code"] == "6463"].iloc[0]
    assert row["status"] == "conflict" and row["name"] == "Thị trấn Đồng Mỏ"
    assert "Xã Chi Lăng" in row["reason_vi"] and "Thị trấn Đồng Mỏ" in row["reason_vi"]


def test_an_empty_reference_leaves_every_row_unmatched_with_why():
    empty = commune_reference()
    rows = pd.DataFrame({"ma": [29266], "ten": ["Xã Mỹ Cẩm"]})
    joined = join_communes(rows, empty, ColumnMapping(code="ma", name="ten"))
    assert joined.counts()["unmatched"] == 1 and joined.problem is None
    unjoined_rows_say_why(joined)
    assert join_communes(rows.iloc[:0], empty, ColumnMapping(code="ma")).rows.empty


def test_a_large_table_is_matched_once_per_distinct_value_with_fuzzy_bounded(monkeypatch):
    ref = ref_cl()
    n = 200_000
    names = pd.Series(ref["name"].tolist() * (n // len(ref) + 1)).iloc[:n]
    junk = [f"Không rõ {i}" for i in range(join_module.FUZZY_LIMIT + 50)]
    names.iloc[: len(junk)] = junk
    table = pd.DataFrame({"ten": names.to_numpy(), "v": range(n)})
    calls = []
    real = join_module.CommuneIndex.fuzzy
    monkeypatch.setattr(
        join_module.CommuneIndex, "fuzzy", lambda self, v: calls.append(v) or real(self, v)
    )
    joined = join_communes(table, ref, ColumnMapping(name="ten"))
    assert len(joined.rows) == n and len(calls) <= join_module.FUZZY_LIMIT
    assert joined.counts()["name"] == n - len(junk)
    assert joined.rows["row"].iloc[-1] == n


# --- saving -------------------------------------------------------------------------------


def _table_upload(rows: pd.DataFrame):
    return inspect_upload("t.csv", rows.to_csv(index=False).encode())


def test_nothing_left_after_dropping_unmatched_is_a_clear_refusal(tmp_path: Path):
    insp = inspect_upload("xa.geojson", vector_bytes(communes_wgs84(), ".geojson", "GeoJSON"))
    save_import(insp, ImportPlan("tv", suggest_mapping(insp.columns, insp.data)), root=tmp_path)
    table = _table_upload(pd.DataFrame({"ten": ["Nowhere", "Nothing"], "v": [1, 2]}))
    mapping = ColumnMapping(name="ten", fields=("v",))
    joined = join_communes(table.data, ref_cl(), mapping)
    plan = ImportPlan("tv", mapping, into_existing=True, drop_unmatched=True)
    with pytest.raises(IngestError) as exc:
        save_import(table, plan, join=joined, root=tmp_path)
    assert "Nothing is left" in exc.value.en and "Không còn dòng nào" in exc.value.vi


def test_the_fuzzy_advice_appears_only_when_there_are_fuzzy_matches(tmp_path: Path):
    insp = inspect_upload("xa.geojson", vector_bytes(communes_wgs84(), ".geojson", "GeoJSON"))
    save_import(insp, ImportPlan("tv", suggest_mapping(insp.columns, insp.data)), root=tmp_path)
    for names, fuzzy in ((["Xã Mỹ Cẩn", "Xã Tân An"], True), (["Nowhere", "Xã Tân An"], False)):
        table = _table_upload(pd.DataFrame({"ten": names, "v": [1, 2]}))
        mapping = ColumnMapping(name="ten", fields=("v",))
        joined = join_communes(table.data, ref_cl(), mapping)
        with pytest.raises(IngestError) as exc:
            save_import(table, ImportPlan("tv", mapping, into_existing=True), join=joined,
                        root=tmp_path)  # fmt: skip
        assert ("fuzzy" in exc.value.en) is fuzzy and ("gần đúng" in exc.value.vi) is fuzzy


def test_a_roads_layer_imports_with_no_join_even_against_a_reference(tmp_path: Path):
    insp = inspect_upload("duong.geojson", vector_bytes(roads(), ".geojson", "GeoJSON"))
    mapping = suggest_mapping(insp.columns, insp.data, ref_cl())
    joined = join_communes(insp.data, ref_cl(), mapping)  # what a page would have computed
    plan = ImportPlan("duong", mapping, no_join=True)
    result = save_import(insp, plan, join=joined, root=tmp_path)
    pack = load_pack(result.path).pack
    layer = pack.manifest.layer(result.layer_id)
    assert layer.kind == "line" and not layer.code_field
    assert list(pack.frames[layer.id]["ma"]) == ["HA13", "QL53", "DT911"]


def test_cli_imports_roads_with_no_join_and_prints_why_rows_are_not_joined(
    tmp_path: Path, capsys, monkeypatch
):
    monkeypatch.setenv("ATLAS_USER_DATA", str(tmp_path / "data"))
    path = tmp_path / "duong.geojson"
    path.write_bytes(vector_bytes(roads(), ".geojson", "GeoJSON"))
    assert (
        cli.main(
            [
                "import",
                str(path),
                "--pack",
                "duong",
                "--join-pack",
                "cang_long",
                *cli_as(monkeypatch),
            ]
        )
        == 0
    )
    assert "no commune join" in capsys.readouterr().out
    table = tmp_path / "so_lieu.csv"
    table.write_text("ten,v\nChi Lăng,1\nThị trấn Chi Lăng,2\n", encoding="utf-8")
    args = [
        "import",
        str(table),
        "--pack",
        "x",
        "--join-pack",
        "chi_lang",
        "--name-col",
        "ten",
        *cli_as(monkeypatch),
    ]
    assert cli.main(args) == 1
    out = capsys.readouterr().out
    assert "could be several communes" in out and "có thể là nhiều xã" in out


@needs_gazetteer
def test_pre_2025_communes_of_another_district_are_unmatched_not_called_post_2025():
    chi = ref_chi()
    table = pd.DataFrame({"ma": chi["code"].astype(int), "ten": chi["name"]})
    joined = join_communes(table, ref_cl(), ColumnMapping(code="ma", name="ten"))
    assert joined.problem is None and joined.counts()["unmatched"] == len(chi)
    assert "is not in the pack" in joined.rows["reason_en"][0]


def test_without_gazetteer_and_reference_only_a_named_full_width_code_column_is_taken(
    monkeypatch,
):
    from atlas.ingest import columns

    monkeypatch.setattr(columns, "_gazetteer_communes", lambda: {})
    frame = communes_wgs84()
    frame["code"] = frame["code"].astype(int)
    assert suggest_mapping(["code", "name", "area_km2"], frame).code == "code"
    district = district_file()  # code "844", n_communes 14: too short to be commune codes
    assert suggest_mapping(["code", "name", "n_communes"], district).code is None


def _short(pack) -> list[str]:
    return [n.split(" (")[0] for n in pack.frames["communes"]["short_name"]]


def corpus() -> dict[str, tuple[pd.DataFrame, pd.DataFrame, list[str | None]]]:
    """file name → (table, reference, the code each row must get; None: cannot be joined)."""
    cl, chi = ref_cl(), ref_chi()
    cl_codes, chi_codes = list(cl["code"]), list(chi["code"])
    bare = [c if n != "Chi Lăng" else None for c, n in zip(chi_codes, _short(chi_lang()),
                                                           strict=True)]  # fmt: skip
    return {
        "nfd_int_codes.csv": (
            pd.DataFrame({"ma": cl["code"].astype(int), "ten": [nfd(n) for n in cl["name"]]}),
            cl, cl_codes,
        ),
        "ascii_typed.csv": (pd.DataFrame({"xa": [ascii_of(n) for n in chi["name"]]}), chi,
                            chi_codes),
        "ascii_short.csv": (pd.DataFrame({"commune": short_ascii()}), cl, cl_codes),
        "bare_names.csv": (pd.DataFrame({"ten_xa": _short(chi_lang())}), chi, bare),
        "upper_abbrev.csv": (
            pd.DataFrame({"ten": [n.upper().replace("THỊ TRẤN ", "TT. ").replace("XÃ ", "X. ")
                                  for n in chi["name"]]}),
            chi, chi_codes,
        ),
    }  # fmt: skip


@pytest.mark.parametrize("name", list(corpus()))
def test_every_file_joins_every_commune_right_or_names_each_it_cannot_and_why(name):
    table, ref, expected = corpus()[name]
    joined = join_communes(table, ref, suggest_mapping(list(table.columns), table, ref))
    assert joined.codes() == expected
    for row in joined.rows[joined.rows["status"] != "code"].itertuples():
        if row.code is None:
            assert row.input_name in row.reason_en and row.input_name in row.reason_vi


def test_odd_cells_never_raise_out_of_the_join():
    rows = pd.DataFrame(
        {"ma": [[1, 2], None, 6463.0, float("nan")], "ten": [{"a": 1}, 3, "", None]}
    )
    joined = join_communes(rows, ref_chi(), ColumnMapping(code="ma", name="ten"))
    assert joined.codes() == [None, None, "06463", None]
    assert list(joined.rows["input_code"])[2] == "6463"
    suggest_mapping(["ma", "ten"], rows, ref_chi())


def test_cli_no_join_keeps_even_a_commune_looking_layer_free_of_codes(
    tmp_path: Path, capsys, monkeypatch
):
    monkeypatch.setenv("ATLAS_USER_DATA", str(tmp_path / "data"))
    path = tmp_path / "xa.geojson"
    path.write_bytes(vector_bytes(communes_wgs84(), ".geojson", "GeoJSON"))
    args = [
        "import",
        str(path),
        "--pack",
        "ranh",
        "--join-pack",
        "cang_long",
        "--no-join",
        *cli_as(monkeypatch),
    ]
    assert cli.main(args) == 0, capsys.readouterr()
    pack = load_pack(tmp_path / "data" / "ranh").pack
    (layer,) = pack.layers
    assert layer.kind == "polygon" and not layer.code_field
