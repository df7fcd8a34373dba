"""What the scenarios page's buttons, table and map do to the draft and the store.

The functions named `on_*` are Streamlit callbacks: they run before the next run of the page,
change the draft or the store, and leave a message (`ui.scenario_state.flash`) for that run.
`apply_pending` is called by the page itself, before it draws anything.

Store refusals are never swallowed: a stale save keeps the draft and shows the store's own
message; a name clash, a scenario in use or a built-in shows the reason in the user's language;
a database that is locked, full or gone says so and keeps the draft. Every write names the
signed-in account (`ui.auth.signed_in`); the store checks its role (`atlas.roles.require`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from atlas import kpi, reports, scenario_csv
from atlas import scenarios as sc
from atlas.edit_rule import same_value
from atlas.i18n import LANGS, t
from atlas.kpi import CODE
from atlas.roles import Account, RoleError, can
from atlas.scenarios import Problem, Scenario, ScenarioError
from atlas.spec import Pack, TargetSpec
from atlas.store import StaleScenarioError, StoreError, shown_time
from ui import scenario_state as ss
from ui.auth import signed_in
from ui.scenario_data import registry, store

# Why a write did not happen: told to the user, the draft kept. SQLAlchemyError and OSError
# are a locked, full or unreachable database, not a bug: they must not show a traceback.
REFUSED = (StoreError, RoleError, ScenarioError, SQLAlchemyError, OSError)

# --- reading ----------------------------------------------------------------------------------


def with_deleted(pack: Pack, stored: dict[str, Scenario]) -> tuple[dict[str, Scenario], set[str]]:
    """The stored scenarios plus those this session has a draft of but the store no longer
    lists (a colleague deleted them): the draft stays reachable, and can be saved as new."""
    # As loaded, not as edited: `working` gives the draft, and the registry must not pass an
    # edited copy off as the stored version (the materialised figures are cached by version).
    gone = {
        d.scenario.id: d.original
        for d in ss.drafts(pack.id)
        if d.scenario.id not in stored and not d.scenario.builtin
    }
    return {**stored, **gone}, set(gone)


def mark_deleted(pack: Pack, scenario_id: str) -> None:
    """Explain a deleted scenario's draft as a refused save would: who deleted it and when."""
    draft = ss.get_draft(pack.id, scenario_id)
    if draft is None or st.session_state.get(ss.stale_key(pack.id, scenario_id)) is not None:
        return
    try:
        entry = store().deletion(scenario_id)
    except REFUSED:
        entry = None
    st.session_state[ss.stale_key(pack.id, scenario_id)] = StaleScenarioError(
        scenario_id,
        draft.original.name,
        draft.loaded_version,
        None,
        who=entry.who if entry else None,
        at=entry.at if entry else None,
        deleted=True,
    )


def note_gone(pack: Pack, scenario_id: str) -> None:
    """The scenario shown last is no longer stored (and there is no draft): say who deleted it."""
    try:
        entry = store().deletion(scenario_id)
        name = store().get(scenario_id, include_deleted=True).name if entry else ""
    except REFUSED:
        return
    if entry is not None:
        at = shown_time(entry.at)
        ss.flash(pack.id, "info", "scen.gone", name=name, who=entry.who, at=at)


def working(pack: Pack, reg: dict[str, Scenario], scenario_id: str) -> Scenario | None:
    """The scenario as the user sees it: their draft if they have one, else the stored one."""
    draft = ss.get_draft(pack.id, scenario_id)
    if draft is not None:
        return draft.scenario
    return reg.get(scenario_id)


def toggle_column(pack: Pack, target: TargetSpec) -> str | None:
    """The yes/no column a click on the map switches for this target, if it has one."""
    if target.aggregate != "share_true":
        return None
    spec = sc.editable_fields(pack).get(target.column)
    return target.column if spec is not None and spec.type == "bool" else None


def cell(frame: pd.DataFrame, code: str, column: str) -> object:
    """One value of a commune frame as a plain Python value (None for no data)."""
    rows = frame.index[frame[CODE] == code]
    if len(rows) == 0 or column not in frame.columns:
        return None
    value = frame.at[rows[0], column]
    if value is pd.NA or value is None or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


# --- edits ------------------------------------------------------------------------------------


