"""Figures for the targets and compare pages: measured years and scenarios, cached.

"Measured" (the pack's tables as shipped, one frame per data year) is always there; scenarios
come from `ui.scenario_data` (built-ins and those saved by colleagues). The built-in scenarios
"measured <year>" duplicate a measured year, so the targets page, which has its own year
selector for measured data, leaves them out of its list.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from atlas import kpi
from atlas import scenarios as sc
from atlas.i18n import t
from atlas.spec import Pack, Text
from atlas.tiles import TileArchive
from layers.features import PreparedLayer
from layers.target_layer import target_layer
from layers.vector_tiles import still_served
from ui.map_data import tile_archive
from ui.scenario_data import materialised
from ui.units import on_units

MEASURED_SOURCE = "measured"


@st.cache_data(show_spinner=False, max_entries=16)
def _measured_frames(_pack: Pack, fingerprint: str, pack_id: str) -> dict[int, pd.DataFrame]:
    del fingerprint, pack_id
    return {year: kpi.measured_frame(_pack, year) for year in kpi.data_years(_pack)}


def measured_frames(pack: Pack, fingerprint: str) -> dict[int, pd.DataFrame]:
    """The measured commune frame of every data year, computed once per pack content."""
    return _measured_frames(pack, fingerprint, pack.id)


def source_options(reg: dict[str, sc.Scenario]) -> list[str]:
    """Measured data first, then every scenario that is not just a measured year."""
    return [MEASURED_SOURCE] + [
        sid for sid, s in reg.items() if not (s.builtin and s.base == sc.MEASURED)
    ]


def source_label(option: str, reg: dict[str, sc.Scenario], lang: str) -> str:
    if option == MEASURED_SOURCE:
        return t("targets.source.measured", lang)
    scenario = reg.get(option)
    return sc.title(scenario, lang) if scenario is not None else option


@dataclass(frozen=True)
class Figures:
    """One commune frame to evaluate, its year and how to name where it comes from."""

    frame: pd.DataFrame
    year: int | None
    label: str
    scenario: sc.Scenario | None = None


def scenario_figures(
    pack: Pack,
    fingerprint: str,
    reg: dict[str, sc.Scenario],
    scenario: sc.Scenario,
    lang: str,
    shown: Pack | None = None,
) -> Figures:
    """The scenario's materialised frame, on the units of `shown` (default: `pack`'s own);
    raises `ScenarioError` when it cannot be computed."""
    frame = materialised(pack, fingerprint, reg, scenario)
    if shown is not None:
        frame = on_units(shown, pack, fingerprint, frame)
    return Figures(frame, scenario.year, sc.title(scenario, lang), scenario)


@st.cache_data(show_spinner=False, max_entries=64)
def _target_layer(
    _pack: Pack,
    fingerprint: str,
    pack_id: str,
    target_id: str,
    values: pd.DataFrame,
    lang: str,
    title: tuple[str, str] | None,
    archive: TileArchive | None,
) -> PreparedLayer:
    del fingerprint, pack_id
    text = Text(*title) if title else None
    return target_layer(_pack, target_id, values, lang, text, archive=archive)


def prepared_target(
    pack: Pack,
    fingerprint: str,
    target_id: str,
    values: pd.DataFrame,
    lang: str,
    title: Text | None = None,
    tiles: bool = False,
) -> PreparedLayer:
    """`layers.target_layer.target_layer`, cached on the pack, target, figures, language and
    title (the figures are hashed by content, so an edited scenario gets a new layer).

    `tiles`: drawn from the communes' vector tiles when they are tiled on the map page (a map
    that only shows; the Scenarios page's map is clicked, so its communes stay features)."""
    key = (title.vi, title.en) if title is not None else None
    communes = pack.manifest.table(kpi.target(pack, target_id).table).join_layer
    archive = tile_archive(pack, fingerprint, communes) if tiles else None
    prepared = _target_layer(pack, fingerprint, pack.id, target_id, values, lang, key, archive)
    if prepared.tiled is not None and not still_served(prepared.tiled):
        _target_layer.clear()  # the tile folder was cleared: build and write again, once
        tile_archive.clear()
        archive = tile_archive(pack, fingerprint, communes)
        prepared = _target_layer(pack, fingerprint, pack.id, target_id, values, lang, key, archive)
    return prepared
