"""A view as a print map sheet, PDF or PNG, A4 or A3 landscape, drawn with matplotlib.

Layout (landscape): the title (district — view title) across the top; the map on the left,
drawn in the UTM zone of the pack's area (`estimate_utm_crs`, metres) so the scale bar is
true wherever the pack lies, with a north arrow and labels (`layers.labels`: the web map's
placement, at the sheet's scale, with a white halo); the legend on the right; source, honesty
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
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
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
from layers.labels import (
    SIZE_PX,
    _half_width,
    commune_layer,
    label_items,
    label_obstacles,
    labelled_layers,
    place,
)
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
LABEL_COLOURS = {
    "area": ("#222222", "normal", "normal"),
    "line": ("#7f2704", "bold", "normal"),
    "point": ("#1a1a1a", "normal", "italic"),
}  # colour, weight, style: the web map's


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


def scale_ratio_text(fig: Figure, ax, lang: str, paper: str) -> str:
    """ "Tỷ lệ 1:85.000 (in khổ A4)": the sheet's true scale when printed at its paper size
    (the metres one point of paper spans), rounded to two significant digits."""
    ratio = _metres_per_point(fig, ax) / (0.0254 / 72)
    digits = max(0, int(math.floor(math.log10(ratio))) - 1)
    rounded = round(ratio / 10**digits) * 10**digits
    number = number_text(rounded, lang, 0)
    if lang == "en":
        return f"Scale 1:{number} (printed on {paper})"
    return f"Tỷ lệ 1:{number} (in khổ {paper})"


def title_block(fig: Figure, pack: Pack, view: ExportView, ratio: str, box, scale: float) -> None:
    """The title block, framed at the foot of the right-hand column (`box`: left, bottom,
    width, height as fractions of the sheet): who made the plan, the map's title, its scale,
    the print date and the plan's source (in full in the small print)."""
    left, bottom, width, height = box
    fig.add_artist(
        Rectangle(
            (left, bottom),
            width,
            height,
            transform=fig.transFigure,
            fill=False,
            linewidth=0.8 * scale,
            edgecolor="#333333",
        )  # fmt: skip
    )
    y = bottom + height - 0.012
    for text, size, weight in block_lines(pack, view, ratio):
        fig.text(left + 0.008, y, text, fontsize=size * scale, fontweight=weight, va="top",
                 color="#222222", linespacing=1.15)  # fmt: skip
        y -= (text.count("\n") + 1) * size * scale * 1.3 / 72 / fig.get_figheight() + 0.004


def block_lines(pack: Pack, view: ExportView, ratio: str) -> list[tuple[str, float, str]]:
    """(text, size in points on A4, weight) of each part of the title block."""
    vi = view.lang != "en"
    agency = pack.meta.agency.get(view.lang) if pack.meta.agency else ""
    source = pack.meta.plan_source.get(view.lang)
    parts: list[tuple[str, float, str]] = []
    if agency:
        parts.append(("\n".join(textwrap.wrap(agency, 46)[:2]), 7.5, "bold"))
    heading = textwrap.wrap(view.heading(pack), 34, max_lines=3, placeholder=" …")
    parts.append(("\n".join(heading), 9, "bold"))
    when = ("Ngày in: " if vi else "Printed: ") + date_text(date.today(), view.lang)
    parts.append((f"{ratio}\n{when}", 7, "normal"))
    label = "Nguồn: " if vi else "Source: "
    parts.append(("\n".join(textwrap.wrap(label + source, 56, max_lines=3, placeholder=" …")),
                  6, "normal"))  # fmt: skip
    return parts


def block_height(parts: list[tuple[str, float, str]], fig_height_in: float, scale: float) -> float:
    """The block's height as a fraction of the sheet for `parts` (see `title_block`)."""
    lines = sum((text.count("\n") + 1) * size * scale * 1.3 / 72 for text, size, _ in parts)
    return lines / fig_height_in + 0.004 * len(parts) + 0.02


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
        facecolor=to_rgba(entry.color, entry.opacity),
        edgecolor=entry.stroke or entry.color,
        linewidth=0.8 * scale,
    )


