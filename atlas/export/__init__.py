"""Exports of a map view: the view description shared by every exporter.

`ExportView` is the one input of the exporters (standalone HTML in `layers.export_html`, the
print sheet in `layers.export_sheet`, the data files in `atlas.export.data`). It is a plain
description — pack, layers in drawing order, year, language, title, caption — so a saved
view (`atlas.views.View`) maps onto it with `ExportView.from_view`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from atlas.spec import Pack

FORMATS: tuple[str, ...] = ("html", "pdf", "png", "geojson", "gpkg", "csv", "xlsx")
PAPERS: dict[str, tuple[float, float]] = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}  # mm


class ExportError(ValueError):
    """A view that cannot be exported (unknown layer, no layer, bad format or paper)."""


@dataclass(frozen=True)
class ExportView:
    """What to export: `layers` are layer ids in drawing order (first drawn at the bottom).

    `year` is the year of year-dependent (choropleth) layers, None for their latest year;
    `title` "" means the pack's plan title; `caption` is shown under the title.
    """

    pack_id: str
    layers: tuple[str, ...]
    year: int | None = None
    lang: str = "vi"
    title: str = ""
    caption: str = ""
    opacity: dict[str, float] = field(default_factory=dict)
    scheme: str | None = None
    k: int | None = None
    units: str = "pre2025"  # "post2025": draw the pack on the communes after the reorganisation
    basemap: str | None = None  # a basemap id (atlas.views.BASEMAPS) shown in the HTML map
    tile_url: str | None = None  # the `custom` basemap's XYZ template

    @classmethod
    def default(cls, pack: Pack, lang: str = "vi", year: int | None = None) -> ExportView:
        """The manifest's visible layers, in drawing order."""
        layers = tuple(la.id for la in pack.layers if la.visible)
        return cls(pack_id=pack.id, layers=layers, year=year, lang=lang)

    @classmethod
    def from_view(cls, view: Any, lang: str = "vi") -> ExportView:
        """From a saved view (anything with `pack_id`, `layers` and optionally `year`,
        `title`, `caption`, `opacity`, `scheme`, `k`, `units`, `basemap`, `tile_url`)."""
        return cls(
            pack_id=view.pack_id,
            layers=tuple(view.layers),
            year=getattr(view, "year", None),
            lang=lang,
            title=getattr(view, "title", "") or "",
            caption=getattr(view, "caption", "") or "",
            opacity=dict(getattr(view, "opacity", {}) or {}),
            scheme=getattr(view, "scheme", None),
            k=getattr(view, "k", None),
            units=getattr(view, "units", "pre2025") or "pre2025",
            basemap=getattr(view, "basemap", None),
            tile_url=getattr(view, "tile_url", None),
        )

    def checked(self, pack: Pack) -> ExportView:
        """Self, after checking every layer exists in `pack`; raises ExportError otherwise."""
        known = {la.id for la in pack.layers}
        unknown = [lid for lid in self.layers if lid not in known]
        if unknown:
            raise ExportError(
                f"Lớp không có trong gói / unknown layer(s) in pack {pack.id!r}: "
                + ", ".join(unknown)
            )
        if not self.layers:
            raise ExportError("Không có lớp nào để xuất / the view has no layer to export")
        return self

    def heading(self, pack: Pack) -> str:
        """District name and view title, e.g. "Huyện Càng Long — Giao thông"."""
        title = self.title or pack.meta.plan_title.get(self.lang)
        return f"{pack.meta.name.get(self.lang)} — {title}"

    def source_lines(self, pack: Pack) -> list[str]:
        """Source of the plan and of the data, and the honesty note, in the view's language."""
        vi = self.lang != "en"
        lines = [
            ("Nguồn kế hoạch: " if vi else "Plan source: ") + pack.meta.plan_source.get(self.lang)
        ]
        source = pack.honesty.source.get(self.lang)
        if source:
            lines.append(("Nguồn dữ liệu: " if vi else "Data source: ") + source)
        note = pack.honesty.note.get(self.lang)
        flags = []
        if pack.honesty.is_schematic:
            flags.append("sơ đồ" if vi else "schematic")
        if pack.honesty.is_illustrative:
            flags.append("minh hoạ" if vi else "illustrative")
        if flags:
            head = ", ".join(flags).capitalize()
            note = f"{head}. {note}" if note else head
        if note:
            lines.append(note)
        return lines
