"""Importing every layer of a file at once (a GeoPackage, a File Geodatabase, a DXF, our own
layered GeoJSON export) into one new user pack, all or nothing.

Every chosen layer is inspected first, so a layer that cannot be read, or whose CRS still
needs confirming, stops the import before anything is written. Then the first layer creates
the pack and the others are added to it (`ImportPlan(into_existing=True)` and `save_import`,
each save staged and validated as usual). If a later save fails, the pack this import created
is removed again; a pack that existed before is never touched (the first save refuses it).
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from atlas.ingest.errors import IngestError
from atlas.ingest.inspect import inspect_in_province
from atlas.ingest.mapping import join_communes, suggest_mapping
from atlas.ingest.model import ImportPlan, Inspection, SaveResult
from atlas.ingest.safety import check_slug, slugify
from atlas.ingest.save import is_user_pack, save_import
from atlas.packs import user_data_dir
from atlas.spec import Text


def import_layers(
    name: str,
    data: bytes,
    pack_id: str,
    layers: Sequence[str] | None = None,
    *,
    crs: str | None = None,
    province: str | None = None,
    reference: pd.DataFrame | None = None,
    plan: ImportPlan | None = None,
    root: Path | None = None,
) -> list[SaveResult]:
    """Import `layers` of the upload (default: all it has) as one new user pack `pack_id`.

    Each layer's columns are mapped by `suggest_mapping`: by name and value against
    `reference` (communes with `code`/`name`, which the rows are then joined to) when given,
    else by column name only. Each becomes a layer with the id `slugify(<layer name>)` (made
    unique) and the layer's name as title. `plan` carries the rest (pack name, honesty,
    `accept_fuzzy`, `drop_unmatched`, `province`); its `pack_id`, `mapping`, `layer_id`,
    `title` and `into_existing` are set here. `crs`/`province` are as for `inspect_upload`.
    Raises IngestError, and then no pack was created.
    """
    check_slug(pack_id)
    template = plan or ImportPlan(pack_id)
    template = dataclasses.replace(
        template, pack_id=pack_id, province=template.province or province
    )
    inspections = inspect_layers(name, data, layers, crs=crs, province=province)
    base = (root or user_data_dir()).expanduser()
    results: list[SaveResult] = []
    try:
        for i, (insp, layer_id) in enumerate(
            zip(inspections, _layer_ids(inspections), strict=True)
        ):
            plan_i = dataclasses.replace(template, layer_id=layer_id, into_existing=i > 0)
            results.append(_save_layer(insp, plan_i, reference, base))
    except Exception:
        if results and results[0].created and is_user_pack(results[0].path, base):
            shutil.rmtree(results[0].path, ignore_errors=True)
        raise
    return results


def inspect_layers(
    name: str,
    data: bytes,
    layers: Sequence[str] | None = None,
    *,
    crs: str | None = None,
    province: str | None = None,
) -> list[Inspection]:
    """One inspection per chosen layer (default: every layer; a one-layer file gives one);
    IngestError naming the first layer that cannot be imported as it is. A layer in metres
    without a CRS takes the best-ranked system for `province` when no `crs` is given
    (`inspect_in_province`, as the CLI does)."""
    first = _inspect(name, data, layers[0] if layers else None, crs, province)
    chosen = list(layers) if layers else (list(first.layers) or [first.layer])
    out = []
    for layer in chosen:
        insp = first if layer == first.layer else _inspect(name, data, layer, crs, province)
        _check_ready(insp, layer)
        out.append(insp)
    return out


def _inspect(
    name: str, data: bytes, layer: str | None, crs: str | None, province: str | None
) -> Inspection:
    return inspect_in_province(name, data, layer=layer, crs=crs, province=province)


def _check_ready(insp: Inspection, layer: str | None) -> None:
    what = f" {layer!r}" if layer else ""
    if insp.needs_crs:
        raise IngestError(
            f"Lớp{what} cần xác nhận hệ toạ độ (chọn --crs hoặc --province); chưa lưu gì.",
            f"Layer{what} needs its CRS confirmed (give --crs or --province); nothing saved.",
        )
    if not insp.ok:
        errors = "; ".join(i.describe("vi") for i in insp.report.errors[:3])
        errors_en = "; ".join(i.describe("en") for i in insp.report.errors[:3])
        raise IngestError(
            f"Lớp{what} không nhập được ({errors}); chưa lưu gì.",
            f"Layer{what} cannot be imported ({errors_en}); nothing saved.",
        )


def _label(insp: Inspection) -> str:
    return insp.layer or insp.name.rsplit(".", 1)[0]


def _layer_ids(inspections: list[Inspection]) -> list[str]:
    """`slugify(<layer name>)` per layer, `_2`, `_3` … when two names fold to the same id."""
    ids: list[str] = []
    for insp in inspections:
        wanted = slugify(_label(insp), "layer")
        candidate, n = wanted, 2
        while candidate in ids:
            candidate, n = f"{wanted}_{n}", n + 1
        ids.append(candidate)
    return ids


def _save_layer(
    insp: Inspection, plan: ImportPlan, reference: pd.DataFrame | None, base: Path
) -> SaveResult:
    """One layer saved with its own mapping (and join, when there is a reference)."""
    # With no reference to check against, a code guessed from values alone (a year column of
    # 4-digit numbers looks like codes) is not trusted: no one confirms it in a batch.
    data = insp.data if reference is not None else None
    mapping = suggest_mapping(insp.columns, data, reference)
    # A layer with no commune-looking column (roads, plants) is not joined, as in one import.
    no_join = plan.no_join or (not insp.is_table and not mapping.join)
    join = None
    if reference is not None and not no_join and (mapping.code or mapping.name):
        join = join_communes(insp.data, reference, mapping)
    label = _label(insp)
    plan = dataclasses.replace(plan, mapping=mapping, title=Text(label, label), no_join=no_join)
    return save_import(insp, plan, join=join, root=base)
