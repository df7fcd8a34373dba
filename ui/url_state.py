"""The map page's state in the URL: written on every run, read once when a session starts.

A link copied from the address bar opens the same view: the pack (`p`), the visible layers
(`l`), opacity, year, scheme, scenario, basemap (`b`, and `bu` for a custom tile server),
centre and zoom (`atlas.views` defines the keys). The centre, zoom and basemap written are
those the server knows (`ui.viewport`): of the last view applied or link opened, or read from
the browser by "link to this view" or a save; panning alone does not update the address.

Reading happens on the first run of a session only (`restore_pack` in app.py before the pack
picker, `apply_pending` on the map page before its widgets), so later widget changes are never
overwritten by a stale URL.
"""

from __future__ import annotations

import streamlit as st

from atlas import views as vw
from atlas.i18n import t
from atlas.spec import SCHEMES, Pack
from ui.map_panel import pack_years
from ui.sidebar import PACK_KEY
from ui.units import UNITS_KEY
from ui.viewport import request_from_url
from ui.views import apply_view

DONE_KEY = "views.url_read"
PENDING_KEY = "views.url_pending"


def restore_pack(pack_ids: list[str]) -> None:
    """First run of a session: remember the URL's query and select the pack it names."""
    if st.session_state.get(DONE_KEY):
        return
    st.session_state[DONE_KEY] = True
    query = st.query_params.to_dict()
    if query.get(vw.Q_PACK) in pack_ids:
        st.session_state[PACK_KEY] = query[vw.Q_PACK]
        st.session_state[PENDING_KEY] = query
        if query.get(vw.Q_UNITS) in vw.UNITS:  # before the pages draw the units switch
            st.session_state[UNITS_KEY] = query[vw.Q_UNITS]


def apply_pending(pack: Pack, lang: str) -> None:
    """Apply the remembered URL query to the map's session keys (before widgets are drawn)."""
    query = st.session_state.get(PENDING_KEY)
    if not query or query.get(vw.Q_PACK) != pack.id:
        return
    del st.session_state[PENDING_KEY]
    result = vw.from_query(
        query, pack.id, [la.id for la in pack.layers], pack_years(pack), ("manifest", *SCHEMES)
    )
    if result.view is None:
        return
    apply_view(pack, result.view, set_layers=vw.Q_LAYERS in query, move=False)
    request_from_url(pack, result.view)  # only the centre, zoom and basemap it names
    if result.ignored:
        st.warning(t("views.url_ignored", lang, items=", ".join(result.ignored)))


def write(view: vw.View) -> None:
    """Put `view` in the URL (only when it changed: each write is a browser history entry)."""
    query = view.to_query()
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)
