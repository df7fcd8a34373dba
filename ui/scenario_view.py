"""Widgets of the scenarios page: pickers, KPI cards, the editable table, manage, history, CSV.

Only widgets and formatting: figures come from `atlas.kpi` and `atlas.scenarios`, changes go
through `ui.scenario_actions`. Every label is in `atlas.i18n` under `scen.*`.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from atlas import kpi, scenario_csv
from atlas import scenarios as sc
from atlas.edit_rule import changed_cells
from atlas.formats import difference_unit
from atlas.i18n import t
from atlas.kpi import CODE, KpiResult
from atlas.people_table import people_csv
from atlas.roles import can
from atlas.scenarios import Problem, Scenario
from atlas.spec import FieldSpec, Pack, TargetSpec
from atlas.store import AuditEntry, shown_time
from atlas.text import fold
from layers.classify import format_number
from ui import scenario_actions as act
from ui import scenario_state as ss
from ui.auth import signed_in
from ui.scenario_data import store
from ui.widgets import md, scope_label

NAME = "name"
CHANGED = "_changed"
ROW_HEIGHT = 35
MAX_ROWS_SHOWN = 30  # taller tables scroll
NAME_WIDTH = 170
CHANGED_WIDTH = 170
# Column widths follow the header ("Số ấp, khóm có Internet (ấp)"), which the grid cannot
# wrap: about 7 px per character plus the edit icon and padding, within these bounds.
FIELD_WIDTH_MIN, FIELD_WIDTH_MAX, PX_PER_CHAR = 90, 250, 7
EDITED_BACKGROUND = "background-color: #fff3bf"  # the commune of a row that has edits

# --- pickers ----------------------------------------------------------------------------------


def may_edit() -> bool:
    """Whether the signed-in account may write scenarios (the store checks again)."""
    return can(signed_in(), "edit_scenario")


def need_name(lang: str) -> bool:
    """True (with the hint shown) when a button that writes must wait for an editor."""
    if may_edit():
        return False
    st.caption(f":material/badge: {t('auth.need_editor', lang)}")
    return True


def scenario_label(scenario: Scenario, lang: str, deleted: bool = False) -> str:
    name = sc.title(scenario, lang)
    if deleted:
        return f"{name} · {t('scen.deleted_tag', lang)}"
    return f"{name} · {t('scen.builtin_tag', lang)}" if scenario.builtin else name


def scenario_picker(
    pack: Pack, reg: dict[str, Scenario], lang: str, deleted: set[str] | None = None
) -> str:
    """Select box over the pack's scenarios (built-ins first); returns the chosen id.

    `reg` may hold scenarios someone else deleted that this session still has a draft of
    (`deleted`, marked so). When the scenario shown last has gone without a draft, the page
    says who deleted it and shows the default one.
    """
    deleted = deleted or set()
    name = ss.pick_key(pack.id)
    ss.restore(name)
    current = st.session_state.get(name)
    if current not in reg:
        if current:
            act.note_gone(pack, str(current))
        st.session_state[name] = act.default_scenario(reg)
    chosen = st.selectbox(
        t("scen.pick", lang),
        options=list(reg),
        format_func=lambda sid: (
            scenario_label(reg[sid], lang, sid in deleted) if sid in reg else sid
        ),
        key=name,
        on_change=ss.clear_flash,  # another scenario: the last one's messages are done
        args=(pack.id,),
    )
    ss.remember(name)
    return chosen


def target_picker(pack: Pack, lang: str) -> str:
    """Select box over the plan's targets; drives the map."""
    ids = [tg.id for tg in pack.targets]
    name = ss.target_key(pack.id)
    ss.restore(name)
    if st.session_state.get(name) not in ids:
        st.session_state[name] = ids[0]
    labels = {tg.id: tg.label.get(lang) for tg in pack.targets}
    chosen = st.selectbox(
        t("scen.target", lang), options=ids, format_func=lambda i: labels.get(i, i), key=name
    )
    ss.remember(name)
    return chosen


