"""Typed specs of a data pack, built from its manifest (`pack.toml`).

The manifest is data; these frozen dataclasses are what the rest of the app reads, so the
renderers interpret *kinds* of layers and never a particular layer. See geodata/README.md for
the meaning of every field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

LayerKind = Literal["boundary", "line", "polygon", "point", "choropleth"]
LAYER_KINDS: tuple[str, ...] = ("boundary", "line", "polygon", "point", "choropleth")
STYLE_TYPES: tuple[str, ...] = ("fixed", "categorical", "graduated")
SCHEMES: tuple[str, ...] = ("quantiles", "natural_breaks", "equal_interval", "thresholds")
FIELD_TYPES: tuple[str, ...] = ("str", "int", "float", "bool", "code")
AGGREGATES: tuple[str, ...] = ("ratio", "share_true", "mean", "sum")
# How a target's `quote` stands to its document: its own words, or a summary from a named source
# (used when the document's text could not be found, e.g. a national decision known from the press).
QUOTE_KINDS: tuple[str, ...] = ("verbatim", "summary")
LANGS: tuple[str, ...] = ("vi", "en")


@dataclass(frozen=True)
class Text:
    """A user-facing text in both languages; Vietnamese first."""

    vi: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi

    @classmethod
    def of(cls, raw: dict[str, str] | None) -> Text:
        raw = raw or {}
        return cls(vi=raw.get("vi", ""), en=raw.get("en", ""))


@dataclass(frozen=True)
class Honesty:
    """How trustworthy the geometry and the figures are, and where they come from."""

    geometry: str = "schematic"
    figures: str = "illustrative"
    source: Text = Text("", "")
    note: Text = Text("", "")

    @property
    def is_schematic(self) -> bool:
        return self.geometry == "schematic"

    @property
    def is_illustrative(self) -> bool:
        return self.figures == "illustrative"


@dataclass(frozen=True)
class FieldSpec:
    """An attribute or table column: how to label it, its unit, its type, value labels."""

    name: str
    label: Text
    unit: str = ""
    type: str = "str"
    values: dict[str, Text] = field(default_factory=dict)
    carry: str | None = None  # 2025 reorganisation: "sum", "none" or a weight column

    @property
    def is_year(self) -> bool:
        """A whole-number field that holds years ("year", "target_year", "nam_dat"): written
        as it is (2030), never grouped as a quantity (2.030)."""
        name = self.name.lower()
        return self.type == "int" and ("year" in name or name == "nam" or name.startswith("nam_"))

    def display_value(self, value: object, lang: str) -> str:
        """The value as a user reads it: translated code, unit appended. Plain text, unescaped."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "—"
        if isinstance(value, bool) and self.type == "bool":
            text = {"vi": ("Có", "Không"), "en": ("Yes", "No")}[lang if lang == "en" else "vi"]
            return text[0] if value else text[1]
        key = str(value)
        if key in self.values:
            return self.values[key].get(lang)
        if isinstance(value, float):
            key = f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
        return f"{key} {self.unit}".strip() if self.unit else key


@dataclass(frozen=True)
class Category:
    value: str
    color: str
    label: Text
    dash: str | None = None


@dataclass(frozen=True)
class StyleSpec:
    """Style as data: fixed, categorical by a field, or graduated by a field with a scheme."""

    type: str = "fixed"
    color: str = "#3388ff"
    fill_color: str | None = None
    weight: float = 2.0
    opacity: float = 1.0
    fill_opacity: float = 0.4
    dash: str | None = None
    radius: float = 6.0
    field: str | None = None
    categories: tuple[Category, ...] = ()
    default_color: str = "#999999"
    scheme: str = "quantiles"
    k: int = 5
    bins: tuple[float, ...] = ()
    palette: str = "YlGn"


@dataclass(frozen=True)
class LayerSpec:
    id: str
    kind: str
    file: str
    group: str
    title: Text
    style: StyleSpec
    visible: bool = True
    name_field: str = "name"
    # Map labels (`atlas.labels`, `layers.labels`): None is the kind's default (the communes,
    # route numbers, towns and zones; no points); `label_field` names the text, as it is.
    labels: bool | None = None
    label_field: str | None = None
    code_field: str | None = None
    code_width: int | None = None
    table: str | None = None
    tooltip: tuple[str, ...] = ()
    popup: tuple[str, ...] = ()
    fields: tuple[FieldSpec, ...] = ()
    honesty: Honesty | None = None
    crs: str | None = None
    # Extra fields whose names (comma-separated) also find the feature; set by derived packs
    # (`atlas.after2025`: a commune's name before / after the 2025 reorganisation), not TOML.
    search_fields: tuple[str, ...] = ()

    def field_spec(self, name: str) -> FieldSpec:
        """The declared spec of a field, or a plain one labelled by its name."""
        for f in self.fields:
            if f.name == name:
                return f
        return FieldSpec(name=name, label=Text(name, name))


