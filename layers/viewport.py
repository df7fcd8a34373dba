"""Where the map looks: fit the district, remember the user's viewport, obey explicit requests.

Panning and zooming must not rerun the Streamlit script, so the server never hears about them;
the browser keeps them instead. Two elements, both our own JavaScript (no CDN):

* `ViewportMemory`, part of the base map (so its script is the same on every rerun and the
  map is never remounted): on `moveend` and `baselayerchange` it writes
  `{center, zoom, basemap, applied}` to the tab's `sessionStorage` under `store_key` (one per
  pack and page; same origin as the app, so a page switch, a language switch or a reload in
  the same tab finds it again). When the map is created it restores that entry; with none it
  fits `fit` (the district) with padding that keeps the on-map legend (bottom right) off it.
* `ViewCommand`, sent with the dynamic feature groups: an explicit request from the server
  (a URL opened, a view applied, a search hit, a Present step) with a unique `token`.

The rule: **an explicit request wins once.** A command is carried out the first time the map
sees its token, then its token is stored as `applied` with the viewport; reruns, remounts and
page switches that send the same command again find it applied and leave the user's viewport
alone. A new request needs a new token (`ui.viewport` makes them, random per session, so a
reload of the tab applies its URL again). Everything not requested is remembered.
"""

from __future__ import annotations

from collections.abc import Mapping

import folium
from branca.element import MacroElement, Template

from atlas.spec import Pack
from layers.features import bounds as frame_bounds

Bounds = list[list[float]]  # [[south, west], [north, east]]
DISTRICT_LAYER = "district"
EDGE_PADDING = 12  # px kept free around fitted bounds
HIT_MAX_ZOOM = 16  # a point found by search is not shown at street level
MAX_ZOOM = 18  # with no tile layer Leaflet has no maximum zoom; fits stop here


def district_bounds(pack: Pack) -> Bounds | None:
    """The `district` layer's bounds, else the union of every layer's; None for an empty pack."""
    frames = pack.frames
    if DISTRICT_LAYER in frames:
        found = frame_bounds(frames[DISTRICT_LAYER])
        if found:
            return found
    boxes = [b for b in (frame_bounds(frame) for frame in frames.values()) if b]
    if not boxes:
        return None
    return [
        [min(b[0][0] for b in boxes), min(b[0][1] for b in boxes)],
        [max(b[1][0] for b in boxes), max(b[1][1] for b in boxes)],
    ]


# The fitting function both elements use (defined once per map by ViewportMemory). Of two
# paddings, room for the legend on the right or at the bottom, it takes the one that allows
# the larger zoom: a wide district gives up height, a tall one width.
_FIT_JS = """
function fitPadded(map, bounds, maxZoom) {
    var b = L.latLngBounds(bounds);
    if (!b.isValid()) { return; }
    map.invalidateSize({pan: false});
    var size = map.getSize();
    var edge = EDGE;
    if (size.x <= 4 * edge || size.y <= 4 * edge) {  // not laid out yet: when it is
        map.once("resize", function() { fitPadded(map, bounds, maxZoom); });
        return;
    }
    var legend = map.getContainer().querySelector(".atlas-legend");
    var w = legend ? legend.offsetWidth + 10 : 0;
    var h = legend ? legend.offsetHeight + 10 : 0;
    var best = [edge, edge], bestZoom = -Infinity;
    [[edge + w, edge], [edge, edge + h]].forEach(function(br) {
        // A legend wider (taller) than half the map leaves too little: not that way.
        if (edge + br[0] > size.x / 2 || edge + br[1] > size.y / 2) { return; }
        var z = map.getBoundsZoom(b, false, L.point(edge + br[0], edge + br[1]));
        if (isFinite(z) && z > bestZoom) { bestZoom = z; best = br; }
    });
    var top = isFinite(map.getMaxZoom()) ? map.getMaxZoom() : MAXZOOM;
    map.fitBounds(b, {
        paddingTopLeft: [edge, edge],
        paddingBottomRight: best,
        maxZoom: Math.min(maxZoom || top, top),
        animate: false
    });
}
""".replace("EDGE", str(EDGE_PADDING)).replace("MAXZOOM", str(MAX_ZOOM))


