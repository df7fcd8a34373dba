"""The malformed uploads that used to crash or run away (issue 11), one test each: every one
now ends in a bilingual, located message or a valid pack, with bounded work, and killed
imports' `.staging` folders are swept."""

from __future__ import annotations

import io
import json
import os
import tracemalloc
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from atlas.ingest import IngestError, budget, inspect_upload, table
from atlas.packs import STAGING_GRACE_S, hold_work_dir, sweep_staging
from tests.fuzz_pipeline import BASE, make_base, run
from tests.ingest_fixtures import communes_wgs84, kmz, xlsx, zip_of

warnings.filterwarnings("ignore")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return make_base(tmp_path_factory.mktemp("base"))


@pytest.fixture
def root(tmp_path: Path, pristine: Path) -> Path:
    import shutil

    shutil.copytree(pristine, tmp_path / "data" / BASE)
    return tmp_path / "data"


def _geojson(*geometries: dict, props: dict | None = None) -> bytes:
    features = [
        {"type": "Feature", "properties": {"name": f"Xã {i}", **(props or {})}, "geometry": g}
        for i, g in enumerate(geometries)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def _errors(insp) -> list[tuple[str, str]]:
    return [(e.text("vi"), e.text("en")) for e in insp.report.errors]


def test_a_table_with_its_own_code_column_is_keyed_by_the_joined_code(root):
    csv = b"ma,code,dan_so\n29266,abc,100\n29269,def,200\n"
    outcome = run("t.csv", csv, root)
    assert outcome.kind == "saved"
    saved = next((outcome.pack / "tables").glob("*.csv")).read_text()
    assert saved.splitlines()[0] == "code,dan_so" and "29266,100" in saved


def test_corrupt_deflate_data_in_a_kmz_names_the_entry():
    data = bytearray(kmz(communes_wgs84().head(2)))
    start = data.find(b"doc.kml") + 7
    for i in range(start + 10, start + 60):
        data[i] ^= 0x55
    insp = inspect_upload("x.kmz", bytes(data))
    (vi, en), *_ = _errors(insp)
    assert "doc.kml" in vi and "doc.kml" in en and "zip" in en


def test_an_unsupported_zip_version_is_a_broken_zip_message():
    data = bytearray(kmz(communes_wgs84().head(2)))
    at = data.find(b"PK\x01\x02")
    data[at + 6 : at + 8] = (200).to_bytes(2, "little")  # "needs version 20.0 to extract"
    insp = inspect_upload("x.kmz", bytes(data))
    (vi, en), *_ = _errors(insp)
    assert "nén" in vi and "zip" in en


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Polygon", "coordinates": [[[106.3, 9.9], [106.4, 9.9], [106.4, 10.0]]]},
        {"type": "LineString", "coordinates": [[106.3, 9.9]]},
    ],
    ids=["unclosed-ring", "one-point-line"],
)
def test_a_geometry_that_cannot_exist_is_refused_naming_the_feature(geometry):
    ok = {"type": "Point", "coordinates": [106.3, 9.9]}
    insp = inspect_upload("x.geojson", _geojson(ok, geometry))
    (vi, en), *_ = _errors(insp)
    assert "đối tượng 2 (Xã 1)" in vi and "feature 2 (Xã 1)" in en


def test_dropping_every_unmatched_row_saves_nothing(root):
    before = sorted(p.name for p in root.rglob("*"))
    outcome = run("x.geojson", _geojson({"type": "Point", "coordinates": [106.3, 9.9]}), root)
    assert outcome.kind == "refused" and "Nothing is left" in outcome.en
    assert sorted(p.name for p in root.rglob("*")) == before


def test_integers_wider_than_64_bits_are_saved_as_numbers_the_loader_reads(root):
    csv = f"ma,dan_so\n29266,{2**70}\n29269,1\n".encode()
    assert run("t.csv", csv, root).kind == "saved"
    props = {"ma": "29266", "name": "Thị trấn Càng Long", "big": 2**70}  # code and name agree
    vector = _geojson({"type": "Point", "coordinates": [106.3, 9.9]}, props=props)
    assert run("x.geojson", vector, root).kind == "saved"


