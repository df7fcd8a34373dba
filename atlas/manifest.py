"""Read `pack.toml`, validate it against the format's JSON Schema, and build typed specs.

Validation is two-step: the schema catches shape errors (unknown keys, wrong types, missing
keys) with a JSON path; `_check_references` then catches what a schema cannot express
(a layer naming a group or table that does not exist, duplicate ids).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from atlas.report import Report
from atlas.spec import (
    AGGREGATES,
    FIELD_TYPES,
    LAYER_KINDS,
    SCHEMES,
    STYLE_TYPES,
    Category,
    FieldSpec,
    Group,
    Honesty,
    LayerSpec,
    Manifest,
    PackMeta,
    StyleSpec,
    TableSpec,
    TargetSpec,
    Text,
)

FORMAT_VERSION = 1
MANIFEST_NAME = "pack.toml"

_ID = {"type": "string", "pattern": "^[A-Za-z0-9_\\-]+$"}
_TEXT = {
    "type": "object",
    "properties": {
        "vi": {"type": "string", "minLength": 1},
        "en": {"type": "string", "minLength": 1},
    },
    "required": ["vi", "en"],
    "additionalProperties": False,
}
_COLOR = {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"}
_HONESTY = {
    "type": "object",
    "properties": {
        "geometry": {"enum": ["surveyed", "digitised", "schematic"]},
        "figures": {"enum": ["official", "estimated", "illustrative"]},
        "source": _TEXT,
        "note": _TEXT,
    },
    "required": ["geometry", "figures", "source"],
    "additionalProperties": False,
}
_FIELD = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "label": _TEXT,
        "unit": {"type": "string"},
        "type": {"enum": list(FIELD_TYPES)},
        "values": {"type": "object", "additionalProperties": _TEXT},
        # How the 2025 reorganisation carries the column over: "sum" (a count), "none" (it
        # cannot be), or the name of the column (or commune-layer field) that weights it.
        "carry": {"type": "string", "minLength": 1},
    },
    "required": ["name", "label"],
    "additionalProperties": False,
}
_CATEGORY = {
    "type": "object",
    "properties": {
        "value": {"type": ["string", "integer", "boolean"]},
        "color": _COLOR,
        "label": _TEXT,
        "dash": {"type": "string"},
    },
    "required": ["value", "color", "label"],
    "additionalProperties": False,
}
_STYLE = {
    "type": "object",
    "properties": {
        "type": {"enum": list(STYLE_TYPES)},
        "color": _COLOR,
        "fill_color": _COLOR,
        "weight": {"type": "number", "minimum": 0},
        "opacity": {"type": "number", "minimum": 0, "maximum": 1},
        "fill_opacity": {"type": "number", "minimum": 0, "maximum": 1},
        "dash": {"type": "string"},
        "radius": {"type": "number", "minimum": 0},
        "field": {"type": "string"},
        "categories": {"type": "array", "items": _CATEGORY, "minItems": 1},
        "default_color": _COLOR,
        "scheme": {"enum": list(SCHEMES)},
        "k": {"type": "integer", "minimum": 2, "maximum": 9},
        "bins": {"type": "array", "items": {"type": "number"}, "minItems": 1},
        "palette": {"type": "string"},
    },
    "required": ["type"],
    "additionalProperties": False,
    "allOf": [
        {
            "if": {"properties": {"type": {"const": "categorical"}}},
            "then": {"required": ["field", "categories"]},
        },
        {"if": {"properties": {"type": {"const": "graduated"}}}, "then": {"required": ["field"]}},
        {
            "if": {"properties": {"scheme": {"const": "thresholds"}}, "required": ["scheme"]},
            "then": {"required": ["bins"]},
        },
    ],
}
_LAYER = {
    "type": "object",
    "properties": {
        "id": _ID,
        "kind": {"enum": list(LAYER_KINDS)},
        "file": {"type": "string", "minLength": 1},
        "group": {"type": "string"},
        "title": _TEXT,
        "visible": {"type": "boolean"},
        "name_field": {"type": "string"},
        "code_field": {"type": "string"},
        "code_width": {"type": "integer", "minimum": 1, "maximum": 12},
        "table": {"type": "string"},
        "style": _STYLE,
        "tooltip": {"type": "array", "items": {"type": "string"}},
        "popup": {"type": "array", "items": {"type": "string"}},
        "fields": {"type": "array", "items": _FIELD},
        "honesty": _HONESTY,
        "crs": {"type": "string"},
    },
    "required": ["id", "kind", "file", "group", "title", "style"],
    "additionalProperties": False,
    "allOf": [
        {
            "if": {"properties": {"kind": {"const": "choropleth"}}},
            "then": {"required": ["table", "code_field"]},
        },
    ],
}
_TABLE = {
    "type": "object",
    "properties": {
        "id": _ID,
        "file": {"type": "string", "minLength": 1},
        "title": _TEXT,
        "key": {"type": "string"},
        "key_width": {"type": "integer", "minimum": 1, "maximum": 12},
        "join_layer": {"type": "string"},
        "year_column": {"type": "string"},
        "columns": {"type": "array", "items": _FIELD, "minItems": 1},
        "honesty": _HONESTY,
    },
    "required": ["id", "file", "title", "key", "join_layer", "columns"],
    "additionalProperties": False,
}
_TARGET = {
    "type": "object",
    "properties": {
        "id": _ID,
        "label": _TEXT,
        "value": {"type": "number"},
        "unit": {"type": "string"},
        "year": {"type": "integer"},
        "table": {"type": "string"},
        "column": {"type": "string"},
        "aggregate": {"enum": list(AGGREGATES)},
        "denominator": {"type": "string"},
        "weight": {"type": "string"},
        "quote": {"type": "string", "minLength": 1},
    },
    "required": ["id", "label", "value", "unit", "year", "table", "column", "aggregate", "quote"],
    "additionalProperties": False,
    "allOf": [
        {
            "if": {"properties": {"aggregate": {"const": "ratio"}}},
            "then": {"required": ["denominator"]},
        },
    ],
}
MANIFEST_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Atlas Hạ tầng data pack manifest, format version 1",
    "type": "object",
    "properties": {
        "format_version": {"const": FORMAT_VERSION},
        "pack": {
            "type": "object",
            "properties": {
                "name": _TEXT,
                "province": _TEXT,
                "province_code": {"type": "string", "pattern": "^[0-9]{2}$"},
                "district_code": {"type": "string", "pattern": "^[0-9]{3}$"},
                "admin_structure": {"enum": ["pre2025", "post2025"]},
                "plan_title": _TEXT,
                "period": {
                    "type": "object",
                    "properties": {"start": {"type": "integer"}, "end": {"type": "integer"}},
                    "required": ["start", "end"],
                    "additionalProperties": False,
                },
                "vision_year": {"type": "integer"},
                "plan_source": _TEXT,
                "default_view": {
                    "type": "object",
                    "properties": {
                        "center": {
                            "type": "array",
                            "items": {"type": "number"},
                            "minItems": 2,
                            "maxItems": 2,
                        },
                        "zoom": {"type": "integer", "minimum": 1, "maximum": 20},
                    },
                    "required": ["center", "zoom"],
                    "additionalProperties": False,
                },
                "default_language": {"enum": ["vi", "en"]},
            },
            "required": [
                "name",
                "province",
                "province_code",
                "district_code",
                "admin_structure",
                "plan_title",
                "period",
                "plan_source",
                "default_view",
            ],
            "additionalProperties": False,
        },
        "honesty": _HONESTY,
        "groups": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": _ID, "title": _TEXT},
                "required": ["id", "title"],
                "additionalProperties": False,
            },
            "minItems": 1,
        },
        "layers": {"type": "array", "items": _LAYER, "minItems": 1},
        "tables": {"type": "array", "items": _TABLE},
        "targets": {"type": "array", "items": _TARGET},
    },
    "required": ["format_version", "pack", "honesty", "groups", "layers"],
    "additionalProperties": False,
}

_VALIDATOR = Draft202012Validator(MANIFEST_SCHEMA)


def _json_path(path: Any) -> str:
    """`layers[2].style.bins` from a jsonschema error path."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _friendly(error: Any) -> tuple[str, str | None]:
    """A message a data clerk understands, and the offending key where there is one."""
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        return (
            f"unknown key(s) {', '.join(map(repr, extra))}; allowed keys: {allowed}",
            extra[0] if extra else None,
        )
    if error.validator == "required":
        return error.message.replace("is a required property", "is required"), None
    if error.validator == "const" and list(error.path) == ["format_version"]:
        return (
            f"format_version {error.instance!r} is not supported; this version of the atlas "
            f"reads format_version = {FORMAT_VERSION}"
        ), "format_version"
    return error.message, None


