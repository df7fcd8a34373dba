"""The layers an export draws, prepared: shared by the HTML map and the print sheet.

A view's own layers come from the manifest (`layers.features.prepare_layer`); its scenario
overlay, when it has one, is a target layer built from the resolved figures
(`layers.target_layer`). Both exporters walk `view_layers` so they draw the same layers in
the same order as the map page (`atlas.overlay.drawing_order`) and report one progress step
per layer.
"""

from __future__ import annotations

from collections.abc import Iterator

from atlas import overlay as ov
from atlas.export import ExportView, Steps
from atlas.spec import LayerSpec, Pack
from layers.features import PreparedLayer, prepare_layer
from layers.target_layer import target_layer, target_layer_spec
from layers.vector_tiles import wants_tiles

EXPORT_PX = 4000  # a standalone map's large layers keep ~1 px of detail at this width


def view_layers(
    pack: Pack, view: ExportView, steps: Steps | None = None, *, light: bool = False
) -> Iterator[tuple[LayerSpec, PreparedLayer, float]]:
    """(spec, prepared layer, opacity) of every layer the view draws, in drawing order.

    `light`: layers the map page would tile (`layers.vector_tiles.wants_tiles`) are
    simplified to about one pixel of a map `EXPORT_PX` wide over the pack (the standalone
    HTML; the print sheet stays exact).
    """
    for lid in ov.drawing_order(pack, view.layers, view.overlay):
        if lid == ov.OVERLAY:
            found = view.overlay
            assert found is not None  # drawing_order puts OVERLAY only when there is one
            spec = target_layer_spec(pack, found.target_id, found.title)
            if steps:
                steps.step("export.step.layer", name=spec.title.get(view.lang))
            prepared = target_layer(pack, found.target_id, found.values, view.lang, found.title)
            yield spec, prepared, 1.0
            continue
        spec = pack.manifest.layer(lid)
        if steps:
            steps.step("export.step.layer", name=spec.title.get(view.lang))
        tolerance = _export_tolerance(pack, lid) if light else None
        prepared = prepare_layer(
            pack, lid, view.lang, view.year, view.scheme, view.k, simplify=tolerance
        )
        yield spec, prepared, view.opacity.get(lid, 1.0)


def _export_tolerance(pack: Pack, layer_id: str) -> float | None:
    frame = pack.frames[layer_id]
    if not wants_tiles(pack.manifest.layer(layer_id), frame):
        return None
    west, south, east, north = frame.total_bounds
    return max(east - west, north - south) / EXPORT_PX


def n_layers(pack: Pack, view: ExportView) -> int:
    """How many layers `view_layers` yields (for the progress total)."""
    return len(ov.drawing_order(pack, view.layers, view.overlay))
