"""The scenarios page in AppTest: pick, copy, edit, save, a refused stale save, delete, CSV.

Each test gets its own scenario database (ATLAS_DB in tmp_path) and a fresh `Store`, because
`ui.scenario_data` keeps one store per database URL for the whole process.

AppTest cannot type into `st.data_editor` or click a Leaflet map, so edits are queued the way
the table's and the map's callbacks queue them (`ui.scenario_state.pending_key`); the page
applies and validates the queue exactly as it does for the real widgets.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from atlas import kpi
from atlas import scenarios as sc
from atlas.i18n import STRINGS
from atlas.loader import load_pack
from atlas.roles import Account
from atlas.store import Store, default_url, open_store
from tests.accounts import EDITOR, make_accounts, sign_in_apptest
from tests.conftest import REPO_ROOT
from ui import scenario_state as ss

HOA = Account("Phạm Thị Hoa", "editor")
OTHER = Account("Bình", "editor")
BOSS = Account("Bình", "admin")  # deletes a colleague's scenario

PAGE = "pages/scenarios.py"
UI_FILES = [REPO_ROOT / "pages" / "scenarios.py", *(REPO_ROOT / "ui").glob("scenario_*.py")]


@pytest.fixture
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """A fresh scenario database for this test; returns its URL."""
    from ui.scenario_data import _store

    path = tmp_path / "scenarios.db"
    monkeypatch.setenv("ATLAS_DB", str(path))
    _store.clear()
    yield f"sqlite:///{path}"
    _store.clear()


def open_page(app_test: AppTest, pack: str = "cang_long", user: Account | None = EDITOR) -> AppTest:
    """The scenarios page of `pack`, with `user` (an editor) signed in through the sidebar."""
    at = app_test.run()
    if user:
        make_accounts(default_url(), user)
        sign_in_apptest(at, user)
    if pack != "cang_long":
        at.sidebar.selectbox(key="pack").set_value(pack).run()
    at.session_state[f"scen.{pack}.csv_open"] = True  # the CSV panel, open (it is lazy)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> tuple[str, str]:
    found = [m for m in at.metric if m.label == label]
    assert found, [m.label for m in at.metric]
    return found[0].value, found[0].delta


def button(at: AppTest, label: str):
    found = [b for b in at.button if b.label == label]
    assert found, [b.label for b in at.button]
    return found[0]


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def create(at: AppTest, name: str, source: str = "measured-2025", pack: str = "cang_long") -> str:
    """Copy `source` under `name` with the page's form; returns the new scenario's id."""
    form = ss.key(pack, "new")
    at.selectbox(key=f"{form}.source").set_value(source)
    at.text_input(key=f"{form}.name").set_value(name)
    at.text_area(key=f"{form}.description").set_value("Thử nghiệm")
    button(at, "Tạo").click().run()
    assert not at.exception, at.exception
    chosen = at.selectbox(key=ss.pick_key(pack)).value
    assert chosen not in (None, source)
    return chosen


def meta_form(at: AppTest, sid: str, pack: str = "cang_long") -> str:
    """The rename form's key prefix (it is redrawn afresh at each revision of the draft)."""
    rev = ss.key(pack, sid, "rev")
    return ss.key(pack, sid, "meta", str(at.session_state.get(rev, 0)))


def queue(at: AppTest, scenario_id: str, *items: dict, pack: str = "cang_long") -> AppTest:
    at.session_state[ss.pending_key(pack, scenario_id)] = list(items)
    at.run()
    assert not at.exception, at.exception
    return at


def without_5g(pack) -> str:
    frame = kpi.measured_frame(pack, 2025)
    return str(frame.loc[frame["coverage_5g"].eq(False).fillna(False), "code"].iloc[0])


# --- tests ------------------------------------------------------------------------------------


def test_every_scen_key_the_page_uses_exists() -> None:
    used: set[str] = set()
    for path in UI_FILES:
        used |= set(re.findall(r"""["'](scen\.[a-z0-9_.]+)["']""", path.read_text("utf-8")))
    used = {k for k in used if not k.endswith(".")}
    assert used - set(STRINGS) == set()


