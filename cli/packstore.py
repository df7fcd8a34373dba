"""`python -m atlas publish-packs --as NAME [PACK …]`: send this machine's never-published user
packs to the database when packs are kept there (`ATLAS_PACK_STORE=database`), so every app
server sees them. An admin's step, once, when a deployment switches from files."""

from __future__ import annotations

import argparse

import sqlalchemy as sa

from atlas.ingest.errors import IngestError
from atlas.pack_writes import publish_local
from atlas.roles import RoleError
from atlas.store import StoreError
from cli.signin import add_signin_args, refused, sign_in


def add_publish_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "publish-packs",
        help="send this machine's user packs to the database (ATLAS_PACK_STORE=database)",
        description="Every user pack in ATLAS_USER_DATA that was never sent to the database "
        "(or only those named) becomes a database pack, seen by every app server. Needs an "
        "admin account.",
    )
    p.add_argument("packs", nargs="*", help="pack ids (default: every one of this machine only)")
    add_signin_args(p)
    p.set_defaults(func=cmd_publish)


def cmd_publish(args: argparse.Namespace) -> int:
    try:
        by, accounts = sign_in(args)
        sent = publish_local(args.packs, by=by, accounts=accounts)
    except (StoreError, RoleError, IngestError) as exc:
        return refused(exc)
    except sa.exc.SQLAlchemyError as exc:
        return refused(RuntimeError(f"Cơ sở dữ liệu / Database: {str(exc).splitlines()[0]}"))
    if not sent:
        print("Không có gói nào chỉ ở máy này. / No pack is on this machine only.")
    for pack_id in sent:
        print(f"Đã gửi / Sent: {pack_id}")
    return 0
