"""Accounts and roles (issue 14): Argon2 hashes, the one role rule and its matrix over every
write of `atlas` (scenarios, views, imports, new packs, accounts, grants), the audit trail
naming the account, failed sign-ins slowed down, and the administrator's CLI."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from atlas import events
from atlas import scenarios as sc
from atlas import views as vw
from atlas.accounts import ACTIONS, Account, AccountError, Accounts, accounts_t, can, require
from atlas.ingest import ImportPlan, inspect_upload, suggest_mapping
from atlas.loader import load_pack
from atlas.pack_writes import import_file
from atlas.packs import SHIPPED_PACKS
from atlas.roles import RoleError
from atlas.store import open_store
from tests.conftest import REPO_ROOT
from tests.ingest_fixtures import communes_wgs84, vector_bytes

VIEWER = Account("Xem", "viewer")
EDITOR = Account("Lan", "editor")
OTHER_EDITOR = Account("Minh", "editor")
ADMIN = Account("Quản trị", "admin")
DISABLED = Account("Khoá", "editor", disabled=True)
PEOPLE = {"none": None, "viewer": VIEWER, "editor": EDITOR, "admin": ADMIN, "disabled": DISABLED}


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def db(database_url):
    opened = open_store(database_url)  # SQLite and PostgreSQL
    yield opened
    opened.close()


@pytest.fixture
def accounts(db):
    clock = Clock()
    return Accounts(db.engine, clock), clock


def test_a_password_is_stored_only_as_an_argon2_hash(accounts):
    acc, _ = accounts
    acc.add("Lê An", "correct horse", "admin", by=None)  # the first admin
    with acc.engine.connect() as conn:
        stored = conn.execute(sa.select(accounts_t.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert acc.sign_in("le an", "correct horse") == Account("Lê An", "admin")  # case, accents
    with pytest.raises(AccountError, match="Wrong account name or password"):
        acc.sign_in("Lê An", "wrong horse")
    with pytest.raises(AccountError, match="Wrong account name or password"):
        acc.sign_in("Nobody", "correct horse")  # the same words: names are not revealed


def test_only_the_first_admin_is_made_without_an_admin(accounts):
    acc, _ = accounts
    with pytest.raises(RoleError):
        acc.add("Bình", "a long password", "editor", by=None)
    acc.add("Lê An", "a long password", "admin", by=None)
    with pytest.raises(RoleError):
        acc.add("Kẻ lạ", "a long password", "admin", by=None)  # the second needs the first
    with pytest.raises(RoleError):
        acc.add("Kẻ lạ", "a long password", "admin", by=EDITOR)
    acc.add("Bình", "a long password", "editor", by=ADMIN)
    assert [a.name for a in acc.list()] == ["Bình", "Lê An"]


def test_failed_sign_ins_slow_down_and_a_right_password_after_the_wait_resets(accounts):
    acc, clock = accounts
    acc.add("Bình", "a long password", "editor", by=ADMIN)
    for _ in range(4):  # three free failures, the fourth locks for 5 s
        with pytest.raises(AccountError):
            acc.sign_in("Bình", "nope nope")
    with pytest.raises(AccountError, match="try again in 5 seconds"):
        acc.sign_in("Bình", "a long password")  # even the right one waits
    clock.now += timedelta(seconds=6)
    assert acc.sign_in("Bình", "a long password").role == "editor"


def test_a_disabled_account_cannot_sign_in_or_write(accounts):
    acc, _ = accounts
    acc.add("Cúc", "a long password", "editor", by=ADMIN)
    acc.set_disabled("Cúc", by=ADMIN)
    with pytest.raises(AccountError, match="disabled"):
        acc.sign_in("Cúc", "a long password")
    assert not can(Account("Cúc", "editor", disabled=True), "edit_scenario")


def test_an_sso_only_account_has_no_password_that_works(accounts):
    acc, _ = accounts
    acc.add("an@so.gov.vn", None, "editor", by=ADMIN)
    assert acc.external_only("an@so.gov.vn")
    for guess in ("", "!", "a long password"):
        with pytest.raises(AccountError, match="Wrong"):
            acc.sign_in("an@so.gov.vn", guess)


def test_the_last_admin_cannot_be_demoted_or_disabled(accounts):
    acc, _ = accounts
    acc.add("Lê An", "a long password", "admin", by=None)
    with pytest.raises(AccountError, match="last admin"):
        acc.set_role("Lê An", "editor", by=ADMIN)
    with pytest.raises(AccountError, match="last admin"):
        acc.set_disabled("Lê An", by=ADMIN)
    acc.add("Bình", "a long password", "admin", by=ADMIN)
    acc.set_role("Lê An", "editor", by=ADMIN)  # another admin exists now


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_the_role_matrix(action):
    needed = ACTIONS[action]
    assert can(ADMIN, action)
    assert can(EDITOR, action) == (needed != "admin")
    assert can(VIEWER, action) == (needed == "viewer") == can(None, action)
    assert can(DISABLED, action) is False
    if not can(None, action):
        with pytest.raises(RoleError):
            require(None, action)


def test_names_roles_and_passwords_are_checked(accounts):
    acc, _ = accounts
    with pytest.raises(AccountError, match="at least 8"):
        acc.add("Dũng", "short", by=ADMIN)
    with pytest.raises(AccountError, match="No role"):
        acc.add("Dũng", "a long password", "owner", by=ADMIN)
    acc.add("Dũng", "a long password", by=ADMIN)
    with pytest.raises(AccountError, match="already exists"):
        acc.add("dung", "a long password", by=ADMIN)


# --- the matrix over every write of the store and the accounts --------------------------------


@pytest.fixture(scope="module")
def pack():
    return load_pack(SHIPPED_PACKS / "cang_long").pack


def _scenario_writes(db, pack, who):
    """Every scenario write, made as `who`; an editor's own scenario to start from."""
    mine = db.save(sc.new_scenario(pack, "Của Lan", year=2025), 0, EDITOR)
    return {
        "save": lambda: db.save(sc.new_scenario(pack, "Mới", year=2025), 0, who),
        "edit": lambda: db.save(sc.describe(mine, "x"), mine.version, who),
        "delete": lambda: db.delete(mine.id, mine.version, who),
    }


