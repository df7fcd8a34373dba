"""Legend of the drawn layers: entries (for the Streamlit panel) and an on-map Leaflet control.

The same `legend_entries` feed both the panel swatches and `legend_html`, so the panel and the
map always agree. All HTML here is escaped and styled inline: streamlit-folium only forwards
an element's script, not CSS added to the page header.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import folium
from branca.element import MacroElement, Template

from atlas.spec import LayerSpec
from layers.classify import Classes

LEGEND_TITLE = {"vi": "Chú giải", "en": "Legend"}
MIN_LEGEND_PX = 11  # a legend shrinks to fit the map, not below this
DEFAULT_FONT_SIZE = 12  # px
SHAPES: dict[str, str] = {
    "boundary": "outline",
    "line": "line",
    "polygon": "fill",
    "choropleth": "fill",
    "point": "circle",
}


@dataclass(frozen=True)
class LegendEntry:
    """One swatch: `shape` is "fill", "outline", "line" or "circle"; `stroke` the outline colour."""

    label: str
    color: str
    dash: str | None = None
    shape: str = "fill"
    stroke: str | None = None
    opacity: float = 1.0  # a fill's opacity on the map, so the swatch looks like the map


class LegendSection(NamedTuple):
    """One layer's part of the legend. `note` is the layer's own honesty note ("" for none):
    on a projector the legend is all the audience sees of a layer, so the note stands there."""

    title: str
    entries: Sequence[LegendEntry]
    note: str = ""


def legend_section(layer: LayerSpec, entries: Sequence[LegendEntry], lang: str) -> LegendSection:
    """The section of `layer` with its title and honesty note in `lang`."""
    note = layer.honesty.note.get(lang) if layer.honesty else ""
    return LegendSection(layer.title.get(lang), tuple(entries), note)


def legend_entries(
    layer: LayerSpec, lang: str, classes: Classes | None = None, unit: str | None = None
) -> list[LegendEntry]:
    """Fixed: the layer title; categorical: one per category; graduated: classes + no data.

    `unit` labels graduated classes; by default the unit the layer declares for its style
    field (pass a choropleth's table column unit, or use `features.prepare_layer`).
    """
    st = layer.style
    shape = SHAPES.get(layer.kind, "fill")
    alpha = min(max(st.fill_opacity, 0.35), 1.0) if shape == "fill" else 1.0
    if st.type == "categorical":
        return [
            LegendEntry(
                c.label.get(lang) or c.value, c.color, c.dash or st.dash, shape, c.color, alpha
            )
            for c in st.categories
        ]
    if st.type == "graduated" and classes is not None:
        if unit is None:
            unit = layer.field_spec(st.field).unit if st.field else ""
        stroke = st.color if shape == "fill" else None
        entries = [
            LegendEntry(label, color, st.dash, shape, stroke, alpha)
            for label, color in zip(classes.labels(unit, lang), classes.colors, strict=True)
        ]
        no_data = Classes.no_data_label(lang)
        entries.append(LegendEntry(no_data, classes.no_data_color, None, shape, stroke, alpha))
        return entries
    fill = st.fill_color or st.color
    colour = fill if shape == "fill" else st.color
    return [LegendEntry(layer.title.get(lang), colour, st.dash, shape, st.color, alpha)]


def swatch_svg(entry: LegendEntry, width: int = 18, height: int = 12) -> str:
    """A small inline SVG of the entry's symbol (also usable in Streamlit markdown)."""
    color = html.escape(entry.color, quote=True)
    stroke = html.escape(entry.stroke or entry.color, quote=True)
    dash = f' stroke-dasharray="{html.escape(entry.dash, quote=True)}"' if entry.dash else ""
    mid = height / 2
    if entry.shape == "line":
        body = (
            f'<line x1="1" y1="{mid}" x2="{width - 1}" y2="{mid}" stroke="{color}" '
            f'stroke-width="3"{dash}/>'
        )
    elif entry.shape == "circle":
        body = (
            f'<circle cx="{width / 2}" cy="{mid}" r="{mid - 1.5}" fill="{color}" '
            f'fill-opacity="0.8" stroke="{stroke}" stroke-width="1.5"/>'
        )
    elif entry.shape == "outline":
        body = (
            f'<rect x="1.5" y="1.5" width="{width - 3}" height="{height - 3}" fill="none" '
            f'stroke="{color}" stroke-width="2"{dash}/>'
        )
    else:
        body = (
            f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="{color}" '
            f'fill-opacity="{entry.opacity:g}" stroke="{stroke}" stroke-width="1"{dash}/>'
        )
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'style="vertical-align:middle;flex:none" aria-hidden="true">{body}</svg>'
    )


