"""Trình chiếu / Present: the pack's views one after another, for a meeting room screen.

Full-width map with its legend, a large title block (view title, caption, district), no panel
and no editing chrome: the sidebar and Streamlit's toolbar are hidden by CSS this page alone
injects, and one small toggle ("Hiện thanh bên") brings them back (the district picker and the
language live in the sidebar). Previous / Next buttons step through the views (the pack's
shipped `views.toml` first, then the saved ones, in their order); the left and right arrow
keys click those buttons through a small local script (Streamlit has no key events), also
while the map has the focus. Nothing is fetched from the internet.
"""

from __future__ import annotations

import html

import streamlit as st
import streamlit.components.v1 as components

from atlas import overlay as ov
from atlas import scenarios as sc
from atlas import views as vw
from atlas.i18n import t
from layers.target_layer import target_layer_spec
from ui.export_panel import export_panel
from ui.map_data import prepared_layer
from ui.map_panel import pack_years
from ui.map_scenario import view_overlay
from ui.map_state import MapSettings
from ui.map_view import draw_map
from ui.page import open_pack_page
from ui.scenario_data import store
from ui.targets_data import prepared_target
from ui.units import pack_on
from ui.viewport import district_bounds_cached, pending_command, request_view, store_key
from ui.widgets import honesty_caption, md

PRESENT_HEIGHT = 760  # about 80 % of a 1080-pixel screen's height, before the map fills it
PRESENT_CAVEAT_PX = 72  # room under the map for the honesty line, legible from the back


def presenter_help(lang: str) -> str:
    """The presenter's hints (keys, sidebar), on the toggle's help: not on the audience's
    screen."""
    return f"{t('present.sidebar_help', lang)}\n\n{t('present.keys', lang)}"


PRESENT_EMPHASIS = 1.6  # lines and point symbols, seen from the back of a room
PRESENT_LEGEND_PX = 17  # the on-map legend's text; the page's CSS cannot reach into the map
SCOPE = "present"  # this page's map remembers its viewport apart from the map page's

# Arrow keys click the Previous / Next buttons. The handler is replaced, not added twice, when
# this snippet's iframe is created again (a handler from a removed iframe would no longer run).
# Keys pressed while the map (an iframe of the page, same origin) has the focus are caught
# before Leaflet pans the map with them, and step the views too; the map's iframe is looked
# for again every second, since a rerun may replace it.
KEYS_JS = """<script>
const doc = window.parent.document;
if (doc.__atlasPresentKeys) doc.removeEventListener("keydown", doc.__atlasPresentKeys);
doc.__atlasPresentKeys = (e) => {
  const tag = (e.target && e.target.tagName) || "";
  if (["INPUT", "TEXTAREA", "SELECT"].includes(tag)) return false;
  const name = e.key === "ArrowRight" ? "next" : e.key === "ArrowLeft" ? "prev" : null;
  const button = name && doc.querySelector(".st-key-present-" + name + " button");
  if (button && !button.disabled) { e.preventDefault(); button.click(); return true; }
  return false;
};
doc.addEventListener("keydown", doc.__atlasPresentKeys);
function hookMaps() {
  for (const frame of doc.querySelectorAll(".st-key-present-map iframe")) {
    let inner;
    try { inner = frame.contentWindow; if (!inner || !inner.document) continue; }
    catch (err) { continue; }  // not the same origin: leave it alone
    if (inner.__atlasPresentKeys) continue;
    inner.__atlasPresentKeys = (e) => {
      if (doc.__atlasPresentKeys && doc.__atlasPresentKeys(e)) e.stopPropagation();
    };
    inner.addEventListener("keydown", inner.__atlasPresentKeys, true);
  }
}
hookMaps();
setInterval(hookMaps, 1000);
</script>"""

CSS = """<style>
.st-key-present-title h1 { font-size: 2.8rem; line-height: 1.15; padding-bottom: 0.2rem; }
.st-key-present-title .atlas-present-caption { font-size: 1.5rem; margin: 0 0 0.2rem 0; }
.st-key-present-title .atlas-present-district { font-size: 1.15rem; opacity: 0.75; }
.st-key-present-nav button { font-size: 1.2rem; }
.st-key-present-map .atlas-legend, .st-key-present-map .leaflet-control { font-size: 1rem; }
.st-key-present-caveat p, .st-key-present-caveat [data-testid="stCaptionContainer"] {
  font-size: 1.05rem; color: #3d3d3d; line-height: 1.35;
}
</style>"""

