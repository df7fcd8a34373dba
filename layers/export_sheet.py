"""A view as a print map sheet, PDF or PNG, A4 or A3 landscape, drawn with matplotlib.

Layout (landscape): the title (district — view title) across the top; the map on the left,
drawn in the UTM zone of the pack's area (`estimate_utm_crs`, metres) so the scale bar is
true wherever the pack lies, with a north arrow and commune labels (with a white halo, moved
off roads and points where the commune has room); the legend on the right; source, honesty
note ("sơ đồ, minh hoạ") and date along the bottom. Colours are the map's: each feature's
`_style` from `layers.features.prepare_layer`, adjusted per layer kind as `layers.render`
does; the view's scenario overlay is drawn where the map draws it (`layers.view_layers`).

Everything drawn in points (text, line widths, markers, halo) grows with the paper: an A3
sheet looks like an A4 sheet enlarged, not like an A4 map with thin lines.

Text is set in DejaVu Sans (bundled with matplotlib; it covers Vietnamese), and PDFs embed it
as TrueType (`pdf.fonttype` 42) so the text can be extracted and searched.
"""

from __future__ import annotations

import io
import math
import textwrap
from datetime import date
from pathlib import Path

import geopandas as gpd
import matplotlib
import shapely
from matplotlib import patheffects
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from pyproj import CRS
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from atlas.export import PAPERS, ExportError, ExportView, Progress, Steps
from atlas.formats import date_text, number_text
from atlas.i18n import t
from atlas.spec import Pack
from layers.features import prepare_layer
from layers.legend import LegendEntry
from layers.render import BOUNDARY_MAX_FILL, POINT_MIN_FILL
from layers.view_layers import n_layers, view_layers

FONT = "DejaVu Sans"
PNG_DPI = 300
SHEET_FORMATS: tuple[str, ...] = ("pdf", "png")
MM = 1 / 25.4
LINE_SCALE = 0.6  # Leaflet px -> points on an A4 sheet; times `paper_scale` on larger paper
HALO_WIDTH = 2.2  # points on A4
LABEL_SIZE = 6.5  # points on A4
CHAR_EM = 0.62  # DejaVu Sans: mean advance of a label's characters, in em (errs wide)


def paper_scale(paper: str) -> float:
    """How much larger than A4 the paper is (1 for A4, √2 for A3): every size in points is
    multiplied by it."""
    if paper not in PAPERS:
        raise ExportError(f"Unknown paper {paper!r}; use one of {', '.join(PAPERS)}")
    return PAPERS[paper][1] / PAPERS["A4"][1]


def metric_crs(frames: list[gpd.GeoDataFrame]) -> CRS:
    """The UTM zone of the frames' area (EPSG:4326 in), so distances on the sheet are true;
    UTM 48N for an empty view."""
    boxes = [box(*f.total_bounds) for f in frames if len(f) and not f.geometry.is_empty.all()]
    if not boxes:
        return CRS.from_epsg(32648)
    return gpd.GeoSeries(boxes, crs="EPSG:4326").estimate_utm_crs()


def figure_size(paper: str, dpi: int = PNG_DPI) -> tuple[float, float]:
    """Landscape size in inches, rounded up to whole pixels at `dpi` (A3 = 4961×3508 @300)."""
    if paper not in PAPERS:
        raise ExportError(f"Unknown paper {paper!r}; use one of {', '.join(PAPERS)}")
    width, height = PAPERS[paper]
    return math.ceil(width * MM * dpi) / dpi, math.ceil(height * MM * dpi) / dpi


def _dash(dash: str | None, width: float):
    if not dash:
        return "solid"
    parts = [float(p) for p in dash.replace(",", " ").split() if p.strip()]
    if not parts:
        return "solid"
    scale = max(width, 0.5)
    return (0, tuple(p / scale for p in parts))


