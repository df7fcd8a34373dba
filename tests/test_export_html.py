"""The standalone HTML export: every asset inline, no remote or server reference."""

from __future__ import annotations

import json
import re

import pytest

from atlas.export import ExportView
from atlas.loader import load_pack
from atlas.packs import SHIPPED_PACKS
from layers import export_html
from layers.offline import LOCAL_ASSETS, remote_urls_in


@pytest.fixture(scope="module")
def pack():
    return load_pack(SHIPPED_PACKS / "cang_long").pack


@pytest.fixture(scope="module")
def page(pack):
    if not (export_html.VENDOR / "leaflet" / "leaflet.js").is_file():
        pytest.skip("static/vendor is not prepared: run `python assets/prepare.py`")
    return export_html.export_html(pack, ExportView.default(pack))


def test_no_external_reference(page):
    assert remote_urls_in(page) == []
    assert "/app/static" not in page
    assert export_html.MARKER not in page
    assert re.findall(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=", page) == []
    # Only XYZ tile templates (requested when a basemap is picked) and inert strings
    # (licence comments, attribution links, SVG namespaces) mention http.
    for url in re.findall(r"https?://[^\s\"'<>)\\]+", page):
        assert (
            "{z}" in url
            or "/MapServer/tile/" in url
            or url.startswith(("http://www.w3.org/",))
            or "<a href" in page  # attribution/licence text
        )


def test_assets_are_inline(page):
    assert "L.version" in page or "leafletjs.com" in page  # Leaflet's code itself
    assert page.count("<style>") >= 4
    assert "data:image/png;base64," in page  # leaflet.css images
    assert "fa-solid-900" not in page  # icon fonts dropped


def test_layers_legend_and_caption(pack, page):
    view = ExportView.default(pack)
    for lid in view.layers:
        assert f'"{lid}:' in page  # feature ids of every layer of the view
    assert "internet_hamlets:" not in page  # not in the view
    assert "atlas-legend" in page
    assert 'id="atlas-export-caption"' in page
    assert "Huyện Càng Long" in page
    assert pack.honesty.note.vi[:40] in page


def test_folium_assets_restored_after_export(page):
    owners = {asset.owner for asset in LOCAL_ASSETS}
    for owner in owners:
        for _, url in [*owner.default_js, *owner.default_css]:
            assert not url.startswith(export_html.MARKER)


def test_missing_vendor_gives_a_clear_error(pack, monkeypatch, tmp_path):
    monkeypatch.setattr(export_html, "VENDOR", tmp_path / "nothing")
    with pytest.raises(export_html.ExportError, match="assets/prepare.py"):
        export_html.export_html(pack, ExportView.default(pack))


def test_the_scenario_target_layer_is_drawn_with_its_legend(pack):
    if not (export_html.VENDOR / "leaflet" / "leaflet.js").is_file():
        pytest.skip("static/vendor is not prepared: run `python assets/prepare.py`")
    from atlas import scenarios as sc

    view = ExportView(pack.id, ("communes", "roads"), scenario="plan-2025", target="coverage_5g")
    page = export_html.export_html(pack, view.with_overlay(pack, pack, sc.registry(pack)))
    assert '"target_coverage_5g:' in page  # the overlay's features
    legend = page[page.index("atlas-legend") :]
    title = json.dumps("Phổ cập 5G · Kế hoạch 2025")[1:-1]  # as the legend script holds it
    assert title in legend  # its legend section names the target and the scenario
    # Drawn where the map page draws it: after the communes, before the roads.
    assert page.index('"communes:') < page.index('"target_coverage_5g:') < page.index('"roads:')


def test_the_map_is_fitted_around_the_caption_and_legend(page):
    assert "paddingTopLeft" in page and "atlas-export-caption" in page
    assert "fitBounds" in page