def _draw_labels(ax, fig: Figure, pack: Pack, drawn: list, crs: CRS, scale: float) -> None:
    """The labels of the drawn layers (and always the communes'), placed as the web map
    places them (`layers.labels.place`) at the sheet's scale; every commune keeps its name."""
    ids = {spec.id for spec in drawn} | {commune_layer(pack)}
    layers = [la for la in labelled_layers(pack) if la.id in ids]
    if not layers:
        return
    items = label_items(pack, layers, crs)
    widths = [(la, _half_width(la) * LINE_SCALE * scale) for la in drawn if la.id in pack.frames]
    obstacles = label_obstacles(pack, widths, crs)
    sizes = {kind: px / SIZE_PX["area"] * LABEL_SIZE * scale for kind, px in SIZE_PX.items()}
    spots = place(items, obstacles, _metres_per_point(fig, ax), sizes, keep_areas=True)
    halo = [patheffects.Stroke(linewidth=HALO_WIDTH * scale, foreground="white")]
    for spot, item in zip(spots, items, strict=True):
        if spot is None:
            continue
        colour, weight, style = LABEL_COLOURS[item.kind]
        # The halo is a white-stroked copy underneath: text drawn with a path effect
        # becomes a path in the PDF, the plain text on top stays searchable text.
        for effects, z in ((halo, 39), (None, 40)):
            ax.text(
                spot.x,
                spot.y,
                item.text,
                fontsize=sizes[item.kind],
                ha="center",
                va="center",
                rotation=spot.angle,
                rotation_mode="anchor",
                color=colour,
                fontweight=weight,
                fontstyle=style,
                path_effects=effects,
                zorder=z,
                clip_on=True,
            )


LEGEND_SIZES = (7.5, 7.0, 6.5, 6.0, 5.5)  # points on A4, tried in turn until the legend fits


def _fitted_legend(fig: Figure, legend_ax, handles, texts, bold, lang: str, scale: float):
    """The legend in its column, at the largest size that leaves it inside the column (above
    the title block): a pack with many layers gets smaller text, then two columns of
    shortened labels, never an overlap."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    room = legend_ax.get_window_extent(renderer).height
    short = [textwrap.shorten(text, 26, placeholder="…") for text in texts]
    tries = [(size, 1, texts) for size in LEGEND_SIZES] + [(5.5, 2, short), (5.0, 2, short)]
    legend = None
    for size, ncols, labels in tries:
        if legend is not None:
            legend.remove()
        legend = legend_ax.legend(
            handles,
            labels,
            ncols=ncols,
            columnspacing=0.8,
            loc="upper left",
            title="Chú giải" if lang != "en" else "Legend",
            fontsize=size * scale,
            title_fontsize=(size + 2.5) * scale,
            frameon=False,
            alignment="left",
            handlelength=2.2,
        )
        legend.get_title().set_fontweight("bold")
        for text, is_bold in zip(legend.get_texts(), bold, strict=True):
            if is_bold:
                text.set_fontweight("bold")
        if legend.get_window_extent(renderer).height <= room:
            break
    return legend


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
    drawn = []
    for spec, prepared, opacity in view_layers(pack, view, steps):
        sections.append((spec.title.get(view.lang), prepared.legend))
        features = prepared.fc["features"]
        if features:
            frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
            drawn.append((spec, frame, opacity))
    area = [frame for _, frame, _ in drawn]
    communes = commune_layer(pack)
    if not area and communes is not None:
        area = [pack.frames[communes]]
    crs = metric_crs(area)
    for z, (spec, frame, opacity) in enumerate(drawn):
        _draw_layer(ax, frame.to_crs(crs), spec.kind, opacity, 2 + z, scale)
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
    if view.labels:
        _draw_labels(ax, fig, pack, [spec for spec, _, _ in drawn], crs, scale)
    if steps:
        steps.step("export.step.legend")
    _scale_bar(ax, view.lang, scale)
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
    ratio = scale_ratio_text(fig, ax, view.lang, paper)
    block_h = block_height(block_lines(pack, view, ratio), height, scale)
    title_block(fig, pack, view, ratio, (0.74, bottom, 0.25, block_h), scale)
    legend_bottom = bottom + block_h + 0.01
    legend_ax = fig.add_axes((0.74, legend_bottom, 0.25, 0.89 - legend_bottom))
    legend_ax.axis("off")
    _fitted_legend(fig, legend_ax, handles, texts, bold, view.lang, scale)
    fig.text(
        0.02,
        foot_top,
        "\n".join(foot),
        fontsize=6 * scale,
        va="top",
        color="#333333",
        linespacing=1.2,
    )
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
    # Text stays text: matplotlib reads "$…$" as mathematics, so a title like "Giá $x^2$"
    # was typeset and "$\\frac{a$" stopped the export with a ParseSyntaxException.
    rc = {"pdf.fonttype": 42, "font.family": FONT, "svg.fonttype": "none", "text.parse_math": False}
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
