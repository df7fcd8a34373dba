"""A view's scenario overlay: one plan target's value per commune under a scenario.

A saved view may name a scenario and a target (`atlas.views.View.scenario` / `.target`). The
map and Present pages then draw one more layer above the pack's areas, the communes coloured
by that target's value under the scenario, and every export of the view must carry the same
layer. This module is that layer's domain side, free of Streamlit and folium, so the pages
(through their cached wrappers), the exporters and the CLI resolve it the same way:

* `resolve` finds the scenario and target of a view and computes the figures (materialised
  scenario, carried over to the communes after 2025 when the view is shown on them);
* `target_frame` joins those figures onto the commune geometry (value, met / not met);
* `drawing_order` puts the overlay where the map draws it: above areas, below lines and points.

The folium/legend side (`layers.target_layer`) builds on `target_frame`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from atlas import after2025, kpi
from atlas import scenarios as sc
from atlas.spec import Pack, Text

VALUE = "_target_value"
MET = "_target_met"
OVERLAY = "\0overlay"  # where the overlay goes in `drawing_order` (never a layer id)


class OverlayError(ValueError):
    """The view names a scenario or target the pack does not have (any more)."""


@dataclass(frozen=True)
class TargetOverlay:
    """The resolved overlay: which target, under which scenario, the figures and a title.

    `values` is per commune of the pack the view is shown on (`code` + indicator columns).
    """

    target_id: str
    scenario_id: str
    scenario_title: Text
    title: Text
    values: pd.DataFrame = field(compare=False, repr=False)
    replaces: tuple[str, ...] = ()  # the pack's measured choropleths of the same table

    @property
    def layer_id(self) -> str:
        """The overlay's layer id, as `layers.target_layer.target_layer_spec` names it."""
        return f"target_{self.target_id}"


def replaced_layers(pack: Pack, target_id: str) -> tuple[str, ...]:
    """The pack's measured choropleths of the target's table: the overlay shows the same
    indicators under a scenario, so it replaces them (one coverage layer, one legend)."""
    table = next(tg.table for tg in pack.targets if tg.id == target_id)
    return tuple(la.id for la in pack.layers if la.kind == "choropleth" and la.table == table)


def overlay_title(pack: Pack, target_id: str, scenario: sc.Scenario) -> Text:
    """ "<target label> · <scenario title>" in both languages (legend and layer control)."""
    label = next(tg.label for tg in pack.targets if tg.id == target_id)
    return Text(
        f"{label.vi} · {sc.title(scenario, 'vi')}", f"{label.en} · {sc.title(scenario, 'en')}"
    )


def scenario_figures(source: Pack, shown: Pack, scenario: sc.Scenario, reg) -> pd.DataFrame:
    """The scenario's per-commune figures on `shown`'s communes (uncached: the pages wrap it).

    Scenarios are edited on `source` (the pack's own communes); a view shown on the communes
    after 2025 gets the figures carried over to them.
    """
    values = sc.materialise(source, scenario, reg)
    if shown is not source and shown.meta.admin_structure == after2025.AFTER:
        values = after2025.carry_commune_frame(source, values)
    return values


def resolve(
    source: Pack,
    shown: Pack,
    scenario_id: str | None,
    target_id: str | None,
    reg: Mapping[str, sc.Scenario],
    figures: Callable[[sc.Scenario], pd.DataFrame] | None = None,
) -> TargetOverlay | None:
    """The overlay a view asks for, or None when it names no scenario.

    `target_id` None means the pack's first target (as the map page's switch defaults).
    `figures(scenario)` gives the scenario's figures on `shown` (default `scenario_figures`;
    the pages pass their cached version). Raises OverlayError naming what is missing, and
    `atlas.scenarios.ScenarioError` when the scenario cannot be computed.
    """
    if not scenario_id:
        return None
    if not shown.targets:
        raise OverlayError(
            f"Góc nhìn có kịch bản {scenario_id!r} nhưng gói {shown.id!r} không có chỉ tiêu "
            f"/ the view names scenario {scenario_id!r} but pack {shown.id!r} has no targets"
        )
    if scenario_id not in reg:
        raise OverlayError(
            f"Không còn kịch bản {scenario_id!r} của góc nhìn trong gói {shown.id!r} (đã xoá?) "
            f"/ the view's scenario {scenario_id!r} is no longer in pack {shown.id!r} (deleted?)"
        )
    known = [tg.id for tg in shown.targets]
    target_id = target_id or known[0]
    if target_id not in known:
        raise OverlayError(
            f"Gói {shown.id!r} không có chỉ tiêu {target_id!r} / pack {shown.id!r} has no "
            f"target {target_id!r} (have: {', '.join(known)})"
        )
    scenario = reg[scenario_id]
    values = (
        figures(scenario) if figures is not None else scenario_figures(source, shown, scenario, reg)
    )
    return TargetOverlay(
        target_id=target_id,
        scenario_id=scenario.id,
        scenario_title=Text(sc.title(scenario, "vi"), sc.title(scenario, "en")),
        title=overlay_title(shown, target_id, scenario),
        values=values,
        replaces=replaced_layers(shown, target_id),
    )


def target_frame(pack: Pack, target_id: str, values: pd.DataFrame) -> gpd.GeoDataFrame:
    """The communes the target's table joins to, with `VALUE` (the commune's value on the
    target's scale, NA = no data) and `MET` ("yes" / "no" / None) from `values`."""
    tg = kpi.target(pack, target_id)
    communes_id = pack.manifest.table(tg.table).join_layer
    code_field = pack.manifest.layer(communes_id).code_field
    per_commune = kpi.commune_values(tg, values)
    by_code = dict(zip(values[kpi.CODE].astype(str), per_commune, strict=True))
    frame = pack.frames[communes_id].copy()
    codes = frame[code_field].astype(str)
    frame[VALUE] = pd.array([by_code.get(c, pd.NA) for c in codes], dtype="Float64")
    frame[MET] = [
        None if pd.isna(v) else ("yes" if kpi.is_met(float(v), tg.value) else "no")
        for v in frame[VALUE]
    ]
    return frame


def drawing_order(pack: Pack, layers: Iterable[str], overlay: TargetOverlay | None) -> list[str]:
    """Layer ids in drawing order with `OVERLAY` where the overlay goes: the overlay is an
    area, so it is drawn just before the first line or point layer (roads and works stay on
    top), as the map page draws it; last when the view has only areas. The layers the overlay
    replaces (`TargetOverlay.replaces`) are left out."""
    if overlay is None:
        return list(layers)
    order = [lid for lid in layers if lid not in overlay.replaces]
    for n, lid in enumerate(order):
        if pack.manifest.layer(lid).kind in ("line", "point"):
            return [*order[:n], OVERLAY, *order[n:]]
    return [*order, OVERLAY]
