"""A commune choropleth of one plan target's per-commune value, for any scenario's figures.

The scenarios, compare and map pages all draw "how far is each commune from this target" for
values that are not a pack file (a scenario = base table + edits), so the layer spec is built
here from the target instead of read from the manifest, and rendered like any choropleth.
"""

from __future__ import annotations

import pandas as pd

from atlas import kpi
from atlas.overlay import MET, VALUE, target_frame
from atlas.spec import Category, FieldSpec, LayerSpec, Pack, StyleSpec, Text
from atlas.tiles import TileArchive
from layers.classify import classify
from layers.features import PreparedLayer, bounds, feature_collection
from layers.legend import legend_entries
from layers.vector_tiles import tiled_source, value_table

PALETTE = "RdYlGn"
MET_LABEL = {"vi": ("Đạt", "Chưa đạt"), "en": ("Met", "Not met")}


def target_bins(target_value: float) -> tuple[float, ...]:
    """Classes that separate 'met' from 'nearly' and 'far': on a 0–100 % target, 50/80/target."""
    near = target_value * 0.8
    far = target_value * 0.5
    return (far, near, target_value - 0.1, target_value)


def target_layer_spec(pack: Pack, target_id: str, title: Text | None = None) -> LayerSpec:
    """A choropleth spec over the communes the target's table joins to: classes of the value
    (graduated) or, for a yes/no target (share_true), "Có / Chưa có" by category."""
    tg = kpi.target(pack, target_id)
    if tg.aggregate == "share_true":  # its 0 % / 100 % says nothing a reader needs
        answers = {k: Text(vi, en) for k, (vi, en, _) in YES_NO.items()}
        categories = tuple(Category(k, colour, answers[k]) for k, (_, _, colour) in YES_NO.items())
        style = StyleSpec(
            type="categorical",
            field=MET,
            categories=categories,
            default_color="#d9d9d9",
            fill_opacity=0.75,
            weight=1,
            color="#636363",
        )
        fields = (FieldSpec(name=MET, label=tg.label, type="str", values=answers),)
    else:
        met = {k: Text(MET_LABEL["vi"][i], MET_LABEL["en"][i]) for i, k in enumerate(("yes", "no"))}
        style = StyleSpec(
            type="graduated",
            field=VALUE,
            scheme="thresholds",
            bins=target_bins(tg.value),
            palette=PALETTE,
            fill_opacity=0.75,
            weight=1,
            color="#636363",
        )
        fields = (FieldSpec(name=VALUE, label=tg.label, unit=tg.unit, type="float"),
                  FieldSpec(name=MET, label=Text("Đạt chỉ tiêu", "Target met"), type="str",
                            values=met))  # fmt: skip
    communes = pack.manifest.layer(pack.manifest.table(tg.table).join_layer)
    shown = tuple(f.name for f in fields)
    return LayerSpec(
        id=f"target_{target_id}",
        kind="choropleth",
        file=communes.file,
        group=communes.group,
        title=title or tg.label,
        style=style,
        name_field=communes.name_field,
        code_field=communes.code_field,
        tooltip=(communes.name_field, *shown),
        popup=(communes.code_field or communes.name_field, *shown),
        fields=(*communes.fields, *fields),
    )


YES_NO = {"yes": ("Có", "Yes", "#1a9850"), "no": ("Chưa có", "Not yet", "#d73027")}


def target_layer(
    pack: Pack,
    target_id: str,
    values: pd.DataFrame,
    lang: str,
    title: Text | None = None,
    archive: TileArchive | None = None,
) -> PreparedLayer:
    """Communes coloured by their value of `target_id` computed from `values` (code + columns).

    `values` is a scenario's materialised frame (`atlas.scenarios.materialise`) or a measured
    year (`atlas.kpi.measured_frame`); communes missing from it show as "no data". With the
    communes' tile `archive` the layer is tiled (`layers.vector_tiles`): a scenario change
    then sends a value table, not the communes again.
    """
    tg = kpi.target(pack, target_id)
    spec = target_layer_spec(pack, target_id, title)
    frame = target_frame(pack, target_id, values)  # the commune layer's rows, in its order
    classes = classify(list(frame[VALUE]), spec.style)
    entries = tuple(legend_entries(spec, lang, classes, unit=tg.unit))
    if archive is not None:
        source = tiled_source(archive, value_table(frame, spec, lang, classes), len(frame))
        empty = {"type": "FeatureCollection", "features": []}
        return PreparedLayer(spec.id, empty, entries, classes, None, bounds(frame), tiled=source)
    fc = feature_collection(frame, spec, lang, classes)
    return PreparedLayer(spec.id, fc, entries, classes, None, bounds(frame))
