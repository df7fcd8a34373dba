"""A pack seen before and after the 2025 reorganisation, as packs the pages draw unchanged:
the new communes replace the old ones in every commune layer, every target gives back the old
district figure, both names appear in popups and find the feature in search, and any pack
whose communes carry pre-2025 GSO codes (not only the shipped ones) gets both views."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas import after2025, kpi
from atlas.loader import load_pack
from atlas.search import build_index
from atlas.spec import Pack
from layers.features import prepare_layer
from tests.packfactory import make_pack

REPO = Path(__file__).resolve().parent.parent
NEW_COUNT = {"cang_long": 5, "chi_lang": 6}


@pytest.fixture(scope="module", params=sorted(NEW_COUNT))
def pack(request) -> Pack:
    result = load_pack(REPO / "geodata" / request.param)
    assert result.pack is not None, result.report
    return result.pack


@pytest.fixture(scope="module")
def after(pack: Pack) -> Pack:
    return after2025.after_2025(pack)


def test_shipped_packs_support_both_structures(pack: Pack):
    assert after2025.supports(pack)


def test_every_commune_layer_holds_the_new_communes(pack: Pack, after: Pack):
    ids = after2025.commune_layer_ids(pack)
    assert "communes" in ids and len(ids) >= 2  # the boundary and the choropleth(s)
    for layer_id in ids:
        frame = after.frames[layer_id]
        assert len(frame) == NEW_COUNT[pack.id]
        assert frame["name"].str.startswith("Xã ").all()
        assert frame[after2025.OLD_UNITS].notna().all()
        assert after.manifest.layer(layer_id).title.vi.endswith("sau 2025")
    assert after.meta.admin_structure == after2025.AFTER
    assert after.honesty.is_schematic
    # The loaded pack is shared by the app's cache: it must not change.
    assert len(pack.frames["communes"]) > NEW_COUNT[pack.id]
    assert pack.meta.admin_structure == after2025.BEFORE


def test_old_units_listed_in_the_new_commune_popup(pack: Pack, after: Pack):
    layer = prepare_layer(after, "communes", lang="en")
    popups = " ".join(f["properties"]["_popup"] for f in layer.fc["features"])
    assert "Former units (before 1 July 2025)" in popups
    for name in kpi.commune_names(pack).values():
        assert name in popups  # every old unit is named under its new commune


def test_every_target_gives_back_the_old_district_figure_every_year(pack: Pack, after: Pack):
    for year in kpi.data_years(pack):
        old = kpi.evaluate_pack(pack, year=year)
        new = kpi.evaluate_pack(after, year=year)
        for o, n in zip(old, new, strict=True):
            assert n.value == pytest.approx(o.value), (o.target_id, year)
            assert n.n_communes == NEW_COUNT[pack.id]


def test_a_choropleth_draws_carried_figures_on_the_new_communes(after: Pack):
    choropleth = next(la for la in after.layers if la.kind == "choropleth")
    layer = prepare_layer(after, choropleth.id, year=2023)
    values = [f["properties"]["_style"]["fillColor"] for f in layer.fc["features"]]
    assert len(values) == len(after.frames[choropleth.id])
    assert layer.legend  # classes over the carried table


def test_yes_no_columns_become_estimated_shares(pack: Pack, after: Pack):
    for table in after.tables:
        source = pack.manifest.table(table.id)
        for col in source.columns:
            if col.type == "bool":
                carried = table.column(col.name)
                assert carried.type == "float" and carried.unit == "%"
                assert "ước tính" in carried.label.vi and "estimate" in carried.label.en


def test_before_view_names_the_new_commune_of_every_old_one(pack: Pack):
    before = after2025.before_2025(pack)
    frame = before.frames["communes"]
    assert frame[after2025.NEW_UNITS].str.startswith("Xã ").all()
    layer = prepare_layer(before, "communes", lang="vi")
    assert "Từ 1/7/2025 thuộc" in layer.fc["features"][0]["properties"]["_popup"]
    assert after2025.NEW_UNITS not in pack.frames["communes"].columns  # a copy


def test_search_finds_either_name_in_either_view():
    pack = load_pack(REPO / "geodata" / "cang_long").pack
    after = after2025.after_2025(pack)
    before = after2025.before_2025(pack)
    hits = build_index(after).query("An Trường A")
    assert hits[0].name == "Xã An Trường" and hits[0].via == "Xã An Trường A"
    assert hits[0].label == "Xã An Trường ← Xã An Trường A"
    hits = build_index(before).query("xa cang long")
    names = {h.name for h in hits if h.via == "Xã Càng Long"}
    assert names == {"Thị trấn Càng Long", "Xã Mỹ Cẩm", "Xã Nhị Long Phú"}
    assert build_index(after).query("thi tran cang long")[0].name == "Xã Càng Long"


def test_scenario_frame_is_carried_over_like_the_measured_table(pack: Pack, after: Pack):
    year = kpi.data_years(pack)[-1]
    carried = after2025.carry_commune_frame(pack, kpi.measured_frame(pack, year))
    assert len(carried) == NEW_COUNT[pack.id]
    for target in after.targets:
        names = kpi.commune_names(after)
        direct = kpi.evaluate(target, kpi.measured_frame(after, year), names, year)
        via_frame = kpi.evaluate(target, carried, names, year)
        assert via_frame.value == pytest.approx(direct.value)


def test_any_pack_with_pre2025_gso_codes_gets_both_views(tmp_path: Path):
    """E.g. an imported pack: two Chi Lăng towns, which merged into Xã Chi Lăng."""
    pack = load_pack(make_pack(tmp_path)).pack
    assert after2025.supports(pack)
    after = after2025.after_2025(pack)
    assert list(after.frames["communes"]["name"]) == ["Xã Chi Lăng"]
    assert after.frames["communes"][after2025.OLD_UNITS][0] == (
        "Thị trấn Đồng Mỏ, Thị trấn Chi Lăng"
    )


def test_pack_without_known_codes_is_shown_as_it_is(tmp_path: Path):
    path = make_pack(tmp_path)
    manifest = path / "pack.toml"
    manifest.write_text(
        manifest.read_text("utf-8").replace(
            'admin_structure = "pre2025"', 'admin_structure = "post2025"'
        ),
        encoding="utf-8",
    )
    pack = load_pack(path).pack
    assert not after2025.supports(pack)
    assert after2025.for_structure(pack, after2025.AFTER) is pack
