"""The formats offices exchange (MapInfo TAB and MIF/MID, DXF, DGN v7, File Geodatabase,
FlatGeobuf) and our own exports, read back through `inspect_upload` and saved as packs the
loader accepts. Every file is written here by GDAL from the Càng Long communes."""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path

import geopandas as gpd
import pytest

from atlas.export import ExportView
from atlas.export.data import layer_frames, write_data
from atlas.ingest import (
    ImportPlan,
    IngestError,
    cad,
    commune_reference,
    inspect_upload,
    province_zone,
    save_import,
    suggest_mapping,
)
from atlas.ingest.batch import import_layers
from atlas.ingest.sniff import sniff
from atlas.loader import load_pack
from cli import main as cli
from tests import format_fixtures as ff
from tests.accounts import cli_as
from tests.ingest_fixtures import cang_long, communes_wgs84, max_distance_m, to_vn2000, zip_of

# pyogrio warns when a test writes a file without CRS on purpose (CAD drawings, NonEarth).
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
ZONE = "EPSG:9210"  # the TM-3 zone the fixtures are projected to (105.75°)


@pytest.fixture(scope="module")
def communes():
    return communes_wgs84()


@pytest.fixture(scope="module")
def metres(communes):
    return to_vn2000(communes, 9210)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "user-packs"


def vn2000_towgs84(lon_0: float = 105.75) -> str:
    """VN-2000 TM-3 as Vietnamese MapInfo tables declare it: datum 9999 with TOWGS84."""
    proj = province_zone("Trà Vinh").proj
    return proj.replace("lon_0=105.5 ", f"lon_0={lon_0} ")


def _same_communes(insp, communes, *, attributes=True, tolerance_m=1.0):
    """The inspection holds the communes: same geometry (by code when there are codes)."""
    assert insp.ok, [i.describe("en") for i in insp.report.errors]
    assert insp.feature_count == len(communes)
    frame = insp.frame
    if attributes:
        frame = frame.sort_values("code").reset_index(drop=True)
        expected = communes.sort_values("code").reset_index(drop=True)
        assert list(frame["code"]) == list(expected["code"])
        assert list(frame["name"]) == list(expected["name"])
        assert all(unicodedata.is_normalized("NFC", n) for n in frame["name"])
        assert (
            frame["area_km2"].astype(float).round(6).tolist()
            == expected["area_km2"].round(6).tolist()
        )
        assert max_distance_m(frame, expected) < tolerance_m
    else:
        assert max_distance_m(frame, communes) < tolerance_m


# --- telling the formats apart ----------------------------------------------------------


def test_sniff_tells_each_format_by_its_content_whatever_the_name(communes, metres):
    cases = {
        "mapinfo": ff.mapinfo_zip(communes),
        "filegdb": ff.filegdb_zip({"xa": communes}),
        "flatgeobuf": ff.one_file(communes, "xa.fgb", "FlatGeobuf"),
        "dxf": ff.dxf(metres),
        "dgn": ff.dgn(metres),
    }
    cases["mif"] = ff.one_file(communes, "xa.mif", "MapInfo File")
    for fmt, data in cases.items():
        assert sniff("tep.dat", data) == ("mapinfo" if fmt == "mif" else fmt)
    assert sniff("x.zip", ff.mapinfo_zip(communes, "mif")) == "mapinfo"


def test_dwg_and_dgn_v8_are_refused_with_what_to_save_instead():
    dwg = inspect_upload("ban_ve.dwg", b"AC1032" + bytes(200))
    assert not dwg.ok and "DXF" in dwg.report.errors[0].describe("en")
    ole = inspect_upload("ban_ve.dgn", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200))
    assert not ole.ok and "v7" in ole.report.errors[0].describe("en")


def test_a_tab_alone_or_a_zipped_drawing_says_what_to_upload_instead(communes, metres):
    files = ff.gdal_files({"xa": communes}, "xa.tab", "MapInfo File")
    tab = inspect_upload("xa.tab", files["xa.tab"])
    assert not tab.ok and ".dat" in tab.report.errors[0].describe("en")
    zipped = inspect_upload("ban_ve.zip", zip_of({"ban_ve.dxf": ff.dxf(metres)}))
    assert not zipped.ok and "upload the .dxf file itself" in zipped.report.errors[0].describe("en")


