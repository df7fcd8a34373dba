"""`python -m atlas export`: every format, and clear failures with exit status 1."""

from __future__ import annotations

import sys
from pathlib import Path

import pyogrio
import pytest

from atlas.cli import main


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


def test_export_view_by_title(tmp_path, monkeypatch):
    """--view picks a view from `atlas.views.pack_views` (faked here) by title or id."""
    from types import ModuleType, SimpleNamespace

    fake = ModuleType("atlas.views")
    view = SimpleNamespace(
        id="default:1", pack_id="cang_long", title="Giao thông", layers=("communes", "roads")
    )
    fake.pack_views = lambda path, pack_id, lang="vi": [view]
    monkeypatch.setitem(sys.modules, "atlas.views", fake)
    out = tmp_path / "view.gpkg"
    args = ["export", "cang_long", "--view", "Giao thông", "--format", "gpkg"]
    assert main([*args, "--out", str(out)]) == 0
    assert [name for name, _ in pyogrio.list_layers(out)] == ["communes", "roads"]


def test_export_view_without_views_module(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "atlas.views", None)  # import fails
    args = ["export", "cang_long", "--view", "x", "--format", "gpkg"]
    assert main([*args, "--out", str(tmp_path / "x.gpkg")]) == 1
    assert "not available yet" in capsys.readouterr().err


def test_view_saved_in_the_database_is_found_by_title(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from atlas import views as vw
    from atlas.export.cli import find_view
    from atlas.loader import load_pack
    from atlas.store import open_store

    monkeypatch.setenv("ATLAS_DB", str(tmp_path / "views.db"))
    monkeypatch.delenv("ATLAS_DB_URL", raising=False)
    store = open_store()
    store.save_view(vw.View(pack_id="cang_long", layers=("communes", "roads"), title="Đường xá"))
    store.close()
    pack = load_pack(Path(__file__).resolve().parent.parent / "geodata" / "cang_long").pack
    found = find_view(pack, "Đường xá", "vi")
    assert found is not None and found.layers == ("communes", "roads")