def describe_base(scenario: Scenario, reg: dict[str, Scenario], lang: str) -> str:
    if scenario.base == sc.MEASURED:
        return t("scen.base.measured", lang, year=scenario.year or "")
    if scenario.base == sc.PLAN:
        return t("scen.base.plan", lang, year=scenario.year or "")
    parent = reg.get(scenario.base)
    return f"“{sc.title(parent, lang)}”" if parent else scenario.base


# --- formatting -------------------------------------------------------------------------------


def number(value: float | None, unit: str, lang: str, decimals: int = 1) -> str:
    if value is None:
        return t("scen.no_data", lang)
    text = format_number(value, lang, decimals)
    return f"{text} {unit}".strip()


def shown_value(value: object, lang: str) -> str:
    """A cell or an audit-log value as text: yes/no for booleans, — for no data."""
    if value is None or value is pd.NA:
        return "—"
    if isinstance(value, bool) or value in ("true", "false"):
        yes = value is True or value == "true"
        return t("scen.yes", lang) if yes else t("scen.no", lang)
    if isinstance(value, int | float):
        return format_number(float(value), lang, 2)
    return str(value)


def field_label(spec: FieldSpec | None, column: str, lang: str) -> str:
    if spec is None:
        return column
    label = spec.label.get(lang) or column
    return f"{label} ({spec.unit})" if spec.unit else label


# --- KPI cards --------------------------------------------------------------------------------


def _quote_help(target: TargetSpec, lang: str) -> str | None:
    """The card's help: the plan's words, marked when they are a summary."""
    if not target.quote:
        return None
    mark = f" {t('targets.summary_mark', lang)}" if target.is_summary else ""
    return f"“{md(target.quote)}”{mark}"


def kpi_cards(
    pack: Pack,
    frame: pd.DataFrame,
    base: pd.DataFrame,
    scenario: Scenario,
    base_text: str,
    lang: str,
    per_row: int | None = None,
) -> list[KpiResult]:
    """One card per target: district value, target, gap, met or not; Δ against the base;
    `per_row` cards to a row (None: all in one row)."""
    names = kpi.commune_names(pack)
    results = [kpi.evaluate(tg, frame, names, scenario.year) for tg in pack.targets]
    before = [kpi.evaluate(tg, base, names, scenario.year) for tg in pack.targets]
    scope = scope_label(pack, lang)
    st.caption(t("scen.kpi_caption", lang, scope=scope, year=scenario.year or "—", base=base_text))
    width = per_row or max(1, len(results))
    columns = [col for _ in range(0, len(results), width) for col in st.columns(width)]
    for col, tg, res, old in zip(columns, pack.targets, results, before, strict=False):
        with col.container(border=True, height="stretch", key=f"scen-kpi-{tg.id}"):
            diff = 0.0
            if res.value is not None and old.value is not None:
                diff = res.value - old.value if abs(res.value - old.value) > 1e-9 else 0.0
            sign = "+" if diff > 0 else "-" if diff < 0 else "±"
            st.markdown(f"**{md(tg.label.get(lang))}**")
            st.metric(
                tg.label.get(lang),
                number(res.value, tg.unit, lang),
                delta=f"{sign}{number(abs(diff), difference_unit(tg.unit, lang), lang)}",
                delta_color="normal" if diff else "off",
                delta_arrow="auto" if diff else "off",
                delta_description=t("scen.vs_base", lang),
                label_visibility="collapsed",
                help=_quote_help(tg, lang),
            )
            goal = number(tg.value, tg.unit, lang, 2)
            status = (
                f":green-badge[:material/check: {t('scen.met', lang)}]"
                if res.met
                else f":red-badge[:material/close: {t('scen.not_met', lang)}]"
            )
            gap = (
                ""
                if res.met or res.gap is None
                else " · " + t("scen.kpi_gap", lang, gap=number(res.gap, tg.unit, lang))
            )
            st.markdown(f"{status} {t('scen.kpi_target', lang, target=goal, year=tg.year)}{gap}")
    return results


# --- the table --------------------------------------------------------------------------------


