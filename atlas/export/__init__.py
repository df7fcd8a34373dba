"""Exports of a map view: the view description shared by every exporter, and progress.

`ExportView` is the one input of the exporters (standalone HTML in `layers.export_html`, the
print sheet in `layers.export_sheet`, the data files in `atlas.export.data`). It is a plain
description — pack, layers in drawing order, year, language, title, caption, the scenario
overlay — so a saved view (`atlas.views.View`) maps onto it with `ExportView.from_view`.

A view with a scenario is exported with its target layer (as on the map): the caller resolves
the scenario's figures once with `ExportView.with_overlay` (the pages pass their cached
figures, the CLI reads the scenarios from the database) and every exporter draws or writes
`overlay` as one more layer, with its legend.

Exporters report progress through `Steps`: a callback `(fraction, label)` called with
increasing fractions, the last one 1.0, and a label in the view's language.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from atlas import overlay as ov
from atlas import scenarios as sc
from atlas.i18n import t
from atlas.spec import Pack
from atlas.text import fold

FORMATS: tuple[str, ...] = ("html", "pdf", "png", "geojson", "gpkg", "csv", "xlsx")
PAPERS: dict[str, tuple[float, float]] = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}  # mm


class ExportError(ValueError):
    """A view that cannot be exported (unknown layer, no layer, bad format or paper)."""


Progress = Callable[[float, str], None]


class Steps:
    """Progress of one export in `total` steps: `step(label)` as each begins (fractions 0,
    1/total, …, never 1.0 before the end) and `done()` at the end (1.0). Steps beyond `total`
    report the last fraction again, so a miscount slows the bar and never runs it backwards."""

    def __init__(self, progress: Progress | None, total: int, lang: str) -> None:
        self.progress = progress
        self.total = max(1, total)
        self.lang = lang
        self.count = 0

    def step(self, key: str, **kwargs: object) -> None:
        """Report the start of the next step, labelled by i18n `key` (see atlas/i18n.py)."""
        if self.progress is not None:
            fraction = min(self.count, self.total - 1) / self.total
            self.progress(fraction, t(key, self.lang, **kwargs))
        self.count += 1

    def done(self) -> None:
        if self.progress is not None:
            self.progress(1.0, t("export.step.done", self.lang))


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
    scenario: str | None = None  # the view's scenario: its target layer is exported too
    target: str | None = None  # None: the pack's first target
    overlay: ov.TargetOverlay | None = field(default=None, compare=False, repr=False)
    basemap: str | None = None  # a basemap id (atlas.views.BASEMAPS) shown in the HTML map
    labels: bool = True  # names on the map (`layers.labels`), as the map's toggle shows them

    @classmethod
    def default(cls, pack: Pack, lang: str = "vi", year: int | None = None) -> ExportView:
        """The manifest's visible layers, in drawing order."""
        layers = tuple(la.id for la in pack.layers if la.visible)
        return cls(pack_id=pack.id, layers=layers, year=year, lang=lang)

    @classmethod
    def from_view(cls, view: Any, lang: str = "vi") -> ExportView:
        """From a saved view (anything with `pack_id`, `layers` and optionally `year`,
        `title`, `caption`, `opacity`, `scheme`, `k`, `units`, `basemap`)."""
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
            scenario=getattr(view, "scenario", None) or None,
            target=getattr(view, "target", None) or None,
            basemap=getattr(view, "basemap", None),
            labels=bool(getattr(view, "labels", True)),
        )

    def with_overlay(
        self,
        source: Pack,
        shown: Pack,
        reg: Mapping[str, sc.Scenario],
        figures: Callable[[sc.Scenario], pd.DataFrame] | None = None,
    ) -> ExportView:
        """Self with the scenario overlay resolved (`atlas.overlay.resolve`) on `shown`;
        ExportError when the scenario or target is unknown or cannot be computed."""
        try:
            found = ov.resolve(source, shown, self.scenario, self.target, reg, figures)
        except (ov.OverlayError, sc.ScenarioError) as exc:
            raise ExportError(str(exc)) from exc
        return replace(self, overlay=found)

    def needs_overlay(self) -> bool:
        return bool(self.scenario) and self.overlay is None

    def key(self) -> str:
        """A short hash of what the export shows (not of the figures): a file made for one
        view is never offered for another."""
        return hashlib.sha1(repr(self).encode("utf-8")).hexdigest()[:12]

    def file_name(self, pack: Pack, fmt: str) -> str:
        """`<pack id>-<view title>.<fmt>` with the title folded to ASCII (valid on Windows,
        readable in any archive tool); `<pack id>.<fmt>` for a view without title."""
        slug = re.sub(r"[^a-z0-9]+", "-", fold(self.title)).strip("-")[:60].strip("-")
        return f"{pack.id}-{slug}.{fmt}" if slug else f"{pack.id}.{fmt}"

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
        if self.needs_overlay():
            raise ExportError(
                f"Chưa tính kịch bản {self.scenario!r} của góc nhìn / the view's scenario "
                f"{self.scenario!r} was not resolved (ExportView.with_overlay)"
            )
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

    def layer_notes(self, pack: Pack) -> list[str]:
        """ "<layer title> — <its own honesty note>" for each drawn layer that has one, in drawing
        order: the pack's note speaks for the whole map, these name the layers that are less
        sure than the rest (e.g. routes the plan does not name)."""
        notes = []
        for lid in ov.drawing_order(pack, self.layers, self.overlay):
            if lid == ov.OVERLAY:
                continue
            spec = pack.manifest.layer(lid)
            note = spec.honesty.note.get(self.lang) if spec.honesty else ""
            if note:
                notes.append(f"{spec.title.get(self.lang)} — {note}")
        return notes
