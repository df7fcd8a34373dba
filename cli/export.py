"""`python -m atlas export <pack> --format … --out FILE`: prepare a workshop's files in one go.

Registered by `cli.main`; kept here so the exporters' options live with them. The files are
made by `layers.exports.export`, which the app's export panel calls too, so both make the same
files.

A view (`--view`, shipped in views.toml or saved in the database at ATLAS_DB / ATLAS_DB_URL)
with a scenario is exported with its target layer; the scenario may be a saved one, read
from the same database. Progress goes to stderr, one line per step.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from atlas.export import FORMATS, PAPERS, ExportError, ExportView
from atlas.spec import Pack
from layers.exports import export


def add_export_parser(sub) -> None:
    p = sub.add_parser(
        "export",
        help="export a view: standalone HTML map, PDF/PNG sheet, or its data",
        description="Export the pack's visible layers (or a saved view) to one file.",
    )
    p.add_argument("pack", help="pack folder or pack id")
    p.add_argument("--view", help="saved view name or id (default: the visible layers)")
    p.add_argument("--format", required=True, help="|".join(FORMATS))
    p.add_argument("--paper", default="A4", help="sheet size for pdf/png: A4 or A3 (landscape)")
    p.add_argument("--lang", default="vi", choices=("vi", "en"), help="language (default vi)")
    p.add_argument("--year", type=int, help="year of year-dependent layers (default latest)")
    p.add_argument(
        "--layers", help="comma-separated layer ids in drawing order (default: visible ones)"
    )
    p.add_argument("--title", default="", help="view title (default: the plan title)")
    p.add_argument(
        "--units",
        choices=("pre2025", "post2025"),
        help="communes before or after the 1 July 2025 reorganisation (default: the view's, "
        "else pre2025)",
    )
    p.add_argument(
        "--scenario",
        help="add a scenario's target layer (scenario id or name, saved ones included)",
    )
    p.add_argument("--target", help="target shown by --scenario (default: the first target)")
    p.add_argument(
        "--out",
        required=True,
        help="output file, written exactly (csv of several layers: one table with a `layer` "
        "column; name it .zip for a zip of one csv per layer)",
    )
    p.set_defaults(func=cmd_export)


def find_view(pack: Pack, name: str, lang: str) -> ExportView | None:
    """The pack's view called `name` (title or id), shipped or saved in the database, or None
    after saying why on stderr."""
    from atlas.views import pack_views

    views = list(pack_views(pack.path, pack.id, lang)) + _saved_views(pack.id)
    for view in views:
        if name in (view.id, view.title):
            return ExportView.from_view(view, lang)
    known = ", ".join(repr(v.title or v.id) for v in views)
    print(
        f"Không có góc nhìn {name!r} / no view {name!r} in pack {pack.id!r}"
        + (f" (have: {known})" if known else ""),
        file=sys.stderr,
    )
    return None


def _saved_views(pack_id: str) -> list:
    """Views saved in the scenario database (after the shipped ones); none if it does not exist
    yet, so an export never creates a database."""
    from atlas.store import open_store, store_exists

    if not store_exists():
        return []
    store = open_store()
    try:
        return list(store.list_views(pack_id))
    finally:
        store.close()


def print_progress(fraction: float, label: str) -> None:
    """One line per step on stderr, so the file's name on stdout stays easy to read."""
    print(f"[{fraction:4.0%}] {label}", file=sys.stderr, flush=True)


def _with_scenario(
    source: Pack, shown: Pack, view: ExportView, args: argparse.Namespace
) -> ExportView | None:
    """The view with its scenario overlay resolved (scenarios from the database included),
    or None after saying why on stderr."""
    from atlas import scenarios as sc
    from cli.main import _stored

    if args.scenario or args.target:
        if not (args.scenario or view.scenario):
            print("--target cần --scenario / --target needs --scenario", file=sys.stderr)
            return None
        view = replace(view, target=args.target or view.target)
    if not (args.scenario or view.scenario):
        return view
    stored = _stored(source)
    if stored is None:
        return None
    reg = sc.registry(source, stored)
    if args.scenario:
        try:
            view = replace(view, scenario=sc.find_scenario(reg, args.scenario).id)
        except sc.ScenarioError as exc:
            print(str(exc), file=sys.stderr)
            return None
    try:
        return view.with_overlay(source, shown, reg)
    except ExportError as exc:
        print(str(exc), file=sys.stderr)
        return None


def cmd_export(args: argparse.Namespace) -> int:
    from cli.main import _load

    fmt, paper = args.format.lower(), args.paper.upper()
    if fmt not in FORMATS:
        print(
            f"Định dạng không hỗ trợ / unknown format {args.format!r}; use one of "
            + ", ".join(FORMATS),
            file=sys.stderr,
        )
        return 1
    if paper not in PAPERS:
        print(f"Khổ giấy / unknown paper {args.paper!r}; use A4 or A3", file=sys.stderr)
        return 1
    source = pack = _load(args.pack)
    if pack is None:
        return 1
    if args.view:
        view = find_view(pack, args.view, args.lang)
        if view is None:
            return 1
    else:
        view = ExportView.default(pack, lang=args.lang, year=args.year)
    if args.units:
        view = replace(view, units=args.units)
    if view.units == "post2025" and pack.meta.admin_structure != "post2025":
        # A view saved on the new communes is exported on them.
        from atlas import after2025

        if not after2025.supports(pack):
            print(
                f"Bảng chuyển đổi 2025 không biết xã nào của gói {pack.id} / the 2025 crosswalk "
                f"knows no commune of pack {pack.id}: use --units pre2025",
                file=sys.stderr,
            )
            return 1
        pack = after2025.for_structure(pack, after2025.AFTER)
    if args.layers:
        layers = tuple(x.strip() for x in args.layers.split(",") if x.strip())
        view = replace(view, layers=layers)
    if args.year is not None:
        view = replace(view, year=args.year)
    if args.title:
        view = replace(view, title=args.title)
    out = Path(args.out)
    if not out.parent.is_dir():
        print(f"Thư mục không tồn tại / no such folder: {out.parent}", file=sys.stderr)
        return 1
    with_scenario = _with_scenario(source, pack, view, args)
    if with_scenario is None:
        return 1
    view = with_scenario
    try:
        view.checked(pack)
    except ExportError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    what = f"{fmt} {paper}" if fmt in ("pdf", "png") else fmt
    n = len(view.layers) + (view.overlay is not None)
    print(f"Đang xuất / exporting {pack.id}: {n} lớp/layers → {what} …", flush=True)
    started = time.monotonic()
    try:
        written = export(pack, view, fmt, out, paper, print_progress)
    except (ExportError, OSError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    size = written.stat().st_size
    print(f"Xong / done: {written} ({size / 1024:.0f} KiB, {time.monotonic() - started:.1f} s)")
    return 0
