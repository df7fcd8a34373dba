"""atlas.reports: target tables for the targets and compare pages, and their CSV / XLSX files."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from atlas import kpi, reports
from atlas import scenarios as sc
from atlas.loader import load_pack
from atlas.spec import Pack

REPO = Path(__file__).resolve().parent.parent
DUC_MY = "29305"


@pytest.fixture(scope="module")
def chi_lang() -> Pack:
    return load_pack(REPO / "geodata" / "chi_lang").pack


@pytest.fixture(scope="module")
def measured(cang_long: Pack) -> dict[int, pd.DataFrame]:
    return {year: kpi.measured_frame(cang_long, year) for year in kpi.data_years(cang_long)}


# --- summary ----------------------------------------------------------------------------------


def test_summary_has_every_target_for_every_year_in_pack_order(cang_long, measured) -> None:
    summary = reports.targets_summary(cang_long, measured, source="đo đạc")
    assert list(summary.columns) == list(reports.SUMMARY_COLUMNS)
    ids = [t.id for t in cang_long.targets]
    assert list(summary["target_id"]) == [tid for tid in ids for _ in range(5)]
    assert list(summary["year"]) == [2021, 2022, 2023, 2024, 2025] * len(ids)
    assert set(summary["source"]) == {"đo đạc"}


def test_summary_figures_are_those_of_atlas_kpi(cang_long, measured) -> None:
    summary = reports.targets_summary(cang_long, measured).set_index(["target_id", "year"])
    for year, frame in measured.items():
        for result in kpi.evaluate_pack(cang_long, frame, year):
            row = summary.loc[(result.target_id, year)]
            assert row["value"] == pytest.approx(result.value, abs=0.005)
            assert row["gap"] == pytest.approx(result.gap, abs=0.005)
            assert bool(row["met"]) == result.met
            assert row["n_short"] == len(result.short)
            assert row["n_missing"] == result.n_missing
            assert row["n_communes"] == 14
    fibre = summary.loc[("fibre_communes", 2025)]
    assert (fibre["value"], fibre["gap"], fibre["target_value"]) == (92.86, 7.14, 100.0)
    assert fibre["target"] == "Cáp quang đến 100% xã, thị trấn"
    assert fibre["target_year"] == 2025


def test_summary_labels_follow_the_language(cang_long, measured) -> None:
    summary = reports.targets_summary(cang_long, {2025: measured[2025]}, lang="en")
    assert summary["target"].iloc[0] == "Fibre broadband in 100% of communes"


# --- communes short ---------------------------------------------------------------------------


def test_communes_short_match_atlas_kpi_for_cang_long_2025(cang_long, measured) -> None:
    short = reports.communes_short(cang_long, measured[2025], 2025)
    assert list(short.columns) == list(reports.SHORT_COLUMNS)
    expected = [
        (r.target_id, code, name, round(value, 2))
        for r in kpi.evaluate_pack(cang_long, measured[2025], 2025)
        for code, name, value in r.short
    ]
    got = list(
        zip(short["target_id"], short["code"], short["commune"], short["value"], strict=True)
    )
    assert got == expected
    fibre = short[short["target_id"] == "fibre_communes"]
    assert list(fibre["commune"]) == ["Xã Đức Mỹ"]
    assert list(fibre["code"]) == [DUC_MY]
    assert list(fibre["gap"]) == [100.0]
    five_g = short[short["target_id"] == "coverage_5g"]
    assert list(five_g["commune"]) == ["Xã An Trường", "Xã Đức Mỹ"]


def test_communes_short_of_one_target(cang_long, measured) -> None:
    short = reports.communes_short(cang_long, measured[2025], 2025, target_id="hamlets_internet")
    assert list(short["commune"]) == ["Xã An Trường A", "Xã Nhị Long"]
    assert list(short["value"]) == [85.71, 87.5]
    assert list(short["gap"]) == [14.29, 12.5]


def test_nobody_is_short_under_the_plan(cang_long) -> None:
    reg = sc.registry(cang_long)
    plan = sc.materialise(cang_long, reg["plan-2025"], reg)
    assert reports.communes_short(cang_long, plan, 2025).empty
    assert reports.targets_summary(cang_long, {2025: plan})["met"].all()


def test_a_sum_target_lists_no_commune(cang_long, measured) -> None:
    spec = replace(cang_long.targets[1], id="hamlets_total", aggregate="sum", value=10_000)
    pack = replace(cang_long, manifest=replace(cang_long.manifest, targets=(spec,)))
    assert reports.communes_short(pack, measured[2025], 2025).empty
    row = reports.targets_summary(pack, {2025: measured[2025]}).iloc[0]
    assert row["n_short"] == 0 and not row["met"]


# --- comparing two frames ---------------------------------------------------------------------


def test_no_difference_between_a_frame_and_itself(cang_long, measured) -> None:
    diffs = reports.commune_differences(cang_long, measured[2025], measured[2025])
    assert list(diffs.columns) == list(reports.DIFF_COLUMNS)
    assert diffs.empty


def test_differences_name_commune_field_and_both_values(cang_long, measured) -> None:
    a = measured[2025]
    b = sc.apply_edits(a, {(DUC_MY, "fibre_centre"): True, (DUC_MY, "hamlets"): None})
    diffs = reports.commune_differences(cang_long, a, b)
    assert diffs.to_dict("records") == [
        {
            "code": DUC_MY,
            "commune": "Xã Đức Mỹ",
            "column": "hamlets",
            "field": "Số ấp, khóm",
            "value_a": str(int(a.loc[a["code"] == DUC_MY, "hamlets"].iloc[0])),
            "value_b": "—",
        },
        {
            "code": DUC_MY,
            "commune": "Xã Đức Mỹ",
            "column": "fibre_centre",
            "field": "Cáp quang đến trung tâm xã",
            "value_a": "Không",
            "value_b": "Có",
        },
    ]
    english = reports.commune_differences(cang_long, a, b, lang="en")
    assert list(english["value_b"]) == ["—", "Yes"]


def test_measured_2021_and_the_plan_differ_where_a_target_was_not_met(cang_long) -> None:
    reg = sc.registry(cang_long)
    a = sc.materialise(cang_long, reg["measured-2021"], reg)
    b = sc.materialise(cang_long, reg["plan-2025"], reg)
    diffs = reports.commune_differences(cang_long, a, b)
    assert not diffs.empty
    # Every commune short of a target in 2021 differs somewhere.
    short_2021 = {code for r in kpi.evaluate_pack(cang_long, a, 2021) for code, _, _ in r.short}
    assert short_2021 <= set(diffs["code"])
    # The plan changes only the targets' inputs, never a denominator.
    inputs = {"hamlets_internet", "fibre_centre", "coverage_5g", "agencies_fibre"}
    assert set(diffs["column"]) <= inputs


def test_kpi_deltas_are_b_minus_a(cang_long) -> None:
    reg = sc.registry(cang_long)
    a = sc.materialise(cang_long, reg["measured-2021"], reg)
    b = sc.materialise(cang_long, reg["plan-2025"], reg)
    deltas = reports.kpi_deltas(cang_long, a, b).set_index("target_id")
    assert list(deltas.index) == [t.id for t in cang_long.targets]
    for result_a, result_b in zip(
        kpi.evaluate_pack(cang_long, a), kpi.evaluate_pack(cang_long, b), strict=True
    ):
        row = deltas.loc[result_a.target_id]
        assert row["value_a"] == pytest.approx(result_a.value, abs=0.005)
        assert row["value_b"] == pytest.approx(100.0)
        assert row["delta"] == pytest.approx(result_b.value - result_a.value, abs=0.005)
        assert not row["met_a"] and row["met_b"]


def test_kpi_delta_is_missing_without_data(cang_long, measured) -> None:
    empty = measured[2025].copy()
    for column in empty.columns[1:]:
        empty[column] = pd.NA
    row = reports.kpi_deltas(cang_long, empty, measured[2025]).iloc[0]
    assert pd.isna(row["value_a"]) and pd.isna(row["delta"])


# --- headers and files ------------------------------------------------------------------------


def test_localise_translates_headers_and_yes_no(cang_long, measured) -> None:
    summary = reports.targets_summary(cang_long, {2025: measured[2025]})
    vi = reports.localise(summary, "vi")
    assert list(vi.columns[:5]) == ["Mã chỉ tiêu", "Chỉ tiêu", "Nguồn số liệu", "Năm", "Giá trị"]
    assert set(vi["Đạt"]) == {"Chưa đạt"}
    en = reports.localise(summary, "en")
    assert "Communes short" in en.columns
    assert set(en["Met"]) == {"Not met"}
    relabelled = reports.localise(
        reports.commune_differences(cang_long, measured[2021], measured[2025]),
        "vi",
        labels={"value_a": "A · 2021", "value_b": "B · 2025"},
    )
    assert list(relabelled.columns) == ["Mã xã", "Xã", "Cột", "Số liệu", "A · 2021", "B · 2025"]


def test_csv_has_a_byte_order_mark_and_reads_back(cang_long, measured) -> None:
    short = reports.localise(reports.communes_short(cang_long, measured[2025], 2025), "vi")
    data = reports.to_csv(short)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"Mã xã": str})
    assert list(back.columns) == list(short.columns)
    assert DUC_MY in set(back["Mã xã"])
    assert "Xã Đức Mỹ" in set(back["Xã"])


def test_xlsx_reads_back_with_every_sheet(cang_long, measured) -> None:
    summary = reports.localise(reports.targets_summary(cang_long, measured), "vi")
    short = reports.localise(reports.communes_short(cang_long, measured[2025], 2025), "vi")
    data = reports.to_xlsx({"Tổng hợp": summary, "Xã chưa đạt": short})
    assert data[:2] == b"PK"  # a zip container
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype={"Mã xã": str})
    assert list(sheets) == ["Tổng hợp", "Xã chưa đạt"]
    assert len(sheets["Tổng hợp"]) == 4 * 5
    assert list(sheets["Tổng hợp"].columns) == list(summary.columns)
    assert sheets["Tổng hợp"]["Giá trị"].iloc[4] == pytest.approx(92.86)
    assert list(sheets["Xã chưa đạt"]["Mã xã"]) == list(short["Mã xã"])
    assert list(sheets["Xã chưa đạt"]["Xã"]) == list(short["Xã"])


def test_xlsx_keeps_empty_cells_empty() -> None:
    frame = pd.DataFrame({"a": pd.array([1.5, None, 2], dtype="Float64"), "b": ["x", None, "y"]})
    back = pd.read_excel(io.BytesIO(reports.to_xlsx({"s": frame})))
    assert list(back["a"].fillna(-1)) == [1.5, -1, 2.0]
    assert list(back["b"].fillna("")) == ["x", "", "y"]


def test_sheet_names_are_valid_and_unique() -> None:
    taken = {"Tổng hợp"}
    assert reports.sheet_name("Tổng hợp", taken) == "Tổng hợp (2)"
    assert reports.sheet_name("a/b:c*d?[e]") == "a b c d  e"
    long = reports.sheet_name("x" * 40, {"x" * 31})
    assert len(long) <= 31 and long.endswith("(2)")
    data = reports.to_xlsx({"same": pd.DataFrame({"a": [1]}), "SAME": pd.DataFrame({"a": [2]})})
    assert list(pd.read_excel(io.BytesIO(data), sheet_name=None)) == ["same", "SAME (2)"]


def test_chi_lang_mean_targets_list_communes_below_the_target(chi_lang) -> None:
    frame = kpi.measured_frame(chi_lang, 2025)
    short = reports.communes_short(chi_lang, frame, 2025, target_id="clean_water")
    result = kpi.evaluate(kpi.target(chi_lang, "clean_water"), frame, kpi.commune_names(chi_lang))
    assert len(short) == len(result.short) == 19
    assert (short["value"] < 100).all()
