"""`python -m atlas export`: every format, and clear failures with exit status 1."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from atlas import scenarios as sc
from atlas.export import ExportView
from atlas.loader import load_pack
from atlas.packs import SHIPPED_PACKS
from cli.main import main
from layers.exports import export
from tests.accounts import EDITOR
from tests.packfactory import MANIFEST, features, make_pack


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "xlsx", "html"])
def test_export_formats(fmt, tmp_path, capsys):
    out = tmp_path / f"view.{fmt}"
    assert main(["export", "cang_long", "--format", fmt, "--out", str(out)]) == 0
    assert out.stat().st_size > 0
    printed = capsys.readouterr().out
    assert "exporting" in printed and "done" in printed


def test_export_layers_option(tmp_path):
    out = tmp_path / "roads.gpkg"
    args = ["export", "cang_long", "--format", "gpkg", "--layers", "communes,roads"]
    assert main([*args, "--out", str(out)]) == 0
    assert [name for name, _ in pyogrio.list_layers(out)] == ["communes", "roads"]


def test_export_pdf(tmp_path):
    out = tmp_path / "sheet.pdf"
    assert main(["export", "cang_long", "--format", "pdf", "--paper", "A3", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "nope", "--format", "pdf"], "nope"),
        (["export", "cang_long", "--format", "doc"], "doc"),
        (["export", "cang_long", "--format", "pdf", "--paper", "A5"], "A5"),
        (["export", "cang_long", "--format", "pdf", "--layers", "foo"], "foo"),
        (["export", "cang_long", "--format", "pdf", "--view", "no such view"], "view"),
    ],
)
def test_export_errors(args, message, tmp_path, capsys):
    assert main([*args, "--out", str(tmp_path / "x.out")]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.out").exists()


def test_export_view_by_title(tmp_path):
    """--view picks a view the pack ships in views.toml, by title or id."""
    pack = make_pack(tmp_path / "packs")
    (pack / "views.toml").write_text(
        '[[views]]\ntitle = { vi = "Nước sạch", en = "Clean water" }\nlayers = ["water"]\n',
        "utf-8",
    )
    for name in ("Nước sạch", "default:1"):
        out = tmp_path / "view.gpkg"
        args = ["export", str(pack), "--view", name, "--format", "gpkg"]
        assert main([*args, "--out", str(out)]) == 0
        assert [layer for layer, _ in pyogrio.list_layers(out)] == ["water"]


def test_csv_is_written_at_exactly_the_path_asked(tmp_path, capsys):
    out = tmp_path / "x.csv"
    assert main(["export", "cang_long", "--format", "csv", "--out", str(out)]) == 0
    assert sorted(tmp_path.iterdir()) == [out]  # not x.zip
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert table.columns[0] == "layer" and table["layer"].nunique() > 1
    assert str(out) in capsys.readouterr().out


def test_progress_goes_to_stderr_one_line_per_step(tmp_path, capsys):
    out = tmp_path / "view.geojson"
    args = ["export", "cang_long", "--format", "geojson", "--layers", "communes,roads"]
    assert main([*args, "--out", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("[  0%]") and "Ranh giới xã" in err[0]
    assert err[-1] == "[100%] Xong"
    assert len(err) == 4  # two layers read, the file written, done


@pytest.mark.parametrize("fmt", ["html", "pdf", "png", "geojson", "gpkg", "csv", "xlsx"])
def test_export_reports_increasing_progress_ending_at_one(fmt, tmp_path):
    pack = load_pack(SHIPPED_PACKS / "cang_long").pack
    view = ExportView(pack.id, ("communes", "roads"), lang="en")
    view = replace(view, scenario="plan-2025").with_overlay(pack, pack, sc.registry(pack))
    heard: list[tuple[float, str]] = []
    export(pack, view, fmt, tmp_path / f"out.{fmt}", progress=lambda f, s: heard.append((f, s)))
    fractions = [f for f, _ in heard]
    assert len(heard) >= 4  # three layers (the scenario's included) and the file
    assert fractions == sorted(set(fractions))  # strictly increasing
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert heard[-1][1] == "Done" and all(label for _, label in heard)


def test_view_saved_in_the_database_is_found_by_title(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from atlas import views as vw
    from atlas.store import open_store
    from cli.export import find_view

    monkeypatch.setenv("ATLAS_DB", str(tmp_path / "views.db"))
    monkeypatch.delenv("ATLAS_DB_URL", raising=False)
    store = open_store()
    store.save_view(
        vw.View(pack_id="cang_long", layers=("communes", "roads"), title="Đường xá"), by=EDITOR
    )
    store.close()
    pack = load_pack(Path(__file__).resolve().parent.parent / "geodata" / "cang_long").pack
    found = find_view(pack, "Đường xá", "vi")
    assert found is not None and found.layers == ("communes", "roads")


@pytest.fixture
def saved_scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database (ATLAS_DB) holding a scenario where every commune has 5G, and a view
    "Phủ sóng 5G" showing its 5G target over the communes and roads."""
    from atlas import views as vw
    from atlas.store import open_store

    monkeypatch.setenv("ATLAS_DB", str(tmp_path / "atlas.db"))
    monkeypatch.delenv("ATLAS_DB_URL", raising=False)
    pack = load_pack(SHIPPED_PACKS / "cang_long").pack
    scenario = sc.new_scenario(pack, "5G khắp nơi", year=2025)
    for code in pack.frames["communes"]["code"]:
        scenario = sc.set_edit(scenario, str(code), "coverage_5g", True)
    store = open_store()
    store.save(scenario, 0, by=EDITOR)
    store.save_view(
        vw.View(
            pack_id="cang_long",
            layers=("communes", "roads"),
            scenario=scenario.id,
            target="coverage_5g",
            title="Phủ sóng 5G",
        ),
        by=EDITOR,
    )
    store.close()
    return scenario.id


