"""`make cluster N=4`: N Streamlit processes of the app on one PostgreSQL, behind nginx with
sticky sessions, all on this machine. Ctrl-C stops everything it started.

    python -m deploy.cluster --processes 4 --port 8500

The database is `ATLAS_DB_URL` when it is set; otherwise a PostgreSQL cluster of the app's own
in `<data folder>/postgres` (`/var/lib/atlas-ha-tang/postgres` when run as root; made the
first time, kept between runs), database `atlas`, with PostGIS. Every process shares it, and
keeps user packs in the database (`ATLAS_PACK_STORE=database`) with a copy in a folder of its
own (`<data folder>/cluster/node-N/packs`), as processes on separate machines would: a
scenario, view, account or imported pack saved through one process is seen by the others on
their next rerun. They read scenarios, views and accounts from the database on every run and
bring their pack copies in step by content fingerprint (`atlas.pack_sync`), never by a timer.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from atlas.settings import DATA_HOME, settings
from deploy import nginx, postgres

REPO = Path(__file__).resolve().parent.parent
last_pids: list[int] = []  # the app processes of the cluster `running` started last


def _wait_http(url: str, process: subprocess.Popen, timeout: float = 90.0) -> None:
    """Until `url` answers 200; a process that died is said at once, with its log's end."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"{process.args[0]} đã dừng / stopped (exit {process.returncode}): {url}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} không trả lời sau / did not answer in {timeout:.0f} s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def app_process(port: int, env: dict[str, str], cookie_secret: str, log: Path) -> subprocess.Popen:
    """One Streamlit process of the app on 127.0.0.1:`port`. The processes share one cookie
    secret, so a browser's XSRF cookie from one is valid on another."""
    command = [
        sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"),
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    env = {**env, "STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret}  # not allowed as a flag
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=log.open("w"),
                            stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip


@contextmanager
def running(
    processes: int,
    port: int,
    db_url: str,
    folder: Path,
    extra_env: dict[str, str] | None = None,
    own_folders: bool = False,
) -> Iterator[tuple[str, list[int]]]:
    """Start `processes` app processes and nginx on `port`; yield (nginx URL, app ports).
    `own_folders`: each process keeps its user packs in `folder/node-N/packs`, as separate
    machines would (packs must then be in the database, `ATLAS_PACK_STORE=database`).
    The app processes' ids are in `last_pids` while they run (the load bench reads their
    memory)."""
    env = {**os.environ, "ATLAS_DB_URL": db_url, **(extra_env or {})}
    folder.mkdir(parents=True, exist_ok=True)
    ports = [postgres.free_port() for _ in range(processes)]
    secret = secrets.token_hex(16)
    with ExitStack() as stack:
        apps = []
        for n, app_port in enumerate(ports):
            node = folder / f"node-{n + 1}" / "packs"
            own = {"ATLAS_USER_DATA": str(node)} if own_folders else {}
            log = folder / f"app-{n + 1}.log"
            apps.append(app_process(app_port, {**env, **own}, secret, log))
            stack.callback(_stop, apps[-1])
        last_pids[:] = [app.pid for app in apps]
        for app_port, app in zip(ports, apps, strict=True):
            _wait_http(f"http://127.0.0.1:{app_port}/_stcore/health", app)
        proxy = nginx.start(port, ports, folder / "nginx")
        stack.callback(_stop, proxy)
        _wait_http(f"http://127.0.0.1:{port}/_stcore/health", proxy)
        yield f"http://127.0.0.1:{port}", ports


def _database(stack: ExitStack) -> str:
    """`ATLAS_DB_URL`, else the app's own PostgreSQL under the data folder (started here)."""
    if settings().db_url:
        return settings().db_url
    cluster = postgres.start(postgres.home_folder(DATA_HOME))
    stack.callback(postgres.stop, cluster)
    return postgres.create_database(cluster, "atlas")


def _exit(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make cluster", description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", "-n", type=int, default=4)
    parser.add_argument("--port", type=int, default=8500, help="nginx listens here (127.0.0.1)")
    args = parser.parse_args(argv)
    folder = DATA_HOME / "cluster"
    signal.signal(signal.SIGTERM, _exit)  # a kill while starting still stops what started
    with ExitStack() as stack:
        db_url = _database(stack)
        shared = {"ATLAS_PACK_STORE": "database"}
        url, ports = stack.enter_context(
            running(args.processes, args.port, db_url, folder, shared, own_folders=True)
        )
        where = ", ".join(map(str, ports))
        print(f"Atlas: {url}  ({args.processes} tiến trình / processes: {where}; "
              f"nhật ký / logs: {folder}). Ctrl-C: dừng / stop.", flush=True)  # fmt: skip
        stops = {signal.SIGINT, signal.SIGTERM}
        signal.pthread_sigmask(signal.SIG_BLOCK, stops)  # after the children started
        signal.sigwait(stops)
    return 0


if __name__ == "__main__":
    sys.exit(main())
