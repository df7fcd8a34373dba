"""The loaded pack is one cached object shared by every page, rerun and session.

`ui.data` keeps it with `st.cache_resource` (no copy per rerun), as `ui.units` keeps the
packs before and after the 2025 reorganisation built from it; that is only safe while nothing
changes them: these tests drive every page over the cached packs and compare them with a fresh
load. The pack's content fingerprint is hashed again only when a file's stat changes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from streamlit.testing.v1 import AppTest

import ui.data
from atlas import after2025
from atlas.loader import LoadResult, load_pack
from atlas.packs import find_pack, pack_fingerprint
from atlas.spec import Pack
from tests.conftest import REPO_ROOT
from tests.packfactory import make_pack
from tests.test_map_page import check, map_features
from ui.units import derived_pack

CANG_LONG = REPO_ROOT / "geodata" / "cang_long"
OTHER_PAGES = [
    "pages/scenarios.py",
    "pages/targets.py",
    "pages/present.py",
    "pages/compare.py",
    "pages/packs.py",
    "pages/data.py",
]


def assert_same_pack(cached: Pack, fresh: Pack) -> None:
    """Same manifest and every layer and table frame equal, dtypes and index included."""
    assert cached.manifest == fresh.manifest
    assert cached.frames.keys() == fresh.frames.keys()
    for layer_id, frame in fresh.frames.items():
        assert_geodataframe_equal(cached.frames[layer_id], frame)
    assert cached.table_frames.keys() == fresh.table_frames.keys()
    for table_id, frame in fresh.table_frames.items():
        pd.testing.assert_frame_equal(cached.table_frames[table_id], frame)


def test_every_page_leaves_the_cached_pack_as_it_was_loaded(
    app_test: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[Path] = []

    def counting_load(path: Path) -> LoadResult:
        loads.append(Path(path))
        return load_pack(path)

    monkeypatch.setattr(ui.data, "load_pack", counting_load)
    ui.data._load.clear()  # so the pages below load it, through `counting_load`, once
    pack = load_pack(CANG_LONG).pack
    for layer in pack.layers:
        app_test.session_state[f"map.cang_long.on.{layer.id}"] = True
    at = check(app_test.run())
    first = map_features(at)

    # Everything the map page can change, then every other page over the same pack.
    check(at.select_slider(key="map.cang_long.year").set_value(2021).run())
    check(at.selectbox(key="map.cang_long.scheme").set_value("natural_breaks").run())
    check(at.slider(key="map.cang_long.k").set_value(3).run())
    check(at.slider(key="map.cang_long.opacity.internet_hamlets").set_value(0).run())
    check(at.text_input(key="map.cang_long.search").input("tan an").run())
    check(at.sidebar.radio(key="map.units").set_value("post2025").run())
    check(at.sidebar.radio(key="map.units").set_value("pre2025").run())
    for page in OTHER_PAGES:
        check(at.switch_page(page).run())
    check(at.switch_page("pages/map.py").run())
    check(at.text_input(key="map.cang_long.search").input("").run())
    check(at.select_slider(key="map.cang_long.year").set_value(2025).run())
    check(at.selectbox(key="map.cang_long.scheme").set_value("manifest").run())
    check(at.slider(key="map.cang_long.opacity.internet_hamlets").set_value(100).run())

    # Drawn again from the cache, the same state gives the same features.
    assert map_features(at) == first
    assert loads.count(CANG_LONG) == 1  # one load served every rerun and page
    ref = find_pack("cang_long", [REPO_ROOT / "geodata"])
    cached = ui.data.load_pack_cached(ref)
    assert loads.count(CANG_LONG) == 1  # this is the object the pages used
    assert cached is ui.data.load_pack_cached(ref)  # shared, not a copy
    fresh = load_pack(CANG_LONG)
    assert cached.report.issues == fresh.report.issues
    assert_same_pack(cached.pack, fresh.pack)
    # The packs on either side of the 2025 reorganisation are shared the same way.
    fingerprint = ui.data.fingerprint_cached(CANG_LONG)
    for structure in after2025.STRUCTURES:
        shown = derived_pack(cached.pack, fingerprint, structure)
        assert_same_pack(shown, after2025.for_structure(fresh.pack, structure))


def _rewrite_same_size_and_mtime(file: Path) -> None:
    """Change one byte of `file`, keeping its size and modification time."""
    stat = file.stat()
    data = bytearray(file.read_bytes())
    data[-2] = ord("x") if data[-2] != ord("x") else ord("y")
    file.write_bytes(bytes(data))
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert file.stat().st_size == stat.st_size and file.stat().st_mtime_ns == stat.st_mtime_ns


def test_the_fingerprint_is_hashed_again_only_when_a_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed: list[Path] = []

    def counting_fingerprint(path: Path | str) -> str:
        hashed.append(Path(path))
        return pack_fingerprint(path)

    monkeypatch.setattr(ui.data, "pack_fingerprint", counting_fingerprint)
    path = make_pack(tmp_path)
    first = ui.data.fingerprint_cached(path)
    assert first == pack_fingerprint(path)
    assert ui.data.fingerprint_cached(path) == first
    assert len(hashed) == 1  # the second call only looked at the files' stat

    _rewrite_same_size_and_mtime(path / "pack.toml")
    second = ui.data.fingerprint_cached(path)
    assert second != first and second == pack_fingerprint(path)
    assert len(hashed) == 2

    (path / "tables" / "notes.txt").write_text("ghi chú", encoding="utf-8")
    third = ui.data.fingerprint_cached(path)
    assert third not in (first, second) and third == pack_fingerprint(path)


def test_an_edited_pack_is_loaded_again(tmp_path: Path) -> None:
    path = make_pack(tmp_path)
    ref = find_pack("test_pack", [tmp_path])
    before = ui.data.load_pack_cached(ref)
    assert before.pack is not None
    manifest = path / "pack.toml"
    manifest.write_text(
        manifest.read_text("utf-8").replace("Huyện Thử", "Huyện Đã Sửa"), encoding="utf-8"
    )
    after = ui.data.load_pack_cached(ref)
    assert after is not before
    assert after.pack.meta.name.vi == "Huyện Đã Sửa"
