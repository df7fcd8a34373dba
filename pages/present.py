"""Trình chiếu / Present: the pack's views one after another, for a meeting room screen.

Full-width map with its legend, a large title block (view title, caption, district), no panel.
Previous / Next buttons step through the views (the pack's shipped `views.toml` first, then the
saved ones, in their order); the left and right arrow keys click those buttons through a small
local script (Streamlit has no key events). Nothing is fetched from the internet.
"""

from __future__ import annotations

import html

import streamlit as st
import streamlit.components.v1 as components

from atlas import scenarios as sc
from atlas import views as vw
from atlas.i18n import t
from layers.target_layer import target_layer_spec
from ui.export_panel import export_panel
from ui.map_data import prepared_layer
from ui.map_panel import pack_years
from ui.map_scenario import overlay_title
from ui.map_state import MapSettings
from ui.map_view import draw_map
from ui.page import open_pack_page
from ui.scenario_data import materialised, registry, store
from ui.targets_data import prepared_target
from ui.units import on_units, pack_on
from ui.viewport import district_bounds_cached, pending_command, request_view, store_key
from ui.widgets import honesty_caption

PRESENT_HEIGHT = 760  # about 80 % of a 1080-pixel screen's height
PRESENT_LEGEND_PX = 17  # the on-map legend's text; the page's CSS cannot reach into the map
SCOPE = "present"  # this page's map remembers its viewport apart from the map page's

# Arrow keys click the Previous / Next buttons. The handler is replaced, not added twice, when
# this snippet's iframe is created again (a handler from a removed iframe would no longer run).
KEYS_JS = """<script>
const doc = window.parent.document;
if (doc.__atlasPresentKeys) doc.removeEventListener("keydown", doc.__atlasPresentKeys);
doc.__atlasPresentKeys = (e) => {
  const tag = (e.target && e.target.tagName) || "";
  if (["INPUT", "TEXTAREA", "SELECT"].includes(tag)) return;
  const name = e.key === "ArrowRight" ? "next" : e.key === "ArrowLeft" ? "prev" : null;
  const button = name && doc.querySelector(".st-key-present-" + name + " button");
  if (button && !button.disabled) { e.preventDefault(); button.click(); }
};
doc.addEventListener("keydown", doc.__atlasPresentKeys);
</script>"""

CSS = """<style>
.st-key-present-title h1 { font-size: 2.8rem; line-height: 1.15; padding-bottom: 0.2rem; }
.st-key-present-title .atlas-present-caption { font-size: 1.5rem; margin: 0 0 0.2rem 0; }
.st-key-present-title .atlas-present-district { font-size: 1.15rem; opacity: 0.75; }
.st-key-present-nav button { font-size: 1.2rem; }
.st-key-present-map .atlas-legend, .st-key-present-map .leaflet-control { font-size: 1rem; }
</style>"""


def index_key(pack_id: str) -> str:
    return f"present.{pack_id}.index"


def _step(pack_id: str, step: int, total: int) -> None:
    key = index_key(pack_id)
    st.session_state[key] = max(0, min(total - 1, st.session_state.get(key, 0) + step))


page = open_pack_page()
lang, pack, fingerprint = page.lang, page.pack, page.fingerprint
st.markdown(CSS, unsafe_allow_html=True)

views = vw.pack_views(pack.path, pack.id, lang) + store().list_views(pack.id)
if not views:
    st.title(pack.meta.name.get(lang), anchor=False)
    st.info(t("present.no_views", lang))
    st.stop()
index = max(0, min(len(views) - 1, st.session_state.get(index_key(pack.id), 0)))
st.session_state[index_key(pack.id)] = index
view = views[index]
source, source_fingerprint = pack, fingerprint  # scenarios are computed on the pack's communes
pack, fingerprint = pack_on(pack, fingerprint, view.units)

title_col, nav_col = st.columns([4, 1], vertical_alignment="bottom")
with title_col.container(key="present-title"):
    st.title(view.title or pack.meta.name.get(lang), anchor=False)
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
components.html(KEYS_JS, height=0)

years = pack_years(pack)
year = view.year if view.year in years else (years[-1] if years else None)
known = [la.id for la in pack.layers]
visible = [lid for lid in known if lid in view.layers]
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
reg = registry(source) if view.scenario and pack.targets else {}
target = view.target or (pack.targets[0].id if pack.targets else None)
if view.scenario in reg and target in {tg.id for tg in pack.targets}:
    scenario = reg[view.scenario]
    try:
        values = materialised(source, source_fingerprint, reg, scenario)
        values = on_units(pack, source, source_fingerprint, values)
        title = overlay_title(pack, target, scenario)
        extra.append(
            (
                target_layer_spec(pack, target, title),
                prepared_target(pack, fingerprint, target, values, lang, title),
            )
        )
    except sc.ScenarioError as exc:
        st.error(t("targets.scenario_error", lang, name=sc.title(scenario, lang), error=exc))
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
        tile_url=view.tile_url,
        tools=False,  # no measuring, coordinates or basemap switcher on a projected map
        legend_font_size=PRESENT_LEGEND_PX,
    )
honesty_caption(pack.honesty, lang)
st.caption(t("present.keys", lang))
export_panel(pack, view, lang, key=f"export.present.{pack.id}")
