"""layers.vector_tiles: which layers are tiled, and value tables that match the inline map.

The pack is the scale bench's synthetic province (Bến Tre's 148 communes, ~300 vertices each:
well over the tiling threshold); its figures, classes and names are those the inline map
would show, so the tiled layer must say exactly what the GeoJSON layer says.
"""

from __future__ import annotations

import json
import shutil

import pytest

from atlas import gazetteer, joins
from atlas.loader import load_pack
from bench.scale_pack import scale_communes, write_pack
from layers import vector_tiles as vt
from layers.features import layer_classes, prepare_layer
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.skipif(not gazetteer.available(), reason="gazetteer.csv not generated")

HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    frame = scale_communes("province").copy()
    frame.loc[0, "name"] = HOSTILE  # text from a file stays text
    folder = write_pack(tmp_path_factory.mktemp("tiled") / "scale_province", frame, "province")
    result = load_pack(folder)
    assert result.report.ok, [issue.en for issue in result.report.errors]
    return result.pack


@pytest.fixture()
def folders(tmp_path):
    return tmp_path / "tiles", tmp_path / "tiles" / "values"


def test_district_packs_stay_inline_and_a_province_is_tiled(province):
    for pack_id in ("cang_long", "chi_lang"):
        pack = load_pack(REPO_ROOT / "geodata" / pack_id).pack
        assert not [la.id for la in pack.layers if vt.wants_tiles(la, pack.frames[la.id])]
    assert vt.wants_tiles(province.manifest.layer("internet"), province.frames["internet"])
    assert vt.wants_tiles(province.manifest.layer("communes"), province.frames["communes"])


def test_layers_sharing_communes_share_one_archive(province, folders):
    archive = vt.layer_archive(province, "internet", folders[0])
    assert archive == vt.layer_archive(province, "communes", folders[0])
    assert [p.name for p in folders[0].glob("*.pmtiles")] == [archive.name]


def test_value_table_rows_follow_the_frame_with_the_inline_colours(province, folders):
    archive = vt.layer_archive(province, "internet", folders[0])
    prepared = vt.prepare_tiled_layer(province, "internet", archive, "vi", 2023, folder=folders[1])
    values = json.loads((folders[1] / prepared.tiled.values.rsplit("/", 1)[1]).read_text())
    frame = joins.layer_frame(province, "internet", 2023)
    classes = layer_classes(province, "internet")
    assert len(values["rows"]) == len(values["style"]) == len(frame)
    for pos, (_, row) in enumerate(frame.iterrows()):
        assert values["rows"][pos][0] == row["name"]
        colour = values["palette"][values["style"][pos]]["fillColor"]
        assert colour == classes.color_for(row["internet_pct"])
    assert values["rows"][0][0] == HOSTILE  # verbatim: the browser sets it as textContent
    assert values["year"] == ["Năm", "2023"]
    assert prepared.fc["features"] == [] and prepared.tiled.kind == "polygon"
    assert prepared.tiled.url.endswith(archive.name)


def test_tiled_and_inline_layers_have_the_same_legend_and_popup_values(province, folders):
    archive = vt.layer_archive(province, "internet", folders[0])
    tiled = vt.prepare_tiled_layer(province, "internet", archive, "en", 2025, folder=folders[1])
    inline = prepare_layer(province, "internet", "en", 2025)
    assert tiled.legend == inline.legend and tiled.bounds == inline.bounds
    values = json.loads((folders[1] / tiled.tiled.values.rsplit("/", 1)[1]).read_text())
    popup = inline.fc["features"][5]["properties"]["_popup"]
    for col in values["pop"]:
        assert f"<td>{values['rows'][5][col + 1]}</td>" in popup


