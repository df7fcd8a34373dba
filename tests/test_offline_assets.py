"""The map's browser assets come from this app (static/vendor), never from a CDN.

No browser here: render folium maps to HTML and check the links, and check that every
local file they (and their CSS) reference was put in place by ``python assets/prepare.py``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import folium
import pytest
from folium import plugins

from layers import offline
from layers.offline import (
    DEFAULT_BASE_URL,
    LOCAL_ASSETS,
    local_asset_urls,
    remote_urls_in,
    use_local_assets,
)
from layers.vector_tiles import TileSupport

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"
ASSETS = ROOT / "assets"
OWNERS = tuple(dict.fromkeys(asset.owner for asset in LOCAL_ASSETS))

GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"ten": "Xã A", "loai": "dat_o"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[106.18, 9.97], [106.22, 9.97], [106.22, 10.01], [106.18, 10.01]]
                    + [[106.18, 9.97]]
                ],
            },
        },
        {
            "type": "Feature",
            "properties": {"ten": "Đường B", "loai": "giao_thong"},
            "geometry": {
                "type": "LineString",
                "coordinates": [[106.15, 9.95], [106.25, 10.03]],
            },
        },
    ],
}


@pytest.fixture
def local_assets():
    """use_local_assets() for one test; the classes' link lists are restored afterwards."""
    saved = {owner: (owner.default_js, owner.default_css) for owner in OWNERS}
    use_local_assets()
    yield
    for owner, (js, css) in saved.items():
        owner.default_js, owner.default_css = js, css


def require_vendor() -> None:
    if VENDOR.is_dir() and any(VENDOR.iterdir()):
        return
    message = "static/vendor is not prepared: run `python assets/prepare.py`"
    if os.environ.get("CI"):
        pytest.fail(message + " before the tests (CI must prepare it)")
    pytest.skip(message)


def build_map() -> folium.Map:
    m = folium.Map(location=[9.99, 106.2], zoom_start=12, tiles=None, control_scale=True)
    folium.TileLayer(
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        attr='&copy; <a href="https://www.openstreetmap.org/copyright">OSM</a>',
        name="light",
        show=False,
    ).add_to(m)
    plugins.Fullscreen().add_to(m)
    plugins.MeasureControl().add_to(m)
    plugins.MousePosition().add_to(m)
    TileSupport().add_to(m)  # the vector-tile runtime of the map page
    folium.GeoJson(
        GEOJSON,
        name="Quy hoạch",
        tooltip=folium.GeoJsonTooltip(["ten"]),
        popup=folium.GeoJsonPopup(["ten", "loai"]),
    ).add_to(m)
    folium.Marker([9.99, 106.2], icon=folium.Icon(), tooltip="glyphicon").add_to(m)
    folium.Marker(
        [10.0, 106.21], icon=folium.Icon(prefix="fa", icon="school", angle=45), popup="fa"
    ).add_to(m)
    folium.LayerControl().add_to(m)
    return m


def rendered_maps() -> str:
    """HTML of the district map and of the compare page's synchronised maps (DualMap)."""
    dual = plugins.DualMap(location=[9.99, 106.2], tiles=None, zoom_start=12)
    folium.GeoJson(GEOJSON, name="Quy hoạch").add_to(dual.m1)
    return build_map().get_root().render() + dual.get_root().render()


def st_folium_links(m: folium.Map) -> list[str]:
    """The js/css links streamlit-folium's st_folium collects from a map's elements."""

    def walk(element):
        yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)

    links: list[str] = []
    for element in walk(m):
        links += [url for _, url in getattr(element, "default_js", [])]
        links += [url for _, url in getattr(element, "default_css", [])]
    return links


def vendor_path(url: str) -> Path:
    path = urlsplit(url).path
    prefix = urlsplit(DEFAULT_BASE_URL).path.rstrip("/") + "/"
    assert path.startswith(prefix), url
    return VENDOR / path[len(prefix) :]


# --- rendering --------------------------------------------------------------------------


def test_rendered_map_has_no_remote_sources(local_assets):
    html = rendered_maps()

    assert remote_urls_in(html) == []
    for local_url in local_asset_urls().values():
        assert local_url in html
    # Tile templates and attribution links are still there, and are not sources.
    assert "basemaps.cartocdn.com" in html


def test_streamlit_folium_gets_only_local_links(local_assets):
    links = st_folium_links(build_map())

    assert links
    assert all(link.startswith(DEFAULT_BASE_URL + "/") for link in links), links


def test_without_local_assets_the_cdn_links_are_found():
    """The check is not vacuous: folium's own links are remote."""
    saved = {owner: (owner.default_js, owner.default_css) for owner in OWNERS}
    try:
        offline.use_cdn_assets()
        remote = remote_urls_in(rendered_maps())
    finally:
        for owner, (js, css) in saved.items():
            owner.default_js, owner.default_css = js, css
    cdn_urls = {url for url in local_asset_urls() if url.startswith("https://")}
    # TileSupport is ours: it links only local files, no CDN.
    replaced = [a for a in LOCAL_ASSETS if a.after is None and a.owner is not TileSupport]
    assert len(cdn_urls) == len(replaced)
    assert cdn_urls <= set(remote)


