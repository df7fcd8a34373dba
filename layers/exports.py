"""One export, whatever its format: the dispatcher the app's export panel and the CLI both call,
so they make the same files. The map writers (html, pdf, png) import folium and matplotlib
only when used; the data writers are `atlas.export.data`'s."""

from __future__ import annotations

from pathlib import Path

from atlas.export import ExportView, Progress
from atlas.spec import Pack


def export(
    pack: Pack,
    view: ExportView,
    fmt: str,
    out: Path,
    paper: str = "A4",
    progress: Progress | None = None,
) -> Path:
    """Write one export to exactly `out`; returns it. `progress(fraction, label)` hears each
    step (layers drawn or read, writing…) with increasing fractions, the last one 1.0."""
    if fmt == "html":
        from layers.export_html import write_html

        return write_html(pack, view, out, progress)
    if fmt in ("pdf", "png"):
        from layers.export_sheet import write_sheet

        return write_sheet(pack, view, fmt, out, paper, progress)
    from atlas.export.data import write_data

    return write_data(pack, view, fmt, out, progress)
