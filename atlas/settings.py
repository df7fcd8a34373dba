"""The deployment's configuration: every `ATLAS_*` environment variable, read here and only
here (`tests/test_architecture.py` proves it), typed and checked.

Read afresh on each call (`settings()`): a handful of dictionary lookups, and tests and the
CLI set variables per run. A value that cannot be used falls back to its default and is named
in `Settings.problems` (in both languages), which the app shows once and the CLI prints, rather
than stopping a workshop over a typo. The README's configuration table lists the same variables.

A small frozen dataclass rather than pydantic-settings: ten variables with one fallback rule
each do not justify another dependency and its import time in every CLI call.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DATA_HOME = Path.home() / ".local" / "share" / "atlas-ha-tang"
DEFAULT_PACK = "cang_long"
DEFAULT_MAX_UPLOAD_MB = 50.0
DEFAULT_IDLE_MINUTES = 60.0
DEFAULT_SESSION_HOURS = 12.0

# name → what it sets (for the README table and `python -m atlas settings`)
VARIABLES: dict[str, str] = {
    "ATLAS_PACK": "pack opened first (id), default cang_long",
    "ATLAS_USER_DATA": "folder of imported packs, default ~/.local/share/atlas-ha-tang/packs",
    "ATLAS_DB": "SQLite database file, default ~/.local/share/atlas-ha-tang/atlas.db",
    "ATLAS_DB_URL": "any SQLAlchemy URL instead of ATLAS_DB (e.g. postgresql+psycopg://…)",
    "ATLAS_TILE_URL": "intranet tile server, an http(s) XYZ template with {z}, {x}, {y}",
    "ATLAS_TILE_ATTRIBUTION": "its attribution text",
    "ATLAS_MAX_UPLOAD_MB": "largest file the Data page takes, in MB, default 50",
    "ATLAS_SESSION_IDLE_MINUTES": "a sign-in ends after this many minutes unused, default 60",
    "ATLAS_SESSION_HOURS": "a sign-in ends this many hours after it began, default 12",
    "ATLAS_PACK_STORE": "where user packs are kept: files (default) or database (every process "
    "and machine on ATLAS_DB_URL shares them; the folder is then a local copy)",
}
PACK_STORES = ("files", "database")


@dataclass(frozen=True)
class Settings:
    pack: str = DEFAULT_PACK
    pack_asked: bool = False  # ATLAS_PACK was set (a missing pack is then worth a warning)
    user_data: Path = DATA_HOME / "packs"
    db_path: Path = DATA_HOME / "atlas.db"
    db_url: str = ""
    tile_url: str | None = None
    tile_attribution: str | None = None
    max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB
    session_idle_minutes: float = DEFAULT_IDLE_MINUTES
    session_hours: float = DEFAULT_SESSION_HOURS
    pack_store: str = "files"
    problems: tuple[tuple[str, str], ...] = field(default=(), compare=False)  # (vi, en)

    @property
    def database_url(self) -> str:
        """`ATLAS_DB_URL` if set, else the SQLite file `ATLAS_DB`."""
        return self.db_url or f"sqlite:///{self.db_path}"

    @property
    def packs_in_database(self) -> bool:
        """User packs are kept in the database (`atlas.pack_sync`), the folder is a copy."""
        return self.pack_store == "database"


def is_tile_template(text: str) -> bool:
    """An http(s) XYZ template with {z}, {x} and {y}."""
    return text.startswith(("http://", "https://")) and all(
        part in text for part in ("{z}", "{x}", "{y}")
    )


def read_settings(env: Mapping[str, str]) -> Settings:
    """The settings `env` gives (see the module docstring)."""
    problems: list[tuple[str, str]] = []

    def text(name: str) -> str:
        return (env.get(name) or "").strip()

    tile = text("ATLAS_TILE_URL")
    if tile and not is_tile_template(tile):
        problems.append((
            f"ATLAS_TILE_URL={tile} không phải mẫu http(s) có {{z}}, {{x}}, {{y}}: bỏ qua.",
            f"ATLAS_TILE_URL={tile} is not an http(s) template with {{z}}, {{x}}, {{y}}: ignored.",
        ))  # fmt: skip
        tile = ""

    pack_store = text("ATLAS_PACK_STORE").lower() or "files"
    if pack_store not in PACK_STORES:
        problems.append((
            f"ATLAS_PACK_STORE={pack_store} không phải files hay database: dùng files.",
            f"ATLAS_PACK_STORE={pack_store} is neither files nor database: using files.",
        ))  # fmt: skip
        pack_store = "files"

    def positive(name: str, default: float, unit: str) -> float:
        """A positive number, else the default with the problem named."""
        if not text(name):
            return default
        try:
            value = float(text(name))
        except ValueError:
            value = -1.0
        if value > 0:
            return value
        problems.append((
            f"{name}={text(name)} không phải số dương: dùng {default:g} {unit}.",
            f"{name}={text(name)} is not a positive number: using {default:g} {unit}.",
        ))  # fmt: skip
        return default

    return Settings(
        pack=text("ATLAS_PACK") or DEFAULT_PACK,
        pack_asked=bool(text("ATLAS_PACK")),
        user_data=Path(text("ATLAS_USER_DATA") or DATA_HOME / "packs").expanduser(),
        db_path=Path(text("ATLAS_DB") or DATA_HOME / "atlas.db").expanduser(),
        db_url=text("ATLAS_DB_URL"),
        tile_url=tile or None,
        tile_attribution=text("ATLAS_TILE_ATTRIBUTION") or None,
        max_upload_mb=positive("ATLAS_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB, "MB"),
        session_idle_minutes=positive("ATLAS_SESSION_IDLE_MINUTES", DEFAULT_IDLE_MINUTES, "min"),
        session_hours=positive("ATLAS_SESSION_HOURS", DEFAULT_SESSION_HOURS, "h"),
        pack_store=pack_store,
        problems=tuple(problems),
    )


def settings() -> Settings:
    """This process's settings, from its environment."""
    return read_settings(os.environ)
