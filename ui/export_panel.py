"""Export the view on screen: offline HTML, print sheet (PDF/PNG), or the layers' data.

The files are made by `atlas.export` and `layers.export_*` (the same code as
`python -m atlas export`); this panel only picks the format, shows progress while the file is
made, and offers it for download. The last file made stays downloadable until the next one.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from atlas import views as vw
from atlas.export import FORMATS, PAPERS, ExportError, ExportView
from atlas.export.cli import export as export_file
from atlas.i18n import t
from atlas.spec import Pack

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


def export_panel(pack: Pack, view: vw.View, lang: str, key: str) -> None:
    """Format (and paper) pickers, a make button with progress, and the download button."""
    file_key = f"{key}.file"
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
        # is made below, in the page, where the status box can show progress.
        st.button(
            t("export.make", lang),
            key=f"{key}.make",
            icon=":material/build:",
            on_click=st.session_state.__setitem__,
            args=(f"{key}.requested", True),
        )
        if st.session_state.pop(f"{key}.requested", False):
            st.session_state[file_key] = _make(pack, view, lang, fmt, paper)
        made = st.session_state.get(file_key)
        if made and made[0] == pack.id:
            _, name, data, mime = made
            st.download_button(
                t("export.download", lang, name=name),
                data=data,
                file_name=name,
                mime=mime,
                key=f"{key}.download",
                icon=":material/download:",
            )


def _make(
    pack: Pack, view: vw.View, lang: str, fmt: str, paper: str
) -> tuple[str, str, bytes, str] | None:
    """Make the file inside a status box that says what is happening; None on failure."""
    with st.status(t("export.working", lang, fmt=fmt.upper()), expanded=False) as status:
        try:
            spec = ExportView.from_view(view, lang).checked(pack)
            with tempfile.TemporaryDirectory(prefix="atlas-export-") as tmp:
                status.update(label=t("export.rendering", lang))
                path = export_file(pack, spec, fmt, Path(tmp) / f"{pack.id}.{fmt}", paper)
                data = path.read_bytes()
        except (ExportError, OSError, ValueError) as exc:
            status.update(label=t("export.failed", lang, error=str(exc)), state="error")
            return None
        status.update(label=t("export.done", lang, name=path.name), state="complete")
    return pack.id, path.name, data, MIME.get(path.suffix.lstrip("."), "application/octet-stream")
