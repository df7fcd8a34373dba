"""Tables for people: what a planner opens in a spreadsheet or reads on screen.

Headers are the fields' labels in the reader's language (with the unit), yes/no cells read
"Có / Không" ("Yes / No"), coded values their labels ("upgrading" → "Nâng cấp, mở rộng"),
points keep their coordinates as "Kinh độ / Vĩ độ". A Vietnamese CSV is written as a
Vietnamese Excel reads it: `;` between cells and a decimal comma (Windows' Vietnamese regional
setting lists with `;`, since `,` is its decimal mark), UTF-8 with a byte order mark.

The machine tables stay as they are, for other software and for importing back: snake_case
headers, true/false, decimal points (`atlas.export.data`, `atlas.scenario_csv`).
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import pandas as pd

from atlas import joins
from atlas.spec import FieldSpec, Pack, Text, field_spec

YES_NO = {"vi": ("Có", "Không"), "en": ("Yes", "No")}
LON_LAT = (Text("Kinh độ", "Longitude"), Text("Vĩ độ", "Latitude"))


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "vi"


def header(spec: FieldSpec, lang: str) -> str:
    """A column's header: its label, and its unit in brackets."""
    label = spec.label.get(lang) or spec.name
    return f"{label} ({spec.unit})" if spec.unit else label


def readable(frame: pd.DataFrame, specs: Mapping[str, FieldSpec], lang: str) -> pd.DataFrame:
    """`frame` for people (see the module docstring): every column of `specs` present, in
    that order, then the others; numbers stay numbers (a spreadsheet or a table sorts them)."""
    yes, no = YES_NO[_lang(lang)]
    order = [c for c in specs if c in frame.columns]
    order += [c for c in frame.columns if c not in specs and not str(c).startswith("_")]
    out = pd.DataFrame(index=frame.index)
    for name in order:
        spec = specs.get(name) or FieldSpec(name=name, label=Text(name, name))
        values = frame[name]
        if pd.api.types.is_bool_dtype(values) or str(values.dtype) == "boolean":
            values = values.astype(object).map(lambda v: "" if pd.isna(v) else (yes if v else no))
        elif spec.values:
            labels = {code: text.get(lang) for code, text in spec.values.items()}
            values = values.map(lambda v, named=labels: named.get(str(v), v) if pd.notna(v) else v)
        out[header(spec, lang)] = values
    return out.reset_index(drop=True)


def layer_table(pack: Pack, layer_id: str, lang: str, year: int | None = None) -> pd.DataFrame:
    """A layer's attributes for people, one row per feature in the layer's order (a
    choropleth's table joined for `year`); a categorical style's codes read as its legend."""
    layer = pack.manifest.layer(layer_id)
    frame: gpd.GeoDataFrame = joins.layer_frame(
        pack, layer_id, joins.resolve_year(pack, layer_id, year)
    )
    table = pack.manifest.table(layer.table) if layer.table else None
    names = [layer.name_field, *(f.name for f in layer.fields)]
    if table is not None:
        names += [table.year_column or "", *(c.name for c in table.columns)]
    specs = {n: field_spec(layer, n, table) for n in dict.fromkeys(names) if n}
    style = layer.style
    if style.type == "categorical" and style.field in specs:
        base = specs[style.field]
        values = {c.value: c.label for c in style.categories} | dict(base.values)
        specs[style.field] = FieldSpec(base.name, base.label, base.unit, base.type, values)
    attrs = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    geom = frame.geometry
    if len(geom) and bool((geom.geom_type == "Point").all()):
        attrs["__lon"], attrs["__lat"] = geom.x.round(6), geom.y.round(6)
        specs["__lon"] = FieldSpec("__lon", LON_LAT[0], type="float")
        specs["__lat"] = FieldSpec("__lat", LON_LAT[1], type="float")
    return readable(attrs, specs, lang)


def people_csv(frame: pd.DataFrame, lang: str) -> bytes:
    """The table as a CSV that a spreadsheet in the reader's language opens as columns."""
    if _lang(lang) == "vi":
        text = frame.to_csv(index=False, sep=";", decimal=",")
    else:
        text = frame.to_csv(index=False)
    return text.encode("utf-8-sig")