def _feature_style(style: dict, kind: str, opacity: float) -> dict:
    """The Leaflet style adjusted like layers.render does for the kind."""
    s = dict(style)
    if kind == "boundary":
        s["fillOpacity"] = min(s.get("fillOpacity", 0.0), BOUNDARY_MAX_FILL)
        s["fill"] = s["fillOpacity"] > 0
    elif kind == "line":
        s["fill"] = False
    elif kind == "point":
        s["fill"] = True
        s["fillOpacity"] = max(s.get("fillOpacity", 0.0), POINT_MIN_FILL)
    s["opacity"] = s.get("opacity", 1.0) * opacity
    s["fillOpacity"] = s.get("fillOpacity", 0.0) * opacity
    return s


def _draw_layer(
    ax, frame: gpd.GeoDataFrame, kind: str, opacity: float, zorder: int, scale: float = 1.0
) -> list[tuple[BaseGeometry, float]]:
    """Draw the features, batched by identical style (a few plot calls per layer); returns
    the lines and points drawn with their half width in points (obstacles for labels)."""
    drawn: list[tuple[BaseGeometry, float]] = []
    groups: dict[tuple, list[int]] = {}
    for pos, (style, geom) in enumerate(zip(frame["_style"], frame.geometry, strict=True)):
        if geom is None or geom.is_empty:
            continue
        s = _feature_style(style, kind, opacity)
        family = "point" if "Point" in geom.geom_type else geom.geom_type.replace("Multi", "")
        key = (
            family,
            to_rgba(s.get("color", "#333333"), s["opacity"]),
            to_rgba(s.get("fillColor") or s.get("color"), s["fillOpacity"]),
            bool(s.get("fill", True)),
            float(s.get("weight", 1.0)) * LINE_SCALE * scale,
            s.get("dashArray"),
            float(s.get("radius", 6.0)) * LINE_SCALE * scale,
        )
        groups.setdefault(key, []).append(pos)
        if family == "point":
            drawn.append((geom, key[6] + key[4] / 2))
        elif family == "LineString":
            drawn.append((geom, key[4] / 2))
    for (family, edge, face, fill, width, dash, radius), rows in groups.items():
        part = frame.iloc[rows]
        if family == "point":
            ax.scatter(
                part.geometry.x,
                part.geometry.y,
                s=(radius * 2) ** 2,
                c=[face],
                edgecolors=[edge],
                linewidths=width,
                zorder=zorder + 0.5,
            )
        elif family == "Polygon":
            part.plot(
                ax=ax,
                facecolor=face if fill else "none",
                edgecolor=edge,
                linewidth=width,
                linestyle=_dash(dash, width),
                zorder=zorder,
            )
        else:
            part.plot(
                ax=ax, color=edge, linewidth=width, linestyle=_dash(dash, width), zorder=zorder
            )
    return drawn


def _nice_length(span_m: float) -> float:
    """A round scale bar length (m) near a fifth of the map width."""
    target = span_m / 5
    exponent = 10 ** math.floor(math.log10(target))
    for step in (5, 2, 1):
        if step * exponent <= target:
            return step * exponent
    return exponent


def _scale_bar(ax, lang: str, scale: float = 1.0) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = _nice_length(x1 - x0)
    left, bottom = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.04
    height = (y1 - y0) * 0.012
    for i in range(4):
        ax.add_patch(
            Rectangle(
                (left + i * length / 4, bottom),
                length / 4,
                height,
                facecolor="black" if i % 2 == 0 else "white",
                edgecolor="black",
                linewidth=0.6 * scale,
                zorder=50,
            )
        )
    km = length / 1000
    label = f"{km:g} km"
    for x, text in ((left, "0"), (left + length, label)):
        ax.text(
            x, bottom + height * 1.6, text, ha="center", va="bottom", fontsize=7 * scale, zorder=51
        )


def _scale_ratio(fig: Figure, ax, lang: str, paper: str, scale: float = 1.0) -> None:
    """"Tỷ lệ 1:85.000 (in khổ A4)" under the bar: the sheet's true scale when printed at
    its paper size (the metres one point of paper spans), rounded to two significant digits."""
    ratio = _metres_per_point(fig, ax) / (0.0254 / 72)
    digits = max(0, int(math.floor(math.log10(ratio))) - 1)
    rounded = round(ratio / 10**digits) * 10**digits
    number = number_text(rounded, lang, 0)
    text = f"Tỷ lệ 1:{number} (in khổ {paper})" if lang != "en" else (
        f"Scale 1:{number} (printed on {paper})")
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    ax.text(x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.012, text, ha="left", va="bottom",
            fontsize=6.5 * scale, zorder=51)  # fmt: skip


