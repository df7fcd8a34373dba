"""Quản trị / Administration: accounts, who may write into which user pack, and the audit
trail of every write. Listed in the navigation for admins only; every change is checked again
in `atlas.accounts` with the signed-in account."""

from __future__ import annotations

import streamlit as st

from atlas.i18n import t
from atlas.roles import can
from ui import admin
from ui.auth import signed_in
from ui.shell import ensure_shell
from ui.sidebar import current_lang

ensure_shell()
lang = current_lang()
st.title(t("admin.title", lang))
if not can(signed_in(), "manage_accounts"):
    st.info(t("admin.need_admin", lang), icon=":material/lock:")
    st.stop()
admin.messages(lang)
accounts_tab, packs_tab, trail_tab = st.tabs(
    [t("admin.tab.accounts", lang), t("admin.tab.packs", lang), t("admin.tab.trail", lang)]
)
with accounts_tab:
    found = admin.account_table(lang)
    left, right = st.columns(2)
    with left:
        admin.add_form(lang)
    with right:
        admin.change_form(found, lang)
with packs_tab:
    admin.pack_access(found, lang)
with trail_tab:
    admin.audit_trail(found, lang)
