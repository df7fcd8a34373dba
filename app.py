"""Atlas Hạ tầng — District Infrastructure Atlas: the Streamlit entry point.

Run with `make run` (or `streamlit run app.py`). This file only frames the pages: page
config, the shared sidebar (pack picker, language switch) and the navigation. Each screen
is one file in pages/.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from atlas.i18n import t
from atlas.packs import user_data_dir
from atlas.roles import can
from layers.offline import use_local_assets
from ui.auth import account_panel
from ui.data import discover_packs_cached, sweep_staging_once, sync_shared_packs
from ui.map_state import MAP_PREFIX
from ui.scenario_data import database_notice
from ui.shell import ensure_shell, note_page
from ui.sidebar import current_lang, language_switch, pack_picker
from ui.url_state import restore_pack
from ui.widgets import uploader_css

# A local file: a Material icon as page_icon would make the browser fetch the favicon from a CDN.
FAVICON = Path(__file__).resolve().parent / "ui" / "favicon.png"
APP_CSS = Path(__file__).resolve().parent / "ui" / "app.css"

ensure_shell()  # before any widget: see ui/shell.py
use_local_assets()  # Leaflet and plugins from /app/static/vendor, never a CDN
sweep_staging_once(str(user_data_dir()))  # killed imports' work folders, once per process
sync_shared_packs()  # packs kept in the database: this machine's copy in step, once a run

# Streamlit forgets the state of widgets a run does not draw; re-assigning the map panel's keys
# keeps layers, opacity, year and search as they were while another page is open.
for _key in [k for k in st.session_state if isinstance(k, str) and k.startswith(MAP_PREFIX)]:
    st.session_state[_key] = st.session_state[_key]
lang = current_lang()
st.set_page_config(page_title=t("app.title", lang), page_icon=str(FAVICON), layout="wide")

st.html(APP_CSS)  # the app's own styles (a .css path is inlined as <style>): nothing fetched
st.html(uploader_css(lang))  # Streamlit's uploader in the UI language

with st.sidebar:
    st.markdown(f"### {t('app.title', lang)}")
    st.caption(t("app.tagline", lang))
restore_pack([ref.id for ref in discover_packs_cached()])  # a shared link's pack, once
pack_picker(lang)
language_switch()
account = account_panel(lang)  # signed-in account, read afresh each run (None: a viewer)

pages = [
    st.Page("pages/map.py", title=t("nav.map", lang), icon=":material/map:", default=True),
    st.Page("pages/scenarios.py", title=t("nav.scenarios", lang), icon=":material/tune:"),
    st.Page("pages/targets.py", title=t("targets.nav", lang), icon=":material/flag:"),
    st.Page("pages/present.py", title=t("present.nav", lang), icon=":material/slideshow:"),
    st.Page("pages/compare.py", title=t("compare.nav", lang), icon=":material/compare:"),
    st.Page("pages/packs.py", title=t("nav.packs", lang), icon=":material/inventory_2:"),
    st.Page("pages/data.py", title=t("data.nav", lang), icon=":material/upload_file:"),
]
if can(account, "manage_accounts"):  # the page checks again; atlas checks every change
    pages.append(
        st.Page(
            "pages/admin.py", title=t("nav.admin", lang), icon=":material/admin_panel_settings:"
        )
    )
database_notice(lang)  # on every page: a database that cannot be used, or a new one
page = st.navigation(pages)
note_page(page.url_path)  # lets a page tell its own reruns from the user arriving on it
page.run()
