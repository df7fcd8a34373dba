"""Saved views: URL query and JSON round trips, junk-tolerant reading, pack views, the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas import store
from atlas import views as vw
from tests.accounts import EDITOR

LAYERS = ["communes", "district", "roads", "ppp_projects"]
VIEW = vw.View(
    pack_id="cang_long",
    layers=("communes", "roads"),
    opacity={"communes": 0.6, "roads": 1.0},
    year=2023,
    scheme="quantiles",
    k=5,
    scenario="s1",
    target="internet",
    basemap="http://tiles.local/{z}/{x}/{y}.png",
    center=(9.97, 106.21),
    zoom=13,
    title="Giao thông",
    caption="Đường tỉnh",
)


def test_a_view_survives_the_url_without_its_title() -> None:
    query = VIEW.to_query()
    assert query["p"] == "cang_long" and query["l"] == "communes,roads"
    assert query["o"] == "communes:60" and query["c"] == "9.97000,106.21000"
    result = vw.from_query(query, "cang_long", LAYERS, [2021, 2023], ["quantiles"])
    assert result.ignored == ()
    assert result.view == vw.View(**{**VIEW.__dict__, "title": "", "caption": "",
                                     "opacity": {"communes": 0.6}})  # fmt: skip


def test_junk_in_a_url_is_ignored_and_reported() -> None:
    query = {"p": "cang_long", "l": "roads,nope,communes", "y": "1999", "z": "99", "c": "x,y",
             "o": "roads:abc", "zz": "1"}  # fmt: skip
    result = vw.from_query(query, "cang_long", LAYERS, [2021, 2023])
    view = result.view
    assert view is not None
    assert view.layers == ("communes", "roads")  # manifest drawing order
    assert view.year is None and view.center is None and view.zoom == vw.ZOOM_MAX
    assert set(result.ignored) == {"l=nope", "y=1999", "c=x,y", "o=roads:abc", "zz=1"}


def test_a_url_for_another_pack_is_not_a_view_of_this_one() -> None:
    assert vw.from_query({"p": "chi_lang"}, "cang_long", LAYERS).view is None
    assert vw.from_query({}, "cang_long", LAYERS).view is None


def test_json_round_trip() -> None:
    assert vw.View.from_json(VIEW.to_json()) == VIEW


def test_a_pack_may_ship_default_views(tmp_path: Path) -> None:
    (tmp_path / "views.toml").write_text(
        '[[views]]\ntitle = { vi = "Giao thông", en = "Transport" }\nlayers = ["roads"]\n'
        "year = 2025\ncenter = [9.9, 106.2]\nzoom = 12\n\n"
        '[[views]]\ntitle = "Viễn thông"\ncaption = "2025"\nlayers = ["communes"]\n',
        "utf-8",
    )
    found = vw.pack_views(tmp_path, "cang_long", "en")
    assert [v.title for v in found] == ["Transport", "Viễn thông"]
    assert found[0].center == (9.9, 106.2) and found[0].id == "default:1"
    assert vw.pack_views(tmp_path / "missing", "cang_long") == []


@pytest.fixture
def db(database_url: str):
    opened = store.Store.from_url(database_url)  # SQLite and PostgreSQL
    yield opened
    opened.close()


def test_views_are_saved_listed_reordered_renamed_and_deleted(db: store.Store) -> None:
    a = db.save_view(VIEW, by=EDITOR)
    b = db.save_view(vw.View(pack_id="cang_long", title="B"), by=EDITOR)
    db.save_view(vw.View(pack_id="chi_lang", title="other pack"), by=EDITOR)
    listed = db.list_views("cang_long")
    assert [v.title for v in listed] == ["Giao thông", "B"]
    assert listed[0] == vw.View(**{**VIEW.__dict__, "id": a.id, "position": 0})
    db.move_view(b.id, -1, by=EDITOR)
    assert [v.id for v in db.list_views("cang_long")] == [b.id, a.id]
    db.move_view(b.id, -5, by=EDITOR)  # clamped
    assert [v.id for v in db.list_views("cang_long")] == [b.id, a.id]
    db.rename_view(a.id, "Giao thông 2021–2025", by=EDITOR)
    assert db.list_views("cang_long")[1].title == "Giao thông 2021–2025"
    db.delete_view(b.id, by=EDITOR)
    assert [v.id for v in db.list_views("cang_long")] == [a.id]
    with pytest.raises(KeyError):
        db.rename_view("nope", "x", by=EDITOR)


# --- the basemap as an id, and views stored before it was one ------------------------------------


def test_a_tile_url_from_a_view_or_a_link_is_never_kept_only_the_server_s_own_basemap() -> None:
    """Views and links made when `basemap` held a tile URL still open, on the server's own
    tile server ("custom", `ATLAS_TILE_URL`): the URL itself is dropped, and a link's is
    named among the ignored parameters."""
    old = vw.View(pack_id="cang_long", basemap="http://tiles.local/{z}/{x}/{y}.png")
    assert (old.basemap, old.tile_url) == ("custom", None)
    stored = '{"pack_id": "cang_long", "basemap": "custom", "tile_url": "https://t.vn/{z}/{x}/{y}.png", "zoom": 12}'  # noqa: E501
    view = vw.View.from_json(stored)
    assert (view.basemap, view.tile_url, view.zoom) == ("custom", None, 12)
    result = vw.from_query({"p": "cang_long", "b": "http://host/{z}/{x}/{y}.png",
                            "bu": "http://host/{z}/{x}/{y}.png"}, "cang_long", LAYERS)  # fmt: skip
    assert set(result.ignored) == {
        "b=http://host/{z}/{x}/{y}.png",
        "bu=http://host/{z}/{x}/{y}.png",
    }
    assert result.view.basemap == "custom" and "bu" not in result.view.to_query()


@pytest.mark.parametrize("basemap", ["none", "osm", "light", "satellite"])
def test_a_basemap_id_survives_the_url_and_json(basemap: str) -> None:
    view = vw.View(pack_id="cang_long", layers=("roads",), basemap=basemap, zoom=12.25)
    query = view.to_query()
    assert query["b"] == basemap and query["z"] == "12.25" and "bu" not in query
    assert vw.from_query(query, "cang_long", LAYERS).view == view
    assert vw.View.from_json(view.to_json()) == view


def test_junk_basemaps_in_a_url_are_ignored_and_reported() -> None:
    result = vw.from_query(
        {"p": "cang_long", "b": "javascript:alert(1)", "bu": "ftp://x/{z}/{x}/{y}"},
        "cang_long",
        LAYERS,
    )
    assert result.view.basemap is None and result.view.tile_url is None
    assert set(result.ignored) == {"b=javascript:alert(1)", "bu=ftp://x/{z}/{x}/{y}"}
    # A tile URL only belongs to the custom basemap.
    other = vw.from_query({"p": "cang_long", "b": "osm", "bu": "http://t/{z}/{x}/{y}"},
                          "cang_long", LAYERS)  # fmt: skip
    assert other.view.basemap == "osm" and other.ignored == ("bu=http://t/{z}/{x}/{y}",)


def test_an_unknown_basemap_id_in_stored_json_is_dropped() -> None:
    assert vw.View.from_json('{"pack_id": "p", "basemap": "mars"}').basemap is None


def test_a_pack_view_may_name_its_basemap(tmp_path: Path) -> None:
    (tmp_path / "views.toml").write_text(
        '[[views]]\ntitle = "Vệ tinh"\nlayers = ["roads"]\nbasemap = "satellite"\n\n'
        '[[views]]\ntitle = "Nội bộ"\nbasemap = "custom"\n'
        'tile_url = "http://tiles.local/{z}/{x}/{y}.png"\n',
        "utf-8",
    )
    found = vw.pack_views(tmp_path, "cang_long")
    assert [(v.basemap, v.tile_url) for v in found] == [
        ("satellite", None),
        ("custom", None),  # the server's own tile server; a URL in a pack file is not fetched
    ]
