"""The scenario store: schema migrations, restarts, stale saves, atomic saves, audit, CSV, CLI.

Every test that takes `url` or `db` runs twice: on a SQLite file under tmp_path and on a fresh
database in the suite's own throwaway PostgreSQL (`tests/pg.py`; ids with `postgresql`). The
user's home and the machine's own databases are never touched.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from atlas import kpi, scenario_csv, store
from atlas import scenarios as sc
from atlas.loader import load_pack
from atlas.roles import Account
from atlas.spec import Pack
from cli.main import main as cli_main

REPO = Path(__file__).resolve().parent.parent
DUC_MY = "29305"  # Càng Long commune with no fibre in 2025
T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


class Clock:
    """One minute later at every call, so audit times are predictable."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(REPO / "geodata" / "cang_long").pack


@pytest.fixture
def url(database_url: str) -> str:
    """An empty database on SQLite and on PostgreSQL (tests/conftest.py `database_url`)."""
    return database_url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """For what only SQLite has: its file, its raw SQL of an old schema."""
    return f"sqlite:///{tmp_path / 'db' / 'atlas.db'}"


@pytest.fixture
def db(url: str) -> Iterator[store.Store]:
    s = store.Store.from_url(url, clock=Clock())
    yield s
    s.close()


def ed(name: str) -> Account:
    """An editor: what a signed-in colleague is to the store."""
    return Account(name, "editor")


def adm(name: str) -> Account:
    return Account(name, "admin")


def scenario(pack: Pack, name: str = "Phương án A", **edits: object) -> sc.Scenario:
    s = sc.new_scenario(pack, name, year=2025)
    return sc.with_edits(s, {tuple(k.split("__")): v for k, v in edits.items()})


# --- where the database is --------------------------------------------------------------------


def test_default_database_is_a_sqlite_file_outside_the_repo(monkeypatch) -> None:
    monkeypatch.delenv("ATLAS_DB", raising=False)
    monkeypatch.delenv("ATLAS_DB_URL", raising=False)
    assert store.default_url() == f"sqlite:///{Path.home()}/.local/share/atlas-ha-tang/atlas.db"
    assert not store.default_db_path().is_relative_to(REPO)


