"""Data exports of a view: GeoJSON, GeoPackage, CSV (one file, or a ZIP when asked), XLSX;
a view with a scenario exports its target layer too."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pyogrio
import pytest

from atlas import scenarios as sc
from atlas.export import ExportError, ExportView
from atlas.export.data import INFO_SHEET, layer_frames, write_data
from atlas.loader import load_pack
from atlas.packs import SHIPPED_PACKS

TARGET_LAYER = "target_coverage_5g"


@pytest.fixture(scope="module")
def pack():
    return load_pack(SHIPPED_PACKS / "cang_long").pack


@pytest.fixture(scope="module")
def view(pack):
    return ExportView.default(pack)


def test_default_view_is_the_visible_layers_in_drawing_order(pack, view):
    assert view.layers == tuple(la.id for la in pack.layers if la.visible)
    assert "internet_hamlets" not in view.layers  # hidden by the manifest
    assert view.heading(pack).startswith("Huyện Càng Long — ")
    assert any("minh hoạ" in line.lower() for line in view.source_lines(pack))


def test_unknown_layer_and_empty_view_are_refused(pack):
    with pytest.raises(ExportError, match="nope"):
        layer_frames(pack, ExportView(pack.id, ("communes", "nope")))
    with pytest.raises(ExportError):
        layer_frames(pack, ExportView(pack.id, ()))
    with pytest.raises(ExportError):
        write_data(pack, ExportView.default(pack), "shp", "x.shp")


def test_from_view_maps_a_saved_view():
    class Saved:
        pack_id = "cang_long"
        layers = ["roads"]
        year = 2023
        title = "Giao thông"
        caption = "Hội thảo"
        opacity = {"roads": 0.5}
        scheme = None
        k = None

    view = ExportView.from_view(Saved(), lang="en")
    assert view.layers == ("roads",) and view.year == 2023 and view.lang == "en"
    assert view.title == "Giao thông" and view.opacity == {"roads": 0.5}
    assert view.scenario is None and view.overlay is None


def test_from_view_carries_the_scenario_and_target():
    from atlas import views as vw

    saved = vw.View("cang_long", ("communes", "roads"), scenario="plan-2025", target="coverage_5g")
    view = ExportView.from_view(saved)
    assert (view.scenario, view.target) == ("plan-2025", "coverage_5g")


@pytest.fixture(scope="module")
def with_scenario(pack):
    """Communes and roads, with the 5G target under "Kế hoạch 2025" (every target met)."""
    view = ExportView(pack.id, ("communes", "roads"), scenario="plan-2025", target="coverage_5g")
    return view.with_overlay(pack, pack, sc.registry(pack))


def test_a_view_with_a_scenario_must_be_resolved_before_export(pack, tmp_path):
    view = ExportView(pack.id, ("communes",), scenario="plan-2025")
    with pytest.raises(ExportError, match="plan-2025"):
        write_data(pack, view, "geojson", tmp_path / "x.geojson")
    assert not (tmp_path / "x.geojson").exists()


def test_an_unknown_scenario_or_target_is_named(pack):
    reg = sc.registry(pack)
    with pytest.raises(ExportError, match="gone-scenario"):
        ExportView(pack.id, ("communes",), scenario="gone-scenario").with_overlay(pack, pack, reg)
    view = ExportView(pack.id, ("communes",), scenario="plan-2025", target="no_target")
    with pytest.raises(ExportError, match="no_target"):
        view.with_overlay(pack, pack, reg)


def test_the_scenario_target_layer_is_exported_below_the_lines(pack, with_scenario):
    frames = layer_frames(pack, with_scenario)
    # Drawn as on the map: above the areas, below the first line layer.
    assert list(frames) == ["communes", TARGET_LAYER, "roads"]
    target = frames[TARGET_LAYER]
    assert len(target) == len(frames["communes"])
    assert set(target["target_met"]) == {"yes"}  # the plan meets every target
    assert (target["target_value"] == 100).all()
    assert set(target["scenario"]) == {"Kế hoạch 2025"} and set(target["target"]) == {"coverage_5g"}
    assert "Thị trấn Càng Long" in set(target["name"])


def test_the_scenario_layer_replaces_the_measured_choropleth_of_its_table(pack):
    """As on the map page: one coverage layer, so the measured internet choropleth is left
    out of a view whose scenario layer shows the same table."""
    layers = ("communes", "internet_hamlets", "roads")
    view = ExportView(pack.id, layers, scenario="plan-2025", target="coverage_5g")
    resolved = view.with_overlay(pack, pack, sc.registry(pack))
    assert resolved.overlay.replaces == ("internet_hamlets",)
    assert list(layer_frames(pack, resolved)) == ["communes", TARGET_LAYER, "roads"]


def test_the_overlay_follows_the_scenario_s_figures(pack):
    """A measured year has communes without 5G: they are 0 and not met."""
    view = ExportView(pack.id, ("communes",), scenario="measured-2021", target="coverage_5g")
    target = layer_frames(pack, view.with_overlay(pack, pack, sc.registry(pack)))[TARGET_LAYER]
    assert "no" in set(target["target_met"])
    assert set(target.loc[target["target_met"] == "no", "target_value"]) == {0}


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "csv", "xlsx"])
def test_every_data_format_carries_the_scenario_layer(pack, with_scenario, fmt, tmp_path):
    out = write_data(pack, with_scenario, fmt, tmp_path / f"view.{fmt}")
    if fmt == "gpkg":
        assert [name for name, _ in pyogrio.list_layers(out)] == [
            "communes",
            TARGET_LAYER,
            "roads",
        ]
        table = pyogrio.read_dataframe(out, layer=TARGET_LAYER)
    elif fmt == "xlsx":
        sheets = pd.read_excel(out, sheet_name=None)
        assert list(sheets) == ["communes", TARGET_LAYER, "roads", INFO_SHEET]
        table = sheets[TARGET_LAYER]
    else:
        read = (
            pd.read_csv(out, encoding="utf-8-sig") if fmt == "csv" else pyogrio.read_dataframe(out)
        )
        assert list(read["layer"].unique()) == ["communes", TARGET_LAYER, "roads"]
        table = read[read["layer"] == TARGET_LAYER]
    assert len(table) == 14 and set(table["target_met"]) == {"yes"}


def test_geojson_round_trip(pack, view, tmp_path):
    out = write_data(pack, view, "geojson", tmp_path / "view.geojson")
    data = json.loads(out.read_text(encoding="utf-8"))
    frames = layer_frames(pack, view)
    assert len(data["features"]) == sum(len(f) for f in frames.values())
    assert "Thị trấn Càng Long" in out.read_text(encoding="utf-8")  # not \u-escaped
    read = pyogrio.read_dataframe(out)
    assert list(read["layer"].unique()) == list(view.layers)
    assert read.crs.to_epsg() == 4326


def test_geopackage_has_one_layer_per_visible_layer(pack, view, tmp_path):
    out = write_data(pack, view, "gpkg", tmp_path / "view.gpkg")
    names = [name for name, _ in pyogrio.list_layers(out)]
    assert names == list(view.layers)
    frames = layer_frames(pack, view)
    communes = pyogrio.read_dataframe(out, layer="communes")
    assert len(communes) == len(frames["communes"])
    assert "Thị trấn Càng Long" in set(communes["name"])
    # Writing again replaces the file instead of failing on existing layers.
    write_data(pack, view, "gpkg", out)
    assert len(pyogrio.list_layers(out)) == len(view.layers)


def test_csv_of_one_layer_is_a_plain_csv(pack, tmp_path):
    view = ExportView(pack.id, ("communes",))
    out = write_data(pack, view, "csv", tmp_path / "communes.csv")
    assert out.suffix == ".csv"
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    table = pd.read_csv(out, encoding="utf-8-sig", dtype={"code": str})
    assert "geometry" not in table.columns
    assert "Thị trấn Càng Long" in set(table["name"])


def test_csv_of_several_layers_is_one_table_at_exactly_the_path_asked(pack, view, tmp_path):
    out = write_data(pack, view, "csv", tmp_path / "view.csv")
    assert out == tmp_path / "view.csv" and sorted(tmp_path.iterdir()) == [out]
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    table = pd.read_csv(out, encoding="utf-8-sig", dtype={"code": str})
    assert table.columns[0] == "layer"
    frames = layer_frames(pack, view)
    assert list(table["layer"].unique()) == list(view.layers)
    assert table["layer"].value_counts().to_dict() == {lid: len(f) for lid, f in frames.items()}
    points = table[table["layer"] == "ppp_projects"]
    assert points[["lon", "lat"]].notna().all().all()
    assert "Thị trấn Càng Long" in set(table["name"])


def test_csv_asked_as_a_zip_holds_one_csv_per_layer_and_the_sources(pack, view, tmp_path):
    out = write_data(pack, view, "csv", tmp_path / "view.zip")
    assert out == tmp_path / "view.zip"
    frames = layer_frames(pack, view)
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == [*(f"{lid}.csv" for lid in view.layers), f"{INFO_SHEET}.txt"]
        points = pd.read_csv(io.BytesIO(archive.read("ppp_projects.csv")), encoding="utf-8-sig")
    assert len(points) == len(frames["ppp_projects"])
    assert {"lon", "lat"} <= set(points.columns)


def test_xlsx_has_one_sheet_per_layer_and_the_source(pack, view, tmp_path):
    out = write_data(pack, view, "xlsx", tmp_path / "view.xlsx")
    sheets = pd.read_excel(out, sheet_name=None, dtype={"code": str})
    assert list(sheets) == [*view.layers, INFO_SHEET]
    frames = layer_frames(pack, view)
    for lid in view.layers:
        assert len(sheets[lid]) == len(frames[lid])
    assert "Thị trấn Càng Long" in set(sheets["communes"]["name"])
    info = " ".join(sheets[INFO_SHEET].iloc[:, 0])
    assert "Huyện Càng Long" in info and "minh hoạ" in info.lower()


def test_choropleth_is_exported_joined_for_the_year(pack, tmp_path):
    layer = pack.manifest.layer("internet_hamlets")
    view = ExportView(pack.id, ("internet_hamlets",), year=None)
    frame = layer_frames(pack, view)["internet_hamlets"]
    assert layer.style.field in frame.columns


def test_every_data_file_with_room_for_it_says_its_sources_and_how_far_to_trust_it(tmp_path):
    chi_lang = load_pack(SHIPPED_PACKS / "chi_lang").pack
    view = ExportView.default(chi_lang)
    note = chi_lang.manifest.layer("railway").honesty.note.get("vi")  # "Hướng tuyến là sơ đồ."
    geojson = json.loads(write_data(chi_lang, view, "geojson", tmp_path / "a.geojson").read_text())
    assert "KHÔNG phải số liệu đo đạc" in geojson["description"]
    assert f"Đường sắt — {note}" in geojson["description"]
    gpkg = write_data(chi_lang, view, "gpkg", tmp_path / "a.gpkg")
    about = pyogrio.read_info(gpkg, layer="railway")["layer_metadata"]["DESCRIPTION"]
    assert "Nguồn kế hoạch" in about and note in about
    archive = zipfile.ZipFile(write_data(chi_lang, view, "csv", tmp_path / "a.zip"))
    assert note in archive.read(f"{INFO_SHEET}.txt").decode("utf-8")
