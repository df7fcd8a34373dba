"""The Data page's steps as widgets: upload, CRS, preview, repairs, mapping and join, save.

Every value that comes from a file is shown as text: in `st.dataframe` tables, or escaped with
`md()` where it is part of a label. Reading, CRS, repairs, the join and saving are
`atlas.ingest`'s; the state between reruns is `ui.data_state`'s.
"""

from __future__ import annotations

import functools

import folium
import pandas as pd
import shapely
import streamlit as st
from streamlit_folium import st_folium

from atlas import gazetteer
from atlas.i18n import t
from atlas.ingest import (
    ACCEPTED_EXTENSIONS,
    CRS_CONFIRMED,
    CRS_FROM_FILE,
    CRS_LONLAT,
    PROVINCES,
    ColumnMapping,
    IngestError,
    Inspection,
    JoinResult,
    SaveResult,
    ZoneProposal,
    commune_reference,
    join_communes,
    pack_zip,
    province_zone,
    suggest_mapping,
    user_packs,
)
from atlas.ingest.places import reference_for
from atlas.packs import PackRef, user_data_dir
from atlas.roles import can
from atlas.spec import Pack
from layers.basemap import build_base_map
from ui import data_state as ds
from ui.auth import signed_in
from ui.data import discover_packs_cached, load_pack_cached
from ui.sidebar import selected_pack_ref
from ui.widgets import issue_table, md

PREVIEW_HEIGHT = 460
PREVIEW_COLOR = "#d62728"


# --- upload -------------------------------------------------------------------------------


def upload_step(lang: str) -> ds.Upload | None:
    """The file uploader (a thin wrapper: its callback stores the bytes) and the limits."""
    mb = ds.limit_mb()
    st.file_uploader(
        t("data.upload", lang),
        type=[ext.lstrip(".") for ext in ACCEPTED_EXTENSIONS],
        key=ds.uploader_key(),
        help=t("data.upload_help", lang),
        on_change=ds.take_upload,
        max_upload_size=max(1, int(mb + 0.999)),
    )
    formats = ", ".join(ACCEPTED_EXTENSIONS)
    st.caption(t("data.limit", lang, mb=f"{mb:g}", formats=formats))
    refused = st.session_state.get(ds.UPLOAD_ERROR)
    if refused:
        name, size = refused
        st.error(
            t(
                "data.too_large",
                lang,
                name=md(str(name)),
                size=f"{size / 1024 / 1024:.1f}",
                mb=f"{mb:g}",
            )
        )
    upload = ds.current_upload()
    if upload is None and not refused:
        st.info(t("data.waiting", lang), icon=":material/upload_file:")
    return upload


def restart_button(lang: str) -> None:
    st.button(t("data.restart", lang), key="data.restart", icon=":material/restart_alt:",
              on_click=ds.restart)  # fmt: skip


# --- reading and CRS ----------------------------------------------------------------------


def refused(error: IngestError, lang: str) -> None:
    st.error(t("data.refused", lang, error=md(error.message(lang))), icon=":material/block:")


def file_summary(upload: ds.Upload, insp: Inspection, lang: str) -> None:
    fmt = insp.format or "?"
    if insp.needs_crs:
        st.markdown(t("data.file_pending", lang, name=md(upload.name), format=fmt))
    else:
        st.markdown(t("data.file", lang, name=md(upload.name), format=fmt, n=insp.feature_count))


def read_failed(insp: Inspection, lang: str) -> None:
    st.error(t("data.read_failed", lang), icon=":material/error:")
    issue_table(insp.report.issues, lang)


def layer_picker(insp: Inspection, lang: str) -> None:
    """For a GeoPackage or KML with several layers: which one to import."""
    if len(insp.layers) > 1:
        st.selectbox(
            t("data.layer", lang),
            insp.layers,
            index=insp.layers.index(insp.layer) if insp.layer in insp.layers else 0,
            key=ds.LAYER,
        )


def zone_options(proposals: list[ZoneProposal]) -> dict[str, tuple[ZoneProposal, bool]]:
    """`ZoneProposal.key` → (the proposal, proposed?): the ranked proposals first (the 6°
    systems have no province, so the key is CRS and province), then every province's TM-3
    zone, so a clerk who knows the province can always pick it."""
    options = {p.key: (p, True) for p in proposals}
    for province in PROVINCES:
        zone = province_zone(province.name)
        if zone is not None and not any(p.province == province.name for p in proposals):
            options.setdefault(zone.key, (zone, False))
    return options


