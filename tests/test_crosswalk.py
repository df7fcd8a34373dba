"""The 2025 crosswalk: every old commune of the shipped packs maps to new communes whose
geometry tiles the district, and counts carried over keep the district totals, year by year."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from atlas import crosswalk, reorg
from atlas.loader import load_pack
from atlas.spec import Pack
from cli.main import main as cli_main

REPO = Path(__file__).resolve().parent.parent
PACKS = ["cang_long", "chi_lang"]
# A count column of each shipped pack's table, checked district-wide for every year.
COUNTS = {"cang_long": ("telecom", "hamlets"), "chi_lang": ("environment", "population")}


@pytest.fixture(scope="module", params=PACKS)
def pack(request) -> Pack:
    result = load_pack(REPO / "geodata" / request.param)
    assert result.pack is not None, result.report
    return result.pack


def _areas(new: pd.DataFrame, district) -> tuple[float, float]:
    """(overlap, gap) between the new communes and the district, as fractions of its area."""
    geoms = [g for g in new.geometry if not g.is_empty]
    union = shapely.union_all(geoms)
    overlap = sum(g.area for g in geoms) - union.area
    gap = shapely.difference(district, union).area + shapely.difference(union, district).area
    return overlap / district.area, gap / district.area


def _district(pack: Pack):
    frame = pack.frames["district"].to_crs(reorg.METRIC_CRS)
    return shapely.union_all(frame.geometry.values)


def test_crosswalk_file_shares_sum_to_one_per_old_commune():
    table = crosswalk.load_crosswalk()
    assert table["old_code"].str.fullmatch(r"\d{5}").all()
    assert table["new_code"].str.fullmatch(r"\d{5}").all()
    assert not table.duplicated(["old_code", "new_code"]).any()
    sums = table.groupby("old_code")["share"].sum()
    assert np.allclose(sums, 1.0)
    assert set(table["method"]) == {"whole", "equal_split"}


def test_every_old_commune_maps_to_a_new_one(pack: Pack):
    assert crosswalk.unmapped(pack) == []
    rows = crosswalk.for_pack(pack)
    assert set(rows["old_code"]) == set(crosswalk.pack_codes(pack))
    assert (rows["new_province_code"] == rows["new_province_code"].iloc[0]).all()


def test_shipped_packs_collapse_into_a_few_new_communes(pack: Pack):
    new = crosswalk.new_communes(pack)
    expected = {"cang_long": 5, "chi_lang": 6}[pack.id]
    assert len(new) == expected
    assert (new["outside"] == 0).all()  # the new communes lie wholly in the old district
    if pack.id == "cang_long":
        assert set(new["province"]) == {"Tỉnh Vĩnh Long"}  # Trà Vinh is now part of Vĩnh Long


def test_new_geometry_tiles_the_district(pack: Pack):
    new = reorg.new_commune_geometry(pack)
    assert new["schematic"].all()
    assert not new.geometry.is_empty.any()
    overlap, gap = _areas(new.to_crs(reorg.METRIC_CRS), _district(pack))
    assert overlap < 1e-3
    assert gap < 1e-3


def test_counts_carried_over_keep_district_totals_every_year(pack: Pack):
    table_id, column = COUNTS[pack.id]
    old = pack.table_frames[table_id]
    new = reorg.carry_over(pack, old)
    assert new.attrs["methods"][column] == "sum"
    assert new[column].dtype == "Int64"
    years = sorted(old["year"].dropna().unique())
    assert sorted(new["year"].unique()) == years
    for year in years:
        before = old.loc[old["year"] == year, column].sum()
        after = new.loc[new["year"] == year, column].sum()
        assert int(before) == int(after), year


def test_shares_reweighted_and_booleans_flagged(pack: Pack):
    new = reorg.carry_over(pack, pack.table_frames[pack.tables[0].id])
    methods = new.attrs["methods"]
    if pack.id == "chi_lang":
        assert methods["clean_water_pct"] == "weighted:population"
        assert methods["landfill"].endswith("(approximate)")
        old = pack.table_frames["environment"]
        y = old[old["year"] == 2024]
        # The district's population-weighted mean is the same before and after.
        before = (y["clean_water_pct"] * y["population"]).sum() / y["population"].sum()
        n = new[new["year"] == 2024]
        after = (n["clean_water_pct"] * n["population"]).sum() / n["population"].sum()
        assert after == pytest.approx(float(before))
    else:
        assert methods["hamlets_internet_pct"] == "weighted:hamlets"
        assert methods["fibre_centre"].endswith("(approximate)")
        assert new["fibre_centre"].between(0, 100).all()


def test_unknown_column_is_na_with_a_note():
    pack = load_pack(REPO / "geodata" / "chi_lang").pack
    new = reorg.carry_over(pack, weights={"clean_water_pct": "households"}, table_id="environment")
    assert new["clean_water_pct"].isna().all()
    assert new.attrs["methods"]["clean_water_pct"] == "unavailable"
    assert "households" in new.attrs["notes"]["clean_water_pct"]


# --- divided old communes (none in the shipped packs: a crosswalk made up for the test) --------


@pytest.fixture(scope="module")
def divided(tmp_path_factory) -> tuple[Pack, Path]:
    """Càng Long with old commune 29284 divided among An Trường and Tân An (equal split)."""
    pack = load_pack(REPO / "geodata" / "cang_long").pack
    table = crosswalk.load_crosswalk()
    row = table[(table["old_code"] == "29284")].iloc[0].copy()
    other = table[(table["old_code"] == "29278")].iloc[0]
    second = row.copy()
    for col in ("new_code", "new_name", "new_lat", "new_lon", "new_area_km2"):
        second[col] = other[col]
    row["share"] = second["share"] = 0.5
    row["method"] = second["method"] = "equal_split"
    table = pd.concat(
        [table[table["old_code"] != "29284"], pd.DataFrame([row, second])], ignore_index=True
    )
    path = tmp_path_factory.mktemp("cw") / "crosswalk.csv"
    table.to_csv(path, index=False)
    return pack, path


def test_divided_commune_is_split_without_gap_or_overlap(divided):
    pack, path = divided
    new = reorg.new_commune_geometry(pack, path)
    assert new.set_index("code").loc[["29275", "29278"], "divided"].all()
    overlap, gap = _areas(new.to_crs(reorg.METRIC_CRS), _district(pack))
    assert overlap < 1e-3
    assert gap < 1e-3


def test_divided_commune_counts_stay_whole_numbers_and_totals(divided):
    pack, path = divided
    old = pack.table_frames["telecom"]
    new = reorg.carry_over(pack, old, path=path)
    for year in sorted(old["year"].unique()):
        for column in ("hamlets", "agencies", "hamlets_internet"):
            before = old.loc[old["year"] == year, column].sum()
            assert int(new.loc[new["year"] == year, column].sum()) == int(before)
    assert new["hamlets"].dtype == "Int64"


def test_split_polygon_with_a_point_outside():
    square = shapely.box(0, 0, 1000, 1000)
    points = [shapely.Point(200, 500), shapely.Point(800, 500), shapely.Point(5000, 5000)]
    pieces = reorg.split_polygon(square, points)
    assert len(pieces) == 3
    assert all(p.area > 0 for p in pieces)
    assert sum(p.area for p in pieces) == pytest.approx(square.area)
    assert shapely.union_all(pieces).area == pytest.approx(square.area)


def test_cli_crosswalk_text_and_csv(capsys):
    assert cli_main(["crosswalk", str(REPO / "geodata" / "cang_long")]) == 0
    text = capsys.readouterr().out
    assert "29269 Xã Mỹ Cẩm → 29266 Xã Càng Long" in text
    assert cli_main(["crosswalk", str(REPO / "geodata" / "chi_lang"), "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 20
    assert rows[0]["old_code"] == "06463"
    assert set(rows[0]) == {"old_code", "old_name", "new_code", "new_name", "new_province", "share"}


def test_manifest_carry_key_decides_how_a_column_is_carried(tmp_path: Path):
    """`carry` on a table column: a weight column, "sum", or "none" (NA with a note)."""
    from tests.packfactory import MANIFEST, make_pack

    manifest = MANIFEST.replace(
        'name = "water_pct"\n', 'name = "water_pct"\ncarry = "households"\n'
    ).replace('name = "landfill"\n', 'name = "landfill"\ncarry = "none"\n')
    manifest = manifest.replace(
        "[[targets]]",
        '[[tables.columns]]\nname = "households"\nlabel = { vi = "Số hộ", en = "Households" }\n'
        'type = "int"\n\n[[targets]]',
    )
    table = (
        "code,year,water_pct,landfill,households\n06463,2021,80,true,300\n06466,2021,40,false,100\n"
    )
    pack = load_pack(make_pack(tmp_path, manifest=manifest, table=table)).pack
    out = reorg.carry_over(pack, table_id="env")
    assert out.attrs["methods"]["water_pct"] == "weighted:households"
    assert float(out["water_pct"][0]) == pytest.approx(70.0)  # (80·300 + 40·100) / 400
    assert out.attrs["methods"]["landfill"] == "unavailable"
    assert "carry = 'none'" in out.attrs["notes"]["landfill"]
    assert int(out["households"][0]) == 400


def test_manifest_carry_naming_an_unknown_column_is_an_error(tmp_path: Path):
    from tests.packfactory import MANIFEST, make_pack

    manifest = MANIFEST.replace('name = "water_pct"\n', 'name = "water_pct"\ncarry = "nope"\n')
    result = load_pack(make_pack(tmp_path, manifest=manifest))
    assert result.pack is None
    assert any(
        i.field == "carry" and "'nope'" in i.text("vi") and "'nope'" in i.text("en")
        for i in result.report.errors
    )