@pytest.mark.parametrize("pack", ["cang_long", "chi_lang"])
def test_page_shows_a_builtin_scenario_with_kpis_for_both_packs(
    app_test: AppTest, db: str, pack: str
) -> None:
    at = open_page(app_test, pack)
    assert texts(at.title) == ["Kịch bản phủ sóng"]
    loaded = load_pack(REPO_ROOT / "geodata" / pack).pack
    assert [m.label for m in at.metric] == [tg.label.vi for tg in loaded.targets]
    assert at.selectbox(key=ss.pick_key(pack)).value == "measured-2025"
    assert any("kịch bản có sẵn" in c for c in texts(at.caption))
    assert any("Bản đồ sơ đồ" in e.label for e in at.expander)  # the honesty note
    # Built-ins are read-only: no Save button, and the table is all disabled.
    assert not [b for b in at.button if b.label == "Lưu"]

    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert texts(at.title) == ["Coverage scenarios"]
    assert [m.label for m in at.metric] == [tg.label.en for tg in loaded.targets]
    options = at.selectbox(key=ss.pick_key(pack)).options
    assert any(o.startswith("Measured 2025") for o in options), options


def test_created_stays_through_reruns_and_goes_once_the_user_has_been_elsewhere(
    app_test: AppTest, db: str
) -> None:
    at = open_page(app_test)
    create(at, "Đọc kịp thông báo")
    for _ in range(2):  # e.g. the run the freshly mounted map asks for
        at.run()
        assert any("Đã tạo" in s for s in texts(at.success))
    at.switch_page("pages/map.py").run()
    at.switch_page(PAGE).run()
    assert not any("Đã tạo" in s for s in texts(at.success))


def test_copy_edit_5g_save_and_see_the_history(app_test: AppTest, db: str, cang_long) -> None:
    at = open_page(app_test)
    assert metric(at, "Phổ cập 5G") == ("85,7 %", "±0 điểm %")
    sid = create(at, "Phủ 5G toàn huyện")
    assert any("Đã tạo" in s for s in texts(at.success))
    assert at.selectbox(key=ss.pick_key("cang_long")).value == sid
    assert "Phủ 5G toàn huyện" in at.selectbox(key=ss.pick_key("cang_long")).options

    code = without_5g(cang_long)
    queue(at, sid, {"code": code, "column": "coverage_5g", "value": True})
    value, delta = metric(at, "Phổ cập 5G")
    assert value == "92,9 %" and delta == "+7,1 điểm %"
    assert any("1 thay đổi chưa lưu" in w for w in texts(at.warning))
    assert open_store(db).get(sid).edits == {}  # not saved yet

    button(at, "Lưu").click().run()
    assert not at.exception, at.exception
    assert any("Đã lưu" in s for s in texts(at.success))
    saved = open_store(db).get(sid)
    assert saved.edits == {(code, "coverage_5g"): True} and saved.version == 2
    assert metric(at, "Phổ cập 5G")[0] == "92,9 %"
    assert not any("chưa lưu" in w for w in texts(at.warning))

    edits = [e for e in open_store(db).history(scenario_id=sid) if e.action == "edit"]
    assert [(e.who, e.code, e.column, e.old, e.new) for e in edits] == [
        (EDITOR.name, code, "coverage_5g", "false", "true")
    ]
    history = [d.value for d in at.dataframe if "Người sửa" in d.value.columns]
    assert history, "no history table"
    assert EDITOR.name in set(history[0]["Người sửa"])
    assert "không → có" in set(history[0]["Cũ → mới"])


def test_a_map_click_switches_the_selected_yes_no_target(
    app_test: AppTest, db: str, cang_long
) -> None:
    at = open_page(app_test)
    sid = create(at, "Bấm bản đồ")
    code = without_5g(cang_long)
    at.selectbox(key=ss.target_key("cang_long")).set_value("coverage_5g").run()
    queue(at, sid, {"code": code, "toggle": True})
    assert metric(at, "Phổ cập 5G")[0] == "92,9 %"
    queue(at, sid, {"code": code, "toggle": True})  # and back: nothing left to save
    assert metric(at, "Phổ cập 5G")[0] == "85,7 %"
    assert ss.draft_key("cang_long", sid) not in at.session_state  # equal to the stored one
    assert not any("chưa lưu" in w for w in texts(at.warning))

    # A ratio target is not switched by a click: the page says where to edit it.
    at.selectbox(key=ss.target_key("cang_long")).set_value("hamlets_internet").run()
    queue(at, sid, {"code": code, "toggle": True})
    assert any("không phải chỉ tiêu có/không" in i for i in texts(at.info))
    assert metric(at, "100% ấp, khóm có Internet")[0] == "98,3 %"


