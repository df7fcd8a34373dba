"""nginx in front of the app processes, with sticky sessions and the websocket upgrade.

Streamlit keeps a session's state in the memory of the process that serves its websocket, so
every request of one browser must reach the same process. Open-source nginx has no sticky
cookie directive, and `ip_hash` would send every browser of an office behind one NAT (or of a
bench on loopback) to one process; instead the first response sets a cookie with a random id
(`$request_id`) and `hash … consistent` maps that id to a process: the same browser always
reaches the same process, and different browsers spread over all of them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

COOKIE = "atlas_node"


def config(listen: int, backends: list[int], folder: Path) -> str:
    """The whole nginx.conf: one server on 127.0.0.1:`listen` over the `backends` ports."""
    servers = "\n".join(f"        server 127.0.0.1:{port};" for port in backends)
    return f"""\
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    client_max_body_size 200m;
    map $cookie_{COOKIE} $atlas_node {{
        "" $request_id;
        default $cookie_{COOKIE};
    }}
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        "" close;
    }}
    upstream atlas {{
        hash $atlas_node consistent;
{servers}
    }}
    server {{
        listen 127.0.0.1:{listen};
        location / {{
            proxy_pass http://atlas;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_read_timeout 1d;
            proxy_buffering off;
            add_header Set-Cookie "{COOKIE}=$atlas_node; Path=/; HttpOnly; SameSite=Lax" always;
            add_header X-Atlas-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if not found:
        raise RuntimeError(
            "Chưa cài nginx / nginx is not installed: apt-get install -y nginx-light"
        )
    return found


def start(listen: int, backends: list[int], folder: Path) -> subprocess.Popen:
    """nginx in the foreground (its own process group), its files all in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / sub).mkdir(exist_ok=True)
        (folder / sub).chmod(0o777)  # the worker runs as nobody when we are root
    conf = folder / "nginx.conf"
    conf.write_text(config(listen, backends, folder), encoding="utf-8")
    return subprocess.Popen(
        [nginx_binary(), "-p", str(folder), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=(folder / "nginx.out").open("w"),
        start_new_session=True,
    )
