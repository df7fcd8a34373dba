#!/usr/bin/env python3
"""Install the map's browser assets from npm and copy them to ``static/vendor/``.

Run from anywhere as ``python assets/prepare.py`` (standard library only; needs ``npm``).

1. ``npm ci --no-audit --no-fund --ignore-scripts`` in ``assets/``, pinned by
   ``assets/package-lock.json``. Skipped when ``assets/node_modules`` was installed from
   the same ``package.json`` + ``package-lock.json`` (a hash stamp in ``node_modules``).
2. Copies only the files the map needs (js, css, images, webfonts, licences) into
   ``static/vendor/<package>/...``, keeping each package's relative layout so the
   ``url(...)`` references inside the CSS keep working. Unchanged files are not rewritten;
   files under ``static/vendor`` that are no longer wanted are removed.
   Two files are derived rather than copied verbatim:
   ``bootstrap3-glyphicons/css/glyphicons.css`` (only the Glyphicons rules of Bootstrap 3's
   CSS, which folium's default ``Icon(prefix="glyphicon")`` needs) and
   ``atlas-own/*`` (our own files from ``assets/own/``).
   ``static/vendor/.gitignore`` (``*``) keeps the copies out of git.

``layers/offline.py`` maps folium's CDN links onto these files; keep the two in step
(``tests/test_offline_assets.py`` checks that every URL it uses exists here).

Options: ``--force`` reinstalls even when the stamp matches; ``--check`` changes nothing
and exits 1 if anything is missing or out of date.
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ASSETS = Path(__file__).resolve().parent
ROOT = ASSETS.parent
NODE_MODULES = ASSETS / "node_modules"
STAMP = NODE_MODULES / ".atlas-prepare.stamp"
VENDOR = ROOT / "static" / "vendor"
OWN = ASSETS / "own"

NPM_MISSING = "npm was not found on PATH: install nodejs and npm: apt-get install -y nodejs npm"

# (npm package folder under node_modules, source path in it, destination under static/vendor).
# A source that is a folder is copied with all its files (not recursive into subfolders).
COPIES: list[tuple[str, str, str]] = [
    ("leaflet", "dist/leaflet.js", "leaflet/leaflet.js"),
    ("leaflet", "dist/leaflet.js.map", "leaflet/leaflet.js.map"),
    ("leaflet", "dist/leaflet.css", "leaflet/leaflet.css"),
    ("leaflet", "dist/images", "leaflet/images"),
    ("leaflet", "LICENSE", "leaflet/LICENSE"),
    ("jquery", "dist/jquery.min.js", "jquery/jquery.min.js"),
    ("jquery", "dist/jquery.min.map", "jquery/jquery.min.map"),
    ("jquery", "LICENSE.txt", "jquery/LICENSE.txt"),
    ("bootstrap", "dist/js/bootstrap.bundle.min.js", "bootstrap/js/bootstrap.bundle.min.js"),
    (
        "bootstrap",
        "dist/js/bootstrap.bundle.min.js.map",
        "bootstrap/js/bootstrap.bundle.min.js.map",
    ),
    ("bootstrap", "dist/css/bootstrap.min.css", "bootstrap/css/bootstrap.min.css"),
    ("bootstrap", "dist/css/bootstrap.min.css.map", "bootstrap/css/bootstrap.min.css.map"),
    ("bootstrap", "LICENSE", "bootstrap/LICENSE"),
    ("bootstrap3", "dist/fonts", "bootstrap3-glyphicons/fonts"),
    ("bootstrap3", "LICENSE", "bootstrap3-glyphicons/LICENSE"),
    ("@fortawesome/fontawesome-free", "css/all.min.css", "fontawesome-free/css/all.min.css"),
    ("@fortawesome/fontawesome-free", "webfonts", "fontawesome-free/webfonts"),
    ("@fortawesome/fontawesome-free", "LICENSE.txt", "fontawesome-free/LICENSE.txt"),
    (
        "drmonty-leaflet-awesome-markers",
        "js/leaflet.awesome-markers.js",
        "leaflet-awesome-markers/leaflet.awesome-markers.js",
    ),
    (
        "drmonty-leaflet-awesome-markers",
        "css/leaflet.awesome-markers.css",
        "leaflet-awesome-markers/leaflet.awesome-markers.css",
    ),
    ("drmonty-leaflet-awesome-markers", "css/images", "leaflet-awesome-markers/images"),
    ("leaflet.fullscreen", "Control.FullScreen.js", "leaflet.fullscreen/Control.FullScreen.js"),
    ("leaflet.fullscreen", "Control.FullScreen.css", "leaflet.fullscreen/Control.FullScreen.css"),
    ("leaflet.fullscreen", "icon-fullscreen.svg", "leaflet.fullscreen/icon-fullscreen.svg"),
    ("leaflet.fullscreen", "LICENSE", "leaflet.fullscreen/LICENSE"),
    ("leaflet-measure", "dist/leaflet-measure.min.js", "leaflet-measure/leaflet-measure.min.js"),
    ("leaflet-measure", "dist/leaflet-measure.css", "leaflet-measure/leaflet-measure.css"),
    ("leaflet-measure", "dist/images", "leaflet-measure/images"),
    ("leaflet-measure", "LICENSE", "leaflet-measure/LICENSE"),
    (
        "leaflet-mouse-position",
        "src/L.Control.MousePosition.js",
        "leaflet-mouse-position/L.Control.MousePosition.js",
    ),
    (
        "leaflet-mouse-position",
        "src/L.Control.MousePosition.css",
        "leaflet-mouse-position/L.Control.MousePosition.css",
    ),
    ("leaflet-mouse-position", "MIT-LICENCE.txt", "leaflet-mouse-position/MIT-LICENCE.txt"),
    ("leaflet.sync", "L.Map.Sync.js", "leaflet.sync/L.Map.Sync.js"),
    ("leaflet.sync", "LICENSE", "leaflet.sync/LICENSE"),
    # Vector tiles of large layers (layers/vector_tiles.py): the IIFE build, global protomapsL.
    ("protomaps-leaflet", "dist/protomaps-leaflet.js", "protomaps-leaflet/protomaps-leaflet.js"),
    ("protomaps-leaflet", "LICENSE", "protomaps-leaflet/LICENSE"),
]

# Our own files (assets/own/...) -> destination under static/vendor.
OWN_COPIES: list[tuple[str, str]] = [
    ("awesome-rotate.css", "atlas-own/awesome-rotate.css"),
    ("leaflet-icon-path.js", "atlas-own/leaflet-icon-path.js"),
    ("atlas-tiles.js", "atlas-own/atlas-tiles.js"),
]

GLYPHICONS_SOURCE = ("bootstrap3", "dist/css/bootstrap.css")
GLYPHICONS_DEST = "bootstrap3-glyphicons/css/glyphicons.css"


class PrepareError(Exception):
    """A problem the user has to fix; printed without a traceback."""


def lock_digest() -> str:
    """Hash of what ``npm ci`` installs from: package.json and package-lock.json."""
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        path = ASSETS / name
        if not path.is_file():
            raise PrepareError(f"{path} is missing")
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def node_modules_current(digest: str) -> bool:
    try:
        return STAMP.read_text(encoding="utf-8").strip() == digest
    except OSError:
        return False


def npm_ci(digest: str) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise PrepareError(NPM_MISSING)
    cmd = [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"]
    print(f"prepare: {' '.join(['npm', *cmd[1:]])} (in {ASSETS.relative_to(ROOT)}/)", flush=True)
    result = subprocess.run(cmd, cwd=ASSETS, check=False)
    if result.returncode != 0:
        raise PrepareError(f"npm ci failed with exit code {result.returncode}")
    STAMP.write_text(digest + "\n", encoding="utf-8")


def glyphicons_css(bootstrap_css: str) -> str:
    """Only the Glyphicons parts of Bootstrap 3's CSS: the @font-face and .glyphicon rules.

    Bootstrap 3's top-level rules are flat (``selector { declarations }``); nested blocks
    (``@media``) are skipped whole. The font paths (``../fonts/...``) are kept, which match
    the ``css/`` + ``fonts/`` layout under ``static/vendor/bootstrap3-glyphicons/``.
    """
    text = re.sub(r"/\*.*?\*/", "", bootstrap_css, flags=re.DOTALL)
    kept: list[str] = []
    pos = 0
    while True:
        open_at = text.find("{", pos)
        if open_at < 0:
            break
        prelude = text[pos:open_at].strip()
        depth, i = 0, open_at
        while i < len(text):
            if text[i] == "{":
                depth += 1
            elif text[i] == "}":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        body = text[open_at + 1 : i]
        pos = i + 1
        if "{" in body:
            continue
        selectors = [s.strip() for s in prelude.split(",")]
        is_font = prelude == "@font-face" and "Glyphicons Halflings" in body
        if is_font or all(s.startswith(".glyphicon") for s in selectors):
            declarations = ";\n  ".join(d.strip() for d in body.split(";") if d.strip())
            selector_list = ",\n".join(selectors)
            kept.append(f"{selector_list} {{\n  {declarations};\n}}")
    if not any(rule.startswith("@font-face") for rule in kept) or len(kept) < 100:
        raise PrepareError("could not find the Glyphicons rules in Bootstrap 3's bootstrap.css")
    header = (
        "/* Glyphicons Halflings rules extracted from Bootstrap 3 (MIT, see ../LICENSE)\n"
        "   by assets/prepare.py for folium's default Icon(prefix='glyphicon'). */\n"
    )
    return header + "\n".join(kept) + "\n"


def planned_files() -> tuple[dict[Path, Path], dict[Path, str]]:
    """Files to copy (destination -> source) and files to write (destination -> text)."""
    copies: dict[Path, Path] = {}
    missing: list[str] = []
    for package, source, dest in COPIES:
        src = NODE_MODULES / package / source
        if src.is_dir():
            for child in sorted(src.iterdir()):
                if child.is_file():
                    copies[VENDOR / dest / child.name] = child
        elif src.is_file():
            copies[VENDOR / dest] = src
        else:
            missing.append(str(src.relative_to(ROOT)))
    for source, dest in OWN_COPIES:
        src = OWN / source
        if not src.is_file():
            missing.append(str(src.relative_to(ROOT)))
        copies[VENDOR / dest] = src
    if missing:
        raise PrepareError(
            "expected files are missing (was the lock changed without updating "
            "assets/prepare.py?):\n  " + "\n  ".join(missing)
        )
    bootstrap3_css = NODE_MODULES / GLYPHICONS_SOURCE[0] / GLYPHICONS_SOURCE[1]
    writes = {
        VENDOR / GLYPHICONS_DEST: glyphicons_css(bootstrap3_css.read_text(encoding="utf-8")),
        VENDOR / ".gitignore": "# generated by assets/prepare.py; never committed\n*\n",
    }
    return copies, writes


def sync_vendor(check: bool) -> list[str]:
    """Bring static/vendor in line with the plan; return what changed (or would change)."""
    copies, writes = planned_files()
    changes: list[str] = []
    for dest, src in copies.items():
        if dest.is_file() and filecmp.cmp(src, dest, shallow=True):
            continue
        changes.append(f"copy {dest.relative_to(ROOT)}")
        if not check:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
    for dest, text in writes.items():
        data = text.encode("utf-8")
        if dest.is_file() and dest.read_bytes() == data:
            continue
        changes.append(f"write {dest.relative_to(ROOT)}")
        if not check:
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
    wanted = set(copies) | set(writes)
    if VENDOR.is_dir():
        for dirpath, _dirnames, filenames in os.walk(VENDOR, topdown=False):
            for name in filenames:
                path = Path(dirpath) / name
                if path not in wanted:
                    changes.append(f"remove {path.relative_to(ROOT)}")
                    if not check:
                        path.unlink()
            if not check and Path(dirpath) != VENDOR and not any(Path(dirpath).iterdir()):
                Path(dirpath).rmdir()
    return changes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="run npm ci even if up to date")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    try:
        digest = lock_digest()
        if args.check:
            if not node_modules_current(digest):
                print("prepare: assets/node_modules is missing or out of date", file=sys.stderr)
                return 1
            changes = sync_vendor(check=True)
            for change in changes:
                print(f"prepare: would {change}", file=sys.stderr)
            return 1 if changes else 0
        if args.force or not node_modules_current(digest):
            npm_ci(digest)
        changes = sync_vendor(check=False)
    except PrepareError as exc:
        print(f"prepare: error: {exc}", file=sys.stderr)
        return 1
    count = sum(1 for p in VENDOR.rglob("*") if p.is_file())
    print(
        f"prepare: static/vendor ready ({count} files, {len(changes)} changed)",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