def test_atlas_db_sets_the_file_and_atlas_db_url_wins(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ATLAS_DB", str(tmp_path / "x.db"))
    monkeypatch.delenv("ATLAS_DB_URL", raising=False)
    assert store.default_url() == f"sqlite:///{tmp_path / 'x.db'}"
    monkeypatch.setenv("ATLAS_DB_URL", "postgresql+psycopg://u@h/atlas")
    assert store.default_url() == "postgresql+psycopg://u@h/atlas"


# --- schema -----------------------------------------------------------------------------------


def test_a_new_database_gets_the_latest_schema_once(url: str) -> None:
    first = store.Store.from_url(url)
    assert first.schema_version == store.SCHEMA_VERSION == 6
    first.close()
    again = store.Store.from_url(url)  # a restart: nothing to apply, nothing duplicated
    with again.engine.connect() as conn:
        rows = conn.execute(sa.select(store.schema_version.c.version)).scalars().all()
    assert rows == [1, 2, 3, 4, 5, 6]
    postgis = {"pack_features", "pack_table_rows", "spatial_ref_sys"}  # PostgreSQL's only
    assert set(sa.inspect(again.engine).get_table_names()) - postgis == {
        "schema_version",
        "events",
        "pack_access",
        "scenarios",
        "scenario_edits",
        "audit_log",
        "views",
        "accounts",
        "packs",
        "pack_files",
    }
    again.close()


def test_pending_migrations_are_applied_in_order(url: str) -> None:
    engine = store.make_engine(url)
    store.migrate(engine, store.MIGRATIONS[:1])
    applied: list[int] = []

    def add_notes(conn: sa.Connection) -> None:
        applied.append(2)
        conn.execute(sa.text("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)"))

    def add_index(conn: sa.Connection) -> None:
        applied.append(3)
        conn.execute(sa.text("CREATE INDEX notes_text ON notes (text)"))

    steps = (
        *store.MIGRATIONS[:1],
        store.Migration(2, "notes", add_notes),
        store.Migration(3, "notes index", add_index),
    )
    assert store.migrate(engine, steps) == 3
    assert applied == [2, 3]
    assert store.migrate(engine, steps) == 3 and applied == [2, 3]
    engine.dispose()


def test_a_database_from_a_newer_app_is_refused(url: str) -> None:
    engine = store.make_engine(url)
    store.migrate(engine)
    with engine.begin() as conn:
        conn.execute(
            store.schema_version.insert().values(version=99, description="future", applied_at=T0)
        )
    with pytest.raises(store.SchemaTooNewError, match="99"):
        store.Store(engine)
    engine.dispose()


def test_a_failing_migration_step_leaves_the_old_version_and_a_retry_succeeds(url: str) -> None:
    """DDL is transactional on SQLite too: the half-made table of a failed step is rolled back."""
    engine = store.make_engine(url)
    store.migrate(engine, store.MIGRATIONS[:1])

    def half_made(conn: sa.Connection) -> None:
        conn.execute(sa.text("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)"))
        raise RuntimeError("the step fails after its first statement")

    def whole(conn: sa.Connection) -> None:
        conn.execute(sa.text("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)"))
        conn.execute(sa.text("CREATE INDEX notes_text ON notes (text)"))

    with pytest.raises(RuntimeError, match="first statement"):
        store.migrate(engine, (*store.MIGRATIONS[:1], store.Migration(2, "notes", half_made)))
    assert store.current_schema_version(engine) == 1
    assert not sa.inspect(engine).has_table("notes")

    assert store.migrate(engine, (*store.MIGRATIONS[:1], store.Migration(2, "notes", whole))) == 2
    assert sa.inspect(engine).has_table("notes")
    engine.dispose()


def _v1_database_with_a_scenario(url: str, names: list[tuple[str, str, bool]]) -> sa.Engine:
    """A database as version 1 of the app left it: scenarios (id, name, deleted) of
    cang_long, the first with two edits and their audit entries."""
    engine = store.make_engine(url)
    store.migrate(engine, store.MIGRATIONS[:1])
    with engine.begin() as conn:
        for n, (sid, name, deleted) in enumerate(names):
            conn.execute(
                sa.text(
                    "INSERT INTO scenarios (id, pack_id, name, description, year, base, version,"
                    " created_at, updated_at, deleted) VALUES (:id, 'cang_long', :name, 'Cũ',"
                    " 2025, 'measured', 2, :at, :at, :deleted)"
                ),
                {"id": sid, "name": name, "at": T0 + timedelta(minutes=n), "deleted": deleted},
            )
        conn.execute(
            sa.text(
                'INSERT INTO scenario_edits (scenario_id, code, "column", value, type) VALUES'
                " ('s1', :code, 'fibre_centre', 'true', 'bool'),"
                " ('s1', :code, 'agencies_fibre', '4', 'int')"
            ),
            {"code": DUC_MY},
        )
        conn.execute(
            sa.text(
                'INSERT INTO audit_log (scenario_id, who, at, action, code, "column", old, new)'
                " VALUES ('s1', 'Lan', :at, 'edit', :code, 'fibre_centre', 'false', 'true')"
            ),
            {"at": T0, "code": DUC_MY},
        )
    return engine


def test_a_version_1_database_with_edits_upgrades_through_every_migration(url: str) -> None:
    engine = _v1_database_with_a_scenario(url, [("s1", "Phương án cũ", False)])
    db = store.Store(engine)
    assert db.schema_version == store.SCHEMA_VERSION == 6
    kept = db.get("s1")
    assert (kept.name, kept.description, kept.year, kept.version) == ("Phương án cũ", "Cũ", 2025, 2)
    assert kept.edits == {(DUC_MY, "fibre_centre"): True, (DUC_MY, "agencies_fibre"): 4}
    assert kept.created_at == T0
    [entry] = db.history("s1")
    assert (entry.who, entry.at, entry.old, entry.new) == ("Lan", T0, "false", "true")
    assert db.list_views("cang_long") == []  # migration 2's table is there
    with engine.connect() as conn:
        assert conn.execute(sa.select(store.scenarios_t.c.name_key)).scalar() == "phuong an cu"
    db.close()


def test_upgrading_renames_a_name_that_clashes_once_case_and_accents_are_ignored(
    url: str, pack: Pack
) -> None:
    """Version 2 compared names as typed, so a database may hold "Phương án A" and
    "phương án a": the later one is renamed, with an audit entry, so the index can hold."""
    engine = _v1_database_with_a_scenario(
        url,
        [("s1", "Phương án A", False), ("s2", "phương án a", False), ("s3", "PHUONG AN A", True)],
    )
    store.migrate(engine, store.MIGRATIONS[:2])
    db = store.Store(engine, clock=Clock())
    assert db.get("s1").name == "Phương án A"
    renamed = db.get("s2")
    assert (renamed.name, renamed.version) == ("phương án a (2)", 3)
    meta = [e for e in db.history("s2") if e.action == "meta"]
    assert [(e.column, e.old, e.new) for e in meta] == [("name", "phương án a", "phương án a (2)")]
    assert db.get("s3", include_deleted=True).name == "PHUONG AN A"  # deleted: left alone
    with pytest.raises(sc.ScenarioError, match="Đã có kịch bản tên"):
        db.save(scenario(pack, "Phuong an  a"), 0, ed("Minh"))
    db.close()


def test_two_people_creating_the_same_name_at_once_get_one_scenario(url: str, pack: Pack) -> None:
    store.Store.from_url(url).close()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def create(name: str) -> None:
        own = store.Store.from_url(url)
        barrier.wait()
        try:
            own.save(scenario(pack, name), 0, ed(name))
            outcomes.append("saved")
        except sc.ScenarioError as exc:
            outcomes.append(exc.problems[0].code)
        finally:
            own.close()

    threads = [threading.Thread(target=create, args=(n,)) for n in ("Phủ 5G", "phủ 5g")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["duplicate_name", "saved"]
    db = store.Store.from_url(url)
    assert len(db.list_scenarios("cang_long")) == 1
    db.close()


def test_the_unique_index_refuses_a_clash_the_in_transaction_check_missed(
    db: store.Store, pack: Pack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What PostgreSQL's READ COMMITTED allows: both checks pass before either insert."""
    db.save(scenario(pack, "Phủ 5G"), 0, ed("Lan"))
    monkeypatch.setattr(db, "_check_unique_name", lambda conn, s: None)
    with pytest.raises(sc.ScenarioError) as err:
        db.save(scenario(pack, "PHU 5G"), 0, ed("Minh"))
    assert [p.code for p in err.value.problems] == ["duplicate_name"]
    assert [s.name for s in db.list_scenarios("cang_long")] == ["Phủ 5G"]
    # A deleted scenario's name is free again.
    first = db.list_scenarios("cang_long")[0]
    db.delete(first.id, first.version, ed("Lan"))
    assert db.save(scenario(pack, "phủ 5g"), 0, ed("Minh")).version == 1


# --- times ------------------------------------------------------------------------------------


def test_times_come_back_in_utc_whatever_zone_the_database_returns() -> None:
    hanoi = timezone(timedelta(hours=7))
    assert store._aware(datetime(2025, 3, 1, 15, 0, tzinfo=hanoi)) == T0
    assert store._aware(datetime(2025, 3, 1, 15, 0, tzinfo=hanoi)).utcoffset() == timedelta(0)
    assert store._aware(datetime(2025, 3, 1, 8, 0)) == T0  # SQLite: naive, written in UTC
    assert store._aware(None) is None


def test_times_are_shown_in_vietnam_time_and_say_so() -> None:
    assert store.shown_time(T0) == "01/03/2025 15:00 (UTC+7)"  # dd/mm/yyyy, Vietnam's time
    assert store.shown_time(datetime(2025, 3, 1, 20, 30, 5, tzinfo=UTC), seconds=True) == (
        "02/03/2025 03:30:05 (UTC+7)"
    )
    stale = store.StaleScenarioError("x", "A", 1, 2, who="Lan", at=T0)
    assert "(01/03/2025 15:00 (UTC+7))" in stale.vi and "UTC+7" in stale.en


# --- save, reload, restart ----------------------------------------------------------------------


def test_saved_scenario_comes_back_with_typed_edits(db: store.Store, pack: Pack) -> None:
    s = scenario(
        pack,
        **{
            f"{DUC_MY}__fibre_centre": True,
            f"{DUC_MY}__agencies_fibre": 4,
            "29272__hamlets_internet": None,
        },
    )
    saved = db.save(s, expected_version=0, by=ed("Lan"))
    assert saved.version == 1 and saved.created_at == saved.updated_at
    loaded = db.get(s.id)
    assert loaded.edits == s.edits
    assert {k: type(v) for k, v in loaded.edits.items()} == {
        (DUC_MY, "fibre_centre"): bool,
        (DUC_MY, "agencies_fibre"): int,
        ("29272", "hamlets_internet"): type(None),
    }
    assert (loaded.name, loaded.year, loaded.base, loaded.version) == (
        "Phương án A",
        2025,
        "measured",
        1,
    )
    assert loaded.created_at.tzinfo is not None


def test_scenarios_survive_a_restart(url: str, pack: Pack) -> None:
    first = store.Store.from_url(url)
    s = first.save(scenario(pack, **{f"{DUC_MY}__coverage_5g": True}), 0, ed("Lan"))
    first.close()
    second = store.Store.from_url(url)  # a new engine on the same file
    [again] = second.list_scenarios(pack.id)
    assert (again.id, again.version, again.edits) == (s.id, 1, {(DUC_MY, "coverage_5g"): True})
    second.close()


def test_list_is_per_pack_and_registry_adds_the_builtins(db: store.Store, pack: Pack) -> None:
    db.save(scenario(pack), 0, ed("Lan"))
    other = sc.Scenario(id=sc.new_id(), pack_id="chi_lang", name="Khác", year=2025)
    db.save(other, 0, ed("Lan"))
    assert [s.name for s in db.list_scenarios(pack.id)] == ["Phương án A"]
    assert [s.name for s in db.registry(pack).values()] == [
        "Hiện trạng 2021",
        "Hiện trạng 2025",
        "Kế hoạch 2025",
        "Phương án A",
    ]


def test_a_saved_scenario_meets_the_target_it_fixes(db: store.Store, pack: Pack) -> None:
    s = db.save(scenario(pack, **{f"{DUC_MY}__fibre_centre": True}), 0, ed("Lan"))
    reg = db.registry(pack)
    frame = sc.materialise(pack, reg[s.id], reg)
    fibre = kpi.evaluate(kpi.target(pack, "fibre_communes"), frame)
    assert fibre.met and fibre.short == []


# --- optimistic concurrency ---------------------------------------------------------------------


def test_a_stale_copy_is_refused_and_the_other_save_is_kept(url: str, pack: Pack) -> None:
    lan = store.Store.from_url(url, clock=Clock())
    minh = store.Store.from_url(url, clock=Clock())  # another browser, another engine
    s = lan.save(scenario(pack), 0, ed("Lan"))
    lans_copy, minhs_copy = lan.get(s.id), minh.get(s.id)

    lan.save(sc.set_edit(lans_copy, DUC_MY, "fibre_centre", True), lans_copy.version, ed("Lan"))
    with pytest.raises(store.StaleScenarioError) as err:
        minh.save(
            sc.set_edit(minhs_copy, DUC_MY, "coverage_5g", True), minhs_copy.version, ed("Minh")
        )

    e = err.value
    assert (e.expected, e.current, e.who) == (1, 2, "Lan")
    assert "đã được lưu bởi Lan" in e.vi and "phiên bản 2" in e.vi
    assert "saved by Lan" in e.en and "reload" in e.en
    assert e.message("en") == e.en
    kept = minh.get(s.id)
    assert kept.version == 2 and kept.edits == {(DUC_MY, "fibre_centre"): True}
    assert "Minh" not in {a.who for a in minh.history(s.id)}
    lan.close()
    minh.close()


def test_of_several_simultaneous_saves_of_one_version_exactly_one_wins(
    url: str, pack: Pack
) -> None:
    first = store.Store.from_url(url)
    s = first.save(scenario(pack), 0, ed("Lan"))
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def editor(i: int) -> None:
        own = store.Store.from_url(url)
        copy = own.get(s.id)
        barrier.wait()  # all four hold version 1 and save at once
        try:
            own.save(sc.set_edit(copy, DUC_MY, "agencies", 4 + i), copy.version, ed(f"user{i}"))
            outcomes.append("saved")
        except store.StaleScenarioError:
            outcomes.append("stale")
        finally:
            own.close()

    threads = [threading.Thread(target=editor, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["saved", "stale", "stale", "stale"]
    final = first.get(s.id)
    assert final.version == 2 and len(final.edits) == 1
    assert [a.action for a in first.history(s.id)] == ["create", "edit"]
    first.close()


def test_saving_a_new_scenario_twice_from_version_0_is_stale(db: store.Store, pack: Pack) -> None:
    s = scenario(pack)
    db.save(s, 0, ed("Lan"))
    with pytest.raises(store.StaleScenarioError):
        db.save(s, 0, ed("Lan"))


def test_saving_after_someone_deleted_it_says_so(db: store.Store, pack: Pack) -> None:
    s = db.save(scenario(pack), 0, ed("Lan"))
    db.delete(s.id, s.version, adm("Minh"))
    with pytest.raises(store.StaleScenarioError, match="was deleted by Minh") as err:
        db.save(sc.rename(s, "B"), s.version, ed("Lan"))
    assert err.value.deleted


# --- transactions -------------------------------------------------------------------------------


def test_a_save_failing_half_way_leaves_the_previous_state(
    db: store.Store, pack: Pack, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = db.save(scenario(pack, **{f"{DUC_MY}__fibre_centre": True}), 0, ed("Lan"))
    history = db.history(before.id)
    real = db._write_edit
    written: list[tuple] = []

    def fail_on_third(conn, scenario_id, key, *args, **kwargs):
        if len(written) == 2:
            raise OSError("disk full")
        written.append(key)
        return real(conn, scenario_id, key, *args, **kwargs)

    monkeypatch.setattr(db, "_write_edit", fail_on_third)
    changed = sc.with_edits(
        sc.rename(before, "Đổi tên"),
        {
            (DUC_MY, "fibre_centre"): False,
            (DUC_MY, "coverage_5g"): True,
            ("29275", "coverage_5g"): True,
            ("29287", "agencies_fibre"): 4,
        },
    )
    with pytest.raises(OSError, match="disk full"):
        db.save(changed, before.version, ed("Lan"))
    assert len(written) == 2  # two rows were written inside the transaction, then it failed

    after = db.get(before.id)
    assert (after.version, after.name, after.edits) == (1, "Phương án A", before.edits)
    assert db.history(before.id) == history
    monkeypatch.undo()
    assert db.save(changed, before.version, ed("Lan")).version == 2  # and the save can be retried


# --- audit log ----------------------------------------------------------------------------------


def test_every_change_is_recorded_with_who_when_and_old_to_new(db: store.Store, pack: Pack) -> None:
    reg = sc.registry(pack)
    s = scenario(pack)
    base = sc.base_frame(pack, s, reg)  # lets the log show the measured value an edit replaced
    s1 = db.save(sc.set_edit(s, DUC_MY, "agencies_fibre", 4), 0, ed("Lan"), base=base)
    s2 = db.save(sc.set_edit(s1, DUC_MY, "agencies_fibre", 3), 1, ed("Minh"), base=base)
    s3 = db.save(
        sc.rename(sc.clear_edit(s2, DUC_MY, "agencies_fibre"), "B"), 2, ed("Lan"), base=base
    )
    assert s3.version == 3
    log = [(a.who, a.action, a.code, a.column, a.old, a.new) for a in db.history(s.id)]
    assert log == [
        ("Lan", "create", None, None, None, "Phương án A"),
        ("Lan", "edit", DUC_MY, "agencies_fibre", "3", "4"),  # 3 was the measured value
        ("Minh", "edit", DUC_MY, "agencies_fibre", "4", "3"),
        ("Lan", "meta", None, "name", "Phương án A", "B"),
        ("Lan", "revert", DUC_MY, "agencies_fibre", "3", "3"),  # back to the base's 3
    ]
    # One clock reading per save (the clock ticks a minute per reading), shared by its entries.
    times = [a.at for a in db.history(s.id)]
    first = times[0]
    minute = timedelta(minutes=1)
    assert times == [first, first, first + minute, first + 2 * minute, first + 2 * minute]
    assert first.tzinfo is not None and first > T0


def test_an_unchanged_cell_is_not_logged_again(db: store.Store, pack: Pack) -> None:
    s = db.save(scenario(pack, **{f"{DUC_MY}__coverage_5g": True}), 0, ed("Lan"))
    db.save(sc.describe(s, "Ghi chú"), 1, ed("Lan"))
    actions = [(a.action, a.column) for a in db.history(s.id)]
    assert actions == [("create", None), ("edit", "coverage_5g"), ("meta", "description")]


def test_history_of_a_pack_lists_every_scenario(db: store.Store, pack: Pack) -> None:
    a = db.save(scenario(pack, "A"), 0, ed("Lan"))
    b = db.save(scenario(pack, "B"), 0, ed("Minh"))
    assert {e.scenario_id for e in db.history(pack_id=pack.id)} == {a.id, b.id}
    assert db.history(pack_id="chi_lang") == []


# --- refusals ---------------------------------------------------------------------------------


def test_builtins_cannot_be_saved(db: store.Store, pack: Pack) -> None:
    with pytest.raises(sc.ScenarioError):
        db.save(sc.registry(pack)["plan-2025"], 0, ed("Lan"))


def test_duplicate_names_in_a_pack_are_refused(db: store.Store, pack: Pack) -> None:
    db.save(scenario(pack, "A"), 0, ed("Lan"))
    with pytest.raises(sc.ScenarioError, match="already a scenario named “A”"):
        db.save(scenario(pack, "A"), 0, ed("Minh"))
    assert len(db.list_scenarios(pack.id)) == 1


def test_a_save_needs_a_name_and_who(db: store.Store, pack: Pack) -> None:
    with pytest.raises(sc.ScenarioError):
        db.save(scenario(pack, "  "), 0, ed("Lan"))
    with pytest.raises(ValueError, match="who"):
        db.save(scenario(pack), 0, ed(" "))


def test_an_edit_value_of_another_type_is_refused_before_writing(
    db: store.Store, pack: Pack
) -> None:
    with pytest.raises(TypeError, match="str"):
        db.save(scenario(pack, **{f"{DUC_MY}__agencies": "5"}), 0, ed("Lan"))
    assert db.list_scenarios(pack.id) == []


# --- delete -----------------------------------------------------------------------------------


def test_delete_hides_the_scenario_but_keeps_its_history(db: store.Store, pack: Pack) -> None:
    s = db.save(scenario(pack), 0, ed("Lan"))
    db.delete(s.id, 1, adm("Minh"))
    assert db.list_scenarios(pack.id) == []
    with pytest.raises(store.ScenarioNotFoundError):
        db.get(s.id)
    assert db.get(s.id, include_deleted=True).version == 2
    assert db.history(s.id)[-1].action == "delete"
    assert db.history(s.id)[-1].who == "Minh"


def test_delete_is_refused_for_a_base_and_for_a_stale_copy(db: store.Store, pack: Pack) -> None:
    parent = db.save(scenario(pack, "Gốc"), 0, ed("Lan"))
    db.save(sc.new_scenario(pack, "Con", base=parent.id), 0, ed("Lan"))
    with pytest.raises(sc.ScenarioError, match="“Con”"):
        db.delete(parent.id, 1, ed("Lan"))
    with pytest.raises(store.StaleScenarioError):
        db.delete(parent.id, 0, ed("Lan"))
    assert db.get(parent.id).version == 1


# --- CSV --------------------------------------------------------------------------------------


def test_csv_export_is_the_whole_table_with_name_base_and_year(db: store.Store, pack: Pack) -> None:
    edits = {(DUC_MY, "fibre_centre"): True, (DUC_MY, "agencies_fibre"): 4}
    source = db.save(sc.with_edits(scenario(pack, "Nguồn"), edits), 0, ed("Lan"))
    lines = db.export_csv(pack, source.id).splitlines()
    fields = [f.name for f in kpi.indicator_fields(pack)]
    assert lines[0].split(",") == ["code", "commune", *fields, "scenario", "base", "year"]
    assert len(lines) == 1 + len(kpi.communes(pack))
    duc_my = next(line.split(",") for line in lines if line.startswith(DUC_MY))
    row = dict(zip(lines[0].split(","), duc_my, strict=True))
    assert row["commune"] == "Xã Đức Mỹ"
    assert (row["fibre_centre"], row["agencies_fibre"]) == ("true", "4")
    assert (row["scenario"], row["base"], row["year"]) == ("Nguồn", "measured", "2025")


def test_csv_round_trip_gives_the_same_figures_whatever_the_target_s_base(
    db: store.Store, pack: Pack
) -> None:
    edits = {
        (DUC_MY, "fibre_centre"): True,
        (DUC_MY, "agencies_fibre"): 4,
        ("29272", "hamlets_internet"): 7,
    }
    source = db.save(sc.with_edits(scenario(pack, "Nguồn"), edits), 0, ed("Lan"))
    text = db.export_csv(pack, source.id)
    figures = sc.materialise(pack, source, db.registry(pack))

    same_base = scenario(pack, "Cùng gốc")
    imported, problems = db.import_csv(pack, same_base, text, ed("Minh"))
    assert problems == [] and imported is not None
    assert db.get(same_base.id).edits == edits  # recovered against the same base
    pd.testing.assert_frame_equal(sc.materialise(pack, imported, db.registry(pack)), figures)
    assert {a.action for a in db.history(same_base.id)} == {"create", "import"}

    plan_based = sc.new_scenario(pack, "Gốc kế hoạch", base=sc.PLAN, year=2025)
    imported, problems = db.import_csv(pack, plan_based, text, ed("Minh"))
    assert problems == [] and imported is not None
    assert imported.edits != edits  # edits against the plan (which met every target) …
    pd.testing.assert_frame_equal(sc.materialise(pack, imported, db.registry(pack)), figures)


def test_a_builtin_exports_its_figures_not_an_empty_file(db: store.Store, pack: Pack) -> None:
    reg = db.registry(pack)
    plan = reg["plan-2025"]
    text = scenario_csv.table_to_csv(pack, plan, reg)
    lines = text.splitlines()
    assert len(lines) == 1 + len(kpi.communes(pack))
    assert all(line.endswith(",Kế hoạch 2025,plan,2025") for line in lines[1:])
    copy = db.save(sc.new_scenario(pack, "Bản kế hoạch", year=2025), 0, ed("Lan"))
    imported, problems = db.import_csv(pack, copy, text, ed("Lan"))
    assert problems == [] and imported is not None and imported.edits
    assert all(r.met for r in kpi.evaluate_pack(pack, sc.materialise(pack, imported, reg), 2025))


def test_csv_import_with_problems_writes_nothing_and_names_rows(
    db: store.Store, pack: Pack
) -> None:
    s = db.save(scenario(pack), 0, ed("Lan"))
    text = "code,column,value\n29305,fibre_centre,true\n29305,agencies_fibre,9\n"
    imported, problems = db.import_csv(pack, s, text, ed("Minh"))
    assert imported is None
    assert [(p.row, p.code) for p in problems] == [(3, "exceeds_denominator")]
    assert "Dòng 3: Xã Đức Mỹ (29305)" in problems[0].message("vi")
    assert db.get(s.id).edits == {} and db.get(s.id).version == 1


# --- CLI: python -m atlas scenarios ---------------------------------------------------------------


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli" / "atlas.db"
    monkeypatch.setenv("ATLAS_DB", str(path))
    monkeypatch.delenv("ATLAS_DB_URL", raising=False)
    return path


def test_cli_scenarios_lists_builtins_without_creating_a_database(cli_db: Path, capsys) -> None:
    assert cli_main(["scenarios", "cang_long"]) == 0
    out = capsys.readouterr().out
    for name in ("Hiện trạng 2021", "Hiện trạng 2025", "Kế hoạch 2025"):
        assert name in out
    assert not cli_db.exists()


def test_cli_scenarios_lists_stored_ones_too(cli_db: Path, pack: Pack, capsys) -> None:
    db = store.open_store()
    db.save(scenario(pack, "Phủ cáp Đức Mỹ", **{f"{DUC_MY}__fibre_centre": True}), 0, ed("Lan"))
    db.close()
    assert cli_main(["scenarios", str(REPO / "geodata" / "cang_long")]) == 0
    out = capsys.readouterr().out
    assert "Phủ cáp Đức Mỹ" in out and "v1, 1 ô sửa / edits" in out
    assert "(UTC+7)" in out  # times as the app shows them


def test_cli_targets_of_a_stored_scenario(cli_db: Path, pack: Pack, capsys) -> None:
    db = store.open_store()
    db.save(scenario(pack, "Phủ cáp Đức Mỹ", **{f"{DUC_MY}__fibre_centre": True}), 0, ed("Lan"))
    db.close()
    assert cli_main(["targets", "cang_long", "--scenario", "phu cap duc my"]) == 0
    out = capsys.readouterr().out
    fibre = out.split("\n\n")[1]
    assert "Cáp quang đến 100% xã" in fibre and "ĐẠT / MET" in fibre and "CHƯA" not in fibre
    assert out.count("CHƯA ĐẠT / NOT MET") == 3


def test_cli_targets_refuses_a_year_other_than_the_scenario_s(cli_db: Path, capsys) -> None:
    assert cli_main(["targets", "cang_long", "--scenario", "plan-2025", "--year", "2021"]) == 2
    assert "2025" in capsys.readouterr().err


def test_cli_reports_an_unreadable_database_instead_of_crashing(cli_db: Path, capsys) -> None:
    cli_db.parent.mkdir(parents=True)
    cli_db.write_bytes(b"this is not a database" * 100)
    assert cli_main(["scenarios", "cang_long"]) == 1
    assert "Cannot read the scenario database" in capsys.readouterr().err
