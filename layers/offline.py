"""Load the map's JavaScript, CSS, images and fonts from this app instead of CDNs.

folium 0.20 links every browser asset it needs from public CDNs. They are declared, per
class, in the ``default_js`` / ``default_css`` class attributes (``(name, url)`` pairs) of
its ``JSCSSMixin`` classes, and emitted as ``<script src>`` / ``<link href>`` into the
figure header by ``JSCSSMixin.render``. streamlit-folium reads the same attributes from
every element of the map (``st_folium`` walks the tree and collects ``default_js`` /
``default_css``) and loads them in its component iframe. So replacing those class
attributes is the one switch that covers both paths; no template is patched.

What was checked for hardcoded CDN links (folium 0.20.0, branca 0.8.2,
streamlit-folium 0.27.4):

* ``folium.Map._template`` and ``folium/templates/`` hold no CDN link: the Map's
  assets are only its ``default_js`` / ``default_css`` (module lists ``_default_js`` /
  ``_default_css`` in ``folium/folium.py``). ``Icon`` (awesome markers) has no links of its
  own; it relies on the Map's. Tile layers hold XYZ URL templates in JavaScript; they are
  requested only when a basemap is shown (``layers/basemap.py`` shows none by default).
* Leaflet locates its default marker images by probing ``leaflet.css``; streamlit-folium
  adds the CSS links without waiting for them, so the probe fails and Leaflet falls back to
  a broken path (``.../leafletmarker-icon.png``, Leaflet issue 4968). We add our own
  ``atlas-own/leaflet-icon-path.js`` to ``Map.default_js`` right after Leaflet: it sets
  ``L.Icon.Default.imagePath`` from its own URL.
* Not handled here, because the app does not use them: ``branca.colormap.ColorMap.render``
  hardcodes d3 3.5.5 from cdnjs, and ``streamlit_folium.st_folium`` inserts two d3 CDN
  links itself whenever the map contains a branca ``ColorMap`` (a colormap legend added to
  the map). Such a legend would need network access; draw legends in Streamlit instead.
  Other folium plugins (MarkerCluster, Draw, ...) keep their CDN links until mapped here.

The files come from npm at the versions folium references (``assets/package.json``) and
are copied to ``static/vendor/`` by ``python assets/prepare.py``. With
``[server] enableStaticServing = true`` Streamlit serves ``static/`` (next to ``app.py``)
at ``/app/static/``, hence the default base URL ``/app/static/vendor``; it is root-relative,
so it resolves against the Streamlit server from inside the component iframe too. If the
app runs under ``server.baseUrlPath``, pass ``base_url=f"/{base}/app/static/vendor"``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Literal
from urllib.parse import urlsplit

import folium
from folium import plugins

from layers.vector_tiles import TileSupport

__all__ = [
    "DEFAULT_BASE_URL",
    "LOCAL_ASSETS",
    "LocalAsset",
    "local_asset_urls",
    "remote_urls_in",
    "use_cdn_assets",
    "use_local_assets",
]

DEFAULT_BASE_URL = "/app/static/vendor"

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class LocalAsset:
    """One folium asset link and the local file (relative to the base URL) replacing it."""

    owner: type
    kind: Literal["js", "css"]
    name: str  # the link name in folium's default_js / default_css
    path: str  # relative to base_url, i.e. to static/vendor/
    source: str  # npm package@version it is copied from (see assets/prepare.py)
    after: str | None = None  # set for our additions (no folium link): insert after this name


_MAP = folium.Map
_LEAFLET = "leaflet@1.9.3"
_BOOTSTRAP = "bootstrap@5.2.2"
_AWESOME = "drmonty-leaflet-awesome-markers@2.0.2 (Leaflet.awesome-markers 2.0.2)"

LOCAL_ASSETS: tuple[LocalAsset, ...] = (
    # folium.Map: Leaflet itself (incl. the scale bar), jQuery, Bootstrap, awesome markers.
    LocalAsset(_MAP, "js", "leaflet", "leaflet/leaflet.js", _LEAFLET),
    LocalAsset(
        _MAP,
        "js",
        "atlas_leaflet_icon_path",
        "atlas-own/leaflet-icon-path.js",
        "assets/own/leaflet-icon-path.js (our own; sets L.Icon.Default.imagePath)",
        after="leaflet",
    ),
    LocalAsset(_MAP, "js", "jquery", "jquery/jquery.min.js", "jquery@3.7.1"),
    LocalAsset(_MAP, "js", "bootstrap", "bootstrap/js/bootstrap.bundle.min.js", _BOOTSTRAP),
    LocalAsset(
        _MAP,
        "js",
        "awesome_markers",
        "leaflet-awesome-markers/leaflet.awesome-markers.js",
        _AWESOME,
    ),
    LocalAsset(_MAP, "css", "leaflet_css", "leaflet/leaflet.css", _LEAFLET),
    LocalAsset(_MAP, "css", "bootstrap_css", "bootstrap/css/bootstrap.min.css", _BOOTSTRAP),
    LocalAsset(
        _MAP,
        "css",
        "glyphicons_css",
        "bootstrap3-glyphicons/css/glyphicons.css",
        "bootstrap@3.4.1 (Glyphicons rules of dist/css/bootstrap.css + dist/fonts)",
    ),
    LocalAsset(
        _MAP,
        "css",
        "awesome_markers_font_css",
        "fontawesome-free/css/all.min.css",
        "@fortawesome/fontawesome-free@6.2.0",
    ),
    LocalAsset(
        _MAP,
        "css",
        "awesome_markers_css",
        "leaflet-awesome-markers/leaflet.awesome-markers.css",
        _AWESOME,
    ),
    LocalAsset(
        _MAP,
        "css",
        "awesome_rotate_css",
        "atlas-own/awesome-rotate.css",
        "assets/own/awesome-rotate.css (our own)",
    ),
    # Plugins.
    LocalAsset(
        plugins.Fullscreen,
        "js",
        "Control.Fullscreen.js",
        "leaflet.fullscreen/Control.FullScreen.js",
        "leaflet.fullscreen@3.0.0",
    ),
    LocalAsset(
        plugins.Fullscreen,
        "css",
        "Control.FullScreen.css",
        "leaflet.fullscreen/Control.FullScreen.css",
        "leaflet.fullscreen@3.0.0",
    ),
    LocalAsset(
        plugins.MeasureControl,
        "js",
        "leaflet_measure_js",
        "leaflet-measure/leaflet-measure.min.js",
        "leaflet-measure@2.1.7",
    ),
    LocalAsset(
        plugins.MeasureControl,
        "css",
        "leaflet_measure_css",
        "leaflet-measure/leaflet-measure.css",
        "leaflet-measure@2.1.7",
    ),
    LocalAsset(
        plugins.MousePosition,
        "js",
        "Control_MousePosition_js",
        "leaflet-mouse-position/L.Control.MousePosition.js",
        "leaflet-mouse-position@1.2.0 (npm wrapper of ardhi/Leaflet.MousePosition)",
    ),
    LocalAsset(
        plugins.MousePosition,
        "css",
        "Control_MousePosition_css",
        "leaflet-mouse-position/L.Control.MousePosition.css",
        "leaflet-mouse-position@1.2.0 (npm wrapper of ardhi/Leaflet.MousePosition)",
    ),
    # DualMap (the compare page's synchronised maps); folium links Leaflet.Sync's unversioned
    # GitHub master, whose latest release is the npm package.
    LocalAsset(
        plugins.DualMap,
        "js",
        "Leaflet.Sync",
        "leaflet.sync/L.Map.Sync.js",
        "leaflet.sync@0.2.4 (jieter/Leaflet.Sync)",
    ),
    # Vector tiles (our own element: it links no CDN, only these files).
    LocalAsset(
        TileSupport,
        "js",
        "protomaps_leaflet",
        "protomaps-leaflet/protomaps-leaflet.js",
        "protomaps-leaflet@5.1.0",
    ),
    LocalAsset(
        TileSupport,
        "js",
        "atlas_tiles",
        "atlas-own/atlas-tiles.js",
        "assets/own/atlas-tiles.js (our own; draws tiled layers with protomaps-leaflet)",
    ),
)

_OWNERS: tuple[type, ...] = tuple(dict.fromkeys(asset.owner for asset in LOCAL_ASSETS))

# folium's own (CDN) link lists, captured before the first replacement.
_ORIGINAL: dict[type, dict[str, list[tuple[str, str]]]] = {}


def _capture_originals() -> None:
    for owner in _OWNERS:
        if owner not in _ORIGINAL:
            _ORIGINAL[owner] = {
                "js": list(owner.default_js),
                "css": list(owner.default_css),
            }


def _join(base_url: str, path: str) -> str:
    return f"{base_url.rstrip('/')}/{path}"


def _local_links(owner: type, kind: str, base_url: str) -> list[tuple[str, str]]:
    """folium's link list for owner/kind with every mapped name pointing at base_url."""
    ours = [a for a in LOCAL_ASSETS if a.owner is owner and a.kind == kind]
    mapped = {a.name: a.path for a in ours if a.after is None}
    added = [a for a in ours if a.after is not None]
    links: list[tuple[str, str]] = []
    for name, url in _ORIGINAL[owner][kind]:
        if name in mapped:
            links.append((name, _join(base_url, mapped.pop(name))))
            links += [(a.name, _join(base_url, a.path)) for a in added if a.after == name]
        else:
            warnings.warn(
                f"{owner.__qualname__}.default_{kind} has {name!r} ({url}) with no local "
                "copy; it will still load from the internet (add it to layers/offline.py "
                "and assets/prepare.py)",
                stacklevel=3,
            )
            links.append((name, url))
    # Names folium no longer declares are not added (a renamed link would load twice).
    return links


