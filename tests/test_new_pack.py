"""`atlas.newpack`: a base pack for a pre-2025 province, a pre-2025 district and a post-2025
province validates, tiles its outline, holds every commune of the unit once, and opens on the
Map page; the CLI says why when it cannot make one."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from atlas import after2025, gazetteer, schematic
from atlas.loader import load_pack
from atlas.newpack import NewPackError, create_pack, find_area
from atlas.packs import STAGING_DIR
from cli.main import main
from tests.accounts import cli_as, signed_in_app
from tests.app_pages import open_app_page
from tests.conftest import APP
from tests.test_map_page import check, layer_features
from ui.widgets import md

pytestmark = pytest.mark.skipif(not gazetteer.available(), reason="gazetteer not generated")

CASES = {
    "tra_vinh": {"province": "84"},  # pre-2025 province by code (no post-2025 one has it)
    "cau_ke": {"district": "845"},  # pre-2025 district
    "vinh_long_2025": {"province": "Vĩnh Long", "structure": "post2025"},
}
# Vĩnh Long since 1 July 2025 took in the old Vĩnh Long, Trà Vinh and Bến Tre.
VINH_LONG_OLD_PROVINCES = {"86", "84", "83"}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("new-packs")


@pytest.fixture(scope="module")
def made(root: Path) -> dict:
    return {key: create_pack(**kw, pack_id=key, root=root) for key, kw in CASES.items()}


def _expected_codes(key: str) -> set[str]:
    communes = gazetteer.units("pre2025", "commune")
    if key == "tra_vinh":
        return set(communes.loc[communes["province_code"] == "84", "code"])
    if key == "cau_ke":
        return set(communes.loc[communes["district_code"] == "845", "code"])
    return set(communes.loc[communes["province_code"].isin(VINH_LONG_OLD_PROVINCES), "code"])


@pytest.mark.parametrize("key", CASES)
def test_the_new_pack_validates_without_errors(made: dict, key: str) -> None:
    result = load_pack(made[key].path)
    assert result.pack is not None
    assert not result.report.errors, [i.describe("en") for i in result.report.errors]
    assert result.pack.honesty.geometry == "schematic"
    assert result.pack.honesty.figures == "illustrative"
    assert len(result.pack.table_frames["telecom"]) == 0


@pytest.mark.parametrize("key", CASES)
def test_every_commune_of_the_unit_is_in_the_pack_once(made: dict, key: str) -> None:
    frame = load_pack(made[key].path).pack.frames["communes"]
    codes = list(frame["code"].astype(str))
    assert len(codes) == len(set(codes))
    assert set(codes) == _expected_codes(key)


@pytest.mark.parametrize("key", CASES)
def test_the_communes_tile_the_outline_without_gap_or_overlap(made: dict, key: str) -> None:
    pack = load_pack(made[key].path).pack
    outline_id = "district" if key == "cau_ke" else "province"
    cells = pack.frames["communes"].geometry.values
    outline = shapely.union_all(pack.frames[outline_id].geometry.values)
    union = shapely.union_all(cells)
    assert shapely.is_valid(cells).all()
    assert sum(shapely.area(cells)) == pytest.approx(union.area, rel=1e-9)
    assert shapely.symmetric_difference(union, outline).area <= 1e-9 * outline.area


@pytest.mark.parametrize("key", CASES)
def test_the_outline_has_no_hole(made: dict, key: str) -> None:
    outline = load_pack(made[key].path).pack.frames["district" if key == "cau_ke" else "province"]
    assert all(len(p.interiors) == 0 for p in shapely.get_parts(outline.geometry.values))


def test_a_commune_with_a_tiny_extent_is_not_drawn_as_an_island() -> None:
    """Some gazetteer extents are a few hundred metres across for a large commune."""
    lon = np.array([106.00, 106.10, 106.20, 106.155])
    lat = np.array([10.00, 10.00, 10.00, 10.12])
    boxes = np.array(
        [
            [105.95, 9.95, 106.05, 10.05],
            [106.05, 9.95, 106.15, 10.05],
            [106.15, 9.95, 106.25, 10.05],
            [106.153, 10.118, 106.157, 10.122],  # 400 m across, 7 km off the others
        ]
    )
    cells = schematic.commune_cells(lon, lat, boxes)
    assert schematic.outline(cells).geom_type == "Polygon"
    assert shapely.covers(cells.values, shapely.points(lon, lat)).all()


@pytest.mark.parametrize("key", CASES)
def test_each_commune_cell_holds_its_reference_point(made: dict, key: str) -> None:
    """Except where two communes share one point: only one of them can hold it."""
    frame = load_pack(made[key].path).pack.frames["communes"]
    ref = gazetteer.units("pre2025", "commune").set_index("code").loc[frame["code"]]
    points = gpd.points_from_xy(ref["lon"], ref["lat"])
    shared = ref.duplicated(["lon", "lat"], keep=False).to_numpy()
    assert shapely.covers(frame.geometry.values, points)[~shared].all()


def test_a_province_pack_has_district_outlines_tiling_it(made: dict) -> None:
    pack = load_pack(made["tra_vinh"].path).pack
    districts = pack.frames["districts"]
    assert set(districts["code"]) == set(pack.frames["communes"]["district_code"])
    areas = shapely.area(districts.geometry.values)
    assert sum(areas) == pytest.approx(shapely.area(pack.frames["province"].geometry.values).sum())


def test_the_post_2025_pack_shows_the_new_province_after_the_switch(made: dict) -> None:
    pack = load_pack(made["vinh_long_2025"].path).pack
    assert after2025.supports(pack)
    after = after2025.for_structure(pack, "post2025")
    new_codes = set(after.frames["communes"]["code"].astype(str))
    post = gazetteer.units("post2025", "commune")
    assert new_codes == set(post.loc[post["province_code"] == "86", "code"])


def test_a_post_2025_name_is_looked_up_on_the_new_structure_first() -> None:
    assert find_area("Vĩnh Long").unit.structure == "post2025"
    assert find_area("Vĩnh Long", structure="pre2025").unit.structure == "pre2025"
    assert find_area("84").unit.name == "Tỉnh Trà Vinh"


def test_a_district_name_shared_by_provinces_needs_the_province() -> None:
    with pytest.raises(NewPackError, match="Châu Thành"):
        find_area(district="Châu Thành")
    assert find_area("Trà Vinh", "Châu Thành", "pre2025").unit.code == "847"


def test_two_runs_write_the_same_communes(made: dict, tmp_path: Path) -> None:
    again = create_pack(district="845", pack_id="cau_ke", root=tmp_path)
    first = (made["cau_ke"].path / "layers/communes.geojson").read_bytes()
    assert (again.path / "layers/communes.geojson").read_bytes() == first


def test_a_taken_id_is_refused_and_nothing_is_left_behind(made: dict, root: Path) -> None:
    with pytest.raises(NewPackError, match="cau_ke"):
        create_pack(district="845", pack_id="cau_ke", root=root)
    assert not (root / STAGING_DIR).exists()


def test_the_default_id_is_made_unique(tmp_path: Path) -> None:
    first = create_pack(district="845", root=tmp_path)
    second = create_pack(district="845", root=tmp_path)
    assert (first.pack_id, second.pack_id) == ("huyen_cau_ke_845", "huyen_cau_ke_845_2")


def test_cli_makes_the_pack_and_reports_progress_on_stderr(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    code = main(
        [
            "new-pack",
            "--district",
            "845",
            "--id",
            "ck",
            "--root",
            str(tmp_path),
            *cli_as(monkeypatch),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert out.startswith("ck\t")
    assert "Kiểm tra gói" in err and "Checking the pack" in err
    assert load_pack(tmp_path / "ck").pack is not None


def test_cli_refuses_an_unknown_province_in_both_languages(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    code = main(
        ["new-pack", "--province", "Atlantis", "--root", str(tmp_path), *cli_as(monkeypatch)]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "Không tìm thấy tỉnh" in err and "No province" in err
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("key", ["cau_ke", "vinh_long_2025"])
def test_the_map_page_opens_on_the_new_pack(
    made: dict, root: Path, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATLAS_USER_DATA", str(root))
    at = open_app_page(AppTest.from_file(str(APP), default_timeout=60), "pages/map.py", pack=key)
    assert not at.exception
    # The title is Markdown: the name from the file is escaped (ui.widgets.md), shown as written.
    assert [t.value for t in at.title] == [md(made[key].area.unit.name + _suffix(key))]
    assert len(layer_features(at, "communes")) == made[key].n_communes


def test_after_the_switch_the_map_draws_the_new_province_communes(
    made: dict, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATLAS_USER_DATA", str(root))
    app = AppTest.from_file(str(APP), default_timeout=60)
    at = open_app_page(app, "pages/map.py", pack="vinh_long_2025")
    check(at.sidebar.radio(key="map.units").set_value(after2025.AFTER).run())
    post = gazetteer.units("post2025", "commune")
    assert len(layer_features(at, "communes")) == int((post["province_code"] == "86").sum())


def _suffix(key: str) -> str:
    return " (từ 1/7/2025)" if key == "vinh_long_2025" else ""


def test_the_packs_page_form_makes_a_district_pack_and_selects_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATLAS_USER_DATA", str(tmp_path))
    at = signed_in_app(AppTest.from_file(str(APP), default_timeout=60))
    at = check(at.switch_page("pages/packs.py").run())
    at.selectbox(key="newpack.province").set_value("pre2025:84").run()
    at.selectbox(key="newpack.district").set_value("845").run()
    at.button(key="newpack.create").click().run()
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="pack").value == "huyen_cau_ke_845"
    assert any("huyen_cau_ke_845" in s.value.replace("\\", "") for s in at.success)  # escaped
    assert load_pack(tmp_path / "huyen_cau_ke_845").pack is not None


def test_an_island_district_without_communes_is_refused_by_name() -> None:
    with pytest.raises(NewPackError, match="Côn Đảo"):
        find_area(district="Côn Đảo")


def test_the_form_forgets_a_district_of_the_province_picked_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATLAS_USER_DATA", str(tmp_path))
    at = signed_in_app(AppTest.from_file(str(APP), default_timeout=60))
    at = check(at.switch_page("pages/packs.py").run())
    at.selectbox(key="newpack.province").set_value("pre2025:84").run()
    at.selectbox(key="newpack.district").set_value("845").run()
    at.selectbox(key="newpack.province").set_value("post2025:01").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="newpack.district").value == ""


def test_a_table_imports_into_the_new_pack_by_commune_name(tmp_path: Path, capsys) -> None:
    root = tmp_path / "packs"
    create_pack(district="845", pack_id="ck", root=root)
    communes = gazetteer.units("pre2025", "commune")
    names = communes.loc[communes["district_code"] == "845", "name"]
    rows = "".join(f"{name},2025,{i}\n" for i, name in enumerate(names))
    upload = tmp_path / "so_lieu.csv"
    upload.write_text("ten_xa,nam,so_tram_5g\n" + rows, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ATLAS_USER_DATA", str(root))
        code = main(["import", str(upload), "--pack", "ck", "--into-existing", *cli_as(mp)])
    assert code == 0, capsys.readouterr().err
    pack = load_pack(root / "ck").pack
    assert len(pack.table_frames["so_lieu"]) == len(names)
