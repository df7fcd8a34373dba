"""User packs kept in the database (`ATLAS_PACK_STORE=database`): an import through one app
process — here, one machine's user data folder — is copied to every other on its next sync,
byte for byte; two imports raced into one pack never lose one another; a damaged or missing
database pack is said, and a folder of a machine's own is never overwritten. On SQLite and
PostgreSQL (with PostGIS, whose rows must match the pack's layers)."""

from __future__ import annotations

import re

import pytest
import shapely
import sqlalchemy as sa

from atlas import events, pack_db, pack_sync
from atlas.ingest import ImportPlan, inspect_upload, suggest_mapping
from atlas.ingest.errors import IngestError
from atlas.ingest.save import save_import
from atlas.loader import load_pack
from atlas.pack_writes import import_file
from atlas.packs import pack_fingerprint
from atlas.settings import read_settings
from tests.accounts import ADMIN, EDITOR, make_accounts
from tests.ingest_fixtures import communes_wgs84, vector_bytes


@pytest.fixture(autouse=True)
def packs_in_database(monkeypatch):
    monkeypatch.setenv("ATLAS_PACK_STORE", "database")


@pytest.fixture(scope="module")
def upload():
    insp = inspect_upload("xa.geojson", vector_bytes(communes_wgs84(), ".geojson", "GeoJSON"))
    return insp, suggest_mapping(insp.columns, insp.data)


@pytest.fixture
def books(database_url):
    return make_accounts(database_url, EDITOR)


def _import(upload, books, root, layer_id, into=False, who=EDITOR):
    insp, mapping = upload
    plan = ImportPlan("tv", mapping, into_existing=into, layer_id=layer_id)
    return import_file(insp, plan, by=who, accounts=books, root=root)


def _layers(folder) -> list[str]:
    return [layer.id for layer in load_pack(folder).pack.layers]


def test_the_setting_takes_files_or_database_and_names_anything_else():
    assert read_settings({}).pack_store == "files"
    assert read_settings({"ATLAS_PACK_STORE": "Database"}).packs_in_database
    odd = read_settings({"ATLAS_PACK_STORE": "s3"})
    assert odd.pack_store == "files"
    assert "ATLAS_PACK_STORE=s3" in odd.problems[0][1]


def test_an_import_on_one_machine_is_copied_byte_for_byte_to_another_on_its_next_sync(
    upload, books, tmp_path
):
    machine_a, machine_b = tmp_path / "a", tmp_path / "b"
    _import(upload, books, machine_a, "xa")
    row = pack_db.listing(books.engine)["tv"]
    assert row.revision == 1
    assert row.fingerprint == pack_fingerprint(machine_a / "tv")  # the marks are outside it

    other = pack_sync.SharedPacks(books.engine, machine_b)
    assert other.sync().copied == ["tv"]
    assert pack_fingerprint(machine_b / "tv") == row.fingerprint
    assert _layers(machine_b / "tv") == ["xa"]
    assert other.sync().copied == []  # in step: nothing copied again

    _import(upload, books, machine_b, "xa_2", into=True)  # B adds to it; A sees it next sync
    mine = pack_sync.SharedPacks(books.engine, machine_a)
    assert mine.sync().copied == ["tv"]
    assert _layers(machine_a / "tv") == ["xa", "xa_2"]
    assert pack_db.listing(books.engine)["tv"].revision == 2
    trail = [(e.who, e.action, e.detail) for e in events.recent(books.engine) if e.kind == "pack"]
    assert trail[:2] == [(EDITOR.name, "import", "xa.geojson: xa_2"),
                         (EDITOR.name, "import", "xa.geojson: xa")]  # fmt: skip
    assert books.pack_people("tv") == {EDITOR.name: "owner"}