def apply_pending(
    pack: Pack, reg: dict[str, Scenario], scenario_id: str, target_id: str | None
) -> None:
    """Validate the queued edits one by one and write the valid ones into the draft.

    A map click (`toggle`) switches the selected target's yes/no column. An invalid edit is not
    applied; its problem (naming commune and field) is kept for the table to show. An edit
    back to the base's value removes the edit instead of storing a copy of the base.
    """
    items = st.session_state.pop(ss.pending_key(pack.id, scenario_id), [])
    if not items:
        return
    current = working(pack, reg, scenario_id)
    if current is None:
        return
    if current.builtin:
        texts = {
            lang: t("scen.click_readonly", lang, name=sc.title(current, lang)) for lang in LANGS
        }
        ss.flash_text(pack.id, "info", texts)
        return
    draft = ss.get_draft(pack.id, scenario_id) or ss.Draft(current, current)
    scenario = draft.scenario
    base = sc.base_frame(pack, scenario, reg)
    frame = sc.apply_edits(base, scenario.edits)
    names = kpi.commune_names(pack)
    problems: list[Problem] = []
    for item in items:
        code = str(item.get("code") or "")
        if item.get("toggle"):
            target = next((tg for tg in pack.targets if tg.id == target_id), None)
            column = toggle_column(pack, target) if target is not None else None
            if target is None or column is None:
                texts = {
                    lang: t(
                        "scen.click_table_only",
                        lang,
                        target=target.label.get(lang) if target is not None else "",
                        commune=names.get(code, code),
                    )
                    for lang in LANGS
                }
                ss.flash_text(pack.id, "info", texts)
                continue
            now = cell(frame, code, column)
            raw: object = True if now is None else not bool(now)
        else:
            column = str(item.get("column") or "")
            raw = item.get("value")
        value, bad = sc.validate_edit(pack, frame, code, column, raw)
        if bad:
            problems.extend(bad)
            continue
        if same_value(value, cell(base, code, column)):
            scenario = sc.clear_edit(scenario, code, column)
        else:
            scenario = sc.set_edit(scenario, code, column, value)
        frame = sc.apply_edits(frame, {(code, column): value})
    st.session_state[ss.problems_key(pack.id)] = problems
    keep_or_drop(pack, ss.Draft(scenario, draft.original))


def keep_or_drop(pack: Pack, draft: ss.Draft) -> None:
    """Keep the draft, unless it is back to exactly what was loaded (nothing left to save)."""
    if draft.changes() == 0:
        st.session_state.pop(ss.draft_key(pack.id, draft.scenario.id), None)
    else:
        ss.set_draft(pack.id, draft)


def on_table_edit(pack_id: str, scenario_id: str, editor_key: str, codes: list[str]) -> None:
    """The table changed: queue each changed cell, and draw the table afresh from the draft."""
    state = st.session_state.get(editor_key) or {}
    items = []
    for row, values in (state.get("edited_rows") or {}).items():
        position = int(row)
        if 0 <= position < len(codes):
            for column, value in values.items():
                items.append({"code": codes[position], "column": column, "value": value})
    ss.clear_flash(pack_id)
    ss.enqueue(pack_id, scenario_id, *items)
    ss.bump(pack_id, scenario_id)


def on_map_click(pack_id: str, scenario_id: str, map_key: str) -> None:
    """A click on the map: queue a switch of the clicked commune (read from its `_code`)."""
    value = st.session_state.get(map_key) or {}
    drawing = value.get("last_active_drawing") if isinstance(value, dict) else None
    props = (drawing or {}).get("properties") or {}
    code = props.get("_code")
    if code:  # not the value a freshly mounted map sends: that is no user action
        ss.clear_flash(pack_id)
        ss.enqueue(pack_id, scenario_id, {"code": str(code), "toggle": True})


# --- saving -----------------------------------------------------------------------------------


def _refused(pack_id: str, exc: Exception) -> None:
    if isinstance(exc, StoreError | RoleError):
        ss.flash_text(pack_id, "error", {lang: exc.message(lang) for lang in LANGS})
    elif isinstance(exc, ScenarioError):
        ss.flash_problems(pack_id, exc.problems)
    elif isinstance(exc, SQLAlchemyError | OSError):
        ss.flash(pack_id, "error", "scen.db_error", error=_reason(exc))
    else:
        raise exc


def _reason(exc: Exception) -> str:
    """The database's own words ("database is locked"), without SQLAlchemy's SQL dump."""
    original = getattr(exc, "orig", None) or exc
    text = str(original).splitlines()[0] if str(original) else type(original).__name__
    return text[:200]


def _who(pack_id: str) -> Account | None:
    """The signed-in account that writes, or None (with a message) when none may."""
    who = signed_in()
    if not can(who, "edit_scenario"):
        ss.flash(pack_id, "warning", "auth.need_editor")
        return None
    return who


def on_save(pack: Pack, scenario_id: str) -> None:
    draft = ss.get_draft(pack.id, scenario_id)
    who = _who(pack.id)
    if draft is None or who is None:
        return
    try:
        reg = registry(pack)
        saved = store().save(
            draft.scenario,
            expected_version=draft.loaded_version,
            by=who,
            base=sc.base_frame(pack, draft.scenario, reg),
        )
    except StaleScenarioError as exc:
        # Nothing is lost: the draft stays, the page explains and offers ways out.
        st.session_state[ss.stale_key(pack.id, scenario_id)] = exc
        return
    except REFUSED as exc:
        _refused(pack.id, exc)
        return
    ss.drop_draft(pack.id, scenario_id)
    st.session_state.pop(ss.problems_key(pack.id), None)
    ss.flash(pack.id, "success", "scen.saved", name=saved.name, version=saved.version)