def zone_label(proposal: ZoneProposal, proposed: bool, lang: str) -> str:
    """The zone as the picker shows it: where the data would land, and a mark when the data
    cannot tell it from the first one."""
    label = proposal.label.get(lang)
    if proposed and proposal.lands_in:
        label = t("data.crs.lands_in", lang, label=label, province=proposal.lands_in)
    if proposed and proposal.equally_likely:
        label = t("data.crs.equally_likely", lang, label=label)
    return t("data.crs.suggested", lang, label=label) if proposed else label


def _confirm_zone(options: dict[str, tuple[ZoneProposal, bool]]) -> None:
    chosen = st.session_state.get(ds.ZONE)
    if chosen in options:
        proposal = options[chosen][0]
        st.session_state[ds.CRS] = proposal.crs
        st.session_state[ds.CRS_PROVINCE] = proposal.province or None
    st.session_state.pop(ds.SAVE_ERROR, None)  # a refused save spoke of the zone before


def _change_zone() -> None:
    st.session_state.pop(ds.CRS, None)
    st.session_state.pop(ds.CRS_PROVINCE, None)
    st.session_state.pop(ds.SAVE_ERROR, None)  # it was about the zone now being changed


def crs_step(insp: Inspection, lang: str) -> bool:
    """The CRS and how it was found; the zone picker when it needs confirming.

    Returns True when the data may be drawn (False: wait for the user's confirmation).
    """
    if insp.is_table:
        return True
    st.subheader(t("data.crs.heading", lang), anchor=False)
    if insp.needs_crs:
        st.warning(t("data.crs.needed", lang), icon=":material/explore:")
        options = zone_options(insp.proposals)
        if insp.proposals:
            zones = "\n".join(
                f"- {md(zone_label(p, False, lang))}"
                + (f" → {md(p.lands_in)}" if p.lands_in else "")
                for p in insp.proposals
            )
            st.markdown(f"{t('data.crs.proposed', lang)}\n\n{zones}")
            if any(p.equally_likely for p in insp.proposals):
                st.caption(t("data.crs.ask_province", lang))
        else:
            st.caption(t("data.crs.no_proposal", lang))
        st.selectbox(
            t("data.crs.zone", lang),
            list(options),
            index=0,
            key=ds.ZONE,
            format_func=lambda key: zone_label(*options[key], lang),
        )
        st.button(
            t("data.crs.confirm", lang),
            key="data.crs_confirm",
            type="primary",
            icon=":material/check:",
            on_click=_confirm_zone,
            args=(options,),
        )
        return False
    how = {
        CRS_FROM_FILE: t("data.crs.how.file", lang),
        CRS_CONFIRMED: t("data.crs.how.confirmed", lang),
        CRS_LONLAT: t("data.crs.how.lonlat", lang),
    }.get(insp.crs_source, insp.crs_source or "?")
    st.markdown(t("data.crs.shown", lang, crs=md(str(insp.crs or "?")), how=how))
    if st.session_state.get(ds.CRS):
        province = st.session_state.get(ds.CRS_PROVINCE)
        if province:
            st.caption(t("data.crs.zone_of", lang, province=md(str(province))))
        st.button(t("data.crs.change", lang), key="data.crs_change", on_click=_change_zone)
    return True


def location_step(insp: Inspection, lang: str) -> None:
    """Where the data lies once reprojected (province, district), and, when that is off (not
    on Vietnam's land, or away from the province chosen), the warning with where it lies, the
    systems that would put it elsewhere, and the tick without which it is not saved."""
    loc = insp.location
    if insp.is_table or loc is None:
        return
    if loc.province and loc.inside_vietnam:  # off land, the warning says what is nearest
        where = md(loc.province) + (f" · {md(loc.district)}" if loc.district else "")
        st.caption(t("data.location.lies_in", lang, where=where))
    if loc.warning is None:
        return
    st.warning(md(loc.warning.get(lang)), icon=":material/wrong_location:")
    others = [p for p in insp.proposals if p.lands_in]
    if others:
        lines = "\n".join(f"- {md(p.label.get(lang))} → {md(p.lands_in)}" for p in others[:5])
        st.markdown(f"{t('data.location.alternatives', lang)}\n\n{lines}")
    st.checkbox(t("data.location.confirm", lang), key=ds.CONFIRM_LOCATION)


# --- preview ------------------------------------------------------------------------------


