"""Accounts for tests: what a signed-in colleague is to the store, and helpers that make real
accounts in a test database and sign an AppTest or a browser page in."""

from __future__ import annotations

from atlas.accounts import Accounts
from atlas.roles import Account
from atlas.store import open_store

EDITOR = Account("Biên tập thử", "editor")
ADMIN = Account("Quản trị thử", "admin")
PASSWORD = "mật khẩu thử 1"


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


def sign_in_apptest(at, person: Account, password: str = PASSWORD):
    """Sign an AppTest in through the sidebar form, as a user does (`person` must exist in the
    app's database: `make_accounts`). Returns the AppTest after the run."""
    at.sidebar.text_input(key="atlas.signin.name").input(person.name)
    at.sidebar.text_input(key="atlas.signin.password").input(password)
    return at.sidebar.button(key="atlas.signin.go").click().run()


def cli_as(monkeypatch, person: Account = ADMIN) -> list[str]:
    """`--as` arguments for an in-process CLI call as `person` (made in the session's test
    database, `ATLAS_DB`), with its password waiting on standard input."""
    import io
    import sys

    make_accounts(_default_url(), person)
    monkeypatch.setattr(sys, "stdin", io.StringIO((PASSWORD + "\n") * 20))  # a line a call
    return ["--as", person.name, "--password-stdin"]


def _default_url() -> str:
    from atlas.store import default_url

    return default_url()


def signed_in_app(app_test, person: Account = EDITOR):
    """The app's first run with `person` signed in through the sidebar (made first in the
    database the app uses: `ATLAS_DB_URL` or `ATLAS_DB`)."""
    make_accounts(_default_url(), person)
    at = app_test.run()
    return sign_in_apptest(at, person)
