"""Plain data passed between the import steps and to the Data page: no I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

import geopandas as gpd
import pandas as pd

from atlas.report import Report
from atlas.spec import Text

Format = Literal[
    "geojson",
    "shapefile",
    "gpkg",
    "kml",
    "kmz",
    "csv",
    "xlsx",
    "mapinfo",  # MapInfo TAB (zipped .tab/.dat/.map/.id) or MIF/MID (zipped, or a MIF alone)
    "dxf",  # AutoCAD DXF (text or binary)
    "dgn",  # MicroStation DGN v7
    "filegdb",  # ArcGIS File Geodatabase: a zipped `.gdb` folder
    "flatgeobuf",
]
FORMATS: tuple[str, ...] = get_args(Format)
TABLE_FORMATS: tuple[str, ...] = ("csv", "xlsx")

# How the source CRS was decided; "" for tables, which have none.
CrsSource = Literal["file", "confirmed by user", "lon/lat assumed", "needs confirmation", ""]
CRS_FROM_FILE = "file"
CRS_CONFIRMED = "confirmed by user"
CRS_LONLAT = "lon/lat assumed"
CRS_NEEDED = "needs confirmation"

# "conflict": the code is the reference's but the names disagree (never joined).
MatchStatus = Literal["code", "name", "fuzzy", "unmatched", "conflict"]
MATCH_STATUSES: tuple[str, ...] = ("code", "name", "fuzzy", "unmatched", "conflict")


@dataclass(frozen=True)
class ZoneProposal:
    """A CRS the coordinates of a file without one may be in, for the user to confirm: a
    VN-2000 TM-3 zone (`province` is a province of that zone), or a 6° system (VN-2000 / WGS 84
    / Indian 1960 UTM, HN-72 Gauss–Krüger; `province` is "").

    `crs` is what to pass back as `inspect_upload(..., crs=...)`: "EPSG:xxxx" when the system
    has an EPSG code, else a PROJ string carrying the pinned datum shift. `system` names the
    family ("VN-2000 TM-3", "VN-2000 UTM", "WGS 84 UTM", "HN-72 GK", "Indian 1960 UTM").
    Proposals are ranked by where the data lands with them: `lands_in` is the province it then
    lies in, `inside_vietnam` whether it lies on Vietnam's land at all, `distance_km` how far
    from the named province (None when none was named); `equally_likely` marks the proposals
    that land as well as the first one (the data cannot tell them apart: ask for the province).
    """

    province: str
    central_meridian: float
    epsg: int | None
    proj: str
    label: Text
    system: str = "VN-2000 TM-3"
    lands_in: str | None = None
    inside_vietnam: bool = True
    distance_km: float | None = None
    equally_likely: bool = False
    agreement: float = 0.0  # share of features that land in the commune their codes/names say

    @property
    def crs(self) -> str:
        return f"EPSG:{self.epsg}" if self.epsg else self.proj

    @property
    def key(self) -> str:
        """Unique among proposals (TM-3 zones of one meridian share a CRS, not a province)."""
        return f"{self.crs}|{self.province}"


@dataclass(frozen=True)
class Location:
    """Where the data lies once in WGS 84, from a sample of feature points and the gazetteer.

    `province`/`district` (pre-2025 short names and GSO codes) are where most points lie; the
    district is None when the data spans several. `named_province` is the province the user
    named or chose, `distance_km` the distance between its extent and the data's (0: they
    overlap) and `overlap` the share of the data's extent inside it; `nearest_km` is the
    typical distance of a feature to the nearest commune's reference point (large when the data
    lies at sea). `warning` is set when the landing is off (outside Vietnam's land, or away
    from the named province): then saving needs `ImportPlan.confirm_location`.
    """

    inside_vietnam: bool
    province: str | None = None
    province_code: str | None = None
    district: str | None = None
    district_code: str | None = None
    named_province: str | None = None
    distance_km: float | None = None
    overlap: float | None = None
    nearest_km: float | None = None
    warning: Text | None = None

    @property
    def problem(self) -> bool:
        return self.warning is not None


@dataclass
class RepairSummary:
    """What was done to the geometry before preview: counts and one line per feature."""

    repaired: int = 0
    dropped_empty: int = 0
    duplicates: int = 0
    details: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.repaired or self.dropped_empty or self.duplicates)


@dataclass
class Inspection:
    """Everything known about an upload before anything is saved.

    `frame` is in EPSG:4326, or None while the CRS needs confirmation (then `proposals` lists
    candidate zones) or when the file could not be read (then `report` has errors). Tables
    (CSV/XLSX) have `table` and no frame.
    """

    name: str
    format: Format | None
    report: Report
    layers: list[str] = field(default_factory=list)
    layer: str | None = None
    frame: gpd.GeoDataFrame | None = None
    table: pd.DataFrame | None = None
    crs: str | None = None
    crs_source: CrsSource = ""
    crs_input: str | None = None
    proposals: list[ZoneProposal] = field(default_factory=list)
    bounds: tuple[float, float, float, float] | None = None
    repairs: RepairSummary = field(default_factory=RepairSummary)
    location: Location | None = None

    @property
    def location_problem(self) -> bool:
        """The data lies off Vietnam or away from the named province: saving needs a
        confirmation (`ImportPlan.confirm_location`)."""
        return self.location is not None and self.location.problem

    @property
    def ok(self) -> bool:
        return self.report.ok and (self.frame is not None or self.table is not None)

    @property
    def is_table(self) -> bool:
        return self.format in TABLE_FORMATS

    @property
    def needs_crs(self) -> bool:
        return self.crs_source == CRS_NEEDED

    @property
    def feature_count(self) -> int:
        if self.frame is not None:
            return len(self.frame)
        return len(self.table) if self.table is not None else 0

    @property
    def columns(self) -> list[str]:
        """Attribute columns (no geometry), in file order."""
        if self.frame is not None:
            return [str(c) for c in self.frame.columns if c != self.frame.geometry.name]
        return [str(c) for c in self.table.columns] if self.table is not None else []

    @property
    def data(self) -> pd.DataFrame | None:
        """The attribute rows, whatever the format: the frame or the table."""
        return self.frame if self.frame is not None else self.table

    @property
    def geometry_types(self) -> list[str]:
        if self.frame is None:
            return []
        return sorted(set(self.frame.geom_type.dropna()))


@dataclass(frozen=True)
class ColumnMapping:
    """Which upload columns hold the commune code and name, which to keep, and the year.

    `join` is the suggestion's verdict on the evidence: False when no column looks like
    commune codes or names of the reference (roads, plants, works): import with no join."""

    code: str | None = None
    name: str | None = None
    fields: tuple[str, ...] = ()
    year: str | None = None
    join: bool = True


@dataclass
class JoinResult:
    """One row per upload row: `row`, `input_code`, `input_name`, `status`, `code`, `name`,
    `score` (1.0 for exact, the similarity for fuzzy, 0 for unmatched), and `reason_vi`,
    `reason_en` (why a row is not joined; may be absent in frames made by hand).

    `problem` is (vi, en) when the whole join must not be used (the file describes the other
    administrative structure's communes): saving it is refused with that message."""

    rows: pd.DataFrame
    problem: tuple[str, str] | None = None

    def counts(self) -> dict[str, int]:
        seen = self.rows["status"].value_counts().to_dict() if len(self.rows) else {}
        return {s: int(seen.get(s, 0)) for s in MATCH_STATUSES}

    def codes(self, accept_fuzzy: bool = False) -> list[str | None]:
        """The joined commune code per row; fuzzy ones only when accepted, else None."""
        out: list[str | None] = []
        for status, code in zip(self.rows["status"], self.rows["code"], strict=True):
            ok = status in ("code", "name") or (status == "fuzzy" and accept_fuzzy)
            out.append(code if ok else None)
        return out

    @property
    def all_matched(self) -> bool:
        if self.problem is not None or not len(self.rows):
            return False
        return bool((self.rows["status"].isin(["code", "name"])).all())


@dataclass(frozen=True)
class ImportPlan:
    """What the user chose: where the upload goes and how it is described.

    `pack_id` is a slug `[a-z0-9_]+`. `into_existing` adds a layer (or table) to that USER pack;
    otherwise a new pack is created (and it must not exist). `kind` None picks one from the
    geometry and the mapping. For tables, `join_layer` None uses the pack's commune layer.
    `no_join`: the layer is not commune data (roads, plants): no code is taken from it.
    """

    pack_id: str
    mapping: ColumnMapping = ColumnMapping()
    name: Text | None = None
    layer_id: str | None = None
    title: Text | None = None
    kind: str | None = None
    into_existing: bool = False
    accept_fuzzy: bool = False
    province: str | None = None  # not used for the label: the pack is where the data lies
    join_layer: str | None = None
    drop_unmatched: bool = False
    no_join: bool = False
    geometry: str = "digitised"  # honesty: surveyed / digitised / schematic
    figures: str = "estimated"  # honesty: official / estimated / illustrative
    confirm_location: bool = False  # save although `Inspection.location` has a warning
    structure: str | None = None  # pre2025/post2025 of the communes joined to (a new pack's)


@dataclass
class SaveResult:
    """A saved import: the pack's id and folder, what was added, and its load report."""

    pack_id: str
    path: Path
    created: bool
    layer_id: str | None
    table_id: str | None
    report: Report
