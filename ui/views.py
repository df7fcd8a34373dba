"""Saved views on the map page: save the current view, list, apply, rename, reorder, delete.

A view's state lives in the same `map.<pack>.…` session keys as the panel's widgets, so
applying a view (in a button callback, i.e. before the widgets are drawn) sets those keys and
the panel and map follow. The map's centre and zoom are not read back from the browser (asking
streamlit-folium for them would rerun the script on every pan); a view keeps the centre and
zoom the map was last *sent* to (`map.<pack>.center` / `.zoom`: from a URL or an applied view),
else the pack's default.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from atlas import views as vw
from atlas.i18n import t
from atlas.spec import Pack
from ui.map_scenario import NO_SCENARIO
from ui.map_state import SCHEME_DEFAULT, MapSettings, key
from ui.scenario_data import store
from ui.units import UNITS_KEY


def center_key(pack_id: str) -> str:
    return key(pack_id, "center")


def zoom_key(pack_id: str) -> str:
    return key(pack_id, "zoom")


def apply_view(pack: Pack, view: vw.View, set_layers: bool = True) -> None:
    """Set the map's session keys to `view` (call before the panel's widgets are drawn)."""
    ss = st.session_state
    known = [la.id for la in pack.layers]
    if set_layers:
        for lid in known:
            ss[key(pack.id, "on", lid)] = lid in view.layers
    for lid, opacity in view.opacity.items():
        if lid in known:
            ss[key(pack.id, "opacity", lid)] = int(round(opacity * 100 / 10) * 10)
    if view.year is not None:
        ss[key(pack.id, "year")] = view.year
    ss[key(pack.id, "scheme")] = view.scheme or SCHEME_DEFAULT
    if view.k is not None:
        ss[key(pack.id, "k")] = view.k
    ss[key(pack.id, "scenario")] = view.scenario or NO_SCENARIO
    if view.target:
        ss[key(pack.id, "scenario_target")] = view.target
    ss["map.tile_url"] = view.basemap or ""
    ss[center_key(pack.id)] = view.center
    ss[zoom_key(pack.id)] = view.zoom
    if ss.get(UNITS_KEY, view.units) != view.units:  # only from a button (before the radio)
        ss[UNITS_KEY] = view.units


def current_view(pack: Pack, settings: MapSettings, year: int | None, k: int | None) -> vw.View:
    """The map as the panel shows it now (no title yet)."""
    ss = st.session_state
    scheme = ss.get(key(pack.id, "scheme"))
    scenario = ss.get(key(pack.id, "scenario"))
    return vw.View(
        pack_id=pack.id,
        layers=tuple(settings.visible),
        opacity=dict(settings.opacity),
        year=year,
        scheme=None if scheme in (None, SCHEME_DEFAULT) else scheme,
        k=k,
        scenario=None if scenario in (None, NO_SCENARIO) else scenario,
        target=None if scenario in (None, NO_SCENARIO) else ss.get(key(pack.id, "scenario_target")),
        basemap=ss.get("map.tile_url") or None,
        center=ss.get(center_key(pack.id)) or pack.meta.default_center,
        zoom=ss.get(zoom_key(pack.id)) or pack.meta.default_zoom,
        units=pack.meta.admin_structure if pack.meta.admin_structure in vw.UNITS else vw.UNITS[0],
    )


def _save(pack: Pack, view: vw.View, lang: str) -> None:
    ss = st.session_state
    title = str(ss.get(f"views.{pack.id}.title") or "").strip()
    if not title:
        ss[f"views.{pack.id}.msg"] = ("warning", t("views.title_needed", lang))
        return
    caption = str(ss.get(f"views.{pack.id}.caption") or "").strip()
    store().save_view(replace(view, title=title, caption=caption))
    ss[f"views.{pack.id}.title"] = ""
    ss[f"views.{pack.id}.caption"] = ""
    ss[f"views.{pack.id}.msg"] = ("success", t("views.saved", lang, title=title))


def _rename(view: vw.View) -> None:
    title = str(st.session_state.get(f"views.{view.pack_id}.rename.{view.id}") or "").strip()
    if title:
        store().rename_view(view.id, title)


def views_panel(pack: Pack, lang: str, view: vw.View) -> None:
    """The "Góc nhìn" expander: save the current view; the saved views with their actions."""
    with st.expander(t("views.header", lang), expanded=False):
        st.text_input(t("views.title", lang), key=f"views.{pack.id}.title")
        st.text_input(t("views.caption", lang), key=f"views.{pack.id}.caption")
        st.button(
            t("views.save", lang),
            icon=":material/bookmark_add:",
            key=f"views.{pack.id}.save",
            on_click=_save,
            args=(pack, view, lang),
        )
        msg = st.session_state.pop(f"views.{pack.id}.msg", None)
        if msg:
            getattr(st, msg[0])(msg[1])
        for item in vw.pack_views(pack.path, pack.id, lang):  # shipped with the pack: apply only
            st.button(
                item.title,
                icon=":material/visibility:",
                help=t("views.apply", lang),
                key=f"views.apply.{item.id}",
                on_click=apply_view,
                args=(pack, item),
            )
        saved = store().list_views(pack.id)
        if not saved:
            st.caption(t("views.none", lang))
        for item in saved:
            st.markdown(f"**{item.title}**" + (f" — {item.caption}" if item.caption else ""))
            cols = st.columns(5)
            cols[0].button(
                "",
                icon=":material/visibility:",
                help=t("views.apply", lang),
                key=f"views.apply.{item.id}",
                on_click=apply_view,
                args=(pack, item),
            )
            cols[1].button(
                "",
                icon=":material/arrow_upward:",
                help=t("views.up", lang),
                key=f"views.up.{item.id}",
                on_click=store().move_view,
                args=(item.id, -1),
            )
            cols[2].button(
                "",
                icon=":material/arrow_downward:",
                help=t("views.down", lang),
                key=f"views.down.{item.id}",
                on_click=store().move_view,
                args=(item.id, 1),
            )
            with cols[3].popover("", icon=":material/edit:", help=t("views.rename", lang)):
                st.text_input(
                    t("views.title", lang),
                    value=item.title,
                    key=f"views.{pack.id}.rename.{item.id}",
                )
                st.button(
                    t("views.rename", lang),
                    key=f"views.rename.{item.id}",
                    on_click=_rename,
                    args=(item,),
                )
            cols[4].button(
                "",
                icon=":material/delete:",
                help=t("views.delete", lang),
                key=f"views.delete.{item.id}",
                on_click=store().delete_view,
                args=(item.id,),
            )
