"""Kịch bản phủ sóng / Coverage scenarios: how far each scenario is from the plan's targets.

Arranges widgets only: pickers, save bar and KPI cards, the map and the managing panels
(`ui.scenario_view`, `ui.scenario_map`); edits, saves and store refusals are handled in
`ui.scenario_actions`, the working copy lives in session state (`ui.scenario_state`).
"""

from __future__ import annotations

import streamlit as st

from atlas import scenarios as sc
from atlas.i18n import t
from ui import scenario_state as ss
from ui.page import open_pack_page, pack_header
from ui.scenario_actions import apply_pending, mark_deleted, toggle_column, with_deleted, working
from ui.scenario_data import materialised, registry
from ui.scenario_map import draw_scenario_map
from ui.scenario_view import (
    csv_panel,
    describe_base,
    diff_table,
    edit_table,
    history,
    kpi_cards,
    manage_panel,
    problem_list,
    save_bar,
    scenario_picker,
    stale_panel,
    target_picker,
)
from ui.shell import just_arrived
from ui.targets_data import prepared_target
from ui.units import after_note, on_units
from ui.widgets import md

page = open_pack_page(units=True)
# Scenarios are edited on the pack's own communes; after 2025 they are shown carried over.
lang, pack, fingerprint, shown = page.lang, page.source, page.source_fingerprint, page.pack
pack_header(t("scen.title", lang), shown, lang)
if page.after_2025:
    after_note(shown, lang)
    st.info(t("units.scen_readonly", lang))
if not pack.targets:
    st.info(t("scen.no_targets", lang))
    st.stop()

stored = registry(pack)
# A scenario a colleague deleted stays reachable while this session has a draft of it.
reg, deleted = with_deleted(pack, stored)
pick_col, target_col = st.columns(2)
with pick_col:
    scenario_id = scenario_picker(pack, reg, lang, deleted)
with target_col:
    target_id = target_picker(pack, lang)
apply_pending(pack, reg, scenario_id, target_id)
scenario = working(pack, reg, scenario_id)
assert scenario is not None  # the picker only offers scenarios of the registry
is_deleted = scenario_id in deleted
if is_deleted:
    mark_deleted(pack, scenario_id)

# Messages and the save bar come and go; inside one container they never move what follows,
# so the map keeps its place in the page and the browser never reloads it.
with st.container():
    with st.container():  # however many messages there are, the save bar keeps its slot
        ss.show_flash(pack.id, lang, arrived=just_arrived())
    if scenario.description and not scenario.builtin:
        st.caption(md(scenario.description))
    save_bar(pack, scenario, lang, deleted=is_deleted)
    stale_panel(pack, reg, scenario, lang)
    try:
        base = sc.base_frame(pack, scenario, reg)
        frame = materialised(pack, fingerprint, reg, scenario)
    except sc.ScenarioError as exc:
        problem_list(exc.problems, lang, t("scen.broken", lang))
        st.stop()

base_text = describe_base(scenario, reg, lang)
# The map beside the KPI cards: both in view together on a 1366×768 laptop.
map_col, side_col = st.columns([3, 2], gap="medium")
if page.after_2025:
    frame_shown = on_units(shown, pack, fingerprint, frame)
    base_shown = on_units(shown, pack, fingerprint, base)
    with side_col:
        kpi_cards(shown, frame_shown, base_shown, scenario, base_text, lang, per_row=2)
    prepared = prepared_target(shown, page.fingerprint, target_id, frame_shown, lang, tiles=True)
    with map_col:
        draw_scenario_map(
            shown,
            lang,
            target_id,
            prepared,
            scenario_id,
            editable=False,
            fingerprint=page.fingerprint,
        )
    st.stop()
with side_col:
    kpi_cards(pack, frame, base, scenario, base_text, lang, per_row=2)

target = next(tg for tg in pack.targets if tg.id == target_id)
column = toggle_column(pack, target)
with map_col:
    # A large layer (a province, the nation) is drawn from tiles: it only shows, edits go
    # through the table; a district's communes stay features a click switches.
    prepared = prepared_target(pack, fingerprint, target_id, frame, lang, tiles=True)
    if scenario.builtin:
        st.caption(t("scen.map_hint_readonly", lang))
    elif prepared.tiled is not None:
        st.caption(t("scen.map_hint_large", lang))
    elif column is not None:
        field = sc.editable_fields(pack)[column].label.get(lang)
        st.caption(t("scen.map_hint_toggle", lang, field=field))
    else:
        st.caption(t("scen.map_hint_table", lang))
    draw_scenario_map(pack, lang, target_id, prepared, scenario_id, fingerprint=fingerprint)
with side_col:
    manage_panel(pack, stored, scenario, lang, opened=scenario.builtin, deleted=is_deleted)
    csv_panel(pack, reg, scenario, ss.get_draft(pack.id, scenario_id) is not None, lang)

st.subheader(t("scen.table", lang), anchor=False)
st.caption(t("scen.table_hint", lang))
edit_table(pack, scenario, frame, lang, target, base)
diff_table(pack, scenario, base, frame, lang)
history(pack, scenario, lang)
