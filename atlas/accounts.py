"""Local accounts and roles, in the app's own database (issue 14, first part: the accounts, the
role rule and the administrator's CLI; signing in through the pages comes next).

Roles, each including the one before:

* **viewer** — anyone, signed in or not: every map, target, present page and export;
* **editor** — also scenarios, views and imports;
* **admin** — also accounts, every pack, deleting anything.

`require(account, action)` is the one rule every write checks, in `atlas`, whatever called it.
Passwords are hashed with Argon2id (argon2-cffi, its default parameters); only the hash is
stored, and no message or log names a password or a hash. Failed sign-ins slow down: after
`FREE_FAILURES` wrong passwords in a row an account refuses sign-ins for 5 s, doubling with each
further failure up to 15 minutes; a right password after the wait resets the count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection, Engine

from atlas.store import StoreError, write_transaction
from atlas.text import fold

ROLES: tuple[str, ...] = ("viewer", "editor", "admin")
# What each action needs: the lowest role allowed.
ACTIONS: dict[str, str] = {
    "view": "viewer",
    "export": "viewer",
    "edit_scenario": "editor",
    "save_view": "editor",
    "import": "editor",
    "delete": "admin",
    "manage_accounts": "admin",
}
FREE_FAILURES = 3
FIRST_WAIT = timedelta(seconds=5)
LONGEST_WAIT = timedelta(minutes=15)
MAX_NAME = 64
MIN_PASSWORD = 8

accounts_t = sa.Table(
    "accounts",
    sa.MetaData(),
    sa.Column("name_key", sa.String(MAX_NAME), primary_key=True),
    sa.Column("name", sa.String(MAX_NAME), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)


def m004_accounts(conn: Connection) -> None:
    """Local accounts (see the module docstring)."""
    md = sa.MetaData()
    sa.Table(
        "accounts",
        md,
        sa.Column("name_key", sa.String(MAX_NAME), primary_key=True),
        sa.Column("name", sa.String(MAX_NAME), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    md.create_all(conn)


class AccountError(StoreError):
    """A refused sign-in or account change, in both languages."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    disabled: bool = False


def name_key(name: str) -> str:
    """Two names that differ only in case or accents are one account ("Lê An" = "le an")."""
    return fold(name).strip()


def can(account: Account | None, action: str) -> bool:
    """Whether `account` (None: not signed in, a viewer) may do `action`."""
    needed = ROLES.index(ACTIONS[action])
    if account is None:
        return needed == 0
    return not account.disabled and ROLES.index(account.role) >= needed


def require(account: Account | None, action: str) -> None:
    """Raise `AccountError` unless `account` may do `action`."""
    if can(account, action):
        return
    needed = ACTIONS[action]
    if account is None:
        raise AccountError(
            f"Cần đăng nhập với vai trò {needed} trở lên.",
            f"Sign in with the {needed} role or higher.",
        )
    if account.disabled:
        raise AccountError(
            f"Tài khoản “{account.name}” đã bị khoá.", f"Account “{account.name}” is disabled."
        )
    raise AccountError(
        f"Tài khoản “{account.name}” có vai trò {account.role}; việc này cần vai trò {needed}.",
        f"Account “{account.name}” has the {account.role} role; this needs {needed}.",
    )


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes: they were stored in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