def test_ids_longer_than_a_file_name_can_be_are_refused(root):
    props = {"ma": "29266", "name": "Thị trấn Càng Long"}
    data = _geojson({"type": "Point", "coordinates": [106.3, 9.9]}, props=props)
    for plan in ({"pack_id": "a" * 300}, {"layer_id": "b" * 300}):
        outcome = run("x.geojson", data, root, plan=plan)
        assert outcome.kind == "refused" and "64" in outcome.vi and "64" in outcome.en


def _with_sheet_xml(data: bytes, edit) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {i.filename: archive.read(i) for i in archive.infolist()}
    sheet = next(n for n in entries if n.endswith("sheet1.xml"))
    entries[sheet] = edit(entries[sheet].decode()).encode()
    return zip_of(entries)


def _declared_everything(text: str) -> str:
    import re

    return re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', text)


def test_an_xlsx_declaring_the_whole_sheet_reads_only_its_real_cells():
    data = xlsx(pd.DataFrame({"ma": ["29266", "29269"], "dan_so": [1, 2]}))
    far = '<row r="1048576"><c r="B1048576"><v>3</v></c></row></sheetData>'
    bomb = _with_sheet_xml(data, lambda t: _declared_everything(t).replace("</sheetData>", far))
    assert len(bomb) < 10_000
    tracemalloc.start()
    try:
        insp = inspect_upload("x.xlsx", bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert insp.ok and insp.table["dan_so"].tolist() == ["1", "2", "3"]
    assert peak < 100 * 1024 * 1024  # it used to take more than 3 GiB


def test_a_cell_beyond_the_column_cap_is_refused_with_its_row():
    data = xlsx(pd.DataFrame({"ma": ["29266"], "dan_so": [1]}))
    stray = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    bomb = _with_sheet_xml(data, lambda t: t.replace("</sheetData>", stray))
    with pytest.raises(IngestError) as caught:
        inspect_upload("x.xlsx", bomb)
    assert "XFD1048576" in caught.value.vi and "XFD1048576" in caught.value.en


def test_tables_over_the_row_cap_are_refused_not_cut(monkeypatch):
    monkeypatch.setattr(table, "MAX_TABLE_ROWS", 3)
    rows = "".join(f"2926{i},{i}\n" for i in range(4))
    for name, data in (
        ("t.csv", f"ma,dan_so\n{rows}".encode()),
        ("t.xlsx", xlsx(pd.DataFrame({"ma": list("1234"), "v": list("1234")}))),
    ):
        with pytest.raises(IngestError) as caught:
            inspect_upload(name, data)
        assert "3" in caught.value.vi and "rows" in caught.value.en
    assert inspect_upload("t.csv", f"ma,dan_so\n{rows[: rows.rfind('2926')]}".encode()).ok


def test_a_csv_with_nul_bytes_says_so():
    text = "ma,ten\n" + "1,a\n" * 2000 + "2,\x00b\n"  # past the 4 KiB the sniffer reads
    insp = inspect_upload("t.csv", text.encode())
    (vi, en), *_ = _errors(insp)
    assert "NUL" in vi and "NUL" in en


def _circle(n: int, swap: bool) -> shapely.Polygon:
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    xy = np.c_[106.3 + 0.01 * np.cos(angles), 9.9 + 0.01 * np.sin(angles)]
    if swap:
        xy[[10, n // 2]] = xy[[n // 2, 10]]  # two far vertices swapped: a self-crossing ring
    return shapely.Polygon(xy)


def _polygon_upload(poly: shapely.Polygon) -> bytes:
    return _geojson(json.loads(shapely.to_geojson(poly)))


def test_a_100k_vertex_self_intersecting_polygon_is_refused_before_make_valid():
    insp = inspect_upload("x.geojson", _polygon_upload(_circle(100_000, swap=True)))
    (vi, en), *_ = _errors(insp)
    assert "100,001" in vi and "đối tượng 1" in insp.report.errors[0].where_text("vi")
    assert "GIS" in en


def test_a_scribbled_polygon_with_too_many_self_crossings_is_refused():
    rng = np.random.default_rng(7)
    scribble = shapely.Polygon([106.3, 9.9] + rng.random((400, 2)) * 0.01)
    assert budget.count_crossings(scribble, budget.MAX_REPAIR_CROSSINGS) > 2_000
    insp = inspect_upload("x.geojson", _polygon_upload(scribble))
    (vi, en), *_ = _errors(insp)
    assert "tự cắt" in vi and "crosses itself" in en


def test_crossings_are_counted_without_neighbouring_segments():
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    assert budget.count_crossings(bowtie, 10) == 1
    assert budget.count_crossings(shapely.box(0, 0, 1, 1), 10) == 0
    assert budget.count_crossings(_circle(1_000, swap=True), 10) > 0


def test_a_small_self_intersection_is_still_repaired():
    insp = inspect_upload("x.geojson", _polygon_upload(_circle(2_000, swap=True)))
    assert insp.ok and insp.repairs.repaired == 1


def _work_dir(root: Path, name: str, age_s: float) -> Path:
    work = root / ".staging" / name
    (work / "pack").mkdir(parents=True)
    (work / "pack" / "pack.toml").write_text("x")
    old = os.path.getmtime(work) - age_s
    os.utime(work, (old, old))
    return work


def test_the_sweep_removes_orphaned_work_folders_but_never_a_live_or_young_one(tmp_path):
    orphan = _work_dir(tmp_path, "import-orphan", STAGING_GRACE_S + 60)
    young = _work_dir(tmp_path, "import-young", 5)
    live = _work_dir(tmp_path, "import-live", STAGING_GRACE_S + 60)
    with hold_work_dir(live):
        os.utime(live, (os.path.getmtime(orphan),) * 2)
        assert sweep_staging(tmp_path) == [orphan]
    assert young.exists() and live.exists() and not orphan.exists()


def test_a_save_sweeps_what_a_killed_import_left(root):
    orphan = _work_dir(root, "import-killed", STAGING_GRACE_S + 60)
    assert run("t.csv", b"ma,dan_so\n29266,1\n", root).kind == "saved"
    assert not orphan.exists() and not (root / ".staging").exists()


def test_without_file_locks_only_day_old_work_folders_are_swept(tmp_path, monkeypatch):
    import atlas.packs

    monkeypatch.setattr(atlas.packs, "fcntl", None)
    hour_old = _work_dir(tmp_path, "import-hour", 3600)
    day_old = _work_dir(tmp_path, "import-day", atlas.packs.STAGING_MAX_AGE_S + 60)
    assert sweep_staging(tmp_path) == [day_old] and hour_old.exists()


def test_the_app_sweeps_killed_imports_work_folders_at_start(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import APP

    root = tmp_path / "packs"
    orphan = root / ".staging" / "import-killed"
    (orphan / "half").mkdir(parents=True)
    old = 10 * STAGING_GRACE_S
    os.utime(orphan, (os.path.getmtime(orphan) - old,) * 2)
    monkeypatch.setenv("ATLAS_USER_DATA", str(root))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception, at.exception
    assert not orphan.exists()


def test_a_zip_entry_without_a_name_is_refused_not_a_crash():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # what a damaged central directory reads as
        archive.writestr("x.shp", b"0" * 10)
        archive.writestr(zipfile.ZipInfo(""), b"1")
    with pytest.raises(IngestError) as refused:
        inspect_upload("x.zip", buffer.getvalue())
    assert "no name" in refused.value.en and "không có tên" in refused.value.vi
