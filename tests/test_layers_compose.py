"""layers.compose: inline and tiled layers, in order, with their legends."""

from __future__ import annotations

from atlas.loader import load_pack
from layers.compose import compose
from layers.features import PreparedLayer, TiledSource, prepare_layer
from layers.vector_tiles import TiledLayers
from tests.conftest import REPO_ROOT


def _tiled(prepared: PreparedLayer) -> PreparedLayer:
    source = TiledSource("/app/static/tiles/x.pmtiles", 12, "polygon", "/app/static/tiles/v.json")
    return PreparedLayer(
        prepared.layer_id, {"type": "FeatureCollection", "features": []}, prepared.legend,
        prepared.classes, prepared.year, prepared.bounds, tiled=source,
    )  # fmt: skip


def test_tiled_layers_go_into_one_group_first_and_every_layer_has_its_legend() -> None:
    pack = load_pack(REPO_ROOT / "geodata" / "cang_long").pack
    roads = pack.manifest.layer("roads")
    communes = pack.manifest.layer("internet_hamlets")
    composed = compose(
        [
            (communes, _tiled(prepare_layer(pack, communes.id)), 0.5),
            (roads, prepare_layer(pack, roads.id), 1.0),
        ],
        "vi",
    )
    assert len(composed.groups) == 2  # the tiled group, then the roads
    tiled = next(iter(composed.groups[0]._children.values()))
    assert isinstance(tiled, TiledLayers)
    assert [(s["key"], s["opacity"]) for s in tiled.specs] == [("internet_hamlets", 0.5)]
    assert [s.title for s in composed.sections] == [communes.title.vi, roads.title.vi]
    assert composed.legend("vi") is not None


def test_no_layer_no_legend_and_an_empty_tiled_list() -> None:
    composed = compose([], "en")
    assert composed.legend("en") is None
    assert next(iter(composed.groups[0]._children.values())).specs == []
