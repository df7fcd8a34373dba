"""A database that cannot be used is said plainly and never harmed (issue 14): a garbage file,
a 0-byte file and a truncated database give one bilingual message naming the path, on every
page and in the CLI; nothing is written over them; the app stays open read-only; a consistent
backup can be taken while the database is in use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas import views as vw
from atlas.backup import backup_database
from atlas.store import DatabaseUnavailable, Store, StoreError, open_store
from tests.accounts import EDITOR
from tests.conftest import APP, REPO_ROOT

PAGES = ["pages/map.py", "pages/scenarios.py", "pages/present.py", "pages/targets.py",
         "pages/compare.py", "pages/packs.py", "pages/data.py"]  # fmt: skip


def _sound(path: Path) -> Path:
    db = open_store(f"sqlite:///{path}")
    db.save_view(vw.View(pack_id="cang_long", title="Một góc nhìn"), by=EDITOR)
    db.close()
    return path


def _broken(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.db"
    if kind == "garbage":
        path.write_bytes(b"PK\x03\x04 this is a spreadsheet, not a database" * 50)
    elif kind == "empty":
        path.write_bytes(b"")
    else:  # truncated: a real database cut to a third
        data = _sound(tmp_path / "whole.db").read_bytes()
        path.write_bytes(data[: len(data) // 3])
    return path


@pytest.mark.parametrize("kind", ["garbage", "empty", "truncated"])
def test_a_broken_database_is_named_in_both_languages_and_left_as_it_was(tmp_path, kind):
    path = _broken(tmp_path, kind)
    before = path.read_bytes()
    with pytest.raises(DatabaseUnavailable) as caught:
        open_store(f"sqlite:///{path}")
    assert str(path) in caught.value.message("vi") and str(path) in caught.value.message("en")
    assert "sao lưu" in caught.value.message("vi") and "backup" in caught.value.message("en")
    assert path.read_bytes() == before  # not overwritten, not turned into a new database


def test_the_read_only_stand_in_refuses_every_write_with_the_reason(tmp_path):
    problem = DatabaseUnavailable(str(tmp_path / "x.db"), "empty")
    stand_in = Store.stand_in(problem)
    assert stand_in.list_views("cang_long") == []
    with pytest.raises(DatabaseUnavailable):
        stand_in.save_view(vw.View(pack_id="cang_long", title="x"), by=EDITOR)


def test_a_missing_file_becomes_a_new_database_and_says_so(tmp_path):
    db = open_store(f"sqlite:///{tmp_path / 'new.db'}")
    assert db.new_database is True
    db.close()
    again = open_store(f"sqlite:///{tmp_path / 'new.db'}")
    assert again.new_database is False


@pytest.mark.parametrize("kind", ["garbage", "empty"])
def test_every_page_says_what_happened_and_runs_without_a_traceback(tmp_path, monkeypatch, kind):
    path = _broken(tmp_path, kind)
    monkeypatch.setenv("ATLAS_DB_URL", f"sqlite:///{path}")
    for page in PAGES:
        at = AppTest.from_file(str(APP), default_timeout=120).run()
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        errors = [e.value for e in at.error]
        assert any(str(path) in e and "chỉ mở để xem" in e for e in errors), (page, errors)
    assert path.stat().st_size == (0 if kind == "empty" else path.stat().st_size)


def test_a_backup_is_a_sound_copy_and_a_broken_database_is_not_copied(tmp_path):
    source = _sound(tmp_path / "atlas.db")
    copy = backup_database(f"sqlite:///{source}", tmp_path / "copy.db")
    assert [v.title for v in open_store(f"sqlite:///{copy}").list_views("cang_long")] == [
        "Một góc nhìn"
    ]
    with pytest.raises(StoreError):  # never over an existing file
        backup_database(f"sqlite:///{source}", copy)
    with pytest.raises(DatabaseUnavailable):
        backup_database(f"sqlite:///{_broken(tmp_path, 'garbage')}", tmp_path / "g.db")
    assert not (tmp_path / "g.db").exists()
    with pytest.raises(StoreError, match="pg_dump"):
        backup_database("postgresql+psycopg://u:secret@localhost/atlas", tmp_path / "p.db")


def test_the_cli_backup_and_a_broken_database_exit_with_a_message(tmp_path):
    source = _sound(tmp_path / "atlas.db")
    env = {"ATLAS_DB": str(source), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "atlas", "backup", "--out",
                           str(tmp_path / "b.db")], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0 and "Backed up to" in done.stdout
    env["ATLAS_DB"] = str(_broken(tmp_path, "garbage"))
    bad = subprocess.run([sys.executable, "-m", "atlas", "backup"], cwd=REPO_ROOT, env=env,
                         capture_output=True, text=True)  # fmt: skip
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "is not a SQLite database" in bad.stderr


def test_a_setting_that_cannot_be_used_is_named_on_the_page(monkeypatch, tmp_path):
    monkeypatch.setenv("ATLAS_DB_URL", f"sqlite:///{tmp_path / 'ok.db'}")
    monkeypatch.setenv("ATLAS_TILE_URL", "javascript:alert(1)")
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception
    assert any("ATLAS_TILE_URL" in w.value for w in at.warning)
