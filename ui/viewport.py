"""The server's side of the map viewport: explicit requests, and what is known of the viewport.

The browser keeps the viewport itself (`layers.viewport`); the server only *asks* for a view
when there is a reason to: a shared link opened (`url_state`), a saved view applied
(`ui.views`), a new search hit (`follow_hit`). Each request is stored under
`map.<pack>.goto` with a fresh token and sent with every rerun's feature groups; the map
carries it out once per token (see `layers.viewport` for the rule). Tokens start with a
random per-session prefix, so reopening the app in the same tab applies its URL again.

What the server knows of the viewport (`known_viewport`: centre, zoom, basemap, written into
saved views and into the URL's `c`/`z`/`b`) comes from the last request it made, or from the
browser when the user saved a view or asked for a link (`ui.viewport_reader`).
"""

from __future__ import annotations

import uuid

import streamlit as st

from atlas import views as vw
from atlas.search import SearchHit
from atlas.spec import Pack
from layers.viewport import HIT_MAX_ZOOM, Bounds, district_bounds, view_command
from ui.map_state import key

NONCE_KEY = "viewport.nonce"


def center_key(pack_id: str) -> str:
    return key(pack_id, "center")


def zoom_key(pack_id: str) -> str:
    return key(pack_id, "zoom")


def basemap_key(pack_id: str) -> str:
    return key(pack_id, "basemap")


def goto_key(pack_id: str, scope: str = "map") -> str:
    """Where a map's latest request is kept: per pack, and per page (`scope`)."""
    return key(pack_id, "goto") if scope == "map" else f"{scope}.{pack_id}.goto"


def store_key(scope: str, pack_id: str) -> str:
    """The sessionStorage key of a map's remembered viewport (`scope`: "map", "present")."""
    return f"atlas.viewport.{scope}.{pack_id}"


@st.cache_data(show_spinner=False, max_entries=64)
def district_bounds_cached(_pack: Pack, fingerprint: str) -> Bounds | None:
    """`layers.viewport.district_bounds`, once per pack content."""
    del fingerprint
    return district_bounds(_pack)


def new_token(label: str) -> str:
    """A request token: this session's random prefix, a counter and a readable label."""
    ss = st.session_state
    if NONCE_KEY not in ss:
        ss[NONCE_KEY] = uuid.uuid4().hex[:10]
    counter = ss.get(f"{NONCE_KEY}.n", 0) + 1
    ss[f"{NONCE_KEY}.n"] = counter
    return f"{ss[NONCE_KEY]}:{counter}:{label}"


def request(pack_id: str, label: str, scope: str = "map", **parts: object) -> dict[str, object]:
    """Ask the map of `pack_id` on page `scope` for a view (`view_command`'s parts)."""
    command = view_command(new_token(label), **parts)  # type: ignore[arg-type]
    st.session_state[goto_key(pack_id, scope)] = command
    return command


def pending_command(pack_id: str, scope: str = "map") -> dict[str, object] | None:
    """The latest request for this pack's map (sent on every rerun; applied once)."""
    return st.session_state.get(goto_key(pack_id, scope))


def request_view(
    pack: Pack, view: vw.View, scope: str = "map", bounds: Bounds | None = None
) -> None:
    """Show `view`: its centre and zoom, else the whole district; its basemap (none if unsaid).

    On the map page also records them as what the server knows of the viewport (for the URL
    and a save). Called on a click or a Present step, not on every rerun, so the district's
    bounds may be computed here when not given.
    """
    parts: dict[str, object] = {"basemap": view.basemap or "none"}
    if view.center is None:  # the whole district (and a zoom alone is around its centre)
        parts["bounds"] = bounds or district_bounds(pack)
    parts.update(center=view.center, zoom=view.zoom)
    request(pack.id, f"view:{view.id or '-'}", scope, **parts)
    if scope == "map":  # a view without centre or zoom leaves them unknown
        ss = st.session_state
        ss[center_key(pack.id)] = view.center
        ss[zoom_key(pack.id)] = view.zoom
        ss[basemap_key(pack.id)] = view.basemap or "none"


def request_from_url(pack: Pack, view: vw.View) -> None:
    """A shared link asks only for what it says: `c`/`z` and/or `b` (a partial request)."""
    parts: dict[str, object] = {}
    if view.center is not None:
        parts["center"] = view.center
    if view.zoom is not None:
        parts["zoom"] = view.zoom
    if view.basemap is not None:
        parts["basemap"] = view.basemap
    if not parts:
        return
    request(pack.id, "url", **parts)
    remember(pack.id, view.center, view.zoom, view.basemap)


def follow_hit(pack_id: str, hit: SearchHit | None) -> None:
    """A search hit that differs from the last one seen: fit its bounds (on the client)."""
    ss = st.session_state
    seen_key = key(pack_id, "hit_seen")
    ident = None if hit is None else f"{hit.layer_id}:{hit.row}"
    if ss.get(seen_key) == ident:
        return
    ss[seen_key] = ident
    if hit is None:
        return
    minx, miny, maxx, maxy = hit.bounds
    request(pack_id, f"hit:{ident}", bounds=[[miny, minx], [maxy, maxx]], max_zoom=HIT_MAX_ZOOM)


def remember(
    pack_id: str,
    center: tuple[float, float] | list[float] | None,
    zoom: float | None,
    basemap: str | None,
) -> None:
    """Record what the server knows of the viewport (None keeps the part as it was)."""
    ss = st.session_state
    if center is not None:
        ss[center_key(pack_id)] = (float(center[0]), float(center[1]))
    if zoom is not None:
        ss[zoom_key(pack_id)] = zoom
    if basemap is not None:
        ss[basemap_key(pack_id)] = basemap


def known_viewport(pack_id: str) -> tuple[tuple[float, float] | None, float | None, str | None]:
    """(centre, zoom, basemap id) as last requested or read; None for a part not known."""
    ss = st.session_state
    return ss.get(center_key(pack_id)), ss.get(zoom_key(pack_id)), ss.get(basemap_key(pack_id))