def _north_arrow(ax, lang: str, scale: float = 1.0) -> None:
    letter = "N" if lang == "en" else "B"  # Bắc
    ax.annotate(
        letter,
        xy=(0.95, 0.95),
        xytext=(0.95, 0.85),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=11 * scale,
        fontweight="bold",
        arrowprops={
            "facecolor": "black",
            "edgecolor": "black",
            "width": 3 * scale,
            "headwidth": 10 * scale,
            "headlength": 10 * scale,
        },
        zorder=51,
    )


def _legend_handle(entry: LegendEntry, scale: float = 1.0):
    if entry.shape == "line":
        width = 2.5 * scale
        return Line2D(
            [], [], color=entry.color, linewidth=width, linestyle=_dash(entry.dash, width)
        )
    if entry.shape == "circle":
        return Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=7 * scale,
            markeredgewidth=scale,
            markerfacecolor=to_rgba(entry.color, 0.8),
            markeredgecolor=entry.stroke or entry.color,
        )
    if entry.shape == "outline":
        return Patch(facecolor="none", edgecolor=entry.color, linewidth=1.5 * scale)
    return Patch(
        facecolor=entry.color, edgecolor=entry.stroke or entry.color, linewidth=0.8 * scale
    )


def _label_layer(pack: Pack) -> str | None:
    """The boundary layer with the most features (the communes), labelled on the sheet."""
    candidates = [la for la in pack.layers if la.kind in ("boundary", "choropleth")]
    if not candidates:
        return None
    best = max(candidates, key=lambda la: len(pack.frames[la.id]))
    return best.id if len(pack.frames[best.id]) > 1 else None


# Label positions tried around a commune's representative point, nearest first: (dx in label
# widths, dy in label heights).
LABEL_OFFSETS: tuple[tuple[float, float], ...] = tuple(
    sorted(
        ((dx, dy) for dx in (0, -0.3, 0.3, -0.6, 0.6) for dy in (0, 1, -1, 2, -2, 3, -3)),
        key=lambda o: (abs(o[0]) * 2) ** 2 + o[1] ** 2,
    )
)


def place_labels(
    areas: gpd.GeoSeries,
    names: list[str],
    obstacles: list[tuple[BaseGeometry, float]],
    m_per_pt: float,
    size_pt: float,
) -> list[tuple[float, float] | None]:
    """Where each area's label goes (None: no name): its representative point, unless the
    label there would cover a line or point (`obstacles`, with their half widths in points)
    or an earlier label, in which case the nearest spot in the same area that covers less.

    A label is a box of its estimated text size; a candidate costs the share of the box that
    is covered, plus a little for leaving the area and for the distance moved, so a label
    moves only when that clears it and never leaves its area's interior point."""
    margin = 1.0  # points kept clear around a line or point
    blocked = shapely.union_all(
        [geom.buffer((half + margin) * m_per_pt) for geom, half in obstacles]
    )
    shapely.prepare(blocked)
    placed: list[BaseGeometry] = []
    out: list[tuple[float, float] | None] = []
    for area, name in zip(areas, names, strict=True):
        if not name or area is None or area.is_empty:
            out.append(None)
            continue
        anchor = area.representative_point()
        width = (len(name) * CHAR_EM + 0.4) * size_pt * m_per_pt
        height = 1.3 * size_pt * m_per_pt
        best: tuple[float, float, float] | None = None
        for dx, dy in LABEL_OFFSETS:
            x, y = anchor.x + dx * width, anchor.y + dy * height
            if (dx, dy) != (0, 0) and not area.contains(shapely.Point(x, y)):
                continue
            label = box(x - width / 2, y - height / 2, x + width / 2, y + height / 2)
            covered = label.intersection(blocked).area
            covered += sum(label.intersection(other).area for other in placed)
            outside = 1 - label.intersection(area).area / label.area
            cost = covered / label.area + 0.2 * outside + 0.01 * (abs(dx) * 2 + abs(dy))
            if best is None or cost < best[0]:
                best = (cost, x, y)
            if covered == 0 and outside < 0.05:
                break  # nearest clear spot
        assert best is not None  # the anchor itself is always a candidate
        _, x, y = best
        placed.append(box(x - width / 2, y - height / 2, x + width / 2, y + height / 2))
        out.append((x, y))
    return out


