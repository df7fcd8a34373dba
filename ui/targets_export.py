"""The targets page's downloads: a CSV of the communes short, an XLSX with the summary too.

The frames are built by `atlas.reports` (pure); this module only names the files and sheets
in the UI language and draws the two download buttons.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas import reports
from atlas.i18n import t
from atlas.spec import Pack
from ui.targets_data import Figures

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_frames(
    pack: Pack,
    measured: dict[int, pd.DataFrame],
    shown: Figures,
    lang: str,
    measured_label: str,
    scenario: Figures | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(summary, communes short), headers in `lang`.

    The summary has every target for every measured year, then for the scenario if one is
    chosen; the communes short are those of the figures shown on the page.
    """
    summary = reports.targets_summary(pack, measured, lang, source=measured_label)
    if scenario is not None and scenario.year is not None:
        extra = reports.targets_summary(
            pack, {scenario.year: scenario.frame}, lang, source=scenario.label
        )
        summary = pd.concat([summary, extra], ignore_index=True)
    short = reports.communes_short(pack, shown.frame, shown.year, lang, source=shown.label)
    return reports.localise(summary, lang), reports.localise(short, lang)


def file_stem(pack: Pack, shown: Figures) -> str:
    year = shown.year if shown.year is not None else "all"
    return f"{pack.id}-targets-{year}"


def download_buttons(
    pack: Pack,
    measured: dict[int, pd.DataFrame],
    shown: Figures,
    lang: str,
    measured_label: str,
    scenario: Figures | None = None,
) -> None:
    summary, short = export_frames(pack, measured, shown, lang, measured_label, scenario)
    stem = file_stem(pack, shown)
    cols = st.columns(2, gap="small")
    with cols[0]:
        st.download_button(
            t("targets.download_csv", lang),
            data=reports.to_csv(short),
            file_name=f"{stem}-communes-short.csv",
            mime=CSV_MIME,
            key=f"targets.{pack.id}.csv",
            on_click="ignore",
            icon=":material/download:",
            help=t("targets.download_csv_help", lang),
        )
    with cols[1]:
        sheets = {
            t("targets.sheet.summary", lang): summary,
            t("targets.sheet.short", lang): short,
        }
        st.download_button(
            t("targets.download_xlsx", lang),
            data=reports.to_xlsx(sheets),
            file_name=f"{stem}.xlsx",
            mime=XLSX_MIME,
            key=f"targets.{pack.id}.xlsx",
            on_click="ignore",
            icon=":material/table_view:",
            help=t("targets.download_xlsx_help", lang),
        )
