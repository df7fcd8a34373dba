"""Atlas Hạ tầng domain package: data packs, validation, CRS and text hygiene.

No Streamlit here: everything is usable from the CLI, the tests and the pages alike.
"""

from atlas.loader import LoadResult, load_pack
from atlas.packs import PackRef, discover_packs, find_pack, pack_fingerprint
from atlas.report import Issue, Report
from atlas.spec import Pack, Text

__all__ = [
    "Issue",
    "LoadResult",
    "Pack",
    "PackRef",
    "Report",
    "Text",
    "discover_packs",
    "find_pack",
    "load_pack",
    "pack_fingerprint",
]