def test_of_two_imports_raced_into_one_pack_the_second_is_refused_and_nothing_is_lost(
    upload, books, tmp_path
):
    machine_a, machine_b = tmp_path / "a", tmp_path / "b"
    _import(upload, books, machine_a, "xa")
    other = pack_sync.SharedPacks(books.engine, machine_b)
    other.sync()
    started_from = other.revision("tv")  # B begins its import from revision 1 …
    _import(upload, books, machine_a, "tu_a", into=True)  # … A publishes revision 2 meanwhile
    insp, mapping = upload
    plan = ImportPlan("tv", mapping, into_existing=True, layer_id="tu_b")
    save_import(insp, plan, root=machine_b)  # B's file work is done, then B publishes:
    with pytest.raises(pack_db.PackChanged, match="was saved by someone else"):
        other.publish("tv", started_from, EDITOR.name)

    assert _layers(machine_b / "tv") == ["xa", "tu_a"]  # B's folder as the database has it
    assert other.copied_at("tv") == pack_db.listing(books.engine)["tv"].fingerprint
    row, files = pack_db.read_files(books.engine, "tv")
    assert row.revision == 2
    assert "tu_b" not in files["pack.toml"].decode() and "tu_a" in files["pack.toml"].decode()


def test_a_publish_that_fails_puts_the_folder_back_and_records_nothing(
    upload, books, tmp_path, monkeypatch
):
    root = tmp_path / "a"
    _import(upload, books, root, "xa")

    def refuse(*_args, **_kwargs):
        raise sa.exc.OperationalError("INSERT", {}, Exception("disk full"))

    monkeypatch.setattr(pack_db, "publish", refuse)
    with pytest.raises(sa.exc.OperationalError):
        _import(upload, books, root, "xa_2", into=True)
    assert _layers(root / "tv") == ["xa"]
    insp, mapping = upload
    with pytest.raises(sa.exc.OperationalError):
        import_file(insp, ImportPlan("moi", mapping), by=EDITOR, accounts=books, root=root)
    assert not (root / "moi").exists()  # a new pack that did not publish is not left behind
    assert [e.detail for e in events.recent(books.engine) if e.kind == "pack"] == ["xa.geojson: xa"]


def test_a_database_pack_whose_bytes_changed_is_refused_by_name(upload, books, tmp_path):
    _import(upload, books, tmp_path / "a", "xa")
    with books.engine.begin() as conn:
        conn.execute(
            pack_db.pack_files_t.update()
            .where(pack_db.pack_files_t.c.path == "layers/xa.geojson")
            .values(content=b"{}")
        )
    other = pack_sync.SharedPacks(books.engine, tmp_path / "b")
    with pytest.raises(pack_db.PackDamaged, match="layers/xa.geojson does not match its hash"):
        other.sync()
    assert not (tmp_path / "b" / "tv").exists()


def test_this_machine_s_own_folder_is_never_overwritten_nor_a_copy_whose_pack_left(
    upload, books, tmp_path
):
    machine_a, machine_b = tmp_path / "a", tmp_path / "b"
    _import(upload, books, machine_a, "xa")
    insp, mapping = upload
    save_import(insp, ImportPlan("tv", mapping, layer_id="rieng"), root=machine_b)  # never sent
    other = pack_sync.SharedPacks(books.engine, machine_b)
    assert other.sync().blocked == ["tv"]
    assert _layers(machine_b / "tv") == ["rieng"]
    assert other.local_only() == ["tv"]

    mine = pack_sync.SharedPacks(books.engine, machine_a)
    with books.engine.begin() as conn:  # an administrator's SQL removed it from the database
        conn.execute(pack_db.pack_files_t.delete())
        conn.execute(pack_db.packs_t.delete())
    assert mine.sync().orphaned == ["tv"]
    assert _layers(machine_a / "tv") == ["xa"]  # kept: it may be the last copy there is
    assert mine.local_only() == ["tv"]  # listed as this machine's, to send again


def test_a_new_pack_id_taken_meanwhile_on_another_machine_is_refused(upload, books, tmp_path):
    _import(upload, books, tmp_path / "a", "xa")
    other = pack_sync.SharedPacks(books.engine, tmp_path / "b")
    insp, mapping = upload
    save_import(insp, ImportPlan("tv", mapping, layer_id="cua_b"), root=tmp_path / "b")
    with pytest.raises(IngestError, match="was saved by someone else"):
        other.publish("tv", None, ADMIN.name)
    assert _layers(tmp_path / "b" / "tv") == ["xa"]  # put back as the database has it


