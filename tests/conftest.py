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


@pytest.fixture
def app_test():
    """A not-yet-run AppTest of app.py (the whole app: sidebar, navigation, default page)."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(APP), default_timeout=60)