def table_frame(
    pack: Pack, frame: pd.DataFrame, base: pd.DataFrame | None = None, lang: str = "vi"
) -> pd.DataFrame:
    """The working frame with the commune names, in the pack's commune order, and (given the
    base) a column after the name naming the fields of each commune that differ from the base:
    the grid cannot colour an editable cell, so the edits are marked beside the commune."""
    names = kpi.commune_names(pack)
    out = frame.copy()
    out.insert(1, NAME, [names.get(str(c), str(c)) for c in out[CODE]])
    if base is not None:
        out.insert(2, CHANGED, changed_fields(pack, frame, base, lang))
    return out.reset_index(drop=True)


def changed_fields(pack: Pack, frame: pd.DataFrame, base: pd.DataFrame, lang: str) -> list[str]:
    """Per commune of `frame`: "✎ field, field" for the fields that differ from `base`."""
    fields = sc.editable_fields(pack)
    changed = changed_cells(frame, base, list(fields)).to_numpy(bool)
    labels = [spec.label.get(lang) or name for name, spec in fields.items()]
    out = []
    for row in changed:
        names = [label for label, edited in zip(labels, row, strict=True) if edited]
        out.append("✎ " + ", ".join(names) if names else "")
    return out


def field_width(label: str) -> int:
    """Pixels for a column whose header is `label` (the grid cuts headers, never wraps)."""
    return max(FIELD_WIDTH_MIN, min(FIELD_WIDTH_MAX, PX_PER_CHAR * len(label) + 44))


def column_config(pack: Pack, lang: str, target: TargetSpec | None) -> dict:
    """Typed, labelled columns: checkboxes for yes/no, bounded numbers for counts and %."""
    cfg: dict = {
        CODE: st.column_config.TextColumn(t("scen.col.code", lang), disabled=True, width="small"),
        NAME: st.column_config.TextColumn(
            t("scen.col.commune", lang), disabled=True, width=NAME_WIDTH
        ),
        CHANGED: st.column_config.TextColumn(
            t("scen.col.changed", lang),
            help=t("scen.col.changed_help", lang),
            disabled=True,
            width=CHANGED_WIDTH,
        ),
    }
    focus = {c for c in (target.column, target.denominator) if c} if target else set()
    for name, spec in sc.editable_fields(pack).items():
        label = field_label(spec, name, lang)
        label = f"▶ {label}" if name in focus else label
        help_text = label
        width = field_width(label)
        if spec.type == "bool":
            cfg[name] = st.column_config.CheckboxColumn(label, help=help_text, width=width)
        elif spec.type == "int":
            cfg[name] = st.column_config.NumberColumn(
                label, help=help_text, min_value=0, step=1, format="%d", width=width
            )
        else:
            percent = spec.unit == "%"
            cfg[name] = st.column_config.NumberColumn(
                label,
                help=help_text,
                min_value=0.0 if percent else None,
                max_value=100.0 if percent else None,
                step=0.1,
                format="%.1f",
                width=width,
            )
    return cfg


def problem_list(problems: list[Problem], lang: str, heading: str) -> None:
    if problems:
        lines = "\n".join(f"- {p.message(lang)}" for p in problems)
        st.error(f"{heading}\n\n{lines}", icon=":material/error:")


def edit_table(
    pack: Pack,
    scenario: Scenario,
    frame: pd.DataFrame,
    lang: str,
    target: TargetSpec | None,
    base: pd.DataFrame | None = None,
) -> None:
    """The scenario's figures by commune; edits are validated before they reach the draft.

    The communes with edits are highlighted (name and "edited" columns: the grid styles only
    cells that cannot be edited)."""
    problems = st.session_state.get(ss.problems_key(pack.id)) or []
    problem_list(problems, lang, t("scen.problems", lang, n=len(problems)))
    data = table_frame(pack, frame, base, lang)
    codes = [str(c) for c in data[CODE]]
    styled = data.style.apply(_edited_rows, axis=None) if CHANGED in data.columns else data
    rev = ss.revision(pack.id, scenario.id)
    editor_key = ss.key(pack.id, scenario.id, "editor", str(rev))
    readonly = scenario.builtin
    st.data_editor(
        styled,
        key=editor_key,
        height=ROW_HEIGHT * (len(data) + 1) + 3 if len(data) <= MAX_ROWS_SHOWN else "auto",
        row_height=ROW_HEIGHT,
        hide_index=True,
        num_rows="fixed",
        width="stretch",
        column_config=column_config(pack, lang, target),
        disabled=True if readonly else [CODE, NAME, CHANGED],
        on_change=None if readonly else act.on_table_edit,
        args=None if readonly else (pack.id, scenario.id, editor_key, codes),
    )


