"""`python -m atlas users add|list|passwd|role|disable|enable`: the administrator's accounts.

A password is read from the terminal without echo (`getpass`), or from the first line of
standard input with `--password-stdin` (scripts); it is never an argument (it would stay in the
shell's history and the process list) and never printed."""

from __future__ import annotations

import argparse
import getpass
import sys

from atlas.accounts import ROLES, AccountError, Accounts
from atlas.store import StoreError, open_store


def add_users_parser(sub) -> None:
    p = sub.add_parser("users", help="local accounts: add, list, passwd, role, disable, enable")
    users = p.add_subparsers(dest="users_command", required=True)
    add = users.add_parser("add", help="a new account (asks for its password)")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, default="editor")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    users.add_parser("list", help="every account with its role")
    pw = users.add_parser("passwd", help="set an account's password")
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    role = users.add_parser("role", help="set an account's role")
    role.add_argument("name")
    role.add_argument("role", choices=ROLES)
    for word in ("disable", "enable"):
        one = users.add_parser(word, help=f"{word} an account")
        one.add_argument("name")
    p.set_defaults(func=cmd_users)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mật khẩu / Password: ")
    if getpass.getpass("Nhập lại / Again: ") != first:
        raise AccountError("Hai lần nhập không khớp.", "The two entries differ.")
    return first


def cmd_users(args: argparse.Namespace) -> int:
    try:
        db = open_store()
        accounts = Accounts(db.engine)
        command = args.users_command
        if command == "list":
            for account in accounts.list():
                state = " (khoá / disabled)" if account.disabled else ""
                print(f"{account.name}\t{account.role}{state}")
        elif command == "add":
            account = accounts.add(args.name, _password(args), args.role)
            print(f"Đã tạo / Created: {account.name} ({account.role})")
        elif command == "passwd":
            accounts.set_password(args.name, _password(args))
            print(f"Đã đổi mật khẩu / Password set: {args.name}")
        elif command == "role":
            accounts.set_role(args.name, args.role)
            print(f"Vai trò / Role: {args.name} → {args.role}")
        else:
            accounts.set_disabled(args.name, command == "disable")
            done = "Đã khoá / Disabled" if command == "disable" else "Đã mở / Enabled"
            print(f"{done}: {args.name}")
    except StoreError as exc:
        print(f"{exc.vi}\n{exc.en}", file=sys.stderr)
        return 1
    return 0
