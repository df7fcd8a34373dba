"""The print map sheet: PDF with extractable Vietnamese text, PNG at 300 dpi, not blank.

Needs Debian poppler-utils (`pdftotext`, `pdftoppm`): `apt-get install -y poppler-utils`.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import time
import warnings

import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from PIL import Image

from atlas.export import ExportError, ExportView
from atlas.loader import load_pack
from atlas.packs import SHIPPED_PACKS
from layers.export_sheet import FONT, figure_size, render_sheet, write_sheet

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
        started = time.monotonic()
        write_sheet(pack, ExportView.default(pack), "pdf", out, "A4")
        elapsed = time.monotonic() - started
    missing = [str(w.message) for w in caught if "missing from" in str(w.message).lower()]
    assert missing == [], missing  # every glyph (ả ệ ữ ờ ặ Đ …) is in the font
    assert elapsed < 10
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
    assert "Thị trấn Càng Long" in text  # a commune label
    assert "Chú giải" in text  # legend
    assert "minh hoạ" in text.lower()  # honesty note
    assert "Nguồn" in text  # source line
    assert "2 km" in text or "1 km" in text or "5 km" in text  # scale bar


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
