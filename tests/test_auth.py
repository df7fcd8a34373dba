"""Signing in and out in the sidebar, sessions that end, `st.login` accounts, and the admin
page, in AppTest: what a person sees and what the audit trail then names."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas import events
from atlas.roles import Account
from atlas.store import open_store
from tests.accounts import ADMIN, EDITOR, PASSWORD, make_accounts, sign_in_apptest
from tests.ingest_fixtures import communes_wgs84, vector_bytes
from tests.test_map_page import check
from ui import data_state as ds
from ui.auth import SESSION_KEY

ADMIN_PAGE = "pages/admin.py"


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'auth.db'}"
    monkeypatch.setenv("ATLAS_DB_URL", url)
    make_accounts(url, EDITOR, ADMIN)
    return url


def signed_in_as(at: AppTest) -> str:
    return " ".join(c.value for c in at.sidebar.caption if "Đăng nhập:" in c.value)


def test_a_wrong_password_says_so_and_a_right_one_signs_in_until_signed_out(
    app_test: AppTest, db_url: str
) -> None:
    at = check(app_test.run())
    assert signed_in_as(at) == ""
    check(sign_in_apptest(at, EDITOR, "not the password"))
    assert any("Sai tên tài khoản hoặc mật khẩu" in e.value for e in at.sidebar.error)
    assert at.sidebar.text_input(key="atlas.signin.password").value == ""  # never kept
    check(sign_in_apptest(at, EDITOR))
    assert "Biên tập thử" in signed_in_as(at) and "(Biên tập)" in signed_in_as(at)
    assert PASSWORD not in repr(at.session_state[SESSION_KEY])
    check(at.sidebar.button(key="atlas.signout").click().run())
    assert signed_in_as(at) == ""


@pytest.mark.parametrize(("field", "age_s"), [("seen", 61 * 60), ("since", 13 * 3600)])
def test_a_session_unused_for_an_hour_or_older_than_twelve_hours_ends(
    app_test: AppTest, db_url: str, field: str, age_s: float
) -> None:
    at = check(sign_in_apptest(check(app_test.run()), EDITOR))
    assert signed_in_as(at)
    held = dict(at.session_state[SESSION_KEY])
    held[field] -= age_s
    at.session_state[SESSION_KEY] = held
    check(at.run())
    assert signed_in_as(at) == ""
    assert any("Phiên đăng nhập đã kết thúc" in i.value for i in at.sidebar.info)


def test_a_role_change_or_a_disabled_account_counts_from_the_next_click(
    app_test: AppTest, db_url: str
) -> None:
    at = check(sign_in_apptest(check(app_test.run()), EDITOR))
    accounts = make_accounts(db_url)
    accounts.set_role(EDITOR.name, "viewer", by=ADMIN)
    check(at.run())
    assert "(Người xem)" in signed_in_as(at)
    accounts.set_disabled(EDITOR.name, by=ADMIN)
    check(at.run())
    assert signed_in_as(at) == ""


def test_a_single_sign_on_user_has_the_role_of_their_account_or_is_a_viewer(
    app_test: AppTest, db_url: str
) -> None:
    make_accounts(db_url).add("an@so.gov.vn", None, "editor", by=ADMIN)
    app_test.user = {"is_logged_in": True, "email": "an@so.gov.vn", "name": "An"}
    at = check(app_test.run())
    assert "an@so" in signed_in_as(at) and "(Biên tập)" in signed_in_as(at)
    stranger = AppTest.from_file(app_test._script_path, default_timeout=60)
    stranger.user = {"is_logged_in": True, "email": "la@example.com"}
    at = check(stranger.run())
    assert "la@example" in signed_in_as(at) and "(Người xem)" in signed_in_as(at)


def _admin_page(app_test: AppTest) -> AppTest:
    at = check(sign_in_apptest(check(app_test.run()), ADMIN))
    return check(at.switch_page(ADMIN_PAGE).run())


def test_only_admins_get_the_admin_page(app_test: AppTest, db_url: str) -> None:
    at = check(sign_in_apptest(check(app_test.run()), EDITOR))
    with pytest.raises(Exception):  # noqa: B017 — not in an editor's navigation at all
        at.switch_page(ADMIN_PAGE).run()
    admin = _admin_page(AppTest.from_file(app_test._script_path, default_timeout=60))
    assert admin.title[0].value == "Quản trị"


def test_the_admin_adds_an_account_sets_its_role_and_the_trail_names_the_admin(
    app_test: AppTest, db_url: str
) -> None:
    at = _admin_page(app_test)
    at.text_input(key="admin.add.name").input("Trần Văn Mới")
    at.text_input(key="admin.add.password").input("một mật khẩu dài")
    check(at.button(key="FormSubmitter:admin.add-Tạo tài khoản").click().run())
    assert any("Đã tạo tài khoản “Trần Văn Mới”" in s.value for s in at.success)
    check(at.selectbox(key="admin.edit.name").set_value("Trần Văn Mới").run())
    assert at.selectbox(key="admin.edit.role.tran van moi").value == "editor"  # its own role
    at.selectbox(key="admin.edit.role.tran van moi").set_value("admin")
    check([b for b in at.button if b.label == "Đặt vai trò"][0].click().run())
    accounts = make_accounts(db_url)
    assert accounts.get("Trần Văn Mới") == Account("Trần Văn Mới", "admin")
    trail = [(e.who, e.action, e.target) for e in events.recent(open_store(db_url).engine)]
    assert trail[:2] == [
        (ADMIN.name, "role", "Trần Văn Mới"),
        (ADMIN.name, "create", "Trần Văn Mới"),
    ]
    shown = at.dataframe[-1].value
    assert list(shown["Tài khoản"][:2]) == [ADMIN.name, ADMIN.name]


# --- the role matrix over the pages' writes ---------------------------------------------------

DISABLED = Account("Đã khoá thử", "editor")
PEOPLE = {
    "nobody": None,
    "viewer": Account("Người xem thử", "viewer"),
    "editor": EDITOR,
    "admin": ADMIN,
    "disabled": DISABLED,
}


def _as(app_test: AppTest, db_url: str, person: str) -> AppTest:
    who = PEOPLE[person]
    at = check(app_test.run())
    if who is None:
        return at
    accounts = make_accounts(db_url, who)
    if who is DISABLED:
        accounts.set_disabled(DISABLED.name, by=ADMIN)
    return check(sign_in_apptest(at, who))


def _import_ready(at: AppTest) -> AppTest:
    """The Data page with a communes file uploaded and a new pack id typed: Save is next."""
    at.session_state[ds.UPLOAD] = ("xa.geojson", vector_bytes(communes_wgs84(), ".geojson",
                                                              "GeoJSON"))  # fmt: skip
    check(at.switch_page("pages/data.py").run())
    at.text_input(key=ds.PACK_ID).set_value("thu_quyen")
    return check(at.run())


@pytest.mark.parametrize("person", sorted(PEOPLE))
def test_every_write_of_the_pages_follows_the_role(
    app_test: AppTest, db_url: str, person: str, tmp_path: Path, monkeypatch
) -> None:
    """Viewer, editor, admin, a disabled account and nobody: the buttons that write are
    enabled only for the roles that may, and a click on a disabled one (forced here) is still
    refused by `atlas`, with the reason, writing nothing."""
    monkeypatch.setenv("ATLAS_USER_DATA", str(tmp_path / "packs"))
    may = person in ("editor", "admin")
    at = _as(app_test, db_url, person)
    if person == "disabled":
        assert any("đã bị khoá" in e.value for e in at.sidebar.error)
    assert at.button(key="views.cang_long.save").disabled is not may
    check(at.switch_page("pages/scenarios.py").run())
    assert [b for b in at.button if b.label == "Tạo"][0].disabled is not may
    check(at.switch_page("pages/packs.py").run())
    assert at.button(key="newpack.create").disabled is not may
    at = _import_ready(at)
    assert at.button(key=ds.SAVE).disabled is not may
    if not may:
        return
    check(at.button(key=ds.SAVE).click().run())
    assert (tmp_path / "packs" / "thu_quyen" / "pack.toml").is_file()
    trail = [(e.who, e.action, e.target) for e in events.recent(open_store(db_url).engine)]
    assert (PEOPLE[person].name, "import", "thu_quyen") in trail


def test_a_role_taken_away_between_drawing_and_clicking_is_refused_by_atlas(
    app_test: AppTest, db_url: str, tmp_path: Path, monkeypatch
) -> None:
    """The page drew an enabled Save for an editor; an admin demotes them; the click is
    refused by the role check in `atlas`, with the reason, and nothing is written."""
    monkeypatch.setenv("ATLAS_USER_DATA", str(tmp_path / "packs"))
    at = _as(app_test, db_url, "editor")
    at = _import_ready(at)
    assert not at.button(key=ds.SAVE).disabled
    make_accounts(db_url).set_role(EDITOR.name, "viewer", by=ADMIN)
    check(at.button(key=ds.SAVE).click().run())
    assert not (tmp_path / "packs" / "thu_quyen").exists()
    assert any("việc này cần vai trò Biên tập" in e.value for e in at.error), [
        e.value for e in at.error
    ]