def test_a_click_on_a_builtin_changes_nothing(app_test: AppTest, db: str, cang_long) -> None:
    at = open_page(app_test)
    queue(at, "measured-2025", {"code": without_5g(cang_long), "toggle": True})
    assert any("không sửa được" in i for i in texts(at.info))
    assert metric(at, "Phổ cập 5G")[0] == "85,7 %"


def test_invalid_values_are_refused_with_commune_and_field(
    app_test: AppTest, db: str, cang_long
) -> None:
    at = open_page(app_test)
    sid = create(at, "Sai số liệu")
    frame = kpi.measured_frame(cang_long, 2025)
    row = frame.iloc[0]
    code, hamlets = str(row["code"]), int(row["hamlets"])
    name = kpi.commune_names(cang_long)[code]
    queue(at, sid, {"code": code, "column": "hamlets_internet", "value": hamlets + 1})
    errors = texts(at.error)
    # The field by its label, not its internal id ("[hamlets_internet]").
    label = "Số ấp, khóm có Internet"
    assert any(name in e and label in e and f"({hamlets})" in e for e in errors), errors
    assert not any("hamlets_internet" in e for e in errors), errors
    assert metric(at, "100% ấp, khóm có Internet") == ("98,3 %", "±0 điểm %")
    assert not any("chưa lưu" in w for w in texts(at.warning))  # nothing applied

    queue(at, sid, {"code": code, "column": "agencies", "value": -2})
    assert any("số âm" in e for e in texts(at.error))
    queue(at, sid, {"code": code, "column": "coverage_5g", "value": "có lẽ"})
    assert any("không phải có/không" in e for e in texts(at.error))


def test_a_percentage_above_100_is_refused(app_test: AppTest, db: str) -> None:
    at = open_page(app_test, "chi_lang")
    sid = create(at, "Nước sạch", pack="chi_lang")
    pack = load_pack(REPO_ROOT / "geodata" / "chi_lang").pack
    code = str(kpi.measured_frame(pack, 2025)["code"].iloc[2])
    before = metric(at, "100% người dân dùng nước sạch")
    queue(at, sid, {"code": code, "column": "clean_water_pct", "value": 120}, pack="chi_lang")
    assert any("0–100" in e for e in texts(at.error))
    assert metric(at, "100% người dân dùng nước sạch") == before
    queue(at, sid, {"code": code, "column": "clean_water_pct", "value": 100.0}, pack="chi_lang")
    assert metric(at, "100% người dân dùng nước sạch") != before
    assert not at.error


def test_a_stale_save_is_refused_and_the_draft_kept(app_test: AppTest, db: str, cang_long) -> None:
    at = open_page(app_test)
    sid = create(at, "Hai người cùng sửa")
    code = without_5g(cang_long)
    queue(at, sid, {"code": code, "column": "coverage_5g", "value": True})

    # Meanwhile Bình saves another version of the same scenario from another browser.
    other = open_store(db)
    theirs = other.get(sid)
    first = str(kpi.measured_frame(cang_long, 2025)["code"].iloc[0])
    other.save(sc.set_edit(theirs, first, "agencies_fibre", 0), theirs.version, OTHER)

    button(at, "Lưu").click().run()
    assert not at.exception, at.exception
    errors = texts(at.error)
    assert any("Bình" in e and "chưa được lưu" in e for e in errors), errors
    # Nothing lost: my draft is still shown, theirs is stored untouched.
    assert metric(at, "Phổ cập 5G")[0] == "92,9 %"
    assert any("1 thay đổi chưa lưu" in w for w in texts(at.warning))
    stored = open_store(db).get(sid)
    assert stored.version == 2 and stored.edits == {(first, "agencies_fibre"): 0}
    assert ss.draft_key("cang_long", sid) in at.session_state

    # Loading the latest version asks first; only the confirmation discards the draft.
    button(at, "Tải bản mới nhất…").click().run()
    assert ss.draft_key("cang_long", sid) in at.session_state
    assert any("Bỏ các thay đổi chưa lưu" in w for w in texts(at.warning))
    button(at, "Bỏ thay đổi, tải bản mới nhất").click().run()
    assert not at.exception
    assert ss.draft_key("cang_long", sid) not in at.session_state
    assert metric(at, "Phổ cập 5G")[0] == "85,7 %"
    assert metric(at, "100% cơ quan nhà nước dùng cáp quang")[0] != "97,4 %"


