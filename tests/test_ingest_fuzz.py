"""Random and truncated bytes never crash the readers: `inspect_upload` returns an inspection
whose report says what is wrong, or raises the documented bilingual IngestError, nothing else."""

from __future__ import annotations

import json
import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.ingest import IngestError, inspect_upload
from tests.ingest_fixtures import communes_wgs84, shapefile_zip, vector_bytes

warnings.filterwarnings("ignore")

_GEOJSON = vector_bytes(communes_wgs84().head(3), ".geojson", "GeoJSON")
_CSV = "code,name,value\n29266,Thị trấn Càng Long,1\n29269,Xã Mỹ Cẩm,2\n".encode()
_ZIP = shapefile_zip(communes_wgs84().head(3))
_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(name: str, data: bytes) -> None:
    try:
        insp = inspect_upload(name, data)
    except IngestError as exc:
        assert exc.vi and exc.en
        return
    if not insp.ok and not insp.needs_crs:
        assert insp.report.errors and all(e.text("vi") and e.text("en") for e in insp.report.errors)


@_SETTINGS
@given(st.binary(max_size=2048), st.sampled_from(["x.geojson", "x.zip", "x.csv", "x", "x.kml"]))
def test_random_bytes_give_a_report_or_a_bilingual_error(data, name):
    _check(name, data)


@_SETTINGS
@given(st.integers(min_value=0, max_value=len(_GEOJSON)))
def test_truncated_geojson_gives_a_report_or_a_bilingual_error(cut):
    _check("x.geojson", _GEOJSON[:cut])


@_SETTINGS
@given(st.integers(min_value=0, max_value=len(_CSV)))
def test_truncated_csv_gives_a_report_or_a_bilingual_error(cut):
    _check("x.csv", _CSV[:cut])


@_SETTINGS
@given(st.integers(min_value=0, max_value=len(_ZIP)))
def test_truncated_zip_gives_a_report_or_a_bilingual_error(cut):
    _check("x.zip", _ZIP[:cut])


@_SETTINGS
@given(
    st.recursive(
        st.none() | st.integers() | st.text(max_size=5),
        lambda c: (
            st.lists(c)
            | st.dictionaries(
                st.sampled_from(["type", "features", "geometry", "coordinates", "crs"]), c
            )
        ),
        max_leaves=20,
    )
)
def test_random_json_documents_give_a_report_or_a_bilingual_error(doc):
    _check("x.geojson", json.dumps(doc).encode())