def read_manifest(pack_dir: Path, report: Report) -> dict[str, Any] | None:
    """Parse `pack.toml`; a syntax error is reported with its line, never raised."""
    path = pack_dir / MANIFEST_NAME
    if not path.is_file():
        report.error(f"no {MANIFEST_NAME} in {pack_dir}", file=MANIFEST_NAME)
        return None
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        report.error(f"not UTF-8 text: {exc}", file=MANIFEST_NAME)
    except tomllib.TOMLDecodeError as exc:
        report.error(f"TOML syntax error: {exc}", file=MANIFEST_NAME)
    return None


def validate_manifest(raw: dict[str, Any], report: Report) -> Manifest | None:
    """Schema-check, reference-check and type the raw manifest; None when it has errors."""
    errors = sorted(_VALIDATOR.iter_errors(raw), key=lambda e: list(map(str, e.path)))
    for error in errors:
        message, key = _friendly(error)
        report.error(message, file=MANIFEST_NAME, where=_json_path(error.path), field=key)
    if errors:
        return None
    manifest = _build(raw)
    _check_references(manifest, report)
    return manifest if report.ok else None


def _text(raw: dict[str, str] | None) -> Text:
    return Text.of(raw)


def _honesty(raw: dict[str, Any] | None) -> Honesty | None:
    if raw is None:
        return None
    return Honesty(
        geometry=raw["geometry"],
        figures=raw["figures"],
        source=_text(raw.get("source")),
        note=_text(raw.get("note")),
    )


