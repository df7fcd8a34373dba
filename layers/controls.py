"""The map's tools, in the UI language: zoom buttons, metric scale bar, full screen, measuring.

Leaflet's own zoom control and folium's `control_scale=True` are English and imperial; here the
zoom buttons get Vietnamese/English titles and the scale bar is metric only. leaflet-measure
(the measuring tool, `plugins.MeasureControl`) has locales for many languages but not
Vietnamese, and its dictionary is private to the library: its units and number format are set
through its options, and its interface strings are translated by `MeasureLocale`, a small
script of ours that rewrites the control's texts and result popups as the library draws them.
All strings come from `atlas.i18n` (keys `mapctl.*`), so both languages exist for each.
"""

from __future__ import annotations

import folium
from branca.element import MacroElement, Template
from folium import plugins

from atlas.i18n import t

# leaflet-measure's English interface strings (its `en` locale), by its own message keys.
MEASURE_ENGLISH: dict[str, str] = {
    "measure": "Measure",
    "measureDistancesAndAreas": "Measure distances and areas",
    "createNewMeasurement": "Create a new measurement",
    "startCreating": "Start creating a measurement by adding points to the map",
    "finishMeasurement": "Finish measurement",
    "lastPoint": "Last point",
    "area": "Area",
    "perimeter": "Perimeter",
    "pointLocation": "Point location",
    "areaMeasurement": "Area measurement",
    "linearMeasurement": "Linear measurement",
    "pathDistance": "Path distance",
    "centerOnArea": "Center on this area",
    "centerOnLine": "Center on this line",
    "centerOnLocation": "Center on this location",
    "cancel": "Cancel",
    "delete": "Delete",
}

# Metric units only, written as symbols (the same in both languages).
MEASURE_UNITS: dict[str, dict[str, object]] = {
    "kilometers": {"factor": 0.001, "display": "km", "decimals": 2},
    "meters": {"factor": 1, "display": "m", "decimals": 0},
    "hectares": {"factor": 0.0001, "display": "ha", "decimals": 2},
    "sqmeters": {"factor": 1, "display": "m²", "decimals": 0},
}
# Vietnamese writes 1.234,5; English 1,234.5.
NUMBER_FORMAT: dict[str, tuple[str, str]] = {"vi": (",", "."), "en": (".", ",")}


def measure_translations(lang: str) -> dict[str, str]:
    """leaflet-measure's English strings → `lang`; only those that differ (none for English)."""
    found = {}
    for name, english in MEASURE_ENGLISH.items():
        text = t(f"mapctl.measure.{name}", lang)
        if text != english:
            found[english] = text
    return found


def js_words_pattern(words: dict[str, str]) -> str:
    """A JavaScript RegExp source matching any key of `words` as whole words, longest first."""
    specials = set(r"\^$.|?*+()[]{}/")
    keys = sorted(words, key=len, reverse=True)
    escaped = ["".join("\\" + c if c in specials else c for c in key) for key in keys]
    return r"\b(" + "|".join(escaped) + r")\b" if keys else "(?!)"


class ZoomAndScale(MacroElement):
    """Leaflet's zoom buttons with titles in the UI language, and a metric-only scale bar.

    Add it before any other top-left control so the zoom buttons stay at the top, as usual;
    the Map itself is created with `zoom_control=False` and `control_scale=False`.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.zoom({
            position: "topleft",
            zoomInTitle: {{ this.zoom_in|tojson }},
            zoomOutTitle: {{ this.zoom_out|tojson }}
        }).addTo({{ this._parent.get_name() }});
        L.control.scale({position: "bottomleft", imperial: false, metric: true, maxWidth: 120})
            .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, lang: str) -> None:
        super().__init__()
        self._name = "ZoomAndScale"
        self.zoom_in = t("mapctl.zoom_in", lang)
        self.zoom_out = t("mapctl.zoom_out", lang)


class MeasureLocale(MacroElement):
    """Translates leaflet-measure's texts (and `title`s) inside the map as they appear.

    The library renders its panel and result popups from templates on every click; a
    MutationObserver on the map container re-translates whatever it adds. Whole strings are
    matched, longest first, so "Area measurement" is not read as "Area" + "measurement".
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var words = {{ this.words|tojson }};
            if (!Object.keys(words).length) { return; }
            var keys = Object.keys(words).sort(function(a, b) { return b.length - a.length; });
            if (!keys.length) { return; }
            var escape = function(s) { return s.replace(/[.*+?^${}()|[\\]\\\\]/g, "\\\\$&"); };
            var pattern = new RegExp("\\\\b(" + keys.map(escape).join("|") + ")\\\\b", "g");
            var swap = function(text) {
                return text.replace(pattern, function(m) { return words[m]; });
            };
            var SCOPE = ".leaflet-control-measure, .leaflet-measure-resultpopup";
            var translate = function(root) {
                root.querySelectorAll(SCOPE).forEach(function(box) {
                    var walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
                    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
                        var text = swap(node.nodeValue);
                        if (text !== node.nodeValue) { node.nodeValue = text; }
                    }
                    [box].concat(Array.from(box.querySelectorAll("[title]"))).forEach(
                        function(el) {
                            var title = el.getAttribute("title");
                            if (title && swap(title) !== title) {
                                el.setAttribute("title", swap(title));
                            }
                        }
                    );
                });
            };
            var container = map.getContainer();
            translate(container);
            new MutationObserver(function() { translate(container); })
                .observe(container, {childList: true, subtree: true});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, lang: str) -> None:
        super().__init__()
        self._name = "MeasureLocale"
        self.words = measure_translations(lang)
        self.pattern = js_words_pattern(self.words)


