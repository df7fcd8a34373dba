"""Gói dữ liệu / Data packs: the packs found, and what the selected one holds.

Presentation only: packs are found and loaded by `atlas` (through the cached loader in
`ui.data`); this page lays out their metadata, honesty note, layers, tables and targets.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from atlas.i18n import t
from atlas.ingest.errors import IngestError
from atlas.packs import SHIPPED_PACKS, PackRef, default_roots, shadowed_packs
from atlas.spec import LayerSpec, Pack
from ui.data import SYNC_KEY, discover_packs_cached, load_pack_cached, shared_packs
from ui.data_steps import pack_download_button
from ui.new_pack import new_pack_form
from ui.shell import ensure_shell
from ui.sidebar import current_lang, selected_pack_ref
from ui.widgets import honesty_banner, issue_table, md, text_table

REPO_ROOT = Path(__file__).resolve().parent.parent


def _shown_path(path: Path) -> str:
    """A path relative to the repository when it is inside it, else as it is."""
    resolved = path.resolve()
    if resolved.is_relative_to(REPO_ROOT):
        return resolved.relative_to(REPO_ROOT).as_posix()
    return str(path)


def _packs_found(refs: list[PackRef], lang: str) -> None:
    st.subheader(t("packs.found", lang, n=len(refs)))
    if not refs:
        roots = ", ".join(f"`{_shown_path(root)}`" for root in default_roots())
        st.info(t("packs.none", lang, roots=roots))
        return
    shipped = SHIPPED_PACKS.resolve()
    shared = shared_packs()
    local = set(shared.local_only()) if shared is not None else set()

    def origin(ref: PackRef) -> str:
        if ref.path.resolve().is_relative_to(shipped):
            return "packs.origin.shipped"
        if shared is None:
            return "packs.origin.user"
        return "packs.origin.local" if ref.id in local else "packs.origin.database"

    rows = [
        {
            t("col.pack_id", lang): ref.id,
            t("col.name", lang): ref.name.get(lang),
            t("col.origin", lang): t(origin(ref), lang),
            t("col.folder", lang): _shown_path(ref.path),
        }
        for ref in refs
    ]
    text_table(pd.DataFrame(rows))
    _shared_notes(sorted(local), lang)
    for folder in shadowed_packs():
        st.warning(
            t("packs.shadowed", lang, id=md(folder.name), folder=md(_shown_path(folder))),
            icon=":material/visibility_off:",
        )


def _shared_notes(local: list[str], lang: str) -> None:
    """With packs in the database: where they are kept, packs this machine never sent, and a
    sync that could not be done (the copies here are then what is shown)."""
    outcome = st.session_state.get(SYNC_KEY)
    if outcome is None:
        return
    st.caption(t("packs.in_database", lang))
    if isinstance(outcome, IngestError):
        st.warning(md(outcome.message(lang)), icon=":material/cloud_off:")
        return
    if local:
        ids = ", ".join(f"“{md(pack_id)}”" for pack_id in local)
        st.info(t("packs.local_only", lang, ids=ids), icon=":material/upload:")
    for pack_id in outcome.blocked:
        st.warning(t("packs.sync_blocked", lang, id=md(pack_id)), icon=":material/sync_problem:")


def _details(pack: Pack, lang: str) -> None:
    meta, honesty = pack.meta, pack.honesty
    period = meta.period
    if meta.vision_year:
        period += f", {t('meta.vision', lang, year=meta.vision_year)}"
    lines = [
        (t("meta.province", lang), md(meta.province.get(lang))),
        (t("meta.codes", lang), f"{meta.province_code} / {meta.district_code}"),
        (t("meta.plan", lang), md(meta.plan_title.get(lang))),
        (t("meta.period", lang), period),
        (t("meta.plan_source", lang), md(meta.plan_source.get(lang))),
        (
            f"{t('meta.geometry', lang)} · {t('meta.figures', lang)}",
            f"{t(f'honesty.geometry.{honesty.geometry}', lang)} · "
            f"{t(f'honesty.figures.{honesty.figures}', lang)}",
        ),
        (t("meta.data_source", lang), md(honesty.source.get(lang))),
        (t("meta.folder", lang), f"`{_shown_path(pack.path)}`"),
    ]
    with st.container(border=True, key="pack_details"):
        st.markdown("\n".join(f"- **{label}:** {value}" for label, value in lines))
        if meta.admin_structure == "pre2025":
            st.caption(t("packs.reorg_pre2025", lang))


def _layers(pack: Pack, lang: str) -> None:
    st.subheader(t("packs.layers", lang, n=len(pack.layers)))
    group_order = {group.id: i for i, group in enumerate(pack.groups)}
    group_title = {group.id: group.title.get(lang) for group in pack.groups}
    layers = sorted(pack.layers, key=lambda layer: group_order.get(layer.group, len(group_order)))
    visible = t("col.visible", lang)
    rows = [
        {
            t("col.group", lang): group_title.get(layer.group, layer.group),
            t("col.layer", lang): layer.title.get(lang),
            t("col.kind", lang): t(f"kind.{layer.kind}", lang),
            t("col.features", lang): len(pack.frames.get(layer.id, ())),
            visible: "✓" if layer.visible else "–",
        }
        for layer in layers
    ]
    text_table(pd.DataFrame(rows))
    _layer_sources(layers, lang)


def _layer_sources(layers: list[LayerSpec], lang: str) -> None:
    """Layers whose own honesty differs from the pack's: what they are and where they come
    from, so a layer of general knowledge is not read as quoted from the plan."""
    own = [la for la in layers if la.honesty and (la.honesty.note.vi or la.honesty.source.vi)]
    if not own:
        return
    st.markdown(f"**{t('packs.layer_sources', lang)}**")
    items = []
    for layer in own:
        note, source = layer.honesty.note.get(lang), layer.honesty.source.get(lang)
        text = " ".join(md(part) for part in (note, source) if part)
        items.append(f"- **{md(layer.title.get(lang))}:** {text}")
    with st.container(key="layer_sources"):
        st.markdown("\n".join(items))


def _years(frame: pd.DataFrame | None, column: str | None) -> str:
    if frame is None or not column or column not in frame.columns or frame.empty:
        return ""
    years = sorted(str(y) for y in frame[column].unique())
    return years[0] if len(years) == 1 else f"{years[0]}–{years[-1]}"


def _tables(pack: Pack, lang: str) -> None:
    st.subheader(t("packs.tables", lang, n=len(pack.tables)))
    if not pack.tables:
        st.caption(t("packs.empty", lang))
        return
    rows = []
    for table in pack.tables:
        frame = pack.table_frames.get(table.id)
        rows.append(
            {
                t("col.table", lang): table.title.get(lang),
                t("col.file", lang): table.file,
                t("col.rows", lang): 0 if frame is None else len(frame),
                t("col.years", lang): _years(frame, table.year_column),
                t("col.columns", lang): len(table.columns),
            }
        )
    text_table(pd.DataFrame(rows))


def _number(value: float) -> str:
    return f"{value:g}"


def _targets(pack: Pack, lang: str) -> None:
    st.subheader(t("packs.targets", lang, n=len(pack.targets)))
    if not pack.targets:
        st.caption(t("packs.empty", lang))
        return
    st.caption(t("packs.targets_hint", lang))
    rows = [
        {
            t("col.target", lang): target.label.get(lang),
            t("col.value", lang): f"{_number(target.value)} {target.unit}".strip(),
            t("col.year", lang): str(target.year),
            t("col.quote", lang): f"“{target.quote}”"
            + (f" {t('targets.summary_mark', lang)}" if target.is_summary else ""),
        }
        for target in pack.targets
    ]
    text_table(pd.DataFrame(rows))


def render() -> None:
    ensure_shell()
    lang = current_lang()
    st.title(t("packs.title", lang))
    st.caption(t("packs.intro", lang))

    _packs_found(discover_packs_cached(), lang)
    new_pack_form(lang)
    ref = selected_pack_ref()
    if ref is None:
        return
    st.caption(t("packs.pick_hint", lang))

    st.divider()
    st.header(md(ref.name.get(lang) or ref.id), anchor=False)
    with st.spinner(t("packs.loading", lang)):
        result = load_pack_cached(ref)
    if result.pack is None:
        st.error(
            t("packs.errors", lang, pack=ref.id, n=len(result.report.errors)),
            icon=":material/error:",
        )
        issue_table(result.report.issues, lang)
    else:
        pack = result.pack
        honesty_banner(pack.honesty, lang)
        _details(pack, lang)
        pack_download_button(ref, lang, key="packs.download")
        if result.report.warnings:
            with st.expander(t("packs.warnings", lang, n=len(result.report.warnings))):
                st.caption(t("packs.warnings_hint", lang))
                issue_table(result.report.warnings, lang)
        _layers(pack, lang)
        _tables(pack, lang)
        _targets(pack, lang)


render()
