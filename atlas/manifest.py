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

from atlas.report import Report, first_few
from atlas.spec import (
    AGGREGATES,
    FIELD_TYPES,
    LAYER_KINDS,
    QUOTE_KINDS,
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
from atlas.text import nfc_tree

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
        "labels": {"type": "boolean"},
        "label_field": {"type": "string"},
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
        # "summary": `quote` is a summary of the document (its text was not found), not its
        # words; `quote_source` then says where the summary comes from.
        "quote_kind": {"enum": list(QUOTE_KINDS)},
        "quote_source": _TEXT,
        # How to read the target today (e.g. "đô thị loại IV" set under criteria since replaced).
        "note": _TEXT,
    },
    "required": ["id", "label", "value", "unit", "year", "table", "column", "aggregate", "quote"],
    "additionalProperties": False,
    "allOf": [
        {
            "if": {"properties": {"aggregate": {"const": "ratio"}}},
            "then": {"required": ["denominator"]},
        },
        {
            "if": {"properties": {"quote_kind": {"const": "summary"}}, "required": ["quote_kind"]},
            "then": {"required": ["quote_source"]},
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
                "agency": _TEXT,
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


_TYPE_NAMES: dict[str, Text] = {
    "string": Text("chuỗi văn bản (trong dấu ngoặc kép)", "a text string (in quotes)"),
    "integer": Text("số nguyên", "a whole number"),
    "number": Text("số", "a number"),
    "boolean": Text("true hoặc false", "true or false"),
    "array": Text("danh sách [ … ]", "a list [ … ]"),
    "object": Text("bảng { … } hoặc mục [ … ]", "a table { … } or a [ … ] section"),
    "null": Text("để trống", "empty"),
}
_PATTERN_NAMES: dict[str, Text] = {
    _ID["pattern"]: Text(
        "chỉ gồm chữ cái không dấu, chữ số, _ và -", "only unaccented letters, digits, _ and -"
    ),
    _COLOR["pattern"]: Text("mã màu dạng #1a2b3c", "a colour like #1a2b3c"),
    "^[0-9]{2}$": Text("đúng 2 chữ số, trong dấu ngoặc kép", "exactly 2 digits, in quotes"),
    "^[0-9]{3}$": Text("đúng 3 chữ số, trong dấu ngoặc kép", "exactly 3 digits, in quotes"),
}


def _item_label(item: Any) -> str | None:
    """`id = roads`: what names an array item, so a clerk can search the file for it."""
    if not isinstance(item, dict):
        return None
    for key in ("id", "name", "value", "title"):
        value = item.get(key)
        if isinstance(value, dict):
            value = value.get("vi") or value.get("en")
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
            return f"{key} = {value}"
    return None


def toml_path(parts: Any, raw: Any) -> Text:
    """`layers[1] (id = internet_hamlets) › style.bins` from a path into the parsed TOML.

    Array indices count from 0 as in the TOML path; the item's id (or name) follows so the
    block can be found by searching the file for it.
    """
    segments: list[str] = []
    current = ""
    node = raw
    for part in parts:
        if isinstance(part, int):
            current += f"[{part}]"
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            label = _item_label(node)
            if label:
                segments.append(f"{current} ({label})")
                current = ""
        else:
            current += f".{part}" if current else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    if current:
        segments.append(current)
    if not segments:
        return Text("(cấp ngoài cùng của tệp)", "(top level of the file)")
    text = " › ".join(segments)
    return Text(text, text)


def _shown(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _friendly(error: Any) -> tuple[str, str, str | None]:
    """A message a data clerk understands (vi, en), and the offending key where there is one.

    jsonschema words its messages for programmers and in English only; the kinds a manifest
    runs into are reworded here, anything else keeps jsonschema's text after a Vietnamese lead.
    """
    kind, value, expected = error.validator, error.instance, error.validator_value
    if kind == "additionalProperties":
        extra = sorted(set(value) - set(error.schema.get("properties", {})))
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        keys = ", ".join(map(repr, extra))
        return (
            f"khoá không hợp lệ {keys}; các khoá được phép: {allowed}",
            f"unknown key(s) {keys}; allowed keys: {allowed}",
            extra[0] if extra else None,
        )
    if kind == "required":
        missing = [k for k in expected if not (isinstance(value, dict) and k in value)]
        key = missing[0] if missing else None
        return (
            f"thiếu khoá bắt buộc {key!r}",
            f"required key {key!r} is missing",
            key,
        )
    if kind == "const" and list(error.path) == ["format_version"]:
        return (
            f"format_version {value!r} không được hỗ trợ; phiên bản atlas này đọc "
            f"format_version = {FORMAT_VERSION}",
            f"format_version {value!r} is not supported; this version of the atlas reads "
            f"format_version = {FORMAT_VERSION}",
            "format_version",
        )
    if kind == "type":
        names = [_TYPE_NAMES.get(t, Text(t, t)) for t in _as_list(expected)]
        return (
            f"giá trị {_shown(value)} sai kiểu: cần {' hoặc '.join(n.vi for n in names)}",
            f"{_shown(value)} has the wrong type: expected {' or '.join(n.en for n in names)}",
            None,
        )
    if kind == "enum":
        allowed = ", ".join(map(repr, expected))
        return (
            f"{_shown(value)} không phải một giá trị được phép; chọn một trong: {allowed}",
            f"{_shown(value)} is not one of the allowed values: {allowed}",
            None,
        )
    if kind == "const":
        return (
            f"{_shown(value)} không hợp lệ: giá trị phải là {expected!r}",
            f"{_shown(value)} is not allowed: the value must be {expected!r}",
            None,
        )
    if kind == "pattern":
        rule = _PATTERN_NAMES.get(expected, Text(f"mẫu {expected}", f"pattern {expected}"))
        return (
            f"{_shown(value)} không đúng dạng: cần {rule.vi}",
            f"{_shown(value)} has the wrong form: expected {rule.en}",
            None,
        )
    if kind == "minLength":
        return ("không được để trống", "must not be empty", None)
    if kind in ("minItems", "maxItems"):
        vi_bound, en_bound = (
            ("ít nhất", "at least") if kind == "minItems" else ("nhiều nhất", "at most")
        )
        return (
            f"danh sách cần {vi_bound} {expected} phần tử (đang có {len(value)})",
            f"the list needs {en_bound} {expected} item(s) (it has {len(value)})",
            None,
        )
    if kind in ("minimum", "maximum"):
        vi_bound, en_bound = (
            ("nhỏ nhất", "minimum") if kind == "minimum" else ("lớn nhất", "maximum")
        )
        return (
            f"{_shown(value)} nằm ngoài giới hạn: giá trị {vi_bound} là {expected}",
            f"{_shown(value)} is out of range: the {en_bound} is {expected}",
            None,
        )
    return (f"giá trị không hợp lệ: {error.message}", error.message, None)


def _as_list(value: Any) -> list[Any]:
    """A schema keyword that may be one value or a list of them, as a list."""
    return list(value) if isinstance(value, list | tuple) else [value]


def read_manifest(pack_dir: Path, report: Report) -> dict[str, Any] | None:
    """Parse `pack.toml`, every string in NFC; a syntax error is reported with its line."""
    path = pack_dir / MANIFEST_NAME
    if not path.is_file():
        report.error(
            f"không có tệp {MANIFEST_NAME} trong thư mục {pack_dir}",
            f"no {MANIFEST_NAME} in {pack_dir}",
            file=MANIFEST_NAME,
        )
        return None
    return read_toml(path, MANIFEST_NAME, report)


def read_toml(
    path: Path,
    name: str,
    report: Report,
    *,
    level: str = "error",
    consequence: Text | None = None,
) -> dict[str, Any] | None:
    """A TOML file of the pack, parsed, with every string and key normalised to NFC.

    Text typed on macOS or pasted from some PDFs is NFD (decomposed diacritics): it looks the
    same but does not compare equal, so a target quote would not be found in the plan and a
    name would not match. The paths of what was changed are named in one warning. A file that
    cannot be parsed is reported at `level`, followed by `consequence` (what is lost).
    """
    say = report.error if level == "error" else report.warning
    after = consequence or Text("", "")
    try:
        parsed = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        say(
            f"tệp không phải văn bản UTF-8: {exc}{after.vi}",
            f"not UTF-8 text: {exc}{after.en}",
            file=name,
        )
        return None
    except tomllib.TOMLDecodeError as exc:
        say(f"lỗi cú pháp TOML: {exc}{after.vi}", f"TOML syntax error: {exc}{after.en}", file=name)
        return None
    except OSError as exc:
        say(
            f"không đọc được tệp: {exc}{after.vi}",
            f"cannot read the file: {exc}{after.en}",
            file=name,
        )
        return None
    raw, changed = nfc_tree(parsed)
    if changed:
        paths = [toml_path(p, raw) for p in changed]
        shown = first_few(paths)
        report.warning(
            f"{len(changed)} chuỗi không ở dạng Unicode NFC (dấu tiếng Việt tách rời) đã được "
            f"chuẩn hoá sang NFC: {shown.vi}; nên lưu lại tệp ở dạng NFC",
            f"{len(changed)} string(s) not in Unicode NFC (decomposed Vietnamese diacritics) "
            f"were normalised to NFC: {shown.en}; better save the file in NFC",
            file=name,
            where=paths[0],
        )
    return raw


def validate_manifest(raw: dict[str, Any], report: Report) -> Manifest | None:
    """Schema-check, reference-check and type the raw manifest; None when it has errors."""
    errors = sorted(_VALIDATOR.iter_errors(raw), key=lambda e: list(map(str, e.path)))
    for error in errors:
        vi, en, key = _friendly(error)
        if error.path and key == error.path[-1]:
            key = None  # already the last part of the path
        report.error(vi, en, file=MANIFEST_NAME, where=toml_path(error.path, raw), field=key)
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
        agency=_text(p["agency"]) if "agency" in p else None,
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
            labels=la.get("labels"),
            label_field=la.get("label_field"),
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
            quote_kind=t.get("quote_kind", "verbatim"),
            quote_source=_text(t["quote_source"]) if "quote_source" in t else None,
            denominator=t.get("denominator"),
            weight=t.get("weight"),
            note=_text(t["note"]) if "note" in t else None,
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


_KIND_NAMES = {
    "group": Text("nhóm", "group"),
    "layer": Text("lớp", "layer"),
    "table": Text("bảng", "table"),
    "target": Text("chỉ tiêu", "target"),
}


def _at(array: str, index: int, item_id: str) -> str:
    """`layers[1] (id = internet_hamlets)`: the TOML path, then the id to search for."""
    return f"{array}[{index}] (id = {item_id})"


def _check_references(m: Manifest, report: Report) -> None:
    """What the schema cannot say: ids unique, and every reference pointing at something."""
    f = MANIFEST_NAME
    for kind, ids in (
        ("group", [g.id for g in m.groups]),
        ("layer", [la.id for la in m.layers]),
        ("table", [t.id for t in m.tables]),
        ("target", [t.id for t in m.targets]),
    ):
        name = _KIND_NAMES[kind]
        for dup in sorted(_duplicates(ids)):
            report.error(
                f"mã {name.vi} {dup!r} được dùng nhiều lần",
                f"{name.en} id {dup!r} is used more than once",
                file=f,
                where=f"{kind}s",
                field="id",
            )
    groups = {g.id for g in m.groups}
    tables = {t.id: t for t in m.tables}
    layers = {la.id: la for la in m.layers}
    for i, la in enumerate(m.layers):
        where = _at("layers", i, la.id)
        if la.group not in groups:
            declared = ", ".join(sorted(groups))
            report.error(
                f"nhóm {la.group!r} chưa được khai báo trong [[groups]] (đã khai báo: {declared})",
                f"group {la.group!r} is not declared in [[groups]] (declared: {declared})",
                file=f,
                where=where,
                field="group",
            )
        if la.table is not None and la.table not in tables:
            report.error(
                f"bảng {la.table!r} chưa được khai báo trong [[tables]]",
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
                f"trường tô màu {st.field!r} không phải là cột của bảng {la.table!r}",
                f"style field {st.field!r} is not a column of table {la.table!r}",
                file=f,
                where=where,
                field="style.field",
            )
        if st.scheme == "thresholds" and list(st.bins) != sorted(st.bins):
            report.error(
                "các ngưỡng chia lớp (bins) phải tăng dần",
                "threshold bins must be in increasing order",
                file=f,
                where=where,
                field="style.bins",
            )
    for i, t in enumerate(m.tables):
        where = _at("tables", i, t.id)
        join = layers.get(t.join_layer)
        for col in t.columns:
            if col.carry in (None, "sum", "none") or t.column(col.carry) is not None:
                continue
            if join is not None and any(fs.name == col.carry for fs in join.fields):
                continue  # a declared field of the commune layer (e.g. area_km2)
            report.error(
                f"carry {col.carry!r} của cột {col.name!r} phải là 'sum', 'none', một cột của "
                f"bảng {t.id!r} hoặc một trường đã khai báo của lớp {t.join_layer!r}",
                f"carry {col.carry!r} of column {col.name!r} is not 'sum', 'none' or a column "
                f"of table {t.id!r} (or a declared field of layer {t.join_layer!r})",
                file=f,
                where=where,
                field="carry",
            )
        if t.join_layer not in layers:
            report.error(
                f"join_layer {t.join_layer!r} không phải là lớp của gói này",
                f"join_layer {t.join_layer!r} is not a layer of this pack",
                file=f,
                where=where,
                field="join_layer",
            )
        elif layers[t.join_layer].code_field is None:
            report.error(
                f"lớp {t.join_layer!r} không có code_field (trường mã) để nối bảng",
                f"layer {t.join_layer!r} has no code_field to join on",
                file=f,
                where=where,
                field="join_layer",
            )
    for i, tg in enumerate(m.targets):
        where = _at("targets", i, tg.id)
        table = tables.get(tg.table)
        if table is None:
            report.error(
                f"bảng {tg.table!r} chưa được khai báo trong [[tables]]",
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
                    f"{key} {col!r} không phải là cột của bảng {tg.table!r}",
                    f"{key} {col!r} is not a column of table {tg.table!r}",
                    file=f,
                    where=where,
                    field=key,
                )
