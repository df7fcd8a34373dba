"""The layer panel: toggles and opacity per layer, grouped as the manifest says; year; scheme.

Only widgets. Which layers exist, their groups, titles, years and legends all come from the
pack and from `layers`; nothing here knows a particular district.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import streamlit as st

from atlas import joins
from atlas.formats import number_text
from atlas.i18n import t
from atlas.spec import SCHEMES, Pack
from layers.basemap import custom_tile_url
from layers.legend import LegendEntry, swatch_svg
from ui.map_state import SCHEME_DEFAULT, MapSettings, key
from ui.widgets import label_md, layer_honesty_caption


def pack_years(pack: Pack) -> list[int]:
    """Every year any layer's table has: the options of the year slider."""
    found: set[int] = set()
    for layer in pack.layers:
        found.update(joins.layer_years(pack, layer.id))
    return sorted(found)


def _has_graduated(pack: Pack) -> bool:
    return any(la.style.type == "graduated" for la in pack.layers)


def time_and_scheme(pack: Pack, lang: str) -> tuple[int | None, str | None, int | None]:
    """Year slider (when a table varies by year) and class scheme for graduated layers."""
    year = None
    years = pack_years(pack)
    if len(years) == 1:
        year = years[0]
        st.caption(f"{t('map.year', lang)}: {year}")
    elif years:
        year_key = key(pack.id, "year")
        pending = st.session_state.pop(key(pack.id, "year_next"), None)
        if pending in years:  # the player's step, set before the slider exists
            st.session_state[year_key] = pending
        if st.session_state.get(year_key) not in years:
            st.session_state[year_key] = years[-1]
        slider_col, play_col = st.columns([5, 1], vertical_alignment="bottom")
        year = slider_col.select_slider(
            t("map.year", lang),
            options=years,
            key=year_key,
            help=t("map.year_help", lang),
        )
        with play_col:
            year_player(pack.id, years, year, lang)
    scheme, k = _scheme(pack, lang)
    return year, scheme, k


PLAY_SECONDS = 2.0  # long enough for a district's or a province's map to draw a year


def next_year(years: list[int], current: int | None, starting: bool) -> int | None:
    """The player's next year: from the first when it starts at the last year (or off the
    list), else the one after `current`; None past the last (the player stops)."""
    if current not in years or (starting and current == years[-1]):
        return years[0]
    i = years.index(current)
    return years[i + 1] if i + 1 < len(years) else None


def year_player(pack_id: str, years: list[int], year: int | None, lang: str) -> None:
    """▶ steps the year slider through the years, one every PLAY_SECONDS, and stops at the
    last; ⏸ stops it. The step is a fragment on a timer that asks for a whole rerun (the map
    and the panel change with the year)."""
    play_key = f"player.{pack_id}"  # not under "map.": app.py re-sets those, buttons refuse
    playing = bool(st.session_state.get(play_key))

    def toggle() -> None:
        st.session_state[play_key] = not playing
        if not playing:  # starting: show the first year at once when at the last
            st.session_state[key(pack_id, "year_next")] = next_year(years, year, True)

    st.button(
        "",
        icon=":material/pause:" if playing else ":material/play_arrow:",
        key=f"{play_key}.button",
        help=(t("map.pause", lang) if playing else t("map.play", lang))
        + " · "
        + t("map.play_help", lang, seconds=number_text(PLAY_SECONDS, lang)),
        on_click=toggle,
        use_container_width=True,
    )
    if playing:
        _player_tick(pack_id, years, year)


@st.fragment(run_every=PLAY_SECONDS)
def _player_tick(pack_id: str, years: list[int], year: int | None) -> None:
    """On the timer (not on the page's own run): the next year, or stop after the last."""
    if st.session_state.get(f"player.{pack_id}.tick") is None:
        st.session_state[f"player.{pack_id}.tick"] = True
        return  # the page's own run draws the fragment: wait for the first tick
    following = next_year(years, year, False)
    if following is None:
        st.session_state[f"player.{pack_id}"] = False
    else:
        st.session_state[key(pack_id, "year_next")] = following
    st.session_state.pop(f"player.{pack_id}.tick", None)
    st.rerun(scope="app")


