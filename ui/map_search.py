"""Search box: type a name (any case, with or without diacritics), pick a hit, map zooms."""

from __future__ import annotations

import streamlit as st

from atlas.i18n import t
from atlas.search import SearchHit, SearchIndex
from atlas.spec import Pack
from ui.map_state import key


def search_box(pack: Pack, index: SearchIndex, lang: str) -> SearchHit | None:
    """Text input plus a pick list of hits; returns the chosen hit, if any."""
    cols = st.columns([3, 2])
    examples = ", ".join(index.examples())
    query = cols[0].text_input(
        t("map.search", lang),
        key=key(pack.id, "search"),
        placeholder=t("map.search_placeholder", lang, examples=examples),
        label_visibility="collapsed",  # the placeholder says it; the label stays for readers
    )
    if not query.strip():
        return None
    hits = index.query(query)
    if not hits:
        cols[1].info(t("map.search_none", lang, q=query))
        return None
    titles = {la.id: la.title.get(lang) for la in pack.layers}
    choice = cols[1].selectbox(
        t("map.search_results", lang, n=len(hits)),
        options=range(len(hits)),
        format_func=lambda i: f"{hits[i].label} · {titles.get(hits[i].layer_id, '')}",
        key=key(pack.id, "search_pick"),
    )
    return hits[choice] if choice is not None and choice < len(hits) else None