def _metres_per_point(fig: Figure, ax) -> float:
    """Map metres per typographic point, once the axes has its limits and equal aspect."""
    ax.apply_aspect()
    x0, x1 = ax.get_xlim()
    width_pt = ax.get_position().width * fig.get_figwidth() * 72
    return (x1 - x0) / width_pt


def footer_lines(pack: Pack, view: ExportView, chars: int) -> list[str]:
    """The small print, wrapped at `chars`: the honesty note, the drawn layers' own notes in one
    paragraph, then the plan and data sources."""
    *sources, note = view.source_lines(pack)  # the honesty note is the last line
    notes = view.layer_notes(pack)
    paragraphs = [note]
    if notes:
        paragraphs.append(t("export.layer_notes", view.lang, notes=" · ".join(notes)))
    lines: list[str] = []
    for text in [*paragraphs, *sources]:
        lines.extend(textwrap.wrap(text, chars))
    return lines


def build_sheet(
    pack: Pack,
    view: ExportView,
    paper: str = "A4",
    dpi: int = PNG_DPI,
    steps: Steps | None = None,
) -> Figure:
    """The matplotlib Figure of the sheet (no pyplot: safe in the Streamlit server)."""
    view.checked(pack)
    width, height = figure_size(paper, dpi)
    scale = paper_scale(paper)  # text, lines and markers grow with the paper
    fig = Figure(figsize=(width, height), dpi=dpi)
    chars = 190  # characters per line of the 6 pt small print (fonts scale with the paper)
    heading = textwrap.wrap(view.heading(pack), 82)
    fig.text(0.02, 0.975, "\n".join(heading[:2]), fontsize=14 * scale, fontweight="bold", va="top")
    sub = pack.meta.plan_title.get(view.lang) if view.title else ""
    sub = " — ".join(t for t in (view.caption, sub) if t)
    # The subtitle is wrapped, not cut: up to three lines, the map starting below them.
    sub_lines = textwrap.wrap(sub, 165)[:3] if sub else []
    if sub_lines:
        fig.text(0.02, 0.905, "\n".join(sub_lines), fontsize=8 * scale, va="top")
    sub_extra = max(0, len(sub_lines) - 1) * 8 * scale * 1.3 / 72 / height
    # The small print is never cut: the honesty note first, then each layer's own note, then
    # the sources; the map and legend stand on top of however many lines that takes.
    foot = footer_lines(pack, view, chars)
    line = 6 * scale * 1.3 / 72 / height  # one 6 pt line, as a fraction of the sheet's height
    foot_top = 0.025 + len(foot) * line
    bottom = foot_top + 0.015
    ax = fig.add_axes((0.02, bottom, 0.70, 0.885 - sub_extra - bottom))
    ax.set_aspect("equal")
    sections: list[tuple[str, tuple[LegendEntry, ...]]] = []
    labels = _label_layer(pack)
    drawn = []
    for spec, prepared, opacity in view_layers(pack, view, steps):
        sections.append((spec.title.get(view.lang), prepared.legend))
        features = prepared.fc["features"]
        if features:
            frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
            drawn.append((spec, frame, opacity))
    label_frame = next((frame for spec, frame, _ in drawn if spec.id == labels), None)
    if label_frame is None and labels is not None:
        prepared = prepare_layer(pack, labels, view.lang)
        label_frame = gpd.GeoDataFrame.from_features(prepared.fc["features"], crs="EPSG:4326")
    area = [frame for _, frame, _ in drawn]
    if not area and label_frame is not None:
        area = [label_frame]
    crs = metric_crs(area)
    obstacles: list[tuple[BaseGeometry, float]] = []
    for z, (spec, frame, opacity) in enumerate(drawn):
        obstacles += _draw_layer(ax, frame.to_crs(crs), spec.kind, opacity, 2 + z, scale)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    pad = max(x1 - x0, y1 - y0) * 0.03
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    if steps:
        steps.step("export.step.labels")
    if label_frame is not None:
        label_frame = label_frame.to_crs(crs)
        size = LABEL_SIZE * scale
        names = [str(n) if isinstance(n, str) else "" for n in label_frame["_name"]]
        spots = place_labels(
            label_frame.geometry, names, obstacles, _metres_per_point(fig, ax), size
        )
        halo = [patheffects.Stroke(linewidth=HALO_WIDTH * scale, foreground="white")]
        for spot, name in zip(spots, names, strict=True):
            if spot is None:
                continue
            # The halo is a white-stroked copy underneath: text drawn with a path effect
            # becomes a path in the PDF, the plain text on top stays searchable text.
            for effects, z in ((halo, 39), (None, 40)):
                ax.text(
                    spot[0],
                    spot[1],
                    name,
                    fontsize=size,
                    ha="center",
                    va="center",
                    color="#222222",
                    path_effects=effects,
                    zorder=z,
                    clip_on=True,
                )
    if steps:
        steps.step("export.step.legend")
    _scale_bar(ax, view.lang, scale)
    _scale_ratio(fig, ax, view.lang, paper, scale)
    _north_arrow(ax, view.lang, scale)
    # Legend: one titled section per layer, in the right-hand column.
    handles, texts, bold = [], [], []
    for title, entries in sections:
        if not entries:
            continue
        headed = len(entries) > 1 or entries[0].label != title
        if headed:
            handles.append(Patch(visible=False))
            texts.append(textwrap.shorten(title, 48))
            bold.append(True)
        for entry in entries:
            handles.append(_legend_handle(entry, scale))
            texts.append(textwrap.shorten(entry.label, 48))
            bold.append(not headed)
    legend_ax = fig.add_axes((0.74, bottom, 0.25, 0.89 - bottom))
    legend_ax.axis("off")
    legend = legend_ax.legend(
        handles,
        texts,
        loc="upper left",
        title="Chú giải" if view.lang != "en" else "Legend",
        fontsize=7.5 * scale,
        title_fontsize=10 * scale,
        frameon=False,
        alignment="left",
        handlelength=2.2,
    )
    legend.get_title().set_fontweight("bold")
    for text, is_bold in zip(legend.get_texts(), bold, strict=True):
        if is_bold:
            text.set_fontweight("bold")
    vi = view.lang != "en"
    when = ("Ngày in: " if vi else "Printed: ") + date_text(date.today(), view.lang)
    fig.text(
        0.02,
        foot_top,
        "\n".join(foot),
        fontsize=6 * scale,
        va="top",
        color="#333333",
        linespacing=1.2,
    )
    fig.text(0.98, 0.02, when, fontsize=7 * scale, ha="right", va="bottom", color="#333333")
    return fig


def render_sheet(
    pack: Pack,
    view: ExportView,
    fmt: str = "pdf",
    paper: str = "A4",
    dpi: int = PNG_DPI,
    progress: Progress | None = None,
) -> bytes:
    """The sheet as PDF or PNG bytes; `progress` hears one step per layer drawn, the labels,
    the legend and writing the file, then 1.0."""
    if fmt not in SHEET_FORMATS:
        raise ExportError(f"Unknown sheet format {fmt!r}; use pdf or png")
    steps = Steps(progress, n_layers(pack, view) + 3, view.lang)
    rc = {"pdf.fonttype": 42, "font.family": FONT, "svg.fonttype": "none"}
    with matplotlib.rc_context(rc):
        fig = build_sheet(pack, view, paper, dpi, steps)
        steps.step("export.step.write", fmt=fmt.upper())
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata={"Title": view.heading(pack)})
    steps.done()
    return buffer.getvalue()


def write_sheet(
    pack: Pack,
    view: ExportView,
    fmt: str,
    out: Path | str,
    paper: str = "A4",
    progress: Progress | None = None,
) -> Path:
    out = Path(out)
    out.write_bytes(render_sheet(pack, view, fmt, paper, progress=progress))
    return out
