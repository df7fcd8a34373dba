"""One plan target on the targets page: quote, district figure, progress chart, communes short.

The chart is Altair (Vega-Lite), which Streamlit bundles in its own frontend: it needs no
network. It shows the measured district value per data year, the target as a dashed line up
to the target year, and the chosen scenario (if any) as a separate point.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from atlas import kpi, reports
from atlas.formats import difference_unit
from atlas.i18n import t
from atlas.spec import Pack, TargetSpec
from layers.classify import format_number
from ui.targets_data import Figures
from ui.widgets import md, scope_label

CHART_HEIGHT = 260
MEASURED_COLOR = "#1f77b4"
TARGET_COLOR = "#d62728"
SCENARIO_COLOR = "#ff7f0e"


def fmt(value: float | None, unit: str = "", lang: str = "vi") -> str:
    """92.857 → "92,9 %" (vi) / "92.9 %" (en), 100.0 → "100 %", None → "—"."""
    if value is None or pd.isna(value):
        return "—"
    return f"{format_number(float(value), lang, 1)} {unit}".strip()


def signed(value: float, unit: str = "", lang: str = "vi") -> str:
    """A change as the rest of the page writes numbers; a change of a percentage is in points:
    "+71,4 điểm %" (vi), "-3.5 pp" (en), "±0 điểm %" for no change."""
    rounded = round(float(value), 1)
    sign = "+" if rounded > 0 else "-" if rounded < 0 else "±"
    return f"{sign}{fmt(abs(rounded), difference_unit(unit, lang), lang)}"


def progress_frame(
    spec: TargetSpec,
    measured: dict[int, pd.DataFrame],
    names: dict[str, str],
    lang: str,
    scenario: Figures | None = None,
) -> pd.DataFrame:
    """Rows year, value, series for the chart (measured years, then the scenario's point)."""
    rows = []
    measured_label = t("targets.series.measured", lang)
    for year, frame in sorted(measured.items()):
        value = kpi.evaluate(spec, frame, names, year).value
        rows.append({"year": year, "value": value, "series": measured_label})
    if scenario is not None and scenario.year is not None:
        value = kpi.evaluate(spec, scenario.frame, names, scenario.year).value
        rows.append({"year": scenario.year, "value": value, "series": scenario.label})
    out = pd.DataFrame(rows, columns=["year", "value", "series"])
    out["value"] = pd.to_numeric(out["value"], errors="coerce").round(2)
    return out


def progress_chart(
    spec: TargetSpec, progress: pd.DataFrame, lang: str, first_year: int
) -> alt.LayerChart:
    """Measured line, scenario point, and the target as a dashed rule up to its year."""
    year_title = t("targets.col.year", lang)
    value_title = f"{t('targets.col.value', lang)} ({spec.unit})" if spec.unit else None
    last_year = max([spec.year, *progress["year"].dropna().astype(int).tolist()])
    x_scale = alt.Scale(domain=[first_year, last_year], nice=False)
    values = [*progress["value"].dropna().tolist(), float(spec.value)]
    low = min(values)
    span = max(max(values) - low, 1.0)
    y_scale = alt.Scale(domain=[max(0.0, low - span * 0.15), max(values) + span * 0.05])
    x = alt.X("year:Q", title=year_title, scale=x_scale, axis=alt.Axis(format="d", tickMinStep=1))
    y = alt.Y("value:Q", title=value_title, scale=y_scale)
    series = list(dict.fromkeys(progress["series"]))
    colors = [MEASURED_COLOR, SCENARIO_COLOR][: len(series)]
    color = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=series, range=colors),
        legend=alt.Legend(orient="bottom"),
    )
    tooltip = [
        alt.Tooltip("series:N", title=t("targets.col.source", lang)),
        alt.Tooltip("year:Q", title=year_title, format="d"),
        alt.Tooltip("value:Q", title=t("targets.col.value", lang), format=",.1f"),
    ]
    measured_label = series[0] if series else ""
    base = alt.Chart(progress).encode(x=x, y=y, color=color, tooltip=tooltip)
    line = base.transform_filter(alt.datum.series == measured_label).mark_line(point=True)
    others = base.transform_filter(alt.datum.series != measured_label).mark_point(
        shape="diamond", size=160, filled=True
    )
    goal = pd.DataFrame(
        {
            "year": [first_year, spec.year],
            "value": [float(spec.value)] * 2,
            "label": [t("targets.series.target", lang)] * 2,
        }
    )
    goal_base = alt.Chart(goal).encode(
        x=alt.X("year:Q", scale=x_scale),
        y=alt.Y("value:Q", scale=y_scale),
        tooltip=[
            alt.Tooltip("label:N", title=t("targets.col.target", lang)),
            alt.Tooltip("value:Q", title=t("targets.col.value", lang), format=",.1f"),
            alt.Tooltip("year:Q", title=t("targets.col.target_year", lang), format="d"),
        ],
    )
    rule = goal_base.mark_line(color=TARGET_COLOR, strokeDash=[6, 4])
    end = goal_base.transform_filter(alt.datum.year == spec.year)
    end_point = end.mark_point(color=TARGET_COLOR, shape="triangle-up", size=90, filled=True)
    end_text = end.mark_text(color=TARGET_COLOR, align="right", dx=-8, dy=-9).encode(text="label:N")
    return alt.layer(rule, end_point, end_text, line, others).properties(height=CHART_HEIGHT)


