"""A throwaway PostgreSQL cluster of the suite's own, and a fresh database in it per test.

The cluster lives in a temporary directory, listens on 127.0.0.1 and a unix socket there, and
is stopped and removed when the session ends: nothing of the machine's own PostgreSQL is used
or touched. Databases are made and dropped by pytest-postgresql's `DatabaseJanitor`. The
server itself is started here rather than by pytest-postgresql's process fixture because
PostgreSQL refuses to run as root (CI runs as root): then `initdb` and `pg_ctl` run as the
`postgres` account Debian's package creates, with `runuser`.

`make test` installs Debian's `postgresql` when it is missing; without it the PostgreSQL ids
fail with that advice rather than being skipped (the store must be right on both).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DEBIAN_BIN = Path("/usr/lib/postgresql")
OWNER = "postgres"  # Debian's server account, used when the suite runs as root
USER = "atlas"


@dataclass(frozen=True)
class Cluster:
    host: str
    port: int
    user: str = USER

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{dbname}"


def server_bin() -> Path | None:
    """The newest Debian PostgreSQL's bin folder, else wherever `pg_ctl` is on PATH."""
    versions = sorted(DEBIAN_BIN.glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    if versions:
        return versions[-1].parent
    found = shutil.which("pg_ctl")
    return Path(found).resolve().parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", OWNER, "--", *command] if os.geteuid() == 0 else command


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """Start a cluster in a new temporary folder; stop it and remove the folder after."""
    bin_dir = server_bin()
    if bin_dir is None:
        raise RuntimeError(
            "PostgreSQL is not installed: `apt-get install -y postgresql` (make test does)"
        )
    base = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam(OWNER)
        os.chown(base, owner.pw_uid, owner.pw_gid)
    data, port = base / "data", _free_port()
    run = lambda *args: subprocess.run(_as_owner([str(bin_dir / args[0]), *args[1:]]),  # noqa: E731
                                       check=True, capture_output=True, timeout=120)  # fmt: skip
    try:
        run("initdb", "-D", str(data), "-U", USER, "-A", "trust", "-E", "UTF8", "--no-sync")
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        run("pg_ctl", "-D", str(data), "-l", str(base / "server.log"), "-w", "-o", options, "start")
        yield Cluster("127.0.0.1", port)
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                      "stop"]), capture_output=True, timeout=60)  # fmt: skip
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def fresh_database(cluster: Cluster) -> Iterator[str]:
    """A new empty database in `cluster` (its SQLAlchemy URL), dropped afterwards."""
    from pytest_postgresql.janitor import DatabaseJanitor

    name = f"atlas_{uuid.uuid4().hex[:12]}"
    janitor = DatabaseJanitor(user=cluster.user, host=cluster.host, port=cluster.port, dbname=name)
    janitor.init()
    try:
        yield cluster.url(name)
    finally:
        janitor.drop()