def _field(raw: dict[str, Any]) -> FieldSpec:
    return FieldSpec(
        name=raw["name"],
        label=_text(raw["label"]),
        unit=raw.get("unit", ""),
        type=raw.get("type", "str"),
        values={str(k): _text(v) for k, v in raw.get("values", {}).items()},
        carry=raw.get("carry"),
    )


def _style(raw: dict[str, Any]) -> StyleSpec:
    cats = tuple(
        Category(
            value=str(c["value"]), color=c["color"], label=_text(c["label"]), dash=c.get("dash")
        )
        for c in raw.get("categories", ())
    )
    simple = {
        k: raw[k]
        for k in (
            "type",
            "color",
            "fill_color",
            "weight",
            "opacity",
            "fill_opacity",
            "dash",
            "radius",
            "field",
            "default_color",
            "scheme",
            "k",
            "palette",
        )
        if k in raw
    }
    return StyleSpec(**simple, categories=cats, bins=tuple(raw.get("bins", ())))


def _build(raw: dict[str, Any]) -> Manifest:
    p = raw["pack"]
    meta = PackMeta(
        name=_text(p["name"]),
        province=_text(p["province"]),
        province_code=p["province_code"],
        district_code=p["district_code"],
        admin_structure=p["admin_structure"],
        plan_title=_text(p["plan_title"]),
        period_start=p["period"]["start"],
        period_end=p["period"]["end"],
        plan_source=_text(p["plan_source"]),
        default_center=(
            float(p["default_view"]["center"][0]),
            float(p["default_view"]["center"][1]),
        ),
        default_zoom=p["default_view"]["zoom"],
        vision_year=p.get("vision_year"),
        default_language=p.get("default_language", "vi"),
    )
    layers = tuple(
        LayerSpec(
            id=la["id"],
            kind=la["kind"],
            file=la["file"],
            group=la["group"],
            title=_text(la["title"]),
            style=_style(la["style"]),
            visible=la.get("visible", True),
            name_field=la.get("name_field", "name"),
            code_field=la.get("code_field"),
            code_width=la.get("code_width"),
            table=la.get("table"),
            tooltip=tuple(la.get("tooltip", ())),
            popup=tuple(la.get("popup", ())),
            fields=tuple(_field(f) for f in la.get("fields", ())),
            honesty=_honesty(la.get("honesty")),
            crs=la.get("crs"),
        )
        for la in raw["layers"]
    )
    tables = tuple(
        TableSpec(
            id=t["id"],
            file=t["file"],
            title=_text(t["title"]),
            key=t["key"],
            join_layer=t["join_layer"],
            columns=tuple(_field(c) for c in t["columns"]),
            key_width=t.get("key_width"),
            year_column=t.get("year_column"),
            honesty=_honesty(t.get("honesty")),
        )
        for t in raw.get("tables", ())
    )
    targets = tuple(
        TargetSpec(
            id=t["id"],
            label=_text(t["label"]),
            value=float(t["value"]),
            unit=t["unit"],
            year=t["year"],
            table=t["table"],
            column=t["column"],
            aggregate=t["aggregate"],
            quote=t["quote"],
            denominator=t.get("denominator"),
            weight=t.get("weight"),
        )
        for t in raw.get("targets", ())
    )
    return Manifest(
        format_version=raw["format_version"],
        meta=meta,
        honesty=_honesty(raw["honesty"]) or Honesty(),
        groups=tuple(Group(g["id"], _text(g["title"])) for g in raw["groups"]),
        layers=layers,
        tables=tables,
        targets=targets,
    )


