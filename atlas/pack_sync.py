"""The user data folder as a copy of the database's packs (`ATLAS_PACK_STORE=database`).

Every app process, on any machine, keeps the packs it reads in its own user data folder, as
files, because everything that reads a pack reads files (loader, tiler, zip download). The
database is the record (`atlas.pack_db`); this module keeps the folder in step with it:

- `sync` runs on every rerun (one small query): a pack whose fingerprint in the database
  differs from the one its folder was copied at is copied again (staged, then renamed in, as
  an import is). Content fingerprints, not timers: a change made through one process is seen
  by every other on its next rerun. A copied pack no longer in the database (the app deletes
  none; an administrator's SQL or a database swapped for another did) is kept, as this
  machine's own: it may be the last copy there is.
- `publish` runs after an import wrote the folder: the folder's files become the pack's next
  revision, with the import's trail rows, in one transaction. If another process published
  the same pack meanwhile, nothing is written and the folder is put back as the database has
  it (`restore`): no import silently undoes another.

Which fingerprint each folder was copied at is kept beside the packs in `.database/<pack id>`
(outside the pack, so it never changes the pack's own fingerprint). A folder without one was
made on this machine and never published (a pack from before the switch, or one copied in by
hand): it is left alone, listed by `local_only`, and `python -m atlas publish-packs` sends it.
When the database cannot be reached, the copies already here keep working (offline first).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from atlas import pack_db, pack_postgis
from atlas.ingest.errors import IngestError
from atlas.loader import load_pack
from atlas.manifest import MANIFEST_NAME
from atlas.packs import hold_work_dir, pack_files
from atlas.store.clock import _utcnow
from atlas.store.engine import write_transaction

MARKS = ".database"
STALE = "stale"  # a mark no fingerprint equals: the next sync copies the pack again

# Inside the publishing transaction, after the files: the trail's rows (see `publish`).
Recorder = Callable[..., None]


def folder_files(folder: Path) -> dict[str, bytes]:
    """Every file of a pack folder (symlinks never followed), by relative path."""
    return {rel: file.read_bytes() for rel, file in pack_files(folder, links=False)}


@dataclass
class SyncResult:
    """What a sync did: packs copied again, copies whose pack left the database (kept as this
    machine's own), database packs not copied because a folder of this machine's own has
    their id."""

    copied: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    rows: dict[str, pack_db.PackRow] = field(default_factory=dict)


class SharedPacks:
    """The database's packs and this machine's copy of them in `root`."""

    def __init__(self, engine: Engine, root: Path, clock: Callable[[], datetime] | None = None):
        self.engine = engine
        self.root = Path(root).expanduser()
        self.clock = clock or _utcnow

    # --- the marks --------------------------------------------------------------------------

    def _mark(self, pack_id: str) -> Path:
        return self.root / MARKS / pack_id

    def copied_at(self, pack_id: str) -> str | None:
        """The fingerprint this machine's folder was copied (or published) at, if it was."""
        try:
            return self._mark(pack_id).read_text(encoding="ascii").strip() or None
        except OSError:
            return None

    def _set_mark(self, pack_id: str, fingerprint: str | None) -> None:
        mark = self._mark(pack_id)
        if fingerprint is None:
            mark.unlink(missing_ok=True)
            return
        mark.parent.mkdir(parents=True, exist_ok=True)
        tmp = mark.with_name(f".{pack_id}.tmp")
        tmp.write_text(fingerprint, encoding="ascii")
        tmp.replace(mark)

    def _marked(self) -> list[str]:
        folder = self.root / MARKS
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if p.is_file() and p.name[0] != ".")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One copier at a time among the processes sharing this folder."""
        folder = self.root / MARKS
        folder.mkdir(parents=True, exist_ok=True)
        with hold_work_dir(folder):
            yield

    # --- reading -----------------------------------------------------------------------------

    def local_only(self) -> list[str]:
        """User packs in the folder that were never published (no mark)."""
        if not self.root.is_dir():
            return []
        marked = set(self._marked())
        return sorted(
            m.parent.name for m in self.root.glob(f"*/{MANIFEST_NAME}")
            if m.parent.name not in marked
        )  # fmt: skip

    def _stale(self, rows: dict[str, pack_db.PackRow]) -> tuple[list[str], list[str]]:
        stale = [
            r.pack_id for r in rows.values()
            if self.copied_at(r.pack_id) != r.fingerprint
            or not (self.root / r.pack_id / MANIFEST_NAME).is_file()
        ]  # fmt: skip
        return stale, [p for p in self._marked() if p not in rows]

    def sync(self) -> SyncResult:
        """Bring the folder in step with the database (see the module docstring)."""
        result = SyncResult(rows=pack_db.listing(self.engine))
        stale, gone = self._stale(result.rows)
        if not stale and not gone:
            return result
        with self._locked():
            stale, gone = self._stale(result.rows)  # another process may have copied them
            for pack_id in stale:
                folder = self.root / pack_id
                if folder.exists() and self.copied_at(pack_id) is None:
                    result.blocked.append(pack_id)  # this machine's own, never overwritten
                elif self._copy(pack_id):
                    result.copied.append(pack_id)
            for pack_id in gone:
                self._set_mark(pack_id, None)  # kept, now this machine's own
                result.orphaned.append(pack_id)
        return result

    def _copy(self, pack_id: str) -> bool:
        """Copy the pack out of the database into the folder (staged, renamed in)."""
        from atlas.ingest.save import staging, swap_in  # the import's staging, shared

        found = pack_db.read_files(self.engine, pack_id)
        if found is None:
            return False
        row, files = found
        with staging(self.root) as work:
            staged = work / pack_id
            for path, data in files.items():
                target = (staged / path).resolve()
                if not target.is_relative_to(staged.resolve()):
                    raise IngestError(f"Đường dẫn lạ trong gói: {path}", f"Odd path: {path}")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            swap_in(staged, self.root / pack_id, work)
        self._set_mark(pack_id, row.fingerprint)
        return True

    # --- writing -----------------------------------------------------------------------------

    def revision(self, pack_id: str) -> int | None:
        """The pack's revision once the folder is in step (None: not in the database)."""
        row = self.sync().rows.get(pack_id)
        return None if row is None else row.revision

    def publish(
        self,
        pack_id: str,
        base_revision: int | None,
        who: str,
        record: Recorder | None = None,
    ) -> pack_db.PackRow:
        """The folder's pack as the next revision after `base_revision`, with `record(conn,
        now)` writing the trail in the same transaction. On any failure nothing is written
        and the folder is put back as the database has it (`restore`)."""
        folder = self.root / pack_id
        try:
            files = folder_files(folder)
            with self.engine.connect() as conn:  # read before the write lock is taken
                rows = pack_postgis.available(conn)
            loaded = load_pack(folder).pack if rows else None  # frames for the PostGIS rows
            with write_transaction(self.engine) as conn:
                now = self.clock()
                row = pack_db.publish(conn, pack_id, files, base_revision, who, now)
                if loaded is not None:
                    pack_postgis.write_rows(conn, loaded)
                if record is not None:
                    record(conn, now)
        except Exception:
            try:
                self.restore(pack_id)
            except Exception:  # the database is out of reach: copy it again when it is back
                self._set_mark(pack_id, STALE)
            raise
        self._set_mark(pack_id, row.fingerprint)
        return row

    def restore(self, pack_id: str) -> None:
        """The folder as the database has the pack: copied again, or removed if it has none."""
        with self._locked():
            if not self._copy(pack_id):
                shutil.rmtree(self.root / pack_id, ignore_errors=True)
                self._set_mark(pack_id, None)


def sync_configured() -> SyncResult | None:
    """For the terminal: with `ATLAS_PACK_STORE=database`, the user data folder brought in
    step with the app's database before packs are listed or opened."""
    from atlas.packs import user_data_dir
    from atlas.settings import settings
    from atlas.store import open_store

    if not settings().packs_in_database:
        return None
    return SharedPacks(open_store().engine, user_data_dir()).sync()
