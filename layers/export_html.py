"""A view as one standalone HTML file: opens from a USB stick with no server and no internet.

The map is the app's (base map with no tiles shown, the view's layers via `render_layer`, the
on-map legend), rendered by folium with its assets pointed at a private marker URL; every
marked `<script src>` / `<link href>` is then replaced by the file's content from
`static/vendor` (prepared by `python assets/prepare.py`), and the images their CSS refers to
become data: URIs. Icon-font and marker-icon sheets are dropped: the export draws no marker
icons. What remains remote are the XYZ URL templates of the optional tile basemaps, which are
requested only when shown: the view's basemap (none by default) or one picked in the layer
control.

A view with a scenario gets its target layer (`layers.target_layer`) where the map page draws
it, with its legend section. The map is fitted to the layers with room left for the caption
box (top centre) and the legend (bottom right), measured in the browser, so neither hides
part of the district whatever the window size.
"""

from __future__ import annotations

import base64
import html
import json
import mimetypes
import re
from datetime import date
from pathlib import Path

import folium
from branca.element import MacroElement, Template

from atlas.export import ExportError, ExportView, Progress, Steps
from atlas.formats import date_text
from atlas.spec import Pack
from layers.basemap import build_base_map, custom_tile_url
from layers.compose import compose
from layers.features import PreparedLayer
from layers.labels import web_labels
from layers.offline import LOCAL_ASSETS, use_local_assets
from layers.view_layers import n_layers, view_layers

REPO_ROOT = Path(__file__).resolve().parent.parent
VENDOR = REPO_ROOT / "static" / "vendor"
MARKER = "atlas-inline:"
# Assets only needed for marker icons (awesome markers, icon fonts): not embedded.
DROPPED = (
    "atlas-own/leaflet-icon-path.js",
    "leaflet-awesome-markers/",
    "fontawesome-free/",
    "bootstrap3-glyphicons/",
    "atlas-own/awesome-rotate.css",
)
_SCRIPT_RE = re.compile(r'<script src="' + re.escape(MARKER) + r'/([^"]+)"></script>')
_LINK_RE = re.compile(r'<link rel="stylesheet" href="' + re.escape(MARKER) + r'/([^"]+)"\s*/?>')
_CSS_URL_RE = re.compile(r"url\(\s*([\"']?)([^\"')]+)\1\s*\)")


def vendor_dir() -> Path:
    """static/vendor, or ExportError telling how to prepare it."""
    if not (VENDOR / "leaflet" / "leaflet.js").is_file():
        raise ExportError(
            f"{VENDOR} is not prepared: run `python assets/prepare.py` first "
            "/ chưa chuẩn bị thư viện bản đồ"
        )
    return VENDOR


def _union_bounds(layers: list[PreparedLayer]) -> list[list[float]] | None:
    boxes = [p.bounds for p in layers if p.bounds]
    if not boxes:
        return None
    south = min(float(b[0][0]) for b in boxes)
    west = min(float(b[0][1]) for b in boxes)
    north = max(float(b[1][0]) for b in boxes)
    east = max(float(b[1][1]) for b in boxes)
    return [[south, west], [north, east]]


class FitAround(MacroElement):
    """Fit `bounds` once the page is laid out, padded by the caption's height at the top and
    the legend's width on the right (both measured: they depend on text and window size),
    again on resize. Added after the legend, so its script runs once the legend exists."""

    _template = Template(
        """{% macro script(this, kwargs) %}
(function () {
  const map = {{ this._parent.get_name() }};
  const bounds = {{ this.bounds_json }};
  function fit() {
    const box = map.getContainer().getBoundingClientRect();
    const caption = document.getElementById("atlas-export-caption");
    const legend = map.getContainer().querySelector(".atlas-legend");
    const top = caption ? caption.getBoundingClientRect().bottom - box.top + 12 : 12;
    const topLeft = [12, Math.max(12, top)];
    map.fitBounds(bounds, {paddingTopLeft: topLeft, padding: [12, 12], animate: false});
    if (!legend) return;
    // Keep clear of the legend too, but only when it does cover part of the district.
    const l = legend.getBoundingClientRect();
    const ne = map.latLngToContainerPoint(L.latLng(bounds[1][0], bounds[1][1]));
    const sw = map.latLngToContainerPoint(L.latLng(bounds[0][0], bounds[0][1]));
    if (ne.x > l.left - box.left && sw.y > l.top - box.top) {
      const right = Math.min(l.width + 16, box.width / 3);
      map.fitBounds(bounds, {paddingTopLeft: topLeft, paddingBottomRight: [right, 12],
                             animate: false});
    }
  }
  fit();
  window.addEventListener("load", fit);
  window.addEventListener("resize", fit);
})();
{% endmacro %}"""
    )

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "FitAround"
        self.bounds_json = json.dumps(bounds)


