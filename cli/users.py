"""`python -m atlas users add|list|passwd|role|disable|enable`: the administrator's accounts.

Every change is made `--as` an admin (its password asked first), except the very first admin
of a new database (`users add NAME --role admin` while no enabled admin exists), and one's own
password (`users passwd NAME --as NAME`). Passwords are read from the terminal without echo
(`getpass`), or with `--password-stdin` one per line from standard input (the `--as` password
first, then the new one); never an argument (it would stay in the shell's history and the
process list) and never printed.
"""

from __future__ import annotations

import argparse
import getpass

from atlas.accounts import ROLES, AccountError
from atlas.roles import RoleError
from atlas.store import StoreError
from cli.signin import add_signin_args, read_password, refused, sign_in


def add_users_parser(sub) -> None:
    p = sub.add_parser("users", help="local accounts: add, list, passwd, role, disable, enable")
    users = p.add_subparsers(dest="users_command", required=True)
    add = users.add_parser("add", help="a new account (asks for its password)")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, default="editor")
    add.add_argument(
        "--sso-only",
        action="store_true",
        help="no password: signs in only through the single sign-on provider (name = e-mail)",
    )
    users.add_parser("list", help="every account with its role")
    pw = users.add_parser("passwd", help="set an account's password")
    pw.add_argument("name")
    role = users.add_parser("role", help="set an account's role")
    role.add_argument("name")
    role.add_argument("role", choices=ROLES)
    parsers = [add, pw, role]
    for word in ("disable", "enable"):
        one = users.add_parser(word, help=f"{word} an account")
        one.add_argument("name")
        parsers.append(one)
    for parser in parsers:
        add_signin_args(parser, required=False)
    p.set_defaults(func=cmd_users)


def _new_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return read_password(args)
    first = getpass.getpass("Mật khẩu mới / New password: ")
    if getpass.getpass("Nhập lại / Again: ") != first:
        raise AccountError("Hai lần nhập không khớp.", "The two entries differ.")
    return first


def cmd_users(args: argparse.Namespace) -> int:
    try:
        by, accounts = sign_in(args)
        command = args.users_command
        if command == "list":
            for account in accounts.list():
                state = " (khoá / disabled)" if account.disabled else ""
                print(f"{account.name}\t{account.role}{state}")
        elif command == "add":
            if by is None and (args.role != "admin" or accounts.has_admin()):
                raise AccountError(
                    "Cần --as <quản trị> (chỉ quản trị đầu tiên được tạo không cần).",
                    "Give --as <an admin> (only the first admin is made without one).",
                )
            password = None if args.sso_only else _new_password(args)
            account = accounts.add(args.name, password, args.role, by=by)
            print(f"Đã tạo / Created: {account.name} ({account.role})")
        elif command == "passwd":
            accounts.set_password(args.name, _new_password(args), by=by)
            print(f"Đã đổi mật khẩu / Password set: {args.name}")
        elif command == "role":
            accounts.set_role(args.name, args.role, by=by)
            print(f"Vai trò / Role: {args.name} → {args.role}")
        else:
            accounts.set_disabled(args.name, command == "disable", by=by)
            done = "Đã khoá / Disabled" if command == "disable" else "Đã mở / Enabled"
            print(f"{done}: {args.name}")
    except (StoreError, RoleError) as exc:
        return refused(exc)
    return 0