def legend_html(
    sections: Sequence[LegendSection | tuple[str, Sequence[LegendEntry]]],
    lang: str = "vi",
    font_size: int = DEFAULT_FONT_SIZE,
) -> str:
    """Compact legend: one titled section per layer, one swatch + label per entry, the layer's
    note (if any) in small italics after them; escaped.

    `font_size` (px) scales text, swatches and the width limit together: the map sits in an
    iframe the page's CSS cannot reach, so a projector page asks for a larger legend here.
    """
    title = LEGEND_TITLE["en" if lang == "en" else "vi"]
    scale = font_size / DEFAULT_FONT_SIZE
    swatch = (round(18 * scale), round(12 * scale))
    parts = [
        '<div class="atlas-legend-body" style="background:rgba(255,255,255,0.92);'
        "padding:6px 8px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,0.3);"
        f"font:{int(font_size)}px/1.35 system-ui,sans-serif;color:#222;max-height:40vh;"
        f'overflow-y:auto;max-width:{round(260 * scale)}px" role="group" '
        f'aria-label="{html.escape(title, quote=True)}">'
        # Collapsible: on a small screen or a projector the legend can be folded away.
        '<details open><summary style="cursor:pointer;font-weight:700">'
        f"{html.escape(title)}</summary>"
    ]
    for section in sections:
        section_title, entries, note = LegendSection(*section)
        if not entries:
            continue
        # A fixed style's single entry is labelled with the layer title: no heading needed. It
        # is set in bold like a heading, so after a titled section it does not read as one of
        # that section's entries (a railway under "Industrial parks").
        headed = len(entries) > 1 or entries[0].label != section_title
        if headed:
            parts.append(
                f'<div style="font-weight:600;margin:4px 0 2px">{html.escape(section_title)}</div>'
            )
        row_style = "margin:1px 0" if headed else "margin:4px 0 1px;font-weight:600"
        for entry in entries:
            parts.append(
                f'<div style="display:flex;align-items:center;gap:6px;{row_style}">'
                f"{swatch_svg(entry, *swatch)}<span>{html.escape(entry.label)}</span></div>"
            )
        if note:
            parts.append(
                '<div class="atlas-legend-note" style="font-style:italic;font-size:0.9em;'
                f'color:#8a4b00;margin:0 0 3px">{html.escape(note)}</div>'
            )
    parts.append("</details></div>")
    return "".join(parts)


class LegendControl(MacroElement):
    """A Leaflet control (bottom-right by default) holding the legend HTML, on the map.

    Its parent may be the Map or any layer such as a FeatureGroup: under a layer the control
    follows the layer, shown when the layer is added to the map and removed with it (so a
    FeatureGroup passed to `st_folium(feature_group_to_add=…)` replaces its legend on each
    rerun instead of stacking copies).

    A legend the user folded stays folded: the control is created anew on every rerun, so its
    open/closed state is kept on the (map iframe's) window and applied when it is re-added.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var target = {{ this._parent.get_name() }};
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function() {
                var div = L.DomUtil.create("div", "atlas-legend");
                div.innerHTML = {{ this.html|tojson }};
                var details = div.querySelector("details");
                if (details) {
                    if (window.__atlasLegendOpen === false) { details.open = false; }
                    details.addEventListener("toggle", function() {
                        window.__atlasLegendOpen = details.open;
                    });
                }
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            // Fit the map's height (a share of it, less the scale bar's line): shrink the
            // legend down to MIN_ZOOM of its size before it scrolls, and again on resize
            // (MIN_ZOOM keeps the text at 11 px or more).
            var share = {{ this.share|tojson }}, MIN_ZOOM = {{ this.min_zoom|tojson }};
            function fit() {
                if (share === null) { return; }  // a fixed 40vh, scrolling beyond
                var map = control._map, box = control.getContainer();
                var body = box && box.querySelector(".atlas-legend-body");
                if (!map || !body) { return; }
                var room = Math.max(80, map.getSize().y * share - 44);
                body.style.zoom = 1;
                body.style.maxHeight = "none";
                var need = body.scrollHeight, z = need > room ? Math.max(MIN_ZOOM, room / need) : 1;
                body.style.zoom = z;
                body.style.maxHeight = (room / z) + "px";
            }
            function add(map) {
                control.addTo(map);
                fit();
                map.on("resize", fit);
                var details = control.getContainer().querySelector("details");
                if (details) { details.addEventListener("toggle", fit); }
            }
            if (target instanceof L.Map) {
                add(target);
            } else {
                target.on("add", function() { add(target._map); });
                target.on("remove", function() {
                    if (control._map) { control._map.off("resize", fit); }
                    control.remove();
                });
                if (target._map) { add(target._map); }
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        html_content: str,
        position: str = "bottomright",
        share: float | None = None,
        font_size: int = DEFAULT_FONT_SIZE,
    ) -> None:
        super().__init__()
        self._name = "LegendControl"
        self.html = html_content
        self.position = position
        # Of the map's height the legend may take before it shrinks (a projector's map);
        # None: at most 40 % of the window, scrolling beyond — a size that does not change
        # when the map is resized, so a fit around the legend stays clear of it.
        self.share = share
        self.min_zoom = round(min(1.0, MIN_LEGEND_PX / font_size), 3)


def legend_layer(
    sections: Sequence[LegendSection | tuple[str, Sequence[LegendEntry]]],
    lang: str = "vi",
    position: str = "bottomright",
    font_size: int = DEFAULT_FONT_SIZE,
    share: float | None = None,
) -> folium.FeatureGroup:
    """A FeatureGroup holding only the legend control, for `feature_group_to_add`.

    `control=False` keeps it out of the layer switcher; it has no features. `font_size` in
    px (see `legend_html`).
    """
    group = folium.FeatureGroup(name=LEGEND_TITLE["en" if lang == "en" else "vi"], control=False)
    html_content = legend_html(sections, lang, font_size)
    control = LegendControl(html_content, position=position, share=share, font_size=font_size)
    group.add_child(control)
    return group
