"""Map labels: what they say (atlas.labels) and where they go (layers.labels), on the web map
and the print sheet alike."""

from __future__ import annotations

import itertools
import math

import pytest
from shapely.geometry import LineString, Point, Polygon, box

from atlas.labels import label_text, route_number, short_name
from atlas.loader import load_pack
from atlas.packs import SHIPPED_PACKS
from layers.labels import (
    CHAR_EM,
    LabelItem,
    WebLabels,
    label_group,
    labelled_layers,
    place,
    web_labels,
)

SIZES = {"area": 6.5, "line": 6.0, "point": 6.5}


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("Quốc lộ 53 (đoạn qua huyện Càng Long)", "QL53"),
        ("Đường tỉnh 911", "ĐT911"),
        ("ĐT.911", "ĐT911"),
        ("Tuyến QL 1A", "QL1A"),
        ("Hương lộ 39", "HL39"),
        ("Đường kết nối Hương lộ 39 – Quốc lộ 53 – Hương lộ 37", None),
        ("Đường liên xã Mỹ Cẩm – An Trường A", None),
    ],
)
def test_a_road_is_labelled_by_the_route_number_its_name_starts_with(name, number):
    assert route_number(name) == number
    assert label_text(name, "line") == number


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Xã An Trường A", "An Trường A"),
        ("Thị trấn Càng Long (mở rộng)", "TT. Càng Long"),
        ("Khu công nghiệp Cổ Chiên", "KCN Cổ Chiên"),
        ("Cụm công nghiệp Bình Phú", "CCN Bình Phú"),
        ("Phường 1", "P. 1"),
        ("Xã", "Xã"),
        ("", None),
        ("Hệ thống thoát nước khu trung tâm thị trấn Càng Long mở rộng", None),
    ],
)
def test_a_place_label_is_its_short_name(name, label):
    assert short_name(name) == label


def test_a_field_named_for_labels_is_used_as_it_is():
    assert label_text("Tuyến tránh phía Đông", "line", field_given=True) == "Tuyến tránh phía Đông"
    assert label_text(float("nan"), "polygon") is None


def _box_of(item: LabelItem, spot, m_per_pt: float, size: float):
    w = (len(item.text) * CHAR_EM + 0.4) * size * m_per_pt
    h = 1.3 * size * m_per_pt
    from shapely import affinity

    rect = box(spot.x - w / 2, spot.y - h / 2, spot.x + w / 2, spot.y + h / 2)
    return affinity.rotate(rect, spot.angle, origin=(spot.x, spot.y))


def test_a_commune_label_moves_off_a_road_and_stays_in_its_commune():
    area = Polygon([(0, 0), (10_000, 0), (10_000, 10_000), (0, 10_000)])
    item = LabelItem("Nhị Long", "area", area, "communes", 0)
    (free,) = place([item], [], 20, SIZES)
    assert (free.x, free.y) == pytest.approx((5_000, 5_000), abs=100)  # the deepest point
    road = LineString([(0, free.y), (10_000, free.y)])
    (moved,) = place([item], [(road, 1.5, ("roads", 0))], 20, SIZES)
    assert area.contains(Point(moved.x, moved.y))
    assert not _box_of(item, moved, 20, SIZES["area"]).intersects(road.buffer(1.5 * 20))


def test_labels_never_overlap_and_one_with_no_room_is_left_out_at_that_scale():
    small = Polygon([(0, 0), (3_000, 0), (3_000, 3_000), (0, 3_000)])
    items = [LabelItem(f"Xã số {i}", "area", small, "communes", i) for i in range(40)]
    spots = place(items, [], 20, SIZES)
    shown = [(it, s) for it, s in zip(items, spots, strict=True) if s is not None]
    assert 3 < len(shown) < 40
    for (a, sa), (b, sb) in itertools.combinations(shown, 2):
        assert _box_of(a, sa, 20, 6.5).intersection(_box_of(b, sb, 20, 6.5)).area < 1e-6
    # On the print sheet every commune keeps its name, at its least covered spot.
    assert all(place(items, [], 20, SIZES, keep_areas=True))