class Accounts:
    """The accounts in the database of `engine` (migrated by `atlas.store.migrate`)."""

    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime] | None = None,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self.engine = engine
        self.clock = clock or _utcnow
        self.hasher = hasher or PasswordHasher()

    def list(self) -> list[Account]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(accounts_t).order_by(accounts_t.c.name_key)).all()
        return [Account(r.name, r.role, bool(r.disabled)) for r in rows]

    def get(self, name: str) -> Account | None:
        with self.engine.connect() as conn:
            row = self._row(conn, name)
        return None if row is None else Account(row.name, row.role, bool(row.disabled))

    def add(self, name: str, password: str, role: str = "editor") -> Account:
        name = " ".join(name.split())
        _check_name(name)
        _check_role(role)
        _check_password(password)
        with write_transaction(self.engine) as conn:
            if self._row(conn, name) is not None:
                raise AccountError(
                    f"Đã có tài khoản “{name}”.", f"An account “{name}” already exists."
                )
            conn.execute(
                accounts_t.insert().values(
                    name_key=name_key(name),
                    name=name,
                    role=role,
                    password_hash=self.hasher.hash(password),
                    disabled=False,
                    failures=0,
                    locked_until=None,
                    created_at=self.clock(),
                )
            )
        return Account(name, role)

    def set_password(self, name: str, password: str) -> None:
        _check_password(password)
        self._update(name, password_hash=self.hasher.hash(password), failures=0, locked_until=None)

    def set_role(self, name: str, role: str) -> None:
        _check_role(role)
        self._update(name, role=role)

    def set_disabled(self, name: str, disabled: bool = True) -> None:
        self._update(name, disabled=disabled)

    def sign_in(self, name: str, password: str) -> Account:
        """The account if `password` is its own; else `AccountError` (the same words for an
        unknown name and a wrong password, so the message does not tell which names exist)."""
        wrong = AccountError("Sai tên tài khoản hoặc mật khẩu.", "Wrong account name or password.")
        now = self.clock()
        with write_transaction(self.engine) as conn:
            row = self._row(conn, name)
            if row is None:
                self.hasher.hash(password)  # the same work as a real check: no timing hint
                raise wrong
            locked = _aware(row.locked_until)
            if locked is not None and locked > now:
                wait = max(1, int((locked - now).total_seconds() + 0.999))
                raise AccountError(
                    f"Nhập sai nhiều lần: thử lại sau {wait} giây.",
                    f"Too many wrong passwords: try again in {wait} seconds.",
                )
            try:
                self.hasher.verify(row.password_hash, password)
            except (VerificationError, InvalidHashError):
                failures = int(row.failures) + 1
                conn.execute(
                    accounts_t.update()
                    .where(accounts_t.c.name_key == row.name_key)
                    .values(failures=failures, locked_until=_lock_until(failures, now))
                )
                failed = True
            else:
                failed = False
                conn.execute(
                    accounts_t.update()
                    .where(accounts_t.c.name_key == row.name_key)
                    .values(failures=0, locked_until=None)
                )
        if failed:
            raise wrong
        if row.disabled:
            raise AccountError(
                f"Tài khoản “{row.name}” đã bị khoá.", f"Account “{row.name}” is disabled."
            )
        return Account(row.name, row.role, False)

    def _row(self, conn: Connection, name: str):
        return conn.execute(
            sa.select(accounts_t).where(accounts_t.c.name_key == name_key(name))
        ).first()

    def _update(self, name: str, **values: object) -> None:
        with write_transaction(self.engine) as conn:
            done = conn.execute(
                accounts_t.update().where(accounts_t.c.name_key == name_key(name)).values(**values)
            )
            if done.rowcount == 0:
                raise AccountError(f"Không có tài khoản “{name}”.", f"No account “{name}”.")


def _lock_until(failures: int, now: datetime) -> datetime | None:
    if failures <= FREE_FAILURES:
        return None
    wait = min(FIRST_WAIT * 2 ** (failures - FREE_FAILURES - 1), LONGEST_WAIT)
    return now + wait


def _check_name(name: str) -> None:
    if not name or len(name) > MAX_NAME or not name_key(name):
        raise AccountError(
            f"Tên tài khoản cần từ 1 đến {MAX_NAME} ký tự.",
            f"An account name needs 1 to {MAX_NAME} characters.",
        )


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(
            f"Vai trò “{role}” không có; chọn {', '.join(ROLES)}.",
            f"No role “{role}”; choose {', '.join(ROLES)}.",
        )


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.",
            f"A password needs at least {MIN_PASSWORD} characters.",
        )