def quote_kind_text(spec: TargetSpec, lang: str) -> str:
    """What the quote is: the plan's own words, or a summary and where it comes from."""
    if spec.is_summary and spec.quote_source is not None:
        return t("targets.summary", lang, source=md(spec.quote_source.get(lang)))
    return t("targets.quote", lang)


def target_block(
    pack: Pack,
    spec: TargetSpec,
    shown: Figures,
    measured: dict[int, pd.DataFrame],
    names: dict[str, str],
    lang: str,
    scenario: Figures | None,
) -> None:
    """Everything about one target, in a bordered box."""
    result = kpi.evaluate(spec, shown.frame, names, shown.year)
    with st.container(border=True, key=f"target-{spec.id}"):
        st.subheader(md(spec.label.get(lang)), anchor=False)
        st.markdown(f"> “{md(spec.quote)}”")
        st.caption(
            f"{quote_kind_text(spec, lang)} · "
            f"{t('targets.goal', lang, value=fmt(spec.value, spec.unit, lang), year=spec.year)}"
        )
        if spec.note is not None:  # the pack's word on reading the target today
            st.info(md(spec.note.get(lang)), icon=":material/info:")
        left, right = st.columns([1, 2], gap="medium")
        with left:
            year_text = shown.year if shown.year is not None else "—"
            note = None
            if result.value is None:
                delta, color = t("targets.no_data", lang), "off"
            elif result.met:
                delta, color = t("targets.met", lang), "normal"
            else:
                gap_unit = difference_unit(spec.unit, lang)  # a gap in points, not per cent
                delta, color = f"-{fmt(result.gap, gap_unit, lang)}", "normal"
                note = t("targets.short_by", lang)
            st.metric(
                t(
                    "targets.district",
                    lang,
                    scope=scope_label(pack, lang),
                    year=year_text,
                ),
                fmt(result.value, spec.unit, lang),
                delta=delta,
                delta_color=color,
                delta_description=note,
                help=shown.label,
            )
            _communes_short(pack, spec, result, shown, lang)
        with right:
            st.markdown(f"**{t('targets.progress', lang)}**")
            progress = progress_frame(spec, measured, names, lang, scenario)
            first = min([pack.meta.period_start, *measured]) if measured else spec.year
            st.altair_chart(progress_chart(spec, progress, lang, first), width="stretch")


def _communes_short(
    pack: Pack, spec: TargetSpec, result: kpi.KpiResult, shown: Figures, lang: str
) -> None:
    year = shown.year if shown.year is not None else "—"
    st.markdown(f"**{t('targets.short', lang, year=year, n=len(result.short))}**")
    if spec.aggregate == "sum":
        st.caption(t("targets.short_sum", lang))
    elif not result.short:
        st.caption(t("targets.short_none", lang))
    else:
        table = reports.communes_short(pack, shown.frame, shown.year, lang, target_id=spec.id)
        table = reports.localise(table[["code", "commune", "value"]], lang)
        value_col = t("targets.col.value", lang)
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={
                value_col: st.column_config.NumberColumn(
                    f"{value_col} ({spec.unit})" if spec.unit else value_col, format="%.1f"
                )
            },
        )
    if result.missing:
        shown_names = ", ".join(name for _, name in result.missing)
        st.caption(t("targets.missing", lang, n=len(result.missing), names=md(shown_names)))
