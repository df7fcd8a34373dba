"""The scenarios page's session state: the working copy (draft), pending edits, messages.

Everything lives in `st.session_state` under keys that start with `scen.<pack id>.`, so each
district keeps its own selection and drafts. A *draft* is the unsaved, edited copy of one
scenario together with the version it was loaded at: a save names that version, so a copy
someone else has saved over in the meantime is refused instead of overwriting their work.

Edits reach the draft through a queue (`pending_key`): the table's and the map's callbacks
append to it, and the page applies it (validated) before it draws anything, so the KPI cards,
the map and the table of one run always show the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from atlas.edit_rule import same_value
from atlas.i18n import LANGS, t
from atlas.scenarios import Problem, Scenario
from ui.widgets import md

PREFIX = "scen."
KEEP = ".keep"


def key(pack_id: str, *parts: str) -> str:
    """`scen.<pack>.<part>.<part>…`"""
    return ".".join([f"{PREFIX}{pack_id}", *parts])


def pick_key(pack_id: str) -> str:
    """The scenario picker's widget key (its value is a scenario id)."""
    return key(pack_id, "pick")


def target_key(pack_id: str) -> str:
    """The target picker's widget key (its value is a target id)."""
    return key(pack_id, "target")


def draft_key(pack_id: str, scenario_id: str) -> str:
    return key(pack_id, scenario_id, "draft")


def pending_key(pack_id: str, scenario_id: str) -> str:
    """Edits waiting to be applied: dicts {code, column, value} or {code, toggle: True}."""
    return key(pack_id, scenario_id, "pending")


def stale_key(pack_id: str, scenario_id: str) -> str:
    return key(pack_id, scenario_id, "stale")


def problems_key(pack_id: str) -> str:
    return key(pack_id, "problems")


def flash_key(pack_id: str) -> str:
    return key(pack_id, "flash")


# --- widgets that survive page switches -------------------------------------------------------
# Streamlit drops the state of widgets a run does not draw. A copy under `<key>.keep` (not a
# widget key) is put back before the widget is drawn again.


def restore(widget_key: str) -> None:
    """Before drawing the widget: bring back its value from the last time it was shown."""
    if widget_key not in st.session_state and widget_key + KEEP in st.session_state:
        st.session_state[widget_key] = st.session_state[widget_key + KEEP]


def remember(widget_key: str) -> None:
    """After drawing the widget: keep its value for when the page is shown again."""
    if widget_key in st.session_state:
        st.session_state[widget_key + KEEP] = st.session_state[widget_key]


def choose(widget_key: str, value: object) -> None:
    """Set a widget's value from a callback (before the widget is drawn in the next run)."""
    st.session_state[widget_key] = value
    st.session_state[widget_key + KEEP] = value


# --- the draft --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """The edited, unsaved scenario and the scenario as it was loaded (its version is the one
    a save names; 0 = never saved)."""

    scenario: Scenario
    original: Scenario

    @property
    def loaded_version(self) -> int:
        return self.original.version

    def changes(self) -> int:
        """How many cells, plus name and description, differ from the loaded scenario."""
        mine, theirs = self.scenario.edits, self.original.edits
        cells = len(set(mine) ^ set(theirs))
        cells += sum(1 for k in set(mine) & set(theirs) if not same_value(mine[k], theirs[k]))
        meta = sum(
            getattr(self.scenario, f) != getattr(self.original, f)
            for f in ("name", "description", "base")
        )
        return cells + meta


def get_draft(pack_id: str, scenario_id: str) -> Draft | None:
    found = st.session_state.get(draft_key(pack_id, scenario_id))
    return found if isinstance(found, Draft) else None


def drafts(pack_id: str) -> list[Draft]:
    """Every draft of the pack in this session (a scenario someone else deleted included)."""
    prefix, suffix = key(pack_id, ""), ".draft"
    found = [
        value
        for name, value in list(st.session_state.items())
        if isinstance(name, str) and name.startswith(prefix) and name.endswith(suffix)
    ]
    return [d for d in found if isinstance(d, Draft)]


def set_draft(pack_id: str, draft: Draft) -> None:
    st.session_state[draft_key(pack_id, draft.scenario.id)] = draft


def drop_draft(pack_id: str, scenario_id: str) -> None:
    st.session_state.pop(draft_key(pack_id, scenario_id), None)
    st.session_state.pop(stale_key(pack_id, scenario_id), None)
    bump(pack_id, scenario_id)


def revision(pack_id: str, scenario_id: str) -> int:
    """Bumped whenever the draft is replaced from outside the table, so the table (and the
    forms) are drawn afresh from it instead of keeping the values typed into them."""
    return int(st.session_state.get(key(pack_id, scenario_id, "rev"), 0))


def bump(pack_id: str, scenario_id: str) -> None:
    name = key(pack_id, scenario_id, "rev")
    st.session_state[name] = int(st.session_state.get(name, 0)) + 1


def enqueue(pack_id: str, scenario_id: str, *items: dict[str, Any]) -> None:
    name = pending_key(pack_id, scenario_id)
    st.session_state[name] = [*st.session_state.get(name, []), *items]


# --- messages shown on the next runs ----------------------------------------------------------
# A message stays until the user does something else: a run the browser asks for on its own
# (the remounted map sends its first value right after a callback) must not wipe "Created …"
# before anyone has read it, however slow the machine. It goes when another action brings its
# own message, on an edit or another scenario (`clear_flash`), or when the user leaves the page.


@dataclass
class Flash:
    """One message from a callback: its level, its text by language, whether it was drawn."""

    level: str
    texts: dict[str, str]
    shown: bool = False


def flash(pack_id: str, level: str, text_key: str, **kwargs: object) -> None:
    """A message from a callback, shown at the top of the page from the next run on. The
    values put into it (a scenario's or an account's name) are shown as text, not Markdown."""
    shown = {k: md(v) if isinstance(v, str) else v for k, v in kwargs.items()}
    _keep(pack_id, level, {lang: t(text_key, lang, **shown) for lang in LANGS})


def flash_text(pack_id: str, level: str, texts: dict[str, str]) -> None:
    """`texts` by language (e.g. a StoreError's or a Problem's vi/en message), plain text that
    names scenarios, communes and accounts: shown as text (escaped for Markdown)."""
    _keep(pack_id, level, {lang: md(text) for lang, text in texts.items()})


def _keep(pack_id: str, level: str, texts: dict[str, str]) -> None:
    """Messages already shown belong to an earlier action and make way; those of this action
    stack."""
    name = flash_key(pack_id)
    fresh = [f for f in st.session_state.get(name, []) if not f.shown]
    st.session_state[name] = [*fresh, Flash(level, dict(texts))]


def flash_problems(pack_id: str, problems: list[Problem]) -> None:
    for p in problems:
        flash_text(pack_id, "error", {lang: p.message(lang) for lang in LANGS})


def clear_flash(pack_id: str) -> None:
    """Forget the messages of earlier actions (the user has moved on)."""
    st.session_state.pop(flash_key(pack_id), None)


def show_flash(pack_id: str, lang: str, arrived: bool = False) -> None:
    """Draw the messages of the last action; `arrived` (the user has just come from another
    page) drops those already drawn before."""
    name = flash_key(pack_id)
    items = [f for f in st.session_state.get(name, []) if not (arrived and f.shown)]
    draw = {"success": st.success, "info": st.info, "warning": st.warning}
    for item in items:
        item.shown = True
        draw.get(item.level, st.error)(item.texts.get(lang) or next(iter(item.texts.values()), ""))
    if items:
        st.session_state[name] = items
    else:
        st.session_state.pop(name, None)
