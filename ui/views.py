"""Saved views on the map page: save the current view, list, apply, rename, reorder, delete.

A view's state lives in the same `map.<pack>.…` session keys as the panel's widgets, so
applying a view (in a button callback, i.e. before the widgets are drawn) sets those keys and
the panel follows; its centre, zoom and basemap go to the map as a request (`ui.viewport`).

The map's viewport is not sent to the server as the user pans (that would rerun the script
on every move). Saving a view and "link to this view" ask the browser for it instead: the
click stores what to do under `views.<pack>.pending`, the next run renders the viewport
reader (`ui.viewport_reader`), whose answer triggers one more run that finishes the save or
the link with the real centre, zoom and basemap.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode, urlsplit

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from atlas import views as vw
from atlas.i18n import t
from atlas.roles import RoleError, can
from atlas.spec import Pack
from atlas.store import StoreError
from ui import viewport
from ui import viewport_reader as reader
from ui.auth import signed_in
from ui.map_scenario import NO_SCENARIO
from ui.map_state import SCHEME_DEFAULT, MapSettings, key
from ui.scenario_data import store
from ui.units import UNITS_KEY
from ui.widgets import md


def _k(pack_id: str, name: str) -> str:
    return f"views.{pack_id}.{name}"


def _write(pack_id: str, lang: str, change, *args) -> bool:
    """One store write as the signed-in account (the store checks the role); a refusal is
    said in the panel and changes nothing."""
    try:
        change(*args, by=signed_in())
    except (RoleError, StoreError) as exc:
        st.session_state[_k(pack_id, "msg")] = ("error", md(exc.message(lang)))
        return False
    except (SQLAlchemyError, OSError) as exc:
        st.session_state[_k(pack_id, "msg")] = (
            "error",
            t("scen.db_error", lang, error=md(str(exc)[:200])),
        )
        return False
    return True


def apply_view(pack: Pack, view: vw.View, set_layers: bool = True, move: bool = True) -> None:
    """Set the map's session keys to `view` (call before the panel's widgets are drawn).

    `move`: also ask the map for the view's centre, zoom (else the whole district) and
    basemap; a URL asks for only what it says instead (`ui.url_state`).
    """
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
    if move:
        viewport.request_view(pack, view)
    if ss.get(UNITS_KEY, view.units) != view.units:  # only from a button (before the radio)
        ss[UNITS_KEY] = view.units


def current_view(pack: Pack, settings: MapSettings, year: int | None, k: int | None) -> vw.View:
    """The map as the panel shows it now (no title yet); centre, zoom and basemap as far as
    the server knows them (`ui.viewport.known_viewport`)."""
    ss = st.session_state
    scheme = ss.get(key(pack.id, "scheme"))
    scenario = ss.get(key(pack.id, "scenario"))
    center, zoom, basemap = viewport.known_viewport(pack.id)
    return vw.View(
        pack_id=pack.id,
        layers=tuple(settings.visible),
        opacity=dict(settings.opacity),
        year=year,
        scheme=None if scheme in (None, SCHEME_DEFAULT) else scheme,
        k=k,
        scenario=None if scenario in (None, NO_SCENARIO) else scenario,
        target=None if scenario in (None, NO_SCENARIO) else ss.get(key(pack.id, "scenario_target")),
        basemap=basemap,
        center=center,
        zoom=zoom,
        units=pack.meta.admin_structure if pack.meta.admin_structure in vw.UNITS else vw.UNITS[0],
    )


def with_browser_viewport(pack_id: str, view: vw.View, answer: dict[str, Any] | None) -> vw.View:
    """`view` with the centre, zoom and basemap the browser reported (parts it did not
    report stay as they were); the server now knows them too."""
    center, zoom, basemap = reader.parse_viewport(answer)
    viewport.remember(pack_id, center, zoom, basemap)
    basemap = basemap or view.basemap
    return replace(
        view,
        center=center or view.center,
        zoom=view.zoom if zoom is None else zoom,
        basemap=basemap,
    )


# --- actions (button callbacks) ----------------------------------------------------------------


def _ask_save(pack: Pack, lang: str) -> None:
    """Save, step 1: check the title, then ask the browser for the viewport (next run)."""
    ss = st.session_state
    title = str(ss.get(_k(pack.id, "title")) or "").strip()
    if not title:
        ss[_k(pack.id, "msg")] = ("warning", t("views.title_needed", lang))
        return
    caption = str(ss.get(_k(pack.id, "caption")) or "").strip()
    ss[_k(pack.id, "pending")] = {
        "action": "save",
        "title": title,
        "caption": caption,
        "token": viewport.new_token("read"),
    }


def _ask_link(pack: Pack) -> None:
    st.session_state[_k(pack.id, "pending")] = {
        "action": "link",
        "token": viewport.new_token("read"),
    }


def _rename(view: vw.View, lang: str) -> None:
    ss = st.session_state
    title = str(ss.get(_k(view.pack_id, f"rename.{view.id}")) or "").strip()
    caption = str(ss.get(_k(view.pack_id, f"recaption.{view.id}")) or "").strip()
    if title:
        _write(view.pack_id, lang, store().rename_view, view.id, title, caption)


def _ask_delete(pack_id: str, view_id: str) -> None:
    st.session_state[_k(pack_id, "confirm_delete")] = view_id


def _cancel_delete(pack_id: str) -> None:
    st.session_state.pop(_k(pack_id, "confirm_delete"), None)


def _delete(pack_id: str, view: vw.View, lang: str) -> None:
    """Delete, step 2 (after the confirmation)."""
    _cancel_delete(pack_id)
    if not _write(pack_id, lang, store().delete_view, view.id):
        return
    st.session_state[_k(pack_id, "msg")] = (
        "success",
        t("views.deleted", lang, title=md(view.title)),
    )


# --- the pending read ---------------------------------------------------------------------------


def link_url(view: vw.View) -> str:
    """The app's address with `view` as its query (what the address bar will show)."""
    base = st.context.url or ""
    if base and not urlsplit(base).path:
        base += "/"
    return f"{base}?{urlencode(view.to_query())}"


