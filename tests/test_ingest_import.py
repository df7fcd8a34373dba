"""The import engine end to end: formats, the commune join, saving into user packs, safety
limits and the CLI. Every fixture is made here from the shipped Càng Long communes."""

from __future__ import annotations

import io
import stat
import unicodedata
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from atlas.ingest import (
    ColumnMapping,
    ImportPlan,
    IngestError,
    commune_reference,
    inspect_upload,
    join_communes,
    pack_zip,
    save_import,
    suggest_mapping,
)
from atlas.loader import load_pack
from atlas.packs import SHIPPED_PACKS, discover_packs, pack_fingerprint
from cli import main as cli
from tests.accounts import cli_as
from tests.ingest_fixtures import (
    cang_long,
    communes_wgs84,
    kmz,
    max_distance_m,
    messy,
    shapefile_zip,
    to_vn2000,
    vector_bytes,
    xlsx,
    zip_of,
)

warnings.filterwarnings("ignore", category=UserWarning, module="pyproj")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "user-packs"


def _reference():
    return commune_reference(cang_long())


def test_kmz_reads_as_wgs84_and_joins_every_commune_by_name():
    insp = inspect_upload("xa.kmz", kmz(messy(communes_wgs84())))
    assert insp.ok and insp.format == "kmz" and insp.crs_source == "file"
    assert max_distance_m(insp.frame, communes_wgs84()) < 1.0
    mapping = suggest_mapping(insp.columns, insp.data, _reference())
    joined = join_communes(insp.data, _reference(), mapping)
    assert joined.all_matched


def test_gpkg_lists_layers_and_reads_the_chosen_one(tmp_path):
    import pyogrio

    path = tmp_path / "x.gpkg"
    pyogrio.write_dataframe(communes_wgs84(), path, layer="xa")
    pyogrio.write_dataframe(communes_wgs84().head(2), path, layer="hai", append=False)
    insp = inspect_upload("x.gpkg", path.read_bytes(), layer="hai")
    assert set(insp.layers) == {"xa", "hai"} and insp.layer == "hai" and insp.feature_count == 2
    missing = inspect_upload("x.gpkg", path.read_bytes(), layer="nope")
    error = missing.report.errors[0]
    assert not missing.ok and "nope" in error.text("vi") and "nope" in error.text("en")


def test_integer_codes_and_nfd_names_join_every_commune():
    frame = messy(communes_wgs84())
    insp = inspect_upload("xa.geojson", vector_bytes(frame, ".geojson", "GeoJSON"))
    mapping = suggest_mapping(insp.columns, insp.data, _reference())
    assert mapping.code == "code" and mapping.name == "name"
    joined = join_communes(insp.data, _reference(), mapping)
    assert joined.counts()["code"] == len(frame)
    assert all(c and len(c) == 5 for c in joined.codes())


def test_names_join_ignoring_case_diacritics_form_and_prefix_and_fuzzy_needs_acceptance():
    ref = _reference()
    nfd_upper = unicodedata.normalize("NFD", "THỊ TRẤN CÀNG LONG")
    rows = pd.DataFrame({"ten": [nfd_upper, "mỹ cẩm", "Xã Mỹ Cẩn", "Nowhere at all"]})
    joined = join_communes(rows, ref, ColumnMapping(name="ten"))
    assert list(joined.rows["status"]) == ["name", "name", "fuzzy", "unmatched"]
    assert joined.codes()[2] is None and joined.codes(accept_fuzzy=True)[2] is not None


def test_shapefile_import_saves_a_user_pack_that_discover_and_load_accept(root):
    insp = inspect_upload("xa.zip", shapefile_zip(messy(to_vn2000(communes_wgs84(), 9209))))
    mapping = suggest_mapping(insp.columns, insp.data, _reference())
    joined = join_communes(insp.data, _reference(), mapping)
    result = save_import(insp, ImportPlan("xa_tv", mapping), join=joined, root=root)
    assert result.created and result.path == root / "xa_tv"
    loaded = load_pack(result.path)
    assert loaded.pack is not None, loaded.report.issues
    meta = loaded.pack.meta
    assert (meta.province_code, meta.district_code) == ("84", "844")
    layer = loaded.pack.manifest.layer(result.layer_id)
    assert layer.kind == "boundary" and layer.code_field == "code"
    frame = loaded.pack.frames[layer.id]
    assert sorted(frame["code"]) == sorted(_reference()["code"])
    assert all(unicodedata.is_normalized("NFC", n) for n in frame["name"])
    assert "xa_tv" in [p.id for p in discover_packs([SHIPPED_PACKS, root])]
    assert not (root / ".staging").exists()  # its work dir and the empty folder are gone


