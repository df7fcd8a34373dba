"""The scenarios page's widget callbacks, called as Streamlit calls them.

AppTest cannot type into `st.data_editor` or click a Leaflet map, so the page tests fill the
edit queue directly; these tests check that the callbacks fill it the same way from what the
widgets put in session state (`edited_rows` keys are row positions, ints from Python and
strings once they went through the browser's JSON).
"""

from __future__ import annotations

import pytest
import streamlit as st

from atlas.roles import Account
from ui import scenario_actions as act
from ui import scenario_state as ss

PACK, SID, EDITOR, MAP = "cang_long", "s1", "editor", "map"
CODES = ["29266", "29269", "29272"]


@pytest.fixture
def state(monkeypatch: pytest.MonkeyPatch) -> dict:
    """A plain dict standing in for `st.session_state` (the callbacks only get/set/pop)."""
    fake: dict = {}
    monkeypatch.setattr(st, "session_state", fake)
    return fake


def pending(state: dict) -> list[dict]:
    return state.get(ss.pending_key(PACK, SID), [])


@pytest.mark.parametrize("row_key", [lambda i: i, str], ids=["int", "str"])
def test_a_table_edit_queues_each_changed_cell_with_its_commune(state: dict, row_key) -> None:
    state[EDITOR] = {
        "edited_rows": {row_key(0): {"coverage_5g": True}, row_key(2): {"agencies": 4}},
        "added_rows": [],
        "deleted_rows": [],
    }
    act.on_table_edit(PACK, SID, EDITOR, CODES)
    assert pending(state) == [
        {"code": "29266", "column": "coverage_5g", "value": True},
        {"code": "29272", "column": "agencies", "value": 4},
    ]
    assert ss.revision(PACK, SID) == 1  # the table is drawn afresh from the draft


def test_a_table_edit_adds_to_the_queue_and_ignores_rows_it_does_not_know(state: dict) -> None:
    state[ss.pending_key(PACK, SID)] = [{"code": "29266", "toggle": True}]
    state[EDITOR] = {"edited_rows": {"1": {"hamlets": 9}, "7": {"hamlets": 1}, -1: {"x": 1}}}
    act.on_table_edit(PACK, SID, EDITOR, CODES)
    assert pending(state) == [
        {"code": "29266", "toggle": True},
        {"code": "29269", "column": "hamlets", "value": 9},
    ]


def test_a_table_callback_without_edits_queues_nothing(state: dict) -> None:
    act.on_table_edit(PACK, SID, EDITOR, CODES)
    assert pending(state) == []


def test_a_map_click_queues_a_switch_of_the_clicked_commune(state: dict) -> None:
    state[MAP] = {
        "last_active_drawing": {"type": "Feature", "properties": {"_code": "29305", "name": "x"}},
        "last_object_clicked_count": 3,
    }
    act.on_map_click(PACK, SID, MAP)
    assert pending(state) == [{"code": "29305", "toggle": True}]


@pytest.mark.parametrize(
    "value",
    [None, {}, {"last_active_drawing": None}, {"last_active_drawing": {"properties": {}}}, "x"],
    ids=["none", "empty", "no-drawing", "no-code", "not-a-dict"],
)
def test_a_map_event_without_a_commune_queues_nothing(state: dict, value: object) -> None:
    state[MAP] = value
    act.on_map_click(PACK, SID, MAP)
    assert pending(state) == []


# --- who is saving --------------------------------------------------------------------------


@pytest.mark.parametrize("who", [None, Account("Xem", "viewer"), Account("K", "editor", True)])
def test_a_save_without_an_editor_writes_nothing_and_says_why(
    state: dict, monkeypatch: pytest.MonkeyPatch, who
) -> None:
    monkeypatch.setattr(act, "signed_in", lambda: who)
    monkeypatch.setattr(act, "store", lambda: pytest.fail("the store must not be touched"))
    act.on_save(FakePack(), SID)
    [message] = state[ss.flash_key(PACK)]
    assert message.level == "warning"
    assert "Đăng nhập với vai trò Biên tập" in message.texts["vi"]
    assert "Sign in as an editor" in message.texts["en"]


class FakePack:
    """Only the id: a save without a name must stop before reading anything else."""

    id = PACK


def test_a_message_outlives_the_runs_the_browser_asks_for_until_the_user_moves_on(
    state: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []
    monkeypatch.setattr(st, "success", drawn.append)
    ss.flash(PACK, "success", "scen.created", name="Phủ 5G")
    for _ in range(3):  # the callback's own run, the remounted map's, any later one
        ss.show_flash(PACK, "vi")
    assert drawn == ["Đã tạo kịch bản “Phủ 5G”."] * 3
    ss.show_flash(PACK, "vi", arrived=True)  # back from another page: already read
    assert len(drawn) == 3 and ss.flash_key(PACK) not in state
    ss.flash(PACK, "success", "scen.created", name="Phủ 5G")
    ss.show_flash(PACK, "vi")
    state["m"] = {"last_active_drawing": None}
    act.on_map_click(PACK, SID, "m")  # a map's first value is no user action
    assert state[ss.flash_key(PACK)]
    state["m"] = {"last_active_drawing": {"properties": {"_code": CODES[0]}}}
    act.on_map_click(PACK, SID, "m")  # a click on a commune is
    assert ss.flash_key(PACK) not in state


def test_a_new_action_replaces_the_messages_already_shown_and_stacks_its_own(
    state: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []
    monkeypatch.setattr(st, "success", drawn.append)
    monkeypatch.setattr(st, "info", drawn.append)
    ss.flash(PACK, "success", "scen.created", name="A")
    ss.show_flash(PACK, "en")
    ss.flash(PACK, "info", "scen.discarded")
    ss.flash(PACK, "success", "scen.created", name="B")
    drawn.clear()
    ss.show_flash(PACK, "en")
    assert drawn[1] == "Created scenario “B”." and len(drawn) == 2 and "“A”" not in drawn[0]


def test_a_name_in_a_message_is_shown_as_text_not_markdown(
    state: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scenario or account named with a Markdown image must not make the page fetch it."""
    drawn: list[str] = []
    monkeypatch.setattr(st, "success", drawn.append)
    monkeypatch.setattr(st, "error", drawn.append)
    image = "![t](http://tracker.example/p.png)"
    ss.flash(PACK, "success", "scen.created", name=image)
    ss.flash_text(PACK, "error", {"vi": f"Tài khoản “{image}” đã bị khoá.", "en": image})
    ss.show_flash(PACK, "vi")
    assert len(drawn) == 2 and all("![" not in text and "\\!\\[t\\]" in text for text in drawn)