@pytest.mark.parametrize("person", sorted(PEOPLE))
@pytest.mark.parametrize("write", ["save", "edit", "delete"])
def test_scenario_writes_follow_the_role_and_name_the_account(db, pack, person, write):
    who = PEOPLE[person]
    every = {"save", "edit", "delete"}  # the editor deletes their own scenario here
    allowed = {"editor": every, "admin": every}.get(person, set())
    do = _scenario_writes(db, pack, who)[write]
    if write not in allowed:
        with pytest.raises(RoleError):
            do()
        assert {e.who for e in db.history(pack_id=pack.id)} == {EDITOR.name}  # nothing more
        return
    do()
    assert db.history(pack_id=pack.id)[-1].who == who.name


def test_an_editor_deletes_their_own_scenario_and_view_but_not_a_colleague_s(db, pack):
    theirs = db.save(sc.new_scenario(pack, "Của Minh", year=2025), 0, OTHER_EDITOR)
    with pytest.raises(RoleError, match="needs Admin"):
        db.delete(theirs.id, theirs.version, EDITOR)
    mine = db.save(sc.new_scenario(pack, "Của Lan", year=2025), 0, EDITOR)
    db.delete(mine.id, mine.version, Account("lan", "editor"))  # the same account, any case
    view = db.save_view(vw.View(pack_id=pack.id, title="Của Minh"), by=OTHER_EDITOR)
    with pytest.raises(RoleError):
        db.delete_view(view.id, by=EDITOR)
    db.delete_view(view.id, by=OTHER_EDITOR)
    assert db.list_views(pack.id) == []


