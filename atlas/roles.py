"""Who may do what: the one role rule every write checks, in `atlas`, whatever called it.

Roles, each including the one before:

* **viewer** — anyone, signed in or not: every map, target, present page and export;
* **editor** — also scenarios and views, and imports into the user packs they own (made) or
  were granted by an admin; they may delete what they made themselves;
* **admin** — also accounts, pack grants, every pack, deleting anything.

An `Account` here is who a front end signed in (the sidebar form, `st.login`, or the CLI's
`--as` with a password): the store, the pack writer and the account manager take it as `by`
and call `require` before they write, then name it in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from atlas.spec import Text
from atlas.text import fold

ROLES: tuple[str, ...] = ("viewer", "editor", "admin")
ROLE_NAMES: dict[str, Text] = {
    "viewer": Text("Người xem", "Viewer"),
    "editor": Text("Biên tập", "Editor"),
    "admin": Text("Quản trị", "Admin"),
}
# What each action needs: the lowest role allowed.
ACTIONS: dict[str, str] = {
    "view": "viewer",
    "export": "viewer",
    "edit_scenario": "editor",
    "save_view": "editor",
    "import": "editor",
    "delete_own": "editor",
    "delete": "admin",
    "manage_accounts": "admin",
}


class RoleError(PermissionError):
    """A write refused for the account that asked, in both languages."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(en)
        self.vi, self.en = vi, en

    def message(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    disabled: bool = False


def name_key(name: str) -> str:
    """Two names that differ only in case or accents are one account ("Lê An" = "le an")."""
    return fold(name).strip()


def role_name(role: str, lang: str) -> str:
    return ROLE_NAMES[role].get(lang) if role in ROLE_NAMES else role


def can(account: Account | None, action: str) -> bool:
    """Whether `account` (None: not signed in, a viewer) may do `action`."""
    needed = ROLES.index(ACTIONS[action])
    if account is None:
        return needed == 0
    return not account.disabled and account.role in ROLES and ROLES.index(account.role) >= needed


def require(account: Account | None, action: str) -> None:
    """Raise `RoleError` unless `account` may do `action`."""
    if can(account, action):
        return
    needed = ACTIONS[action]
    if account is None:
        raise RoleError(
            f"Cần đăng nhập với vai trò {role_name(needed, 'vi')} trở lên.",
            f"Sign in with the {role_name(needed, 'en')} role or higher.",
        )
    if account.disabled:
        raise RoleError(
            f"Tài khoản “{account.name}” đã bị khoá.", f"Account “{account.name}” is disabled."
        )
    raise RoleError(
        f"Tài khoản “{account.name}” có vai trò {role_name(account.role, 'vi')}; "
        f"việc này cần vai trò {role_name(needed, 'vi')}.",
        f"Account “{account.name}” has the {role_name(account.role, 'en')} role; "
        f"this needs {role_name(needed, 'en')}.",
    )


def require_delete(account: Account | None, made_by: str | None) -> None:
    """An editor deletes what they made; anything else needs an admin."""
    own = (
        account is not None and made_by is not None and name_key(made_by) == name_key(account.name)
    )
    require(account, "delete_own" if own else "delete")