def on_discard(pack_id: str, scenario_id: str) -> None:
    ss.drop_draft(pack_id, scenario_id)
    st.session_state.pop(ss.problems_key(pack_id), None)
    st.session_state.pop(ss.key(pack_id, scenario_id, "confirm_reload"), None)
    ss.flash(pack_id, "info", "scen.discarded")


def on_reload_latest(pack: Pack, scenario_id: str) -> None:
    """After a refused save, and only once the user confirmed: drop the draft, show the latest."""
    st.session_state.pop(ss.key(pack.id, scenario_id, "confirm_reload"), None)
    ss.drop_draft(pack.id, scenario_id)
    reg = registry(pack)
    if scenario_id in reg:
        ss.flash(pack.id, "info", "scen.reloaded", name=reg[scenario_id].name)
    else:
        ss.choose(ss.pick_key(pack.id), default_scenario(reg))


def unique_name(reg: dict[str, Scenario], name: str) -> str:
    """`name`, else `name (2)`, `name (3)`… whichever is free in the pack."""
    candidate, n = name.strip(), 2
    while sc.check_name(candidate, reg):
        candidate = f"{name.strip()} ({n})"
        n += 1
    return candidate


def on_save_as_new(pack: Pack, scenario_id: str, lang: str) -> None:
    """Save the draft as a new scenario (after someone else saved over the original)."""
    draft = ss.get_draft(pack.id, scenario_id)
    who = _who(pack.id)
    if draft is None or who is None:
        return
    try:
        reg = registry(pack)
        name = unique_name(reg, t("scen.copy_name", lang, name=draft.scenario.name))
        copy = replace(
            sc.copy_scenario(draft.scenario, name), description=draft.scenario.description
        )
        saved = store().save(copy, expected_version=0, by=who, base=sc.base_frame(pack, copy, reg))
    except REFUSED as exc:
        _refused(pack.id, exc)
        return
    ss.drop_draft(pack.id, scenario_id)
    ss.choose(ss.pick_key(pack.id), saved.id)
    ss.flash(pack.id, "success", "scen.saved_as_new", name=saved.name)


# --- managing ---------------------------------------------------------------------------------


def default_scenario(reg: dict[str, Scenario]) -> str:
    """The latest measured built-in (what the district looks like today), else the first."""
    measured = [s for s in reg.values() if s.builtin and s.base == sc.MEASURED]
    return (measured[-1] if measured else next(iter(reg.values()))).id


YEAR_OF_SOURCE = "source"


def scenario_years(pack: Pack) -> list[int]:
    """The years a new scenario may be for: the pack's data years and the targets' years."""
    return sorted(set(kpi.data_years(pack)) | {tg.year for tg in pack.targets})


def on_create(pack: Pack, form: str) -> None:
    """Copy the chosen scenario (built-ins too) under a new name and for the chosen year, and
    save it at once. The copy keeps the source's base kind and edits; its base figures are
    those of the chosen year, so its edits are checked against them first."""
    source_id = st.session_state.get(f"{form}.source")
    name = str(st.session_state.get(f"{form}.name") or "").strip()
    description = str(st.session_state.get(f"{form}.description") or "").strip()
    year = st.session_state.get(f"{form}.year", YEAR_OF_SOURCE)
    who = _who(pack.id)
    if who is None:
        return
    try:
        reg = registry(pack)
        if source_id not in reg:
            return
        problems = sc.check_name(name, reg)
        copy = replace(sc.copy_scenario(reg[source_id], name), description=description)
        if year != YEAR_OF_SOURCE:
            copy = replace(copy, year=int(year))
        problems = problems or sc.validate_scenario(pack, copy, reg)
        if problems:
            ss.flash_problems(pack.id, problems)
            return
        saved = store().save(copy, expected_version=0, by=who, base=sc.base_frame(pack, copy, reg))
    except REFUSED as exc:
        _refused(pack.id, exc)
        return
    st.session_state[f"{form}.name"] = ""
    st.session_state[f"{form}.description"] = ""
    st.session_state[f"{form}.year"] = YEAR_OF_SOURCE
    ss.choose(ss.pick_key(pack.id), saved.id)
    ss.flash(pack.id, "success", "scen.created", name=saved.name)