@pytest.mark.parametrize("person", sorted(PEOPLE))
def test_view_writes_follow_the_role_and_the_trail_names_the_account(db, pack, person):
    who = PEOPLE[person]
    first = db.save_view(vw.View(pack_id=pack.id, title="Một"), by=EDITOR)
    writes = [
        lambda: db.save_view(vw.View(pack_id=pack.id, title="Hai"), by=who),
        lambda: db.rename_view(first.id, "Một mới", by=who),
        lambda: db.move_view(first.id, 1, by=who),
        lambda: db.delete_view(first.id, by=who),
    ]
    for n, write in enumerate(writes):
        if person in ("editor", "admin") and (n < 3 or person == "admin" or who == EDITOR):
            write()
        else:
            with pytest.raises(RoleError):
                write()
    trail = events.recent(db.engine)
    if person in ("editor", "admin"):
        assert {e.action for e in trail if e.who == who.name} >= {"create", "rename", "move"}
    else:
        assert [(e.who, e.action) for e in trail] == [(EDITOR.name, "create")]


def test_account_changes_need_an_admin_and_are_in_the_trail(accounts):
    acc, _ = accounts
    acc.add("Lê An", "a long password", "admin", by=None)
    acc.add("Bình", "a long password", "editor", by=ADMIN)
    for who in (None, VIEWER, EDITOR, DISABLED):
        for change in (
            lambda: acc.add("X", "a long password", "editor", by=who),  # noqa: B023
            lambda: acc.set_role("Bình", "admin", by=who),  # noqa: B023
            lambda: acc.set_disabled("Bình", by=who),  # noqa: B023
            lambda: acc.set_password("Bình", "another long one", by=who),  # noqa: B023
            lambda: acc.grant("tv", "Bình", by=who),  # noqa: B023
        ):
            with pytest.raises(RoleError):
                change()
    acc.set_password("Bình", "my own new one", by=Account("Bình", "editor"))  # one's own
    acc.set_role("Bình", "viewer", by=ADMIN)
    trail = [(e.who, e.action, e.target) for e in events.recent(acc.engine)]
    assert trail[:3] == [
        (ADMIN.name, "role", "Bình"),
        ("Bình", "password", "Bình"),
        (ADMIN.name, "create", "Bình"),
    ]
    assert "a long password" not in repr(events.recent(acc.engine))


# --- imports ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def upload():
    insp = inspect_upload("xa.geojson", vector_bytes(communes_wgs84(), ".geojson", "GeoJSON"))
    return insp, suggest_mapping(insp.columns, insp.data)


def test_imports_need_an_editor_and_only_owners_grantees_and_admins_add_to_a_pack(
    accounts, upload, tmp_path
):
    acc, _ = accounts
    acc.add("Lê An", "a long password", "admin", by=None)
    for name in (EDITOR.name, OTHER_EDITOR.name):
        acc.add(name, "a long password", "editor", by=ADMIN)
    insp, mapping = upload
    root = tmp_path / "packs"

    count = iter(range(100))

    def run(pack_id, by, into=False):
        plan = ImportPlan(pack_id, mapping, into_existing=into, layer_id=f"l{next(count)}")
        return import_file(insp, plan, by=by, accounts=acc, root=root)

    for who in (None, VIEWER, DISABLED):
        with pytest.raises(RoleError):
            run("tv", who)
    assert not (root / "tv").exists()  # a refused import writes nothing
    run("tv", EDITOR)
    assert acc.pack_people("tv") == {EDITOR.name: "owner"}
    run("tv", EDITOR, into=True)  # the owner adds to it
    with pytest.raises(RoleError, match="not “Minh”'s"):
        run("tv", OTHER_EDITOR, into=True)
    acc.grant("tv", OTHER_EDITOR.name, by=ADMIN)
    run("tv", OTHER_EDITOR, into=True)  # granted
    acc.grant("tv", OTHER_EDITOR.name, False, by=ADMIN)
    with pytest.raises(RoleError):
        run("tv", OTHER_EDITOR, into=True)  # taken back
    run("tv", ADMIN, into=True)  # an admin adds to any user pack
    trail = [(e.who, e.action) for e in events.recent(acc.engine) if e.kind == "pack"]
    assert trail == [
        (ADMIN.name, "import"),
        (ADMIN.name, "revoke"),
        (OTHER_EDITOR.name, "import"),
        (ADMIN.name, "grant"),
        (EDITOR.name, "import"),
        (EDITOR.name, "import"),
    ]