def add_tools(m: folium.Map, lang: str) -> None:
    """Full screen and measuring (top left, under the zoom), in the UI language."""
    plugins.Fullscreen(
        position="topleft",
        title=t("mapctl.fullscreen", lang),
        title_cancel=t("mapctl.fullscreen_exit", lang),
    ).add_to(m)
    dec_point, thousands = NUMBER_FORMAT.get(lang, NUMBER_FORMAT["vi"])
    plugins.MeasureControl(
        position="topleft",
        primary_length_unit="kilometers",
        secondary_length_unit="meters",
        primary_area_unit="hectares",
        secondary_area_unit="sqmeters",
        units=MEASURE_UNITS,
        dec_point=dec_point,
        thousands_sep=thousands,
    ).add_to(m)
    MeasureLocale(lang).add_to(m)


def add_fullscreen(m: folium.Map, lang: str) -> None:
    """Only the full-screen button (a map with no editing tools, e.g. the Present page)."""
    plugins.Fullscreen(
        position="topleft",
        title=t("mapctl.fullscreen", lang),
        title_cancel=t("mapctl.fullscreen_exit", lang),
    ).add_to(m)


class MapStyle(MacroElement):
    """How popups and tooltips read on every map: 13–14 px text, no focus frame around a
    clicked shape, no tooltip over an open popup (a popup hides the tooltip pane until it
    closes), and popups kept clear of the map's buttons.

    Leaflet draws every pane inside the map pane, under its control corners, so no z-index
    lifts a popup above the zoom buttons; instead a popup pans the map until it stands clear
    of the button columns (`autoPanPadding…`, inherited by every popup, folium's too).
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
          .leaflet-interactive:focus, .leaflet-container path:focus { outline: none; }
          .leaflet-tooltip, .atlas-tile-tooltip { font-size: 13px; font-weight: 400;
            line-height: 1.35; }
          .leaflet-tooltip table, .leaflet-tooltip th, .leaflet-tooltip td { font-size: 13px; }
          .leaflet-tooltip th { font-weight: 600; }
          .leaflet-tooltip th, .leaflet-tooltip td { white-space: nowrap; }
          .leaflet-popup-content { font-size: 14px; line-height: 1.4; }
          .atlas-popup-open .leaflet-tooltip-pane { display: none; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var box = map.getContainer();
            L.Popup.prototype.options.autoPanPaddingTopLeft = L.point(58, 14);
            L.Popup.prototype.options.autoPanPaddingBottomRight = L.point(62, 14);
            map.on("popupopen", function() { box.classList.add("atlas-popup-open"); });
            map.on("popupclose", function() { box.classList.remove("atlas-popup-open"); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MapStyle"


class WholeAreaButton(MacroElement):
    """A map button under the zoom buttons that fits the pack's whole area again (district,
    province or country), on the client: no rerun, whatever the user zoomed into. It uses
    the viewport script's padded fit when there is one (clear of the legend)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var bounds = {{ this.bounds|tojson }};
            var Whole = L.Control.extend({
                options: {position: "topleft"},
                onAdd: function() {
                    var bar = L.DomUtil.create("div", "leaflet-bar leaflet-control atlas-whole");
                    var a = L.DomUtil.create("a", "", bar);
                    a.href = "#";
                    a.title = {{ this.label|tojson }};
                    a.setAttribute("role", "button");
                    a.setAttribute("aria-label", {{ this.label|tojson }});
                    a.textContent = "\u2302";
                    a.style.fontSize = "18px";
                    L.DomEvent.disableClickPropagation(bar);
                    L.DomEvent.on(a, "click", function(e) {
                        L.DomEvent.preventDefault(e);
                        var vp = window.__atlasViewport;
                        if (vp && vp.fit) { vp.fit(bounds); } else { map.fitBounds(bounds); }
                    });
                    return bar;
                }
            });
            new Whole().addTo(map);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, bounds, lang: str) -> None:
        super().__init__()
        self._name = "WholeAreaButton"
        self.bounds = [[float(v) for v in corner] for corner in bounds]
        self.label = t("mapctl.whole", lang)