def test_xlsx_table_added_to_an_existing_user_pack_joins_by_integer_code(root):
    insp = inspect_upload("xa.geojson", vector_bytes(communes_wgs84(), ".geojson", "GeoJSON"))
    mapping = suggest_mapping(insp.columns, insp.data)
    save_import(insp, ImportPlan("tv", mapping), root=root)
    ref = _reference()
    rows = pd.DataFrame(
        {"Mã xã": ref["code"].astype(int), "Tên": ref["name"], "Dân số": range(len(ref))}
    )
    table = inspect_upload("so_lieu.xlsx", xlsx(rows))
    assert table.ok and table.format == "xlsx" and table.is_table
    pack = load_pack(root / "tv").pack
    tmapping = suggest_mapping(table.columns, table.data, commune_reference(pack))
    assert tmapping.code == "Mã xã"
    joined = join_communes(table.data, commune_reference(pack), tmapping)
    assert joined.all_matched
    result = save_import(
        table, ImportPlan("tv", tmapping, into_existing=True), join=joined, root=root
    )
    loaded = load_pack(root / "tv").pack
    assert result.table_id in [t.id for t in loaded.tables]
    assert any(la.kind == "choropleth" for la in loaded.layers)


def test_csv_with_semicolons_and_nfd_header_is_read_as_a_table():
    text = "ma;" + unicodedata.normalize("NFD", "tên") + ";so\n29242;Xã A;1\n1234;Xã B;2\n"
    insp = inspect_upload("t.csv", text.encode())
    assert insp.ok and insp.columns == ["ma", "tên", "so"]


def test_unmatched_rows_stop_the_save_and_leave_existing_packs_untouched(root):
    insp = inspect_upload("xa.geojson", vector_bytes(communes_wgs84(), ".geojson", "GeoJSON"))
    save_import(insp, ImportPlan("tv", suggest_mapping(insp.columns, insp.data)), root=root)
    before = pack_fingerprint(root / "tv")
    rows = pd.DataFrame({"code": ["99999"], "v": ["1"]})
    table = inspect_upload("t.csv", rows.to_csv(index=False).encode())
    ref = commune_reference(load_pack(root / "tv").pack)
    joined = join_communes(table.data, ref, ColumnMapping(code="code", fields=("v",)))
    with pytest.raises(IngestError) as exc:
        save_import(
            table,
            ImportPlan("tv", ColumnMapping(code="code", fields=("v",)), into_existing=True),
            join=joined,
            root=root,
        )
    assert "match no commune" in exc.value.en
    assert pack_fingerprint(root / "tv") == before


def test_save_refuses_shipped_ids_existing_ids_and_bad_slugs(root):
    insp = inspect_upload("xa.geojson", vector_bytes(communes_wgs84(), ".geojson", "GeoJSON"))
    for bad in ("cang_long", "../evil", "Xa Moi"):
        with pytest.raises(IngestError):
            save_import(insp, ImportPlan(bad), root=root)
    save_import(insp, ImportPlan("once"), root=root)
    with pytest.raises(IngestError):
        save_import(insp, ImportPlan("once"), root=root)
    with pytest.raises(IngestError):
        save_import(insp, ImportPlan("cang_long", into_existing=True), root=root)


def test_a_file_needing_crs_confirmation_cannot_be_saved(root):
    data = shapefile_zip(to_vn2000(communes_wgs84(), 9209), prj=False)
    insp = inspect_upload("xa.zip", data)
    with pytest.raises(IngestError):
        save_import(insp, ImportPlan("nope"), root=root)
    assert not (root / "nope").exists()


def test_invalid_geometry_is_repaired_empty_dropped_duplicates_flagged():
    import geopandas as gpd
    from shapely.geometry import Polygon

    bowtie = Polygon([(106.0, 10.0), (106.1, 10.1), (106.1, 10.0), (106.0, 10.1)])
    square = Polygon([(106.2, 10.0), (106.3, 10.0), (106.3, 10.1), (106.2, 10.1)])
    frame = gpd.GeoDataFrame(
        {"name": ["bow", "sq", "sq2", "none"]},
        geometry=[bowtie, square, square, Polygon()],
        crs=4326,
    )
    insp = inspect_upload("x.geojson", vector_bytes(frame, ".geojson", "GeoJSON"))
    assert insp.ok
    assert (insp.repairs.repaired, insp.repairs.duplicates) == (1, 2)
    assert insp.feature_count in (3, 4)
    assert insp.frame.geometry.is_valid.all()


def test_pack_zip_holds_every_file_under_the_pack_id():
    data = pack_zip(SHIPPED_PACKS / "chi_lang")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "chi_lang/pack.toml" in names and all(n.startswith("chi_lang/") for n in names)