def _preview_collection(frame) -> dict:
    """Geometry only: attributes go to the table, never into map HTML."""
    features = []
    for i, geom in enumerate(frame.geometry):
        if geom is None or geom.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "id": f"preview:{i}",
                "geometry": shapely.geometry.mapping(geom),
                "properties": {},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def preview_map(insp: Inspection, lang: str, key: str) -> None:
    frame = insp.frame
    if frame is None or frame.empty:
        return
    minx, miny, maxx, maxy = (float(v) for v in frame.total_bounds)
    m = build_base_map(((miny + maxy) / 2, (minx + maxx) / 2), 12, lang)
    folium.GeoJson(
        _preview_collection(frame),
        name=t("data.preview.heading", lang),
        control=False,  # the layer control was added before it (build_base_map)
        style_function=lambda _: {
            "color": PREVIEW_COLOR,
            "weight": 2,
            "fillColor": PREVIEW_COLOR,
            "fillOpacity": 0.15,
        },
        marker=folium.CircleMarker(radius=5, color=PREVIEW_COLOR, fill=True, fill_opacity=0.7),
    ).add_to(m)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    st_folium(
        m,
        key=key,
        height=PREVIEW_HEIGHT,
        use_container_width=True,
        returned_objects=[],
    )


def preview_step(insp: Inspection, lang: str, map_key: str) -> None:
    st.subheader(t("data.preview.heading", lang), anchor=False)
    if insp.is_table:
        st.caption(t("data.preview.table_summary", lang, n=insp.feature_count))
    else:
        types = ", ".join(insp.geometry_types) or "—"
        st.caption(t("data.preview.summary", lang, n=insp.feature_count, types=types))
        preview_map(insp, lang, map_key)
    data = insp.data
    if data is not None:
        st.caption(t("data.preview.rows", lang, n=len(data)))
        st.dataframe(ds.attribute_text(data), hide_index=True, key="data.preview_table")


def repair_step(insp: Inspection, lang: str) -> None:
    st.subheader(t("data.repair.heading", lang), anchor=False)
    repairs = insp.repairs
    if insp.is_table:
        pass
    elif repairs.changed:
        st.warning(
            t(
                "data.repair.summary",
                lang,
                repaired=repairs.repaired,
                dropped=repairs.dropped_empty,
                duplicates=repairs.duplicates,
            ),
            icon=":material/build:",
        )
    else:
        st.success(t("data.repair.none", lang), icon=":material/check_circle:")
    issues = insp.report.issues
    if issues:
        with st.expander(t("data.repair.issues", lang, n=len(issues)), expanded=repairs.changed):
            issue_table(issues, lang)


# --- mapping and join ---------------------------------------------------------------------


def _pack_select(refs: list[PackRef], label: str, key: str) -> PackRef | None:
    """A select box of the packs found, starting on the one picked in the sidebar."""
    by_id = {ref.id: ref for ref in refs}
    selected = selected_pack_ref()
    ids = list(by_id)
    chosen = st.selectbox(
        label,
        ids,
        index=ids.index(selected.id) if selected and selected.id in by_id else 0,
        format_func=lambda pack_id: by_id[pack_id].name.vi or pack_id,
        key=key,
    )
    return by_id.get(chosen)


def _reference_pack() -> tuple[PackRef | None, Pack | None]:
    """The pack picked in the sidebar: a join to a pack follows it (no picker of its own, which
    kept the previous pack after the sidebar changed)."""
    ref = selected_pack_ref()
    if ref is None:
        return None, None
    return ref, load_pack_cached(ref).pack


def _pack_frame(ref: PackRef, pack: Pack | None) -> pd.DataFrame | IngestError | None:
    if pack is None:
        return None

    def run() -> pd.DataFrame | IngestError | None:
        try:
            return commune_reference(pack)
        except IngestError as exc:
            return exc
        except Exception as exc:
            return ds._unexpected(exc, "đọc danh sách xã", "reading the communes")

    return ds.memo("reference", (ref.id, str(ref.path)), run)


def _gso_frame(upload: ds.Upload, insp: Inspection, pack: Pack | None):
    """The GSO communes of the provinces the data lies in (a table: the sidebar pack's
    province), on the structure the rows fit; None when the data lies nowhere known."""
    province = pack.meta.province.vi if insp.is_table and pack is not None else None

    def run() -> pd.DataFrame | IngestError | None:
        try:
            ref = reference_for(insp, province=province)
            return None if ref.empty else ref
        except Exception as exc:
            return ds._unexpected(exc, "đọc danh mục xã", "reading the commune list")

    return ds.memo("gso", (upload.signature, insp.layer, insp.crs, province), run)


