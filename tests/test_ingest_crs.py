"""Coordinate systems and location sanity: every office system (VN-2000 TM-3/UTM, HN-72
Gauss–Krüger, WGS 84 and Indian 1960 UTM) lands within a metre of the WGS 84 twin, from a
`.prj`, from a MapInfo header or confirmed without one; proposals are ranked by where the data
lands; misplaced data is named, warned about and not saved without a confirmation; a new pack
is labelled with the province and district the data lies in.

The corpus is made here from the shipped packs' communes, projected with pyproj's own EPSG
operation for each datum (picked by name), so the import is checked against EPSG."""

from __future__ import annotations

import io
import tempfile
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from pyproj import CRS, Transformer
from pyproj.transformer import TransformerGroup

from atlas.ingest import ImportPlan, IngestError, inspect_upload, save_import
from atlas.ingest.datums import HN72, INDIAN1960, VN2000, datum_of, pin_datum_shift
from atlas.ingest.systems import source_crs
from atlas.ingest.vn2000 import province_zone
from atlas.loader import load_pack
from tests.accounts import cli_as
from tests.conftest import REPO_ROOT
from tests.ingest_fixtures import communes_wgs84, max_distance_m, shapefile_zip

warnings.filterwarnings("ignore", category=UserWarning, module="pyproj")

# EPSG code → the name of the datum operation EPSG defines for it (None: already WGS 84).
OPERATION = {
    9209: "VN-2000 to WGS 84 (2)",
    9215: "VN-2000 to WGS 84 (2)",
    5899: "VN-2000 to WGS 84 (2)",
    3405: "VN-2000 to WGS 84 (2)",
    3406: "VN-2000 to WGS 84 (2)",
    2044: "Hanoi 1972 to WGS 84 (1)",
    2045: "Hanoi 1972 to WGS 84 (1)",
    2093: "Hanoi 1972 to WGS 84 (1)",
    32648: None,
    32649: None,
    3148: "Indian 1960 to WGS 84 (2)",
    3149: "Indian 1960 to WGS 84 (2)",
}


def chi_lang() -> gpd.GeoDataFrame:
    frame = load_pack(REPO_ROOT / "geodata" / "chi_lang").pack.frames["communes"]
    return frame[["code", "name", "geometry"]].copy().reset_index(drop=True)


class _Operation:
    """WGS 84 → `epsg`: the EPSG datum operation named in OPERATION (picked by name, whatever
    its area of use), then the zone's projection on that datum."""

    def __init__(self, epsg: int) -> None:
        target = CRS.from_epsg(epsg)
        base = target.geodetic_crs
        name = OPERATION[epsg]
        group = TransformerGroup("EPSG:4326", base, always_xy=True)
        self.shift = next(t for t in group.transformers if name in t.description) if name else None
        self.projection = Transformer.from_crs(base, target, always_xy=True)

    def transform(self, x, y):
        if self.shift is not None:
            x, y = self.shift.transform(x, y)
        return self.projection.transform(x, y)


def _operation(epsg: int) -> _Operation:
    return _Operation(epsg)


def project(frame: gpd.GeoDataFrame, epsg: int) -> gpd.GeoDataFrame:
    tr = _operation(epsg)

    def move(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(tr.transform(xy[:, 0], xy[:, 1]))

    geoms = shapely.transform(frame.geometry.values, move)
    return gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=geoms, crs=f"EPSG:{epsg}")


