"""Wrap a prepared FeatureCollection into a folium FeatureGroup, one renderer per layer kind.

Cheap by design: styles and tooltip/popup HTML are already in the features' properties (see
`layers.features`), so a renderer only reads `_style`, scales it by the panel's opacity and
binds `_tooltip`/`_popup`. The group references no Map, so it can be handed to
`st_folium(feature_group_to_add=…)` and swapped on every rerun without remounting the map.

folium's GeoJsonTooltip/GeoJsonPopup insert property values with `innerHTML`; that is why
the HTML is escaped when it is built and why no raw data property is ever bound here.

A layer at opacity 0 is still drawn (it keeps its place in the panel, the legend and the
drawing order, and comes back without a rebuild), but as nothing a pointer can meet: no fill,
`interactive: false`, no tooltip, popup or highlight. An SVG path with `fill` on catches the
mouse even when its fillOpacity is 0, so an invisible choropleth would otherwise swallow the
tooltips and popups of the layers beneath it and flash when hovered.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import folium

from atlas.spec import LayerSpec

StyleFn = Callable[[dict], dict]
Renderer = Callable[[dict, LayerSpec, float, str], folium.GeoJson]

BOUNDARY_MAX_FILL = 0.1  # a boundary must never hide what is under it
POINT_MIN_FILL = 0.7  # small circles need a solid fill to be seen


def render_layer(
    fc: dict, layer: LayerSpec, opacity: float = 1.0, lang: str = "vi", emphasis: float = 1.0
) -> folium.FeatureGroup:
    """The layer as a FeatureGroup named by its title, holding one styled GeoJson.

    `emphasis` multiplies line widths and point radii (a projector's map: 7 px circles and
    2 px lines vanish at the back of a room)."""
    # Leaflet's layer control sets a layer's name with innerHTML: a title from a file is
    # escaped here, so `<img onerror=…>` in a manifest shows as text in the exported map.
    group = folium.FeatureGroup(name=html.escape(layer.title.get(lang)), show=True)
    renderer = RENDERERS.get(layer.kind, render_polygon)
    if emphasis != 1.0 and fc.get("features"):
        fc = {**fc, "features": [_emphasised(f, emphasis) for f in fc["features"]]}
    renderer(fc, layer, opacity, lang).add_to(group)
    return group


def _emphasised(feature: dict, emphasis: float) -> dict:
    style = dict(feature["properties"].get("_style", {}))
    for name in ("weight", "radius"):
        if name in style:
            style[name] = round(float(style[name]) * emphasis, 2)
    return {**feature, "properties": {**feature["properties"], "_style": style}}


def boundary_style(style: dict) -> dict:
    """Outlines: fill only if the style asks for one, and then very light."""
    style["fillOpacity"] = min(style.get("fillOpacity", 0.0), BOUNDARY_MAX_FILL)
    style["fill"] = style["fillOpacity"] > 0
    return style


def line_style(style: dict) -> dict:
    style["fill"] = False
    return style


def area_style(style: dict) -> dict:
    """Polygons and choropleths: the feature's own style (a choropleth's outline is thin)."""
    return style


def point_style(style: dict) -> dict:
    """Small circles need a solid fill to be seen."""
    style["fill"] = True
    style["fillOpacity"] = max(style.get("fillOpacity", 0.0), POINT_MIN_FILL)
    return style


# The one rule per kind that turns a feature's `_style` into what is drawn: used by the inline
# renderers here and by the vector-tile value tables (`layers.vector_tiles`).
KIND_STYLE: dict[str, Callable[[dict], dict]] = {
    "boundary": boundary_style,
    "line": line_style,
    "polygon": area_style,
    "choropleth": area_style,
    "point": point_style,
}


def render_boundary(fc: dict, layer: LayerSpec, opacity: float, lang: str) -> folium.GeoJson:
    return _geojson(fc, layer, opacity, lang, boundary_style, extra_weight=2)


def render_line(fc: dict, layer: LayerSpec, opacity: float, lang: str) -> folium.GeoJson:
    return _geojson(fc, layer, opacity, lang, line_style, extra_weight=3)


def render_polygon(fc: dict, layer: LayerSpec, opacity: float, lang: str) -> folium.GeoJson:
    return _geojson(fc, layer, opacity, lang, area_style, extra_weight=2)


def render_choropleth(fc: dict, layer: LayerSpec, opacity: float, lang: str) -> folium.GeoJson:
    """Filled classes; the outline is the style's (usually a thin grey)."""
    return _geojson(fc, layer, opacity, lang, area_style, extra_weight=2)


