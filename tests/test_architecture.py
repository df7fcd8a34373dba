"""The layering rule, enforced: `atlas/` (domain) and `layers/` (folium) never import Streamlit.

Both are used outside the app (the CLI, exports, benchmarks, tests) and must run without a
Streamlit session; widgets and caches belong in `ui/`. The check reads the source (AST), so an
import inside a function or under `if TYPE_CHECKING` counts too, and so does a Streamlit
component package (`streamlit_folium`), which imports Streamlit itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

STREAMLIT_FREE = ("atlas", "layers", "cli")


def is_streamlit(module: str) -> bool:
    top = module.split(".")[0]
    return top == "streamlit" or top.startswith("streamlit_")


def streamlit_imports(source: str, filename: str) -> list[str]:
    """`import streamlit…` and `from streamlit… import …` in `source`, as `file:line`."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        if any(is_streamlit(m) for m in modules):
            found.append(node.lineno)
    return [f"{filename}:{line}" for line in sorted(found)]


def python_files(package: str) -> list[Path]:
    return sorted((REPO_ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", STREAMLIT_FREE)
def test_package_never_imports_streamlit(package: str) -> None:
    files = python_files(package)
    assert files, f"no Python files under {package}/"
    offenders = [
        hit
        for file in files
        for hit in streamlit_imports(
            file.read_text(encoding="utf-8"), file.relative_to(REPO_ROOT).as_posix()
        )
    ]
    assert offenders == [], f"{package}/ must not import streamlit (use ui/): {offenders}"


def test_the_scan_finds_every_form_of_streamlit_import() -> None:
    source = (
        "import streamlit as st\n"
        "import os, streamlit.components.v1\n"
        "from streamlit import session_state\n"
        "from streamlit.runtime import exists\n"
        "def f():\n"
        "    import streamlit\n"
        "from streamlit_folium import st_folium\n"
        "from . import streamlit_like\n"  # a relative import of one's own module
        "import streamlitish, json\n"
    )
    hits = ["x.py:1", "x.py:2", "x.py:3", "x.py:4", "x.py:6", "x.py:7"]
    assert streamlit_imports(source, "x.py") == hits


# The functions that put a prepared layer or a legend on a map; only the composer calls them.
MAP_BUILDERS = ("render_layer", "tiled_group", "legend_layer")
COMPOSER = "layers/compose.py"


def builder_calls(source: str, filename: str) -> list[str]:
    """Calls of MAP_BUILDERS in `source` (by name or attribute), as `file:line name`."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name in MAP_BUILDERS:
                found.append(f"{filename}:{node.lineno} {name}")
    return found


def test_every_map_gets_its_layers_from_the_one_composer() -> None:
    """The Map, Present, Scenarios and Compare pages and the HTML export draw layers and
    legends through `layers.compose` only, so a layer is drawn the same way on all of them."""
    offenders = [
        hit
        for package in ("atlas", "layers", "ui", "pages")
        for file in python_files(package)
        if file.relative_to(REPO_ROOT).as_posix() != COMPOSER
        for hit in builder_calls(
            file.read_text(encoding="utf-8"), file.relative_to(REPO_ROOT).as_posix()
        )
    ]
    assert offenders == [], f"draw layers through layers.compose: {offenders}"
    composer = (REPO_ROOT / COMPOSER).read_text(encoding="utf-8")
    assert {h.split()[-1] for h in builder_calls(composer, COMPOSER)} == set(MAP_BUILDERS)


# --- one direction: atlas → layers → ui → pages, and one settings module -----------------------


def imported_tops(source: str, filename: str) -> list[tuple[int, str]]:
    """(line, top-level package) of every absolute import in `source`."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


LAUNCHER = "atlas/__main__.py"  # `python -m atlas` only starts the terminal front end (cli/)


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("atlas", {"layers", "ui", "pages", "cli"}), ("layers", {"ui", "pages", "cli"})],
)
def test_the_layers_point_one_way(package: str, forbidden: set[str]) -> None:
    """`atlas` (the domain) imports neither `layers` nor a front end (`ui`, `pages`, `cli`);
    `layers` imports no front end."""
    offenders = [
        f"{rel}:{line} {top}"
        for file in python_files(package)
        if (rel := file.relative_to(REPO_ROOT).as_posix()) != LAUNCHER
        for line, top in imported_tops(file.read_text(encoding="utf-8"), file.name)
        if top in forbidden
    ]
    assert offenders == [], f"{package}/ must not import {sorted(forbidden)}: {offenders}"