# --- the administrator's CLI ------------------------------------------------------------------


def test_the_administrator_s_cli_never_takes_or_prints_a_password_as_an_argument(tmp_path):
    env = {"ATLAS_DB": str(tmp_path / "cli.db"), "PATH": "/usr/bin:/bin"}

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "atlas", "users", *args], cwd=REPO_ROOT,
                              env=env, input=stdin, capture_output=True, text=True)  # fmt: skip

    added = run("add", "Lê An", "--role", "admin", "--password-stdin", stdin="correct horse\n")
    assert added.returncode == 0 and "correct horse" not in added.stdout + added.stderr
    as_an = ["--as", "le an", "--password-stdin"]
    no_admin = run("add", "Bình", "--password-stdin", stdin="a long password\n")
    assert no_admin.returncode == 1 and "Give --as" in no_admin.stderr
    bad = run("add", "Bình", *as_an, stdin="wrong horse\na long password\n")
    assert bad.returncode == 1 and "Wrong account name or password" in bad.stderr
    made = run("add", "Bình", *as_an, stdin="correct horse\na long password\n")
    assert made.returncode == 0, made.stderr
    as_binh = ["--as", "Bình", "--password-stdin"]
    refused = run("role", "Bình", "admin", *as_binh, stdin="a long password\n")
    assert refused.returncode == 1 and "needs Admin" in refused.stderr  # an editor cannot
    assert run("role", "Bình", "viewer", *as_an, stdin="correct horse\n").returncode == 0
    assert run("disable", "Bình", *as_an, stdin="correct horse\n").returncode == 0
    assert run("list").stdout.strip().splitlines() == ["Bình\tviewer (khoá / disabled)",
                                                       "Lê An\tadmin"]  # fmt: skip
    short = run("passwd", "Lê An", *as_an, stdin="correct horse\nshort\n")
    assert short.returncode == 1 and "at least 8" in short.stderr


@pytest.mark.parametrize("person", ["viewer", "editor", "admin", "disabled", "wrong password"])
def test_the_terminal_s_import_follows_the_role_and_names_the_account(
    person, tmp_path, monkeypatch, capsys
):
    """`python -m atlas import … --as NAME`: only an editor or an admin writes, and the trail
    names them; a viewer, a disabled account and a wrong password write nothing."""
    from cli.main import main
    from tests import accounts as fixtures

    monkeypatch.setenv("ATLAS_USER_DATA", str(tmp_path / "packs"))
    monkeypatch.setenv("ATLAS_DB_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    who = {
        "viewer": Account("Xem CLI", "viewer"),
        "editor": Account("Lan CLI", "editor"),
        "admin": fixtures.ADMIN,
        "disabled": Account("Khoá CLI", "editor"),
        "wrong password": Account("Sai CLI", "editor"),
    }[person]
    args = fixtures.cli_as(monkeypatch, who)
    accounts = fixtures.make_accounts(fixtures._default_url())
    if person == "disabled":
        accounts.set_disabled(who.name, by=fixtures.ADMIN)
    if person == "wrong password":
        import io

        monkeypatch.setattr(sys, "stdin", io.StringIO("not it\n"))
    path = tmp_path / "xa.geojson"
    path.write_bytes(vector_bytes(communes_wgs84(), ".geojson", "GeoJSON"))
    code = main(["import", str(path), "--pack", "cli_quyen", "--no-join", *args])
    err = capsys.readouterr().err
    written = (tmp_path / "packs" / "cli_quyen" / "pack.toml").is_file()
    trail = [(e.who, e.action) for e in events.recent(accounts.engine) if e.kind == "pack"]
    if person in ("editor", "admin"):
        assert code == 0 and written and trail == [(who.name, "import")]
    else:
        assert code == 1 and not written and trail == []
        assert "Error:" in err and "Lỗi:" in err
