"""`new-pack --nation`: the whole country's pack, its province and national outlines.

A real nation pack takes ~40 s (10,035 Voronoi cells), so these tests shrink the gazetteer's
commune list to three provinces: the code paths (every commune, province outlines tiling the
country, the national outline, id and codes, the CLI flag) are the same. The full-size pack
is measured by `bench/new_pack.py --nation`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely

from atlas import gazetteer
from atlas.loader import load_pack
from atlas.newpack import NATION, NewPackError, create_pack, find_area, nation_area
from cli.main import main
from tests.accounts import cli_as

pytestmark = pytest.mark.skipif(not gazetteer.available(), reason="gazetteer not generated")

PROVINCES = {"84", "86", "20"}  # Trà Vinh, Vĩnh Long (pre-2025), Lạng Sơn: two regions


@pytest.fixture()
def small_country(monkeypatch: pytest.MonkeyPatch) -> None:
    real = gazetteer.units

    def units(structure: str, level: str, *args, **kwargs):
        frame = real(structure, level, *args, **kwargs)
        if structure == "pre2025" and level == "commune":
            return frame[frame["province_code"].isin(PROVINCES)]
        return frame

    monkeypatch.setattr(gazetteer, "units", units)


def test_the_nation_is_every_pre_2025_commune_once() -> None:
    area = nation_area()
    communes = gazetteer.units("pre2025", "commune")
    assert area.level == NATION and area.unit.code == "00"
    assert len(area.communes) == len(communes) > 10_000
    assert area.communes["code"].is_unique


def test_a_nation_pack_takes_no_province_or_district() -> None:
    with pytest.raises(NewPackError) as err:
        find_area("Vĩnh Long", nation=True)
    assert "--province" in err.value.en and "--province" in err.value.vi


def test_the_nation_pack_has_province_outlines_and_the_national_outline(
    small_country, tmp_path: Path
) -> None:
    result = create_pack(nation=True, root=tmp_path)
    assert result.pack_id == "viet_nam"
    loaded = load_pack(result.path)
    assert loaded.pack is not None, [i.describe("en") for i in loaded.report.errors]
    pack = loaded.pack
    assert [la.id for la in pack.layers] == ["communes", "provinces", "nation"]
    assert (pack.meta.province_code, pack.meta.district_code) == ("00", "000")
    assert pack.meta.name.en == "Viet Nam" and pack.honesty.geometry == "schematic"
    communes = pack.frames["communes"]
    provinces = pack.frames["provinces"]
    assert set(provinces["code"]) == PROVINCES
    assert set(communes["province_code"]) == PROVINCES
    union = shapely.union_all(communes.geometry.values)
    provinces_union = shapely.union_all(provinces.geometry.values)
    nation = pack.frames["nation"].geometry.iloc[0]
    assert provinces_union.symmetric_difference(union).area < 1e-9
    assert nation.symmetric_difference(union).area < 1e-9
    overlap = sum(shapely.area(provinces.geometry.values)) - union.area
    assert abs(overlap) < 1e-9 * union.area  # no province overlaps another


def test_cli_nation_flag(small_country, tmp_path: Path, capsys, monkeypatch) -> None:
    assert (
        main(
            [
                "new-pack",
                "--nation",
                "--root",
                str(tmp_path),
                "--id",
                "ca_nuoc",
                *cli_as(monkeypatch),
            ]
        )
        == 0
    )
    out = capsys.readouterr()
    assert out.out.startswith("ca_nuoc\t") and "%]" in out.err
    assert (tmp_path / "ca_nuoc" / "layers" / "provinces.geojson").is_file()