def test_a_stale_draft_can_be_saved_as_a_new_scenario(
    app_test: AppTest, db: str, cang_long
) -> None:
    at = open_page(app_test)
    sid = create(at, "Bản chung")
    code = without_5g(cang_long)
    queue(at, sid, {"code": code, "column": "coverage_5g", "value": True})
    other = open_store(db)
    other.save(sc.describe(other.get(sid), "đổi mô tả"), 1, OTHER)
    button(at, "Lưu").click().run()
    assert any("Bình" in e for e in texts(at.error))

    button(at, "Lưu thành kịch bản mới").click().run()
    assert not at.exception, at.exception
    new_id = at.selectbox(key=ss.pick_key("cang_long")).value
    assert new_id != sid
    copy = open_store(db).get(new_id)
    assert copy.name == "Bản chung (bản sao)"
    assert copy.edits == {(code, "coverage_5g"): True}
    assert open_store(db).get(sid).edits == {}  # theirs untouched


def test_discard_drops_the_draft(app_test: AppTest, db: str, cang_long) -> None:
    at = open_page(app_test)
    sid = create(at, "Bỏ đi")
    queue(at, sid, {"code": without_5g(cang_long), "column": "coverage_5g", "value": True})
    assert metric(at, "Phổ cập 5G")[0] == "92,9 %"
    button(at, "Bỏ thay đổi").click().run()
    assert metric(at, "Phổ cập 5G")[0] == "85,7 %"
    assert not any("chưa lưu" in w for w in texts(at.warning))


def test_rename_and_describe_go_through_save(app_test: AppTest, db: str) -> None:
    at = open_page(app_test)
    sid = create(at, "Tên cũ")
    form = meta_form(at, sid)
    at.text_input(key=f"{form}.name").set_value("Tên mới")
    at.text_area(key=f"{form}.description").set_value("Mô tả mới")
    button(at, "Áp dụng (rồi bấm Lưu)").click().run()
    assert not at.exception, at.exception
    assert any("2 thay đổi chưa lưu" in w for w in texts(at.warning))
    button(at, "Lưu").click().run()
    saved = open_store(db).get(sid)
    assert (saved.name, saved.description) == ("Tên mới", "Mô tả mới")
    assert "Tên mới" in at.selectbox(key=ss.pick_key("cang_long")).options

    # A name another scenario has is refused.
    create(at, "Khác")
    at.selectbox(key=ss.pick_key("cang_long")).set_value(sid).run()
    form = meta_form(at, sid)
    at.text_input(key=f"{form}.name").set_value("khác")
    button(at, "Áp dụng (rồi bấm Lưu)").click().run()
    assert any("Đã có kịch bản tên" in e for e in texts(at.error))


def test_delete_asks_for_confirmation(app_test: AppTest, db: str) -> None:
    at = open_page(app_test)
    sid = create(at, "Sẽ xoá")
    button(at, "Xoá kịch bản…").click().run()
    assert any("Xoá kịch bản “Sẽ xoá”?" in w for w in texts(at.warning))
    assert [s.id for s in open_store(db).list_scenarios("cang_long")] == [sid]

    button(at, "Huỷ").click().run()
    assert not any("Xoá kịch bản “Sẽ xoá”?" in w for w in texts(at.warning))
    assert [s.id for s in open_store(db).list_scenarios("cang_long")] == [sid]

    button(at, "Xoá kịch bản…").click().run()
    button(at, "Xoá").click().run()
    assert not at.exception, at.exception
    assert open_store(db).list_scenarios("cang_long") == []
    assert sid not in at.selectbox(key=ss.pick_key("cang_long")).options
    assert at.selectbox(key=ss.pick_key("cang_long")).value == "measured-2025"
    assert any("Đã xoá" in s for s in texts(at.success))


