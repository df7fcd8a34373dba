"""VN-2000: the datum shift equals EPSG:6960 (TM-3 and UTM alike), zones come from the
province's meridian and are ranked by where the data lands, and a shapefile in a TM-3 zone
lands within a metre of its WGS84 twin with or without a .prj. Other office systems:
tests/test_ingest_crs.py."""

from __future__ import annotations

import warnings

import pytest
from pyproj import CRS, Transformer
from pyproj.transformer import TransformerGroup

from atlas.ingest import inspect_upload, propose_zones, province_zone
from atlas.ingest.vn2000 import (
    PROVINCES,
    TOWGS84,
    ZONE_EPSG,
    find_province,
    resolve_crs,
    with_datum_shift,
)
from tests.ingest_fixtures import (
    communes_wgs84,
    epsg6960,
    max_distance_m,
    messy,
    shapefile_zip,
    to_vn2000,
)

warnings.filterwarnings("ignore", category=UserWarning, module="pyproj")


def test_towgs84_flips_the_rotation_signs_of_the_coordinate_frame_parameters():
    values = [float(v) for v in TOWGS84.split(",")]
    assert values[:3] == pytest.approx([-191.90441429, -39.30318279, -111.45032835])
    assert values[3:6] == pytest.approx([0.00928836, -0.01975479, 0.00427372])
    assert values[6] == pytest.approx(0.252906278)


@pytest.mark.parametrize("epsg", [9209, 9211, 9215, 5899])
def test_zone_transform_matches_pyproj_epsg_6960_pipeline_within_centimetres(epsg):
    ours = Transformer.from_crs(with_datum_shift(CRS.from_epsg(epsg)), "EPSG:4326", always_xy=True)
    theirs = epsg6960(epsg)
    for x, y in [(450_000, 1_100_000), (520_000, 2_300_000), (600_000, 1_700_000)]:
        lon, lat = ours.transform(x, y)
        bx, by = theirs.transform(lon, lat)  # WGS84 → zone with EPSG's own operation
        assert abs(bx - x) < 0.03 and abs(by - y) < 0.03


def test_vn2000_utm_gets_the_same_explicit_shift_as_the_tm3_zones():
    # Before, only TM-3 zones were rebuilt; VN-2000 / UTM was left to pyproj's own choice.
    ours = Transformer.from_crs(with_datum_shift(CRS.from_epsg(3405)), 4326, always_xy=True)
    theirs = next(
        t
        for t in TransformerGroup(4326, 3405, always_xy=True).transformers
        if "VN-2000 to WGS 84 (2)" in t.description
    )
    lon, lat = ours.transform(590_000, 1_100_000)
    x, y = theirs.transform(lon, lat)
    assert abs(x - 590_000) < 0.03 and abs(y - 1_100_000) < 0.03


def test_every_province_has_a_zone_with_an_epsg_code():
    assert len(PROVINCES) == 63
    assert len({p.code for p in PROVINCES}) == 63
    for p in PROVINCES:
        assert p.central_meridian in ZONE_EPSG
        assert CRS.from_epsg(ZONE_EPSG[p.central_meridian]).to_dict()["lon_0"] == pytest.approx(
            p.central_meridian
        )


def test_province_is_found_by_code_or_name_in_any_unicode_form():
    import unicodedata

    assert find_province("20").name == "Lạng Sơn"
    assert find_province("tinh lang son").code == "20"
    assert find_province(unicodedata.normalize("NFD", "Tỉnh Lạng Sơn")).code == "20"
    assert province_zone("Lạng Sơn").epsg == 9215
    assert province_zone("Atlantis") is None


def test_province_name_as_crs_resolves_to_its_zone():
    crs = resolve_crs("Lạng Sơn")
    assert crs is not None and crs.to_dict()["lon_0"] == 107.25
    assert resolve_crs("not a crs at all") is None


def test_metres_without_crs_propose_the_named_province_zone_first():
    zones = propose_zones((560_000, 1_090_000, 590_000, 1_110_000), province="Trà Vinh")
    assert zones[0].province == "Trà Vinh" and zones[0].crs == "EPSG:9209"


def test_metres_without_crs_and_no_province_propose_zones_that_land_in_their_own_province():
    # Was: every zone by central meridian (102° first); now the landing decides. An extent
    # alone fits several zones; the features decide between them (tests/test_ingest_crs.py).
    zones = propose_zones((560_000, 1_090_000, 590_000, 1_110_000))
    assert all(z.inside_vietnam for z in zones)
    first = zones[0]
    assert first.system == "VN-2000 TM-3" and first.lands_in == first.province
    assert find_province(first.lands_in).central_meridian == first.central_meridian


def _vn_frame():
    return messy(to_vn2000(communes_wgs84(), 9209))


def test_shapefile_with_prj_uses_the_file_crs_and_lands_within_a_metre():
    insp = inspect_upload("xa.zip", shapefile_zip(_vn_frame(), prj=True))
    assert insp.ok and insp.crs_source == "file"
    assert "EPSG:6960" in insp.crs
    assert max_distance_m(insp.frame, communes_wgs84()) < 1.0


def test_shapefile_without_prj_needs_confirmation_then_lands_within_a_metre():
    data = shapefile_zip(_vn_frame(), prj=False)
    first = inspect_upload("xa.zip", data, province="Trà Vinh")
    assert first.needs_crs and first.frame is None
    assert first.proposals[0].epsg == 9209
    confirmed = inspect_upload("xa.zip", data, crs=first.proposals[0].crs)
    assert confirmed.ok and confirmed.crs_source == "confirmed by user"
    assert max_distance_m(confirmed.frame, communes_wgs84()) < 1.0
    lon0, lat0, lon1, lat1 = confirmed.bounds
    assert 106 < lon0 < lon1 < 106.5 and 9.8 < lat0 < lat1 < 10.1