def _duplicates(ids: list[str]) -> set[str]:
    return {i for i in ids if ids.count(i) > 1}


def _check_references(m: Manifest, report: Report) -> None:
    """What the schema cannot say: ids unique, and every reference pointing at something."""
    f = MANIFEST_NAME
    for kind, ids in (
        ("group", [g.id for g in m.groups]),
        ("layer", [la.id for la in m.layers]),
        ("table", [t.id for t in m.tables]),
        ("target", [t.id for t in m.targets]),
    ):
        for dup in sorted(_duplicates(ids)):
            report.error(f"{kind} id {dup!r} is used more than once", file=f, where=f"{kind}s")
    groups = {g.id for g in m.groups}
    tables = {t.id: t for t in m.tables}
    layers = {la.id: la for la in m.layers}
    for i, la in enumerate(m.layers):
        where = f"layers[{i}] ({la.id})"
        if la.group not in groups:
            report.error(
                f"group {la.group!r} is not declared in [[groups]] "
                f"(declared: {', '.join(sorted(groups))})",
                file=f,
                where=where,
                field="group",
            )
        if la.table is not None and la.table not in tables:
            report.error(
                f"table {la.table!r} is not declared in [[tables]]",
                file=f,
                where=where,
                field="table",
            )
        st = la.style
        if (
            st.type == "graduated"
            and la.kind == "choropleth"
            and la.table in tables
            and tables[la.table].column(st.field or "") is None
        ):
            report.error(
                f"style field {st.field!r} is not a column of table {la.table!r}",
                file=f,
                where=where,
                field="style.field",
            )
        if st.scheme == "thresholds" and list(st.bins) != sorted(st.bins):
            report.error(
                "threshold bins must be in increasing order",
                file=f,
                where=where,
                field="style.bins",
            )
    for i, t in enumerate(m.tables):
        join = layers.get(t.join_layer)
        for col in t.columns:
            if col.carry in (None, "sum", "none") or t.column(col.carry) is not None:
                continue
            if join is not None and any(fs.name == col.carry for fs in join.fields):
                continue  # a declared field of the commune layer (e.g. area_km2)
            report.error(
                f"carry {col.carry!r} of column {col.name!r} is not 'sum', 'none' or a column "
                f"of table {t.id!r} (or a declared field of layer {t.join_layer!r})",
                file=f,
                where=f"tables[{i}] ({t.id})",
                field="carry",
            )
        if t.join_layer not in layers:
            report.error(
                f"join_layer {t.join_layer!r} is not a layer of this pack",
                file=f,
                where=f"tables[{i}] ({t.id})",
                field="join_layer",
            )
        elif layers[t.join_layer].code_field is None:
            report.error(
                f"layer {t.join_layer!r} has no code_field to join on",
                file=f,
                where=f"tables[{i}] ({t.id})",
                field="join_layer",
            )
    for i, tg in enumerate(m.targets):
        where = f"targets[{i}] ({tg.id})"
        table = tables.get(tg.table)
        if table is None:
            report.error(
                f"table {tg.table!r} is not declared in [[tables]]",
                file=f,
                where=where,
                field="table",
            )
            continue
        for key in ("column", "denominator", "weight"):
            col = getattr(tg, key)
            if col is not None and table.column(col) is None:
                report.error(
                    f"{key} {col!r} is not a column of table {tg.table!r}",
                    file=f,
                    where=where,
                    field=key,
                )
