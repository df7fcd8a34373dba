"""Read the map's real viewport from the browser, once, when the server needs it.

Panning and zooming never rerun the script (`returned_objects=[]`), so the server does not
know where the user is looking. When it must (saving a view, making a link), the page renders
this tiny custom component: a local `index.html` of plain JavaScript (no npm build, no CDN)
that reads the entry `layers.viewport.ViewportMemory` keeps in the tab's sessionStorage and
returns it. Rendering it costs one extra rerun; each read uses a fresh `key`, so an old value
is never returned again.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import streamlit.components.v1 as components

from atlas import views as vw

FRONTEND = Path(__file__).resolve().parent / "components" / "viewport_reader"
_component = components.declare_component("viewport_reader", path=str(FRONTEND))


def read_viewport(store_key: str, key: str) -> dict[str, Any] | None:
    """The browser's answer for `store_key`: {"found": bool, …}; None until it has answered."""
    return _component(store_key=store_key, key=key, default=None)


def parse_viewport(
    value: dict[str, Any] | None,
) -> tuple[tuple[float, float] | None, float | None, str | None]:
    """(centre, zoom, basemap id) from the browser's answer; a part that is missing or not
    plausible (the storage is the user's) is None."""
    if not isinstance(value, dict) or not value.get("found"):
        return None, None, None
    center = None
    raw = value.get("center")
    if isinstance(raw, list | tuple) and len(raw) == 2:
        try:
            lat, lon = float(raw[0]), float(raw[1])
        except (TypeError, ValueError):
            lat = lon = math.nan
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            center = (round(lat, 6), round(lon, 6))
    zoom = None
    try:
        z = float(value.get("zoom"))  # type: ignore[arg-type]
        if math.isfinite(z):
            zoom = max(vw.ZOOM_MIN, min(vw.ZOOM_MAX, round(z, 2)))
    except (TypeError, ValueError):
        pass
    basemap = value.get("basemap")
    return center, zoom, basemap if basemap in vw.BASEMAPS else None