def with_esri_prj(frame: gpd.GeoDataFrame, epsg: int) -> bytes:
    """A zipped shapefile whose .prj is pyproj's ESRI WKT of `epsg` (what ArcGIS writes)."""
    plain = zipfile.ZipFile(io.BytesIO(shapefile_zip(frame, prj=False)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name in plain.namelist():
            archive.writestr(name, plain.read(name))
        archive.writestr("xa.prj", CRS.from_epsg(epsg).to_wkt("WKT1_ESRI"))
    return buf.getvalue()


def read_as_mapinfo(frame: gpd.GeoDataFrame, suffix: str = ".mif") -> gpd.GeoDataFrame:
    """`frame` written with GDAL's MapInfo driver and read back (header → GDAL's CRS)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"xa{suffix}"
        pyogrio.write_dataframe(frame, path, driver="MapInfo File")
        return pyogrio.read_dataframe(path)


CASES = [(communes_wgs84, e) for e in (9209, 3405, 3406, 2044, 2045, 32648, 32649, 3148, 3149)]
CASES.append((chi_lang, 9215))


@pytest.mark.parametrize(("twin", "epsg"), CASES)
def test_shapefile_with_esri_prj_lands_within_a_metre_in_every_office_system(twin, epsg):
    wgs = twin()
    insp = inspect_upload("xa.zip", with_esri_prj(project(wgs, epsg), epsg))
    assert insp.ok and insp.crs_source == "file", insp.report.issues
    assert max_distance_m(insp.frame, wgs) < 1.0
    assert not insp.location_problem
    datum = datum_of(CRS.from_epsg(epsg))
    assert insp.crs.startswith(f"EPSG:{epsg} ")
    assert (datum is None) or insp.crs.endswith(f"+ EPSG:{datum.operation} datum shift")


@pytest.mark.parametrize(
    ("epsg", "datum"),
    [(9209, VN2000), (3405, VN2000), (2044, HN72), (2045, HN72), (3148, INDIAN1960)],
)
def test_esri_datum_names_are_recognised(epsg, datum):
    esri = CRS.from_wkt(CRS.from_epsg(epsg).to_wkt("WKT1_ESRI"))
    assert datum_of(esri) is datum
    assert datum_of(CRS.from_epsg(32648)) is None


def test_datum_is_recognised_from_towgs84_parameters_when_the_name_says_nothing():
    hn72 = CRS.from_proj4(
        "+proj=tmerc +lon_0=105 +k=1 +x_0=18500000 +ellps=krass "
        "+towgs84=-17.51,-108.32,-62.39,0,0,0,0 +units=m +no_defs +type=crs"
    )
    assert datum_of(hn72) is HN72


def test_hn72_shift_is_pinned_where_pyproj_would_fall_back_to_a_ballpark_offset():
    # EPSG:1544 is defined for Vũng Tàu only; Chi Lăng (Lạng Sơn) is far outside its area.
    x, y = _operation(2044).transform(106.6, 21.65)
    ours = Transformer.from_crs(pin_datum_shift(CRS.from_epsg(2044)), 4326, always_xy=True)
    default = Transformer.from_crs(CRS.from_epsg(2044), 4326, always_xy=True)
    lon, lat = ours.transform(x, y)
    assert abs(lon - 106.6) < 1e-7 and abs(lat - 21.65) < 1e-7
    dlon, dlat = (v - w for v, w in zip(default.transform(x, y), (106.6, 21.65), strict=True))
    assert max(abs(dlon), abs(dlat)) > 2e-4  # ~50 m: the ballpark offset is not good enough


@pytest.mark.parametrize("epsg", [9209, 2044, 3148])
def test_mapinfo_file_lands_within_a_metre(epsg):
    wgs = communes_wgs84()
    native = project(wgs, epsg)
    for frame in (native, native.set_crs(pin_datum_shift(native.crs), allow_override=True)):
        back = read_as_mapinfo(frame)
        source, _ = source_crs(back.crs)
        assert datum_of(source) is datum_of(CRS.from_epsg(epsg))
        landed = back.set_crs(source, allow_override=True).to_crs(4326)
        assert max_distance_m(landed, wgs) < 1.0


def test_mapinfo_tab_header_with_vn2000_parameters_keeps_the_datum():
    frame = project(communes_wgs84(), 9209)
    back = read_as_mapinfo(frame.set_crs(pin_datum_shift(frame.crs), allow_override=True), ".tab")
    source, note = source_crs(back.crs)
    assert note is None and datum_of(source) is VN2000


def test_mapinfo_header_that_lost_vn2000_is_read_as_vn2000_with_a_note():
    back = read_as_mapinfo(project(communes_wgs84(), 9209))  # GDAL writes datum 104 (WGS 84)
    source, note = source_crs(back.crs)
    assert datum_of(source) is VN2000
    assert note is not None and "VN-2000" in note[0] and "VN-2000" in note[1]


@pytest.mark.parametrize(
    ("twin", "epsg", "first"),
    [
        (communes_wgs84, 9209, "EPSG:9209"),
        (chi_lang, 9215, "EPSG:9215"),
        (communes_wgs84, 2044, "EPSG:2044"),
        (chi_lang, 2044, "EPSG:2044"),
    ],
)
def test_metres_without_prj_put_the_right_system_first_with_no_province(twin, epsg, first):
    wgs = twin()
    data = shapefile_zip(project(wgs, epsg), prj=False)
    insp = inspect_upload("xa.zip", data)
    assert insp.needs_crs and insp.report.ok
    assert insp.proposals[0].crs == first
    assert all(p.inside_vietnam for p in insp.proposals)
    confirmed = inspect_upload("xa.zip", data, crs=insp.proposals[0].crs)
    assert confirmed.ok and max_distance_m(confirmed.frame, wgs) < 1.0


def test_trà_vinh_proposal_is_named_after_trà_vinh_not_a_fixed_list():
    insp = inspect_upload("xa.zip", shapefile_zip(project(communes_wgs84(), 9209), prj=False))
    assert insp.proposals[0].province == "Trà Vinh" and insp.proposals[0].lands_in == "Trà Vinh"
    assert "Khánh Hòa" not in [p.province for p in insp.proposals[:3]]


@pytest.mark.parametrize("epsg", [3405, 32648, 3148])
def test_utm_metres_without_prj_propose_that_system_and_land_within_a_metre(epsg):
    wgs = communes_wgs84()
    data = shapefile_zip(project(wgs, epsg), prj=False)
    insp = inspect_upload("xa.zip", data)
    assert f"EPSG:{epsg}" in [p.crs for p in insp.proposals[:4]]
    confirmed = inspect_upload("xa.zip", data, crs=f"EPSG:{epsg}")
    assert confirmed.ok and max_distance_m(confirmed.frame, wgs) < 1.0


def _wrong_province():
    data = shapefile_zip(project(communes_wgs84(), 9209), prj=False)
    return inspect_upload("xa.zip", data, crs=province_zone("Lạng Sơn").crs, province="Lạng Sơn")


def test_no_prj_confirmed_with_the_wrong_province_warns_naming_the_real_province():
    insp = _wrong_province()
    assert insp.location_problem and not insp.location.inside_vietnam
    assert insp.location.distance_km > 100
    warning = insp.location.warning
    assert "Trà Vinh" in warning.vi and "Trà Vinh" in warning.en
    assert "Lạng Sơn" in warning.en and "km" in warning.en
    assert any("Trà Vinh" in i.describe("en") for i in insp.report.warnings)
    assert insp.proposals[0].crs == "EPSG:9209"


def test_misplaced_upload_is_not_saved_without_confirmation(tmp_path):
    insp = _wrong_province()
    with pytest.raises(IngestError) as caught:
        save_import(insp, ImportPlan("xa_lech"), root=tmp_path)
    assert "Trà Vinh" in caught.value.vi and "Trà Vinh" in caught.value.en
    assert not (tmp_path / "xa_lech").exists()
    saved = save_import(insp, ImportPlan("xa_lech", confirm_location=True), root=tmp_path)
    assert saved.created


def test_named_province_that_the_data_is_in_gives_no_warning():
    data = shapefile_zip(project(communes_wgs84(), 9209), prj=False)
    insp = inspect_upload("xa.zip", data, crs="EPSG:9209", province="Trà Vinh")
    assert insp.ok and not insp.location_problem
    assert insp.location.province == "Trà Vinh" and insp.location.district == "Huyện Càng Long"
    assert insp.location.distance_km == 0


def test_lonlat_data_far_from_vietnam_is_flagged():
    far = communes_wgs84()
    far["geometry"] = far.geometry.translate(xoff=-100.0, yoff=30.0)
    insp = inspect_upload("xa.geojson", far.to_json().encode())
    assert insp.location_problem and not insp.location.inside_vietnam


def test_pack_from_trà_vinh_data_is_labelled_trà_vinh_and_càng_long(tmp_path):
    data = shapefile_zip(project(communes_wgs84(), 9209), prj=False)
    insp = inspect_upload("xa.zip", data, crs="EPSG:9209")
    plan = ImportPlan("xa_tv", province="Hà Nội")  # a stale default must not win
    pack = load_pack(save_import(insp, plan, root=tmp_path).path).pack
    assert (pack.meta.province_code, pack.meta.district_code) == ("84", "844")
    assert pack.meta.province.vi == "Tỉnh Trà Vinh"


def test_pack_spanning_several_districts_names_no_district(tmp_path):
    both = gpd.GeoDataFrame(
        [*communes_wgs84()[["code", "name", "geometry"]].itertuples(index=False), *chi_lang()
         .itertuples(index=False)], columns=["code", "name", "geometry"], crs="EPSG:4326",
    )  # fmt: skip
    insp = inspect_upload("hai_huyen.geojson", both.to_json().encode())
    assert insp.ok and insp.location.district is None
    pack = load_pack(save_import(insp, ImportPlan("hai_huyen"), root=tmp_path).path).pack
    assert pack.meta.district_code == "000" and pack.meta.province_code == "20"


def test_cli_refuses_a_misplaced_import_unless_the_location_is_confirmed(
    tmp_path, capsys, monkeypatch
):
    from cli import main as cli

    monkeypatch.setenv("ATLAS_USER_DATA", str(tmp_path / "data"))
    path = tmp_path / "xa.zip"
    path.write_bytes(shapefile_zip(project(communes_wgs84(), 9209), prj=False))
    args = [
        "import",
        str(path),
        "--pack",
        "cli_lech",
        "--province",
        "Lạng Sơn",
        *cli_as(monkeypatch),
    ]
    assert cli.main(args) == 1
    captured = capsys.readouterr()
    assert "location" in captured.out and "Trà Vinh" in captured.err
    assert not (tmp_path / "data" / "cli_lech").exists()
    assert cli.main([*args, "--confirm-location"]) == 0
    assert load_pack(tmp_path / "data" / "cli_lech").pack is not None


def test_points_that_fit_several_zones_are_marked_equally_likely_until_a_province_is_named():
    points = communes_wgs84()[["area_km2", "geometry"]]
    points["geometry"] = points.geometry.representative_point()
    data = shapefile_zip(project(points, 9209), prj=False)
    insp = inspect_upload("diem.zip", data)
    tied = [p.crs for p in insp.proposals if p.equally_likely]
    assert "EPSG:9209" in tied and len(tied) > 1
    assert "tỉnh" in insp.report.warnings[-1].describe("vi")
    named = inspect_upload("diem.zip", data, province="Trà Vinh")
    assert named.proposals[0].crs == "EPSG:9209" and not named.proposals[0].equally_likely


def test_points_whose_codes_name_the_communes_they_land_in_rank_their_zone_first():
    points = communes_wgs84()
    points["geometry"] = points.geometry.representative_point()
    insp = inspect_upload("diem.zip", shapefile_zip(project(points, 9209), prj=False))
    assert insp.proposals[0].crs == "EPSG:9209" and not insp.proposals[0].equally_likely


def test_cli_province_picks_the_best_landing_system_not_only_the_tm3_zone(tmp_path, capsys):
    from cli import main as cli

    path = tmp_path / "gk.zip"
    path.write_bytes(shapefile_zip(project(communes_wgs84(), 2044), prj=False))
    assert cli.main(["inspect", str(path), "--province", "Trà Vinh"]) == 0
    out = capsys.readouterr().out
    assert "EPSG:2044" in out and "EPSG:1544" in out and "Huyện Càng Long" in out


def test_vn2000_from_parameters_with_other_rotation_signs_gets_the_epsg_6960_shift():
    flipped = CRS.from_proj4(
        "+proj=tmerc +lon_0=105.5 +k=0.9999 +x_0=500000 +ellps=WGS84 +towgs84="
        "-191.90441429,-39.30318279,-111.45032835,-0.00928836,0.01975479,-0.00427372,0.252906278"
        " +units=m +no_defs +type=crs"
    )
    assert datum_of(flipped) is VN2000
    assert pin_datum_shift(flipped).to_dict()["towgs84"] == [
        float(v) for v in VN2000.towgs84.split(",")
    ]


def test_pack_on_post_2025_communes_takes_the_2025_province_and_no_district(monkeypatch):
    # Every 2025 code is also a pre-2025 code in the crosswalk, so the codes alone rarely say
    # "post2025"; when they do, the province is the 2025 one where the data lies.
    from atlas.ingest import save

    monkeypatch.setattr(save, "_from_codes", lambda codes: (None, None, "post2025"))
    insp = inspect_upload("xa.geojson", communes_wgs84().to_json().encode())
    section = save._pack_section(ImportPlan("xa_2025"), ["29266"], insp.bounds, insp.location)
    assert section["admin_structure"] == "post2025"
    assert (section["province_code"], section["district_code"]) == ("86", "000")
    assert section["province"]["vi"] == "Tỉnh Vĩnh Long"


def test_hn72_gk_106_without_a_zone_number_is_proposed_and_lands_on_the_communes():
    communes = chi_lang()
    data = shapefile_zip(project(communes, 2093), prj=False)
    insp = inspect_upload("hn72.zip", data)
    assert "EPSG:2093" in [p.crs for p in insp.proposals]
    confirmed = inspect_upload("hn72.zip", data, crs="EPSG:2093")
    assert max_distance_m(confirmed.frame, communes) < 1.0


def test_a_neighbouring_zone_that_still_lands_on_land_is_doubted_by_the_files_own_codes(
    tmp_path,
):
    from atlas.ingest import ImportPlan, IngestError, save_import, suggest_mapping

    data = shapefile_zip(project(communes_wgs84(), 9209), prj=False)
    right = inspect_upload("xa.zip", data, crs="EPSG:9209")
    assert not right.location_problem
    wrong = inspect_upload("xa.zip", data, crs="EPSG:9210")  # Bến Tre's zone: ~25 km east
    assert wrong.location.inside_vietnam and wrong.location_problem
    assert "EPSG:9209" in wrong.location.warning.en and "0%" in wrong.location.warning.en
    assert wrong.proposals[0].crs == "EPSG:9209"
    plan = ImportPlan("xa", suggest_mapping(wrong.columns, wrong.data))
    with pytest.raises(IngestError, match="EPSG:9209"):
        save_import(wrong, plan, root=tmp_path)
    assert not (tmp_path / "xa").exists()
