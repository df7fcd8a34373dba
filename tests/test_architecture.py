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

STREAMLIT_FREE = ("atlas", "layers")


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
