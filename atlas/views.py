"""Saved views ("góc nhìn"): a district map as someone arranged it, to show again or share.

A view is the pack, the visible layers (in drawing order) and their opacity, the year, the class
scheme, the scenario overlay, the basemap, the map's centre and zoom, plus a title and caption.
It travels three ways, all defined here and free of Streamlit:

* as a URL query (`to_query` / `from_query`): short keys, so a link can be pasted in a chat;
  reading is forgiving (unknown layers, a bad year, a zoom out of range) and says what it
  ignored instead of failing;
* as JSON (`to_json` / `from_json`), the form stored in the database (`atlas.store`);
* as a pack's default views, `views.toml` next to `pack.toml` (`pack_views`); see the
  "Default views" section of geodata/README.md.

The basemap is an id (`BASEMAPS`: none, osm, light, satellite, custom) plus, for `custom`, the
XYZ tile URL of an intranet server. Views stored or linked before that held the tile URL in
`basemap` itself; they still read (a tile URL there means `custom` with that URL).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

VIEWS_FILE = "views.toml"
ZOOM_MIN, ZOOM_MAX = 5, 19
BASEMAPS: tuple[str, ...] = ("none", "osm", "light", "satellite", "custom")
CUSTOM = "custom"

# URL query keys (short, stable: links made by an older version must still open).
Q_PACK, Q_LAYERS, Q_OPACITY, Q_YEAR, Q_SCHEME, Q_K = "p", "l", "o", "y", "s", "k"
Q_SCENARIO, Q_TARGET, Q_BASEMAP, Q_CENTER, Q_ZOOM = "sc", "t", "b", "c", "z"
QUERY_KEYS = (Q_PACK, Q_LAYERS, Q_OPACITY, Q_YEAR, Q_SCHEME, Q_K, Q_SCENARIO, Q_TARGET)
Q_UNITS = "u"  # administrative units: "post2025" (after the reorganisation); absent = before
UNITS = ("pre2025", "post2025")
Q_TILE = "bu"  # the tile URL of a `custom` basemap
QUERY_KEYS += (Q_BASEMAP, Q_CENTER, Q_ZOOM, Q_UNITS, Q_TILE)


def is_tile_url(text: str | None) -> bool:
    """An http(s) XYZ template with {z}, {x} and {y}: what a custom basemap needs."""
    text = (text or "").strip()
    return text.startswith(("http://", "https://")) and all(
        part in text for part in ("{z}", "{x}", "{y}")
    )


def _zoom_value(value: float) -> float | int:
    """A zoom as stored: whole zooms as int (links stay `z=12`), else rounded to 0.01."""
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


@dataclass(frozen=True)
class View:
    """One view of one pack. `layers` in drawing order; `opacity` 0–1 per layer (missing = 1)."""

    pack_id: str
    layers: tuple[str, ...] = ()
    opacity: dict[str, float] = field(default_factory=dict)
    year: int | None = None
    scheme: str | None = None  # None = each layer's own scheme from the manifest
    k: int | None = None
    scenario: str | None = None  # a scenario id; None = pack tables as shipped
    target: str | None = None
    basemap: str | None = None  # an id of BASEMAPS; None = not said (shown as "none")
    tile_url: str | None = None  # the XYZ template of the `custom` basemap
    center: tuple[float, float] | None = None  # (lat, lon)
    zoom: float | None = None  # Leaflet zoom; the map snaps to quarter zooms
    units: str = "pre2025"  # the communes before or after the 2025 reorganisation
    title: str = ""
    caption: str = ""
    id: str = ""  # "" until stored; pack defaults are "default:<n>"
    position: int = 0  # order in the pack's list of views

    def __post_init__(self) -> None:
        """Read the old form (a tile URL in `basemap`: the custom basemap) and drop a basemap
        id nobody knows. A view never carries a tile URL of its own: "custom" is the server's
        own tile server (`ATLAS_TILE_URL`), so no URL a user typed, saved or linked is ever
        fetched (`tile_url` stays only so older stored views still read)."""
        basemap = self.basemap
        if basemap is not None and basemap not in BASEMAPS:
            basemap = CUSTOM if is_tile_url(basemap) else None
        object.__setattr__(self, "basemap", basemap)
        object.__setattr__(self, "tile_url", None)
        if self.zoom is not None:
            object.__setattr__(self, "zoom", _zoom_value(self.zoom))

    # --- JSON ---------------------------------------------------------------------------------

    def to_json(self) -> str:
        data = asdict(self)
        data["layers"] = list(self.layers)
        data["center"] = list(self.center) if self.center else None
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> View:
        data = json.loads(text)
        known = {f for f in cls.__dataclass_fields__}
        data = {k: v for k, v in data.items() if k in known}
        data["layers"] = tuple(data.get("layers") or ())
        data["opacity"] = {str(k): float(v) for k, v in (data.get("opacity") or {}).items()}
        center = data.get("center")
        data["center"] = (float(center[0]), float(center[1])) if center else None
        return cls(**data)

    # --- URL query ----------------------------------------------------------------------------

    def to_query(self) -> dict[str, str]:
        """The view as URL query parameters (title, caption and id are not part of a link)."""
        query = {Q_PACK: self.pack_id, Q_LAYERS: ",".join(self.layers)}
        faded = {lid: o for lid, o in self.opacity.items() if lid in self.layers and o < 1}
        if faded:
            query[Q_OPACITY] = ",".join(f"{lid}:{round(o * 100)}" for lid, o in faded.items())
        optional = {
            Q_YEAR: self.year,
            Q_SCHEME: self.scheme,
            Q_K: self.k,
            Q_SCENARIO: self.scenario,
            Q_TARGET: self.target,
            Q_BASEMAP: self.basemap,
            Q_ZOOM: self.zoom,
        }
        query.update({k: str(v) for k, v in optional.items() if v not in (None, "")})
        if self.center:
            query[Q_CENTER] = f"{self.center[0]:.5f},{self.center[1]:.5f}"
        if self.units != UNITS[0]:
            query[Q_UNITS] = self.units
        return query


@dataclass(frozen=True)
class QueryResult:
    """A view read from a URL, and what was ignored in it (as `key=value` texts)."""

    view: View | None
    ignored: tuple[str, ...] = ()


def _int(text: str) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def _float(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if value == value and abs(value) != float("inf") else None


def _basemap(query: Mapping[str, str], ignored: list[str]) -> tuple[str | None, str | None]:
    """`b`, a basemap id; a tile URL in a link (`bu`, or an old link's `b`) is never fetched:
    it is named among the ignored parameters, and an old link's reads as the server's own
    tile server ("custom")."""
    basemap = query.get(Q_BASEMAP) or None
    tile_url = query.get(Q_TILE) or None
    if basemap is not None and basemap not in BASEMAPS:
        ignored.append(f"{Q_BASEMAP}={basemap}")
        basemap = CUSTOM if is_tile_url(basemap) else None
    if tile_url is not None:
        ignored.append(f"{Q_TILE}={tile_url}")
    return basemap, None


def from_query(
    query: Mapping[str, str],
    pack_id: str,
    layer_ids: Iterable[str],
    years: Iterable[int] = (),
    schemes: Iterable[str] = (),
) -> QueryResult:
    """Read a view of `pack_id` from URL parameters; None when the URL names no view of it.

    `layer_ids`, `years` and `schemes` are what the pack offers: anything else is ignored and
    listed. A URL without `l` keeps the pack's default layers (`layers` is then None-like: the
    view's `layers` is empty and `Q_LAYERS` is reported missing by `has_layers`).
    """
    query = {str(k): str(v) for k, v in query.items()}
    if query.get(Q_PACK) != pack_id:
        return QueryResult(None)
    known = list(layer_ids)
    ignored: list[str] = []
    layers: list[str] = []
    for lid in filter(None, (s.strip() for s in query.get(Q_LAYERS, "").split(","))):
        if lid in known and lid not in layers:
            layers.append(lid)
        else:
            ignored.append(f"{Q_LAYERS}={lid}")
    layers.sort(key=known.index)  # drawing order is the manifest's
    opacity: dict[str, float] = {}
    for item in filter(None, query.get(Q_OPACITY, "").split(",")):
        lid, _, pct = item.partition(":")
        value = _int(pct)
        if lid in known and value is not None:
            opacity[lid] = max(0, min(100, value)) / 100
        else:
            ignored.append(f"{Q_OPACITY}={item}")
    year = _int(query.get(Q_YEAR, ""))
    year_list = list(years)
    if Q_YEAR in query and (year is None or (year_list and year not in year_list)):
        ignored.append(f"{Q_YEAR}={query[Q_YEAR]}")
        year = None
    scheme = query.get(Q_SCHEME) or None
    scheme_list = list(schemes)
    if scheme and scheme_list and scheme not in scheme_list:
        ignored.append(f"{Q_SCHEME}={scheme}")
        scheme = None
    k = _int(query.get(Q_K, ""))
    if k is not None:
        k = max(3, min(7, k))
    center = None
    if Q_CENTER in query:
        parts = query[Q_CENTER].split(",")
        try:
            lat, lon = float(parts[0]), float(parts[1])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180) or len(parts) != 2:
                raise ValueError
            center = (lat, lon)
        except (ValueError, IndexError):
            ignored.append(f"{Q_CENTER}={query[Q_CENTER]}")
    zoom = _float(query.get(Q_ZOOM, ""))
    if Q_ZOOM in query and zoom is None:
        ignored.append(f"{Q_ZOOM}={query[Q_ZOOM]}")
    elif zoom is not None:
        zoom = max(ZOOM_MIN, min(ZOOM_MAX, zoom))
    basemap, tile_url = _basemap(query, ignored)
    units = query.get(Q_UNITS) or UNITS[0]
    if units not in UNITS:
        ignored.append(f"{Q_UNITS}={units}")
        units = UNITS[0]
    for name in sorted(set(query) - set(QUERY_KEYS)):
        ignored.append(f"{name}={query[name]}")
    view = View(
        pack_id=pack_id,
        layers=tuple(layers),
        opacity=opacity,
        year=year,
        scheme=scheme,
        k=k,
        scenario=query.get(Q_SCENARIO) or None,
        target=query.get(Q_TARGET) or None,
        basemap=basemap,
        tile_url=tile_url,
        center=center,
        zoom=zoom,
        units=units,
    )
    return QueryResult(view, tuple(ignored))


# --- a pack's default views ---------------------------------------------------------------------


def pack_views(pack_path: Path, pack_id: str, lang: str = "vi") -> list[View]:
    """The usable views a pack ships in `views.toml` ([] when it has none or it cannot be
    read); see geodata/README.md."""
    from atlas.views_file import clean_view, read_view_items  # it imports this module

    found = []
    for n, raw_item in enumerate(read_view_items(pack_path)):
        # A broken entry is skipped and a bad key dropped (the loader reports both), so a
        # hand-edited views.toml can never stop the map or the Present page.
        item, _ = clean_view(raw_item)
        if item is None:
            continue
        title = item.get("title", "")
        caption = item.get("caption", "")
        if isinstance(title, dict):
            title = title.get(lang) or title.get("vi", "")
        if isinstance(caption, dict):
            caption = caption.get(lang) or caption.get("vi", "")
        center = item.get("center")
        found.append(
            View(
                pack_id=pack_id,
                layers=tuple(item.get("layers", ())),
                opacity={str(k): float(v) for k, v in item.get("opacity", {}).items()},
                year=item.get("year"),
                scheme=item.get("scheme"),
                k=item.get("k"),
                scenario=item.get("scenario"),
                target=item.get("target"),
                basemap=item.get("basemap"),
                tile_url=item.get("tile_url"),
                center=(float(center[0]), float(center[1])) if center else None,
                zoom=item.get("zoom"),
                units=item.get("units") if item.get("units") in UNITS else UNITS[0],
                title=str(title),
                caption=str(caption),
                id=f"default:{n + 1}",
                position=n,
            )
        )
    return found


def with_position(view: View, position: int) -> View:
    return replace(view, position=position)


def as_data(view: View) -> dict[str, Any]:
    return json.loads(view.to_json())
