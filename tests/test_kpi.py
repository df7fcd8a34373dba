"""District KPIs: every aggregate checked against arithmetic worked by hand, NA never read as 0."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pandas as pd
import pytest

from atlas import kpi
from atlas.loader import load_pack
from atlas.spec import Pack, TargetSpec, Text
from cli.main import main as cli_main

REPO = Path(__file__).resolve().parent.parent


def spec(aggregate: str, column: str = "x", value: float = 100, **kw: str) -> TargetSpec:
    return TargetSpec(
        id=f"t_{aggregate}",
        label=Text("Chỉ tiêu", "Target"),
        value=value,
        unit="%",
        year=2025,
        table="t",
        column=column,
        aggregate=aggregate,
        quote="…",
        **kw,
    )


def frame(**columns: list) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    codes = [f"0000{i + 1}" for i in range(n)]
    out = pd.DataFrame({"code": codes})
    for name, values in columns.items():
        if all(v is None or isinstance(v, bool) for v in values):
            out[name] = pd.array(values, dtype="boolean")
        elif all(v is None or isinstance(v, int) for v in values):
            out[name] = pd.array(values, dtype="Int64")
        else:
            out[name] = pd.array(values, dtype="Float64")
    return out


NAMES = {"00001": "Xã A", "00002": "Xã B", "00003": "Xã C", "00004": "Xã D"}


@pytest.fixture(scope="module")
def chi_lang() -> Pack:
    return load_pack(REPO / "geodata" / "chi_lang").pack


# --- ratio ------------------------------------------------------------------------------------


def test_ratio_is_sum_over_sum_and_skips_communes_with_missing_inputs() -> None:
    # A 3/4, B 5/6, C ?/2 (no numerator: skipped, not read as 0).
    # Σx = 3 + 5 = 8, Σd = 4 + 6 = 10 (C's 2 left out) → 8 / 10 × 100 = 80 %.
    # Per commune: A 3/4 = 75 %, B 5/6 = 83.33 %: both short of 100. Gap 100 − 80 = 20.
    f = frame(x=[3, 5, None], d=[4, 6, 2])
    r = kpi.evaluate(spec("ratio", denominator="d"), f, NAMES, 2025)
    assert r.value == pytest.approx(80.0)
    assert r.gap == pytest.approx(20.0)
    assert not r.met
    assert (r.n_communes, r.n_missing) == (3, 1)
    assert r.missing == [("00003", "Xã C")]
    assert [(c, n) for c, n, _ in r.short] == [("00001", "Xã A"), ("00002", "Xã B")]
    assert [v for *_, v in r.short] == pytest.approx([75.0, 500 / 6])


def test_ratio_with_zero_denominator_everywhere_has_no_value() -> None:
    # A 0/0, B 0/0: Σd = 0, so the ratio is undefined (None), not 0 % and not 100 %.
    # No commune is missing data and none is short: there is nothing to cover.
    r = kpi.evaluate(spec("ratio", denominator="d"), frame(x=[0, 0], d=[0, 0]))
    assert r.value is None and r.gap is None and not r.met
    assert (r.n_missing, r.short) == (0, [])


def test_ratio_commune_with_zero_denominator_is_neither_short_nor_counted_against() -> None:
    # A 0/0, B 2/4 → Σx / Σd = 2 / 4 = 50 %; only B (50 %) is short.
    r = kpi.evaluate(spec("ratio", denominator="d"), frame(x=[0, 2], d=[0, 4]), NAMES)
    assert r.value == pytest.approx(50.0)
    assert r.short == [("00002", "Xã B", 50.0)]


def test_commune_values_of_a_ratio_are_percentages_with_na_for_zero_denominator() -> None:
    # 1/4 = 25 %, 0/0 undefined, ?/5 no data.
    values = kpi.commune_values(spec("ratio", denominator="d"), frame(x=[1, 0, None], d=[4, 0, 5]))
    assert values.iloc[0] == 25.0
    assert values.iloc[1:].isna().all()


# --- share_true -------------------------------------------------------------------------------


def test_share_true_counts_only_communes_with_a_known_value() -> None:
    # true, false, true, NA → 2 true of 3 known = 66.67 %; D has no data.
    r = kpi.evaluate(spec("share_true"), frame(x=[True, False, True, None]), NAMES)
    assert r.value == pytest.approx(200 / 3)
    assert r.gap == pytest.approx(100 / 3)
    assert (r.n_missing, r.missing) == (1, [("00004", "Xã D")])
    assert r.short == [("00002", "Xã B", 0.0)]


def test_share_true_all_true_meets_the_target_with_zero_gap() -> None:
    r = kpi.evaluate(spec("share_true"), frame(x=[True, True]))
    assert (r.value, r.gap, r.met, r.short) == (100.0, 0.0, True, [])


# --- mean -------------------------------------------------------------------------------------


def test_weighted_mean_weights_each_commune_by_its_weight() -> None:
    # 90 % of 1 000 people and 60 % of 3 000 people:
    # (90 × 1000 + 60 × 3000) / (1000 + 3000) = (90 000 + 180 000) / 4 000 = 67.5 %.
    # C has a weight but no value: skipped (its 500 people are not in the denominator).
    f = frame(x=[90.0, 60.0, None], w=[1000, 3000, 500])
    r = kpi.evaluate(spec("mean", weight="w"), f, NAMES)
    assert r.value == pytest.approx(67.5)
    assert r.gap == pytest.approx(32.5)
    assert r.n_missing == 1
    assert r.short == [("00001", "Xã A", 90.0), ("00002", "Xã B", 60.0)]


def test_unweighted_mean_is_the_plain_mean_of_known_values() -> None:
    # (90 + 60) / 2 = 75 %: the same figures as above without weights.
    r = kpi.evaluate(spec("mean"), frame(x=[90.0, 60.0, None]))
    assert r.value == pytest.approx(75.0)


def test_weighted_mean_skips_a_commune_without_weight_but_still_lists_it_short() -> None:
    # A 80 % with no weight, B 40 % weighing 100 → district value 40 × 100 / 100 = 40 %.
    # A is missing for the district figure, yet its own 80 % is short of 100 %.
    r = kpi.evaluate(spec("mean", weight="w"), frame(x=[80.0, 40.0], w=[None, 100]), NAMES)
    assert r.value == pytest.approx(40.0)
    assert r.n_missing == 1
    assert [c for c, *_ in r.short] == ["00001", "00002"]


def test_weighted_mean_with_all_weights_zero_has_no_value() -> None:
    r = kpi.evaluate(spec("mean", weight="w"), frame(x=[50.0, 70.0], w=[0, 0]))
    assert r.value is None and not r.met


def test_a_value_a_hair_below_the_target_from_float_rounding_counts_as_met() -> None:
    # 0.1 + 0.2 = 0.30000000000000004 style noise must not turn "met" into "short".
    r = kpi.evaluate(spec("mean", value=100), frame(x=[100.0 - 1e-12]))
    assert r.met and r.gap == 0.0 and r.short == []


# --- sum --------------------------------------------------------------------------------------


def test_sum_adds_known_values_and_has_no_per_commune_shortfall() -> None:
    # 2 + 3 (+ NA skipped) = 5 ≥ target 4 → met, gap 0.
    r = kpi.evaluate(spec("sum", value=4), frame(x=[2, 3, None]))
    assert (r.value, r.gap, r.met, r.n_missing, r.short) == (5.0, 0.0, True, 1, [])
    # Target 8: gap 8 − 5 = 3, still no commune listed short (it is a district total).
    short = kpi.evaluate(spec("sum", value=8), frame(x=[2, 3, None]))
    assert (short.gap, short.met, short.short) == (3.0, False, [])


# --- no data ----------------------------------------------------------------------------------


@pytest.mark.parametrize("aggregate", ["ratio", "share_true", "mean", "sum"])
def test_empty_frame_gives_no_value_and_no_communes(aggregate: str) -> None:
    empty = pd.DataFrame({"code": pd.Series(dtype=object), "x": pd.Series(dtype="Float64")})
    empty["d"] = pd.Series(dtype="Float64")
    r = kpi.evaluate(spec(aggregate, denominator="d"), empty)
    assert (r.value, r.gap, r.met, r.n_communes, r.n_missing, r.short) == (
        None,
        None,
        False,
        0,
        0,
        [],
    )


@pytest.mark.parametrize("aggregate", ["ratio", "share_true", "mean", "sum"])
def test_all_na_gives_no_value_and_counts_every_commune_missing(aggregate: str) -> None:
    f = pd.DataFrame({"code": ["00001", "00002", "00003"]})
    f["x"] = pd.array([None] * 3, dtype="boolean" if aggregate == "share_true" else "Float64")
    f["d"] = pd.array([4, 5, 6], dtype="Int64")
    r = kpi.evaluate(spec(aggregate, denominator="d"), f, NAMES)
    assert r.value is None and r.gap is None and not r.met
    assert r.n_missing == 3 and r.short == []
    assert [c for c, _ in r.missing] == ["00001", "00002", "00003"]


def test_a_column_absent_from_the_frame_is_no_data_not_an_error() -> None:
    r = kpi.evaluate(spec("mean", column="nowhere"), frame(x=[1.0]))
    assert (r.value, r.n_missing) == (None, 1)


def test_gap_and_met_helpers() -> None:
    assert kpi.gap(92.5, 100) == 7.5
    assert kpi.gap(100.0, 100) == 0.0
    assert kpi.gap(101.0, 100) == 0.0  # over-achieving is not a negative gap
    assert kpi.gap(None, 100) is None
    assert kpi.is_met(100.0, 100) and not kpi.is_met(99.99, 100) and not kpi.is_met(None, 100)


# --- on the shipped packs ---------------------------------------------------------------------


def test_cang_long_2025_is_slightly_short_of_every_target(cang_long: Pack) -> None:
    results = {r.target_id: r for r in kpi.evaluate_pack(cang_long, year=2025)}
    # Fibre: 13 of 14 communes (Đức Mỹ has none) = 92.857 %.
    assert results["fibre_communes"].value == pytest.approx(13 / 14 * 100)
    assert results["fibre_communes"].short == [("29305", "Xã Đức Mỹ", 0.0)]
    # Hamlets: Σ with Internet 114 / Σ hamlets 116 = 98.276 %; An Trường A 6/7, Nhị Long 7/8.
    hamlets = results["hamlets_internet"]
    assert hamlets.value == pytest.approx(114 / 116 * 100)
    assert [(c, round(v, 2)) for c, _, v in hamlets.short] == [("29272", 85.71), ("29302", 87.5)]
    # 5G: 12 of 14; agencies on fibre: 74 / 76.
    assert results["coverage_5g"].value == pytest.approx(12 / 14 * 100)
    assert results["agencies_fibre"].value == pytest.approx(74 / 76 * 100)
    assert all(not r.met and r.n_missing == 0 and r.n_communes == 14 for r in results.values())


def test_measured_frame_has_every_commune_and_the_pack_dtypes(cang_long: Pack) -> None:
    f = kpi.measured_frame(cang_long, 2021)
    assert len(f) == 14 and f["code"].tolist()[0] == "29266"
    assert str(f["hamlets"].dtype) == "Int64" and str(f["fibre_centre"].dtype) == "boolean"
    # A display-only column (precomputed %) is not an indicator.
    assert "hamlets_internet_pct" not in f.columns


def test_measured_frame_of_a_year_without_data_is_all_na(cang_long: Pack) -> None:
    f = kpi.measured_frame(cang_long, 2019)
    assert len(f) == 14 and f.drop(columns="code").isna().all().all()


def test_progress_gives_one_result_per_plan_year(cang_long: Pack) -> None:
    series = kpi.progress(cang_long, "fibre_communes")
    assert [r.year for r in series] == [2021, 2022, 2023, 2024, 2025]
    # 2021: fibre at 29266, 29278, 29281, 29299 → 4 / 14 = 28.57 %.
    assert series[0].value == pytest.approx(4 / 14 * 100)
    assert series[-1].value == pytest.approx(13 / 14 * 100)


def test_progress_years_without_data_have_no_value(chi_lang: Pack) -> None:
    series = kpi.progress(chi_lang, "clean_water")
    assert [r.year for r in series] == list(range(2021, 2031))
    assert all(r.value is None and r.n_missing == 20 for r in series if r.year > 2025)
    assert all(r.value is not None for r in series if r.year <= 2025)


def test_progress_uses_given_frames_for_their_years(cang_long: Pack) -> None:
    planned = kpi.measured_frame(cang_long, 2025)
    planned["fibre_centre"] = pd.array([True] * 14, dtype="boolean")
    series = {r.year: r for r in kpi.progress(cang_long, "fibre_communes", {2025: planned})}
    assert series[2025].met and series[2024].value == pytest.approx(13 / 14 * 100)


def test_chi_lang_clean_water_is_weighted_by_population(chi_lang: Pack) -> None:
    f = kpi.measured_frame(chi_lang, 2025)
    pct = f["clean_water_pct"].astype(float)
    pop = f["population"].astype(float)
    expected = (pct * pop).sum() / pop.sum()
    r = kpi.evaluate(kpi.target(chi_lang, "clean_water"), f)
    assert r.value == pytest.approx(expected)
    assert not math.isclose(r.value, pct.mean())  # weighting changes the figure


def test_unknown_target_id_is_a_clear_key_error(cang_long: Pack) -> None:
    with pytest.raises(KeyError, match="no_such"):
        kpi.progress(cang_long, "no_such")


# --- CLI: python -m atlas targets ---------------------------------------------------------------


@pytest.fixture
def no_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "atlas.db"
    monkeypatch.setenv("ATLAS_DB", str(db))
    monkeypatch.delenv("ATLAS_DB_URL", raising=False)
    return db


def test_cli_targets_lists_every_target_short_with_its_communes(no_store, capsys) -> None:
    assert cli_main(["targets", str(REPO / "geodata" / "cang_long")]) == 0
    out = capsys.readouterr().out
    assert "Hiện trạng 2025" in out
    assert out.count("CHƯA ĐẠT / NOT MET") == 4
    assert "Cáp quang đến 100% xã, thị trấn" in out
    assert "hiện tại / value 92.9 %" in out
    assert "Xã Đức Mỹ (29305) 0 %" in out
    assert not no_store.exists()  # reading targets never creates a database


def test_cli_targets_csv_has_one_row_per_target(no_store, capsys) -> None:
    assert cli_main(["targets", "cang_long", "--csv", "--year", "2025"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["target_id"] for r in rows] == [
        "fibre_communes",
        "hamlets_internet",
        "coverage_5g",
        "agencies_fibre",
    ]
    fibre = rows[0]
    assert float(fibre["value"]) == pytest.approx(92.8571, abs=1e-4)
    assert (fibre["met"], fibre["gap"], fibre["n_missing"]) == ("false", "7.1429", "0")
    assert fibre["short"] == "Xã Đức Mỹ (29305): 0"


def test_cli_targets_for_an_earlier_year(no_store, capsys) -> None:
    assert cli_main(["targets", "cang_long", "--csv", "--year", "2021"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert float(rows[0]["value"]) == pytest.approx(4 / 14 * 100, abs=1e-4)


def test_cli_targets_of_the_plan_scenario_are_all_met(no_store, capsys) -> None:
    assert cli_main(["targets", "chi_lang", "--scenario", "Kế hoạch 2030"]) == 0
    out = capsys.readouterr().out
    assert out.count("ĐẠT / MET") == 4 and "CHƯA" not in out


def test_cli_targets_refuses_a_year_without_data(no_store, capsys) -> None:
    assert cli_main(["targets", "cang_long", "--year", "2019"]) == 1
    assert "2021, 2022, 2023, 2024, 2025" in capsys.readouterr().err


def test_cli_targets_unknown_scenario_names_the_known_ones(no_store, capsys) -> None:
    assert cli_main(["targets", "cang_long", "--scenario", "nope"]) == 1
    err = capsys.readouterr().err
    assert "nope" in err and "Hiện trạng 2021" in err
