"""`python -m atlas inspect FILE` and `python -m atlas import FILE --pack ID`: the import engine
from a terminal, for data clerks and scripts. Thin: every decision is in `atlas.ingest`.

Exit codes: 0 done, 1 the file or the import has errors (a misplaced upload is refused
without --confirm-location), 2 the CRS needs confirming (give --crs or --province).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from atlas.ingest.errors import IngestError
from atlas.ingest.inspect import inspect_in_province
from atlas.ingest.mapping import commune_reference, join_communes, suggest_mapping
from atlas.ingest.model import ColumnMapping, ImportPlan, Inspection, JoinResult, Location
from atlas.ingest.places import reference_for
from atlas.ingest.safety import max_upload_bytes
from atlas.pack_writes import import_all_layers, import_file
from atlas.packs import sweep_staging
from atlas.roles import Account, RoleError
from atlas.spec import Text
from atlas.store import StoreError
from cli.signin import add_signin_args, refused, sign_in


def add_ingest_parsers(sub: argparse._SubParsersAction) -> None:
    p_in = sub.add_parser("inspect", help="what an upload holds (format, CRS, problems); no write")
    _common(p_in)
    p_in.set_defaults(func=cmd_inspect)
    p_im = sub.add_parser("import", help="import a file as a user pack, or into one")
    _common(p_im)
    p_im.add_argument("--pack", required=True, help="pack id to create (or add to): [a-z0-9_]+")
    add_signin_args(p_im)
    p_im.add_argument("--into-existing", action="store_true", help="add to the user pack --pack")
    p_im.add_argument(
        "--all-layers", action="store_true", help="import every layer of the file (GeoPackage, "
        "File Geodatabase, DXF, layered GeoJSON) into the new pack --pack, all or nothing; "
        "columns are mapped per layer as guessed (--layer, --code-col … are not used)",
    )  # fmt: skip
    p_im.add_argument("--name", help="pack name (new pack), used for vi and en")
    p_im.add_argument("--layer-id", help="id of the new layer or table (default: from file name)")
    p_im.add_argument("--title", help="layer/table title (default: the file name)")
    p_im.add_argument(
        "--kind", choices=["boundary", "polygon", "line", "point"], help="layer kind (default: "
        "from the geometry; polygons with commune codes become a boundary commune layer)",
    )  # fmt: skip
    p_im.add_argument("--code-col", help="column with the commune code (default: guessed)")
    p_im.add_argument("--name-col", help="column with the commune / feature name")
    p_im.add_argument("--year-col", help="year column of a table")
    p_im.add_argument("--fields", help="comma-separated columns to keep (default: all)")
    p_im.add_argument(
        "--join-pack", help="pack id or folder whose communes the rows join to (default: --pack "
        "with --into-existing); without it, codes are taken as given",
    )  # fmt: skip
    p_im.add_argument("--district", help="join to this district's pre-2025 communes (GSO code)")
    p_im.add_argument(
        "--no-join", action="store_true", help="not commune data (roads, plants, works): no "
        "commune join, no code column (default for a layer where no column looks like one)",
    )  # fmt: skip
    p_im.add_argument("--accept-fuzzy", action="store_true", help="accept fuzzy name matches")
    p_im.add_argument("--drop-unmatched", action="store_true", help="leave unmatched rows out")
    p_im.add_argument(
        "--confirm-location", action="store_true", help="save although the data lies off "
        "Vietnam or away from --province (the inspection warns where it lies)",
    )  # fmt: skip
    p_im.add_argument(
        "--geometry", default="digitised", choices=["surveyed", "digitised", "schematic"]
    )
    p_im.add_argument(
        "--figures", default="estimated", choices=["official", "estimated", "illustrative"]
    )
    p_im.set_defaults(func=cmd_import)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="GeoJSON, zipped Shapefile, GeoPackage, KML/KMZ, CSV, XLSX")
    parser.add_argument("--layer", "--gpkg-layer", dest="layer", help="layer or sheet to read")
    parser.add_argument("--crs", help='source CRS, e.g. "EPSG:9210", a PROJ string, a province')
    parser.add_argument(
        "--province", help="the data's province (name or GSO code): picks the best-landing CRS "
        "for metres without one, and the data must lie in it",
    )  # fmt: skip


def _read(args: argparse.Namespace) -> Inspection | None:
    path = Path(args.file)
    if not path.is_file():
        print(f"Không có tệp / No such file: {path}", file=sys.stderr)
        return None
    if path.stat().st_size > max_upload_bytes():
        print(
            "Tệp quá lớn / File too large (ATLAS_MAX_UPLOAD_MB)", file=sys.stderr
        )  # fmt: skip
        return None
    try:
        insp = inspect_in_province(
            path.name, path.read_bytes(), layer=args.layer, crs=args.crs, province=args.province
        )
    except IngestError as exc:
        print(str(exc), file=sys.stderr)
        return None
    return insp


def format_inspection(insp: Inspection) -> str:
    lines = [f"Tệp / File: {insp.name}", f"  định dạng / format: {insp.format or 'unknown'}"]
    if insp.layers:
        lines.append(f"  lớp / layers: {', '.join(insp.layers)} (đang đọc / reading: {insp.layer})")
    if not insp.is_table and insp.format:
        lines.append(f"  CRS: {insp.crs or '—'} [{insp.crs_source or '—'}]")
    for zone in insp.proposals:
        lands = f" → {zone.lands_in}" if zone.lands_in else ""
        off = "" if zone.inside_vietnam else " (ngoài Việt Nam / outside Vietnam)"
        off += " (ngang nhau / equally likely)" if zone.equally_likely else ""
        lines.append(f"    đề xuất / proposed: --crs {zone.crs!r}  {zone.label.en}{lands}{off}")
    kind = "dòng / rows" if insp.is_table else "đối tượng / features"
    lines.append(f"  {kind}: {insp.feature_count}")
    if insp.geometry_types:
        lines.append(f"  hình học / geometry: {', '.join(insp.geometry_types)}")
    if insp.bounds:
        b = insp.bounds
        lines.append(f"  WGS84 bounds: {b[0]:.6f}, {b[1]:.6f}, {b[2]:.6f}, {b[3]:.6f}")
    if insp.location is not None:
        lines.append(format_location(insp.location))
    if insp.columns:
        lines.append(f"  cột / columns: {', '.join(insp.columns)}")
    from cli.main import format_issue  # cli.main imports this module

    lines += [format_issue(issue) for issue in insp.report.issues]
    return "\n".join(lines)


def format_location(loc: Location) -> str:
    """Where the data lies: "vị trí / location: Trà Vinh (Huyện Càng Long)"."""
    if not loc.inside_vietnam:
        where = "ngoài đất liền Việt Nam / off Vietnam's land"
    else:
        where = loc.province or "?"
        if loc.district:
            where += f" ({loc.district})"
    if loc.named_province and loc.distance_km is not None:
        where += f"; cách / from {loc.named_province}: {loc.distance_km:.0f} km"
    return f"  vị trí / location: {where}"


def cmd_inspect(args: argparse.Namespace) -> int:
    insp = _read(args)
    if insp is None:
        return 1
    print(format_inspection(insp))
    if insp.needs_crs:
        return 2
    return 0 if insp.ok else 1


def _reference(args: argparse.Namespace):
    from cli.main import _load

    source = args.join_pack or (args.pack if args.into_existing else None)
    if source:
        pack = _load(source)
        if pack is None:
            return None, False
        return commune_reference(pack), True
    if args.district:
        return commune_reference(district_code=args.district), True
    return None, True


def _places_reference(insp: Inspection, mapping: ColumnMapping, province: str | None):
    """With no pack named, the GSO communes of the province the data lies in (or --province,
    for a table), on the structure the rows fit; None when the data lies nowhere known."""
    ref = reference_for(insp, mapping, province)
    if ref.empty:
        return None
    structure = ref.attrs.get("structure", "pre2025")
    label = {"pre2025": "trước 2025 / pre-2025", "post2025": "sau 2025 / post-2025"}[structure]
    print(f"  đối chiếu / reference: {len(ref)} xã GSO / GSO communes ({label})")
    return ref


_ROWS_SHOWN = 50  # rows not joined printed in full; the rest counted


def _no_join(args: argparse.Namespace, insp: Inspection, guess: ColumnMapping) -> bool:
    """--no-join, or a layer in which no column looks like commune codes or names (unless a
    code column was named): roads and plants import without a join."""
    if args.no_join:
        return True
    return not insp.is_table and not guess.join and not args.code_col


def format_join(join: JoinResult) -> str:
    """The join's counts, then every row not joined with why (both languages)."""
    counts = join.counts()
    lines = ["  nối xã / join: " + ", ".join(f"{k} {v}" for k, v in counts.items())]
    if join.problem is not None:
        lines.append(f"  LỖI / ERROR: {join.problem[0]} / {join.problem[1]}")
    rows = join.rows[join.rows["status"].isin(["fuzzy", "unmatched", "conflict"])]
    for row in rows.head(_ROWS_SHOWN).itertuples(index=False):
        why = f" — {row.reason_vi} / {row.reason_en}" if getattr(row, "reason_en", "") else ""
        lines.append(
            f"    row {row.row}: {row.input_code!r} {row.input_name!r} → "
            f"{row.status} {row.code or ''} {row.name or ''} ({row.score}){why}"
        )
    if len(rows) > _ROWS_SHOWN:
        lines.append(f"    … +{len(rows) - _ROWS_SHOWN} dòng / rows")
    return "\n".join(lines)


