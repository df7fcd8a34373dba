"""The sidebar every page shares: the pack picker and the language switch.

Both widgets are drawn by app.py on every run, before the page, so their values (kept in
`st.session_state` under `LANG_KEY` and `PACK_KEY`) survive page switches; pages read them
with `current_lang()` and `selected_pack_ref()`.
"""

from __future__ import annotations

import streamlit as st

from atlas.i18n import DEFAULT_LANG, LANGS, LANGUAGE_NAMES, t
from atlas.packs import PackRef
from atlas.settings import settings
from ui.data import discover_packs_cached

LANG_KEY = "lang"
PACK_KEY = "pack"


def current_lang() -> str:
    """The UI language chosen in the sidebar (Vietnamese until the user switches)."""
    lang = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def language_switch() -> str:
    """Radio Tiếng Việt / English in the sidebar; returns the chosen language code."""
    lang = st.sidebar.radio(
        t("sidebar.language", current_lang()),
        options=LANGS,
        format_func=LANGUAGE_NAMES.__getitem__,
        horizontal=True,
        key=LANG_KEY,
    )
    return lang if lang in LANGS else DEFAULT_LANG


def pack_picker(lang: str) -> PackRef | None:
    """Select box of the packs found, by Vietnamese name; starts on $ATLAS_PACK (`cang_long`)."""
    refs = discover_packs_cached()
    if not refs:
        st.sidebar.info(t("sidebar.no_packs", lang))
        return None
    by_id = {ref.id: ref for ref in refs}
    config = settings()
    wanted = config.pack
    if wanted not in by_id and config.pack_asked:
        st.sidebar.warning(t("sidebar.pack_not_found", lang, pack=wanted))
    ids = list(by_id)
    choice = st.sidebar.selectbox(
        t("sidebar.pack", lang),
        options=ids,
        index=ids.index(wanted) if wanted in by_id else 0,
        # The Vietnamese name in both languages: a select box shows the label it was given,
        # so a label that followed the language would go stale when the language changes.
        format_func=lambda pack_id: by_id[pack_id].name.vi or pack_id,
        key=PACK_KEY,
    )
    return by_id.get(choice)


def selected_pack_ref() -> PackRef | None:
    """The pack picked in the sidebar (None when there is no pack at all)."""
    refs = discover_packs_cached()
    chosen = st.session_state.get(PACK_KEY)
    return next((ref for ref in refs if ref.id == chosen), refs[0] if refs else None)
