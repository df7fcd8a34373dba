"""The Map page's attribute table: a drawn layer's features as rows, a row zooms the map to its
feature, and the table downloads for people or for software.

Only widgets: the table itself is `atlas.people_table` (headers in the UI language, Có/Không,
coded values as their labels), the machine CSV `atlas.export.data.attribute_table`; the zoom is
a search hit the map follows once (`ui.viewport.follow_hit`).
"""

from __future__ import annotations

import streamlit as st

from atlas import joins
from atlas.export.data import attribute_table as machine_table
from atlas.formats import number_text
from atlas.i18n import t
from atlas.people_table import layer_table, people_csv
from atlas.search import SearchHit
from atlas.spec import Pack
from ui.map_state import key

TABLE_HEIGHT = 320


@st.cache_data(show_spinner=False, max_entries=64)
def _people(_pack: Pack, fingerprint: str, layer_id: str, lang: str, year: int | None):
    """`fingerprint` stands for `_pack` in the key."""
    return layer_table(_pack, layer_id, lang, year)


def attribute_panel(
    pack: Pack, fingerprint: str, visible: list[str], lang: str, year: int | None
) -> SearchHit | None:
    """An expander with a layer picker, the layer's table and its downloads; the feature of
    the selected row, for the map to zoom to (None: no row selected)."""
    panel = st.expander(
        t("attr.title", lang),
        icon=":material/table_rows:",
        key=f"attr.{pack.id}.open",  # not under "map.": app.py re-sets those keys
        on_change="rerun",
    )
    if not panel.open:  # lazy: a closed table sends nothing and builds nothing
        return None
    with panel:
        if not visible:
            st.caption(t("attr.none", lang))
            return None
        titles = {la.id: la.title.get(lang) for la in pack.layers}
        picked = st.selectbox(
            t("attr.layer", lang),
            options=visible,
            format_func=lambda lid: titles.get(lid, lid),
            key=key(pack.id, "attr_layer"),
        )
        if picked not in visible:
            return None
        table = _people(pack, fingerprint, picked, lang, year)
        st.caption(t("attr.hint", lang, n=number_text(len(table), lang, 0)))
        event = st.dataframe(
            table,
            hide_index=True,
            height=TABLE_HEIGHT,
            on_select="rerun",
            selection_mode="single-row",
            key=f"attr.{pack.id}.{picked}.{lang}",  # not under "map.": a selection can't be set
        )
        _downloads(pack, fingerprint, picked, lang, year)
        rows = list(event.selection.rows) if event and event.selection else []
        return _hit(pack, picked, rows[0]) if rows else None


@st.cache_data(show_spinner=False, max_entries=32)
def _files(
    _pack: Pack, fingerprint: str, layer_id: str, lang: str, year: int | None
) -> tuple[bytes, bytes]:
    """The CSV to read and the CSV for software, once per layer, language and year (a
    nation's are a megabyte each; a rerun of the open table does not write them again)."""
    people = people_csv(_people(_pack, fingerprint, layer_id, lang, year), lang)
    frame = joins.layer_frame(_pack, layer_id, joins.resolve_year(_pack, layer_id, year))
    return people, machine_table(frame).to_csv(index=False).encode("utf-8-sig")


def _downloads(pack: Pack, fingerprint: str, layer_id: str, lang: str, year: int | None) -> None:
    row = st.container(horizontal=True)
    stem = f"{pack.id}-{layer_id}" + (f"-{year}" if year is not None else "")
    people, machine = _files(pack, fingerprint, layer_id, lang, year)
    row.download_button(
        t("attr.download", lang),
        data=people,
        file_name=f"{stem}.csv",
        mime="text/csv",
        icon=":material/download:",
        help=t("attr.download_help", lang),
        key=f"attr.{pack.id}.download",
        on_click="ignore",
    )
    row.download_button(
        t("attr.download_machine", lang),
        data=machine,
        file_name=f"{stem}-data.csv",
        mime="text/csv",
        icon=":material/data_object:",
        help=t("attr.download_machine_help", lang),
        key=f"attr.{pack.id}.download_machine",
        on_click="ignore",
    )


def _hit(pack: Pack, layer_id: str, row: int) -> SearchHit | None:
    """The row's feature as a search hit (its bounds are what the map fits)."""
    layer = pack.manifest.layer(layer_id)
    frame = pack.frames[layer_id]
    if not 0 <= row < len(frame):
        return None
    geom = frame.geometry.iloc[row]
    if geom is None or geom.is_empty:
        return None
    name = frame[layer.name_field].iloc[row] if layer.name_field in frame.columns else ""
    return SearchHit(layer_id, row, str(name), tuple(float(v) for v in geom.bounds))
