"""Bản đồ / Map: the district's layered infrastructure map.

Arranges widgets only: the panel (`ui.map_panel`), the search box (`ui.map_search`) and the
map (`ui.map_view`); data comes prepared and cached from `ui.map_data`.
"""

from __future__ import annotations

import streamlit as st

from atlas.i18n import t
from ui.attribute_table import attribute_panel
from ui.export_panel import export_panel
from ui.map_data import prepared_layer, search_index
from ui.map_panel import basemap_settings, layer_panel, time_and_scheme
from ui.map_scenario import scenario_overlay
from ui.map_search import search_box
from ui.map_view import MAP_HEIGHT, draw_map
from ui.page import open_pack_page
from ui.units import after_note
from ui.url_state import apply_pending, write
from ui.viewport import district_bounds_cached, follow_hit, pending_command, store_key
from ui.views import current_view, views_panel
from ui.widgets import honesty_banner, md

PANEL_HEIGHT = MAP_HEIGHT - 60

page = open_pack_page(units=True)
lang, pack, fingerprint = page.lang, page.pack, page.fingerprint
apply_pending(pack, lang)  # a shared link's view, on the session's first run, before widgets

st.title(md(pack.meta.name.get(lang)), anchor=False)
st.caption(md(pack.meta.plan_title.get(lang)))
honesty_banner(pack.honesty, lang)
if page.after_2025:
    after_note(pack, lang)

map_col, panel_col = st.columns([5, 2], gap="medium")
with panel_col:
    st.subheader(t("map.layers", lang))
    year, scheme, k = time_and_scheme(pack, lang)
    overlay = scenario_overlay(pack, fingerprint, lang, page.source, page.source_fingerprint)
    prepared: dict = {}  # only the layers that are on: one that is not drawn is not loaded

    def prepare(layer_id: str):
        if layer_id not in prepared:
            prepared[layer_id] = prepared_layer(pack, fingerprint, layer_id, lang, year, scheme, k)
        return prepared[layer_id]

    # The layer list scrolls inside a box as tall as the map, so map and panel stay side by side.
    with st.container(height=PANEL_HEIGHT, border=False, key=f"map-panel-{pack.id}"):
        settings = layer_panel(pack, lang, lambda layer_id: prepare(layer_id).legend)
        basemap_settings(lang)
        view = current_view(pack, settings, year, k)
        view = views_panel(pack, lang, view)  # with the browser's viewport after a save/link
        # Not under "map.": app.py keeps map.* keys across pages, and buttons cannot be set.
        export_panel(
            pack,
            view,
            lang,
            key=f"export.map.{pack.id}",
            source=page.source,
            source_fingerprint=page.source_fingerprint,
            labels=settings.labels,
        )
write(view)
with map_col:
    hit = search_box(pack, search_index(pack, fingerprint), lang)
    map_slot = st.container()  # the map, drawn once the table below has said its row
    row_hit = attribute_panel(pack, fingerprint, settings.visible, lang, year)
    hit = row_hit or hit
    follow_hit(pack.id, hit)  # a new hit (found or a table row): the map fits it (once)
    extra = [(overlay.spec, overlay.prepared)] if overlay else []
    drawn = overlay.drawn_with(settings) if overlay else settings  # one coverage layer
    with map_slot:
        draw_map(
            pack,
            lang,
            drawn,
            prepared,
            hit,
            extra=extra,
            fit=district_bounds_cached(pack, fingerprint),
            memory=store_key("map", pack.id),
            command=pending_command(pack.id),
            fingerprint=fingerprint,
            fill=True,  # the map takes the window's height below the header
        )