def use_local_assets(base_url: str = DEFAULT_BASE_URL) -> None:
    """Point folium's Map and the plugins we use at the files under ``base_url``.

    Sets the ``default_js`` / ``default_css`` class attributes of ``folium.Map``,
    ``folium.plugins.Fullscreen``, ``MeasureControl``, ``MousePosition`` and ``DualMap`` to
    fresh lists (folium's originals are kept and can be restored with ``use_cdn_assets``).
    Idempotent: calling it again, with the same or another base URL, rebuilds from folium's
    originals. Affects maps rendered afterwards, process-wide; call it once at app start-up.
    """
    _capture_originals()
    for owner in _OWNERS:
        owner.default_js = _local_links(owner, "js", base_url)
        owner.default_css = _local_links(owner, "css", base_url)


def use_cdn_assets() -> None:
    """Undo ``use_local_assets``: restore folium's own CDN links (mainly for tests)."""
    for owner, lists in _ORIGINAL.items():
        owner.default_js = list(lists["js"])
        owner.default_css = list(lists["css"])


def local_asset_urls(base_url: str = DEFAULT_BASE_URL) -> dict[str, str]:
    """What maps to what: folium's CDN URL -> the local URL that replaces it.

    Our additions, which replace no CDN link, are keyed ``"Map:<name>"``.
    """
    _capture_originals()
    cdn = {
        (owner, kind, name): url
        for owner, lists in _ORIGINAL.items()
        for kind, links in lists.items()
        for name, url in links
    }
    return {
        cdn.get((a.owner, a.kind, a.name), f"{a.owner.__qualname__}:{a.name}"): _join(
            base_url, a.path
        )
        for a in LOCAL_ASSETS
    }