def _fits_pack(insp: Inspection, pack: Pack, reference: pd.DataFrame | None) -> bool:
    """Whether the upload lies where the sidebar pack's communes are: in its district (a
    district pack; data spanning several does not fit), else in one of the pre-2025 provinces
    its communes belong to (a pack "from 1 July 2025" holds several). A table has no place."""
    loc = insp.location
    if insp.is_table or loc is None or not loc.province_code:
        return True
    district = pack.meta.district_code
    if district and district.strip("0"):
        return loc.district_code == district
    if isinstance(reference, pd.DataFrame) and len(reference):
        communes = gazetteer.units("pre2025", "commune")
        held = communes[communes["code"].isin(reference["code"].astype(str))]
        if len(held):
            return loc.province_code in set(held["province_code"])
    return loc.province_code == pack.meta.province_code


def _gso_place(insp: Inspection, pack: Pack | None, lang: str) -> str:
    loc = insp.location
    if loc is not None:
        return loc.province if loc.province and loc.inside_vietnam else "—"
    return pack.meta.province.get(lang) if pack is not None else "—"


def reference_step(upload: ds.Upload, insp: Inspection, lang: str):
    """Which communes to join to: the sidebar pack's, or the GSO list of the province the data
    lies in (the default when the data is not in the pack's province, e.g. a district nobody
    made a pack for). Returns (reference frame or None, the pack, a memo key of the choice)."""
    state = st.session_state
    ref, pack = _reference_pack()
    pack_id = ref.id if ref is not None else None
    if state.get(ds.REF_PACK) != pack_id:  # another sidebar pack: choose the source again
        state.pop(ds.REF_SOURCE, None)
        state[ds.REF_PACK] = pack_id
    options = ([ds.SOURCE_PACK] if pack is not None else []) + [ds.SOURCE_GSO]
    pack_frame = _pack_frame(ref, pack) if ref is not None else None
    fits = pack is not None and _fits_pack(insp, pack, pack_frame)
    default = ds.SOURCE_PACK if fits else ds.SOURCE_GSO
    if state.get(ds.REF_SOURCE) not in options:
        state[ds.REF_SOURCE] = default
    labels = {
        ds.SOURCE_PACK: t(
            "data.mapping.source.pack", lang, pack=md(ref.name.get(lang) or ref.id) if ref else ""
        ),
        ds.SOURCE_GSO: t("data.mapping.source.gso", lang, where=md(_gso_place(insp, pack, lang))),
    }
    source = st.radio(
        t("data.mapping.source", lang), options, format_func=labels.get, key=ds.REF_SOURCE
    )
    ds.follow_reference(state, f"{source}|{pack_id}")
    if source == ds.SOURCE_PACK:
        frame, width = pack_frame, ds.code_width(pack)
    else:
        frame, width = _gso_frame(upload, insp, pack), 5
    if isinstance(frame, IngestError):
        st.warning(md(frame.message(lang)))
        frame = None
    if frame is None:
        none = "data.mapping.no_reference" if source == ds.SOURCE_PACK else "data.mapping.no_gso"
        st.caption(t(none, lang))
    key = (source, ref.id if ref is not None and source == ds.SOURCE_PACK else None)
    return frame, width, key


def _column_select(
    label: str, key: str, columns: list[str], suggested: str | None, lang: str
) -> None:
    options: list[str | None] = [None, *columns]
    none = t("data.mapping.none", lang)
    st.selectbox(
        label,
        options,
        index=options.index(suggested) if suggested in columns else 0,
        key=key,
        format_func=lambda c: none if c is None else c,
    )