def _zip_with(name: str, data: bytes = b"x", mode: int | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        info = zipfile.ZipInfo(name)
        if mode is not None:
            info.external_attr = mode << 16
        archive.writestr(info, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        _zip_with("../evil.shp"),
        _zip_with("/etc/evil.shp"),
        _zip_with("link.shp", b"/etc/passwd", stat.S_IFLNK | 0o777),
        zip_of({f"f{i}.shp": b"" for i in range(300)}),
        zip_of({"bomb.shp": b"\0" * (20 * 1024 * 1024)}),
    ],
    ids=["dotdot", "absolute", "symlink", "too-many", "bomb"],
)
def test_unsafe_zips_are_refused_with_a_bilingual_message(data):
    with pytest.raises(IngestError) as exc:
        inspect_upload("x.zip", data)
    assert exc.value.refused and "Zip refused" in exc.value.en and exc.value.vi


def test_upload_size_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("ATLAS_MAX_UPLOAD_MB", "0.001")
    with pytest.raises(IngestError) as exc:
        inspect_upload("x.geojson", b"{" + b" " * 5000 + b"}")
    assert "ATLAS_MAX_UPLOAD_MB" in exc.value.en


def test_content_not_name_decides_the_format():
    data = vector_bytes(communes_wgs84(), ".geojson", "GeoJSON")
    insp = inspect_upload("xa.csv", data)
    assert insp.format == "geojson" and insp.ok
    (warning,) = [i for i in insp.report.warnings if "content is geojson" in i.text("en")]
    assert "nội dung là geojson" in warning.text("vi")


def test_attribute_values_are_kept_as_data_not_markup(root):
    frame = communes_wgs84()
    frame["note"] = "<script>alert(1)</script>"
    insp = inspect_upload("x.geojson", vector_bytes(frame, ".geojson", "GeoJSON"))
    mapping = suggest_mapping(insp.columns, insp.data)
    result = save_import(insp, ImportPlan("markup", mapping), root=root)
    loaded = load_pack(result.path).pack
    assert (loaded.frames[result.layer_id]["note"] == "<script>alert(1)</script>").all()


def test_cli_inspect_prints_format_crs_count_bounds_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "xa.zip"
    path.write_bytes(shapefile_zip(to_vn2000(communes_wgs84(), 9209), prj=False))
    before = sorted(p.name for p in tmp_path.iterdir())
    assert cli.main(["inspect", str(path)]) == 2
    out = capsys.readouterr().out
    assert "shapefile" in out and "needs confirmation" in out and "--crs" in out
    assert cli.main(["inspect", str(path), "--province", "Trà Vinh"]) == 0
    out = capsys.readouterr().out
    assert "EPSG:6960" in out and "WGS84 bounds: 106." in out and "features: 14" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_cli_import_creates_a_pack_joined_to_a_shipped_pack(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ATLAS_USER_DATA", str(tmp_path / "data"))
    path = tmp_path / "xa.zip"
    path.write_bytes(shapefile_zip(messy(to_vn2000(communes_wgs84(), 9209))))
    code = cli.main(
        [
            "import",
            str(path),
            "--pack",
            "cli_xa",
            "--join-pack",
            "cang_long",
            "--name",
            "Xã",
            *cli_as(monkeypatch),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "code 14" in out and "Saved" in out
    assert load_pack(tmp_path / "data" / "cli_xa").pack is not None


def test_an_imported_commune_layer_goes_through_the_2025_crosswalk(root):
    from atlas import crosswalk

    if not crosswalk.CROSSWALK_FILE.is_file():
        pytest.skip("crosswalk not generated (make prepare)")
    insp = inspect_upload(
        "xa.geojson", vector_bytes(messy(communes_wgs84()), ".geojson", "GeoJSON")
    )
    mapping = suggest_mapping(insp.columns, insp.data)
    result = save_import(insp, ImportPlan("reorg_xa", mapping), root=root)
    pack = load_pack(result.path).pack
    assert pack.meta.admin_structure == "pre2025"
    assert len(crosswalk.for_pack(pack)) >= 14 and crosswalk.unmapped(pack) == []
    # ... so the pages offer the before / after 2025 switch for it too.
    from atlas import after2025

    assert after2025.supports(pack)
    after = after2025.after_2025(pack)
    (layer_id,) = after2025.commune_layer_ids(pack)
    assert len(after.frames[layer_id]) == 5  # Càng Long's 14 old units in 5 new communes
    assert after.frames[layer_id][after2025.OLD_UNITS].str.contains("Xã Mỹ Cẩm").any()