def test_a_year_change_is_a_new_value_table_not_a_new_archive(province, folders):
    archive = vt.layer_archive(province, "internet", folders[0])
    first = vt.prepare_tiled_layer(province, "internet", archive, "vi", 2021, folder=folders[1])
    last = vt.prepare_tiled_layer(province, "internet", archive, "vi", 2025, folder=folders[1])
    again = vt.prepare_tiled_layer(province, "internet", archive, "vi", 2025, folder=folders[1])
    assert first.tiled.url == last.tiled.url
    assert first.tiled.values != last.tiled.values
    assert again.tiled.values == last.tiled.values  # same content, same file
    assert len(list(folders[1].glob("*.json"))) == 2


def test_vietnamese_numbers_in_the_value_table(province, folders):
    archive = vt.layer_archive(province, "internet", folders[0])
    prepared = vt.prepare_tiled_layer(province, "internet", archive, "vi", 2025, folder=folders[1])
    values = json.loads((folders[1] / prepared.tiled.values.rsplit("/", 1)[1]).read_text())
    shown = [cell for row in values["rows"] for cell in row[1:]]
    assert any(cell.endswith(" %") for cell in shown)
    assert not any("." in cell for cell in shown if cell.endswith(" %"))


def test_tiled_layers_element_carries_urls_not_geometry(province, folders):
    archive = vt.layer_archive(province, "internet", folders[0])
    prepared = vt.prepare_tiled_layer(province, "internet", archive, "vi", 2025, folder=folders[1])
    group = vt.tiled_group([vt.tiled_spec("internet", prepared.tiled, 0.5)])
    element = next(iter(group._children.values()))
    script = element._template.module.script(element)
    assert "__atlasTiles.sync" in script
    assert prepared.tiled.url in script and prepared.tiled.values in script
    assert "coordinates" not in script and len(script) < 2000


def test_the_html_export_simplifies_a_large_layer_and_keeps_every_commune(province):
    from atlas.export import ExportView
    from layers.view_layers import view_layers

    view = ExportView(province.id, ("internet",))
    [(_, exact, _)] = list(view_layers(province, view))
    [(_, light, _)] = list(view_layers(province, view, light=True))

    def vertices(prepared) -> int:
        return sum(len(json.dumps(f["geometry"]["coordinates"])) for f in prepared.fc["features"])

    assert len(light.fc["features"]) == len(exact.fc["features"]) == 148
    assert vertices(light) < vertices(exact) * 0.8
    assert light.legend == exact.legend  # the same classes and colours


TARGET = """
[[targets]]
id = "internet_mean"
label = { vi = "Internet đến thôn, ấp", en = "Internet in hamlets" }
value = 90
unit = "%"
year = 2025
table = "internet"
column = "internet_pct"
aggregate = "mean"
quote = "Bench target, not from a plan"
"""


def test_a_scenario_target_layer_is_tiled_on_the_communes_archive(province, folders, tmp_path):
    from atlas import kpi
    from atlas.overlay import VALUE, target_frame
    from layers.target_layer import target_layer

    folder = tmp_path / "with_target"
    shutil.copytree(province.path, folder)
    (folder / "pack.toml").write_text(
        (folder / "pack.toml").read_text(encoding="utf-8") + TARGET, encoding="utf-8"
    )
    pack = load_pack(folder).pack
    archive = vt.layer_archive(pack, "communes", folders[0])
    values = kpi.measured_frame(pack, 2025)
    tiled = target_layer(pack, "internet_mean", values, "vi", archive=archive)
    inline = target_layer(pack, "internet_mean", values, "vi")
    assert tiled.fc["features"] == [] and tiled.tiled.url.endswith(archive.name)
    assert tiled.legend == inline.legend
    table = json.loads((vt.VALUES_DIR / tiled.tiled.values.rsplit("/", 1)[1]).read_text())
    frame = target_frame(pack, "internet_mean", values)
    for pos in (0, 50, 147):  # row i of the value table is feature i of the archive
        colour = table["palette"][table["style"][pos]]["fillColor"]
        assert colour == tiled.classes.color_for(frame[VALUE].iloc[pos])
        assert table["rows"][pos][0] == frame["name"].iloc[pos]
