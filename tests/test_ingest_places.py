"""With no pack to join to, an upload joins to the GSO communes of the province it lies in."""

from __future__ import annotations

from atlas.ingest.places import gazetteer_reference, reference_provinces
from tests.ingest_fixtures import communes_wgs84


def _points():
    return [(g.centroid.x, g.centroid.y) for g in communes_wgs84().geometry]


def test_cang_long_features_lie_in_tra_vinh_before_2025_and_vinh_long_after():
    assert [u.name for u in reference_provinces(points=_points())] == ["Tỉnh Trà Vinh"]
    after = reference_provinces(points=_points(), structure="post2025")
    assert [u.name for u in after] == ["Tỉnh Vĩnh Long"]


def test_the_reference_holds_every_commune_of_the_shipped_pack():
    ref = gazetteer_reference(points=_points())
    assert set(communes_wgs84()["code"]) <= set(ref["code"])


def test_a_table_takes_the_province_named_on_either_structure():
    assert len(gazetteer_reference("Trà Vinh")) == 104
    after = reference_provinces("Trà Vinh", structure="post2025")
    assert [u.name for u in after] == ["Tỉnh Vĩnh Long"]


def test_data_at_sea_or_an_unknown_province_gets_no_reference():
    assert gazetteer_reference(points=[(108.6, 8.6)]).empty
    assert gazetteer_reference("Atlantis").empty