def _edited_rows(data: pd.DataFrame) -> pd.DataFrame:
    """Styler: the name and "edited" cells of the communes with edits, highlighted."""
    styles = pd.DataFrame("", index=data.index, columns=data.columns)
    edited = data[CHANGED].astype(bool)
    for column in (NAME, CHANGED):
        styles.loc[edited, column] = EDITED_BACKGROUND
    return styles


def diff_table(
    pack: Pack, scenario: Scenario, base: pd.DataFrame, frame: pd.DataFrame, lang: str
) -> None:
    """The cells that differ from the base: commune, field, base value → scenario value."""
    names = kpi.commune_names(pack)
    fields = sc.editable_fields(pack)
    order = {c: i for i, c in enumerate(names)}
    cols = {c: i for i, c in enumerate(fields)}
    keys = sorted(scenario.edits, key=lambda k: (order.get(k[0], 1e9), cols.get(k[1], 99)))
    rows = [
        {
            t("scen.col.commune", lang): f"{names.get(code, code)} ({code})",
            t("scen.col.field", lang): field_label(fields.get(column), column, lang),
            t("scen.col.base_value", lang): shown_value(act.cell(base, code, column), lang),
            t("scen.col.value", lang): shown_value(act.cell(frame, code, column), lang),
        }
        for code, column in keys
    ]
    with st.expander(t("scen.diff", lang, n=len(rows)), expanded=False):
        if rows:
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        else:
            st.caption(t("scen.diff_none", lang))


# --- manage -----------------------------------------------------------------------------------


def create_form(pack: Pack, reg: dict[str, Scenario], current_id: str, lang: str) -> None:
    """Copy a stored or built-in scenario (`reg`) under a new name, for a year of choice."""
    form = ss.key(pack.id, "new")
    if st.session_state.get(f"{form}.source") not in reg:
        source = current_id if current_id in reg else act.default_scenario(reg)
        st.session_state[f"{form}.source"] = source
    years = [act.YEAR_OF_SOURCE, *act.scenario_years(pack)]
    if st.session_state.get(f"{form}.year") not in years:
        st.session_state[f"{form}.year"] = act.YEAR_OF_SOURCE
    with st.form(form, border=False):
        st.selectbox(
            t("scen.new_from", lang),
            options=list(reg),
            format_func=lambda sid: scenario_label(reg[sid], lang) if sid in reg else sid,
            key=f"{form}.source",
        )
        st.text_input(t("scen.name", lang), key=f"{form}.name", max_chars=sc.MAX_NAME)
        st.selectbox(
            t("scen.year", lang),
            options=years,
            format_func=lambda y: (
                t("scen.year_source", lang) if y == act.YEAR_OF_SOURCE else str(y)
            ),
            key=f"{form}.year",
            help=t("scen.year_help", lang),
        )
        st.text_area(t("scen.description", lang), key=f"{form}.description", height=80)
        st.form_submit_button(
            t("scen.create", lang),
            icon=":material/add:",
            on_click=act.on_create,
            args=(pack, form),
            disabled=not may_edit(),
        )
        need_name(lang)


def meta_form(pack: Pack, scenario: Scenario, lang: str) -> None:
    rev = ss.revision(pack.id, scenario.id)
    form = ss.key(pack.id, scenario.id, "meta", str(rev))
    with st.form(form, border=False):
        st.text_input(
            t("scen.name", lang), value=scenario.name, key=f"{form}.name", max_chars=sc.MAX_NAME
        )
        st.text_area(
            t("scen.description", lang),
            value=scenario.description,
            key=f"{form}.description",
            height=80,
        )
        st.form_submit_button(
            t("scen.apply_meta", lang),
            icon=":material/edit:",
            on_click=act.on_meta,
            args=(pack, scenario.id, form),
        )