def build_export_map(pack: Pack, view: ExportView, steps: Steps | None = None) -> folium.Map:
    """The folium map of the view: base map, layers in drawing order (the scenario overlay
    included), legend, bounds fitted around the caption and legend."""
    view.checked(pack)
    meta = pack.meta
    m = build_base_map(
        meta.default_center,
        meta.default_zoom,
        view.lang,
        tile_url=custom_tile_url(),  # the server's own; a URL from a view is never fetched
        selected=view.basemap,  # the view's basemap is shown (tiles need a network)
        zoom_snap=0.1,  # fit the district closely, not to the nearest whole zoom
    )
    layers = list(view_layers(pack, view, steps, light=True))  # inline: one offline file
    labels = web_labels(pack).shown(pack, [spec for spec, _, _ in layers]) if view.labels else None
    compose(layers, view.lang, labels).add_to(m, view.lang)
    drawn = [prepared for _spec, prepared, _opacity in layers]
    # The base map's layer control was added before the layers; its script must come after
    # theirs (it names them), so it is moved to the end.
    for key, child in list(m._children.items()):
        if isinstance(child, folium.LayerControl):
            m._children.move_to_end(key)
    bounds = _union_bounds(drawn)
    if bounds is not None:
        FitAround(bounds).add_to(m)
    m.get_root().html.add_child(folium.Element(caption_html(pack, view)))
    m.get_root().title = view.heading(pack)
    return m


def caption_html(pack: Pack, view: ExportView) -> str:
    """The visible caption: title, the view's caption, source and honesty note, date."""
    vi = view.lang != "en"
    *sources, note = view.source_lines(pack)  # the honesty note is the last line
    lines = "".join(f'<div style="margin-top:3px">{html.escape(line)}</div>' for line in sources)

    caption = (
        f'<div style="margin-top:3px">{html.escape(view.caption)}</div>' if view.caption else ""
    )
    when = ("Xuất ngày " if vi else "Exported ") + date_text(date.today(), view.lang)
    return (
        '<div id="atlas-export-caption" style="position:fixed;top:8px;left:50%;'
        "transform:translateX(-50%);z-index:1000;max-width:min(640px,55vw);max-height:30vh;"
        "overflow-y:auto;background:rgba(255,255,255,0.93);padding:6px 10px;border-radius:4px;"
        'box-shadow:0 1px 4px rgba(0,0,0,0.3);font:12px/1.35 system-ui,sans-serif;color:#222">'
        f'<div style="font-weight:700;font-size:14px">{html.escape(view.heading(pack))}</div>'
        f'{caption}<div style="margin-top:3px;color:#8a4b00">{html.escape(note)}</div>'
        f'<details><summary style="cursor:pointer">{"Nguồn" if vi else "Sources"}</summary>'
        f"{lines}</details>"
        f'<div style="margin-top:3px;color:#555">{html.escape(when)}</div></div>'
    )


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_css(path: Path) -> str:
    """The stylesheet with every local url(...) replaced by a data: URI."""
    text = path.read_text(encoding="utf-8")

    def replace(match: re.Match) -> str:
        ref = match.group(2).strip()
        if ref.startswith(("data:", "#", "http:", "https:", "//")):
            return match.group(0)
        target = (path.parent / ref.split("?")[0].split("#")[0]).resolve()
        if not target.is_file():
            return "url()"
        return f'url("{_data_uri(target)}")'

    return _CSS_URL_RE.sub(replace, text)


def inline_assets(page: str, vendor: Path) -> str:
    """Replace the marker links of `page` by the files' content (dropping DROPPED ones)."""

    def script(match: re.Match) -> str:
        rel = match.group(1)
        if rel.startswith(DROPPED):
            return ""
        code = (vendor / rel).read_text(encoding="utf-8")
        return "<script>" + code.replace("</script", "<\\/script") + "</script>"

    def style(match: re.Match) -> str:
        rel = match.group(1)
        if rel.startswith(DROPPED):
            return ""
        css = _inline_css(vendor / rel)
        return "<style>" + css.replace("</style", "<\\/style") + "</style>"

    page = _SCRIPT_RE.sub(script, page)
    page = _LINK_RE.sub(style, page)
    if MARKER in page:
        raise ExportError("an asset link could not be inlined (layers/export_html.py)")
    return page


def export_html(pack: Pack, view: ExportView, steps: Steps | None = None) -> str:
    """The standalone HTML page of the view, every asset inline."""
    vendor = vendor_dir()
    m = build_export_map(pack, view, steps)
    if steps:
        steps.step("export.step.inline")
    owners = tuple(dict.fromkeys(asset.owner for asset in LOCAL_ASSETS))
    saved = {owner: (owner.default_js, owner.default_css) for owner in owners}
    use_local_assets(base_url=MARKER)
    try:
        page = m.get_root().render()
    finally:
        for owner, (js, css) in saved.items():
            owner.default_js, owner.default_css = js, css
    return inline_assets(page, vendor)


def write_html(
    pack: Pack, view: ExportView, out: Path | str, progress: Progress | None = None
) -> Path:
    """Write the page; `progress` hears one step per layer drawn and one for the assets."""
    out = Path(out)
    steps = Steps(progress, n_layers(pack, view) + 1, view.lang)
    out.write_text(export_html(pack, view, steps), encoding="utf-8")
    steps.done()
    return out
