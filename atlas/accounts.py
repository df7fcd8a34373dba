"""Local accounts in the app's own database, and who may write into which user pack.

Roles and the one rule every write checks are in `atlas.roles` (re-exported here). Passwords
are hashed with Argon2id (argon2-cffi, its default parameters); only the hash is stored, and no
message or log names a password or a hash. An account made for a single sign-on provider
(`st.login`) has no password at all: its stored hash is "!", which no password verifies.
Failed sign-ins slow down: after `FREE_FAILURES` wrong passwords in a row an account refuses
sign-ins for 5 s, doubling with each further failure up to 15 minutes; a right password after
the wait resets the count.

Every change to an account is made `by` a signed-in admin and recorded in the events table
(`atlas.events`) in the same transaction. The one exception is the first admin of a new
database: while no enabled admin exists, `add(..., role="admin", by=None)` is allowed (the
administrator's terminal, `python -m atlas users add`).

Pack access: an editor who makes a user pack (an import as a new pack, a new province pack)
owns it; an admin may grant a user pack to other editors. Editors import only into packs they
own or were granted; admins into any user pack.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection, Engine

from atlas import events
from atlas.events import pack_access_t
from atlas.roles import ACTIONS, ROLES, Account, RoleError, can, name_key, require
from atlas.store import StoreError, write_transaction

__all__ = [
    "ACTIONS",
    "ROLES",
    "Account",
    "AccountError",
    "Accounts",
    "RoleError",
    "can",
    "name_key",
    "require",
]
NO_PASSWORD = "!"  # the stored hash of an account that signs in only through `st.login`
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

    # reading ---------------------------------------------------------------------------------

    def list(self) -> list[Account]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(accounts_t).order_by(accounts_t.c.name_key)).all()
        return [Account(r.name, r.role, bool(r.disabled)) for r in rows]

    def get(self, name: str) -> Account | None:
        with self.engine.connect() as conn:
            row = self._row(conn, name)
        return None if row is None else Account(row.name, row.role, bool(row.disabled))

    def has_admin(self) -> bool:
        """Whether an enabled admin exists (else the first one may be made without one)."""
        query = sa.select(sa.func.count()).where(
            accounts_t.c.role == "admin", accounts_t.c.disabled.is_(False)
        )
        with self.engine.connect() as conn:
            return bool(conn.execute(query).scalar())

    def sso_only(self) -> set[str]:
        """The names of the accounts that sign in only through the single sign-on provider."""
        query = sa.select(accounts_t.c.name).where(accounts_t.c.password_hash == NO_PASSWORD)
        with self.engine.connect() as conn:
            return set(conn.execute(query).scalars())

    def external_only(self, name: str) -> bool:
        """Whether the account signs in only through the single sign-on provider."""
        with self.engine.connect() as conn:
            row = self._row(conn, name)
        return row is not None and row.password_hash == NO_PASSWORD

    # changing (an admin, or the first admin of a new database) -------------------------------

    def add(
        self, name: str, password: str | None, role: str = "editor", *, by: Account | None
    ) -> Account:
        """A new account; `password=None` makes one that signs in only through `st.login`
        (named by the e-mail address the provider gives)."""
        name = " ".join(name.split())
        _check_name(name)
        _check_role(role)
        if password is not None:
            _check_password(password)
        first = by is None and role == "admin" and not self.has_admin()
        if not first:
            require(by, "manage_accounts")
        hashed = NO_PASSWORD if password is None else self.hasher.hash(password)
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
                    password_hash=hashed,
                    disabled=False,
                    failures=0,
                    locked_until=None,
                    created_at=self.clock(),
                )
            )
            who = by.name if by is not None else name
            self._event(conn, who, "create", name, role)
        return Account(name, role)

    def set_password(self, name: str, password: str, *, by: Account) -> None:
        """An admin sets anyone's password; anyone signed in sets their own."""
        _check_password(password)
        if by is None or name_key(by.name) != name_key(name):
            require(by, "manage_accounts")
        else:
            require(by, "view")  # one's own password: any enabled account
        hashed = self.hasher.hash(password)
        self._update(
            name, by, "password", None, password_hash=hashed, failures=0, locked_until=None
        )

    def set_role(self, name: str, role: str, *, by: Account) -> None:
        _check_role(role)
        require(by, "manage_accounts")
        self._keep_an_admin(name, role != "admin")
        self._update(name, by, "role", role, role=role)

    def set_disabled(self, name: str, disabled: bool = True, *, by: Account) -> None:
        require(by, "manage_accounts")
        self._keep_an_admin(name, disabled)
        self._update(name, by, "disable" if disabled else "enable", None, disabled=disabled)

    def _keep_an_admin(self, name: str, removing: bool) -> None:
        """Refuse to demote or disable the last enabled admin: nobody could manage accounts."""
        target = self.get(name)
        if not removing or target is None or target.role != "admin" or target.disabled:
            return
        query = sa.select(sa.func.count()).where(
            accounts_t.c.role == "admin", accounts_t.c.disabled.is_(False)
        )
        with self.engine.connect() as conn:
            if int(conn.execute(query).scalar() or 0) <= 1:
                raise AccountError(
                    f"“{target.name}” là quản trị cuối cùng; hãy tạo quản trị khác trước.",
                    f"“{target.name}” is the last admin; make another admin first.",
                )

    # signing in ------------------------------------------------------------------------------

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

    # pack access -----------------------------------------------------------------------------

    def pack_people(self, pack_id: str) -> dict[str, str]:
        """Who may write into the user pack besides admins: account name → owner | granted."""
        query = (
            sa.select(accounts_t.c.name, pack_access_t.c.kind)
            .join(accounts_t, accounts_t.c.name_key == pack_access_t.c.name_key)
            .where(pack_access_t.c.pack_id == pack_id)
            .order_by(accounts_t.c.name_key)
        )
        with self.engine.connect() as conn:
            return {r.name: r.kind for r in conn.execute(query)}

    def may_write_pack(self, by: Account | None, pack_id: str, new: bool) -> None:
        """Raise unless `by` may import: a new pack (any editor) or into this user pack
        (its owner, an editor it was granted to, or an admin)."""
        require(by, "import")
        if new or can(by, "manage_accounts"):
            return
        if name_key(by.name) in {name_key(n) for n in self.pack_people(pack_id)}:
            return
        raise RoleError(
            f"Gói “{pack_id}” không phải của “{by.name}”: chỉ người tạo gói, người được quản "
            "trị cấp quyền, hoặc quản trị được thêm dữ liệu vào.",
            f"Pack “{pack_id}” is not “{by.name}”'s: only its maker, editors an admin granted "
            "it to, or an admin may add to it.",
        )

    def record_pack_write(
        self, by: Account, pack_id: str, action: str, detail: str, new: bool
    ) -> None:
        """After a pack was written: the event, and its maker as owner when it is new."""
        with write_transaction(self.engine) as conn:
            pack_write_rows(conn, self.clock(), by, pack_id, action, detail, new)

    def grant(self, pack_id: str, name: str, granted: bool = True, *, by: Account) -> None:
        """An admin grants (or takes back) writing into a user pack to an editor."""
        require(by, "manage_accounts")
        target = self.get(name)
        if target is None:
            raise AccountError(f"Không có tài khoản “{name}”.", f"No account “{name}”.")
        key = name_key(target.name)
        with write_transaction(self.engine) as conn:
            now = self.clock()
            conn.execute(
                pack_access_t.delete().where(
                    pack_access_t.c.pack_id == pack_id,
                    pack_access_t.c.name_key == key,
                    pack_access_t.c.kind == "granted",
                )
            )
            if granted:
                conn.execute(
                    pack_access_t.insert().values(
                        pack_id=pack_id, name_key=key, kind="granted", by=by.name, at=now
                    )
                )
            action = "grant" if granted else "revoke"
            events.record(conn, now, by.name, action, "pack", pack_id, pack_id, target.name)

    # internals -------------------------------------------------------------------------------

    def _row(self, conn: Connection, name: str):
        return conn.execute(
            sa.select(accounts_t).where(accounts_t.c.name_key == name_key(name))
        ).first()

    def _event(self, conn: Connection, who: str, action: str, name: str, detail: str | None):
        events.record(conn, self.clock(), who, action, "account", name, None, detail)

    def _update(
        self, name: str, by: Account, action: str, detail: str | None, **values: object
    ) -> None:
        with write_transaction(self.engine) as conn:
            done = conn.execute(
                accounts_t.update().where(accounts_t.c.name_key == name_key(name)).values(**values)
            )
            if done.rowcount == 0:
                raise AccountError(f"Không có tài khoản “{name}”.", f"No account “{name}”.")
            self._event(conn, by.name, action, self._row(conn, name).name, detail)


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


def pack_write_rows(
    conn: Connection, now: datetime, by: Account, pack_id: str, action: str, detail: str, new: bool
) -> None:
    """The rows a pack write leaves, inside the caller's transaction (the pack's own, when
    packs are kept in the database: `atlas.pack_writes`): the event, and for a new pack its
    maker as owner."""
    if new:
        conn.execute(pack_access_t.delete().where(pack_access_t.c.pack_id == pack_id))
        conn.execute(
            pack_access_t.insert().values(
                pack_id=pack_id, name_key=name_key(by.name), kind="owner", by=by.name, at=now
            )
        )
    events.record(conn, now, by.name, action, "pack", pack_id, pack_id, detail)