def cmd_import_all(args: argparse.Namespace, by: Account, accounts) -> int:
    """`import --all-layers`: every layer into one new pack (atlas.ingest.batch)."""
    path = Path(args.file)
    if not path.is_file() or path.stat().st_size > max_upload_bytes():
        print(f"Không đọc được tệp / Cannot read the file: {path}", file=sys.stderr)
        return 1
    ref, ok = _reference(args)
    if not ok:
        return 1
    template = ImportPlan(
        pack_id=args.pack, name=Text(args.name, args.name) if args.name else None,
        accept_fuzzy=args.accept_fuzzy, province=args.province,
        drop_unmatched=args.drop_unmatched, geometry=args.geometry, figures=args.figures,
    )  # fmt: skip
    try:
        results = import_all_layers(
            path.name, path.read_bytes(), args.pack, by=by, accounts=accounts, crs=args.crs,
            province=args.province, reference=ref, plan=template,
        )  # fmt: skip
    except IngestError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except (StoreError, RoleError) as exc:
        return refused(exc)
    for result in results:
        print(f"  lớp / layer: {result.layer_id}")
    print(f"Đã lưu / Saved: pack {args.pack} ({len(results)} lớp / layers) → {results[0].path}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    sweep_staging()  # work folders of imports killed mid-save
    try:
        by, accounts = sign_in(args)  # first: a wrong password wastes no reading
        accounts.may_write_pack(by, args.pack, new=not args.into_existing)
    except (StoreError, RoleError) as exc:
        return refused(exc)
    if args.all_layers:
        if args.into_existing:
            print("--all-layers tạo gói mới / creates a new pack: bỏ / drop --into-existing",
                  file=sys.stderr)  # fmt: skip
            return 1
        return cmd_import_all(args, by, accounts)
    insp = _read(args)
    if insp is None:
        return 1
    print(format_inspection(insp))
    if insp.needs_crs:
        print("Cần --crs hoặc --province / Give --crs or --province", file=sys.stderr)
        return 2
    if not insp.ok:
        return 1
    ref, ok = _reference(args)
    if not ok:
        return 1
    guess = suggest_mapping(insp.columns, insp.data, ref)
    fields = (
        tuple(f.strip() for f in args.fields.split(",") if f.strip())
        if args.fields
        else guess.fields
    )
    mapping = ColumnMapping(
        code=args.code_col or guess.code,
        name=args.name_col or guess.name,
        fields=fields,
        year=args.year_col or guess.year,
    )
    missing = [c for c in (args.code_col, args.name_col, args.year_col, *fields) if c]
    missing = [c for c in missing if c not in insp.columns]
    if missing:
        print(f"Không có cột / No column: {', '.join(missing)}", file=sys.stderr)
        return 1
    no_join = _no_join(args, insp, guess)
    print(f"  ghép cột / mapping: code={mapping.code} name={mapping.name} year={mapping.year}")
    join = None
    if no_join:
        print("  không ghép xã / no commune join")
    elif mapping.code or mapping.name:
        if ref is None:
            ref = _places_reference(insp, mapping, args.province)
        if ref is not None:
            join = join_communes(insp.data, ref, mapping)
            print(format_join(join))
    plan = ImportPlan(
        pack_id=args.pack,
        mapping=mapping,
        name=Text(args.name, args.name) if args.name else None,
        layer_id=args.layer_id,
        title=Text(args.title, args.title) if args.title else None,
        kind=args.kind,
        into_existing=args.into_existing,
        accept_fuzzy=args.accept_fuzzy,
        province=args.province,
        drop_unmatched=args.drop_unmatched,
        no_join=no_join,
        confirm_location=args.confirm_location,
        structure=ref.attrs.get("structure") if join is not None else None,
        geometry=args.geometry,
        figures=args.figures,
    )
    try:
        result = import_file(insp, plan, by=by, accounts=accounts, join=join)
    except IngestError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except (StoreError, RoleError) as exc:
        return refused(exc)
    what = f"layer {result.layer_id}" if result.layer_id else f"table {result.table_id}"
    verb = "tạo / created" if result.created else "cập nhật / updated"
    print(f"Đã lưu / Saved: pack {result.pack_id} ({verb}), {what} → {result.path}")
    return 0
