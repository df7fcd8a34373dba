"""The opening every pack page shares: the frame, the chosen pack loaded, a header.

A page that shows a pack calls `open_pack_page()` first; it returns the language, the loaded
pack and its content fingerprint, or stops the page with a clear message (no pack found, or
the pack's errors in a table) so no page has to repeat those checks.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from atlas import after2025
from atlas.i18n import t
from atlas.spec import Pack
from ui.data import fingerprint_cached, load_pack_cached
from ui.shell import ensure_shell
from ui.sidebar import current_lang, selected_pack_ref
from ui.units import derived_pack, units_switch
from ui.widgets import honesty_banner, issue_table, md


@dataclass(frozen=True)
class PackPage:
    """`pack` is what the page shows; `source` the pack as loaded (where scenarios are
    edited), which differs from `pack` when the page shows the units after 2025."""

    lang: str
    pack: Pack
    fingerprint: str
    source: Pack
    source_fingerprint: str
    structure: str = after2025.BEFORE

    @property
    def after_2025(self) -> bool:
        return self.structure == after2025.AFTER


def open_pack_page(units: bool = False) -> PackPage:
    """Frame the page and load the pack picked in the sidebar; stop the page if there is none.

    `units`: the page can show the pack before or after the 2025 reorganisation, so draw the
    switch (`ui.units`) and return the pack on the chosen units.
    """
    ensure_shell()
    lang = current_lang()
    ref = selected_pack_ref()
    if ref is None:
        st.info(t("sidebar.no_packs", lang))
        st.stop()
    fingerprint = fingerprint_cached(ref.path)  # once per rerun, and only stat calls
    result = load_pack_cached(ref, fingerprint)
    if result.pack is None:
        st.error(t("packs.errors", lang, pack=ref.id, n=len(result.report.errors)))
        issue_table(result.report.issues, lang)
        st.stop()
    if not units:
        return PackPage(lang, result.pack, fingerprint, result.pack, fingerprint)
    shown, shown_fp, structure = units_switch(result.pack, fingerprint, lang)
    if structure == after2025.BEFORE:
        return PackPage(lang, shown, shown_fp, shown, shown_fp, structure)
    source = derived_pack(result.pack, fingerprint, after2025.BEFORE)
    return PackPage(lang, shown, shown_fp, source, f"{fingerprint}:{after2025.BEFORE}", structure)


def pack_header(title: str, pack: Pack, lang: str) -> None:
    """Page title, the district and plan as caption, and the pack's honesty note."""
    st.title(title, anchor=False)
    st.caption(md(f"{pack.meta.name.get(lang)} · {pack.meta.plan_title.get(lang)}"))
    honesty_banner(pack.honesty, lang)
