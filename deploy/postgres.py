"""A PostgreSQL cluster in a folder of our own, from Debian's binaries: `make cluster` keeps one
under the data folder between runs, the test suite makes a throwaway one (tests/pg.py).

PostgreSQL refuses to run as root; when we are root (CI, containers) `initdb` and `pg_ctl` run
as the `postgres` account Debian's package creates, through `runuser`.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

DEBIAN_BIN = Path("/usr/lib/postgresql")
OWNER = "postgres"
USER = "atlas"


@dataclass(frozen=True)
class Cluster:
    folder: Path
    host: str
    port: int
    user: str = USER

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{dbname}"


def server_bin() -> Path:
    """The newest Debian PostgreSQL's bin folder, else wherever `pg_ctl` is on PATH."""
    versions = sorted(DEBIAN_BIN.glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    if versions:
        return versions[-1].parent
    found = shutil.which("pg_ctl")
    if not found:
        raise RuntimeError(
            "Chưa cài PostgreSQL / PostgreSQL is not installed: apt-get install -y postgresql"
        )
    return Path(found).resolve().parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", OWNER, "--", *command] if os.geteuid() == 0 else command


def _run(*args: str) -> None:
    command = as_owner([str(server_bin() / args[0]), *args[1:]])
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip()[-800:]
        raise RuntimeError(f"{args[0]} lỗi / failed: {said}")


def home_folder(data_home: Path) -> Path:
    """Where `make cluster` keeps its PostgreSQL: in the data folder, or in /var/lib when we
    are root (the `postgres` account cannot reach into /root)."""
    return Path("/var/lib/atlas-ha-tang/postgres") if os.geteuid() == 0 else data_home / "postgres"


def start(folder: Path, port: int | None = None, fast: bool = False) -> Cluster:
    """Start the cluster in `folder` (made with `initdb` the first time) on 127.0.0.1 and a
    unix socket in the folder. `fast` turns durability off: for throwaway test clusters."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o755)
    if os.geteuid() == 0:
        owner = pwd.getpwnam(OWNER)
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    data = folder / "data"
    running = _running_port(data)
    if running is not None:  # left running by a run that was killed: use it
        return Cluster(folder, "127.0.0.1", running)
    port = port or free_port()
    if not (data / "PG_VERSION").exists():
        _run("initdb", "-D", str(data), "-U", USER, "-A", "trust", "-E", "UTF8", "--no-sync")
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c max_connections=300"
    if fast:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    _run("pg_ctl", "-D", str(data), "-l", str(folder / "server.log"), "-w", "-o", options, "start")
    return Cluster(folder, "127.0.0.1", port)


def _running_port(data: Path) -> int | None:
    """The port of a server already running on `data` (its postmaster.pid), else None."""
    pid_file = data / "postmaster.pid"
    if not pid_file.exists():
        return None
    status = subprocess.run(as_owner([str(server_bin() / "pg_ctl"), "-D", str(data), "status"]),
                            capture_output=True, timeout=30)  # fmt: skip
    if status.returncode != 0:
        return None
    lines = pid_file.read_text().splitlines()
    return int(lines[3]) if len(lines) > 3 and lines[3].isdigit() else None


def stop(cluster: Cluster, immediate: bool = False) -> None:
    data = cluster.folder / "data"
    if (data / "postmaster.pid").exists():
        mode = "immediate" if immediate else "fast"
        subprocess.run(as_owner([str(server_bin() / "pg_ctl"), "-D", str(data), "-m", mode,
                                 "stop"]), capture_output=True, timeout=60)  # fmt: skip


def create_database(cluster: Cluster, name: str) -> str:
    """Make database `name` if it is missing; its SQLAlchemy URL."""
    import psycopg

    with psycopg.connect(host=cluster.host, port=cluster.port, user=cluster.user,
                         dbname="postgres", autocommit=True) as conn:  # fmt: skip
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')
    return cluster.url(name)