def test_a_base_in_use_is_not_deleted(app_test: AppTest, db: str) -> None:
    at = open_page(app_test)
    parent = create(at, "Gốc chung")
    store = open_store(db)
    child = sc.new_scenario(load_pack(REPO_ROOT / "geodata" / "cang_long").pack, "Con", base=parent)
    store.save(child, 0, OTHER)
    at.selectbox(key=ss.pick_key("cang_long")).set_value(parent).run()
    button(at, "Xoá kịch bản…").click().run()
    button(at, "Xoá").click().run()
    assert any("đang dùng nó làm gốc" in e for e in texts(at.error))
    assert {s.id for s in open_store(db).list_scenarios("cang_long")} == {parent, child.id}


def test_csv_export_is_offered(app_test: AppTest, db: str, cang_long) -> None:
    at = open_page(app_test)
    both = ["Tải bảng (CSV để đọc)", "CSV cho phần mềm"]
    assert [d.label for d in at.get("download_button")] == both  # a built-in's figures
    sid = create(at, "Xuất CSV")
    queue(at, sid, {"code": without_5g(cang_long), "column": "coverage_5g", "value": True})
    assert [d.label for d in at.get("download_button")] == [
        "Tải bảng (CSV để đọc, cả thay đổi chưa lưu)",
        "CSV cho phần mềm",
    ]
    button(at, "Lưu").click().run()
    assert [d.label for d in at.get("download_button")] == both
    lines = open_store(db).export_csv(cang_long, sid).splitlines()
    assert lines[0].startswith("code,commune,hamlets,")
    assert len(lines) == 1 + len(kpi.communes(cang_long))
    row = next(line for line in lines if line.startswith(without_5g(cang_long)))
    assert ",true," in row and row.endswith(",Xuất CSV,measured,2025")


def test_a_table_exported_from_one_scenario_imports_into_another_with_a_report(
    app_test: AppTest, db: str, cang_long
) -> None:
    store = open_store(db)
    code = without_5g(cang_long)
    source = store.save(
        sc.set_edit(sc.new_scenario(cang_long, "Nguồn", year=2025), code, "coverage_5g", True),
        0,
        OTHER,
    )
    text = store.export_csv(cang_long, source.id).replace(",", ";")  # as a Vietnamese Excel
    at = open_page(app_test)
    sid = create(at, "Đích", source="plan-2025")  # another base: the plan
    [uploader] = at.get("file_uploader")
    assert uploader.key.startswith(ss.key("cang_long", sid, "upload"))
    uploader.set_value(("nguon.csv", text.encode("utf-8-sig"), "text/csv")).run()
    button(at, "Nhập").click().run()
    assert not at.exception, at.exception
    reg = open_store(db).registry(cang_long)
    after = sc.materialise(cang_long, reg[sid], reg)
    expected = sc.materialise(cang_long, reg[source.id], reg)
    assert after.equals(expected)  # the file's figures exactly, though the base differs
    assert metric(at, "Phổ cập 5G")[0] == "92,9 %"
    success = " ".join(texts(at.success))
    changed = [d.value for d in at.dataframe if "Trước" in d.value.columns]
    assert changed, "no table of changed cells"
    assert f"Đã nhập {len(changed[0])} ô vào “Đích”" in success
    assert any("Tệp của kịch bản “Nguồn” (gốc: measured, năm 2025)" in i for i in texts(at.info))


def test_csv_import_is_all_or_nothing(db: str, cang_long) -> None:
    from ui.scenario_actions import import_csv

    store = open_store(db)
    mine = store.save(sc.new_scenario(cang_long, "Nhập"), 0, Account("An", "editor"))
    row = kpi.measured_frame(cang_long, 2025).iloc[0]
    code, hamlets = str(row["code"]), int(row["hamlets"])
    bad = f"code,column,value\n{code},coverage_5g,true\n{code},hamlets_internet,{hamlets + 5}\n"
    saved, problems = import_csv(
        cang_long, mine, bad.encode(), Account("An", "editor"), replace_all=False
    )
    assert saved is None
    assert [p.row for p in problems] == [3]
    assert problems[0].message("vi").startswith("Dòng 3: ")
    assert open_store(db).get(mine.id).version == 1  # nothing written

    saved, problems = import_csv(
        cang_long, mine, b"PK\x03\x04\x00\x00", Account("An", "editor"), replace_all=False
    )
    assert saved is None and "UTF-8" in problems[0].message("en")

    good = f"\ufeffcode,column,value\n{code},coverage_5g,true\n".encode()
    saved, problems = import_csv(cang_long, mine, good, Account("An", "editor"), replace_all=False)
    assert problems == [] and saved is not None
    assert open_store(db).get(mine.id).edits == {(code, "coverage_5g"): True}
    assert [e.action for e in open_store(db).history(scenario_id=mine.id)][-1] == "import"