def render_point(fc: dict, layer: LayerSpec, opacity: float, lang: str) -> folium.GeoJson:
    """Circle markers whose radius and colours come from each feature's `_style`."""
    marker = folium.CircleMarker(radius=layer.style.radius, fill=True)
    return _geojson(fc, layer, opacity, lang, point_style, extra_weight=2, marker=marker)


RENDERERS: dict[str, Renderer] = {
    "boundary": render_boundary,
    "line": render_line,
    "polygon": render_polygon,
    "point": render_point,
    "choropleth": render_choropleth,
}


def _geojson(
    fc: dict,
    layer: LayerSpec,
    opacity: float,
    lang: str,
    adjust: Callable[[dict], dict],
    extra_weight: float,
    marker: folium.CircleMarker | None = None,
) -> folium.GeoJson:
    opacity = min(max(float(opacity), 0.0), 1.0)
    features = fc.get("features", [])
    if not features:  # folium's style map and field checks need at least one feature
        return folium.GeoJson(fc, name=html.escape(layer.title.get(lang)), control=False)
    if opacity == 0.0:
        return _invisible(fc, layer, lang, adjust, marker)

    def style_function(feature: dict) -> dict:
        style = adjust(dict(feature["properties"]["_style"]))
        style["opacity"] = style.get("opacity", 1.0) * opacity
        style["fillOpacity"] = style.get("fillOpacity", 0.0) * opacity
        return style

    def highlight_function(feature: dict) -> dict:
        style = style_function(feature)
        return {
            "weight": style.get("weight", 1.0) + extra_weight,
            "opacity": min(1.0, style["opacity"] + 0.2),
            "fillOpacity": min(1.0, style["fillOpacity"] + 0.15) if style.get("fill") else 0,
        }

    def has(prop: str) -> bool:
        return any(f["properties"].get(prop) for f in features)

    tooltip = (
        folium.GeoJsonTooltip(fields=["_tooltip"], labels=False, localize=False, sticky=True)
        if has("_tooltip")
        else None
    )
    popup = (
        folium.GeoJsonPopup(fields=["_popup"], labels=False, localize=False, max_width=320)
        if has("_popup")
        else None
    )
    return folium.GeoJson(
        fc,
        name=html.escape(layer.title.get(lang)),
        control=False,
        style_function=style_function,
        highlight_function=highlight_function,
        tooltip=tooltip,
        popup=popup,
        marker=marker,
    )


def _invisible(
    fc: dict,
    layer: LayerSpec,
    lang: str,
    adjust: Callable[[dict], dict],
    marker: folium.CircleMarker | None,
) -> folium.GeoJson:
    """The layer at opacity 0: drawn, but transparent and out of the pointer's way.

    `interactive: false` goes both in the GeoJson options (Leaflet hands them to every path it
    builds) and in the style (folium's point-to-layer merges the style into a circle marker's
    options), so no feature gets the `leaflet-interactive` class that lets SVG take events.
    """

    def style_function(feature: dict) -> dict:
        style = adjust(dict(feature["properties"]["_style"]))
        style.update(opacity=0.0, fillOpacity=0.0, fill=False, interactive=False)
        return style

    return folium.GeoJson(
        fc,
        name=html.escape(layer.title.get(lang)),
        control=False,
        style_function=style_function,
        marker=marker,
        interactive=False,
    )
