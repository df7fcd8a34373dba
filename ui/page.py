"""The opening every pack page shares: the frame, the chosen pack loaded, a header.

A page that shows a pack calls `open_pack_page()` first; it returns the language, the loaded
pack and its content fingerprint, or stops the page with a clear message (no pack found, or
the pack's errors in a table) so no page has to repeat those checks.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from atlas.i18n import t
from atlas.packs import pack_fingerprint
from atlas.spec import Pack
from ui.data import load_pack_cached
from ui.shell import ensure_shell
from ui.sidebar import current_lang, selected_pack_ref
from ui.widgets import honesty_banner, issue_table


@dataclass(frozen=True)
class PackPage:
    lang: str
    pack: Pack
    fingerprint: str


def open_pack_page() -> PackPage:
    """Frame the page and load the pack picked in the sidebar; stop the page if there is none."""
    ensure_shell()
    lang = current_lang()
    ref = selected_pack_ref()
    if ref is None:
        st.info(t("sidebar.no_packs", lang))
        st.stop()
    result = load_pack_cached(ref)
    if result.pack is None:
        st.error(t("packs.errors", lang, pack=ref.id, n=len(result.report.errors)))
        issue_table(result.report.issues, lang)
        st.stop()
    return PackPage(lang, result.pack, pack_fingerprint(result.pack.path))


def pack_header(title: str, pack: Pack, lang: str) -> None:
    """Page title, the district and plan as caption, and the pack's honesty note."""
    st.title(title, anchor=False)
    st.caption(f"{pack.meta.name.get(lang)} · {pack.meta.plan_title.get(lang)}")
    honesty_banner(pack.honesty, lang)
