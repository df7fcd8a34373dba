"""A data clerk's files of districts no pack ships, imported with `python -m atlas import` and at
most the province named: each lands within 1 m of its WGS 84 twin, joins every commune to the
GSO list by code, and the new pack is labelled with the province and district it lies in.

The files are made here: schematic communes of the district (Voronoi cells of the gazetteer's
reference points), with NFD names and integer codes as offices send them, written in the
systems and formats offices use."""

from __future__ import annotations

import geopandas as gpd
import pytest

from atlas.loader import load_pack
from cli import main as cli
from tests import format_fixtures as ff
from tests.accounts import cli_as
from tests.ingest_fixtures import max_distance_m, shapefile_zip, vector_bytes
from tests.test_data_page_places import district_cells
from tests.test_ingest_crs import project, with_esri_prj

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

# (district code, province as the clerk names it, the district's pre-2025 province code)
DISTRICTS = {
    "845": ("Trà Vinh", "84"),  # Cầu Kè, Mekong delta: TM-3 105°30′, UTM 48
    "186": ("Lạng Sơn", "20"),  # Hữu Lũng, the north: TM-3 107°15′, UTM 48/49 edge
    "508": ("Quảng Nam", "49"),  # Duy Xuyên, the centre: TM-3 107°45′, UTM 49
}
TM3 = {"845": 9209, "186": 9215, "508": 5899}
UTM_VN2000 = {"845": 3405, "186": 3405, "508": 3406}
GK_HN72 = {"845": 2044, "186": 2044, "508": 2045}


def _files(code: str, wgs: gpd.GeoDataFrame) -> dict[str, bytes]:
    """The same communes as an office might send them, one file per system and format."""
    return {
        "vn2000_tm3_noprj.zip": shapefile_zip(project(wgs, TM3[code]), prj=False),
        "vn2000_utm_esri.zip": with_esri_prj(project(wgs, UTM_VN2000[code]), UTM_VN2000[code]),
        "hn72_gk_esri.zip": with_esri_prj(project(wgs, GK_HN72[code]), GK_HN72[code]),
        "wgs84_utm.gpkg": vector_bytes(
            wgs.to_crs(32648 if code != "508" else 32649), ".gpkg", "GPKG"
        ),  # fmt: skip
        "mapinfo.zip": ff.mapinfo_zip(wgs),
        "xa.kml": vector_bytes(wgs, ".kml", "KML"),
    }


FILES = (
    "vn2000_tm3_noprj.zip",
    "vn2000_utm_esri.zip",
    "hn72_gk_esri.zip",
    "wgs84_utm.gpkg",
    "mapinfo.zip",
    "xa.kml",
)
CASES = [(code, name) for code in DISTRICTS for name in FILES]


@pytest.fixture(scope="module")
def twins() -> dict[str, gpd.GeoDataFrame]:
    return {code: district_cells(code) for code in DISTRICTS}


@pytest.mark.parametrize(("code", "name"), CASES)
def test_a_clerks_file_lands_joins_and_is_labelled_where_it_lies(
    code, name, twins, tmp_path, monkeypatch, capsys
):
    province, province_code = DISTRICTS[code]
    wgs = twins[code]
    path = tmp_path / name
    path.write_bytes(_files(code, wgs)[name])
    monkeypatch.setenv("ATLAS_USER_DATA", str(tmp_path / "packs"))
    status = cli.main(
        ["import", str(path), "--pack", "xa", "--province", province, *cli_as(monkeypatch)]
    )
    out = capsys.readouterr()
    assert status == 0, out.out + out.err
    pack = load_pack(tmp_path / "packs" / "xa").pack
    assert pack is not None
    assert pack.meta.province_code == province_code
    assert pack.meta.district_code == code
    layer = next(la for la in pack.layers if la.code_field)
    saved = pack.frames[layer.id].sort_values("code").reset_index(drop=True)
    expected = wgs.assign(code=wgs["ma_xa"].map(lambda c: f"{c:05d}"))
    expected = expected.sort_values("code").reset_index(drop=True)
    assert saved["code"].tolist() == expected["code"].tolist()  # every commune, by code
    assert max_distance_m(saved, expected) < 1.0


def test_a_table_of_a_district_without_a_pack_joins_to_its_provinces_gso_list(
    twins, tmp_path, monkeypatch, capsys
):
    rows = twins["845"].drop(columns="geometry").assign(so_km=1.5)
    rows["ten_xa"] = rows["ten_xa"].str.normalize("NFC").str.replace("Xã ", "X. ", regex=False)
    path = tmp_path / "bang.csv"
    rows[["ten_xa", "so_km"]].to_csv(path, index=False)
    monkeypatch.setenv("ATLAS_USER_DATA", str(tmp_path / "packs"))
    # A table on its own cannot make a pack (it needs a commune layer): the join is printed.
    cli.main(
        ["import", str(path), "--pack", "bang", "--province", "Trà Vinh", *cli_as(monkeypatch)]
    )
    out = capsys.readouterr().out
    assert f"name {len(rows)}" in out and "unmatched 0" in out, out
