"""`python -m atlas …`: list and validate packs from a terminal, for data clerks and CI."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from atlas.loader import LoadResult, load_pack
from atlas.packs import discover_packs, find_pack


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


def format_report(result: LoadResult, pack_dir: Path) -> str:
    """The validation report as text: summary, layers with counts, then every issue."""
    report = result.report
    lines = [f"Pack / Gói: {pack_dir}"]
    pack = result.pack
    if pack is not None:
        meta = pack.meta
        lines.append(
            f"  {meta.name.vi} ({meta.name.en}), {meta.province.vi}; GSO "
            f"{meta.district_code}; {meta.period_start}–{meta.period_end}"
        )
        lines.append(f"  honesty: geometry={pack.honesty.geometry}, figures={pack.honesty.figures}")
        lines.append("  Layers / Lớp:")
        for layer in pack.layers:
            n = len(pack.frames[layer.id])
            lines.append(f"    {layer.id:<22} {layer.kind:<11} {n:>5} features  {layer.title.vi}")
        if pack.tables:
            lines.append("  Tables / Bảng:")
            for table in pack.tables:
                n = len(pack.table_frames[table.id])
                lines.append(f"    {table.id:<22} {n:>5} rows  {table.title.vi}")
        if pack.targets:
            lines.append(f"  Targets / Chỉ tiêu: {len(pack.targets)}")
    for issue in report.issues:
        lines.append(f"  {issue}")
    verdict = "OK" if report.ok else "FAILED"
    lines.append(
        f"{verdict}: {len(report.errors)} error(s), {len(report.warnings)} "
        f"warning(s) / {len(report.errors)} lỗi, {len(report.warnings)} cảnh báo"
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
    print(format_report(result, target))
    return 0 if result.report.ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m atlas", description="Atlas Hạ tầng data pack tools"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the packs found").set_defaults(func=_cmd_list)
    p_val = sub.add_parser("validate", help="validate a pack folder (or pack id)")
    p_val.add_argument("pack", help="pack folder, e.g. geodata/cang_long, or a pack id")
    p_val.set_defaults(func=_cmd_validate)
    args = parser.parse_args(argv)
    return int(args.func(args))
