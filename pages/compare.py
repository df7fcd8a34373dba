"""So sánh kịch bản / Compare scenarios: two scenarios side by side.

Synchronised maps of one target's per-commune value under A and under B (`ui.compare_view`),
each target's district value under B with the difference B − A, and the table of the
(commune, field) cells whose figures differ (`atlas.reports`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas import kpi, reports
from atlas import scenarios as sc
from atlas.i18n import t
from ui.compare_view import draw_synced_maps, synced_maps
from ui.page import open_pack_page, pack_header
from ui.scenario_data import materialised, registry
from ui.targets_data import prepared_target
from ui.targets_view import fmt, signed
from ui.widgets import md, scope_label

METRICS_PER_ROW = 2

page = open_pack_page()
lang, pack, fingerprint = page.lang, page.pack, page.fingerprint
pack_header(t("compare.title", lang), pack, lang)
st.markdown(t("compare.intro", lang))
if not pack.targets:
    st.info(t("compare.none", lang))
    st.stop()

reg = registry(pack)
ids = list(reg)
years = kpi.data_years(pack)
default_a = sc.measured_id(years[0] if years else None)
default_b = next((s.id for s in reg.values() if s.builtin and s.base == sc.PLAN), ids[-1])
targets = {spec.id: spec for spec in pack.targets}
scope = scope_label(pack, lang)


def scenario_name(sid: str) -> str:
    return sc.title(reg[sid], lang) if sid in reg else sid


a_col, b_col, target_col = st.columns(3, gap="medium")
with a_col:
    a_id = st.selectbox(
        t("compare.a", lang),
        options=ids,
        index=ids.index(default_a) if default_a in ids else 0,
        format_func=scenario_name,
        key=f"compare.{pack.id}.a",
    )
with b_col:
    b_id = st.selectbox(
        t("compare.b", lang),
        options=ids,
        index=ids.index(default_b) if default_b in ids else len(ids) - 1,
        format_func=scenario_name,
        key=f"compare.{pack.id}.b",
    )
with target_col:
    target_id = st.selectbox(
        t("compare.target", lang),
        options=list(targets),
        format_func=lambda tid: targets[tid].label.get(lang),
        key=f"compare.{pack.id}.target",
    )
if a_id == b_id:
    st.warning(t("compare.same", lang), icon=":material/warning:")

frames = {}
for side, sid in (("A", a_id), ("B", b_id)):
    try:
        frames[side] = materialised(pack, fingerprint, reg, reg[sid])
    except sc.ScenarioError as exc:
        st.error(t("compare.error", lang, name=scenario_name(sid), error=exc))
if len(frames) < 2:
    st.stop()
frame_a, frame_b = frames["A"], frames["B"]
name_a, name_b = scenario_name(a_id), scenario_name(b_id)

# --- maps -------------------------------------------------------------------------------------
label_a, label_b = st.columns(2, gap="small")
label_a.markdown(f"**{t('compare.map_label', lang, side='A', name=md(name_a))}**")
label_b.markdown(f"**{t('compare.map_label', lang, side='B', name=md(name_b))}**")
layer_a = prepared_target(pack, fingerprint, target_id, frame_a, lang, tiles=True)
layer_b = prepared_target(pack, fingerprint, target_id, frame_b, lang, tiles=True)
draw_synced_maps(synced_maps(pack, target_id, layer_a, layer_b, lang), f"compare-map-{pack.id}")
st.caption(t("compare.sync_hint", lang))

# --- KPI deltas -------------------------------------------------------------------------------
st.subheader(t("compare.kpis", lang), anchor=False)
deltas = reports.kpi_deltas(pack, frame_a, frame_b, lang)
rows = deltas.to_dict("records")
for start in range(0, len(rows), METRICS_PER_ROW):
    cols = st.columns(METRICS_PER_ROW, gap="small")
    for col, row in zip(cols, rows[start : start + METRICS_PER_ROW], strict=False):
        spec = targets[row["target_id"]]
        delta = row["delta"]
        delta_text = None if pd.isna(delta) else signed(float(delta), spec.unit, lang)
        moved = delta_text is not None and not delta_text.startswith("±")
        goal = fmt(spec.value, spec.unit, lang)
        col.metric(
            row["target"],
            fmt(row["value_b"], spec.unit, lang),
            delta=delta_text,
            delta_color="normal" if moved else "off",
            delta_arrow="auto" if moved else "off",
            help=t("compare.kpi_help", lang, scope=scope, goal=f"{goal} ({spec.year})"),
            border=True,
            delta_description=t("compare.vs_a", lang, value=fmt(row["value_a"], spec.unit, lang)),
        )

# --- communes that differ ---------------------------------------------------------------------
diffs = reports.commune_differences(pack, frame_a, frame_b, lang)
n_communes = diffs["code"].nunique()
st.subheader(t("compare.diffs", lang, n=len(diffs), m=n_communes), anchor=False)
if diffs.empty:
    st.info(t("compare.no_diffs", lang))
else:
    shown = reports.localise(
        diffs[["code", "commune", "field", "value_a", "value_b"]],
        lang,
        labels={"value_a": f"A · {name_a}", "value_b": f"B · {name_b}"},
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    st.download_button(
        t("compare.download_csv", lang),
        data=reports.to_csv(shown),
        file_name=f"{pack.id}-compare-{a_id}-{b_id}.csv",
        mime="text/csv",
        key=f"compare.{pack.id}.csv",
        on_click="ignore",
        icon=":material/download:",
    )