SETTINGS = "atlas/settings.py"


def environment_reads(source: str, filename: str) -> list[int]:
    """Lines that read the process environment: `os.environ…`, `os.getenv(…)`, or `environ` /
    `getenv` imported from os."""
    lines = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
            if isinstance(node.value, ast.Name) and node.value.id == "os":
                lines.append(node.lineno)
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and any(a.name in ("environ", "getenv", "environb") for a in node.names)
        ):
            lines.append(node.lineno)
    return sorted(set(lines))


def test_only_the_settings_module_reads_the_environment() -> None:
    """Every ATLAS_* variable goes through `atlas.settings` (typed, checked, documented)."""
    files = [REPO_ROOT / "app.py"] + [
        f for package in ("atlas", "layers", "ui", "pages", "cli") for f in python_files(package)
    ]
    offenders = [
        f"{rel}:{line}"
        for file in files
        if (rel := file.relative_to(REPO_ROOT).as_posix()) != SETTINGS
        for line in environment_reads(file.read_text(encoding="utf-8"), rel)
    ]
    assert offenders == [], f"read configuration through atlas.settings: {offenders}"
    assert environment_reads("import os\nx = os.environ.get('A')\nfrom os import getenv\n", "x")


def test_the_settings_fall_back_and_say_why() -> None:
    from atlas.settings import read_settings

    good = read_settings({"ATLAS_TILE_URL": "http://t.local/{z}/{x}/{y}.png", "ATLAS_PACK": "x"})
    assert good.tile_url == "http://t.local/{z}/{x}/{y}.png" and good.problems == ()
    assert good.pack == "x" and good.pack_asked
    bad = read_settings({"ATLAS_TILE_URL": "javascript:alert(1)", "ATLAS_MAX_UPLOAD_MB": "lots"})
    assert bad.tile_url is None and bad.max_upload_mb == 50
    assert len(bad.problems) == 2 and all(vi and en for vi, en in bad.problems)
    assert read_settings({}).database_url.startswith("sqlite:///")
    assert read_settings({"ATLAS_DB_URL": "postgresql://h/db"}).database_url == "postgresql://h/db"


# --- every write goes through the role check ---------------------------------------------------

# The file writers know files, not people: a front end reaches them only through
# `atlas.pack_writes`, which checks the signed-in account's role and records who did it.
UNGUARDED_WRITERS = {"save_import", "import_layers", "create_pack", "write_pack"}


def writer_names(source: str, filename: str) -> list[str]:
    """Names of the unguarded file writers `source` imports or calls."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.ImportFrom):
            found += [
                f"{node.lineno} import {a.name}" for a in node.names if a.name in UNGUARDED_WRITERS
            ]
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in UNGUARDED_WRITERS
            and isinstance(node.value, ast.Name)  # a module's (`ingest.save_import`), not
        ):  # the store's own guarded `store().save_import` of a scenario CSV
            found.append(f"{node.lineno} .{node.attr}")
    return found


def test_front_ends_write_packs_only_through_the_role_check() -> None:
    files = [
        REPO_ROOT / "app.py",
        *python_files("ui"),
        *python_files("pages"),
        *python_files("cli"),
    ]
    offenders = [
        f"{file.relative_to(REPO_ROOT).as_posix()}:{hit}"
        for file in files
        for hit in writer_names(file.read_text(encoding="utf-8"), file.name)
    ]
    assert offenders == [], f"write packs through atlas.pack_writes: {offenders}"
    source = "from atlas.ingest import save_import\nx.create_pack()\nstore().save_import()"
    assert writer_names(source, "t.py") == [
        "1 import save_import",
        "2 .create_pack",
    ]


def test_every_store_write_takes_the_account_that_writes() -> None:
    """A write method of the store without a `by` parameter could not check a role."""
    import inspect

    from atlas.accounts import Accounts
    from atlas.store import Store

    writes = {
        Store: ["save", "delete", "import_csv", "save_import", "save_view", "rename_view",
                "move_view", "delete_view"],
        Accounts: ["add", "set_password", "set_role", "set_disabled", "grant"],
    }  # fmt: skip
    missing = [
        f"{cls.__name__}.{name}"
        for cls, names in writes.items()
        for name in names
        if "by" not in inspect.signature(getattr(cls, name)).parameters
    ]
    assert missing == []
