"""Chỉ tiêu kế hoạch / Plan targets: every target of the plan, its progress and who is short.

For the figures chosen (the pack's measured data of a year, or a scenario) each target shows
the plan's own sentence, the district value against the target, a chart of the measured years
and the communes still short of it; the summary and the communes short can be downloaded as
CSV or XLSX. Arithmetic: `atlas.kpi`; tables: `atlas.reports`; drawing: `ui.targets_view`.
"""

from __future__ import annotations

import streamlit as st

from atlas import kpi
from atlas.i18n import t
from atlas.scenarios import ScenarioError
from ui.page import open_pack_page, pack_header
from ui.scenario_data import registry
from ui.targets_data import (
    MEASURED_SOURCE,
    Figures,
    measured_frames,
    scenario_figures,
    source_label,
    source_options,
)
from ui.targets_export import download_buttons
from ui.targets_view import target_block
from ui.units import after_note

page = open_pack_page(units=True)
lang, pack, fingerprint = page.lang, page.pack, page.fingerprint
pack_header(t("targets.title", lang), pack, lang)
if page.after_2025:
    after_note(pack, lang)
st.markdown(t("targets.intro", lang))
if not pack.targets:
    st.info(t("targets.none", lang))
    st.stop()

reg = registry(page.source)  # scenarios belong to the pack's own communes
measured = measured_frames(pack, fingerprint)
years = sorted(measured)
measured_label = t("targets.source.measured", lang)

pick_col, year_col, download_col = st.columns([3, 1, 3], gap="medium", vertical_alignment="bottom")
with pick_col:
    options = source_options(reg)
    source = st.selectbox(
        t("targets.source", lang),
        options=options,
        format_func=lambda option: source_label(option, reg, lang),
        key=f"targets.{pack.id}.source",
        help=t("targets.source_help", lang),
    )
scenario: Figures | None = None
if source != MEASURED_SOURCE and source in reg:
    try:
        scenario = scenario_figures(
            page.source, page.source_fingerprint, reg, reg[source], lang, shown=pack
        )
    except ScenarioError as exc:
        st.error(t("targets.scenario_error", lang, name=source_label(source, reg, lang), error=exc))
with year_col:
    if scenario is None:
        year = st.selectbox(
            t("targets.year", lang),
            options=years or [None],
            index=max(len(years) - 1, 0),
            format_func=lambda y: "—" if y is None else str(y),
            key=f"targets.{pack.id}.year",
            help=t("targets.year_help", lang),
        )
        frame = measured[year] if year in measured else kpi.measured_frame(pack, year)
        shown = Figures(frame, year, measured_label)
    else:
        st.selectbox(
            t("targets.year", lang),
            options=[scenario.year],
            format_func=lambda y: "—" if y is None else str(y),
            disabled=True,
            key=f"targets.{pack.id}.scenario_year",
            help=t("targets.year_help", lang),
        )
        shown = scenario
with download_col:
    download_buttons(pack, measured, shown, lang, measured_label, scenario)

names = kpi.commune_names(pack)
for spec in pack.targets:
    target_block(pack, spec, shown, measured, names, lang, scenario)
