"""The map fills the browser window's height below where it starts, and follows the window.

Why a script and not a height: the server does not know the window, and streamlit-folium
sizes its frame once, in pixels. Running in the map's frame (same origin as the page), the
script measures where the frame starts in the page, sets the map's height to the rest of the
window (at least `min_height`), and asks Streamlit for a frame that tall with the component
protocol's own `streamlit:setFrameHeight` message. It runs before `ViewportMemory`, which
waits for the frame to be as tall as the map before it fits the district, so the district is
fitted in the grown map. Outside a Streamlit page (the standalone HTML export) it does nothing.
"""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template


class FillHeight(MacroElement):
    # Never name streamlit-folium's second map div in this script: a map script containing
    # its id is taken for a DualMap and drawn at half width.
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var frame = window.frameElement;
            var host = frame && window.parent.document.querySelector('[data-testid="stMain"]');
            if (!host) { return; }
            var last = 0;
            // Where the frame starts in the page, whatever is scrolled: a scroll must not
            // change the map's height (each change re-centres the map by a rounding pixel).
            var pageTop = function() {
                var top = frame.getBoundingClientRect().top + (window.parent.scrollY || 0);
                for (var el = frame.parentElement; el; el = el.parentElement) {
                    top += el.scrollTop || 0;
                }
                return top;
            };
            var fill = function() {
                var top = pageTop();
                var h = Math.round(Math.max({{ this.min_height }},
                                            window.parent.innerHeight - top - {{ this.gap }}));
                h -= h % 2;  // an even height: the centre falls on a whole pixel
                if (Math.abs(h - last) < 2) { return; }
                last = h;
                var div = document.getElementById("map_div");  // (not the second, dual map)
                if (div) { div.style.height = h + "px"; }
                map.getContainer().style.height = h + "px";
                post();
                // Keep the exact centre: a resize re-centres by a rounded pixel otherwise.
                var centre = map.getCenter(), zoom = map.getZoom();
                map.invalidateSize({animate: false});
                map.setView(centre, zoom, {animate: false});
            };
            var post = function() {
                var msg = {isStreamlitMessage: true, type: "streamlit:setFrameHeight"};
                msg.height = last;
                window.parent.postMessage(msg, "*");
            };
            fill();
            // streamlit-folium sends its own frame height once it has drawn the map, after this
            // script: say ours again after it.
            setTimeout(post, 0);
            setTimeout(post, 400);
            var later = function() { setTimeout(fill, 50); };
            window.parent.addEventListener("resize", later);
            // What stands above the map settles after the map is drawn (messages, the note,
            // the search results): follow the page's layout, not only the window.
            var page = host.querySelector('[data-testid="stMainBlockContainer"]');
            if (page && window.parent.ResizeObserver) {
                new window.parent.ResizeObserver(later).observe(page);
            }
            window.__atlasFill = fill;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, min_height: int = 380, gap: int = 16) -> None:
        super().__init__()
        self._name = "FillHeight"
        self.min_height = int(min_height)
        self.gap = int(gap)
