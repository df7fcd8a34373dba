"""User packs kept in the database (`ATLAS_PACK_STORE=database`): the tables and the two
operations on them, reading a pack's files and publishing a new revision.

Why the files themselves (`pack_files`, bytes and sha256) are the record: a pack is a folder
the loader, the validator, the zip download and the tiler already read, and the content
fingerprint that keys every cache (`atlas.packs.pack_fingerprint`) is over its exact bytes.
Kept byte for byte, a pack copied out of the database onto any machine has the same
fingerprint as where it was imported, so its caches and tile archives are the same too.

On PostGIS the layers and tables are also written as rows (`atlas.pack_postgis`), in the same
transaction: geometry a GIS can query, kept in step with the files by construction.

A publish names the revision it started from; another process that published the same pack
meanwhile makes it fail (`PackChanged`) and write nothing, so two imports into one pack never
lose one another's layers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from atlas import packs
from atlas.ingest.errors import IngestError

metadata = sa.MetaData()

packs_t = sa.Table(
    "packs",
    metadata,
    sa.Column("pack_id", sa.String(64), primary_key=True),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("manifest", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False),
)

pack_files_t = sa.Table(
    "pack_files",
    metadata,
    sa.Column(
        "pack_id",
        sa.String(64),
        sa.ForeignKey("packs.pack_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("path", sa.String(500), primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
)


def m006_packs(conn: Connection) -> None:
    """Migration 6: packs and their files (frozen shape), and the PostGIS rows where it can."""
    frozen = sa.MetaData()
    sa.Table(
        "packs",
        frozen,
        sa.Column("pack_id", sa.String(64), primary_key=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("manifest", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
    )
    sa.Table(
        "pack_files",
        frozen,
        sa.Column(
            "pack_id",
            sa.String(64),
            sa.ForeignKey("packs.pack_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("path", sa.String(500), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    frozen.create_all(conn)
    from atlas.pack_postgis import create_tables  # late: it reads this module's tables

    create_tables(conn)


class PackChanged(IngestError):
    """Someone published the pack since this write began: nothing of this write was kept."""

    def __init__(self, pack_id: str, who: str | None) -> None:
        by = f" ({who})" if who else ""
        super().__init__(
            f"Gói “{pack_id}” vừa được người khác lưu{by} trong lúc bạn nhập: chưa lưu gì của "
            "bạn. Mở lại gói để thấy bản mới rồi nhập lại.",
            f"Pack “{pack_id}” was saved by someone else{by} while you imported: nothing of "
            "yours was saved. Open the pack again to see the new version, then import again.",
        )


@dataclass(frozen=True)
class PackRow:
    pack_id: str
    revision: int
    fingerprint: str


def fingerprint_of(files: Mapping[str, bytes]) -> str:
    """`atlas.packs.pack_fingerprint` of files in memory (relative path → bytes)."""
    return packs.fingerprint_of(sorted(files.items()))


def listing(engine: Engine) -> dict[str, PackRow]:
    """Every pack in the database, by id: one small query (no file read), run on every rerun."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(packs_t.c.pack_id, packs_t.c.revision, packs_t.c.fingerprint))
        return {r.pack_id: PackRow(r.pack_id, r.revision, r.fingerprint) for r in rows}


class PackDamaged(IngestError):
    """A stored file whose bytes no longer match their recorded hash."""


def read_files(engine: Engine, pack_id: str) -> tuple[PackRow, dict[str, bytes]] | None:
    """The pack's row and files as stored (None when there is no such pack), every file's
    bytes checked against its sha256 and the whole against the fingerprint."""
    with engine.connect() as conn, conn.begin():
        row = conn.execute(
            sa.select(packs_t.c.revision, packs_t.c.fingerprint).where(packs_t.c.pack_id == pack_id)
        ).first()
        if row is None:
            return None
        stored = conn.execute(
            sa.select(pack_files_t.c.path, pack_files_t.c.sha256, pack_files_t.c.content).where(
                pack_files_t.c.pack_id == pack_id
            )
        ).all()
    files = {path: bytes(content) for path, _, content in stored}
    bad = [p for p, sha, _ in stored if hashlib.sha256(files[p]).hexdigest() != sha]
    if bad or fingerprint_of(files) != row.fingerprint:
        where = ", ".join(bad[:5]) or "pack_files"
        raise PackDamaged(
            f"Gói “{pack_id}” trong cơ sở dữ liệu bị hỏng ({where} không khớp mã băm): không mở.",
            f"Pack “{pack_id}” in the database is damaged ({where} does not match its hash): "
            "not opened.",
        )
    return PackRow(pack_id, row.revision, row.fingerprint), files


def publish(
    conn: Connection,
    pack_id: str,
    files: Mapping[str, bytes],
    base_revision: int | None,
    who: str,
    at: datetime,
) -> PackRow:
    """Write `files` as the pack's next revision inside the caller's write transaction.

    `base_revision` is the revision the write started from (None: a new pack). The pack's row
    is locked first (`FOR UPDATE`; SQLite's write transaction already holds the database), so
    of two publishes from one base the second sees the first's revision and raises
    `PackChanged` before writing anything."""
    current = conn.execute(
        sa.select(packs_t.c.revision, packs_t.c.updated_by)
        .where(packs_t.c.pack_id == pack_id)
        .with_for_update()
    ).first()
    found = None if current is None else current.revision
    if found != base_revision:
        raise PackChanged(pack_id, None if current is None else current.updated_by)
    row = PackRow(pack_id, (found or 0) + 1, fingerprint_of(files))
    values = {
        "revision": row.revision,
        "fingerprint": row.fingerprint,
        "manifest": files.get("pack.toml", b"").decode("utf-8", "replace"),
        "updated_at": at,
        "updated_by": who[:200],
    }
    if current is None:
        try:  # PostgreSQL: a new pack has no row to lock; the id's key decides who was first
            with conn.begin_nested():
                conn.execute(packs_t.insert().values(pack_id=pack_id, **values))
        except sa.exc.IntegrityError:
            raise PackChanged(pack_id, None) from None
    else:
        conn.execute(packs_t.update().where(packs_t.c.pack_id == pack_id).values(**values))
        conn.execute(pack_files_t.delete().where(pack_files_t.c.pack_id == pack_id))
    conn.execute(
        pack_files_t.insert(),
        [
            {"pack_id": pack_id, "path": path, "sha256": hashlib.sha256(data).hexdigest(),
             "size": len(data), "content": data}
            for path, data in sorted(files.items())
        ],
    )  # fmt: skip
    return row