def delete_section(pack: Pack, scenario: Scenario, lang: str) -> None:
    """Two steps: "Delete…" asks, "Delete" in the warning does it."""
    confirm = ss.key(pack.id, "confirm_delete")
    if st.session_state.get(confirm) != scenario.id:
        st.button(
            t("scen.delete", lang),
            icon=":material/delete:",
            key=ss.key(pack.id, "delete"),
            on_click=lambda: st.session_state.__setitem__(confirm, scenario.id),
        )
        return
    st.warning(t("scen.delete_confirm", lang, name=scenario.name), icon=":material/warning:")
    row = st.container(horizontal=True)
    row.button(
        t("scen.delete_yes", lang),
        type="primary",
        icon=":material/delete_forever:",
        key=ss.key(pack.id, "delete_yes"),
        on_click=act.on_delete,
        args=(pack, scenario.id),
        disabled=not may_edit(),
    )
    row.button(
        t("scen.cancel", lang),
        key=ss.key(pack.id, "delete_no"),
        on_click=lambda: st.session_state.pop(confirm, None),
    )
    need_name(lang)


def manage_panel(
    pack: Pack,
    reg: dict[str, Scenario],
    scenario: Scenario,
    lang: str,
    opened: bool,
    deleted: bool = False,
) -> None:
    """New scenario (from `reg`, the stored and built-in ones); rename, describe, delete."""
    with st.expander(t("scen.new", lang), icon=":material/add_circle:", expanded=opened):
        create_form(pack, reg, scenario.id, lang)
    with st.expander(t("scen.manage", lang), icon=":material/edit_note:"):
        if deleted:
            st.caption(t("scen.deleted_manage", lang))
        elif scenario.builtin:
            st.caption(t("scen.readonly_manage", lang))
        else:
            meta_form(pack, scenario, lang)
            st.divider()
            delete_section(pack, scenario, lang)


# --- history ----------------------------------------------------------------------------------


def history_frame(pack: Pack, entries: list[AuditEntry], lang: str) -> pd.DataFrame:
    """Newest first: when (Vietnam time), who, what, commune, field, old → new."""
    names = kpi.commune_names(pack)
    fields = sc.editable_fields(pack)
    rows = []
    for e in reversed(entries):
        if e.action == "meta":
            field = t(f"scen.meta.{e.column}", lang) if e.column in META_FIELDS else e.column
        else:
            field = field_label(fields.get(e.column or ""), e.column, lang) if e.column else ""
        rows.append(
            {
                t("scen.col.when", lang): shown_time(e.at, seconds=True, label=False),
                t("scen.col.who", lang): e.who,
                t("scen.col.action", lang): t(f"scen.action.{e.action}", lang)
                if e.action in ACTIONS
                else e.action,
                t("scen.col.commune", lang): f"{names.get(e.code, e.code)} ({e.code})"
                if e.code
                else "",
                t("scen.col.field", lang): field,
                t("scen.col.change", lang): f"{shown_value(e.old, lang)} → "
                f"{shown_value(e.new, lang)}",
            }
        )
    columns = [
        t(f"scen.col.{c}", lang) for c in ("when", "who", "action", "commune", "field", "change")
    ]
    return pd.DataFrame(rows, columns=columns)


ACTIONS = ("create", "edit", "import", "revert", "meta", "delete")
META_FIELDS = ("name", "description", "year", "base")


def history(pack: Pack, scenario: Scenario, lang: str) -> None:
    with st.expander(t("scen.history", lang), icon=":material/history:"):
        if scenario.builtin:
            st.caption(t("scen.history_builtin", lang))
            return
        entries = store().history(scenario_id=scenario.id)
        if not entries:
            st.caption(t("scen.history_none", lang))
            return
        st.dataframe(
            history_frame(pack, entries, lang),
            hide_index=True,
            width="stretch",
        )


