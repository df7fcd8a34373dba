"""`python -m atlas new-pack --province "Vĩnh Long"`: a base pack for a province or district,
from a terminal. Thin: every decision is in `atlas.newpack`.

Progress goes to stderr, one line a step; the new pack's id and folder to stdout. Exit codes:
0 made, 1 not made (unknown unit, id taken, …) with the reason in Vietnamese and English.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from atlas.newpack import NewPackError
from atlas.pack_writes import new_pack
from atlas.roles import RoleError
from atlas.spec import Text
from atlas.store import StoreError
from cli.signin import add_signin_args, refused, sign_in


def add_new_pack_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "new-pack",
        help="a base pack (schematic communes, outline, empty tables) for a province, a district "
        "or the nation",
        description="Make a user pack for the whole country (--nation), one province (any of "
        "the 34 since 1 July 2025, or a pre-2025 one, by name or GSO code) or one pre-2025 "
        "district: schematic commune "
        "boundaries from the gazetteer, the outline, and empty tables to fill with `import`.",
    )
    p.add_argument("--province", help='province name or code, e.g. "Vĩnh Long" or 84')
    p.add_argument("--district", help='pre-2025 district name or code, e.g. "Cầu Kè" or 845')
    p.add_argument(
        "--nation",
        action="store_true",
        help="the whole country: its 10,035 pre-2025 communes (3,321 after 1 July 2025 with "
        "the app's switch), province outlines and the national outline",
    )
    p.add_argument(
        "--structure",
        choices=("post2025", "pre2025"),
        help="which province --province names (default: after 1 July 2025 when one has that "
        "name or code, else before)",
    )
    p.add_argument("--id", dest="pack_id", help="pack id [a-z0-9_]+ (default: from the name)")
    p.add_argument("--name", help="pack name, used for vi and en (default: the unit's name)")
    p.add_argument("--root", type=Path, help="data folder (default: the user data folder)")
    add_signin_args(p)
    p.set_defaults(func=cmd_new_pack)


def _say(fraction: float, text: Text) -> None:
    print(f"[{round(fraction * 100):>3}%] {text.vi} / {text.en}", file=sys.stderr)


def cmd_new_pack(args: argparse.Namespace) -> int:
    try:
        by, accounts = sign_in(args)
        result = new_pack(
            by=by,
            accounts=accounts,
            province=args.province,
            district=args.district,
            structure=args.structure,
            nation=args.nation,
            pack_id=args.pack_id,
            name=args.name,
            root=args.root,
            progress=_say,
        )
    except (NewPackError, StoreError, RoleError) as exc:
        return refused(exc)
    print(f"{result.pack_id}\t{result.path}\t{result.n_communes} xã / communes")
    return 0