def test_a_road_number_is_turned_along_its_line_and_a_short_road_gets_none():
    diagonal = LineString([(0, 0), (10_000, 10_000)])
    road = LabelItem("QL53", "line", diagonal, "roads", 0)
    (spot,) = place([road], [], 10, SIZES)
    assert spot.angle == pytest.approx(45)
    assert diagonal.distance(Point(spot.x, spot.y)) < 1
    stub = LabelItem("QL53", "line", LineString([(0, 0), (100, 0)]), "roads", 1)
    assert place([stub], [], 10, SIZES) == [None]


def test_a_zone_name_goes_beside_a_zone_too_small_for_it():
    zone = box(0, 0, 500, 500)
    item = LabelItem("KCN Cổ Chiên", "point", zone, "industry", 0)
    (spot,) = place([item], [(zone.boundary, 0.5, ("industry", 0))], 10, SIZES)
    assert not _box_of(item, spot, 10, 6.5).intersects(zone.buffer(-1))


@pytest.fixture(scope="module")
def cang_long():
    return load_pack(SHIPPED_PACKS / "cang_long").pack


def test_cang_long_names_its_communes_roads_towns_and_zones(cang_long):
    ids = [la.id for la in labelled_layers(cang_long)]
    assert ids[-1] == "communes"  # placed last: towns, zones and roads first
    assert {"urban", "industry", "roads"} <= set(ids)
    assert "environment_works" not in ids  # points are not named unless the pack asks
    labels = web_labels(cang_long)
    texts = {row[1] for row in labels.rows}
    assert {"QL53", "QL60", "TT. Càng Long", "KCN Cổ Chiên", "Tân An", "Nhị Long Phú"} <= texts
    one_up = labels.zooms.index(math.floor(cang_long.meta.default_zoom) + 1)
    zones = {row[1] for row in labels.rows if row[0] != "communes"}
    communes = [row for row in labels.rows if row[0] == "communes"]
    assert all(row[4][one_up] for row in communes if row[1] not in zones)  # all, one zoom in
    town = next(row for row in communes if row[1] == "TT. Càng Long")
    assert not any(town[4])  # said once: the town's zone carries the name
    assert sum(1 for row in labels.rows if row[4][0]) < sum(1 for row in labels.rows if row[4][-1])


def test_only_the_drawn_layers_labels_are_sent_and_communes_go_with_any_area_layer(cang_long):
    labels = web_labels(cang_long)
    roads_only = labels.shown(cang_long, [cang_long.manifest.layer("roads")])
    assert {row[0] for row in roads_only.rows} == {"roads"}
    choropleth = labels.shown(cang_long, [cang_long.manifest.layer("internet_hamlets")])
    assert {row[0] for row in choropleth.rows} == {"communes"}


def test_a_label_from_a_file_is_set_as_text_never_as_markup():
    import folium

    evil = "<img src=x onerror=alert(1)>"
    labels = WebLabels((12,), (("x", evil, "area", 0.0, ((10.0, 106.0),)),))
    m = folium.Map()
    label_group(labels).add_to(m)
    html = m.get_root().render()
    assert evil not in html  # in the script as an escaped JSON string
    assert "span.textContent = label[0]" in html and "innerHTML" not in html


def test_the_nation_names_its_provinces_not_its_ten_thousand_communes():
    from atlas.labels import short_name as short

    assert short("Tỉnh Trà Vinh") == "Trà Vinh" and short("Thành phố Hà Nội") == "TP. Hà Nội"
    nation = SHIPPED_PACKS / "vietnam"
    if not (nation / "pack.toml").exists():
        pytest.skip("the national pack is made at set-up (make prepare)")
    pack = load_pack(nation).pack
    assert [la.id for la in labelled_layers(pack)] == ["provinces"]
    labels = web_labels(pack)
    assert len(labels.rows) == len(pack.frames["provinces"])
    assert any(row[4][-1] for row in labels.rows)


def test_a_label_that_stays_put_is_sent_once():
    labels = WebLabels(
        (11, 12, 13), (("c", "Tân An", "area", 0.0, (None, (10.0, 106.0), (10.0, 106.0))),)
    )
    assert labels.payload()["l"][0][3] == [0, [10.0, 106.0], 1]