# --- CSV --------------------------------------------------------------------------------------


def slug(text: str) -> str:
    """A file-name-safe form of a scenario name (accents folded)."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "kich-ban"


def csv_panel(
    pack: Pack, reg: dict[str, Scenario], scenario: Scenario, has_draft: bool, lang: str
) -> None:
    """Download the working scenario's whole table; import a table or an edits file."""
    panel = st.expander(
        t("scen.csv", lang),
        icon=":material/table_view:",
        key=f"scen.{pack.id}.csv_open",
        on_change="rerun",
    )
    if not panel.open:  # lazy: a closed panel builds no table (a nation's is 10,000 rows)
        return
    with panel:
        st.caption(t("scen.csv_hint", lang))
        row = st.container(horizontal=True)
        row.download_button(
            t("scen.export_draft", lang) if has_draft else t("scen.export", lang),
            data=people_csv(scenario_csv.readable_table(pack, scenario, reg, lang), lang),
            file_name=f"{pack.id}-{slug(scenario.name)}.csv",
            mime="text/csv",
            icon=":material/download:",
            key=ss.key(pack.id, "export"),
            on_click="ignore",
        )
        row.download_button(
            t("scen.export_machine", lang),
            data=table_csv(pack, reg, scenario),
            file_name=f"{pack.id}-{slug(scenario.name)}-data.csv",
            mime="text/csv",
            icon=":material/data_object:",
            key=ss.key(pack.id, "export_machine"),
            on_click="ignore",
        )
        if scenario.builtin:
            st.caption(t("scen.import_readonly", lang))
            return
        rev = ss.revision(pack.id, scenario.id)
        uploader = ss.key(pack.id, scenario.id, "upload", str(rev))
        mode = ss.key(pack.id, "import_mode")
        st.file_uploader(t("scen.import_file", lang), type=["csv", "txt"], key=uploader)
        st.radio(
            t("scen.import_mode", lang),
            options=["add", "replace"],
            format_func=lambda m: t(f"scen.import_{m}", lang),
            key=mode,
            horizontal=True,
        )
        if has_draft:
            st.caption(t("scen.import_need_save", lang))
        st.button(
            t("scen.import", lang),
            icon=":material/upload:",
            key=ss.key(pack.id, "import"),
            disabled=has_draft or st.session_state.get(uploader) is None or not may_edit(),
            on_click=act.on_import,
            args=(pack, scenario.id, uploader, mode),
        )
        need_name(lang)
        found = st.session_state.get(ss.key(pack.id, scenario.id, "import_problems")) or []
        problem_list(found, lang, t("scen.import_problems", lang, n=len(found)))
        import_report(pack, scenario, lang)


def table_csv(pack: Pack, reg: dict[str, Scenario], scenario: Scenario) -> bytes:
    """The scenario's table as CSV with a byte order mark, so Excel reads the Vietnamese."""
    return scenario_csv.table_to_csv(pack, scenario, reg).encode("utf-8-sig")


def import_report(pack: Pack, scenario: Scenario, lang: str) -> None:
    """After an import: where the file came from, the columns it ignored, the cells changed."""
    report = st.session_state.get(act.import_report_key(pack.id, scenario.id))
    if not isinstance(report, act.ImportReport):
        return
    source = report.source
    if source.get("scenario"):
        st.info(
            t(
                "scen.import_source",
                lang,
                name=md(source["scenario"]),
                base=md(source.get("base", "—")),
                year=md(source.get("year", "—")),
                target=md(report.target),
            ),
            icon=":material/info:",
        )
    if report.ignored:
        st.warning(t("scen.import_ignored", lang, columns=md(", ".join(report.ignored))))
    changes = report.changes(pack, lang)
    st.markdown(f"**{t('scen.import_changes', lang, n=len(changes))}**")
    if len(changes):
        shown = changes[["commune", "field", "value_a", "value_b"]].rename(
            columns={
                "commune": t("scen.col.commune", lang),
                "field": t("scen.col.field", lang),
                "value_a": t("scen.col.before", lang),
                "value_b": t("scen.col.after", lang),
            }
        )
        st.dataframe(shown, hide_index=True, width="stretch")