def test_postgis_holds_every_feature_of_the_pack_in_wgs84(upload, books, tmp_path, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostGIS rows are PostgreSQL's")
    root = tmp_path / "a"
    _import(upload, books, root, "xa")
    _import(upload, books, root, "xa_2", into=True)
    pack = load_pack(root / "tv").pack
    with books.engine.connect() as conn:
        counts = dict(
            conn.execute(
                sa.text("SELECT layer_id, count(*) FROM pack_features WHERE pack_id = 'tv' "
                        "AND ST_SRID(geom) = 4326 GROUP BY layer_id")
            ).all()
        )  # fmt: skip
        area = conn.execute(
            sa.text("SELECT sum(ST_Area(geom)) FROM pack_features WHERE layer_id = 'xa'")
        ).scalar()
        names = conn.execute(
            sa.text("SELECT properties->>'name' FROM pack_features WHERE layer_id = 'xa' "
                    "ORDER BY fid")
        ).scalars().all()  # fmt: skip
    frame = pack.frames["xa"]
    assert counts == {layer: len(f) for layer, f in pack.frames.items()}
    assert area == pytest.approx(shapely.area(frame.geometry.values).sum())  # degrees², as PostGIS
    assert names == frame["name"].tolist()


def test_the_migration_makes_postgis_tables_only_where_postgis_is(books, database_url):
    tables = set(sa.inspect(books.engine).get_table_names())
    assert {"packs", "pack_files"} <= tables
    assert ("pack_features" in tables) == database_url.startswith("postgresql")


def test_a_pack_copy_is_the_same_pack_to_the_loader(upload, books, tmp_path):
    _import(upload, books, tmp_path / "a", "xa")
    pack_sync.SharedPacks(books.engine, tmp_path / "b").sync()
    a, b = (load_pack(tmp_path / m / "tv").pack for m in "ab")
    assert a.manifest == b.manifest
    assert a.frames["xa"].equals(b.frames["xa"])


# --- the app and the terminal on database packs -----------------------------------------------


@pytest.fixture
def here(tmp_path, monkeypatch):
    """The app's (and the terminal's) own database and folder, `tmp_path/app`: the accounts."""
    monkeypatch.setenv("ATLAS_DB", str(tmp_path / "shared.db"))
    monkeypatch.setenv("ATLAS_USER_DATA", str(tmp_path / "app"))
    return make_accounts(f"sqlite:///{tmp_path / 'shared.db'}", EDITOR)


def _app_on_packs_page():
    from streamlit.testing.v1 import AppTest

    from tests.conftest import APP

    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    return at.switch_page("pages/packs.py").run()


def _origins(at) -> dict[str, str]:
    """The Packs page's table: pack id → origin, as read (Markdown escapes removed)."""
    frame = next(t.value for t in at.table if "Mã gói" in t.value.columns)
    plain = [re.sub(r"\\(.)", r"\1", v) for v in frame["Nguồn gói"]]
    return dict(zip(frame["Mã gói"], plain, strict=True))


def test_the_app_copies_a_pack_published_elsewhere_on_its_next_run_and_says_where_packs_are(
    upload, here, tmp_path
):
    insp, mapping = upload
    save_import(insp, ImportPlan("rieng", mapping, layer_id="x"), root=tmp_path / "app")
    at = _app_on_packs_page()
    assert not at.exception
    assert _origins(at)["rieng"] == "Người dùng (chỉ máy này)"
    assert any("publish-packs" in i.value for i in at.info)

    _import(upload, here, tmp_path / "elsewhere", "xa")  # another server imports
    at.run()  # this server's next rerun
    assert _origins(at)["tv"] == "Người dùng (cơ sở dữ liệu)"
    assert _layers(tmp_path / "app" / "tv") == ["xa"]
    assert at.sidebar.selectbox(key="pack").options[-2:] == ["rieng", "tv"]


def test_the_terminal_sends_this_machine_s_packs_only_as_an_admin(
    upload, here, tmp_path, monkeypatch, capsys
):
    import io
    import sys

    from cli.main import main
    from tests.accounts import PASSWORD

    books = here
    insp, mapping = upload
    save_import(insp, ImportPlan("cu", mapping, layer_id="x"), root=tmp_path / "app")

    def run(who):
        monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
        return main(["publish-packs", "--as", who.name, "--password-stdin"])

    assert run(EDITOR) == 1
    assert "Error:" in capsys.readouterr().err
    assert pack_db.listing(books.engine) == {}
    assert run(ADMIN) == 0
    assert "Sent: cu" in capsys.readouterr().out
    assert pack_db.listing(books.engine)["cu"].fingerprint == pack_fingerprint(tmp_path / "app/cu")
    assert [e.action for e in events.recent(books.engine) if e.kind == "pack"] == ["publish"]
    monkeypatch.setenv("ATLAS_USER_DATA", str(tmp_path / "there"))
    assert main(["list"]) == 0  # another machine's terminal: the pack is copied, then listed
    assert "cu" in capsys.readouterr().out


@pytest.mark.parametrize("into", [True, False], ids=["into_one_pack", "two_new_packs"])
def test_two_imports_at_the_same_moment_on_two_machines_one_is_kept_whole_the_other_refused(
    upload, books, tmp_path, monkeypatch, into
):
    import threading

    from atlas import pack_writes

    machine_a, machine_b = tmp_path / "a", tmp_path / "b"
    if into:
        _import(upload, books, machine_a, "xa")
    both_wrote = threading.Barrier(2, timeout=60)
    real_save = pack_writes.save_import

    def save_then_wait(*args, **kwargs):
        result = real_save(*args, **kwargs)
        both_wrote.wait()  # both began from the same revision and wrote their folder
        return result

    monkeypatch.setattr(pack_writes, "save_import", save_then_wait)
    outcomes: dict[str, object] = {}

    def run(machine, layer_id):
        try:
            outcomes[layer_id] = _import(upload, books, machine, layer_id, into=into)
        except IngestError as exc:
            outcomes[layer_id] = exc

    threads = [
        threading.Thread(target=run, args=(m, f"lop_{m.name}")) for m in (machine_a, machine_b)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    refused = [k for k, v in outcomes.items() if isinstance(v, pack_db.PackChanged)]
    kept = [k for k in outcomes if k not in refused]
    assert len(refused) == 1 and len(kept) == 1, outcomes
    row, files = pack_db.read_files(books.engine, "tv")
    assert row.revision == (2 if into else 1)
    manifest = files["pack.toml"].decode()
    assert f'"{kept[0]}"' in manifest and f'"{refused[0]}"' not in manifest
    for machine in (machine_a, machine_b):  # both folders end as the database has it
        pack_sync.SharedPacks(books.engine, machine).sync()
        assert pack_fingerprint(machine / "tv") == row.fingerprint
    assert len([e for e in events.recent(books.engine) if e.kind == "pack"]) == 1 + into


def test_a_damaged_database_pack_is_named_on_the_packs_page_and_the_app_still_opens(
    upload, here, tmp_path
):
    _import(upload, here, tmp_path / "elsewhere", "xa")
    with here.engine.begin() as conn:
        conn.execute(pack_db.pack_files_t.update().values(content=b"broken"))
    at = _app_on_packs_page()
    assert not at.exception
    warned = [w.value for w in at.warning if "tv" in w.value]
    assert warned and "bị hỏng" in warned[0] and "không khớp mã băm" in warned[0]
    assert "tv" not in _origins(at)  # not copied, not half-shown


def test_a_new_district_pack_is_published_with_its_communes_and_owner(books, tmp_path):
    from atlas.newpack import NewPackError
    from atlas.pack_writes import new_pack

    made = new_pack(
        by=EDITOR, accounts=books, district="845", pack_id="cau_ke", root=tmp_path / "a"
    )
    row = pack_db.listing(books.engine)["cau_ke"]
    assert row.fingerprint == pack_fingerprint(made.path)
    assert books.pack_people("cau_ke") == {EDITOR.name: "owner"}
    pack_sync.SharedPacks(books.engine, tmp_path / "b").sync()
    copy = load_pack(tmp_path / "b" / "cau_ke").pack
    assert len(copy.frames["communes"]) == made.n_communes
    with pytest.raises(NewPackError, match="is taken"):  # machine C sees it before it writes
        new_pack(by=ADMIN, accounts=books, district="845", pack_id="cau_ke", root=tmp_path / "c")