# --- finding remote sources in rendered HTML -------------------------------------------

# Tag -> attributes whose URL the browser fetches by itself. <a href> (attribution links)
# is deliberately absent: a link is only followed when clicked.
_SOURCE_ATTRS: dict[str, tuple[str, ...]] = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "image": ("href", "xlink:href"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
}
_URL = r"(?:https?:)?//[^\s\"'\\<>()]+"
# CSS url(...) and @import "..." (in document order).
_CSS_URL_RE = re.compile(rf"url\(\s*\\?[\"']?({_URL})|@import\s+\\?[\"']({_URL})", re.IGNORECASE)
# HTML inside JavaScript strings (popups, tooltips, control labels): a fetching tag's URL.
_EMBEDDED_TAG_RE = re.compile(
    r"<(?:script|link|img|source|iframe|embed|video|audio|track)\b[^>]*?"
    rf"\b(?:src|href|srcset|data|poster)\s*=\s*\\?[\"']?({_URL})",
    re.IGNORECASE,
)
_TILE_TEMPLATE_RE = re.compile(r"\{[sxyzr]\}|%7B[sxyzr]%7D", re.IGNORECASE)


class _SourceFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._raw_tag: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v or "" for k, v in attrs}
        for attr in _SOURCE_ATTRS.get(tag, ()):
            value = values.get(attr, "")
            if attr == "srcset":
                self.urls.extend(part.split()[0] for part in value.split(",") if part.strip())
            elif value:
                self.urls.append(value.strip())
        if "style" in values:
            self._scan_css(values["style"])
        if tag == "iframe" and values.get("srcdoc"):
            self.urls.extend(_find_sources(values["srcdoc"]))
        self._raw_tag = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag: str) -> None:
        self._raw_tag = None

    def handle_data(self, data: str) -> None:
        if self._raw_tag == "style":
            self._scan_css(data)
        elif self._raw_tag == "script":
            self.urls.extend(_EMBEDDED_TAG_RE.findall(data))
            self._scan_css(data)

    def _scan_css(self, text: str) -> None:
        self.urls.extend(m.group(1) or m.group(2) for m in _CSS_URL_RE.finditer(text))


def _find_sources(html: str) -> list[str]:
    finder = _SourceFinder()
    finder.feed(html)
    finder.close()
    return finder.urls


def remote_urls_in(html: str, allowed_hosts: Iterable[str] = LOCAL_HOSTS) -> list[str]:
    """Remote http(s) URLs the browser would fetch by itself when loading ``html``.

    Looks at script/link/img/iframe/... sources, CSS ``url()`` / ``@import`` in ``<style>``
    and ``style=""``, tags embedded in JavaScript strings, and ``<iframe srcdoc>``. Ignores
    relative URLs, hosts in ``allowed_hosts`` (loopback by default), XYZ tile URL templates
    (``https://{s}.tile.../{z}/{x}/{y}.png``: fetched only when that basemap is shown) and
    ``<a href>`` links (attribution). Returns each URL once, in document order.
    """
    allowed = {host.lower() for host in allowed_hosts}
    found: list[str] = []
    for url in _find_sources(html):
        lowered = url.lower()
        if not (lowered.startswith(("http://", "https://", "//"))):
            continue
        if _TILE_TEMPLATE_RE.search(url):
            continue
        host = (urlsplit(url if "://" in url else "https:" + url).hostname or "").lower()
        if host in allowed:
            continue
        if url not in found:
            found.append(url)
    return found
