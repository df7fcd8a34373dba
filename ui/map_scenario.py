"""The map page's scenario switch: show one plan target's coverage under any scenario.

By default ("Số liệu như trong gói" / "pack tables as shipped") the map shows only the pack's
own layers. Choosing a scenario switches the coverage layer to it: the communes coloured by
their value of a chosen target under that scenario (`layers.target_layer`), with its legend,
*instead of* the pack's measured choropleth(s) of the same indicator table, which would
otherwise lie under it with a second legend. The choices live under `map.<pack>.scenario` and
`map.<pack>.scenario_target`, so they survive page switches like the rest of the map panel.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from atlas import overlay as ov
from atlas import scenarios as sc
from atlas.i18n import t
from atlas.overlay import overlay_title
from atlas.spec import LayerSpec, Pack
from layers.features import PreparedLayer
from layers.target_layer import target_layer_spec
from ui.map_state import MapSettings, key
from ui.scenario_data import materialised, registry
from ui.targets_data import prepared_target
from ui.units import on_units
from ui.widgets import md

__all__ = [
    "ScenarioOverlay",
    "cached_figures",
    "overlay_title",
    "scenario_overlay",
    "view_overlay",
]

NO_SCENARIO = "none"


@dataclass(frozen=True)
class ScenarioOverlay:
    """The extra layer to draw: its spec (not in the manifest), its prepared features, and the
    pack's layers it stands in for (hidden while it is shown)."""

    spec: LayerSpec
    prepared: PreparedLayer
    replaces: tuple[str, ...] = ()

    def drawn_with(self, settings: MapSettings) -> MapSettings:
        """The map settings without the layers this overlay replaces (the panel keeps them
        switched on, so they come back when the scenario is set back to the pack's tables)."""
        visible = [layer_id for layer_id in settings.visible if layer_id not in self.replaces]
        return replace(settings, visible=visible)


def cached_figures(
    pack: Pack, source: Pack, source_fingerprint: str, reg: Mapping[str, sc.Scenario]
) -> Callable[[sc.Scenario], pd.DataFrame]:
    """A scenario's figures on `pack`'s units, through the caches of `ui.scenario_data` and
    `ui.units` (the figures argument of `atlas.overlay.resolve` / `ExportView.with_overlay`)."""

    def figures(scenario: sc.Scenario) -> pd.DataFrame:
        values = materialised(source, source_fingerprint, reg, scenario)
        return on_units(pack, source, source_fingerprint, values)

    return figures


def view_overlay(
    pack: Pack,
    source: Pack,
    source_fingerprint: str,
    scenario_id: str | None,
    target_id: str | None,
) -> ov.TargetOverlay | None:
    """The scenario overlay a saved view asks for (None without scenario), computed once per
    scenario version; raises `atlas.overlay.OverlayError` / `ScenarioError` like `resolve`."""
    if not scenario_id:
        return None
    reg = registry(source)
    figures = cached_figures(pack, source, source_fingerprint, reg)
    return ov.resolve(source, pack, scenario_id, target_id, reg, figures)


def scenario_overlay(
    pack: Pack,
    fingerprint: str,
    lang: str,
    source: Pack | None = None,
    source_fingerprint: str | None = None,
) -> ScenarioOverlay | None:
    """Scenario and target select boxes; the target layer of the chosen scenario, if any.

    Scenarios belong to `source` (the pack on its own communes); when `pack` shows the units
    after 2025 their figures are carried over to them.
    """
    if not pack.targets:
        return None
    source = source or pack
    source_fingerprint = source_fingerprint or fingerprint
    reg = registry(source)
    options = [NO_SCENARIO, *reg]
    scenario_key = key(pack.id, "scenario")
    # Defaults go into session state, not `index=`: app.py re-assigns `map.` keys across pages.
    if st.session_state.get(scenario_key) not in options:
        st.session_state[scenario_key] = NO_SCENARIO
    choice = st.selectbox(
        t("map.scenario", lang),
        options=options,
        format_func=lambda sid: (
            t("map.scenario.none", lang) if sid == NO_SCENARIO else sc.title(reg[sid], lang)
        ),
        key=scenario_key,
        help=t("map.scenario_help", lang),
    )
    if choice == NO_SCENARIO:
        return None
    targets = {tg.id: tg for tg in pack.targets}
    target_key = key(pack.id, "scenario_target")
    if st.session_state.get(target_key) not in targets:
        st.session_state[target_key] = next(iter(targets))
    target_id = st.selectbox(
        t("map.scenario_target", lang),
        options=list(targets),
        format_func=lambda tid: targets[tid].label.get(lang),
        key=target_key,
    )
    scenario = reg[choice]
    try:
        values = cached_figures(pack, source, source_fingerprint, reg)(scenario)
    except sc.ScenarioError as exc:
        st.error(t("targets.scenario_error", lang, name=sc.title(scenario, lang), error=exc))
        return None
    title = overlay_title(pack, target_id, scenario)
    prepared = prepared_target(pack, fingerprint, target_id, values, lang, title, tiles=True)
    replaces = ov.replaced_layers(pack, target_id)
    if replaces:
        names = ", ".join(f"“{pack.manifest.layer(i).title.get(lang)}”" for i in replaces)
        st.caption(t("map.scenario_replaces", lang, layers=md(names)))
    return ScenarioOverlay(target_layer_spec(pack, target_id, title), prepared, replaces)