# No editing chrome on a projector: the sidebar, its open button and Streamlit's header
# (toolbar, main menu, deploy button, running indicator) are hidden while this page is shown,
# and a click on the page draws no focus frame around it. It goes in the same element as
# CSS, so turning the sidebar back on changes that element only: the elements below keep
# their positions and Streamlit does not mount the map's iframe again.
CHROME_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stMainMenu"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] {
  display: none !important;
}
[data-testid="stMainBlockContainer"] { padding-top: 1.2rem; }
[data-testid="stMain"]:focus-visible::before { content: none; }
</style>"""
CHROME_KEY = "present.chrome"


def index_key(pack_id: str) -> str:
    return f"present.{pack_id}.index"


def _step(pack_id: str, step: int, total: int) -> None:
    key = index_key(pack_id)
    st.session_state[key] = max(0, min(total - 1, st.session_state.get(key, 0) + step))


page = open_pack_page()
lang, pack, fingerprint = page.lang, page.pack, page.fingerprint
chrome_on = st.session_state.get(CHROME_KEY, False)
st.markdown(CSS if chrome_on else CSS + CHROME_CSS, unsafe_allow_html=True)

views = vw.pack_views(pack.path, pack.id, lang) + store().list_views(pack.id)
if not views:
    st.title(md(pack.meta.name.get(lang)), anchor=False)
    st.info(t("present.no_views", lang))
    st.toggle(t("present.sidebar", lang), key=CHROME_KEY, help=presenter_help(lang))
    st.stop()
index = max(0, min(len(views) - 1, st.session_state.get(index_key(pack.id), 0)))
st.session_state[index_key(pack.id)] = index
view = views[index]
source, source_fingerprint = pack, fingerprint  # scenarios are computed on the pack's communes
pack, fingerprint = pack_on(pack, fingerprint, view.units)

title_col, nav_col = st.columns([4, 1], vertical_alignment="top")
with title_col.container(key="present-title"):
    st.title(md(view.title or pack.meta.name.get(lang)), anchor=False)
    if view.caption:
        st.markdown(
            f'<p class="atlas-present-caption">{html.escape(view.caption)}</p>',
            unsafe_allow_html=True,
        )
    district = f"{pack.meta.name.get(lang)} · {pack.meta.province.get(lang)}"
    if view.year:
        district += f" · {view.year}"
    if pack is not source:
        district += f" · {t('units.post2025', lang)}"
    st.markdown(
        f'<p class="atlas-present-district">{html.escape(district)}</p>', unsafe_allow_html=True
    )
with nav_col.container(key="present-nav"):
    prev_col, next_col = st.columns(2)
    prev_col.button(
        t("present.prev", lang),
        icon=":material/arrow_back:",
        key="present-prev",
        disabled=index == 0,
        on_click=_step,
        args=(pack.id, -1, len(views)),
        use_container_width=True,
    )
    next_col.button(
        t("present.next", lang),
        icon=":material/arrow_forward:",
        key="present-next",
        disabled=index == len(views) - 1,
        on_click=_step,
        args=(pack.id, 1, len(views)),
        use_container_width=True,
    )
    st.caption(t("present.count", lang, n=index + 1, total=len(views)))
    st.toggle(t("present.sidebar", lang), key=CHROME_KEY, help=presenter_help(lang))
    # Under the buttons, not under the map: its progress and download stay in view.
    export_panel(
        pack,
        view,
        lang,
        key=f"export.present.{pack.id}",
        source=source,
        source_fingerprint=source_fingerprint,
    )
components.html(KEYS_JS, height=0)

years = pack_years(pack)
year = view.year if view.year in years else (years[-1] if years else None)
try:
    found = view_overlay(pack, source, source_fingerprint, view.scenario, view.target)
except (ov.OverlayError, sc.ScenarioError) as exc:
    st.warning(t("present.overlay_failed", lang, error=exc))
    found = None
replaced = found.replaces if found is not None else ()  # one coverage layer, as on the map
visible = [la.id for la in pack.layers if la.id in view.layers and la.id not in replaced]
settings = MapSettings(
    visible=visible,
    opacity={lid: view.opacity.get(lid, 1.0) for lid in visible},
    year=year,
    scheme=view.scheme,
    k=view.k,
)
prepared = {
    lid: prepared_layer(pack, fingerprint, lid, lang, year, view.scheme, view.k) for lid in visible
}
extra = []
if found is not None:
    extra.append(
        (
            target_layer_spec(pack, found.target_id, found.title),
            prepared_target(
                pack, fingerprint, found.target_id, found.values, lang, found.title, tiles=True
            ),
        )
    )
# Each step asks the map for the view's centre and zoom (else the whole district) once; the
# same step's reruns and remounts keep where the presenter has moved since (layers.viewport).
bounds = district_bounds_cached(pack, fingerprint)
shown_key = f"present.{pack.id}.shown"
if st.session_state.get(shown_key) != (index, view.id) or not pending_command(pack.id, SCOPE):
    st.session_state[shown_key] = (index, view.id)
    request_view(pack, view, scope=SCOPE, bounds=bounds)
with st.container(key="present-map"):
    draw_map(
        pack,
        lang,
        settings,
        prepared,
        height=PRESENT_HEIGHT,
        extra=extra,
        key=f"atlas-present-{pack.id}-{lang}",
        fit=bounds,
        memory=store_key(SCOPE, pack.id),
        command=pending_command(pack.id, SCOPE),
        basemap=view.basemap,
        tools=False,  # no measuring, coordinates or basemap switcher on a projected map
        legend_font_size=PRESENT_LEGEND_PX,
        emphasis=PRESENT_EMPHASIS,
        fingerprint=fingerprint,
        fill=True,  # the frame's height below the title, leaving the caveat line in view
        fill_gap=PRESENT_CAVEAT_PX,
    )
with st.container(key="present-caveat"):  # legible from the back of the room
    honesty_caption(pack.honesty, lang)