# --- who, a colleague's delete, a database that refuses ---------------------------------------


def test_saving_waits_for_an_editor_and_writes_the_account_in_the_history(
    app_test: AppTest, db: str, cang_long
) -> None:
    at = open_page(app_test, user=None)
    create_button = [b for b in at.button if b.label == "Tạo"]
    assert create_button and create_button[0].disabled
    assert any("Đăng nhập với vai trò Biên tập" in c for c in texts(at.caption))

    mine = open_store(db).save(sc.new_scenario(cang_long, "Chưa có tên"), 0, OTHER)
    at.run()  # a colleague's scenario appears in the list
    at.selectbox(key=ss.pick_key("cang_long")).set_value(mine.id).run()
    queue(at, mine.id, {"code": without_5g(cang_long), "column": "coverage_5g", "value": True})
    assert button(at, "Lưu").disabled
    assert any("Đăng nhập với vai trò Biên tập" in c for c in texts(at.caption))

    viewer = Account("Người xem thử", "viewer")
    make_accounts(db, viewer, HOA)
    sign_in_apptest(at, viewer)
    assert button(at, "Lưu").disabled  # a viewer cannot save either
    at.sidebar.button(key="atlas.signout").click().run()
    sign_in_apptest(at, HOA)
    assert not button(at, "Lưu").disabled
    button(at, "Lưu").click().run()
    assert any("Đã lưu" in m for m in texts(at.success))
    whos = {e.who for e in open_store(db).history(scenario_id=mine.id) if e.action == "edit"}
    assert whos == {"Phạm Thị Hoa"}
    assert "atlas.user" not in [ti.key for ti in at.sidebar.text_input]  # no typed name box


def test_a_scenario_a_colleague_deletes_keeps_my_draft_reachable(
    app_test: AppTest, db: str, cang_long
) -> None:
    at = open_page(app_test)
    sid = create(at, "Sẽ bị xoá")
    code = without_5g(cang_long)
    queue(at, sid, {"code": code, "column": "coverage_5g", "value": True})

    other = open_store(db)
    other.delete(sid, 1, BOSS)
    at.run()  # any rerun, e.g. my next click
    assert not at.exception, at.exception
    picker = at.selectbox(key=ss.pick_key("cang_long"))
    assert picker.value == sid  # still my scenario, not another one
    assert "Sẽ bị xoá · đã bị xoá" in picker.options
    errors = texts(at.error)
    assert any("“Sẽ bị xoá” đã bị xoá bởi Bình" in e and "(UTC+7)" in e for e in errors), errors
    assert metric(at, "Phổ cập 5G")[0] == "92,9 %"  # the draft is shown
    assert button(at, "Lưu").disabled  # nothing to save over
    assert "Tải bảng (CSV để đọc, cả thay đổi chưa lưu)" in [
        d.label for d in at.get("download_button")
    ]

    at.sidebar.radio(key="lang").set_value("en").run()
    assert any("“Sẽ bị xoá” was deleted by Bình" in e for e in texts(at.error))
    at.sidebar.radio(key="lang").set_value("vi").run()

    button(at, "Lưu thành kịch bản mới").click().run()
    assert not at.exception, at.exception
    new_id = at.selectbox(key=ss.pick_key("cang_long")).value
    assert new_id != sid
    saved = open_store(db).get(new_id)
    assert (saved.name, saved.edits) == ("Sẽ bị xoá (bản sao)", {(code, "coverage_5g"): True})
    assert sid not in at.selectbox(key=ss.pick_key("cang_long")).options  # draft gone with it