def finish_pending(pack: Pack, lang: str, view: vw.View) -> vw.View:
    """Render the viewport reader while a save or link waits for it; finish when it answers.

    Returns `view` with the browser's viewport once read (the page writes it to the URL).
    The reader goes into a container that is always there, so the elements after it (the
    views expander) keep their place and stay open across the extra run.
    """
    ss = st.session_state
    slot = st.container()
    pending = ss.get(_k(pack.id, "pending"))
    if not pending:
        return view
    with slot:
        answer = reader.read_viewport(
            viewport.store_key("map", pack.id), key=f"viewport-read-{pending['token']}"
        )
        if answer is None:  # the browser has not answered yet: it will, with a rerun
            st.caption(t("views.reading", lang))
            return view
    del ss[_k(pack.id, "pending")]
    view = with_browser_viewport(pack.id, view, answer)
    if pending["action"] == "save":
        saved = replace(view, title=pending["title"], caption=pending["caption"])
        if _write(pack.id, lang, store().save_view, saved):
            ss[_k(pack.id, "title")] = ""
            ss[_k(pack.id, "caption")] = ""
            ss[_k(pack.id, "msg")] = ("success", t("views.saved", lang, title=md(saved.title)))
    else:
        ss[_k(pack.id, "link")] = link_url(view)
    return view


# --- the panel ----------------------------------------------------------------------------------


def views_panel(pack: Pack, lang: str, view: vw.View) -> vw.View:
    """The "Góc nhìn" expander: save the current view, link to it; the saved views with their
    actions. Returns the current view, with the browser's viewport when it was just read."""
    view = finish_pending(pack, lang, view)
    ss = st.session_state
    may_save = can(signed_in(), "save_view")
    with st.expander(t("views.header", lang), expanded=False):
        if not may_save:
            st.caption(f":material/badge: {t('views.need_editor', lang)}")
        st.text_input(t("views.title", lang), key=_k(pack.id, "title"))
        st.text_input(t("views.caption", lang), key=_k(pack.id, "caption"))
        row = st.container(horizontal=True)
        row.button(
            t("views.save", lang),
            icon=":material/bookmark_add:",
            key=_k(pack.id, "save"),
            on_click=_ask_save,
            args=(pack, lang),
            disabled=not may_save,
        )
        row.button(
            t("views.link", lang),
            icon=":material/link:",
            help=t("views.link_help", lang),
            key=_k(pack.id, "link_button"),
            on_click=_ask_link,
            args=(pack,),
        )
        msg = ss.pop(_k(pack.id, "msg"), None)
        if msg:
            getattr(st, msg[0])(msg[1])
        link = ss.get(_k(pack.id, "link"))
        if link:
            st.caption(t("views.link_ready", lang))
            st.code(link, language=None, wrap_lines=True)
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
            _saved_view_row(pack, item, lang, may_save)
    return view


def _saved_view_row(pack: Pack, item: vw.View, lang: str, may_save: bool) -> None:
    """Title and caption; apply, up, down, rename (title and caption), delete (two steps)."""
    st.markdown(f"**{md(item.title)}**" + (f" — {md(item.caption)}" if item.caption else ""))
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
        on_click=_write,
        args=(pack.id, lang, store().move_view, item.id, -1),
        disabled=not may_save,
    )
    cols[2].button(
        "",
        icon=":material/arrow_downward:",
        help=t("views.down", lang),
        key=f"views.down.{item.id}",
        on_click=_write,
        args=(pack.id, lang, store().move_view, item.id, 1),
        disabled=not may_save,
    )
    with cols[3].popover(
        "", icon=":material/edit:", help=t("views.rename", lang), disabled=not may_save
    ):
        st.text_input(
            t("views.title", lang), value=item.title, key=_k(pack.id, f"rename.{item.id}")
        )
        st.text_input(
            t("views.caption", lang), value=item.caption, key=_k(pack.id, f"recaption.{item.id}")
        )
        st.button(
            t("views.rename", lang),
            key=f"views.rename.{item.id}",
            on_click=_rename,
            args=(item, lang),
        )
    confirming = st.session_state.get(_k(pack.id, "confirm_delete")) == item.id
    cols[4].button(
        "",
        icon=":material/delete:",
        help=t("views.delete", lang),
        key=f"views.delete.{item.id}",
        disabled=confirming or not may_save,
        on_click=_ask_delete,
        args=(pack.id, item.id),
    )
    if not confirming:
        return
    st.warning(t("views.delete_confirm", lang, title=md(item.title)), icon=":material/warning:")
    row = st.container(horizontal=True)
    row.button(
        t("views.delete_yes", lang),
        type="primary",
        icon=":material/delete_forever:",
        key=f"views.delete_yes.{item.id}",
        on_click=_delete,
        args=(pack.id, item, lang),
    )
    row.button(
        t("views.cancel", lang),
        key=f"views.delete_no.{item.id}",
        on_click=_cancel_delete,
        args=(pack.id,),
    )
