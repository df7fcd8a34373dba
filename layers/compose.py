"""The one place that turns prepared layers into what a map draws: the map composer.

Every map of the app (the Map and Present pages, the Scenarios page, the Compare page's two
synchronised maps) and the standalone HTML export draw their layers through `compose`, so a
layer looks, is ordered, is tiled or inline, and is listed in the legend the same way
everywhere:

* inline layers (a district's) each become a FeatureGroup (`layers.render.render_layer`);
* tiled layers (a province's or the nation's, `layers.vector_tiles`) become entries of one
  `TiledLayers` group, always present (an empty list tells the browser to remove the tiled
  layers it drew before) and first, since tiles are drawn under every inline layer anyway;
* every layer gets its legend section, in drawing order;
* the labels (`layers.labels`), when asked for, above every layer.

What a page adds around the layers (a search highlight, a view command, the legend's size)
stays with the page; how the groups reach the browser (streamlit-folium's dynamic groups, a
map's own children, a saved HTML file) is the caller's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import folium

from atlas.spec import LayerSpec
from layers.features import PreparedLayer
from layers.labels import WebLabels, label_group
from layers.legend import DEFAULT_FONT_SIZE, LegendSection, legend_layer, legend_section
from layers.render import render_layer
from layers.vector_tiles import tiled_group, tiled_spec

Drawn = tuple[LayerSpec, PreparedLayer, float]  # a layer, prepared, at an opacity


@dataclass
class Composed:
    """The groups to draw (tiled group first, then inline layers in drawing order) and the
    legend sections of every layer."""

    groups: list[folium.FeatureGroup] = field(default_factory=list)
    sections: list[LegendSection] = field(default_factory=list)

    def legend(
        self, lang: str, font_size: int = DEFAULT_FONT_SIZE, share: float | None = None
    ) -> folium.FeatureGroup | None:
        """The legend control's group, or None when no layer is drawn; `share`: of the map's
        height it may take before it shrinks (then scrolls); None: 40 % of the window."""
        if not self.sections:
            return None
        return legend_layer(self.sections, lang, font_size=font_size, share=share)

    def add_to(self, m: folium.Map, lang: str, font_size: int = DEFAULT_FONT_SIZE) -> None:
        """Put the layers and the legend on `m` itself (a map that is built once)."""
        for group in self.groups:
            group.add_to(m)
        legend = self.legend(lang, font_size)
        if legend is not None:
            legend.add_to(m)


def compose(
    layers: Iterable[Drawn],
    lang: str,
    labels: WebLabels | None = None,
    emphasis: float = 1.0,
) -> Composed:
    """The groups and legend sections of `layers`, given bottom first; `labels` (already
    narrowed to the drawn layers, `WebLabels.shown`) go on top of them; `emphasis` widens
    inline lines and points (`layers.render.render_layer`)."""
    composed = Composed()
    tiled: list[dict] = []
    for spec, prepared, opacity in layers:
        if prepared.tiled is not None:
            tiled.append(tiled_spec(spec.id, prepared.tiled, opacity))
        else:
            composed.groups.append(render_layer(prepared.fc, spec, opacity, lang, emphasis))
        composed.sections.append(legend_section(spec, prepared.legend, lang))
    composed.groups.insert(0, tiled_group(tiled))
    if labels is not None and labels.rows:
        composed.groups.append(label_group(labels))
    return composed
