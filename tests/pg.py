"""A throwaway PostgreSQL cluster of the suite's own, and a fresh database in it per test.

The cluster lives in a temporary folder, listens on 127.0.0.1 and a unix socket there, runs
without durability (a test database), and is stopped and removed when the session ends: the
machine's own PostgreSQL is never used or touched. It is started by `deploy.postgres` (as the
`postgres` account when the suite runs as root: PostgreSQL refuses root, which is also why
pytest-postgresql's process fixture cannot start it); databases are made and dropped by
pytest-postgresql's `DatabaseJanitor`, each a copy of a template that has PostGIS enabled
already (enabling it costs about 0.4 s a database; copying the template, nothing noticeable).

`make test` installs Debian's `postgresql` and `postgis` when missing; without it the PostgreSQL ids
fail with that advice rather than being skipped (the store must be right on both).
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deploy import postgres
from deploy.postgres import Cluster

TEMPLATE = "atlas_template"


def _make_template(cluster: Cluster) -> None:
    """The template every test database is copied from: empty but for PostGIS."""
    import psycopg

    postgres.create_database(cluster, TEMPLATE)
    with psycopg.connect(
        host=cluster.host, port=cluster.port, user=cluster.user, dbname=TEMPLATE, autocommit=True
    ) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """Start a cluster in a new temporary folder; stop it and remove the folder after."""
    folder = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
    cluster = None
    try:
        cluster = postgres.start(folder, fast=True)
        _make_template(cluster)
        yield cluster
    finally:
        if cluster is not None:
            postgres.stop(cluster, immediate=True)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def fresh_database(cluster: Cluster) -> Iterator[str]:
    """A new empty database in `cluster` (its SQLAlchemy URL), dropped afterwards."""
    from pytest_postgresql.janitor import DatabaseJanitor

    name = f"atlas_{uuid.uuid4().hex[:12]}"
    janitor = DatabaseJanitor(
        user=cluster.user,
        host=cluster.host,
        port=cluster.port,
        dbname=name,
        template_dbname=TEMPLATE,
    )
    janitor.init()
    try:
        yield cluster.url(name)
    finally:
        janitor.drop()
