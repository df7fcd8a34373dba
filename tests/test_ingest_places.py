"""With no pack to join to, an upload joins to the GSO communes of the province it lies in,
on the structure (before / after 1 July 2025) its rows fit."""

from __future__ import annotations

import numpy as np
import pandas as pd

from atlas import gazetteer
from atlas.ingest.model import ColumnMapping
from atlas.ingest.places import best_reference, gazetteer_reference, reference_provinces
from tests.ingest_fixtures import communes_wgs84


def _points():
    pts = communes_wgs84().geometry.representative_point()
    return pts.x.to_numpy(), pts.y.to_numpy()


def test_cang_long_features_lie_in_tra_vinh_before_2025_and_vinh_long_after():
    assert reference_provinces(points=_points()) == ["84"]
    assert reference_provinces(points=_points(), structure="post2025") == ["86"]


def test_the_reference_holds_every_commune_of_the_shipped_pack():
    ref = gazetteer_reference(points=_points())
    assert set(communes_wgs84()["code"]) <= set(ref["code"])
    assert ref.attrs["structure"] == "pre2025"


def test_a_table_takes_the_province_named_on_either_structure():
    assert len(gazetteer_reference("Trà Vinh")) == 104
    assert reference_provinces("Trà Vinh", structure="post2025") == ["86"]


def test_data_at_sea_or_an_unknown_province_gets_no_reference():
    assert gazetteer_reference(points=(np.array([108.6]), np.array([8.6]))).empty
    assert gazetteer_reference("Atlantis").empty


def test_a_table_of_new_communes_gets_the_new_communes_as_reference():
    new = gazetteer.units("post2025", "commune")
    rows = new[new["province_code"] == "86"].head(12)
    table = pd.DataFrame({"ma": rows["code"].to_list(), "ten": rows["name"].to_list()})
    ref = best_reference(table, ColumnMapping(code="ma", name="ten"), province="Vĩnh Long")
    assert ref.attrs["structure"] == "post2025"
    old = communes_wgs84()
    table = pd.DataFrame({"ma": old["code"], "ten": old["name"]})
    ref = best_reference(table, ColumnMapping(code="ma", name="ten"), province="Trà Vinh")
    assert ref.attrs["structure"] == "pre2025"


def test_names_repeated_in_a_province_join_within_the_district_the_features_lie_in():
    from atlas.ingest import location
    from atlas.ingest.join import join_communes
    from atlas.ingest.names import readings
    from tests.test_data_page_places import district_cells

    communes = gazetteer.units("pre2025", "commune")
    communes = communes[communes["province_code"] == "01"]
    keys = communes["name"].map(lambda n: readings(n)[0])
    district = communes[keys.duplicated(keep=False)].iloc[0]["district_code"]  # in Hà Nội
    cells = district_cells(district)
    rows = cells.drop(columns="geometry")
    mapping = ColumnMapping(name="ten_xa")
    province_wide = join_communes(rows, gazetteer_reference("Hà Nội"), mapping)
    assert province_wide.counts()["name"] < len(rows)  # some names are several communes
    ref = best_reference(rows, mapping, points=location.sample_points(cells.geometry))
    assert join_communes(rows, ref, mapping).counts()["name"] == len(rows)
