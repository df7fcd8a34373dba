"""Shared fixtures: tests never read the developer's own packs; an AppTest of the whole app."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
APP = REPO_ROOT / "app.py"


@pytest.fixture(scope="session", autouse=True)
def isolated_user_data() -> Iterator[Path]:
    """ATLAS_USER_DATA points at an empty folder, ATLAS_DB at a database in it, and ATLAS_PACK
    is unset, for every test session.

    Subprocesses (the browser tests' Streamlit server) inherit the same environment.
    """
    names = ("ATLAS_USER_DATA", "ATLAS_PACK", "ATLAS_DB", "ATLAS_DB_URL")
    saved = {name: os.environ.get(name) for name in names}
    with tempfile.TemporaryDirectory(prefix="atlas-user-data-") as tmp:
        os.environ["ATLAS_USER_DATA"] = tmp
        os.environ["ATLAS_DB"] = str(Path(tmp) / "atlas-test.db")  # never the user's database
        os.environ.pop("ATLAS_PACK", None)
        os.environ.pop("ATLAS_DB_URL", None)
        try:
            yield Path(tmp)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


@pytest.fixture(scope="module")
def cang_long():
    """The shipped Càng Long pack, loaded once per test module."""
    from atlas.loader import load_pack

    return load_pack(REPO_ROOT / "geodata" / "cang_long").pack


@pytest.fixture
def app_test():
    """A not-yet-run AppTest of app.py (the whole app: sidebar, navigation, default page)."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(APP), default_timeout=60)


BROWSER_VIEWPORT = {"found": True, "center": [9.95, 106.2], "zoom": 13.5, "basemap": "light"}


@pytest.fixture
def browser_viewport(monkeypatch: pytest.MonkeyPatch) -> dict:
    """Stands for the browser in AppTest, which runs no custom component: the map viewport
    `ui.viewport_reader` reads (`answer`, None = not answered yet) and the sessionStorage
    keys it was asked for (`asked`)."""
    from ui import viewport_reader

    state: dict = {"answer": dict(BROWSER_VIEWPORT), "asked": []}

    def read(store_key: str, key: str) -> dict | None:
        state["asked"].append(store_key)
        return state["answer"]

    monkeypatch.setattr(viewport_reader, "read_viewport", read)
    return state


# --- the store on SQLite and on PostgreSQL ----------------------------------------------------

DATABASES = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgresql_cluster():
    """The suite's own throwaway PostgreSQL (tests/pg.py), started on first use."""
    from tests.pg import throwaway_cluster

    with throwaway_cluster() as cluster:
        yield cluster


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database for one test, on SQLite (a file in tmp_path) and on PostgreSQL (a new
    database in the suite's cluster): every store, scenario, view, account and import test
    that takes it runs on both (`pytest -k postgresql` selects the PostgreSQL ones)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db' / 'atlas.db'}"
        return
    from tests.pg import fresh_database

    with fresh_database(request.getfixturevalue("postgresql_cluster")) as url:
        yield url