def mapping_step(
    upload: ds.Upload, insp: Inspection, lang: str
) -> tuple[JoinResult | None, pd.DataFrame | None]:
    """Column pickers pre-filled with the engine's suggestion, and the join to communes:
    (the join or None, the communes joined to)."""
    st.subheader(t("data.mapping.heading", lang), anchor=False)
    st.caption(t("data.mapping.hint", lang))
    reference, width, choice = reference_step(upload, insp, lang)
    columns = insp.columns
    key = (upload.signature, insp.layer, insp.crs, *choice)

    def suggest():
        try:
            return suggest_mapping(columns, insp.data, reference, code_width=width)
        except Exception:  # a suggestion is a convenience: without one the boxes start empty
            ds.LOG.exception("suggest_mapping failed")
            return ColumnMapping()

    suggestion = ds.memo("suggestion", key, suggest)
    code_col, name_col, year_col = st.columns(3)
    with code_col:
        _column_select(t("data.mapping.code", lang), ds.COL_CODE, columns, suggestion.code, lang)
    with name_col:
        _column_select(t("data.mapping.name", lang), ds.COL_NAME, columns, suggestion.name, lang)
    with year_col:
        _column_select(t("data.mapping.year", lang), ds.COL_YEAR, columns, suggestion.year, lang)
    default_fields = [c for c in suggestion.fields if c in columns] or columns
    st.multiselect(
        t("data.mapping.fields", lang), columns, default=default_fields, key=ds.COL_FIELDS
    )
    if not insp.is_table:
        if not suggestion.join:
            st.caption(t("data.mapping.no_join_hint", lang))
        st.checkbox(t("data.mapping.no_join", lang), value=not suggestion.join, key=ds.NO_JOIN)
    mapping = ds.mapping_from(st.session_state)
    if st.session_state.get(ds.NO_JOIN) and not insp.is_table:
        st.info(t("data.join.none", lang), icon=":material/link_off:")
        return None, reference
    if not (mapping.code or mapping.name) or reference is None:
        st.info(t("data.join.skipped", lang), icon=":material/link_off:")
        return None, reference

    def run() -> JoinResult | IngestError:
        try:
            return join_communes(insp.data, reference, mapping, code_width=width)
        except IngestError as exc:
            return exc
        except Exception as exc:
            return ds._unexpected(exc, "ghép xã", "joining communes")

    join = ds.memo("join", (*key, mapping.code, mapping.name), run)
    if isinstance(join, IngestError):
        st.warning(t("data.join.failed", lang, error=md(join.message(lang))))
        return None, reference
    join_report(join, lang)
    return join, reference


