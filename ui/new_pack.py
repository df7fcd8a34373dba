"""The Packs page form "Tạo gói cho một tỉnh / huyện": pick a province (either structure) and
optionally a pre-2025 district, and `atlas.newpack.create_pack` makes the pack.

The work runs in the button's callback, before the script, so that the sidebar drawn in the
same run already lists the new pack and can select it (as `ui.data_state.save_current` does).
Progress is a bar the callback draws; the outcome is kept in the session for the form to say.
"""

from __future__ import annotations

import functools

import streamlit as st

from atlas import gazetteer
from atlas.i18n import t
from atlas.newpack import NewPackError, districts_of
from atlas.pack_writes import new_pack
from atlas.roles import RoleError, can
from atlas.spec import Text
from ui.auth import accounts, signed_in
from ui.data import clear_pack_caches
from ui.sidebar import PACK_KEY, current_lang
from ui.widgets import md

PROVINCE_KEY = "newpack.province"
DISTRICT_KEY = "newpack.district"
OUTCOME_KEY = "newpack.outcome"  # ("done", pack id, n communes) or ("failed", vi, en)
NATION_OPTION = "nation"  # the whole country, after the provinces
_WHOLE = ""


@functools.lru_cache(maxsize=1)
def _provinces() -> dict[str, gazetteer.Unit]:
    """`structure:code` → province, the 34 after 1 July 2025 first (read once per process)."""
    return {f"{s}:{u.code}": u for s in ("post2025", "pre2025") for u in gazetteer.provinces(s)}


def province_options() -> list[str]:
    return [*_provinces(), NATION_OPTION]


def _province(option: str) -> gazetteer.Unit | None:
    return _provinces().get(option)


def _province_label(option: str, lang: str) -> str:
    if option == NATION_OPTION:
        return t("newpack.nation", lang)
    unit = _province(option)
    if unit is None:
        return option
    key = "newpack.after" if unit.structure == "post2025" else "newpack.before"
    return t(key, lang, name=unit.name)


def _create() -> None:
    """Button callback: make the pack with a progress bar, then select it in the sidebar."""
    state = st.session_state
    option = state.get(PROVINCE_KEY)
    unit = _province(option) if option else None
    nation = option == NATION_OPTION
    if unit is None and not nation:
        return
    district = state.get(DISTRICT_KEY) or None
    lang = current_lang()
    bar = st.progress(0.0)

    def progress(fraction: float, text: Text) -> None:
        bar.progress(min(1.0, max(0.0, fraction)), text=text.get(lang))

    try:
        by, books = signed_in(), accounts()
        if nation:
            result = new_pack(by=by, accounts=books, nation=True, progress=progress)
        else:
            result = new_pack(
                by=by,
                accounts=books,
                province=unit.code,
                district=district,
                structure=unit.structure,
                progress=progress,
            )
    except (NewPackError, RoleError) as exc:
        state[OUTCOME_KEY] = ("failed", exc.vi, exc.en)
        return
    except Exception as exc:  # never a traceback on the page; the pack was not swapped in
        state[OUTCOME_KEY] = ("failed", str(exc)[:300], str(exc)[:300])
        return
    finally:
        bar.empty()
    clear_pack_caches()
    state[OUTCOME_KEY] = ("done", result.pack_id, result.n_communes)
    state[PACK_KEY] = result.pack_id


def _outcome(lang: str) -> None:
    outcome = st.session_state.get(OUTCOME_KEY)
    if not outcome:
        return
    if outcome[0] == "done":
        st.success(t("newpack.done", lang, pack=md(outcome[1]), n=outcome[2]))
    else:
        reason = outcome[2] if lang == "en" else outcome[1]
        st.error(t("newpack.failed", lang, reason=md(reason)), icon=":material/error:")


def _create_button(lang: str) -> None:
    allowed = can(signed_in(), "import")
    st.button(
        t("newpack.create", lang), on_click=_create, key="newpack.create", disabled=not allowed
    )
    if not allowed:
        st.caption(f":material/badge: {t('auth.need_editor_import', lang)}")


def new_pack_form(lang: str) -> None:
    """The form in an expander; nothing without the gazetteer (it names no province)."""
    if not gazetteer.available():
        return
    with st.expander(t("newpack.title", lang), expanded=bool(st.session_state.get(OUTCOME_KEY))):
        st.caption(t("newpack.intro", lang))
        option = st.selectbox(
            t("newpack.province", lang),
            province_options(),
            format_func=lambda o: _province_label(o, lang),
            key=PROVINCE_KEY,
        )
        unit = _province(option) if option else None
        districts = districts_of(unit) if unit is not None else []
        if unit is None:  # the whole country: no district to pick
            st.session_state.pop(DISTRICT_KEY, None)
            _create_button(lang)
            _outcome(lang)
            return
        names = {d.code: f"{d.name} ({d.code})" for d in districts}
        if st.session_state.get(DISTRICT_KEY) not in (_WHOLE, None, *names):
            st.session_state.pop(DISTRICT_KEY)  # a district of the province picked before
        st.selectbox(
            t("newpack.district", lang),
            [_WHOLE, *names],
            format_func=lambda c: names.get(c, t("newpack.whole", lang)),
            key=DISTRICT_KEY,
        )
        _create_button(lang)
        _outcome(lang)
