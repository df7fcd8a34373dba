"""A database pack's layers and tables as PostGIS rows, written with its files.

`pack_features` holds every feature of every layer (geometry in EPSG:4326, properties as
JSONB) and `pack_table_rows` every row of every table, keyed by pack and layer or table id:
two tables for all packs rather than one per layer, so an import never runs DDL and the rows
go in the same transaction as the files (`atlas.pack_db.publish`). A GIS reads a layer with a
`WHERE pack_id = … AND layer_id = …` (QGIS: a query layer; the README shows one).

The app draws from the files, not from these rows: they are the shared, queryable copy for
GIS work and other tools. On SQLite, or a PostgreSQL without the PostGIS extension, they are
not made and packs are kept as files in the database only.
"""

from __future__ import annotations

import json

import shapely
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from atlas.spec import Pack

FEATURES = "pack_features"
TABLE_ROWS = "pack_table_rows"

_CREATE = (
    f"""CREATE TABLE IF NOT EXISTS {FEATURES} (
        pack_id varchar(64) NOT NULL REFERENCES packs(pack_id) ON DELETE CASCADE,
        layer_id varchar(64) NOT NULL,
        fid integer NOT NULL,
        properties jsonb NOT NULL,
        geom geometry(Geometry, 4326),
        PRIMARY KEY (pack_id, layer_id, fid))""",
    f"CREATE INDEX IF NOT EXISTS {FEATURES}_geom ON {FEATURES} USING gist (geom)",
    f"""CREATE TABLE IF NOT EXISTS {TABLE_ROWS} (
        pack_id varchar(64) NOT NULL REFERENCES packs(pack_id) ON DELETE CASCADE,
        table_id varchar(64) NOT NULL,
        row_no integer NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (pack_id, table_id, row_no))""",
)


def create_tables(conn: Connection) -> bool:
    """Make the two tables when this is PostgreSQL and PostGIS can be enabled; whether it did.
    Tried in a savepoint: a server without PostGIS keeps the rest of the migration."""
    if conn.dialect.name != "postgresql":
        return False
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
    except sa.exc.DBAPIError:
        return False
    for statement in _CREATE:
        conn.exec_driver_sql(statement)
    return True


def available(conn: Connection) -> bool:
    """The PostGIS tables exist in this database."""
    if conn.dialect.name != "postgresql":
        return False
    return conn.execute(sa.text(f"SELECT to_regclass('{FEATURES}') IS NOT NULL")).scalar()


def _records(frame) -> list[dict]:
    """Each row's values as JSON-ready dicts (dates as ISO text, missing values as null)."""
    text = frame.to_json(orient="records", date_format="iso", force_ascii=False)
    return json.loads(text)


def write_rows(conn: Connection, pack: Pack) -> int:
    """Replace the pack's PostGIS rows with its loaded layers and tables; features written."""
    conn.execute(sa.text(f"DELETE FROM {FEATURES} WHERE pack_id = :p"), {"p": pack.id})
    conn.execute(sa.text(f"DELETE FROM {TABLE_ROWS} WHERE pack_id = :p"), {"p": pack.id})
    insert = sa.text(
        f"INSERT INTO {FEATURES} (pack_id, layer_id, fid, properties, geom) VALUES "
        "(:p, :layer, :fid, CAST(:props AS jsonb), ST_GeomFromWKB(:wkb, 4326))"
    )
    written = 0
    for layer_id, frame in pack.frames.items():
        props = _records(frame.drop(columns=frame.geometry.name))
        wkbs = shapely.to_wkb(frame.geometry.values, output_dimension=2)
        rows = [
            {"p": pack.id, "layer": layer_id, "fid": i, "props": json.dumps(p, ensure_ascii=False),
             "wkb": None if wkb is None else bytes(wkb)}
            for i, (p, wkb) in enumerate(zip(props, wkbs, strict=True))
        ]  # fmt: skip
        if rows:
            conn.execute(insert, rows)
        written += len(rows)
    insert_row = sa.text(
        f"INSERT INTO {TABLE_ROWS} (pack_id, table_id, row_no, data) "
        "VALUES (:p, :table, :n, CAST(:data AS jsonb))"
    )
    for table_id, frame in pack.table_frames.items():
        rows = [
            {"p": pack.id, "table": table_id, "n": n, "data": json.dumps(r, ensure_ascii=False)}
            for n, r in enumerate(_records(frame))
        ]
        if rows:
            conn.execute(insert_row, rows)
    return written