def _scheme(pack: Pack, lang: str) -> tuple[str | None, int | None]:
    """Class scheme select (and number of classes for data-driven schemes)."""
    if not _has_graduated(pack):
        return None, None
    options = [SCHEME_DEFAULT, *SCHEMES]
    choice = st.selectbox(
        t("map.scheme", lang),
        options=options,
        format_func=lambda s: t(f"map.scheme.{s}", lang),
        key=key(pack.id, "scheme"),
    )
    k = None
    if choice not in (SCHEME_DEFAULT, "thresholds"):
        st.session_state.setdefault(key(pack.id, "k"), 5)
        k = st.slider(t("map.classes", lang), 3, 7, key=key(pack.id, "k"))
    return (None if choice == SCHEME_DEFAULT else choice), k


def legend_markdown(entries: tuple[LegendEntry, ...] | list[LegendEntry]) -> str:
    """The layer's swatches in one row under its toggle, each class named on hover: the
    map's own legend lists the classes, so the panel does not say them twice. Labels are
    escaped (they can come from pack data)."""
    cells = [
        f'<span class="atlas-legend-row" title="{html.escape(e.label, quote=True)}">'
        f"{swatch_svg(e)}</span>"
        for e in entries
    ]
    return (
        '<div class="atlas-legend" style="display:flex;flex-wrap:wrap;gap:3px;'
        'margin:0 0 0.25rem 2.6rem">' + "".join(cells) + "</div>"
    )


def layer_panel(
    pack: Pack, lang: str, legend_of: Callable[[str], tuple[LegendEntry, ...]]
) -> MapSettings:
    """One expander per group; per layer a toggle, and when on an opacity slider and legend.

    `legend_of(layer_id)` is asked only for the layers that are on, so a layer that is not
    drawn is never prepared.
    """
    settings = MapSettings()
    st.session_state.setdefault(key(pack.id, "labels"), True)
    settings.labels = st.toggle(
        t("map.labels", lang), key=key(pack.id, "labels"), help=t("map.labels_help", lang)
    )
    for group in pack.groups:
        members = [la for la in pack.layers if la.group == group.id]
        if not members:
            continue
        with st.expander(label_md(group.title.get(lang)), expanded=True):
            for layer in members:
                # Defaults go into session state, not `value=`: app.py re-assigns these keys to
                # keep them across pages, and a widget may not have both.
                st.session_state.setdefault(key(pack.id, "on", layer.id), layer.visible)
                st.session_state.setdefault(key(pack.id, "opacity", layer.id), 100)
                on = st.toggle(label_md(layer.title.get(lang)), key=key(pack.id, "on", layer.id))
                if not on:
                    continue
                legend_col, opacity_col = st.columns([5, 1], vertical_alignment="top")
                with opacity_col.popover(
                    "", icon=":material/opacity:", help=t("map.opacity", lang)
                ):
                    opacity = st.slider(
                        t("map.opacity", lang),
                        min_value=0,
                        max_value=100,
                        step=10,
                        format="%d%%",
                        key=key(pack.id, "opacity", layer.id),
                    )
                settings.opacity[layer.id] = opacity / 100
                entries = legend_of(layer.id)
                if entries:
                    legend_col.markdown(legend_markdown(entries), unsafe_allow_html=True)
                with legend_col:
                    layer_honesty_caption(layer, lang)
    # Drawing order is the manifest's, whatever order the groups are shown in.
    settings.visible = [la.id for la in pack.layers if la.id in settings.opacity]
    return settings


def basemap_settings(lang: str) -> None:
    """What the basemaps are, and the intranet tile server the administrator set: a tile
    server is never typed here (a URL a user gives is not fetched; `ATLAS_TILE_URL`)."""
    with st.expander(t("map.basemap", lang), expanded=False):
        st.caption(t("map.basemap_hint", lang))
        configured = custom_tile_url() is not None
        st.caption(t("map.tile_server_set" if configured else "map.tile_server_unset", lang))
