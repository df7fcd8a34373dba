"""A view as a print map sheet, PDF or PNG, A4 or A3 landscape, drawn with matplotlib.

Layout (landscape): the title (district — view title) across the top; the map on the left,
drawn in UTM zone 48N (EPSG:32648, metres) so the scale bar is true, with a north arrow and
commune labels (with a white halo); the legend on the right; source, honesty note ("sơ đồ,
minh hoạ") and date along the bottom. Colours are the map's: each feature's `_style` from
`layers.features.prepare_layer`, adjusted per layer kind as `layers.render` does.

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
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from atlas.export import PAPERS, ExportError, ExportView
from atlas.spec import Pack
from layers.features import prepare_layer
from layers.legend import LegendEntry
from layers.render import BOUNDARY_MAX_FILL, POINT_MIN_FILL

METRIC_CRS = "EPSG:32648"  # UTM 48N: southern Vietnam and most of the north
FONT = "DejaVu Sans"
PNG_DPI = 300
SHEET_FORMATS: tuple[str, ...] = ("pdf", "png")
MM = 1 / 25.4
LINE_SCALE = 0.6  # Leaflet px -> points at print size
HALO = [patheffects.Stroke(linewidth=2.2, foreground="white")]


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


def _draw_layer(ax, frame: gpd.GeoDataFrame, kind: str, opacity: float, zorder: int) -> None:
    """Draw the features, batched by identical style (a few plot calls per layer)."""
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
            float(s.get("weight", 1.0)) * LINE_SCALE,
            s.get("dashArray"),
            float(s.get("radius", 6.0)),
        )
        groups.setdefault(key, []).append(pos)
    for (family, edge, face, fill, width, dash, radius), rows in groups.items():
        part = frame.iloc[rows]
        if family == "point":
            ax.scatter(
                part.geometry.x,
                part.geometry.y,
                s=(radius * LINE_SCALE * 2) ** 2,
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
                linewidth=0.6,
                zorder=50,
            )
        )
    km = length / 1000
    label = f"{km:g} km"
    for x, text in ((left, "0"), (left + length, label)):
        ax.text(
            x, bottom + height * 1.6, text, ha="center", va="bottom", fontsize=7 * scale, zorder=51
        )


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
        arrowprops={"facecolor": "black", "edgecolor": "black", "width": 3, "headwidth": 10},
        zorder=51,
    )


def _legend_handle(entry: LegendEntry):
    if entry.shape == "line":
        return Line2D([], [], color=entry.color, linewidth=2.5, linestyle=_dash(entry.dash, 2.5))
    if entry.shape == "circle":
        return Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=7,
            markerfacecolor=to_rgba(entry.color, 0.8),
            markeredgecolor=entry.stroke or entry.color,
        )
    if entry.shape == "outline":
        return Patch(facecolor="none", edgecolor=entry.color, linewidth=1.5)
    return Patch(facecolor=entry.color, edgecolor=entry.stroke or entry.color, linewidth=0.8)


def _label_layer(pack: Pack) -> str | None:
    """The boundary layer with the most features (the communes), labelled on the sheet."""
    candidates = [la for la in pack.layers if la.kind in ("boundary", "choropleth")]
    if not candidates:
        return None
    best = max(candidates, key=lambda la: len(pack.frames[la.id]))
    return best.id if len(pack.frames[best.id]) > 1 else None


def build_sheet(pack: Pack, view: ExportView, paper: str = "A4", dpi: int = PNG_DPI) -> Figure:
    """The matplotlib Figure of the sheet (no pyplot: safe in the Streamlit server)."""
    view.checked(pack)
    width, height = figure_size(paper, dpi)
    scale = height / (210 * MM)  # text grows with the paper
    fig = Figure(figsize=(width, height), dpi=dpi)
    chars = 190  # characters per line of the 6 pt small print (fonts scale with the paper)
    heading = textwrap.wrap(view.heading(pack), 82)
    fig.text(0.02, 0.975, "\n".join(heading[:2]), fontsize=14 * scale, fontweight="bold", va="top")
    sub = pack.meta.plan_title.get(view.lang) if view.title else ""
    sub = " — ".join(t for t in (view.caption, sub) if t)
    if sub:
        fig.text(0.02, 0.905, textwrap.shorten(sub, 140), fontsize=8 * scale, va="top")
    ax = fig.add_axes((0.02, 0.13, 0.70, 0.755))
    ax.set_aspect("equal")
    sections: list[tuple[str, tuple[LegendEntry, ...]]] = []
    labels = _label_layer(pack)
    label_frame = None
    for z, lid in enumerate(view.layers):
        layer = pack.manifest.layer(lid)
        prepared = prepare_layer(pack, lid, view.lang, view.year, view.scheme, view.k)
        sections.append((layer.title.get(view.lang), prepared.legend))
        features = prepared.fc["features"]
        if not features:
            continue
        frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326").to_crs(METRIC_CRS)
        _draw_layer(ax, frame, layer.kind, view.opacity.get(lid, 1.0), zorder=2 + z)
        if lid == labels:
            label_frame = frame
    if label_frame is None and labels is not None:
        prepared = prepare_layer(pack, labels, view.lang)
        label_frame = gpd.GeoDataFrame.from_features(
            prepared.fc["features"], crs="EPSG:4326"
        ).to_crs(METRIC_CRS)
    if label_frame is not None:
        points = label_frame.geometry.representative_point()
        for point, name in zip(points, label_frame["_name"], strict=True):
            if not name:
                continue
            # The halo is a white-stroked copy underneath: text drawn with a path effect
            # becomes a path in the PDF, the plain text on top stays searchable text.
            for effects, z in ((HALO, 39), (None, 40)):
                ax.text(
                    point.x,
                    point.y,
                    name,
                    fontsize=6.5 * scale,
                    ha="center",
                    va="center",
                    color="#222222",
                    path_effects=effects,
                    zorder=z,
                    clip_on=True,
                )
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    pad = max(x1 - x0, y1 - y0) * 0.03
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
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
            handles.append(_legend_handle(entry))
            texts.append(textwrap.shorten(entry.label, 48))
            bold.append(not headed)
    legend_ax = fig.add_axes((0.74, 0.13, 0.25, 0.76))
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
    # Source, honesty note, date.
    vi = view.lang != "en"
    when = ("Ngày in: " if vi else "Printed: ") + date.today().isoformat()
    foot = []
    for line in view.source_lines(pack):
        foot.extend(textwrap.wrap(line, chars))
    foot = foot[:7]
    fig.text(0.02, 0.115, "\n".join(foot), fontsize=6 * scale, va="top", color="#333333")
    fig.text(0.98, 0.02, when, fontsize=7 * scale, ha="right", va="bottom", color="#333333")
    return fig


def render_sheet(
    pack: Pack, view: ExportView, fmt: str = "pdf", paper: str = "A4", dpi: int = PNG_DPI
) -> bytes:
    """The sheet as PDF or PNG bytes."""
    if fmt not in SHEET_FORMATS:
        raise ExportError(f"Unknown sheet format {fmt!r}; use pdf or png")
    rc = {"pdf.fonttype": 42, "font.family": FONT, "svg.fonttype": "none"}
    with matplotlib.rc_context(rc):
        fig = build_sheet(pack, view, paper, dpi)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata={"Title": view.heading(pack)})
    return buffer.getvalue()


def write_sheet(pack: Pack, view: ExportView, fmt: str, out: Path | str, paper: str = "A4") -> Path:
    out = Path(out)
    out.write_bytes(render_sheet(pack, view, fmt, paper))
    return out
