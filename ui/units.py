"""The before / after 2025 switch: which administrative units the pack is shown on.

Drawn in the sidebar by the pages that can show both (map, scenarios, targets) and only for a
pack whose communes the 2025 crosswalk knows. The derived packs come from `atlas.after2025`,
built once per pack content and structure and shared by every session (they are read-only).
Its key starts with `map.` so app.py keeps the choice while another page is open.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas import after2025, kpi
from atlas.i18n import t
from atlas.spec import Pack

UNITS_KEY = "map.units"


@st.cache_resource(show_spinner=False, max_entries=16)
def supports_cached(_pack: Pack, fingerprint: str) -> bool:
    del fingerprint
    return after2025.supports(_pack)


@st.cache_resource(show_spinner=False, max_entries=16)
def derived_pack(_pack: Pack, fingerprint: str, structure: str) -> Pack:
    """The pack on `structure` (`pre2025` annotated with new names, or `post2025`)."""
    del fingerprint
    return after2025.for_structure(_pack, structure)


def pack_on(pack: Pack, fingerprint: str, structure: str) -> tuple[Pack, str]:
    """(pack, fingerprint) on `structure`: a saved view remembers the units it was made on."""
    if structure != after2025.AFTER or not supports_cached(pack, fingerprint):
        return pack, fingerprint
    return derived_pack(pack, fingerprint, structure), f"{fingerprint}:{structure}"


def current_structure() -> str:
    value = st.session_state.get(UNITS_KEY, after2025.BEFORE)
    return value if value in after2025.STRUCTURES else after2025.BEFORE


def units_switch(pack: Pack, fingerprint: str, lang: str) -> tuple[Pack, str, str]:
    """Sidebar radio Before / After 2025; returns (pack to show, its fingerprint, structure).

    A pack the crosswalk cannot convert is returned as it is, with no switch drawn.
    """
    if not supports_cached(pack, fingerprint):
        return pack, fingerprint, after2025.BEFORE
    if UNITS_KEY not in st.session_state:
        st.session_state[UNITS_KEY] = after2025.BEFORE
    structure = st.sidebar.radio(
        t("units.label", lang),
        options=after2025.STRUCTURES,
        format_func=lambda s: t(f"units.{s}", lang),
        key=UNITS_KEY,
        help=t("units.help", lang),
    )
    try:
        shown = derived_pack(pack, fingerprint, structure)
    except Exception as exc:  # noqa: BLE001 — a pack the conversion cannot handle stays usable
        st.sidebar.error(t("units.failed", lang, error=f"{type(exc).__name__}: {exc}"))
        return pack, fingerprint, after2025.BEFORE
    return shown, f"{fingerprint}:{structure}", structure


def after_note(pack: Pack, lang: str) -> None:
    """What the after-2025 view is, in one line under the title."""
    n = len(kpi.communes(pack))
    text = t("units.after_note", lang, n=n, province=pack.meta.province.get(lang))
    st.info(text, icon=":material/layers:")


@st.cache_data(show_spinner=False, max_entries=128)
def _carried(_source: Pack, source_fingerprint: str, frame: pd.DataFrame) -> pd.DataFrame:
    del source_fingerprint
    return after2025.carry_commune_frame(_source, frame)


def on_units(
    shown: Pack, source: Pack, source_fingerprint: str, frame: pd.DataFrame
) -> pd.DataFrame:
    """A commune frame of `source` (e.g. a scenario's figures) on the units `shown` is on."""
    if shown.meta.admin_structure != after2025.AFTER or source is shown:
        return frame
    return _carried(source, source_fingerprint, frame)