def test_a_zip_named_zip_holding_mapinfo_or_a_geodatabase_is_no_name_conflict(communes):
    for data in (ff.mapinfo_zip(communes), ff.filegdb_zip({"xa": communes})):
        assert not inspect_upload("du_lieu.zip", data).report.warnings


# --- MapInfo ------------------------------------------------------------------------------


def test_zipped_mapinfo_tab_reads_the_communes_with_their_attributes(communes):
    insp = inspect_upload("xa.zip", ff.mapinfo_zip(communes))
    assert insp.format == "mapinfo" and insp.crs_source == "file"
    assert insp.layers == ["xa"]
    _same_communes(insp, communes)


def test_zipped_mif_mid_reads_like_the_tab_and_a_mif_alone_keeps_the_shapes(communes):
    _same_communes(inspect_upload("xa.zip", ff.mapinfo_zip(communes, "mif")), communes)
    alone = inspect_upload("xa.mif", ff.one_file(communes, "xa.mif", "MapInfo File"))
    _same_communes(alone, communes, attributes=False)
    assert any(".mid" in w.describe("en") for w in alone.report.warnings)


def test_mapinfo_vn2000_coordsys_with_towgs84_lands_on_the_communes(metres, communes):
    frame = metres.set_crs(vn2000_towgs84(), allow_override=True)
    data = ff.mapinfo_zip(frame)
    assert b"9999" in ff.one_file(frame, "xa.mif", "MapInfo File")[:400]  # datum 9999 + params
    insp = inspect_upload("xa.zip", data)
    assert insp.crs_source == "file"
    _same_communes(insp, communes)


def test_mapinfo_nonearth_metres_go_through_the_crs_step(metres, communes):
    local = metres.set_crs(None, allow_override=True)
    files = ff.gdal_files({"xa": local}, "xa.mif", "MapInfo File")
    nonearth = b'Delimiter ","\nCoordSys NonEarth Units "m" Bounds (0, 0) (2000000, 2000000)\n'
    files["xa.mif"] = files["xa.mif"].replace(b'Delimiter ","\n', nonearth)
    first = inspect_upload("xa.zip", zip_of(files))
    assert first.needs_crs and first.proposals
    _same_communes(inspect_upload("xa.zip", zip_of(files), crs=ZONE), communes)


@pytest.mark.parametrize("charset", [b"WindowsVietnamese", b"Neutral"])
def test_mapinfo_windows_1258_text_reads_as_nfc_names(charset, communes):
    legacy = communes.assign(name=communes["name"].map(ff.cp1258))
    files = ff.gdal_files({"xa": legacy}, "xa.tab", "MapInfo File", encoding="CP1258")
    assert b'Charset "Neutral"' in files["xa.tab"]
    files["xa.tab"] = files["xa.tab"].replace(b"Neutral", charset)
    insp = inspect_upload("xa.zip", zip_of(files))
    _same_communes(insp, communes)
    assert any("Windows-1258" in w.describe("en") for w in insp.report.warnings)


def test_a_zip_of_several_mapinfo_tables_offers_them_as_layers(communes):
    files = ff.gdal_files({"xa": communes}, "xa.tab", "MapInfo File")
    points = communes.assign(geometry=communes.geometry.representative_point())
    files |= ff.gdal_files({"uy_ban": points}, "uy_ban.tab", "MapInfo File")
    data = zip_of({f"du_lieu/{k}": v for k, v in files.items()})
    insp = inspect_upload("du_lieu.zip", data, layer="du_lieu/uy_ban")
    assert insp.layers == ["du_lieu/uy_ban", "du_lieu/xa"]
    assert insp.geometry_types == ["Point"] and insp.feature_count == len(communes)


# --- CAD: DXF and DGN ---------------------------------------------------------------------


