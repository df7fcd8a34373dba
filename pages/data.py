"""Dữ liệu / Data: import an office's own files into a user pack, and download packs.

Arranges the steps only (`ui.data_steps`): upload → CRS → preview → repairs → columns and
commune join → save; where the data lies is shown after the CRS. Reading, CRS, repairs, the
join and saving are `atlas.ingest`'s, and nothing is written before the confirm button.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from atlas.i18n import t
from atlas.ingest import IngestError
from ui import data_state as ds
from ui import data_steps as steps
from ui.shell import ensure_shell
from ui.sidebar import current_lang


def import_steps(upload: ds.Upload, lang: str) -> None:
    state = st.session_state
    # Only a province the user chose (with a VN-2000 zone) is a claim the location is
    # checked against; the sidebar pack says nothing about where a file's data lies.
    insp = ds.inspection(upload, state.get(ds.LAYER), state.get(ds.CRS), state.get(ds.CRS_PROVINCE))
    if isinstance(insp, IngestError):
        steps.refused(insp, lang)
        steps.restart_button(lang)
        return
    steps.file_summary(upload, insp, lang)
    steps.layer_picker(insp, lang)
    if not insp.needs_crs and not insp.ok:
        steps.read_failed(insp, lang)
        steps.restart_button(lang)
        return
    if not steps.crs_step(insp, lang):
        return  # the preview map waits for the CRS to be confirmed
    view = hashlib.sha256(f"{upload.signature}|{insp.layer}|{insp.crs}".encode()).hexdigest()
    map_key = f"data-preview-{view[:16]}-{lang}"
    steps.location_step(insp, lang)
    steps.preview_step(insp, lang, map_key)
    steps.repair_step(insp, lang)
    join, reference = steps.mapping_step(upload, insp, lang)
    steps.save_step(upload, insp, join, reference, lang)


def render() -> None:
    ensure_shell()
    lang = current_lang()
    st.title(t("data.title", lang), anchor=False)
    st.caption(t("data.intro", lang))
    upload = steps.upload_step(lang)
    if upload is not None:
        import_steps(upload, lang)
    st.divider()
    steps.download_step(lang)


render()