def on_meta(pack: Pack, scenario_id: str, form: str) -> None:
    """New name and description go into the draft; Save stores them with the other changes."""
    reg = registry(pack)
    current = working(pack, reg, scenario_id)
    if current is None or current.builtin:
        return
    name = str(st.session_state.get(f"{form}.name") or "").strip()
    description = str(st.session_state.get(f"{form}.description") or "").strip()
    problems = sc.check_name(name, reg, exclude_id=scenario_id)
    if problems:
        ss.flash_problems(pack.id, problems)
        return
    draft = ss.get_draft(pack.id, scenario_id) or ss.Draft(current, current)
    edited = sc.describe(sc.rename(draft.scenario, name), description)
    keep_or_drop(pack, ss.Draft(edited, draft.original))
    if ss.get_draft(pack.id, scenario_id) is not None:
        ss.flash(pack.id, "info", "scen.meta_applied")


def on_delete(pack: Pack, scenario_id: str) -> None:
    """Delete, after the confirmation step; refused while another scenario is based on it."""
    st.session_state.pop(ss.key(pack.id, "confirm_delete"), None)
    who = _who(pack.id)
    if who is None:
        return
    try:
        reg = registry(pack)
        current = reg.get(scenario_id)
        if current is None:
            return
        draft = ss.get_draft(pack.id, scenario_id)
        expected = draft.loaded_version if draft is not None else current.version
        store().delete(scenario_id, expected_version=expected, by=who)
    except REFUSED as exc:
        _refused(pack.id, exc)
        return
    ss.drop_draft(pack.id, scenario_id)
    rest = {k: v for k, v in reg.items() if k != scenario_id}
    ss.choose(ss.pick_key(pack.id), default_scenario(rest))
    ss.flash(pack.id, "success", "scen.deleted", name=current.name)


# --- CSV --------------------------------------------------------------------------------------


def read_upload(
    pack: Pack, scenario: Scenario, data: bytes, replace_all: bool
) -> scenario_csv.CsvImport:
    """The uploaded file checked against `scenario` (problems carry their CSV row)."""
    text = scenario_csv.decode(data)
    if text is None:
        vi, en = (t("scen.import_not_text", lang) for lang in ("vi", "en"))
        return scenario_csv.CsvImport("none", problems=[Problem("not_text", vi, en)])
    reg = {**registry(pack), scenario.id: scenario}
    return scenario_csv.read_csv(pack, text, scenario, reg, replace_all)


def import_csv(
    pack: Pack, scenario: Scenario, data: bytes, who: Account, replace_all: bool
) -> tuple[Scenario | None, list[Problem]]:
    """All or nothing: (saved scenario, []) or (None, problems with their CSV row)."""
    parsed = read_upload(pack, scenario, data, replace_all)
    if parsed.problems:
        return None, parsed.problems
    return store().save_import(pack, scenario, parsed, who, replace_all), []


@dataclass(frozen=True)
class ImportReport:
    """What the last import did, for the CSV panel: the file's own scenario/base/year, the
    columns it ignored, and the figures before and after it."""

    target: str
    source: dict[str, str]
    ignored: list[str]
    before: pd.DataFrame
    after: pd.DataFrame

    def changes(self, pack: Pack, lang: str) -> pd.DataFrame:
        """The cells the import changed (commune, field, before, after), as users read them."""
        return reports.commune_differences(pack, self.before, self.after, lang)


def import_report_key(pack_id: str, scenario_id: str) -> str:
    return ss.key(pack_id, scenario_id, "import_report")


def on_import(pack: Pack, scenario_id: str, uploader_key: str, mode_key: str) -> None:
    """Check the file, save it (all or nothing), and leave a report of what changed."""
    upload = st.session_state.get(uploader_key)
    problems_key = ss.key(pack.id, scenario_id, "import_problems")
    st.session_state.pop(problems_key, None)
    st.session_state.pop(import_report_key(pack.id, scenario_id), None)
    who = _who(pack.id)
    if who is None:
        return
    if ss.get_draft(pack.id, scenario_id) is not None:
        ss.flash(pack.id, "warning", "scen.import_need_save")
        return
    replace_all = st.session_state.get(mode_key) == "replace"
    try:
        reg = registry(pack)
        current = reg.get(scenario_id)
        if upload is None or current is None or current.builtin:
            return
        parsed = read_upload(pack, current, upload.getvalue(), replace_all)
        if parsed.problems:
            st.session_state[problems_key] = parsed.problems
            return
        before = sc.materialise(pack, current, reg)
        saved = store().save_import(pack, current, parsed, who, replace_all)
        after = sc.materialise(pack, saved, {**reg, saved.id: saved})
    except REFUSED as exc:
        _refused(pack.id, exc)
        return
    report = ImportReport(saved.name, parsed.source, parsed.ignored, before, after)
    st.session_state[import_report_key(pack.id, scenario_id)] = report
    ss.bump(pack.id, scenario_id)
    n = len(report.changes(pack, "vi"))
    ss.flash(pack.id, "success", "scen.imported", n=n, name=saved.name, version=saved.version)