def test_dxf_is_offered_as_cad_layers_by_geometry_type(metres):
    insp = inspect_upload("ban_ve.dxf", ff.dxf(metres), crs=ZONE)
    assert insp.format == "dxf"
    assert insp.layers == ["DUONG (line)", "RANH_XA (polygon)", "TEN_XA (text)"]
    assert insp.layer == "DUONG (line)" and insp.geometry_types == ["LineString"]
    assert "name" not in insp.columns  # lines are not named by text


def test_dxf_areas_are_named_by_the_text_inside_them(metres, communes):
    insp = inspect_upload("ban_ve.dxf", ff.dxf(metres), layer="RANH_XA (polygon)", crs=ZONE)
    assert insp.columns == ["Layer", "name"]
    assert list(insp.frame["name"]) == list(communes["name"])
    assert max_distance_m(insp.frame, communes) < 1.0
    labels = inspect_upload("ban_ve.dxf", ff.dxf(metres), layer="TEN_XA (text)", crs=ZONE)
    assert labels.geometry_types == ["Point"] and list(labels.frame["name"]) == list(
        communes["name"]
    )


def test_dxf_closed_polylines_are_areas(metres, communes):
    insp = inspect_upload("ranh.dxf", ff.closed_polylines_dxf(metres), crs=ZONE)
    assert insp.layers == ["RANH_XA (polygon)"] and insp.geometry_types == ["Polygon"]
    assert max_distance_m(insp.frame, communes) < 1.0


def test_dxf_metres_without_crs_go_through_the_crs_step(metres):
    insp = inspect_upload("ban_ve.dxf", ff.dxf(metres), layer="RANH_XA (polygon)")
    assert insp.needs_crs and insp.frame is None and insp.proposals
    assert insp.layers  # the layers are known before the CRS is


def test_dgn_text_elements_name_the_shapes_and_points_they_sit_on(communes):
    # GDAL's DGN writer takes no text, so the entities are given as its reader returns them.
    n = len(communes)
    points = communes.geometry.representative_point()
    drawing = gpd.GeoDataFrame(
        {
            "Level": [3] * n + [7] * n + [9] * n,
            # labels over two lines, as an MTEXT paragraph break reads: "Xã\nMỹ Cẩm "
            "Text": [None] * (2 * n) + [s.replace(" ", "\n", 1) + " " for s in communes["name"]],
            "ULink": [None] * (3 * n),
        },
        geometry=[*communes.geometry, *points.translate(1e-6, 0), *points],
    )
    layers, names = cad.split(drawing, "Level", "level ")
    assert layers == ["level 3 (polygon)", "level 7 (point)", "level 9 (text)"]
    areas = cad.cad_layer(drawing, "Level", "level 3 (polygon)", names)
    assert list(areas.columns) == ["Level", "geometry", "name"]
    assert list(areas["name"]) == list(communes["name"])
    marks = cad.cad_layer(drawing, "Level", "level 7 (point)", names)
    assert list(marks["name"]) == list(communes["name"])


def test_dgn_v7_reads_its_shapes_by_level_through_the_crs_step(metres, communes):
    data = ff.dgn(metres)
    assert data[:4] == b"\x08\x09\xfe\x02"
    first = inspect_upload("ban_ve.dgn", data)
    assert first.format == "dgn" and first.needs_crs and first.proposals
    insp = inspect_upload("ban_ve.dgn", data, crs=ZONE)
    assert insp.layers == ["level 0 (polygon)"] and insp.columns == ["Level"]
    _same_communes(insp, communes, attributes=False)


# --- File Geodatabase, FlatGeobuf ----------------------------------------------------------


def test_zipped_file_geodatabase_offers_its_feature_classes(communes, metres):
    data = ff.filegdb_zip({"xa": communes, "xa_vn2000": metres})
    insp = inspect_upload("quy_hoach.zip", data)
    assert insp.format == "filegdb" and insp.layers == ["xa", "xa_vn2000"]
    _same_communes(insp, communes)
    projected = inspect_upload("quy_hoach.zip", data, layer="xa_vn2000")
    assert projected.crs_source == "file" and "9210" in projected.crs
    _same_communes(projected, communes)


