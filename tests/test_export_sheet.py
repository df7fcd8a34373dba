"""The print map sheet: PDF with extractable Vietnamese text, PNG at 300 dpi, not blank.

Needs Debian poppler-utils (`pdftotext`, `pdftoppm`): `apt-get install -y poppler-utils`.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import warnings

import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from PIL import Image

from atlas.export import ExportError, ExportView
from atlas.labels import label_text
from atlas.loader import load_pack
from atlas.packs import SHIPPED_PACKS
from layers.export_sheet import (
    FONT,
    build_sheet,
    figure_size,
    footer_lines,
    metric_crs,
    paper_scale,
    render_sheet,
    write_sheet,
)

VIETNAMESE = "ảệữờặĐđƯươâêôăÀÁẠỸ"
POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm")
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="poppler-utils missing: apt-get install -y poppler-utils"
)


@pytest.fixture(scope="module")
def pack():
    return load_pack(SHIPPED_PACKS / "cang_long").pack


@pytest.fixture(scope="module")
def pdf_path(pack, tmp_path_factory):
    out = tmp_path_factory.mktemp("sheet") / "sheet.pdf"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_sheet(pack, ExportView.default(pack), "pdf", out, "A4")
    missing = [str(w.message) for w in caught if "missing from" in str(w.message).lower()]
    assert missing == [], missing  # every glyph (ả ệ ữ ờ ặ Đ …) is in the font
    return out


def test_font_covers_vietnamese():
    path = font_manager.findfont(
        font_manager.FontProperties(family=FONT), fallback_to_default=False
    )
    assert "DejaVuSans" in path
    font = FT2Font(path)
    assert [ch for ch in VIETNAMESE if font.get_char_index(ord(ch)) == 0] == []


def test_paper_sizes_are_landscape_and_300_dpi():
    w, h = figure_size("A3")
    assert (round(w * 300), round(h * 300)) >= (4960, 3508)
    w, h = figure_size("A4")
    assert abs(w * 25.4 - 297) < 0.2 and abs(h * 25.4 - 210) < 0.2
    with pytest.raises(ExportError):
        figure_size("A5")


@needs_poppler
def test_pdf_text_keeps_the_diacritics(pdf_path):
    text = subprocess.run(
        ["pdftotext", str(pdf_path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Huyện Càng Long" in text
    assert "TT. Càng Long" in text and "Nhị Long Phú" in text  # labels
    assert "Ban Thường vụ Huyện ủy Càng Long" in text  # the title block's agency
    assert "Chú giải" in text  # legend
    assert "minh hoạ" in text.lower()  # honesty note
    assert "Nguồn" in text  # source line
    assert "2 km" in text or "1 km" in text or "5 km" in text  # scale bar
    assert re.search(r"Tỷ lệ 1:\d{1,3}(\.\d{3})+ \(in khổ A4\)", text), text  # 1:N, printed
    assert re.search(r"Ngày in: \d{2}/\d{2}/\d{4}", text)  # dd/mm/yyyy


@needs_poppler
def test_pdf_page_is_not_blank(pdf_path, tmp_path):
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf_path), str(tmp_path / "p")],
        check=True,
    )
    (page,) = sorted(tmp_path.glob("p*.png"))
    pixels = np.asarray(Image.open(page).convert("L"), dtype=float)
    assert pixels.shape[1] > pixels.shape[0]  # landscape
    assert pixels.std() > 10
    assert (pixels < 200).mean() > 0.02  # a real share of the page is drawn


def test_png_a3_is_300_dpi(pack):
    view = ExportView(pack.id, ("communes", "district", "roads"), title="Giao thông")
    data = render_sheet(pack, view, "png", "A3")
    image = Image.open(io.BytesIO(data))
    assert image.size[0] >= 4960 and image.size[1] >= 3508
    small = np.asarray(image.convert("L").resize((496, 351)), dtype=float)
    assert small.std() > 10


def test_bad_format_is_refused(pack):
    with pytest.raises(ExportError):
        render_sheet(pack, ExportView.default(pack), "svg")


def _map_line_widths(fig) -> list[float]:
    """Line widths (points) of everything drawn on the map axes."""
    ax = fig.axes[0]
    widths = [float(w) for c in ax.collections for w in np.atleast_1d(c.get_linewidths())]
    return [w for w in widths if w > 0]


def test_lines_and_markers_grow_with_the_paper(pack):
    view = ExportView(pack.id, ("communes", "roads", "ppp_projects"))
    a4 = build_sheet(pack, view, "A4", dpi=50)
    a3 = build_sheet(pack, view, "A3", dpi=50)
    assert paper_scale("A4") == 1 and abs(paper_scale("A3") - 2**0.5) < 0.01
    ratio = max(_map_line_widths(a3)) / max(_map_line_widths(a4))
    assert abs(ratio - paper_scale("A3")) < 0.01

    def marker_sizes(fig) -> list[float]:
        return [
            s for c in fig.axes[0].collections if hasattr(c, "get_sizes") for s in c.get_sizes()
        ]

    # Marker areas grow with the square of the scale, so diameters grow like the lines.
    assert abs(max(marker_sizes(a3)) / max(marker_sizes(a4)) - 2) < 0.02


def test_the_scale_bar_uses_the_utm_zone_of_the_pack(tmp_path):
    """A pack at 108.5°E (central Vietnam) is drawn in UTM 49N, not the 48N of the south."""
    from tests.packfactory import features, make_pack

    east = [("06463", "Xã Đông", (108.50, 15.10)), ("06466", "Xã Tây", (108.60, 15.10))]
    far = load_pack(make_pack(tmp_path, feats=features(east))).pack
    frames = [f.to_crs("EPSG:4326") for f in far.frames.values()]
    assert metric_crs(frames).to_epsg() == 32649
    here = load_pack(SHIPPED_PACKS / "cang_long").pack
    assert metric_crs([here.frames["communes"]]).to_epsg() == 32648
    fig = build_sheet(far, ExportView(far.id, ("communes",)), "A4", dpi=50)
    x0, x1 = fig.axes[0].get_xlim()
    # Eastings of zone 49 (central meridian 111°E): 2.4° west of it is about 240 km short of
    # the 500 km false easting; in zone 48 (105°E) the same place would be near 870 km.
    assert 200_000 < x0 < x1 < 300_000


@pytest.mark.parametrize("pack_id", ["cang_long", "chi_lang"])
def test_the_legend_stays_above_the_title_block_however_many_layers(pack_id):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    here = load_pack(SHIPPED_PACKS / pack_id).pack
    view = ExportView(here.id, tuple(la.id for la in here.layers))  # every layer at once
    fig = build_sheet(here, view, "A4", dpi=50)
    renderer = FigureCanvasAgg(fig).get_renderer()
    legend = fig.axes[1].get_legend().get_window_extent(renderer)
    block = next(p for p in fig.artists if type(p).__name__ == "Rectangle")
    top = block.get_window_extent(renderer).y1
    assert legend.y0 >= top - 1, (legend, top)
    texts = [t.get_text() for t in fig.texts]
    assert any("Tỷ lệ 1:" in t and "Ngày in:" in t for t in texts)  # scale and date together


def test_the_sheet_names_communes_roads_and_zones_as_the_web_map_does(pack):
    view = ExportView.default(pack)
    fig = build_sheet(pack, view, "A4", dpi=50)
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {"QL53", "KCN Cổ Chiên", "TT. Càng Long", "Tân An", "Nhị Long Phú"} <= texts
    communes = {label_text(n, "boundary") for n in pack.frames["communes"]["name"]}
    assert communes <= texts  # every commune keeps its name on a district sheet
    bare = build_sheet(pack, dataclasses.replace(view, labels=False), "A4", dpi=50)
    assert not {"QL53", "Tân An"} & {t.get_text() for t in bare.axes[0].texts}


def test_the_scenario_target_layer_is_on_the_sheet_with_its_legend(pack):
    from atlas import scenarios as sc

    view = ExportView(pack.id, ("communes", "roads"), scenario="plan-2025", target="coverage_5g")
    view = view.with_overlay(pack, pack, sc.registry(pack))
    fig = build_sheet(pack, view, "A4", dpi=50)
    legend = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert "Phổ cập 5G · Kế hoạch 2025" in legend
    plain = build_sheet(pack, ExportView(pack.id, ("communes", "roads")), "A4", dpi=50)
    assert len(fig.axes[0].collections) > len(plain.axes[0].collections)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_small_print_keeps_the_whole_honesty_note_and_each_drawn_layers_note(lang):
    chi_lang = load_pack(SHIPPED_PACKS / "chi_lang").pack
    view = ExportView.default(chi_lang, lang=lang)
    foot = " ".join(footer_lines(chi_lang, view, 190))
    note = chi_lang.honesty.note.get(lang)
    assert " ".join(note.split()) in foot  # nothing cut, not even the last sentence
    railway = chi_lang.manifest.layer("railway")
    assert railway.honesty.note.get(lang) in foot
    assert foot.index(note.split()[0]) < foot.index(chi_lang.meta.plan_source.get(lang)[:20])
    hidden = ExportView(chi_lang.id, tuple(x for x in view.layers if x != "railway"), lang=lang)
    assert railway.honesty.note.get(lang) not in " ".join(footer_lines(chi_lang, hidden, 190))


def test_a_long_subtitle_is_wrapped_whole_not_cut(pack):
    from dataclasses import replace

    caption = "Nâng cấp QL53, QL60 và các tuyến kết nối " * 6 + "(kết thúc)"
    fig = build_sheet(pack, replace(ExportView.default(pack), caption=caption), "A4", 60)
    shown = " ".join(t.get_text().replace("\n", " ") for t in fig.texts)
    assert "(kết thúc)" in shown and "[...]" not in shown


def test_dollar_signs_in_a_title_stay_text_not_mathematics(pack):
    """Issue 14 (text stays text): "$\\frac{a$" in a view's title stopped the export with a
    matplotlib ParseSyntaxException, and "$x^2$" was typeset as a formula."""
    view = ExportView(pack.id, ("communes",), title=r"Chi phí $\frac{a$ và $x^2$")
    pdf = render_sheet(pack, view, "pdf", "A4")
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode("utf-8")
        assert r"$\frac{a$" in text and "$x^2$" in text
