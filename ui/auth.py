"""Who is signed in to this browser session, and the sidebar panel that signs in and out.

Local accounts sign in with a name and password (`atlas.accounts.Accounts.sign_in`: Argon2,
slowed after failures). When the deployment configures a single sign-on provider (an `[auth]`
section in `.streamlit/secrets.toml`), Streamlit's own `st.login` signs people in instead;
the provider's e-mail address is the account name, its role is that account's, and someone the
administrator has not added is a viewer.

A sign-in lives in this session's state only: nothing is written to the browser, and a reload
signs out. It ends after `ATLAS_SESSION_IDLE_MINUTES` unused or `ATLAS_SESSION_HOURS` after it
began. The account is read again from the database on every run, so a role changed or an
account disabled by an admin counts from the next click, not from the next sign-in.
"""

from __future__ import annotations

import time

import streamlit as st

from atlas.accounts import AccountError, Accounts
from atlas.i18n import t
from atlas.roles import Account, role_name
from atlas.settings import settings
from ui.scenario_data import store
from ui.widgets import md

SESSION_KEY = "atlas.session"  # {"name", "since", "seen"} (seconds since the epoch)
ENDED_KEY = "atlas.session_ended"
FORM_KEY = "atlas.signin"


def accounts() -> Accounts:
    """The account manager on the app's database (a read-only stand-in has no accounts)."""
    return Accounts(store().engine)


def sso_configured() -> bool:
    """Whether the deployment set up a single sign-on provider for `st.login`."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, OSError):
        return False
    except Exception:  # a secrets file that does not parse: no provider, the page still works
        return False


def _sso_account() -> Account | None:
    user = st.user
    if not user.get("is_logged_in"):
        return None
    name = str(user.get("email") or user.get("name") or "").strip()
    if not name:
        return None
    known = accounts().get(name)
    return known if known is not None else Account(name, "viewer")


def signed_in() -> Account | None:
    """The account of this session, read afresh (None: not signed in, a viewer)."""
    if sso_configured() or st.user.get("is_logged_in"):
        found = _sso_account()
        if found is not None:
            return found
    held = st.session_state.get(SESSION_KEY)
    if not isinstance(held, dict):
        return None
    now = time.time()
    config = settings()
    idle = now - float(held.get("seen", 0)) > config.session_idle_minutes * 60
    old = now - float(held.get("since", 0)) > config.session_hours * 3600
    account = accounts().get(str(held.get("name", "")))
    if idle or old or account is None or account.disabled:
        sign_out(ended=True)
        return None
    held["seen"] = now
    return account


def sign_out(ended: bool = False) -> None:
    st.session_state.pop(SESSION_KEY, None)
    if ended:
        st.session_state[ENDED_KEY] = True


def _on_sign_in() -> None:
    """Form callback: check the password; the fields are cleared whatever the outcome."""
    state = st.session_state
    name = str(state.get(f"{FORM_KEY}.name") or "").strip()
    password = str(state.get(f"{FORM_KEY}.password") or "")
    state[f"{FORM_KEY}.password"] = ""
    state.pop(f"{FORM_KEY}.error", None)
    state.pop(ENDED_KEY, None)
    if not name or not password:
        return
    try:
        account = accounts().sign_in(name, password)
    except AccountError as exc:
        state[f"{FORM_KEY}.error"] = (exc.vi, exc.en)
        return
    now = time.time()
    state[SESSION_KEY] = {"name": account.name, "since": now, "seen": now}
    state[f"{FORM_KEY}.name"] = ""


def account_panel(lang: str) -> Account | None:
    """The sidebar's sign-in panel; returns the signed-in account (None: a viewer)."""
    account = signed_in()
    with st.sidebar:
        if account is not None:
            _signed_in_panel(account, lang)
        else:
            _sign_in_panel(lang)
    return account


def _signed_in_panel(account: Account, lang: str) -> None:
    role = role_name(account.role, lang)
    st.caption(f":material/account_circle: {t('auth.as', lang, name=md(account.name), role=role)}")
    if st.user.get("is_logged_in"):
        st.button(t("auth.sign_out", lang), key="atlas.signout", on_click=st.logout)
    else:
        st.button(t("auth.sign_out", lang), key="atlas.signout", on_click=sign_out)


def _sign_in_panel(lang: str) -> None:
    if st.session_state.get(ENDED_KEY):
        st.info(t("auth.ended", lang), icon=":material/timer_off:")
    with st.expander(t("auth.sign_in", lang), icon=":material/login:"):
        if sso_configured():
            st.button(t("auth.sso", lang), key="atlas.sso", on_click=st.login)
        with st.form(FORM_KEY, border=False):
            st.text_input(t("auth.name", lang), key=f"{FORM_KEY}.name", max_chars=64)
            st.text_input(t("auth.password", lang), key=f"{FORM_KEY}.password", type="password")
            st.form_submit_button(t("auth.go", lang), on_click=_on_sign_in, key=f"{FORM_KEY}.go")
        error = st.session_state.get(f"{FORM_KEY}.error")
        if error:
            st.error(error[1] if lang == "en" else error[0], icon=":material/lock:")
        st.caption(t("auth.viewer_hint", lang))