# --- save bar and a refused save --------------------------------------------------------------


def save_bar(pack: Pack, scenario: Scenario, lang: str, deleted: bool = False) -> None:
    """Status of the working copy, with Save and Discard when there is something to save.

    Save waits for the user's name; a scenario someone deleted cannot be saved over (the
    stale panel offers "save as new")."""
    draft = ss.get_draft(pack.id, scenario.id)
    if scenario.builtin:
        # One line, not a box: the cards and the map must stay in view together.
        hint = t("scen.builtin_hint", lang, name=md(sc.title(scenario, lang)))
        st.caption(f":material/lock: {hint}")
        return
    info, save, discard = st.columns([4, 1, 1], vertical_alignment="center")
    if draft is None:
        when = shown_time(scenario.updated_at) if scenario.updated_at else "—"
        info.caption(t("scen.status_saved", lang, version=scenario.version, when=when))
    else:
        n = draft.changes()
        info.warning(t("scen.unsaved", lang, n=n), icon=":material/edit:")
    save.button(
        t("scen.save", lang),
        type="primary",
        icon=":material/save:",
        key=ss.key(pack.id, "save"),
        disabled=draft is None or deleted or not may_edit(),
        width="stretch",
        on_click=act.on_save,
        args=(pack, scenario.id),
    )
    discard.button(
        t("scen.discard", lang),
        icon=":material/undo:",
        key=ss.key(pack.id, "discard"),
        disabled=draft is None,
        width="stretch",
        on_click=act.on_discard,
        args=(pack.id, scenario.id),
    )
    if draft is not None:
        need_name(lang)


def stale_panel(pack: Pack, reg: dict[str, Scenario], scenario: Scenario, lang: str) -> None:
    """A save was refused because someone else saved first, or the scenario was deleted:
    explain, keep the draft, offer saving it as a new scenario, downloading it, or (after
    confirming) loading theirs / dropping it."""
    exc = st.session_state.get(ss.stale_key(pack.id, scenario.id))
    draft = ss.get_draft(pack.id, scenario.id)
    if exc is None or draft is None:
        return
    gone = bool(getattr(exc, "deleted", False))
    st.error(exc.message(lang), icon=":material/sync_problem:")
    st.caption(t("scen.stale_keep", lang))
    confirm = ss.key(pack.id, scenario.id, "confirm_reload")
    row = st.container(horizontal=True)
    row.button(
        t("scen.save_as_new", lang),
        icon=":material/save_as:",
        key=ss.key(pack.id, "save_as_new"),
        on_click=act.on_save_as_new,
        args=(pack, scenario.id, lang),
        disabled=not may_edit(),
    )
    row.download_button(
        t("scen.export_draft", lang),
        data=people_csv(scenario_csv.readable_table(pack, draft.scenario, reg, lang), lang),
        file_name=f"{pack.id}-{slug(draft.scenario.name)}-draft.csv",
        mime="text/csv",
        icon=":material/download:",
        key=ss.key(pack.id, "stale_export"),
        on_click="ignore",
    )
    if not st.session_state.get(confirm):
        row.button(
            t("scen.drop_deleted" if gone else "scen.reload_latest", lang),
            icon=":material/delete_sweep:" if gone else ":material/refresh:",
            key=ss.key(pack.id, "reload"),
            on_click=lambda: st.session_state.__setitem__(confirm, True),
        )
        need_name(lang)
        return
    question = "scen.drop_deleted_confirm" if gone else "scen.reload_confirm"
    st.warning(t(question, lang, name=scenario.name), icon=":material/warning:")
    row = st.container(horizontal=True)
    row.button(
        t("scen.drop_deleted_yes" if gone else "scen.reload_yes", lang),
        type="primary",
        key=ss.key(pack.id, "reload_yes"),
        on_click=act.on_reload_latest,
        args=(pack, scenario.id),
    )
    row.button(
        t("scen.cancel", lang),
        key=ss.key(pack.id, "reload_no"),
        on_click=lambda: st.session_state.pop(confirm, None),
    )
