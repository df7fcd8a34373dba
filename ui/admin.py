"""The admin page's parts: accounts, pack access and the audit trail.

Every button calls `atlas.accounts.Accounts` with the signed-in account as `by`: the role is
checked there, not here; a refusal is shown in the user's language, and nothing changes.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas import events
from atlas.formats import time_text
from atlas.i18n import STRINGS, t
from atlas.packs import SHIPPED_PACKS
from atlas.roles import ROLES, Account, RoleError, name_key, role_name
from atlas.store import StoreError
from ui.auth import accounts, signed_in
from ui.data import discover_packs_cached
from ui.scenario_data import store
from ui.widgets import md

MSG = "admin.msg"
TRAIL_ROWS = 500


def _say(ok: bool, vi: str, en: str) -> None:
    """Remember the outcome; it names accounts and packs, so it is shown as text."""
    st.session_state[MSG] = ("success" if ok else "error", md(vi), md(en))


def _run(change, vi: str, en: str) -> None:
    """Do one change as the signed-in account; remember what to say on the next run."""
    try:
        change(signed_in())
    except (StoreError, RoleError) as exc:
        _say(False, exc.vi, exc.en)
        return
    _say(True, vi, en)


def messages(lang: str) -> None:
    said = st.session_state.pop(MSG, None)
    if said:
        kind, vi, en = said
        getattr(st, kind)(en if lang == "en" else vi)


def _role_label(lang: str):
    return lambda role: role_name(role, lang)


# --- accounts ---------------------------------------------------------------------------------


def account_table(lang: str) -> list[Account]:
    books = accounts()
    found, sso = books.list(), books.sso_only()
    rows = [
        {
            t("admin.col.name", lang): a.name,
            t("admin.col.role", lang): role_name(a.role, lang),
            t("admin.col.state", lang): t("admin.disabled" if a.disabled else "admin.active", lang),
            t("admin.col.sso", lang): t(
                "admin.sso_only" if a.name in sso else "admin.password", lang
            ),
        }
        for a in found
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    return found


def _on_add() -> None:
    state = st.session_state
    name = str(state.get("admin.add.name") or "").strip()
    role = state.get("admin.add.role", "editor")
    sso = bool(state.get("admin.add.sso"))
    password = None if sso else str(state.get("admin.add.password") or "")
    state["admin.add.password"] = ""
    _run(
        lambda by: accounts().add(name, password, role, by=by),
        f"Đã tạo tài khoản “{name}”.",
        f"Account “{name}” created.",
    )


def add_form(lang: str) -> None:
    with st.form("admin.add", clear_on_submit=False, border=True):
        st.markdown(f"**{t('admin.add', lang)}**")
        st.text_input(t("admin.col.name", lang), key="admin.add.name", max_chars=64)
        st.selectbox(
            t("admin.col.role", lang), ROLES, index=1, key="admin.add.role",
            format_func=_role_label(lang),
        )  # fmt: skip
        st.text_input(t("auth.password", lang), key="admin.add.password", type="password")
        st.checkbox(t("admin.add.sso", lang), key="admin.add.sso")
        st.form_submit_button(t("admin.add.go", lang), on_click=_on_add)


def _on_change(name: str, what: str) -> None:
    state = st.session_state
    if what == "role":
        role = state.get(_role_key(name))
        _run(
            lambda by: accounts().set_role(name, role, by=by),
            f"“{name}”: vai trò {role_name(role, 'vi')}.",
            f"“{name}”: role {role_name(role, 'en')}.",
        )
    elif what == "password":
        password = str(state.get("admin.edit.password") or "")
        state["admin.edit.password"] = ""
        _run(
            lambda by: accounts().set_password(name, password, by=by),
            f"Đã đặt mật khẩu mới cho “{name}”.",
            f"New password set for “{name}”.",
        )
    else:
        off = what == "disable"
        _run(
            lambda by: accounts().set_disabled(name, off, by=by),
            f"Đã {'khoá' if off else 'mở'} “{name}”.",
            f"“{name}” {'disabled' if off else 'enabled'}.",
        )


def _role_key(name: str) -> str:
    """One role box per account: it shows that account's role when the account is picked."""
    return f"admin.edit.role.{name_key(name)}"


