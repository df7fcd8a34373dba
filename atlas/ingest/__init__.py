"""Import engine: user files (GeoJSON, zipped Shapefile, GeoPackage, KML/KMZ, MapInfo TAB and
MIF/MID, DXF, DGN v7, zipped File Geodatabase, FlatGeobuf, CSV/XLSX) into user packs. Domain
code only: no Streamlit here; the Data page and `python -m atlas import` are thin callers.

The flow is inspect → map → join → save, and nothing touches disk before `save_import`:

    insp = inspect_upload("xa.zip", data)              # format, CRS, preview, problems
    if insp.needs_crs:                                 # metres without a .prj
        insp = inspect_upload("xa.zip", data, crs=insp.proposals[0].crs)
    mapping = suggest_mapping(insp.columns, insp.data)
    joined = join_communes(insp.data, commune_reference(pack=...), mapping)
    result = save_import(insp, ImportPlan("xa_moi", mapping), join=joined)

Every layer of a file at once, into one new pack, all or nothing:
`import_layers("plan.gpkg", data, "xa_moi")` (atlas/ingest/batch.py).

Bad files never raise anything but `IngestError` (bilingual), and most problems are not even
that: they are errors in `Inspection.report`.
"""

from __future__ import annotations

from atlas.ingest.batch import import_layers
from atlas.ingest.errors import IngestError
from atlas.ingest.inspect import inspect_upload
from atlas.ingest.mapping import commune_reference, join_communes, suggest_mapping
from atlas.ingest.model import (
    CRS_CONFIRMED,
    CRS_FROM_FILE,
    CRS_LONLAT,
    CRS_NEEDED,
    FORMATS,
    MATCH_STATUSES,
    ColumnMapping,
    CrsSource,
    Format,
    ImportPlan,
    Inspection,
    JoinResult,
    Location,
    MatchStatus,
    RepairSummary,
    SaveResult,
    ZoneProposal,
)
from atlas.ingest.safety import ACCEPTED_EXTENSIONS, max_upload_bytes, slugify
from atlas.ingest.save import is_user_pack, pack_zip, save_import, user_packs
from atlas.ingest.vn2000 import PROVINCES, Province, propose_zones, province_zone

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "CRS_CONFIRMED",
    "CRS_FROM_FILE",
    "CRS_LONLAT",
    "CRS_NEEDED",
    "FORMATS",
    "MATCH_STATUSES",
    "PROVINCES",
    "ColumnMapping",
    "CrsSource",
    "Format",
    "ImportPlan",
    "IngestError",
    "Inspection",
    "JoinResult",
    "Location",
    "MatchStatus",
    "Province",
    "RepairSummary",
    "SaveResult",
    "ZoneProposal",
    "commune_reference",
    "import_layers",
    "inspect_upload",
    "is_user_pack",
    "join_communes",
    "max_upload_bytes",
    "pack_zip",
    "propose_zones",
    "province_zone",
    "save_import",
    "slugify",
    "suggest_mapping",
    "user_packs",
]