def test_use_local_assets_is_idempotent_and_rebases(local_assets):
    first = (list(folium.Map.default_js), list(folium.Map.default_css))
    use_local_assets()
    assert (folium.Map.default_js, folium.Map.default_css) == first

    use_local_assets("http://127.0.0.1:8765/static/vendor/")
    assert folium.Map.default_js[:2] == [
        ("leaflet", "http://127.0.0.1:8765/static/vendor/leaflet/leaflet.js"),
        (
            "atlas_leaflet_icon_path",
            "http://127.0.0.1:8765/static/vendor/atlas-own/leaflet-icon-path.js",
        ),
    ]
    use_local_assets()
    assert (folium.Map.default_js, folium.Map.default_css) == first


def test_every_folium_link_of_the_classes_we_use_is_mapped():
    """A folium upgrade that adds or renames a CDN link must show up here."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        saved = {owner: (owner.default_js, owner.default_css) for owner in OWNERS}
        try:
            use_local_assets()
        finally:
            for owner, (js, css) in saved.items():
                owner.default_js, owner.default_css = js, css
    mapped = {(a.owner, a.kind, a.name) for a in LOCAL_ASSETS if a.after is None}
    declared = {
        (owner, kind, name)
        for owner, lists in offline._ORIGINAL.items()
        for kind, links in lists.items()
        for name, _ in links
    }
    assert mapped == declared


def test_npm_pins_match_the_versions_folium_references():
    lock = json.loads((ASSETS / "package-lock.json").read_text(encoding="utf-8"))
    version = {
        key.removeprefix("node_modules/"): value.get("version")
        for key, value in lock["packages"].items()
        if key.startswith("node_modules/")
    }
    cdn_urls = " ".join(local_asset_urls())
    expected = {
        "leaflet": "leaflet@{}/",
        "jquery": "jquery-{}.min.js",
        "bootstrap": "bootstrap@{}/",
        "@fortawesome/fontawesome-free": "fontawesome-free@{}/",
        "drmonty-leaflet-awesome-markers": "Leaflet.awesome-markers/{}/",
        "leaflet.fullscreen": "leaflet.fullscreen@{}/",
        "leaflet-measure": "leaflet-measure@{}/",
    }
    for package, pattern in expected.items():
        assert pattern.format(version[package]) in cdn_urls, (package, version[package])


# --- remote_urls_in ---------------------------------------------------------------------


def test_remote_urls_in_finds_sources_and_ignores_the_rest():
    html = """
    <html><head>
    <script src="https://cdn.example.org/a.js"></script>
    <link rel="stylesheet" href="//cdn.example.org/b.css"/>
    <link rel="stylesheet" href="/app/static/vendor/leaflet/leaflet.css"/>
    <script src="http://127.0.0.1:9999/static/vendor/x.js"></script>
    <style>@import "https://fonts.example.org/c.css";
      .x { background: url(https://img.example.org/d.png) }</style>
    </head><body>
    <a href="https://www.openstreetmap.org/copyright">OSM</a>
    <img src="https://img.example.org/e.png" srcset="https://img.example.org/e2.png 2x">
    <div style="background-image: url('https://img.example.org/f.png')"></div>
    <script>
      L.tileLayer("https://{s}.tile.example.org/{z}/{x}/{y}.png", {
        attribution: "\\u0026copy; <a href=\\"https://example.org/copyright\\">x</a>"
      });
      var html = `<img src="https://img.example.org/g.png">`;
      // see https://github.com/example/issues/1
    </script>
    <iframe srcdoc="&lt;script src=&quot;https://cdn.example.org/h.js&quot;&gt;&lt;/script&gt;">
    </iframe>
    </body></html>
    """
    assert remote_urls_in(html) == [
        "https://cdn.example.org/a.js",
        "//cdn.example.org/b.css",
        "https://fonts.example.org/c.css",
        "https://img.example.org/d.png",
        "https://img.example.org/e.png",
        "https://img.example.org/e2.png",
        "https://img.example.org/f.png",
        "https://img.example.org/g.png",
        "https://cdn.example.org/h.js",
    ]
    assert "http://127.0.0.1:9999/static/vendor/x.js" in remote_urls_in(html, allowed_hosts=())


# --- the prepared files -----------------------------------------------------------------


def test_every_local_asset_exists_under_static_vendor():
    require_vendor()
    missing = [url for url in local_asset_urls().values() if not vendor_path(url).is_file()]
    assert missing == [], "run `python assets/prepare.py`"


def test_files_referenced_by_the_local_css_exist():
    """Images and fonts referenced with url(...) from the local CSS are there too."""
    require_vendor()
    checked = 0
    for url in local_asset_urls().values():
        css = vendor_path(url)
        if css.suffix != ".css":
            continue
        text = re.sub(r"/\*.*?\*/", "", css.read_text(encoding="utf-8"), flags=re.DOTALL)
        for ref in re.findall(r"url\(\s*[\"']?([^\"')]+)", text):
            if ref.startswith(("data:", "#")):  # inline data, VML behaviours
                continue
            assert not re.match(r"(https?:)?//", ref), f"{css}: remote {ref}"
            target = (css.parent / ref.split("?")[0].split("#")[0]).resolve()
            assert target.is_file(), f"{css.relative_to(ROOT)} references missing {ref}"
            checked += 1
    assert checked > 10  # leaflet images, marker sprites, webfonts, glyphicons, ...


def test_prepare_check_reports_up_to_date():
    require_vendor()
    if not (ASSETS / "node_modules").is_dir():
        pytest.skip("assets/node_modules is not installed")
    result = subprocess.run(
        [sys.executable, str(ASSETS / "prepare.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
