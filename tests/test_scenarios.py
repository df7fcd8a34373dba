"""Scenarios: built-ins, bases and edits, validation messages, copy/rename/delete, CSV."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from atlas import kpi, scenario_csv
from atlas import scenarios as sc
from atlas.loader import load_pack
from atlas.spec import Pack
from tests.packfactory import MANIFEST, make_pack

REPO = Path(__file__).resolve().parent.parent

# The test pack of tests/packfactory.py, with two count columns and two more targets:
# a ratio (households_water / households) and a share_true (landfill).
EXTRA_COLUMNS = """\
[[tables.columns]]
name = "households"
label = { vi = "Số hộ", en = "Households" }
type = "int"

[[tables.columns]]
name = "households_water"
label = { vi = "Số hộ có nước sạch", en = "Households with clean water" }
type = "int"

"""
EXTRA_TARGETS = """
[[targets]]
id = "households_water"
label = { vi = "Hộ có nước sạch", en = "Households with clean water" }
value = 100
unit = "%"
year = 2025
table = "env"
column = "households_water"
aggregate = "ratio"
denominator = "households"
quote = "…"

[[targets]]
id = "landfill"
label = { vi = "Xã có bãi rác", en = "Communes with a landfill" }
value = 100
unit = "%"
year = 2025
table = "env"
column = "landfill"
aggregate = "share_true"
quote = "…"
"""
TABLE = """\
code,year,water_pct,landfill,households,households_water
06463,2021,80.5,true,100,80
06466,2021,60,false,50,30
06463,2023,90,true,100,90
06466,2023,70,false,50,40
"""
DONG_MO, CHI_LANG = "06463", "06466"


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    manifest = MANIFEST.replace("[[targets]]", EXTRA_COLUMNS + "[[targets]]", 1) + EXTRA_TARGETS
    root = tmp_path_factory.mktemp("packs")
    result = load_pack(make_pack(root, manifest=manifest, table=TABLE))
    assert result.pack is not None, result.report.issues
    return result.pack


@pytest.fixture(scope="module")
def chi_lang() -> Pack:
    return load_pack(REPO / "geodata" / "chi_lang").pack


def row(frame: pd.DataFrame, code: str) -> dict:
    return frame.set_index("code").loc[code].to_dict()


# --- built-ins --------------------------------------------------------------------------------


def test_builtins_are_first_and_last_measured_year_and_the_plan(pack: Pack) -> None:
    builtins = sc.builtin_scenarios(pack)
    assert [(s.id, s.name, s.year, s.base) for s in builtins] == [
        ("measured-2021", "Hiện trạng 2021", 2021, "measured"),
        ("measured-2023", "Hiện trạng 2023", 2023, "measured"),
        ("plan-2030", "Kế hoạch 2030", 2030, "plan"),  # latest target year
    ]
    assert all(s.builtin and not s.edits for s in builtins)
    assert [sc.title(s, "en") for s in builtins] == ["Measured 2021", "Measured 2023", "Plan 2030"]


def test_shipped_packs_have_their_builtins(cang_long: Pack, chi_lang: Pack) -> None:
    assert [s.name for s in sc.builtin_scenarios(cang_long)] == [
        "Hiện trạng 2021",
        "Hiện trạng 2025",
        "Kế hoạch 2025",
    ]
    assert [s.name for s in sc.builtin_scenarios(chi_lang)][-1] == "Kế hoạch 2030"


def test_indicators_are_the_columns_the_targets_read(pack: Pack, cang_long: Pack) -> None:
    assert [f.name for f in kpi.indicator_fields(pack)] == [
        "water_pct",
        "landfill",
        "households",
        "households_water",
    ]
    assert sc.ratio_pairs(cang_long) == [
        ("hamlets_internet", "hamlets"),
        ("agencies_fibre", "agencies"),
    ]


# --- materialise ------------------------------------------------------------------------------


def test_measured_scenario_is_the_table_of_its_year(pack: Pack) -> None:
    reg = sc.registry(pack)
    frame = sc.materialise(pack, reg["measured-2021"], reg)
    assert list(frame.columns) == [
        "code",
        "water_pct",
        "landfill",
        "households",
        "households_water",
    ]
    assert row(frame, DONG_MO) == {
        "water_pct": 80.5,
        "landfill": True,
        "households": 100,
        "households_water": 80,
    }
    assert str(frame["households"].dtype) == "Int64"


def test_plan_meets_every_target_from_the_latest_measured_year(pack: Pack) -> None:
    reg = sc.registry(pack)
    frame = sc.materialise(pack, reg["plan-2030"], reg)
    # 2023 figures: households_water := households; landfill := true;
    # water_pct := max(value, 100).
    assert frame["households_water"].tolist() == [100, 50]
    assert frame["landfill"].tolist() == [True, True]
    assert frame["water_pct"].tolist() == [100.0, 100.0]
    assert all(r.met for r in kpi.evaluate_pack(pack, frame, 2030))


@pytest.mark.parametrize("pack_id", ["cang_long", "chi_lang"])
def test_plan_of_each_shipped_pack_meets_every_target(pack_id: str, request) -> None:
    shipped = request.getfixturevalue(pack_id)
    reg = sc.registry(shipped)
    plan = next(s for s in reg.values() if s.base == sc.PLAN)
    results = kpi.evaluate_pack(shipped, sc.materialise(shipped, plan, reg), plan.year)
    assert [r.met for r in results] == [True] * 4


SUM_TARGETS = """
[[targets]]
id = "households_total"
label = { vi = "Tổng số hộ", en = "Households in all" }
value = 200
unit = "hộ"
year = 2030
table = "env"
column = "households"
aggregate = "sum"
quote = "…"
"""


@pytest.fixture(scope="module")
def with_sum(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    """The test pack plus a district-total target on the denominator of its ratio target."""
    manifest = MANIFEST.replace("[[targets]]", EXTRA_COLUMNS + "[[targets]]", 1)
    manifest += EXTRA_TARGETS + SUM_TARGETS
    root = tmp_path_factory.mktemp("sum")
    result = load_pack(make_pack(root, manifest=manifest, table=TABLE))
    assert result.pack is not None, result.report.issues
    return result.pack


def test_plan_meets_a_district_total_by_spreading_the_shortfall(with_sum: Pack) -> None:
    reg = sc.registry(with_sum)
    frame = sc.materialise(with_sum, reg["plan-2030"], reg)
    # 2023: 100 + 50 = 150 households, 50 short of 200. Shared 2 : 1 as the communes are
    # (33.3 and 16.7), whole households by largest remainder: +33 and +17.
    assert frame["households"].tolist() == [133, 67]
    # The ratio target on the same column is then met too: every household has water.
    assert frame["households_water"].tolist() == [133, 67]
    results = kpi.evaluate_pack(with_sum, frame, 2030)
    assert [(r.target_id, r.met) for r in results] == [
        ("water", True),
        ("households_water", True),
        ("landfill", True),
        ("households_total", True),
    ]
    assert results[-1].value == 200


def test_spread_shortfall_is_proportional_equal_from_zero_and_leaves_no_data_alone() -> None:
    def ints(*values: int | None) -> pd.Series:
        return pd.Series(pd.array(list(values), dtype="Int64"))

    assert sc.spread_shortfall(ints(30, 10), 60, integer=True).tolist() == [45, 15]
    assert sc.spread_shortfall(ints(0, 0, 0), 10, integer=True).tolist() == [4, 3, 3]
    assert sc.spread_shortfall(ints(5, None), 8, integer=True).tolist() == [8, pd.NA]
    assert sc.spread_shortfall(ints(None, None), 3, integer=True).tolist() == [2, 1]
    assert sc.spread_shortfall(ints(70, 50), 100, integer=True).tolist() == [70, 50]  # met
    floats = pd.Series(pd.array([1.5, 0.5], dtype="Float64"))
    assert sc.spread_shortfall(floats, 3.0, integer=False).tolist() == [2.25, 0.75]


def test_edits_replace_base_values_without_touching_the_pack(pack: Pack) -> None:
    reg = sc.registry(pack)
    scenario = sc.new_scenario(pack, "Thêm nước", year=2023)
    scenario = sc.set_edit(scenario, CHI_LANG, "households_water", 50)
    scenario = sc.set_edit(scenario, CHI_LANG, "landfill", True)
    frame = sc.materialise(pack, scenario, reg)
    assert row(frame, CHI_LANG)["households_water"] == 50
    assert row(frame, CHI_LANG)["landfill"] is True
    assert row(frame, DONG_MO)["households_water"] == 90  # untouched commune
    assert pack.table_frames["env"]["households_water"].tolist() == [80, 30, 90, 40]


def test_a_scenario_on_another_scenario_layers_its_edits_over_the_parent(pack: Pack) -> None:
    parent = sc.set_edit(sc.new_scenario(pack, "A", year=2023), DONG_MO, "water_pct", 95.0)
    parent = sc.set_edit(parent, CHI_LANG, "water_pct", 75.0)
    child = sc.new_scenario(pack, "B", base=parent.id, year=2023)
    child = sc.set_edit(child, CHI_LANG, "water_pct", 85.0)
    reg = {**sc.registry(pack), parent.id: parent, child.id: child}
    assert sc.materialise(pack, child, reg)["water_pct"].tolist() == [95.0, 85.0]
    assert sc.base_frame(pack, child, reg)["water_pct"].tolist() == [95.0, 75.0]


def test_a_base_cycle_is_refused_with_the_chain(pack: Pack) -> None:
    a = sc.Scenario(id="a", pack_id=pack.id, name="A", base="b", year=2023)
    b = sc.Scenario(id="b", pack_id=pack.id, name="B", base="a", year=2023)
    with pytest.raises(sc.ScenarioError, match="A → B → A") as err:
        sc.materialise(pack, a, {"a": a, "b": b})
    assert err.value.problems[0].code == "base_cycle"


def test_an_unknown_base_is_refused(pack: Pack) -> None:
    orphan = sc.Scenario(id="x", pack_id=pack.id, name="X", base="gone", year=2023)
    with pytest.raises(sc.ScenarioError) as err:
        sc.materialise(pack, orphan, {})
    assert err.value.problems[0].code == "unknown_base"
    assert "gone" in err.value.problems[0].en


def test_a_year_without_data_starts_from_the_latest_year_before_it(pack: Pack) -> None:
    reg = sc.registry(pack)
    assert sc.base_year(pack, 2022) == 2021
    assert sc.base_year(pack, 2030) == 2023
    assert sc.base_year(pack, 2010) == 2021  # before any data: the first year
    frame = sc.materialise(pack, sc.new_scenario(pack, "x", year=2022), reg)
    assert frame["water_pct"].tolist() == [80.5, 60.0]


def test_stale_edits_for_unknown_communes_are_skipped_when_materialising(pack: Pack) -> None:
    scenario = sc.with_edits(
        sc.new_scenario(pack, "x", year=2023), {("99999", "water_pct"): 5.0, (DONG_MO, "nope"): 1}
    )
    frame = sc.materialise(pack, scenario, sc.registry(pack))
    assert frame["water_pct"].tolist() == [90.0, 70.0]
    codes = [p.code for p in sc.validate_scenario(pack, scenario, sc.registry(pack))]
    assert codes == ["unknown_commune", "unknown_column"]


# --- validation -------------------------------------------------------------------------------


def current(pack: Pack) -> pd.DataFrame:
    return kpi.measured_frame(pack, 2023)


def test_numerator_above_denominator_names_commune_and_both_fields(pack: Pack) -> None:
    _, problems = sc.validate_edit(pack, current(pack), DONG_MO, "households_water", 120)
    [p] = problems
    assert (p.code, p.commune, p.column) == ("exceeds_denominator", DONG_MO, "households_water")
    assert p.vi == ("Thị trấn Đồng Mỏ (06463): Số hộ có nước sạch (120) lớn hơn Số hộ (100).")
    assert p.en == (
        "Thị trấn Đồng Mỏ (06463): Households with clean water (120) is "
        "larger than Households (100)."
    )
    assert p.params["denominator_column"] == "households" and p.params["limit"] == "100"


def test_lowering_a_denominator_below_its_numerator_is_refused_on_that_field(pack: Pack) -> None:
    _, problems = sc.validate_edit(pack, current(pack), DONG_MO, "households", 70)
    assert [(p.code, p.column) for p in problems] == [("exceeds_denominator", "households")]
    # Worded about the numerator, which is now too large: 90 > 70.
    assert "Số hộ có nước sạch (90) lớn hơn" in problems[0].vi
    assert problems[0].vi.endswith("(70).")


@pytest.mark.parametrize(
    ("column", "raw", "code"),
    [
        ("water_pct", 101, "percent_range"),
        ("water_pct", -0.5, "percent_range"),
        ("water_pct", "abc", "not_number"),
        ("water_pct", float("inf"), "not_number"),
        ("households", -5, "negative"),
        ("households", 2.5, "not_int"),
        ("households", "many", "not_int"),
        ("households", True, "not_int"),
        ("landfill", "maybe", "not_bool"),
        ("landfill", 1.5, "not_bool"),
    ],
)
def test_wrong_values_are_refused_with_a_code(pack: Pack, column: str, raw, code: str) -> None:
    _, problems = sc.validate_edit(pack, current(pack), CHI_LANG, column, raw)
    assert [p.code for p in problems] == [code]
    assert "Thị trấn Chi Lăng (06466)" in problems[0].vi
    assert "Thị trấn Chi Lăng (06466)" in problems[0].en


@pytest.mark.parametrize(
    ("column", "raw", "value"),
    [
        ("households", "45.0", 45),
        ("households", 60.0, 60),
        ("water_pct", "99,5", 99.5),
        ("water_pct", 100, 100.0),
        ("landfill", "có", True),
        ("landfill", False, False),
        ("water_pct", "", None),
    ],
)
def test_good_values_are_typed(pack: Pack, column: str, raw, value) -> None:
    typed, problems = sc.validate_edit(pack, current(pack), CHI_LANG, column, raw)
    assert problems == [] and typed == value and type(typed) is type(value)


def test_messages_are_bilingual_with_field_labels(pack: Pack) -> None:
    _, [p] = sc.validate_edit(pack, current(pack), CHI_LANG, "water_pct", 150)
    assert p.message("vi") == "Thị trấn Chi Lăng (06466), Nước sạch: 150 nằm ngoài khoảng 0–100 %."
    assert p.message("en") == "Thị trấn Chi Lăng (06466), Clean water: 150 is outside 0–100 %."
    assert p.params["value"] == "150"


def test_unknown_commune_and_non_indicator_column_are_refused(cang_long: Pack) -> None:
    frame = kpi.measured_frame(cang_long, 2025)
    _, [p] = sc.validate_edit(cang_long, frame, "00000", "hamlets", 3)
    assert p.code == "unknown_commune"
    _, [p] = sc.validate_edit(cang_long, frame, "29266", "hamlets_internet_pct", 50)
    assert p.code == "unknown_column" and "agencies_fibre" in p.en


def test_cang_long_agencies_on_fibre_cannot_exceed_agencies(cang_long: Pack) -> None:
    frame = kpi.measured_frame(cang_long, 2025)
    _, [p] = sc.validate_edit(cang_long, frame, "29266", "agencies_fibre", 6)
    assert p.vi.startswith("Thị trấn Càng Long (29266): Cơ quan kết nối cáp quang")
    assert "Agencies on fibre (6) is larger than State agencies" in p.en
    assert sc.validate_edit(cang_long, frame, "29266", "agencies_fibre", 5)[1] == []


def test_validate_scenario_checks_every_edit(pack: Pack) -> None:
    scenario = sc.with_edits(
        sc.new_scenario(pack, "x", year=2023),
        {(DONG_MO, "households_water"): 101, (CHI_LANG, "water_pct"): 50.0},
    )
    problems = sc.validate_scenario(pack, scenario, sc.registry(pack))
    assert [p.code for p in problems] == ["exceeds_denominator"]


# --- copy, rename, describe, delete, names ------------------------------------------------------


def test_copy_of_a_builtin_is_an_editable_scenario_with_the_same_base(pack: Pack) -> None:
    source = sc.registry(pack)["measured-2021"]
    copy = sc.copy_scenario(source, "Bản của tôi")
    assert (copy.base, copy.year, copy.builtin, copy.version) == ("measured", 2021, False, 0)
    assert copy.id != source.id and len(copy.id) == 32


def test_copy_is_independent_of_its_source(pack: Pack) -> None:
    source = sc.set_edit(sc.new_scenario(pack, "A", year=2023), DONG_MO, "water_pct", 95.0)
    copy = sc.copy_scenario(source)
    changed = sc.set_edit(copy, DONG_MO, "water_pct", 99.0)
    assert copy.name == "A (bản sao)"
    assert source.edits == {(DONG_MO, "water_pct"): 95.0}
    assert changed.edits == {(DONG_MO, "water_pct"): 99.0}


def test_rename_describe_and_clear_edit_return_new_scenarios(pack: Pack) -> None:
    s = sc.set_edit(sc.new_scenario(pack, "A"), DONG_MO, "water_pct", 95.0)
    renamed = sc.describe(sc.rename(s, "  B  "), "Vì sao")
    assert (renamed.name, renamed.description, s.name) == ("B", "Vì sao", "A")
    assert sc.clear_edit(renamed, DONG_MO, "water_pct").edits == {}


def test_builtins_cannot_be_changed(pack: Pack) -> None:
    builtin = sc.registry(pack)["plan-2030"]
    for change in (
        lambda: sc.rename(builtin, "x"),
        lambda: sc.set_edit(builtin, DONG_MO, "water_pct", 1.0),
        lambda: sc.delete_scenario(sc.registry(pack), "plan-2030"),
    ):
        with pytest.raises(sc.ScenarioError, match="copy it instead"):
            change()


def test_a_scenario_used_as_a_base_cannot_be_deleted(pack: Pack) -> None:
    parent = sc.new_scenario(pack, "Gốc")
    child = sc.new_scenario(pack, "Con", base=parent.id)
    reg = {**sc.registry(pack), parent.id: parent, child.id: child}
    with pytest.raises(sc.ScenarioError, match="“Con”"):
        sc.delete_scenario(reg, parent.id)
    assert parent.id not in sc.delete_scenario(sc.delete_scenario(reg, child.id), parent.id)


def test_names_must_be_present_short_and_unique_ignoring_case_and_accents(pack: Pack) -> None:
    reg = sc.registry(pack)
    assert [p.code for p in sc.check_name("  ", reg)] == ["empty_name"]
    assert [p.code for p in sc.check_name("x" * 201, reg)] == ["long_name"]
    assert [p.code for p in sc.check_name("hien trang 2021", reg)] == ["duplicate_name"]
    assert sc.check_name("Hiện trạng 2021", reg, exclude_id="measured-2021") == []
    assert sc.check_name("Phương án A", reg) == []


def test_find_scenario_by_id_name_or_english_title(pack: Pack) -> None:
    reg = sc.registry(pack)
    assert sc.find_scenario(reg, "plan-2030").id == "plan-2030"
    assert sc.find_scenario(reg, "ke hoach 2030").id == "plan-2030"
    assert sc.find_scenario(reg, "Measured 2021").id == "measured-2021"
    with pytest.raises(sc.ScenarioError, match="Hiện trạng 2023"):
        sc.find_scenario(reg, "nope")


# --- CSV --------------------------------------------------------------------------------------


def test_csv_round_trip_keeps_every_edit_and_type(pack: Pack) -> None:
    edits = {
        (DONG_MO, "water_pct"): 95.25,
        (DONG_MO, "households"): 120,
        (CHI_LANG, "landfill"): True,
        (CHI_LANG, "households_water"): None,
    }
    scenario = sc.with_edits(sc.new_scenario(pack, "x", year=2023), edits)
    text = sc.edits_to_csv(pack, scenario)
    assert text.splitlines() == [
        "code,column,value",
        "06463,water_pct,95.25",
        "06463,households,120",
        "06466,landfill,true",
        "06466,households_water,",
    ]
    blank = sc.new_scenario(pack, "y", year=2023)
    parsed, problems = sc.edits_from_csv(pack, text, blank, sc.registry(pack))
    assert problems == [] and parsed == edits
    assert [type(v) for v in parsed.values()] == [float, int, bool, type(None)]


def test_csv_import_restores_codes_that_lost_their_leading_zero(pack: Pack) -> None:
    text = "code,column,value\n6463,water_pct,91\n"
    parsed, problems = sc.edits_from_csv(pack, text, sc.new_scenario(pack, "x"), {})
    assert problems == [] and parsed == {(DONG_MO, "water_pct"): 91.0}


def test_csv_import_reports_every_problem_with_its_row(pack: Pack) -> None:
    text = (
        "\ufeffcode,column,value\n"  # line 1 (a BOM is tolerated)
        "06463,water_pct,91\n"  # 2 fine
        "06463,water_pct,92\n"  # 3 duplicate of line 2
        "06466,households,-1\n"  # 4 negative count
        "99999,water_pct,1\n"  # 5 unknown commune
        "06466,households_water,60\n"  # 6 60 > 50 households
        "06466,colour,1\n"  # 7 not an indicator
    )
    parsed, problems = sc.edits_from_csv(
        pack, text, sc.new_scenario(pack, "x", year=2023), sc.registry(pack)
    )
    assert [(p.row, p.code) for p in problems] == [
        (3, "duplicate_row"),
        (4, "negative"),
        (5, "unknown_commune"),
        (7, "unknown_column"),
        (6, "exceeds_denominator"),
    ]
    assert problems[0].message("en").startswith("Row 3: Thị trấn Đồng Mỏ (06463), Clean water")
    assert "already given on row 2" in problems[0].en
    assert problems[1].message("vi").startswith("Dòng 4: ")


def test_csv_import_checks_pairs_against_the_scenario_s_own_edits(pack: Pack) -> None:
    scenario = sc.set_edit(sc.new_scenario(pack, "x", year=2023), CHI_LANG, "households", 80)
    text = "code,column,value\n06466,households_water,60\n"  # 60 ≤ the edited 80
    assert sc.edits_from_csv(pack, text, scenario, sc.registry(pack))[1] == []
    # Replacing all edits drops households = 80, so 60 > 50 again.
    problems = sc.edits_from_csv(pack, text, scenario, sc.registry(pack), replace_all=True)[1]
    assert [(p.row, p.code) for p in problems] == [(2, "exceeds_denominator")]


def test_csv_without_the_expected_header_is_refused_on_row_1(pack: Pack) -> None:
    parsed, [p] = sc.edits_from_csv(pack, "ma,cot,gia_tri\n", sc.new_scenario(pack, "x"), {})
    assert parsed == {} and (p.row, p.code) == (1, "bad_header")
    assert "code, column, value" in p.en


# --- CSV: the whole table ---------------------------------------------------------------------


def test_the_table_export_reads_back_into_the_same_figures(pack: Pack) -> None:
    reg = sc.registry(pack)
    source = sc.with_edits(
        sc.new_scenario(pack, "Nguồn", year=2023),
        {(DONG_MO, "water_pct"): 95.25, (CHI_LANG, "landfill"): True},
    )
    text = scenario_csv.table_to_csv(pack, source, reg)
    assert text.splitlines() == [
        "code,commune,water_pct,landfill,households,households_water,scenario,base,year",
        "06463,Thị trấn Đồng Mỏ,95.25,true,100,90,Nguồn,measured,2023",
        "06466,Thị trấn Chi Lăng,70.0,true,50,40,Nguồn,measured,2023",
    ]
    target = sc.new_scenario(pack, "Đích", year=2023)
    parsed = scenario_csv.read_csv(pack, text, target, reg)
    assert parsed.problems == [] and parsed.kind == "table"
    assert parsed.edits == source.edits
    assert parsed.source == {"scenario": "Nguồn", "base": "measured", "year": "2023"}
    assert parsed.ignored == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_table_for_people_reads_in_words_and_still_imports_back(pack: Pack, lang) -> None:
    from atlas.people_table import people_csv

    reg = sc.registry(pack)
    source = sc.with_edits(
        sc.new_scenario(pack, "Nguồn", year=2023),
        {(DONG_MO, "water_pct"): 95.25, (CHI_LANG, "landfill"): True},
    )
    table = scenario_csv.readable_table(pack, source, reg, lang)
    fields = sc.editable_fields(pack)
    assert table.columns[0] == ("Mã xã" if lang == "vi" else "Commune code")
    assert fields["landfill"].label.get(lang) in table.columns
    assert set(table[fields["landfill"].label.get(lang)]) <= (
        {"Có", "Không"} if lang == "vi" else {"Yes", "No"}
    )
    assert set(table.iloc[:, -2]) == {"Số liệu hiện trạng" if lang == "vi" else "Current figures"}
    text = people_csv(table, lang).decode("utf-8-sig")
    if lang == "vi":
        assert "95,25" in text and ";" in text.splitlines()[0]
    parsed = scenario_csv.read_csv(pack, text, sc.new_scenario(pack, "Đích", year=2023), reg)
    assert parsed.problems == [] and parsed.ignored == []
    assert parsed.edits == source.edits


def test_a_table_cell_equal_to_the_base_drops_the_edit_there(pack: Pack) -> None:
    edited = sc.with_edits(
        sc.new_scenario(pack, "x", year=2023),
        {(DONG_MO, "water_pct"): 50.0, (CHI_LANG, "households"): 80},
    )
    text = "code,water_pct\n06463,90\n"  # the 2023 measured value: back to the base
    parsed = scenario_csv.read_csv(pack, text, edited, sc.registry(pack))
    assert parsed.problems == [] and parsed.edits == {}
    assert parsed.apply(edited).edits == {(CHI_LANG, "households"): 80}  # not in the file
    assert parsed.apply(edited, replace_all=True).edits == {}


def test_semicolons_and_decimal_commas_from_a_vietnamese_excel_are_read(pack: Pack) -> None:
    text = (
        "\ufeffcode;commune;water_pct;landfill;ghi chú\n6463;Đồng Mỏ;95,5;có;x\n06466;;70;không;\n"
    )
    parsed = scenario_csv.read_csv(pack, text, sc.new_scenario(pack, "x", year=2023), {})
    assert parsed.delimiter == ";" and parsed.problems == []
    assert parsed.edits == {(DONG_MO, "water_pct"): 95.5}  # landfill and 70 are the base's
    assert parsed.ignored == ["ghi chú"]
    old = "code;column;value\n06463;water_pct;91,5\n"
    parsed = scenario_csv.read_csv(pack, old, sc.new_scenario(pack, "x", year=2023), {})
    assert (parsed.kind, parsed.edits) == ("edits", {(DONG_MO, "water_pct"): 91.5})


def test_table_problems_name_their_row_commune_and_field(pack: Pack) -> None:
    text = (
        "code,water_pct,households,households_water\n"  # 1
        "06463,120,100,90\n"  # 2: above 100 %
        "99999,50,1,1\n"  # 3: unknown commune
        '06466,"1.234,5",50,60\n'  # 4: not a number; 60 households with water > 50
        "06466,70,50,40\n"  # 5: the commune again
    )
    parsed = scenario_csv.read_csv(pack, text, sc.new_scenario(pack, "x", year=2023), {})
    assert [(p.row, p.code) for p in parsed.problems] == [
        (2, "percent_range"),
        (3, "unknown_commune"),
        (4, "not_number"),
        (5, "duplicate_commune"),
        (4, "exceeds_denominator"),
    ]
    assert parsed.problems[0].message("vi").startswith("Dòng 2: Thị trấn Đồng Mỏ (06463), Nước")
    assert parsed.problems[3].message("en") == (
        "Row 5: Thị trấn Chi Lăng (06466): this commune is already on row 4."
    )


def test_a_file_with_neither_header_is_refused_on_row_1_in_both_languages(pack: Pack) -> None:
    parsed = scenario_csv.read_csv(pack, "ma;ten\n1;2\n", sc.new_scenario(pack, "x"), {})
    [p] = parsed.problems
    assert (p.row, p.code) == (1, "bad_csv_header")
    assert "code, column, value" in p.en and "water_pct" in p.en and "ma, ten" in p.en
    assert p.message("vi").startswith("Dòng 1: Dòng đầu phải là tên các cột")


def test_files_are_decoded_as_utf8_or_windows_1258() -> None:
    assert scenario_csv.decode("\ufeffcode,commune\n1,Đồng Mỏ\n".encode()) == (
        "code,commune\n1,Đồng Mỏ\n"
    )
    # Windows-1258 writes "ồ" as "ô" and a combining grave accent: read back as one letter.
    assert scenario_csv.decode(b"code,commune\n1,\xd0\xf4\xccng\n") == "code,commune\n1,Đồng\n"
    assert scenario_csv.decode(b"PK\x03\x04\x14\x00\x06\x00") is None  # an .xlsx, renamed
    tab = "code\twater_pct\n06463\t91,5\n"
    assert scenario_csv.decode(tab.encode("utf-16")) == tab  # Excel's "Unicode text"
