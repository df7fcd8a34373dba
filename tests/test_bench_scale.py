"""The scale bench's synthetic pack: a valid pack whose communes tile their area.

bench/scale.py measures the map on packs of 148, ~1,570 and 10,035 communes built by
bench/scale_pack.py; these tests build one district's worth (Càng Long's 14 communes from the
gazetteer) and prove it is what the bench claims: loadable, ~300 vertices per commune, every
border shared (no gap, no overlap) and the same bytes every time.
"""

from __future__ import annotations

import pytest
import shapely

from atlas import gazetteer
from atlas.loader import load_pack
from bench.scale_pack import write_pack

pytestmark = pytest.mark.skipif(not gazetteer.available(), reason="gazetteer.csv not generated")


def _district() -> object:
    frame = gazetteer.units("pre2025", "commune")
    return frame[frame["district_code"] == "844"].sort_values("code").reset_index(drop=True)


def test_synthetic_pack_loads_without_errors_with_a_yearly_choropleth(tmp_path):
    result = load_pack(write_pack(tmp_path / "tiny", _district(), "tiny"))
    assert result.report.ok, [issue.en for issue in result.report.errors]
    pack = result.pack
    assert {layer.id for layer in pack.layers} == {"communes", "internet"}
    assert len(pack.frames["communes"]) == len(_district())
    assert pack.table_frames["internet"]["year"].nunique() == 5


def test_synthetic_communes_tile_their_area_with_shared_borders(tmp_path):
    pack = load_pack(write_pack(tmp_path / "tiny", _district(), "tiny")).pack
    geoms = list(pack.frames["communes"].geometry)
    assert all(g.is_valid and not g.is_empty for g in geoms)
    total = sum(g.area for g in geoms)
    union = shapely.union_all(geoms)
    assert abs(total - union.area) <= 1e-9 * union.area  # no overlaps
    assert union.geom_type == "Polygon" and not union.interiors  # no gaps between communes
    for i, geom in enumerate(geoms):
        shared = sum(geom.boundary.intersection(o.boundary).length for o in geoms if o is not geom)
        assert shared > 0, f"commune {i} shares no border"


def test_synthetic_communes_have_about_300_vertices(tmp_path):
    pack = load_pack(write_pack(tmp_path / "tiny", _district(), "tiny")).pack
    vertices = shapely.get_num_coordinates(pack.frames["communes"].geometry.to_numpy())
    assert 150 <= vertices.mean() <= 450


def test_synthetic_pack_is_the_same_bytes_every_time(tmp_path):
    first = write_pack(tmp_path / "a", _district(), "tiny")
    second = write_pack(tmp_path / "b", _district(), "tiny")
    for name in ("pack.toml", "layers/communes.geojson", "tables/internet.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