def change_form(found: list[Account], lang: str) -> None:
    if not found:
        return
    with st.container(border=True):
        st.markdown(f"**{t('admin.change', lang)}**")
        names = [a.name for a in found]
        name = st.selectbox(t("admin.col.name", lang), names, key="admin.edit.name")
        chosen = next(a for a in found if a.name == name)
        left, right = st.columns(2)
        left.selectbox(
            t("admin.col.role", lang), ROLES, index=ROLES.index(chosen.role),
            key=_role_key(name), format_func=_role_label(lang),
        )  # fmt: skip
        left.button(t("admin.set_role", lang), on_click=_on_change, args=(name, "role"))
        right.text_input(t("auth.password", lang), key="admin.edit.password", type="password")
        right.button(t("admin.set_password", lang), on_click=_on_change, args=(name, "password"))
        word = "enable" if chosen.disabled else "disable"
        st.button(t(f"admin.{word}", lang), on_click=_on_change, args=(name, word))


# --- pack access ------------------------------------------------------------------------------


def _user_packs() -> list[str]:
    shipped = SHIPPED_PACKS.resolve()
    return [r.id for r in discover_packs_cached() if not r.path.resolve().is_relative_to(shipped)]


def _on_grant(pack_id: str, granted: bool) -> None:
    name = str(st.session_state.get("admin.grant.name") or "")
    verb_vi, verb_en = ("cấp", "granted") if granted else ("thu hồi", "taken back from")
    _run(
        lambda by: accounts().grant(pack_id, name, granted, by=by),
        f"Đã {verb_vi} quyền gói “{pack_id}” cho “{name}”.",
        f"Pack “{pack_id}” {verb_en} “{name}”.",
    )


def pack_access(found: list[Account], lang: str) -> None:
    packs = _user_packs()
    if not packs:
        st.caption(t("admin.no_user_packs", lang))
        return
    pack_id = st.selectbox(t("admin.pack", lang), packs, key="admin.grant.pack")
    people = accounts().pack_people(pack_id)
    kinds = {"owner": t("admin.owner", lang), "granted": t("admin.granted", lang)}
    if people:
        rows = [
            {t("admin.col.name", lang): n, t("admin.col.access", lang): kinds.get(k, k)}
            for n, k in people.items()
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True)
    else:
        st.caption(t("admin.admins_only", lang))
    editors = [a.name for a in found if a.role == "editor" and not a.disabled]
    if not editors:
        return
    st.selectbox(t("admin.editor", lang), editors, key="admin.grant.name")
    left, right = st.columns(2)
    left.button(t("admin.grant", lang), on_click=_on_grant, args=(pack_id, True))
    right.button(t("admin.revoke", lang), on_click=_on_grant, args=(pack_id, False))


# --- audit trail ------------------------------------------------------------------------------


def _action(action: str, lang: str) -> str:
    """The action in words; an action this version has no words for, as stored."""
    key = f"admin.action.{action}"
    return t(key, lang) if key in STRINGS else action


def _detail(event: events.Event, lang: str) -> str:
    """The detail as text; a role (an account made or changed) by its name in `lang`."""
    if event.kind == "account" and event.detail in ROLES:
        return role_name(event.detail, lang)
    return event.detail or ""


def trail_frame(rows: list[events.Event], lang: str) -> pd.DataFrame:
    """The trail as users read it: Vietnam time, words for the action, text only."""
    return pd.DataFrame(
        [
            {
                t("admin.col.at", lang): time_text(e.at, lang, seconds=True),
                t("admin.col.who", lang): e.who,
                t("admin.col.action", lang): _action(e.action, lang),
                t("admin.col.kind", lang): t(f"admin.kind.{e.kind}", lang),
                t("admin.col.target", lang): e.target or "",
                t("admin.col.pack", lang): e.pack_id or "",
                t("admin.col.detail", lang): _detail(e, lang),
            }
            for e in rows
        ],
        columns=[
            t(f"admin.col.{c}", lang)
            for c in ("at", "who", "action", "kind", "target", "pack", "detail")
        ],
    )


def audit_trail(found: list[Account], lang: str) -> None:
    everyone = t("admin.everyone", lang)
    who = st.selectbox(
        t("admin.col.who", lang), [everyone, *[a.name for a in found]], key="admin.trail.who"
    )
    rows = events.recent(store().engine, TRAIL_ROWS, None if who == everyone else who)
    st.dataframe(trail_frame(rows, lang), hide_index=True, width="stretch")
    st.caption(t("admin.trail_note", lang, n=TRAIL_ROWS))