def test_a_geodatabase_member_outside_the_whitelist_is_never_written(communes):
    files = {f"x.gdb/{k.split('/', 1)[1]}": v for k, v in ff.gdal_files(
        {"xa": communes}, "x.gdb", "OpenFileGDB").items()}  # fmt: skip
    files["x.gdb/readme.txt"] = b"not a table"
    insp = inspect_upload("x.zip", zip_of(files))
    _same_communes(insp, communes)


def test_flatgeobuf_reads_the_communes(communes):
    insp = inspect_upload("xa.fgb", ff.one_file(communes, "xa.fgb", "FlatGeobuf"))
    assert insp.format == "flatgeobuf" and insp.crs_source == "file"
    _same_communes(insp, communes)


# --- saving each format -------------------------------------------------------------------


def _uploads(communes, metres):
    return {
        "mapinfo": ("xa.zip", ff.mapinfo_zip(communes), {}),
        "mif": ("xa_mif.zip", ff.mapinfo_zip(communes, "mif"), {}),
        "dxf": ("ban_ve.dxf", ff.dxf(metres), {"layer": "RANH_XA (polygon)", "crs": ZONE}),
        "dgn": ("ban_ve.dgn", ff.dgn(metres), {"crs": ZONE}),
        "filegdb": ("quy_hoach.zip", ff.filegdb_zip({"xa": communes}), {}),
        "flatgeobuf": ("xa.fgb", ff.one_file(communes, "xa.fgb", "FlatGeobuf"), {}),
    }


@pytest.mark.parametrize("fmt", ["mapinfo", "mif", "dxf", "dgn", "filegdb", "flatgeobuf"])
def test_each_format_saves_a_pack_the_loader_accepts(fmt, communes, metres, root):
    name, data, options = _uploads(communes, metres)[fmt]
    insp = inspect_upload(name, data, **options)
    ref = commune_reference(cang_long())
    mapping = suggest_mapping(insp.columns, insp.data, ref)
    result = save_import(insp, ImportPlan(f"p_{fmt}", mapping), root=root)
    loaded = load_pack(result.path)
    assert loaded.pack is not None, [i.describe("en") for i in loaded.report.errors]
    frame = loaded.pack.frames[result.layer_id]
    assert len(frame) == len(communes)
    if fmt not in ("dgn",):
        assert sorted(frame[mapping.name]) == sorted(communes["name"])


# --- our own exports round-trip -------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    pack = cang_long()
    view = ExportView.default(pack)
    out = tmp_path_factory.mktemp("export")
    frames = layer_frames(pack, view)
    paths = {
        fmt: write_data(pack, view, fmt, out / f"cang_long.{fmt}") for fmt in ("geojson", "gpkg")
    }
    return frames, {fmt: p.read_bytes() for fmt, p in paths.items()}


def test_our_geojson_export_splits_back_into_its_layers(exported):
    frames, files = exported
    insp = inspect_upload("cang_long.geojson", files["geojson"])
    assert insp.layers == list(frames)
    for lid, frame in frames.items():
        layer = inspect_upload("cang_long.geojson", files["geojson"], layer=lid)
        assert layer.ok and layer.feature_count == len(frame), lid
        assert "layer" not in layer.columns
        assert set(layer.columns) <= set(frame.columns)


def test_a_geojson_without_a_layer_property_stays_one_layer(communes):
    data = json.dumps(json.loads(communes.to_json())).encode()
    insp = inspect_upload("xa.geojson", data)
    assert insp.layers == [] and insp.feature_count == len(communes)


@pytest.mark.parametrize("fmt", ["gpkg", "geojson"])
def test_our_export_imports_back_at_once_as_one_pack(fmt, exported, root):
    frames, files = exported
    results = import_layers(f"cang_long.{fmt}", files[fmt], "vong_lai", root=root)
    assert [r.layer_id for r in results] == list(frames)
    assert results[0].created and not any(r.created for r in results[1:])
    pack = load_pack(root / "vong_lai").pack
    assert pack is not None
    for lid, frame in frames.items():
        assert len(pack.frames[lid]) == len(frame), lid


