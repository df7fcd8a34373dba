"""Local accounts (issue 14, first part): Argon2 hashes, roles and the one rule every write
will check, failed sign-ins slowed down, the administrator's CLI."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from atlas.accounts import ACTIONS, Account, AccountError, Accounts, accounts_t, can, require
from atlas.store import open_store
from tests.conftest import REPO_ROOT


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def accounts(tmp_path):
    db = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    clock = Clock()
    yield Accounts(db.engine, clock), clock
    db.close()


def test_a_password_is_stored_only_as_an_argon2_hash(accounts):
    acc, _ = accounts
    acc.add("Lê An", "correct horse", "admin")
    with acc.engine.connect() as conn:
        stored = conn.execute(sa.select(accounts_t.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert acc.sign_in("le an", "correct horse") == Account("Lê An", "admin")  # case, accents
    with pytest.raises(AccountError, match="Wrong account name or password"):
        acc.sign_in("Lê An", "wrong horse")
    with pytest.raises(AccountError, match="Wrong account name or password"):
        acc.sign_in("Nobody", "correct horse")  # the same words: names are not revealed


def test_failed_sign_ins_slow_down_and_a_right_password_after_the_wait_resets(accounts):
    acc, clock = accounts
    acc.add("Bình", "a long password", "editor")
    for _ in range(4):  # three free failures, the fourth locks for 5 s
        with pytest.raises(AccountError):
            acc.sign_in("Bình", "nope nope")
    with pytest.raises(AccountError, match="try again in 5 seconds"):
        acc.sign_in("Bình", "a long password")  # even the right one waits
    clock.now += timedelta(seconds=6)
    assert acc.sign_in("Bình", "a long password").role == "editor"


def test_a_disabled_account_cannot_sign_in_or_write(accounts):
    acc, _ = accounts
    acc.add("Cúc", "a long password", "editor")
    acc.set_disabled("Cúc")
    with pytest.raises(AccountError, match="disabled"):
        acc.sign_in("Cúc", "a long password")
    assert not can(Account("Cúc", "editor", disabled=True), "edit_scenario")


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_the_role_matrix(action):
    viewer, editor, admin = (Account("x", r) for r in ("viewer", "editor", "admin"))
    needed = ACTIONS[action]
    assert can(admin, action)
    assert can(editor, action) == (needed != "admin")
    assert can(viewer, action) == (needed == "viewer") == can(None, action)
    if not can(None, action):
        with pytest.raises(AccountError):
            require(None, action)


def test_names_roles_and_passwords_are_checked(accounts):
    acc, _ = accounts
    with pytest.raises(AccountError, match="at least 8"):
        acc.add("Dũng", "short")
    with pytest.raises(AccountError, match="No role"):
        acc.add("Dũng", "a long password", "owner")
    acc.add("Dũng", "a long password")
    with pytest.raises(AccountError, match="already exists"):
        acc.add("dung", "a long password")


def test_the_administrator_s_cli_never_takes_or_prints_a_password_as_an_argument(tmp_path):
    env = {"ATLAS_DB": str(tmp_path / "cli.db"), "PATH": "/usr/bin:/bin"}

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "atlas", "users", *args], cwd=REPO_ROOT,
                              env=env, input=stdin, capture_output=True, text=True)  # fmt: skip

    added = run("add", "Lê An", "--role", "admin", "--password-stdin", stdin="correct horse\n")
    assert added.returncode == 0 and "correct horse" not in added.stdout + added.stderr
    assert run("role", "le an", "editor").returncode == 0
    assert run("disable", "Lê An").returncode == 0
    assert run("list").stdout.strip() == "Lê An\teditor (khoá / disabled)"
    refused = run("add", "Bình", "--password-stdin", stdin="short\n")
    assert refused.returncode == 1 and "at least 8" in refused.stderr