def test_a_saved_view_with_a_saved_scenario_exports_its_target_layer(
    saved_scenario: str, tmp_path: Path
) -> None:
    out = tmp_path / "view.gpkg"
    args = ["export", "cang_long", "--view", "Phủ sóng 5G", "--format", "gpkg"]
    assert main([*args, "--out", str(out)]) == 0
    assert [name for name, _ in pyogrio.list_layers(out)] == [
        "communes",
        "target_coverage_5g",
        "roads",
    ]
    target = pyogrio.read_dataframe(out, layer="target_coverage_5g")
    assert set(target["target_met"]) == {"yes"}  # the saved edits, not the measured figures
    assert set(target["scenario"]) == {"5G khắp nơi"}


def test_the_scenario_option_adds_a_target_layer_by_name(
    saved_scenario: str, tmp_path: Path
) -> None:
    out = tmp_path / "sheet.pdf"
    args = ["export", "cang_long", "--scenario", "5G khắp nơi", "--target", "coverage_5g"]
    assert main([*args, "--format", "pdf", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_an_unknown_scenario_fails_and_names_it(
    saved_scenario: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.html"
    args = ["export", "cang_long", "--scenario", "không có", "--format", "html"]
    assert main([*args, "--out", str(out)]) == 1
    assert "không có" in capsys.readouterr().err
    assert not out.exists()


def test_the_units_option_exports_the_new_communes_and_refuses_a_pack_the_crosswalk_lacks(
    tmp_path, capsys
):
    from atlas import after2025

    pack = load_pack(SHIPPED_PACKS / "cang_long").pack
    after = after2025.for_structure(pack, after2025.AFTER)
    out = tmp_path / "communes.csv"
    args = ["export", "cang_long", "--format", "csv", "--layers", "communes", "--out", str(out)]
    assert main([*args, "--units", "post2025"]) == 0
    assert len(pd.read_csv(out, encoding="utf-8-sig")) == len(after.frames["communes"])
    assert main([*args, "--units", "pre2025"]) == 0
    assert len(pd.read_csv(out, encoding="utf-8-sig")) == len(pack.frames["communes"])
    # A pack already on the new communes is exported as it is.
    post = make_pack(tmp_path / "packs", "post", MANIFEST.replace('"pre2025"', '"post2025"'))
    args = ["export", str(post), "--format", "csv", "--layers", "communes", "--units", "post2025"]
    assert main([*args, "--out", str(out)]) == 0
    # Communes the crosswalk does not know cannot be carried over: exit 1, nothing written.
    unknown = [("99901", "Xã Một", (105.0, 10.0)), ("99902", "Xã Hai", (105.1, 10.0))]
    other = make_pack(
        tmp_path / "packs", "other", feats=features(unknown), table="code,year,water_pct,landfill\n"
    )
    capsys.readouterr()
    out2 = tmp_path / "other.csv"
    args = ["export", str(other), "--format", "csv", "--units", "post2025", "--out", str(out2)]
    assert main(args) == 1
    assert "--units pre2025" in capsys.readouterr().err and not out2.exists()
