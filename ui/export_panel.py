"""Export the view on screen: offline HTML, print sheet (PDF/PNG), or the layers' data.

The files are made by `atlas.export` and `layers.export_*` (the same code as
`python -m atlas export`); this panel only picks the format, shows a progress bar with each
step while the file is made, and offers it for download. A view with a scenario is exported
with its target layer, the figures coming from the same caches as the map's.

The file made is kept with the key of the view it was made for (`ExportView.key`): after
the Present page's Next, or any change on the map, the previous view's file is no longer
offered. Its name is the view's title (`ExportView.file_name`).
"""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from atlas import views as vw
from atlas.export import FORMATS, PAPERS, ExportError, ExportView
from atlas.i18n import t
from atlas.spec import Pack
from layers.exports import export as export_file
from ui.map_scenario import cached_figures
from ui.scenario_data import registry

MIME = {
    "html": "text/html",
    "pdf": "application/pdf",
    "png": "image/png",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SHEETS = ("pdf", "png")


@dataclass(frozen=True)
class MadeFile:
    """A file made by the panel, and the key of the view it shows."""

    view_key: str
    name: str
    data: bytes
    mime: str


def export_panel(
    pack: Pack,
    view: vw.View,
    lang: str,
    key: str,
    *,
    source: Pack,
    source_fingerprint: str,
    labels: bool = True,
) -> None:
    """Format (and paper) pickers, a make button with progress, and the download button.

    `source` is the pack as loaded (where the view's scenario lives; `pack` itself unless
    `pack` shows the communes after 2025) and `source_fingerprint` its content key; `labels`:
    the map shows names (the file does as the map does).
    """
    file_key = f"{key}.file"
    spec = dataclasses.replace(ExportView.from_view(view, lang), labels=labels)
    with st.expander(t("export.title", lang), icon=":material/download:"):
        fmt = st.selectbox(
            t("export.format", lang),
            FORMATS,
            format_func=lambda f: t(f"export.format.{f}", lang),
            key=f"{key}.format",
        )
        paper = "A4"
        if fmt in SHEETS:
            paper = st.radio(
                t("export.paper", lang), list(PAPERS), horizontal=True, key=f"{key}.paper"
            )
        # The click only raises a flag (a callback survives any rerun of the script); the file
        # is made below, in the page, where the progress bar can show each step.
        st.button(
            t("export.make", lang),
            key=f"{key}.make",
            icon=":material/build:",
            on_click=st.session_state.__setitem__,
            args=(f"{key}.requested", True),
        )
        if st.session_state.pop(f"{key}.requested", False):
            made = _make(pack, spec, fmt, paper, source, source_fingerprint)
            st.session_state[file_key] = made
        made = st.session_state.get(file_key)
        if isinstance(made, MadeFile) and made.view_key == spec.key():
            st.download_button(
                t("export.download", lang, name=made.name),
                data=made.data,
                file_name=made.name,
                mime=made.mime,
                key=f"{key}.download",
                icon=":material/download:",
            )
        elif isinstance(made, MadeFile):
            st.caption(t("export.stale", lang))


def _make(
    pack: Pack, spec: ExportView, fmt: str, paper: str, source: Pack, source_fingerprint: str
) -> MadeFile | None:
    """Make the file under a progress bar labelled with each step; None (and the reason
    shown) on failure."""
    lang = spec.lang
    bar = st.progress(0.0, text=t("export.working", lang, fmt=fmt.upper()))
    name = spec.file_name(pack, fmt)
    try:
        if spec.scenario:
            reg = registry(source)
            figures = cached_figures(pack, source, source_fingerprint, reg)
            spec = spec.with_overlay(source, pack, reg, figures)
        spec.checked(pack)
        with tempfile.TemporaryDirectory(prefix="atlas-export-") as tmp:
            path = export_file(
                pack,
                spec,
                fmt,
                Path(tmp) / name,
                paper,
                progress=lambda fraction, label: bar.progress(fraction, text=label),
            )
            data = path.read_bytes()
    except (ExportError, OSError, ValueError) as exc:
        bar.empty()
        st.error(t("export.failed", lang, error=str(exc)))
        return None
    bar.progress(1.0, text=t("export.done", lang, name=name))
    return MadeFile(spec.key(), name, data, MIME.get(fmt, "application/octet-stream"))