class ViewportMemory(MacroElement):
    """Restore / remember / fit, as the module docstring says; `window.__atlasViewport`.

    `basemaps` maps basemap ids to the base layers (tile layers, or the empty "none" group) so
    the remembered basemap is an id, the same in both languages. `store_key` None: no memory
    (the map still fits `fit` and carries out commands).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var storeKey = {{ this.store_key|tojson }};
            var fit = {{ this.fit|tojson }};
            var basemaps = {
            {%- for id, layer in this.basemaps.items() %}
                {{ id|tojson }}: {{ layer.get_name() }}{{ "," if not loop.last }}
            {%- endfor %}
            };
            {{ this.fit_js }}
            var ctl = {ready: false, pending: null, applied: null};
            var read = function() {
                if (!storeKey) { return null; }
                try { return JSON.parse(window.sessionStorage.getItem(storeKey) || "null"); }
                catch (e) { return null; }
            };
            var basemap = function() {
                for (var id in basemaps) { if (map.hasLayer(basemaps[id])) { return id; } }
                return null;
            };
            var save = function() {
                if (!storeKey || !ctl.ready) { return; }
                var c = map.getCenter();
                var entry = {
                    center: [Math.round(c.lat * 1e6) / 1e6, Math.round(c.lng * 1e6) / 1e6],
                    zoom: map.getZoom(), basemap: basemap(), applied: ctl.applied
                };
                try { window.sessionStorage.setItem(storeKey, JSON.stringify(entry)); }
                catch (e) { /* storage full or disabled: the map still works */ }
            };
            var setBasemap = function(id) {
                var layer = basemaps[id];
                if (!layer || map.hasLayer(layer)) { return; }
                for (var other in basemaps) {
                    if (map.hasLayer(basemaps[other])) { map.removeLayer(basemaps[other]); }
                }
                map.addLayer(layer);
            };
            var run = function(cmd) {
                if (cmd.bounds) { fitPadded(map, cmd.bounds, cmd.max_zoom); }
                if (cmd.center || cmd.zoom != null) {
                    map.setView(cmd.center || map.getCenter(),
                                cmd.zoom != null ? cmd.zoom : map.getZoom(), {animate: false});
                }
                if (cmd.basemap) { setBasemap(cmd.basemap); }
                ctl.applied = cmd.token;
                save();
            };
            ctl.fit = function(bounds, maxZoom) { fitPadded(map, bounds, maxZoom); };
            ctl.command = function(cmd) {
                var stored = read();
                if (cmd.token === ctl.applied || (stored && stored.applied === cmd.token)) {
                    return;
                }
                if (ctl.ready) { run(cmd); } else { ctl.pending = cmd; }
            };
            ctl.init = function() {
                var stored = read();
                if (stored && stored.center && stored.zoom != null) {
                    map.setView(stored.center, stored.zoom, {animate: false});
                    if (stored.basemap) { setBasemap(stored.basemap); }
                    ctl.applied = stored.applied || null;
                } else if (fit) {
                    fitPadded(map, fit);
                }
                ctl.ready = true;
                if (ctl.pending) { var cmd = ctl.pending; ctl.pending = null; run(cmd); }
                map.on("moveend baselayerchange", save);
                save();
            };
            window.__atlasViewport = ctl;
            // Start once the map's first layers and legend are on it (the same task adds
            // them), Leaflet's stylesheet applies (it loads on its own; before, the legend is a
            // full-width block) and the frame is as tall as the map (the legend's height is
            // in vh of the frame). Only then can the legend be measured. At most 5 s.
            var tries = 0;
            var start = function() {
                var corner = map.getContainer().querySelector(".leaflet-bottom");
                var styled = corner && window.getComputedStyle(corner).position === "absolute";
                var tall = window.innerHeight >= map.getContainer().offsetHeight - 2;
                if ((styled && tall) || ++tries > 100) { ctl.init(); }
                else { setTimeout(start, 50); }
            };
            setTimeout(start, 0);
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        basemaps: Mapping[str, folium.map.Layer],
        fit: Bounds | None = None,
        store_key: str | None = None,
    ) -> None:
        super().__init__()
        self._name = "ViewportMemory"
        self.basemaps = dict(basemaps)
        self.fit = fit
        self.store_key = store_key
        self.fit_js = _FIT_JS


class ViewCommand(MacroElement):
    """One explicit request to `ViewportMemory`: see `view_command` for its fields."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var viewport = window.__atlasViewport;
            if (viewport) { viewport.command({{ this.command|tojson }}); }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, command: Mapping[str, object]) -> None:
        super().__init__()
        self._name = "ViewCommand"
        self.command = dict(command)


def view_command(
    token: str,
    *,
    center: tuple[float, float] | None = None,
    zoom: float | None = None,
    bounds: Bounds | None = None,
    basemap: str | None = None,
    max_zoom: float | None = None,
) -> dict[str, object]:
    """A request: fit `bounds` (legend-aware padding, at most `max_zoom`), then set `center`
    and/or `zoom` (either alone keeps the other), then show `basemap`. Unset parts stay."""
    command: dict[str, object] = {"token": token}
    if bounds is not None:
        command["bounds"] = bounds
    if max_zoom is not None:
        command["max_zoom"] = max_zoom
    if center is not None:
        command["center"] = [float(center[0]), float(center[1])]
    if zoom is not None:
        command["zoom"] = zoom
    if basemap is not None:
        command["basemap"] = basemap
    return command


def command_layer(command: Mapping[str, object]) -> folium.FeatureGroup:
    """A FeatureGroup holding only the command, for `st_folium(feature_group_to_add=…)`."""
    group = folium.FeatureGroup(name="viewport", control=False)
    group.add_child(ViewCommand(command))
    return group