def test_import_layers_is_all_or_nothing(exported, root, communes):
    _, files = exported
    with pytest.raises(IngestError, match="nope"):
        import_layers("cang_long.gpkg", files["gpkg"], "hong", ["communes", "nope"], root=root)
    assert not (root / "hong").exists()
    save_import(inspect_upload("xa.fgb", ff.one_file(communes, "xa.fgb", "FlatGeobuf")),
                ImportPlan("co_san"), root=root)  # fmt: skip
    before = sorted(p.name for p in (root / "co_san").rglob("*"))
    with pytest.raises(IngestError):
        import_layers("cang_long.gpkg", files["gpkg"], "co_san", root=root)
    assert sorted(p.name for p in (root / "co_san").rglob("*")) == before


def test_a_later_failing_save_removes_the_pack_the_batch_created(exported, root, monkeypatch):
    from atlas.ingest import batch

    _, files = exported
    real = batch.save_import
    calls = []

    def flaky(insp, plan, **kw):
        calls.append(plan.layer_id)
        if len(calls) == 2:
            raise IngestError("hỏng", "broken")
        return real(insp, plan, **kw)

    monkeypatch.setattr(batch, "save_import", flaky)
    with pytest.raises(IngestError, match="broken"):
        import_layers("cang_long.gpkg", files["gpkg"], "nua_chung", root=root)
    assert len(calls) == 2 and not (root / "nua_chung").exists()


def test_cli_import_all_layers_makes_one_pack(exported, tmp_path, capsys, monkeypatch):
    frames, files = exported
    monkeypatch.setenv("ATLAS_USER_DATA", str(tmp_path / "data"))
    path = tmp_path / "cang_long.gpkg"
    path.write_bytes(files["gpkg"])
    assert (
        cli.main(["import", str(path), "--pack", "tat_ca", "--all-layers", *cli_as(monkeypatch)])
        == 0
    )
    out = capsys.readouterr().out
    assert all(lid in out for lid in frames)
    pack = load_pack(tmp_path / "data" / "tat_ca").pack
    assert pack is not None and {la.id for la in pack.layers} >= set(frames)


# --- broken files never crash the readers ---------------------------------------------------


def _damaged(data: bytes):
    """Cuts and overwritten stretches, deterministic, keeping the first 8 bytes (the magic)."""
    rng = random.Random(len(data))
    for cut in (9, 64, 200, len(data) // 3, len(data) // 2, len(data) - 7):
        yield data[: max(cut, 9)]
    for _ in range(8):
        at = rng.randrange(8, max(9, len(data) - 16))
        yield data[:at] + bytes(rng.randrange(256) for _ in range(16)) + data[at + 16 :]


@pytest.mark.parametrize("fmt", ["mapinfo", "mif", "dxf", "dgn", "filegdb", "flatgeobuf"])
def test_damaged_files_give_a_report_or_a_bilingual_error(fmt, communes, metres):
    name, data, options = _uploads(communes.head(3), metres.head(3))[fmt]
    for damaged in _damaged(data):
        try:
            insp = inspect_upload(name, damaged, **options)
        except IngestError as exc:
            assert exc.vi and exc.en
            continue
        if not insp.ok and not insp.needs_crs:
            assert all(e.text("vi") and e.text("en") for e in insp.report.errors)


def test_a_drawing_imports_at_once_once_its_crs_is_known(metres, root):
    data = ff.dxf(metres)
    with pytest.raises(IngestError, match="CRS"):
        import_layers("ban_ve.dxf", data, "ban_ve", root=root)
    assert not (root / "ban_ve").exists()
    results = import_layers("ban_ve.dxf", data, "ban_ve", province="Trà Vinh", root=root)
    assert [r.layer_id for r in results] == ["duong_line", "ranh_xa_polygon", "ten_xa_text"]
    pack = load_pack(root / "ban_ve").pack
    assert pack is not None and len(pack.frames["ranh_xa_polygon"]) == len(metres)
