"""Scenario access shared by the scenarios, compare, targets and map pages.

One `Store` per database URL for the whole server (`st.cache_resource`); scenario lists are
read fresh on each run (they change as colleagues save), while a scenario's materialised
figures are cached by pack content, scenario id and version, so an unchanged scenario is
never recomputed.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas import scenarios as sc
from atlas.i18n import t
from atlas.settings import settings
from atlas.spec import Pack
from atlas.store import DatabaseUnavailable, Store, database_location, default_url, open_store


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return open_store(url)  # a refusal is not cached: the next run tries again


def store() -> Store:
    """The scenario store of this deployment (ATLAS_DB_URL / ATLAS_DB), opened once; while it
    cannot be used, an empty stand-in that refuses writes with the reason (`database_notice`
    shows it on every page)."""
    try:
        return _store(default_url())
    except DatabaseUnavailable as exc:
        return _stand_in(exc.where, exc.kind, exc.detail)


@st.cache_resource(show_spinner=False, max_entries=4)
def _stand_in(where: str, kind: str, detail: str) -> Store:
    """One read-only stand-in per problem (a page asks for the store many times a run)."""
    return Store.stand_in(DatabaseUnavailable(where, kind, detail))


def database_notice(lang: str) -> None:
    """On every page: a setting that could not be used (`atlas.settings`), and why nothing
    can be saved when the database cannot be used; once per session, where a new database
    file was just created."""
    for vi, en in settings().problems:
        st.warning(en if lang == "en" else vi, icon=":material/settings_alert:")
    opened = store()
    if opened.read_only is not None:
        st.error(opened.read_only.message(lang), icon=":material/database_off:")
    elif opened.new_database and not st.session_state.get("atlas.db_new_said"):
        st.session_state["atlas.db_new_said"] = True
        where = database_location(opened.engine)
        st.toast(t("db.created", lang, where=where), icon=":material/database:")


def registry(pack: Pack) -> dict[str, sc.Scenario]:
    """Built-in and saved scenarios of the pack, by id (built-ins first)."""
    return sc.registry(pack, store().list_scenarios(pack.id))


@st.cache_data(show_spinner=False, max_entries=256)
def _materialised(
    _pack: Pack, _reg: dict, fingerprint: str, scenario_id: str, version: int, chain: str
) -> pd.DataFrame:
    del fingerprint, version, chain
    return sc.materialise(_pack, _reg[scenario_id], _reg)


def materialised(
    pack: Pack, fingerprint: str, reg: dict[str, sc.Scenario], scenario: sc.Scenario
) -> pd.DataFrame:
    """The scenario's per-commune figures; recomputed only when it or its bases change.

    An unsaved scenario (edited in this session, not in `reg` as such) is computed directly.
    """
    if reg.get(scenario.id) is not scenario:
        return sc.materialise(pack, scenario, {**reg, scenario.id: scenario})
    chain, seen, base = [], set(), scenario.base
    while base in reg and base not in seen:  # versions of the scenarios it derives from
        seen.add(base)
        chain.append(f"{base}@{reg[base].version}")
        base = reg[base].base
    return _materialised(pack, reg, fingerprint, scenario.id, scenario.version, ",".join(chain))