@dataclass(frozen=True)
class TableSpec:
    id: str
    file: str
    title: Text
    key: str
    join_layer: str
    columns: tuple[FieldSpec, ...]
    key_width: int | None = None
    year_column: str | None = None
    honesty: Honesty | None = None

    def column(self, name: str) -> FieldSpec | None:
        return next((c for c in self.columns if c.name == name), None)


@dataclass(frozen=True)
class TargetSpec:
    """A plan target. `note` is the pack's own word on how to read it today (e.g. that an
    urban class was set under criteria since replaced); None when the pack says nothing."""

    id: str
    label: Text
    value: float
    unit: str
    year: int
    table: str
    column: str
    aggregate: str
    quote: str
    denominator: str | None = None
    weight: str | None = None
    note: Text | None = None
    quote_kind: str = "verbatim"
    quote_source: Text | None = None

    @property
    def is_summary(self) -> bool:
        """True when `quote` summarises the document rather than quoting it."""
        return self.quote_kind == "summary"


@dataclass(frozen=True)
class Group:
    id: str
    title: Text


@dataclass(frozen=True)
class PackMeta:
    name: Text
    province: Text
    province_code: str
    district_code: str
    admin_structure: str
    plan_title: Text
    period_start: int
    period_end: int
    plan_source: Text
    default_center: tuple[float, float]
    default_zoom: int
    vision_year: int | None = None
    default_language: str = "vi"
    agency: Text | None = None  # who made the plan, for the print sheet's title block

    @property
    def period(self) -> str:
        """ "2021–2025", or one year when the pack covers one (an imported pack: "2026")."""
        if self.period_start == self.period_end:
            return str(self.period_start)
        return f"{self.period_start}–{self.period_end}"

    @property
    def scope(self) -> str:
        """What the pack's figures add up to, the word a page puts before a total: "district"
        (a district code), "province" (a province code, no district) or "area" (province code
        00: the nation's pack, or an import whose place is unknown — "Cả nước" would be a
        wrong claim for the second, so both read "the whole area")."""
        if self.district_code != "000":
            return "district"
        return "province" if self.province_code != "00" else "area"


@dataclass(frozen=True)
class Manifest:
    """Everything `pack.toml` declares, validated and typed; no data read yet."""

    format_version: int
    meta: PackMeta
    honesty: Honesty
    groups: tuple[Group, ...]
    layers: tuple[LayerSpec, ...]
    tables: tuple[TableSpec, ...]
    targets: tuple[TargetSpec, ...]

    def layer(self, layer_id: str) -> LayerSpec:
        return next(la for la in self.layers if la.id == layer_id)

    def table(self, table_id: str) -> TableSpec:
        return next(t for t in self.tables if t.id == table_id)

    def group(self, group_id: str) -> Group:
        return next(g for g in self.groups if g.id == group_id)


@dataclass
class Pack:
    """A loaded pack: manifest plus frames in EPSG:4326 with text normalised and codes as str."""

    id: str
    path: Path
    manifest: Manifest
    frames: dict  # layer id -> geopandas.GeoDataFrame
    table_frames: dict  # table id -> pandas.DataFrame

    @property
    def meta(self) -> PackMeta:
        return self.manifest.meta

    @property
    def honesty(self) -> Honesty:
        return self.manifest.honesty

    @property
    def groups(self) -> tuple[Group, ...]:
        return self.manifest.groups

    @property
    def layers(self) -> tuple[LayerSpec, ...]:
        return self.manifest.layers

    @property
    def tables(self) -> tuple[TableSpec, ...]:
        return self.manifest.tables

    @property
    def targets(self) -> tuple[TargetSpec, ...]:
        return self.manifest.targets

    def layer_honesty(self, layer: LayerSpec) -> Honesty:
        return layer.honesty or self.honesty


YEAR_LABEL = Text("Năm", "Year")


def field_spec(layer: LayerSpec, name: str, table: TableSpec | None = None) -> FieldSpec:
    """The spec of a field: the layer's own, else the joined table's column, else plain."""
    if any(f.name == name for f in layer.fields):
        return layer.field_spec(name)
    if table is not None:
        column = table.column(name)
        if column is not None:
            return column
        if name == table.year_column:
            return FieldSpec(name=name, label=YEAR_LABEL, type="int")
    return layer.field_spec(name)
