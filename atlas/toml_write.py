"""A small TOML writer for pack manifests, shared by `geodata/build_packs.py` and the import
engine, so generated and imported packs read the same way.

Why not a library: tomllib only reads, and the manifest's layout (inline tables for bilingual
texts and styles, sub-tables for field lists) is part of what makes it reviewable by hand.
"""

from __future__ import annotations

import json
import re
from typing import Any

BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_key(key: str) -> str:
    return key if BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def toml_value(value: Any, multiline: bool = False) -> str:
    """An inline TOML value; with `multiline`, arrays of tables put one table per line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON escapes are valid TOML escapes
    if isinstance(value, list):
        items = [toml_value(v) for v in value]
        if multiline and value and isinstance(value[0], dict):
            return "[\n" + "".join(f"    {item},\n" for item in items) + "]"
        return "[" + ", ".join(items) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{toml_key(k)} = {toml_value(v, multiline)}" for k, v in value.items())
        return "{ " + inner + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


def toml_table(header: str, body: dict[str, Any], lines: list[str]) -> None:
    """`[header]` or `[[header]]` with its keys. Field lists, value translations and honesty
    overrides become sub-tables, so each gets its own readable block instead of a long line."""
    lines.append(header)
    name = header.strip("[]")
    subtables, arrays = [], []
    for key, value in body.items():
        if key in ("fields", "columns"):
            arrays.append((key, value))
        elif key in ("values", "honesty") and name != "honesty":
            subtables.append((key, value))
        else:
            lines.append(f"{toml_key(key)} = {toml_value(value, multiline=key == 'style')}")
    for key, value in subtables:
        lines.append("")
        toml_table(f"[{name}.{key}]", value, lines)
    for key, value in arrays:
        for item in value:
            lines.append("")
            toml_table(f"[[{name}.{key}]]", item, lines)


def render_manifest(manifest: dict[str, Any], header: list[str]) -> str:
    """The whole `pack.toml`: `header` comment lines, then the sections in format order."""
    lines = [*header, "", f"format_version = {manifest['format_version']}", ""]
    toml_table("[pack]", manifest["pack"], lines)
    lines += ["", "# How far to trust this pack: shown wherever the pack is shown."]
    toml_table("[honesty]", manifest["honesty"], lines)
    lines += ["", "# Layer groups, in panel order."]
    for group in manifest["groups"]:
        toml_table("[[groups]]", group, lines)
        lines.append("")
    lines.append("# Layers, in drawing order (first drawn at the bottom).")
    for layer in manifest["layers"]:
        lines.append(f"# ── {layer['id']}: {layer['kind']} in group {layer['group']} ──")
        toml_table("[[layers]]", layer, lines)
        lines.append("")
    lines.append("# Attribute tables joined to the communes on their GSO code.")
    for table in manifest.get("tables", []):
        toml_table("[[tables]]", table, lines)
        lines.append("")
    lines.append(
        "# Plan targets: `quote` is the plan's own wording, verbatim (or, with "
        '`quote_kind = "summary"`, a summary from `quote_source`).'
    )
    for target in manifest.get("targets", []):
        toml_table("[[targets]]", target, lines)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
