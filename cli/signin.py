"""Who runs a writing command: `--as NAME`, with the password from a no-echo prompt or, for
scripts, the first line of standard input (`--password-stdin`). Never an argument: it would
stay in the shell's history and the process list. The account is checked by
`atlas.accounts.Accounts.sign_in` (slowed after failures, as on the page) and its role by the
`atlas` function that writes."""

from __future__ import annotations

import argparse
import getpass
import sys

from atlas.accounts import Accounts
from atlas.roles import Account
from atlas.store import StoreError, open_store


def add_signin_args(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument(
        "--as",
        dest="as_account",
        metavar="NAME",
        required=required,
        help="the account that does this (an editor or admin); its password is asked",
    )
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password(s) from standard input, one per line, not from a prompt",
    )


def read_password(args: argparse.Namespace, prompt: str = "Mật khẩu / Password: ") -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass(prompt)


def sign_in(args: argparse.Namespace) -> tuple[Account | None, Accounts]:
    """The account `--as` names, once its password is right (None without `--as`);
    `StoreError` (bilingual) when the database or the sign-in refuses."""
    accounts = Accounts(open_store().engine)
    if not getattr(args, "as_account", None):
        return None, accounts
    password = read_password(args, f"Mật khẩu của / Password of {args.as_account}: ")
    return accounts.sign_in(args.as_account, password), accounts


def refused(exc: Exception) -> int:
    """A refusal in both languages on stderr; exit code 1."""
    if isinstance(exc, StoreError) or hasattr(exc, "vi"):
        print(f"Lỗi: {exc.vi}\nError: {exc.en}", file=sys.stderr)
    else:
        print(str(exc), file=sys.stderr)
    return 1