def _join_frame(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The join rows with translated headers and results, every value as text."""
    statuses = rows["status"].map(lambda s: t(f"data.join.status.{s}", lang))
    frame = pd.DataFrame(
        {
            t("data.col.row", lang): rows["row"],
            t("data.col.input_code", lang): rows["input_code"],
            t("data.col.input_name", lang): rows["input_name"],
            t("data.col.status", lang): statuses,
            t("data.col.code", lang): rows["code"],
            t("data.col.name", lang): rows["name"],
            t("data.col.score", lang): rows["score"].map(lambda s: f"{float(s):.0%}"),
        }
    )
    reason = "reason_en" if lang == "en" else "reason_vi"
    if reason in rows.columns:
        frame[t("data.col.reason", lang)] = rows[reason].to_numpy()
    return ds.attribute_text(frame)


def join_report(join: JoinResult, lang: str) -> None:
    """Counts (conflicts only when there are some), the structure problem, the rows with why,
    the fuzzy matches to accept and the "drop unmatched" choice."""
    counts = join.counts()
    shown = ["code", "name", "fuzzy", "unmatched"] + (["conflict"] if counts["conflict"] else [])
    for column, status in zip(st.columns(len(shown)), shown, strict=True):
        column.metric(t(f"data.join.status.{status}", lang), counts[status])
    if join.problem is not None:
        message = join.problem[1] if lang == "en" else join.problem[0]
        st.error(t("data.join.problem", lang, error=md(message)), icon=":material/block:")
    st.dataframe(_join_frame(join.rows, lang), hide_index=True, key="data.join_table")
    fuzzy = ds.fuzzy_rows(join)
    if len(fuzzy):
        with st.container(border=True, key="data-fuzzy"):
            st.markdown(t("data.join.fuzzy", lang, n=len(fuzzy)))
            accept_all = st.checkbox(t("data.join.accept_all", lang), key=ds.ACCEPT_ALL)
            for _, row in fuzzy.iterrows():
                st.checkbox(
                    t(
                        "data.join.fuzzy_row",
                        lang,
                        row=int(row["row"]),
                        input=md(str(row["input_name"] or row["input_code"] or "")),
                        name=md(str(row["name"] or "")),
                        code=md(str(row["code"] or "")),
                        score=f"{float(row['score']) * 100:.0f}",
                    ),
                    key=f"{ds.FUZZY}{int(row['row'])}",
                    disabled=accept_all,
                )
    left = counts["unmatched"] + counts["conflict"]
    if left and join.problem is None:
        st.markdown(t("data.join.unmatched", lang, n=left))
        st.checkbox(t("data.join.drop_unmatched", lang), key=ds.DROP_UNMATCHED)


# --- save ---------------------------------------------------------------------------------


def save_step(
    upload: ds.Upload,
    insp: Inspection,
    join: JoinResult | None,
    reference: pd.DataFrame | None,
    lang: str,
) -> None:
    """Where to save and under which names; the confirm button is the only thing that writes."""
    st.subheader(t("data.save.heading", lang), anchor=False)
    saved: SaveResult | None = st.session_state.get(ds.SAVED)
    if saved is not None:
        saved_message(saved, lang)
        restart_button(lang)
        return
    users = user_packs()
    targets = [ds.TARGET_NEW, ds.TARGET_EXISTING] if users else [ds.TARGET_NEW]
    target = st.radio(
        t("data.save.target", lang),
        targets,
        format_func=lambda k: t(f"data.save.target.{k}", lang),
        horizontal=True,
        key=ds.TARGET,
    )
    if not users:
        st.caption(t("data.save.no_user_packs", lang))
    if target == ds.TARGET_EXISTING:
        by_id = {ref.id: ref for ref in users}
        st.selectbox(
            t("data.save.user_pack", lang),
            list(by_id),
            format_func=lambda pack_id: by_id[pack_id].name.vi or pack_id,
            key=ds.USER_PACK,
        )
    else:
        st.text_input(t("data.save.pack_id", lang), value=upload.slug, key=ds.PACK_ID)
        vi_col, en_col = st.columns(2)
        vi_col.text_input(t("data.save.name_vi", lang), value=upload.stem, key=ds.NAME_VI)
        en_col.text_input(t("data.save.name_en", lang), value=upload.stem, key=ds.NAME_EN)
    st.text_input(t("data.save.layer_id", lang), value=upload.slug, key=ds.LAYER_ID)
    vi_col, en_col = st.columns(2)
    vi_col.text_input(t("data.save.title_vi", lang), value=upload.stem, key=ds.TITLE_VI)
    en_col.text_input(t("data.save.title_en", lang), value=upload.stem, key=ds.TITLE_EN)

    if target != ds.TARGET_EXISTING and len(insp.layers) > 1:
        st.checkbox(t("data.save.all_layers", lang, n=len(insp.layers)), key=ds.ALL_LAYERS)
    province = st.session_state.get(ds.CRS_PROVINCE)
    st.session_state[ds.CURRENT] = ds.Pending(upload, insp, join, reference, province)
    st.caption(t("data.save.where", lang, folder=md(str(user_data_dir()))))
    may_import = can(signed_in(), "import")
    st.button(
        t("data.save.confirm", lang),
        key=ds.SAVE,
        type="primary",
        icon=":material/save:",
        on_click=ds.save_current,
        disabled=not insp.ok or not may_import,
    )
    if not may_import:
        st.caption(f":material/badge: {t('auth.need_editor_import', lang)}")
    error = st.session_state.get(ds.SAVE_ERROR)
    if error:
        message = error[1] if lang == "en" else error[0]
        st.error(t("data.save.failed", lang, error=md(message)), icon=":material/error:")


def saved_message(saved: SaveResult, lang: str) -> None:
    if saved.created:
        st.success(t("data.save.done_new", lang, pack=md(saved.pack_id)), icon=":material/done:")
    else:
        item = saved.layer_id or saved.table_id or ""
        st.success(
            t("data.save.done_added", lang, item=md(item), pack=md(saved.pack_id)),
            icon=":material/done:",
        )
    issues = saved.report.issues
    if issues:
        with st.expander(t("data.save.report", lang, n=len(issues))):
            issue_table(issues, lang)


# --- download -----------------------------------------------------------------------------


def pack_download_button(ref: PackRef, lang: str, key: str) -> None:
    """The pack folder as a zip, made only when the button is clicked."""
    st.download_button(
        t("data.download.button", lang, name=f"{ref.id}.zip"),
        data=functools.partial(pack_zip, ref.path),
        file_name=f"{ref.id}.zip",
        mime="application/zip",
        key=key,
        icon=":material/download:",
    )


def download_step(lang: str) -> None:
    refs = discover_packs_cached()
    if not refs:
        return
    st.subheader(t("data.download.heading", lang), anchor=False)
    ref = _pack_select(refs, t("data.download.pack", lang), ds.DOWNLOAD_PACK)
    if ref is not None:
        pack_download_button(ref, lang, key="data.download")