def test_a_deleted_draft_can_be_dropped_after_confirming(
    app_test: AppTest, db: str, cang_long
) -> None:
    at = open_page(app_test)
    sid = create(at, "Bỏ đi thôi")
    queue(at, sid, {"code": without_5g(cang_long), "column": "coverage_5g", "value": True})
    open_store(db).delete(sid, 1, BOSS)
    at.run()
    button(at, "Bỏ bản nháp…").click().run()
    assert any("Kịch bản đã bị xoá nên sẽ không còn" in w for w in texts(at.warning))
    button(at, "Bỏ bản nháp").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key=ss.pick_key("cang_long")).value == "measured-2025"
    assert sid not in at.selectbox(key=ss.pick_key("cang_long")).options


def test_a_scenario_deleted_without_a_draft_says_who_deleted_it(app_test: AppTest, db: str) -> None:
    at = open_page(app_test)
    sid = create(at, "Xem thôi")
    open_store(db).delete(sid, 1, BOSS)
    at.run()
    assert at.selectbox(key=ss.pick_key("cang_long")).value == "measured-2025"
    assert any("“Xem thôi” đã bị xoá bởi Bình lúc" in i for i in texts(at.info)), texts(at.info)


@pytest.mark.parametrize(
    "failure",
    [
        sa.exc.OperationalError("UPDATE scenarios …", {}, Exception("database is locked")),
        OSError(28, "No space left on device"),
    ],
    ids=["locked", "disk-full"],
)
def test_a_database_that_refuses_a_save_keeps_the_draft(
    app_test: AppTest, db: str, cang_long, failure: Exception
) -> None:
    at = open_page(app_test)
    sid = create(at, "Ổ đầy")
    queue(at, sid, {"code": without_5g(cang_long), "column": "coverage_5g", "value": True})

    def refuse(*args, **kwargs):
        raise failure

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Store, "save", refuse)
        button(at, "Lưu").click().run()
    assert not at.exception, at.exception
    errors = texts(at.error)
    reason = "database is locked" if isinstance(failure, sa.exc.SQLAlchemyError) else "No space"
    assert any(reason in e and "bản nháp của bạn vẫn được giữ" in e for e in errors), errors
    assert ss.draft_key("cang_long", sid) in at.session_state
    assert metric(at, "Phổ cập 5G")[0] == "92,9 %"
    button(at, "Lưu").click().run()  # and once the database is back, the save goes through
    assert open_store(db).get(sid).edits == {(without_5g(cang_long), "coverage_5g"): True}


def test_a_new_scenario_can_be_for_any_year_of_the_pack(app_test: AppTest, db: str) -> None:
    at = open_page(app_test)
    form = ss.key("cang_long", "new")
    year_box = at.selectbox(key=f"{form}.year")
    assert year_box.options == ["Như kịch bản nguồn", "2021", "2022", "2023", "2024", "2025"]
    year_box.set_value(2023)
    sid = create(at, "Năm 2023", source="measured-2025")
    saved = open_store(db).get(sid)
    assert (saved.year, saved.base) == (2023, sc.MEASURED)
    assert any("năm 2023" in c for c in texts(at.caption))  # the KPI caption


def test_the_table_marks_the_communes_with_edits_and_names_the_fields(cang_long) -> None:
    from ui.scenario_view import CHANGED, NAME, field_width, table_frame

    reg = sc.registry(cang_long)
    code = without_5g(cang_long)
    mine = sc.with_edits(
        sc.new_scenario(cang_long, "x", year=2025),
        {(code, "coverage_5g"): True, (code, "agencies"): 9},
    )
    base = sc.base_frame(cang_long, mine, reg)
    data = table_frame(cang_long, sc.materialise(cang_long, mine, reg), base, "vi")
    assert list(data.columns[:3]) == ["code", NAME, CHANGED]  # beside the commune, not off-screen
    marks = dict(zip(data["code"], data[CHANGED], strict=True))
    assert marks.pop(code) == "✎ Phủ sóng 5G, Số cơ quan nhà nước"
    assert set(marks.values()) == {""}
    # Headers are not cut: a long label gets a wider column, within bounds.
    assert field_width("Số ấp, khóm có Internet (ấp)") > field_width("Phủ sóng 5G") >= 90
    assert field_width("x" * 200) == 250
