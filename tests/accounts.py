"""Accounts for tests: what a signed-in colleague is to the store, and helpers that make real
accounts in a test database and sign an AppTest or a browser page in."""

from __future__ import annotations

from atlas.accounts import Accounts
from atlas.roles import Account
from atlas.store import open_store

EDITOR = Account("Biên tập thử", "editor")
ADMIN = Account("Quản trị thử", "admin")
PASSWORD = "mật khẩu thử 1"
SESSION_KEY = "atlas.session"  # ui.auth.SESSION_KEY (ui is not imported here: no Streamlit)


def make_accounts(url: str, *people: Account) -> Accounts:
    """The accounts in the database at `url`, with `people` added (password `PASSWORD`)."""
    accounts = Accounts(open_store(url).engine)
    for person in people:
        if accounts.get(ADMIN.name) is None:  # the first admin of the database
            accounts.add(
                ADMIN.name, PASSWORD, "admin", by=None if not accounts.has_admin() else ADMIN
            )
        if accounts.get(person.name) is None:
            accounts.add(person.name, PASSWORD, person.role, by=ADMIN)
    return accounts


def sign_in_apptest(at, person: Account) -> None:
    """Sign an AppTest's session in as `person` (made in the app's database first)."""
    import time

    now = time.time()
    at.session_state[SESSION_KEY] = {"name": person.name, "since": now, "seen": now}


def cli_as(monkeypatch, person: Account = ADMIN) -> list[str]:
    """`--as` arguments for an in-process CLI call as `person` (made in the session's test
    database, `ATLAS_DB`), with its password waiting on standard input."""
    import io
    import sys

    make_accounts(_default_url(), person)
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    return ["--as", person.name, "--password-stdin"]


def _default_url() -> str:
    from atlas.store import default_url

    return default_url()
