"""`python -m atlas …`: list and validate packs, list scenarios, check plan targets, inspect or
import user files, and make a base pack for a province, from a terminal, for data clerks and CI."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import sqlalchemy as sa

from atlas.ingest.errors import IngestError
from atlas.loader import LoadResult, load_pack
from atlas.pack_sync import sync_configured
from atlas.packs import discover_packs, find_pack
from atlas.report import LEVEL_NAMES, Issue
from atlas.spec import Pack
from atlas.store import StoreError
from cli.export import add_export_parser
from cli.ingest import add_ingest_parsers
from cli.newpack import add_new_pack_parser
from cli.packstore import add_publish_parser
from cli.printable import PrintableStream
from cli.users import add_users_parser


def _sync_shared_packs() -> None:
    """With packs in the database, this machine's copy is brought in step before any command
    lists, opens or writes one; a database out of reach leaves the copies here as they are."""
    try:
        sync_configured()
    except (StoreError, IngestError, sa.exc.SQLAlchemyError, OSError) as exc:
        detail = getattr(exc, "en", None) or str(exc).splitlines()[0][:200]
        print(f"Chưa lấy được gói từ cơ sở dữ liệu / Cannot fetch packs from the database: "
              f"{detail}", file=sys.stderr)  # fmt: skip


def _cmd_list(args: argparse.Namespace) -> int:
    packs = discover_packs()
    if not packs:
        print("No packs found. / Không tìm thấy gói dữ liệu nào.")
        return 0
    width = max(len(p.id) for p in packs)
    for ref in packs:
        flag = "" if ref.readable else "  (pack.toml unreadable / pack.toml lỗi)"
        print(f"{ref.id:<{width}}  {ref.name.vi} — {ref.name.en}  [{ref.path}]{flag}")
    return 0


def format_issue(issue: Issue, indent: str = "  ", lang: str | None = None) -> str:
    """One problem for a terminal: level, file and field, then the row or feature and the
    message in Vietnamese and in English (or only in `lang`), one language per line."""
    langs = (lang,) if lang else ("vi", "en")
    level = " / ".join(LEVEL_NAMES[issue.level].get(code) for code in langs)
    neutral = issue.where is None or issue.where.vi == issue.where.en
    head_parts = [issue.file, issue.where_text() if neutral else None, issue.field]
    head = f"{indent}[{level}] " + " › ".join(p for p in head_parts if p)
    lines = [head.rstrip()]
    for code in langs:
        where = "" if neutral else f"{issue.where_text(code)}: "
        tag = "" if lang else f"{code}: "
        lines.append(f"{indent}    {tag}{where}{issue.text(code)}")
    return "\n".join(lines)


def format_report(result: LoadResult, pack_dir: Path, lang: str | None = None) -> str:
    """The validation report as text: summary, layers with counts, then every issue.

    Headings are Vietnamese / English like the other commands; each issue is printed in both
    languages unless `lang` picks one.
    """
    report = result.report
    lines = [f"Gói / Pack: {pack_dir}"]
    pack = result.pack
    if pack is not None:
        meta = pack.meta
        lines.append(
            f"  {meta.name.vi} ({meta.name.en}), {meta.province.vi}; GSO "
            f"{meta.district_code}; {meta.period}"
        )
        lines.append(
            f"  hình học / geometry: {pack.honesty.geometry}; "
            f"số liệu / figures: {pack.honesty.figures}"
        )
        lines.append("  Lớp / Layers (số đối tượng / features):")
        for layer in pack.layers:
            n = len(pack.frames[layer.id])
            lines.append(f"    {layer.id:<22} {layer.kind:<11} {n:>5}  {layer.title.vi}")
        if pack.tables:
            lines.append("  Bảng / Tables (số dòng / rows):")
            for table in pack.tables:
                n = len(pack.table_frames[table.id])
                lines.append(f"    {table.id:<22} {n:>17}  {table.title.vi}")
        if pack.targets:
            lines.append(f"  Chỉ tiêu / Targets: {len(pack.targets)}")
    if report.issues:
        lines.append("  Vấn đề / Problems:")
        lines += [format_issue(issue, "    ", lang) for issue in report.issues]
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = "ĐẠT / OK" if report.ok else "KHÔNG ĐẠT / FAILED"
    lines.append(
        f"{verdict}: {errors} lỗi, {warnings} cảnh báo / {errors} error(s), {warnings} warning(s)"
    )
    return "\n".join(lines)


def _cmd_validate(args: argparse.Namespace) -> int:
    target = Path(args.pack)
    if not target.exists():
        ref = find_pack(args.pack)
        if ref is None:
            print(
                f"No pack folder or pack id {args.pack!r} / Không có gói {args.pack!r}",
                file=sys.stderr,
            )
            return 1
        target = ref.path
    result = load_pack(target)
    print(format_report(result, target, args.lang))
    return 0 if result.report.ok else 1


def _load(arg: str) -> Pack | None:
    """The pack in folder `arg`, or with id `arg`; problems go to stderr."""
    target = Path(arg)
    if not target.exists():
        ref = find_pack(arg)
        if ref is None:
            print(f"No pack folder or pack id {arg!r} / Không có gói {arg!r}", file=sys.stderr)
            return None
        target = ref.path
    result = load_pack(target)
    if result.pack is None:
        print(format_report(result, target), file=sys.stderr)
    return result.pack


def _stored(pack: Pack) -> list | None:
    """Saved scenarios of the pack: none (and no database file created) if there is no store
    yet, None (after saying why on stderr) if the database cannot be read."""
    import sqlalchemy

    from atlas import store

    if not store.store_exists():
        return []
    try:
        db = store.open_store()
        try:
            return db.list_scenarios(pack.id)
        finally:
            db.close()
    except (store.StoreError, sqlalchemy.exc.SQLAlchemyError) as exc:
        print(
            f"Không đọc được cơ sở dữ liệu kịch bản / Cannot read the scenario database: {exc}",
            file=sys.stderr,
        )
        return None


def _cmd_scenarios(args: argparse.Namespace) -> int:
    from atlas import scenarios as sc

    pack = _load(args.pack)
    if pack is None:
        return 1
    stored = _stored(pack)
    if stored is None:
        return 1
    from atlas.store import shown_time  # Vietnam time, as the app shows it

    reg = sc.registry(pack, stored)
    print(f"Kịch bản / Scenarios — {pack.meta.name.vi} ({pack.id})")
    width = max(len(s.id) for s in reg.values())
    name_width = max(len(s.name) for s in reg.values())
    for s in reg.values():
        base = reg[s.base].name if s.base in reg else s.base
        if s.builtin:
            kind = "có sẵn / built-in"
        else:
            when = shown_time(s.updated_at) if s.updated_at else ""
            kind = f"v{s.version}, {len(s.edits)} ô sửa / edits, {when}"
        year = s.year if s.year is not None else "—"
        print(
            f"  {s.id:<{width}}  {s.name:<{name_width}}  | năm/year {year} | gốc/base {base} "
            f"| {kind}"
        )
    return 0


def _fmt_number(value: float | None, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "—"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return f"{text} {unit}".strip()


LISTED = 20  # communes a terminal line names before it counts the rest (a nation has 10,035)


def _listed(items) -> str:
    """The first LISTED items, then how many more and where to find them all."""
    items = list(items)
    text = ", ".join(items[:LISTED])
    rest = len(items) - LISTED
    if rest > 0:
        text += f" … và {rest} xã khác / and {rest} more (--csv: tất cả / all)"
    return text


def _cmd_targets(args: argparse.Namespace) -> int:
    from atlas import kpi
    from atlas import scenarios as sc

    pack = _load(args.pack)
    if pack is None:
        return 1
    if args.scenario:
        stored = _stored(pack)
        if stored is None:
            return 1
        reg = sc.registry(pack, stored)
        try:
            scenario = sc.find_scenario(reg, args.scenario)
            frame = sc.materialise(pack, scenario, reg)
        except sc.ScenarioError as exc:
            print(str(exc), file=sys.stderr)
            return 1
        if args.year is not None and args.year != scenario.year:
            print(
                f"--year {args.year} khác năm của kịch bản ({scenario.year}) / differs from "
                f"the scenario's year ({scenario.year})",
                file=sys.stderr,
            )
            return 2
        year, title = scenario.year, scenario.name
    else:
        known = kpi.data_years(pack)
        year = args.year if args.year is not None else (known[-1] if known else None)
        if known and year not in known:
            years = ", ".join(map(str, known))
            print(
                f"Không có số liệu năm {year} (có: {years}) / No data for {year} (have: {years})",
                file=sys.stderr,
            )
            return 1
        frame = kpi.measured_frame(pack, year)
        title = f"Hiện trạng {year}" if year is not None else "Hiện trạng"
    results = kpi.evaluate_pack(pack, frame, year)
    specs = {t.id: t for t in pack.targets}
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(
            [
                "target_id", "label", "year", "value", "target", "unit", "target_year",
                "gap", "met", "n_communes", "n_missing", "short",
            ]
        )  # fmt: skip
        for r in results:
            short = "; ".join(
                f"{name} ({code}): {_fmt_number(v, '', 2)}" for code, name, v in r.short
            )
            writer.writerow(
                [
                    r.target_id,
                    specs[r.target_id].label.vi,
                    "" if r.year is None else r.year,
                    "" if r.value is None else round(r.value, 4),
                    _fmt_number(r.target, "", 4),
                    r.unit,
                    specs[r.target_id].year,
                    "" if r.gap is None else round(r.gap, 4),
                    "true" if r.met else "false",
                    r.n_communes,
                    r.n_missing,
                    short,
                ]
            )
        return 0
    print(f"Chỉ tiêu / Targets — {pack.meta.name.vi}: {title}")
    for r in results:
        spec = specs[r.target_id]
        met = "ĐẠT / MET" if r.met else "CHƯA ĐẠT / NOT MET"
        print(f"\n{spec.label.vi} ({spec.label.en})")
        if spec.note is not None:
            print(f"  ghi chú / note: {spec.note.vi} / {spec.note.en}")
        if spec.is_summary and spec.quote_source is not None:
            print(f"  tóm tắt, không phải nguyên văn / a summary, not the document's words: "
                  f"{spec.quote_source.vi}")  # fmt: skip
        print(
            f"  hiện tại / value {_fmt_number(r.value, r.unit)} | mục tiêu / target "
            f"{_fmt_number(r.target, r.unit)} ({spec.year}) | còn thiếu / gap "
            f"{_fmt_number(r.gap, r.unit)} | {met}"
        )
        if r.short:
            names = _listed(
                f"{name} ({code}) {_fmt_number(v, r.unit)}" for code, name, v in r.short
            )
            print(f"  xã chưa đạt / communes short ({len(r.short)}): {names}")
        if r.n_missing:
            names = _listed(f"{name} ({code})" for code, name in r.missing)
            print(f"  không có số liệu / no data ({r.n_missing}/{r.n_communes}): {names}")
    return 0


def _cmd_crosswalk(args: argparse.Namespace) -> int:
    from atlas import crosswalk

    pack = _load(args.pack)
    if pack is None:
        return 1
    text = crosswalk.format_rows(crosswalk.for_pack(pack), as_csv=args.csv)
    print(text, end="" if args.csv else "\n")
    missing = crosswalk.unmapped(pack)
    if missing:
        codes = ", ".join(missing)
        print(f"Không có trong bảng chuyển đổi / not in the crosswalk: {codes}", file=sys.stderr)
    return 1 if missing else 0


def _cmd_backup(args: argparse.Namespace) -> int:
    from atlas.backup import backup_database
    from atlas.store import StoreError

    try:
        copy = backup_database(args.url, Path(args.out) if args.out else None)
    except StoreError as exc:
        print(f"{exc.vi}\n{exc.en}", file=sys.stderr)
        return 1
    print(f"Đã sao lưu vào / Backed up to: {copy}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """The command line; names from files reach the terminal as text (`cli.printable`)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = PrintableStream(out), PrintableStream(err)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m atlas", description="Atlas Hạ tầng data pack tools"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the packs found").set_defaults(func=_cmd_list)
    p_val = sub.add_parser(
        "validate",
        help="validate a pack folder (or pack id)",
        description="Check a pack and list every problem with its file, row or feature and "
        "field, in Vietnamese then English. Exit status 0 when the pack has no errors "
        "(warnings: repairs already made, things to check), 1 when it has.",
    )
    p_val.add_argument("pack", help="pack folder, e.g. geodata/cang_long, or a pack id")
    p_val.add_argument(
        "--lang", choices=("vi", "en"), help="print the problems in one language (default both)"
    )
    p_val.set_defaults(func=_cmd_validate)
    p_sc = sub.add_parser("scenarios", help="list the built-in and saved scenarios of a pack")
    p_sc.add_argument("pack", help="pack folder or pack id")
    p_sc.set_defaults(func=_cmd_scenarios)
    p_tg = sub.add_parser("targets", help="every plan target: value, gap, communes short of it")
    p_tg.add_argument("pack", help="pack folder or pack id")
    p_tg.add_argument("--scenario", help="scenario name or id (default: measured data)")
    p_tg.add_argument("--year", type=int, help="measured year (default: the latest)")
    p_tg.add_argument("--csv", action="store_true", help="CSV on stdout, one row per target")
    p_tg.set_defaults(func=_cmd_targets)
    p_cw = sub.add_parser("crosswalk", help="old communes → new (2025) communes, with shares")
    p_cw.add_argument("pack", help="pack folder or pack id")
    p_cw.add_argument("--csv", action="store_true", help="CSV on stdout")
    p_cw.set_defaults(func=_cmd_crosswalk)
    p_bk = sub.add_parser(
        "backup",
        help="a consistent copy of the scenario database (SQLite online backup)",
        description="Copy the database (ATLAS_DB_URL / ATLAS_DB) while the app may be running; "
        "the copy is checked before it is reported. PostgreSQL: prints the pg_dump command.",
    )
    p_bk.add_argument("--out", help="the copy's path (default: beside it, with date and time)")
    p_bk.add_argument("--url", help="database URL (default: the app's)")
    p_bk.set_defaults(func=_cmd_backup)
    add_users_parser(sub)
    add_export_parser(sub)
    add_ingest_parsers(sub)
    add_new_pack_parser(sub)
    add_publish_parser(sub)
    args = parser.parse_args(argv)
    _sync_shared_packs()
    return int(args.func(args))
