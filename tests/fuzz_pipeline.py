"""One upload through the whole import as `python -m atlas import` runs it, checking the promise:
a saved pack that `load_pack` validates, or a bilingual refusal that wrote nothing.

Used by the fuzz corpus and the regression cases. Every run gets a fresh user-data root holding
a copy of one commune pack ("base", the Càng Long communes), so a table has something to join
to; a vector upload becomes a new pack "fuzz".
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from atlas.ingest import (
    ImportPlan,
    IngestError,
    commune_reference,
    inspect_upload,
    join_communes,
    save_import,
    suggest_mapping,
)
from atlas.loader import load_pack
from atlas.packs import SHIPPED_PACKS
from tests.ingest_fixtures import cang_long, communes_wgs84, vector_bytes

BASE = "base"
NEW = "fuzz"


@dataclass
class Outcome:
    """How a run ended: "saved", "refused" (IngestError) or "report" (errors in the report)."""

    kind: str
    vi: str = ""
    en: str = ""
    pack: Path | None = None


@lru_cache(maxsize=1)
def reference():
    return commune_reference(cang_long())


def make_base(root: Path) -> Path:
    """A user pack of the Càng Long communes, saved by the import itself."""
    insp = inspect_upload("xa.geojson", vector_bytes(communes_wgs84(), ".geojson", "GeoJSON"))
    mapping = suggest_mapping(insp.columns, insp.data, reference())
    join = join_communes(insp.data, reference(), mapping)
    return save_import(insp, ImportPlan(BASE, mapping), join=join, root=root).path


def _bilingual(vi: str, en: str) -> None:
    assert vi.strip() and en.strip(), f"message not bilingual: {vi!r} / {en!r}"


def _listing(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def run(name: str, data: bytes, root: Path, *, plan: dict | None = None) -> Outcome:
    """Inspect → map → join → save `data` into `root` (which holds the base pack)."""
    before = _listing(root)
    try:
        insp = inspect_upload(name, data)
    except IngestError as exc:
        _bilingual(exc.vi, exc.en)
        return Outcome("refused", exc.vi, exc.en)
    if not insp.ok or insp.needs_crs:
        assert insp.needs_crs or insp.report.errors, "not ok but no error"
        for issue in insp.report.errors:
            _bilingual(issue.text("vi"), issue.text("en"))
        first = insp.report.errors[0] if insp.report.errors else None
        return Outcome(
            "report", first.text("vi") if first else "", first.text("en") if first else ""
        )
    mapping = suggest_mapping(insp.columns, insp.data, reference())
    join = (
        join_communes(insp.data, reference(), mapping) if (mapping.code or mapping.name) else None
    )
    options = {"drop_unmatched": True, "accept_fuzzy": True, **(plan or {})}
    pack_id = options.pop("pack_id", BASE if insp.is_table else NEW)
    into = options.pop("into_existing", insp.is_table)
    chosen = ImportPlan(pack_id, mapping, into_existing=into, **options)
    try:
        result = save_import(insp, chosen, join=join, root=root)
    except IngestError as exc:
        _bilingual(exc.vi, exc.en)
        assert _listing(root) == before, "a refused save changed the user data"
        return Outcome("refused", exc.vi, exc.en)
    loaded = load_pack(result.path)
    assert loaded.pack is not None and loaded.report.ok, loaded.report.errors[:3]
    assert not (root / ".staging").exists(), "a save left its work folder"
    return Outcome("saved", pack=result.path)


class Sandbox:
    """A fresh user-data root with the base pack, and a private temp dir that must stay empty
    (the readers' temp folders are removed) for each run."""

    def __init__(self, work: Path, base: Path) -> None:
        self.work, self.base, self.count = work, base, 0
        self.outside = self._outside()

    @staticmethod
    def _outside() -> list[str]:
        """What a run must never change: the session's user data dir and the shipped packs."""
        user = Path(os.environ["ATLAS_USER_DATA"])
        return _listing(user) + [p.name for p in SHIPPED_PACKS.iterdir()]

    def root(self) -> Path:
        self.count += 1
        root = self.work / f"root{self.count}"
        shutil.copytree(self.base, root / BASE)
        return root

    def check_clean(self, root: Path) -> None:
        leftover = list(Path(tempfile.gettempdir()).iterdir())
        assert not leftover, f"temp files left behind: {leftover[:3]}"
        assert not (root / ".staging").exists(), "work folder left in .staging"
        assert self._outside() == self.outside, "a file was written outside the tmp root"
        shutil.rmtree(root, ignore_errors=True)
