"""Generate the shipped data packs `cang_long` and `chi_lang` (see geodata/README.md).

Why a generator and not hand-made files: the packs' geometry is *schematic* (made from the
commune centroids and extents in the MIT-licensed PyPI package `vietnamadminunits`, not
surveyed) and their figures are *illustrative*, so both must be reproducible and reviewable.
Everything district-specific is data near the top of this file; the geometry code below it
knows nothing about a particular district. Same input, same bytes: no network, no clock, and
the "random" figures come from SHA-256 of a fixed key, not from a random number generator.

    python geodata/build_packs.py                  # rewrite geodata/cang_long, geodata/chi_lang
    python geodata/build_packs.py --out /tmp/x     # write the packs under /tmp/x instead
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
import tomllib
import unicodedata
from collections import deque
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
import vietnamadminunits
from pyproj import Transformer
from shapely import affinity
from shapely.geometry import LineString, Point, Polygon, box

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script: make the `atlas` package importable
    sys.path.insert(0, str(HERE.parent))

from atlas.toml_write import render_manifest  # noqa: E402

METRIC_CRS = "EPSG:32648"  # UTM 48N: both districts lie in 102°E–108°E
YEARS = (2021, 2022, 2023, 2024, 2025)

# A waypoint is a commune code (its centroid), (code, km east, km north) or (lat, lon).
Waypoint = str | tuple[str, float, float] | tuple[float, float]

# =================================================================================================
# Shared vocabulary: coded values and their translations (used in fields and styles)
# =================================================================================================


def bi(vi: str, en: str) -> dict[str, str]:
    """A bilingual text, the format's `{ vi, en }`."""
    return {"vi": vi, "en": en}


STATUS = {
    "existing": bi("Hiện có", "Existing"),
    "upgrading": bi("Nâng cấp, mở rộng", "Upgrading"),
    "under_construction": bi("Đang xây dựng", "Under construction"),
    "planned": bi("Quy hoạch mới", "Planned"),
    "operating": bi("Đang hoạt động", "Operating"),
    "investment_call": bi("Kêu gọi đầu tư", "Investment call"),
}
STATUS_COLORS = {
    "existing": "#525252",
    "upgrading": "#e6550d",
    "under_construction": "#756bb1",
    "planned": "#cb181d",
    "operating": "#238b45",
    "investment_call": "#2171b5",
}
ROAD_CLASS = {
    "expressway": bi("Đường cao tốc", "Expressway"),
    "national": bi("Quốc lộ", "National road"),
    "provincial": bi("Đường tỉnh / trục kết nối", "Provincial road / link"),
    "district": bi("Đường huyện", "District road"),
    "commune": bi("Đường liên xã", "Inter-commune road"),
    "railway": bi("Đường sắt", "Railway"),
}
CLUSTER_TYPE = {
    "KCN": bi("Khu công nghiệp", "Industrial park"),
    "CCN": bi("Cụm công nghiệp", "Industrial cluster"),
}
URBAN_ROLE = {
    "core": bi("Đô thị hạt nhân, trung tâm huyện", "Core town, district centre"),
    "satellite": bi("Đô thị vệ tinh", "Satellite town"),
    "emerging": bi("Đô thị hình thành mới", "Emerging town"),
}
URBAN_CLASS = {"—": bi("Chưa là đô thị", "Not yet urban")}
# The urban class under the 2026 resolution (special, I, II, III: types IV and V are gone).
# A town classed IV/V before 2026 is not given a new class here: "III_transition" is the
# resolution's own transitional rule for former class IV/V towns and townships, "none" a place
# that had no class. See URBAN_2026_SOURCE for what is cited and how far it was checked.
CLASS_2026 = {
    "special": bi("Đô thị loại đặc biệt", "Special-class urban area"),
    "I": bi("Đô thị loại I", "Class I urban area"),
    "II": bi("Đô thị loại II", "Class II urban area"),
    "III": bi("Đô thị loại III", "Class III urban area"),
    "III_transition": bi(
        "Loại III theo quy định chuyển tiếp (đô thị loại IV, V, thị trấn trước 1/1/2026), chưa "
        "đánh giá theo tiêu chí mới",
        "Class III by the transitional rule (class IV/V towns and townships before 1 Jan 2026), "
        "not assessed against the new criteria",
    ),
    "none": bi(
        "Chưa được phân loại theo tiêu chí 2026 (loại IV, V đã bãi bỏ)",
        "Not classified under the 2026 criteria (classes IV and V abolished)",
    ),
}
POINT_CATEGORY = {
    "drainage": bi("Thoát nước đô thị", "Urban drainage"),
    "wastewater_plant": bi("Trạm xử lý nước thải", "Wastewater treatment plant"),
    "landfill": bi("Bãi chôn lấp rác thải tập trung", "Centralised landfill"),
    "industrial_infra": bi("Hạ tầng công nghiệp", "Industrial infrastructure"),
    "urban": bi("Phát triển đô thị", "Urban development"),
    "environment": bi("Môi trường", "Environment"),
    "trade": bi("Thương mại, dịch vụ", "Trade and services"),
    "craft_village": bi("Làng nghề", "Craft village"),
    "historic_site": bi("Di tích lịch sử", "Historic site"),
    "landscape": bi("Danh thắng", "Scenic site"),
    "agritourism": bi("Du lịch nông nghiệp", "Agritourism"),
}
PRODUCT = {
    "custard_apple": bi("Na (mãng cầu)", "Custard apple"),
    "forestry": bi("Rừng sản xuất", "Production forest"),
}

# =================================================================================================
# Càng Long (Trà Vinh), GSO 844 — plan 2021–2025 of the district party committee
# Road alignments, cluster outlines and point positions are schematic: placed relative to the
# commune centroids, following the plan's wording, not surveyed.
# =================================================================================================

CL_ROADS: list[dict[str, Any]] = [
    {
        "name": "Quốc lộ 53 (đoạn qua huyện Càng Long)",
        "road_class": "national",
        "status": "upgrading",
        "note": "Nâng cấp, mở rộng Quốc lộ 53 đoạn qua huyện Càng Long (phối hợp Sở, ngành tỉnh)",
        "path": [
            (10.075, 106.190),
            ("29269", 1.6, 1.0),
            "29266",
            "29287",
            ("29290", -0.6, -1.2),
            (9.880, 106.340),
        ],
    },
    {
        "name": "Quốc lộ 60 (đoạn Bình Phú – cầu Đại Ngãi)",
        "road_class": "national",
        "status": "planned",
        "note": "Dự án Quốc lộ 60 đoạn Bình Phú – cầu Đại Ngãi (hướng tuyến sơ đồ)",
        "path": [("29287", 0.4, -0.3), ("29287", -0.4, -3.0), "29278", (9.840, 106.205)],
    },
    {
        "name": "Đường kết nối thị trấn Càng Long – thành phố Trà Vinh (giai đoạn II)",
        "road_class": "provincial",
        "status": "planned",
        "note": "Đường kết nối thị trấn Càng Long với thành phố Trà Vinh (giai đoạn II)",
        "path": [
            ("29266", 0.9, -0.2),
            ("29302", -0.6, -2.0),
            ("29293", -0.8, -0.6),
            (9.935, 106.345),
        ],
    },
    {
        "name": "Hương lộ 39",
        "road_class": "district",
        "status": "existing",
        "note": "Tuyến hiện có (hướng tuyến sơ đồ)",
        "path": ["29272", ("29284", 0.6, 1.2), "29284", "29281"],
    },
    {
        "name": "Hương lộ 37",
        "road_class": "district",
        "status": "existing",
        "note": "Tuyến hiện có (hướng tuyến sơ đồ)",
        "path": [("29287", 1.2, 0.2), "29302", "29299"],
    },
    {
        "name": "Đường kết nối Hương lộ 39 – Quốc lộ 53 – Hương lộ 37",
        "road_class": "district",
        "status": "planned",
        "note": "Đường kết nối Hương lộ 39 với Quốc lộ 53 và Hương lộ 37",
        "path": [("29284", 0.6, 1.2), "29275", ("29287", -1.2, -0.6), ("29287", 1.2, 0.2)],
    },
    {
        "name": "Đường liên xã Mỹ Cẩm – An Trường A",
        "road_class": "commune",
        "status": "existing",
        "note": "Tên tuyến minh hoạ; văn bản nêu chung: bảo trì, bảo dưỡng, kết nối thông suốt",
        "path": ["29269", ("29272", 1.0, 0.6), "29272"],
    },
    {
        "name": "Đường liên xã An Trường – Huyền Hội",
        "road_class": "commune",
        "status": "upgrading",
        "note": "Tên tuyến minh hoạ; văn bản nêu chung: nâng cấp, mở rộng gắn với NTM nâng cao",
        "path": ["29275", ("29278", -1.2, 1.5), "29278"],
    },
    {
        "name": "Đường liên xã Tân Bình – Tân An – Huyền Hội",
        "road_class": "commune",
        "status": "upgrading",
        "note": "Tên tuyến minh hoạ; văn bản nêu chung: nâng cấp, mở rộng gắn với NTM nâng cao",
        "path": [("29284", 1.0, -0.3), ("29281", 1.0, 0.8), ("29278", -2.0, -0.8), "29278"],
    },
    {
        "name": "Đường liên xã Nhị Long – Đại Phước",
        "road_class": "commune",
        "status": "existing",
        "note": "Tên tuyến minh hoạ; văn bản nêu chung: bảo trì, bảo dưỡng, kết nối thông suốt",
        "path": ["29302", ("29296", -1.2, -0.4), "29296"],
    },
    {
        "name": "Đường liên xã Đại Phước – Đại Phúc – Phương Thạnh",
        "road_class": "commune",
        "status": "upgrading",
        "note": "Tên tuyến minh hoạ; văn bản nêu chung: nâng cấp, mở rộng gắn với NTM nâng cao",
        "path": ["29296", "29293", ("29290", 1.0, 0.8), "29290"],
    },
    {
        "name": "Đường liên xã Nhị Long Phú – Đức Mỹ",
        "road_class": "commune",
        "status": "existing",
        "note": "Tên tuyến minh hoạ; văn bản nêu chung: bảo trì, bảo dưỡng, kết nối thông suốt",
        "path": ["29299", ("29305", -0.8, -1.2), "29305"],
    },
]

CL_INDUSTRY: list[dict[str, Any]] = [
    {
        "name": "Khu công nghiệp Cổ Chiên",
        "cluster_type": "KCN",
        "area_ha": 150,
        "status": "planned",
        "note": "Phối hợp Sở, ban, ngành tỉnh triển khai dự án; diện tích minh hoạ",
        "shape": {"rect": ("29296", 0.5, 0.6), "aspect": 1.6, "angle": 40, "within": "29296"},
    },
    {
        "name": "Cụm công nghiệp Bình Phú",
        "cluster_type": "CCN",
        "area_ha": 50,
        "status": "planned",
        "note": "Hạ tầng cụm công nghiệp là nhiệm vụ đột phá; diện tích minh hoạ",
        "shape": {"rect": ("29287", 0.9, -1.2), "aspect": 1.4, "angle": -20, "within": "29287"},
    },
    {
        "name": "Cụm công nghiệp Tân Bình",
        "cluster_type": "CCN",
        "area_ha": 40,
        "status": "planned",
        "note": "Hạ tầng cụm công nghiệp là nhiệm vụ đột phá; diện tích minh hoạ",
        "shape": {"rect": ("29284", 1.2, 0.2), "aspect": 1.3, "angle": 15, "within": "29284"},
    },
]

CL_URBAN: list[dict[str, Any]] = [
    {
        "name": "Thị trấn Càng Long (mở rộng)",
        "current_class": "V",
        "target_class": "IV",
        "target_year": 2025,
        "role": "core",
        "class_2026": "III_transition",
        "note": "Xây dựng thị trấn Càng Long mở rộng đạt tiêu chí đô thị loại IV",
        "shape": {"commune": "29266", "buffer_km": 0.7},
    },
    {
        "name": "Đô thị Tân An",
        "current_class": "—",
        "target_class": "V",
        "target_year": 2025,
        "role": "emerging",
        "class_2026": "none",
        "note": "Tân An đạt tiêu chí đô thị loại V",
        "shape": {"circle": ("29281", 0.3, 0.2), "radius_km": 1.4, "within": "29281"},
    },
]

CL_ENV_WORKS: list[dict[str, Any]] = [
    {
        "name": "Hệ thống thoát nước khu trung tâm thị trấn Càng Long",
        "category": "drainage",
        "status": "upgrading",
        "note": "Công trình minh hoạ; văn bản nêu chung: vốn ODA cho thoát nước đô thị",
        "at": ("29266", 0.2, 0.2),
    },
    {
        "name": "Trạm xử lý nước thải tập trung thị trấn Càng Long",
        "category": "wastewater_plant",
        "status": "planned",
        "note": "Công trình và vị trí minh hoạ; văn bản nêu chung: xử lý nước thải đô thị",
        "at": ("29266", -1.0, -1.4),
    },
    {
        "name": "Trạm xử lý nước thải đô thị Tân An",
        "category": "wastewater_plant",
        "status": "planned",
        "note": "Công trình và vị trí minh hoạ; văn bản nêu chung: xử lý nước thải đô thị",
        "at": ("29281", 1.1, -0.6),
    },
    {
        "name": "Trạm xử lý nước thải khu công nghiệp Cổ Chiên",
        "category": "wastewater_plant",
        "status": "planned",
        "note": "KCN Cổ Chiên có trong văn bản; trạm xử lý và vị trí là minh hoạ",
        "at": ("29296", 0.0, -0.3),
    },
]

CL_PPP: list[dict[str, Any]] = [
    {
        "name": "Dự án hạ tầng kỹ thuật cụm công nghiệp Bình Phú",
        "category": "industrial_infra",
        "status": "investment_call",
        "form": "PPP",
        "capital_billion_vnd": 320,
        "note": "CCN có trong văn bản; dự án PPP và vốn là minh hoạ",
        "at": ("29287", 0.9, -1.2),
    },
    {
        "name": "Dự án hạ tầng kỹ thuật cụm công nghiệp Tân Bình",
        "category": "industrial_infra",
        "status": "investment_call",
        "form": "PPP",
        "capital_billion_vnd": 250,
        "note": "CCN có trong văn bản; dự án PPP và vốn là minh hoạ",
        "at": ("29284", 1.2, 0.2),
    },
    {
        "name": "Dự án khu dân cư – thương mại thị trấn Càng Long mở rộng",
        "category": "urban",
        "status": "investment_call",
        "form": "PPP",
        "capital_billion_vnd": 480,
        "note": "Thị trấn mở rộng có trong văn bản; dự án và vốn là minh hoạ",
        "at": ("29266", -0.8, 0.9),
    },
    {
        "name": "Dự án nhà máy xử lý nước thải thị trấn Càng Long",
        "category": "environment",
        "status": "investment_call",
        "form": "PPP",
        "capital_billion_vnd": 150,
        "note": "Dự án và vốn minh hoạ; văn bản nêu chung: xã hội hoá đầu tư hạ tầng",
        "at": ("29266", -1.0, -1.4),
    },
    {
        "name": "Dự án chợ và khu thương mại – dịch vụ Tân An",
        "category": "trade",
        "status": "investment_call",
        "form": "PPP",
        "capital_billion_vnd": 90,
        "note": "Dự án và vốn minh hoạ; văn bản nêu chung: xã hội hoá đầu tư hạ tầng",
        "at": ("29281", -0.5, 0.6),
    },
]

# =================================================================================================
# Chi Lăng (Lạng Sơn), GSO 187 — regional construction planning 2021–2030, vision 2050
# =================================================================================================

CHL_ROADS: list[dict[str, Any]] = [
    {
        "name": "Cao tốc Bắc Giang – Lạng Sơn (đoạn qua huyện Chi Lăng)",
        "road_class": "expressway",
        "status": "existing",
        "note": "Thông xe năm 2020",
        "path": [
            (21.500, 106.470),
            (21.560, 106.482),
            (21.610, 106.500),
            ("06508", -0.6, -0.4),
            ("06475", 1.2, -0.6),
            ("06490", 1.2, 2.6),
            ("06484", 0.6, 2.8),
            ("06478", 0.8, 2.4),
            ("06472", -0.6, 2.6),
            (21.840, 106.720),
        ],
    },
    {
        "name": "Quốc lộ 1A (đoạn qua huyện Chi Lăng)",
        "road_class": "national",
        "status": "existing",
        "note": "Trục giao thông chính Hà Nội – Lạng Sơn",
        "path": [
            (21.500, 106.495),
            "06466",
            "06523",
            (21.635, 106.550),
            "06463",
            ("06490", 1.6, -0.6),
            "06484",
            ("06478", -1.8, -0.6),
            "06478",
            ("06472", -1.6, -0.6),
            (21.830, 106.745),
        ],
    },
    {
        "name": "Đường tỉnh ĐT.234",
        "road_class": "provincial",
        "status": "upgrading",
        "note": "Số hiệu và hướng tuyến là sơ đồ, cần đối chiếu",
        "path": [
            ("06463", 0.6, -0.2),
            ("06496", -1.2, -2.4),
            "06499",
            ("06502", -2.0, -0.8),
            "06502",
            ("06481", 0.6, -1.6),
            (21.700, 106.840),
        ],
    },
    {
        "name": "Đường tỉnh ĐT.242",
        "road_class": "provincial",
        "status": "upgrading",
        "note": "Số hiệu và hướng tuyến là sơ đồ, cần đối chiếu",
        "path": [
            ("06523", 0.8, 0.4),
            ("06517", -2.4, -0.6),
            "06517",
            ("06514", -3.5, 0.8),
            "06514",
            (21.560, 106.820),
        ],
    },
    {
        "name": "Đường liên xã Hòa Bình – Bằng Mạc – Bằng Hữu",
        "road_class": "commune",
        "status": "upgrading",
        "note": "Nâng cấp gắn với xây dựng nông thôn mới (hướng tuyến sơ đồ)",
        "path": [("06508", 0.6, -0.6), "06493", ("06487", 1.0, -2.0), "06487"],
    },
    {
        "name": "Đường liên xã Y Tịch – Vạn Linh",
        "road_class": "commune",
        "status": "existing",
        "note": "Hướng tuyến sơ đồ",
        "path": [("06466", -1.0, 0.8), "06520", ("06505", 1.2, -1.6), "06505"],
    },
    {
        "name": "Đường liên xã Bắc Thủy – Vân Thủy – Chiến Thắng – Vân An",
        "road_class": "commune",
        "status": "planned",
        "note": "Kết nối các xã phía Đông Bắc (hướng tuyến sơ đồ)",
        "path": [
            "06478",
            ("06472", -1.0, -1.4),
            "06472",
            ("06481", -1.2, 1.4),
            "06481",
            ("06469", -1.0, -1.6),
            "06469",
        ],
    },
]

CHL_RAILWAY: list[dict[str, Any]] = [
    {
        "name": "Đường sắt Hà Nội – Đồng Đăng (đoạn qua huyện Chi Lăng)",
        "road_class": "railway",
        "status": "existing",
        "note": "Qua các ga Chi Lăng, Đồng Mỏ, Bắc Thủy (hướng tuyến sơ đồ)",
        "path": [
            (21.500, 106.508),
            ("06466", 0.8, 0.2),
            ("06523", 0.7, -0.4),
            (21.632, 106.558),
            ("06463", 0.6, -0.6),
            ("06490", 2.0, -1.1),
            ("06484", 0.6, -0.6),
            ("06478", -1.6, -1.1),
            ("06478", 0.6, -0.5),
            ("06472", -1.3, -1.2),
            (21.830, 106.755),
        ],
    },
]

CHL_INDUSTRY: list[dict[str, Any]] = [
    {
        "name": "Khu công nghiệp Đồng Bành",
        "cluster_type": "KCN",
        "area_ha": 200,
        "status": "planned",
        "note": "Có hệ thống xử lý nước thải đảm bảo tiêu chuẩn kỹ thuật; diện tích minh hoạ",
        "shape": {"rect": ("06466", 1.0, 1.6), "aspect": 1.8, "angle": 55},
    },
]

CHL_CRAFT: list[dict[str, Any]] = [
    {
        "name": "Làng nghề chế biến na và nông sản – xã Chi Lăng (minh hoạ)",
        "category": "craft_village",
        "status": "existing",
        "note": "Tên và vị trí minh hoạ, chưa đối chiếu danh mục làng nghề",
        "at": ("06523", -0.8, -0.6),
    },
    {
        "name": "Làng nghề mây tre đan – xã Vạn Linh (minh hoạ)",
        "category": "craft_village",
        "status": "existing",
        "note": "Tên và vị trí minh hoạ, chưa đối chiếu danh mục làng nghề",
        "at": ("06505", 0.6, 0.4),
    },
    {
        "name": "Làng nghề chế biến lâm sản – xã Hữu Kiên (minh hoạ)",
        "category": "craft_village",
        "status": "planned",
        "note": "Tên và vị trí minh hoạ, chưa đối chiếu danh mục làng nghề",
        "at": ("06514", 0.4, 0.8),
    },
    {
        "name": "Làng nghề thủ công truyền thống – xã Mai Sao (minh hoạ)",
        "category": "craft_village",
        "status": "planned",
        "note": "Tên và vị trí minh hoạ, chưa đối chiếu danh mục làng nghề",
        "at": ("06484", -0.6, 0.8),
    },
]

CHL_URBAN: list[dict[str, Any]] = [
    {
        "name": "Thị trấn Đồng Mỏ",
        "current_class": "V",
        "target_class": "IV",
        "target_year": 2030,
        "role": "core",
        "class_2026": "III_transition",
        "note": "Đô thị hạt nhân; loại đô thị mục tiêu là minh hoạ (văn bản chỉ nêu vai trò)",
        "shape": {"circle": ("06463", 0.2, 0.0), "radius_km": 1.8},
    },
    {
        "name": "Thị trấn Chi Lăng",
        "current_class": "V",
        "target_class": "V",
        "target_year": 2030,
        "role": "satellite",
        "class_2026": "III_transition",
        "note": "Đô thị vệ tinh; loại đô thị mục tiêu là minh hoạ (văn bản chỉ nêu vai trò)",
        "shape": {"circle": ("06466", 0.3, 0.2), "radius_km": 1.4},
    },
]

CHL_ENV_WORKS: list[dict[str, Any]] = [
    {
        "name": "Trạm xử lý nước thải KCN Đồng Bành",
        "category": "wastewater_plant",
        "status": "planned",
        "note": "Có hệ thống xử lý nước thải tại khu công nghiệp đảm bảo tiêu chuẩn kỹ thuật",
        "at": ("06466", 0.3, 1.0),
    },
    {
        "name": "Bãi chôn lấp rác thải tập trung thị trấn Đồng Mỏ",
        "category": "landfill",
        "status": "existing",
        "note": "Vị trí minh hoạ",
        "at": ("06463", 1.2, -1.0),
    },
    {
        "name": "Bãi chôn lấp rác thải tập trung thị trấn Chi Lăng",
        "category": "landfill",
        "status": "existing",
        "note": "Vị trí minh hoạ",
        "at": ("06466", -1.4, -0.6),
    },
    {
        "name": "Bãi chôn lấp rác thải tập trung cụm xã phía Bắc (Vân Thủy)",
        "category": "landfill",
        "status": "planned",
        "note": "Vị trí minh hoạ; phục vụ mục tiêu 100% các xã có bãi chôn lấp tập trung",
        "at": ("06472", 0.8, -0.8),
    },
    {
        "name": "Bãi chôn lấp rác thải tập trung cụm xã phía Đông (Hữu Kiên)",
        "category": "landfill",
        "status": "planned",
        "note": "Vị trí minh hoạ; phục vụ mục tiêu 100% các xã có bãi chôn lấp tập trung",
        "at": ("06514", -1.0, -1.2),
    },
    {
        "name": "Bãi chôn lấp rác thải tập trung cụm xã phía Tây (Vạn Linh)",
        "category": "landfill",
        "status": "planned",
        "note": "Vị trí minh hoạ; phục vụ mục tiêu 100% các xã có bãi chôn lấp tập trung",
        "at": ("06505", -1.2, -0.8),
    },
]

CHL_TOURISM: list[dict[str, Any]] = [
    {
        "name": "Khu di tích lịch sử Ải Chi Lăng",
        "category": "historic_site",
        "status": "existing",
        "note": "Di tích trên Quốc lộ 1A, xã Chi Lăng (vị trí minh hoạ)",
        "at": ("06523", 0.9, 1.2),
    },
    {
        "name": "Hồ Bãi Hào (khu di tích Chi Lăng)",
        "category": "landscape",
        "status": "existing",
        "note": "Thuộc lòng chảo Chi Lăng (vị trí minh hoạ)",
        "at": ("06523", 1.8, 0.5),
    },
    {
        "name": "Điểm du lịch trải nghiệm vườn na Chi Lăng",
        "category": "agritourism",
        "status": "planned",
        "note": "Theo Đề án phát triển du lịch huyện Chi Lăng đến năm 2025 (vị trí minh hoạ)",
        "at": ("06520", 1.8, 0.6),
    },
]

CHL_ZONES: list[dict[str, Any]] = [
    {
        "name": "Vùng trồng na tập trung (VietGAP)",
        "product": "custard_apple",
        "status": "existing",
        "note": "Vùng sản xuất tập trung chuyên canh theo hướng hàng hoá (ranh giới minh hoạ)",
        "shape": {
            "hull": ["06523", ("06466", -0.6, 1.0), ("06520", 1.6, 0.4), ("06508", -0.4, -1.8)],
            "buffer_km": 1.2,
        },
    },
    {
        "name": "Vùng trồng rừng sản xuất tập trung",
        "product": "forestry",
        "status": "planned",
        "note": "Vùng sản xuất tập trung (ranh giới minh hoạ)",
        "shape": {
            "hull": [("06514", -1.2, -1.6), ("06514", 2.0, 0.4), ("06502", -0.6, -2.0)],
            "buffer_km": 1.5,
        },
    },
]

# =================================================================================================
# Field and style definitions shared by both packs
# =================================================================================================


def col(name: str, vi: str, en: str, **kw: Any) -> dict[str, Any]:
    """A `[[layers.fields]]` / `[[tables.columns]]` entry."""
    return {"name": name, "label": bi(vi, en), **kw}


def categorical(
    field: str,
    values: dict[str, dict[str, str]],
    colors: dict[str, str],
    dashed: tuple[str, ...] = (),
    **kw: Any,
) -> dict[str, Any]:
    """A categorical style over the values that have a colour, dashed where the plan is future."""
    cats = []
    for value, color in colors.items():
        cat: dict[str, Any] = {"value": value, "color": color, "label": values[value]}
        if value in dashed:
            cat["dash"] = "8 6"
        cats.append(cat)
    return {
        "type": "categorical",
        "field": field,
        "default_color": "#999999",
        **kw,
        "categories": cats,
    }


ROAD_FIELDS = [
    col("name", "Tên tuyến", "Route"),
    col("road_class", "Cấp đường", "Class", values=ROAD_CLASS),
    col("status", "Hiện trạng / quy hoạch", "Status", values=STATUS),
    col("length_km", "Chiều dài (sơ đồ)", "Length (schematic)", unit="km", type="float"),
    col("note", "Ghi chú", "Note"),
]
ROAD_STYLE = categorical(
    "status",
    STATUS,
    {k: STATUS_COLORS[k] for k in ("existing", "upgrading", "under_construction", "planned")},
    dashed=("planned",),
    weight=4,
    opacity=0.9,
)
INDUSTRY_FIELDS = [
    col("name", "Tên", "Name"),
    col("cluster_type", "Loại", "Type", values=CLUSTER_TYPE),
    col("area_ha", "Diện tích (minh hoạ)", "Area (illustrative)", unit="ha", type="float"),
    col("status", "Hiện trạng / quy hoạch", "Status", values=STATUS),
    col("note", "Ghi chú", "Note"),
]
INDUSTRY_STYLE = categorical(
    "cluster_type", CLUSTER_TYPE, {"KCN": "#6a3d9a", "CCN": "#b15928"}, fill_opacity=0.45, weight=2
)
# Which criteria a class was set under, said in the label: the plans' "loại IV/V" targets were
# set under the 2016 criteria, which the resolution of 24/12/2025 replaced on 1/1/2026.
CRITERIA_2016 = bi(
    "tiêu chí 2016: NQ 1210/2016/UBTVQH13, sửa đổi bởi NQ 26/2022/UBTVQH15",
    "2016 criteria: Resolution 1210/2016/UBTVQH13, amended by 26/2022/UBTVQH15",
)
CRITERIA_2026 = bi(
    "tiêu chí 2026: NQ 111/2025/UBTVQH15 ngày 24/12/2025, hiệu lực 1/1/2026",
    "2026 criteria: Resolution 111/2025/UBTVQH15 of 24 Dec 2025, in force 1 Jan 2026",
)
URBAN_FIELDS = [
    col("name", "Đô thị", "Town"),
    col(
        "current_class",
        "Loại đô thị đến hết 2025 (tiêu chí 2016)",
        "Class until the end of 2025 (2016 criteria)",
        values=URBAN_CLASS,
    ),
    col(
        "target_class",
        f"Loại đô thị mục tiêu, như kế hoạch ghi ({CRITERIA_2016['vi']})",
        f"Target class as the plan writes it ({CRITERIA_2016['en']})",
    ),
    col(
        "class_2026",
        f"Loại đô thị theo {CRITERIA_2026['vi']}",
        f"Class under the {CRITERIA_2026['en']}",
        values=CLASS_2026,
    ),
    col("target_year", "Năm đạt", "Target year", type="int"),
    col("role", "Vai trò", "Role", values=URBAN_ROLE),
    col("note", "Ghi chú", "Note"),
]
URBAN_POPUP_CL = [
    "name",
    "current_class",
    "target_class",
    "target_year",
    "class_2026",
    "role",
    "note",
]
URBAN_POPUP_CHL = [
    "name",
    "role",
    "current_class",
    "target_class",
    "target_year",
    "class_2026",
    "note",
]
POINT_FIELDS = [
    col("name", "Tên", "Name"),
    col("category", "Loại", "Category", values=POINT_CATEGORY),
    col("status", "Hiện trạng / quy hoạch", "Status", values=STATUS),
    col("note", "Ghi chú", "Note"),
]
COMMUNE_FIELDS = [
    col("code", "Mã xã (GSO)", "Commune code (GSO)", type="code"),
    col("name", "Xã, thị trấn", "Commune / town"),
    col("short_name", "Tên ngắn", "Short name"),
    col("unit_type", "Loại đơn vị", "Unit type"),
    col("area_km2", "Diện tích (sơ đồ)", "Area (schematic)", unit="km²", type="float"),
]
DISTRICT_FIELDS = [
    col("code", "Mã huyện (GSO)", "District code (GSO)", type="code"),
    col("name", "Huyện", "District"),
    col("province", "Tỉnh", "Province"),
    col("area_km2", "Diện tích (sơ đồ)", "Area (schematic)", unit="km²", type="float"),
]
GROUP_TITLES = {
    "hanh_chinh": bi("Hành chính", "Administrative"),
    "giao_thong": bi("Giao thông", "Transport"),
    "cong_nghiep": bi("Công nghiệp, làng nghề", "Industry and crafts"),
    "do_thi": bi("Đô thị", "Urban areas"),
    "vien_thong": bi("Viễn thông, CNTT", "Telecom and IT"),
    "dau_tu": bi("Kêu gọi đầu tư", "Investment calls"),
    "moi_truong": bi("Môi trường", "Environment"),
    "du_lich": bi("Du lịch", "Tourism"),
    "nong_nghiep": bi("Nông nghiệp", "Agriculture"),
}


def admin_layers(fill: str) -> list[dict[str, Any]]:
    """Commune boundaries and district outline: the same two layers in every pack.

    Packs draw communes first, then their choropleth (so its popups win clicks when it is on),
    then the unfilled district outline on top.
    """
    return [
        {
            "id": "communes",
            "kind": "boundary",
            "source": "communes",
            "group": "hanh_chinh",
            "title": bi("Ranh giới xã, thị trấn (sơ đồ)", "Commune boundaries (schematic)"),
            "code_field": "code",
            "code_width": 5,
            "style": {
                "type": "fixed",
                "color": "#636363",
                "fill_color": fill,
                "weight": 1,
                "fill_opacity": 0.05,
            },
            "tooltip": ["name", "area_km2"],
            "popup": ["name", "code", "unit_type", "area_km2"],
            "fields": COMMUNE_FIELDS,
        },
        {
            "id": "district",
            "kind": "boundary",
            "source": "district",
            "group": "hanh_chinh",
            "title": bi("Ranh giới huyện (sơ đồ)", "District outline (schematic)"),
            "code_field": "code",
            "code_width": 3,
            "style": {"type": "fixed", "color": "#252525", "weight": 3, "fill_opacity": 0.0},
            "tooltip": ["name", "area_km2"],
            "fields": DISTRICT_FIELDS,
        },
    ]


# =================================================================================================
# The two packs
# =================================================================================================

CL_SOURCE = bi(
    "Tâm và phạm vi xã: gói PyPI vietnamadminunits (giấy phép MIT), dữ liệu đơn vị hành chính "
    "trước 2025; công trình được nêu tên và mục tiêu: bài viết về kế hoạch phát triển hạ tầng "
    "huyện Càng Long giai đoạn 2021–2025; các công trình bài viết không nêu tên là minh hoạ "
    "(xem nguồn của từng lớp); hình học và số liệu dựng bằng geodata/build_packs.py.",
    "Commune centroids and extents: PyPI package vietnamadminunits (MIT licence), pre-2025 "
    "administrative units; named works and targets: article on Càng Long district's "
    "infrastructure plan 2021–2025; works the article does not name are illustrative (see each "
    "layer's source); geometry and figures generated by geodata/build_packs.py.",
)
CHL_SOURCE = bi(
    "Tâm và phạm vi xã: gói PyPI vietnamadminunits (giấy phép MIT), dữ liệu đơn vị hành chính "
    "trước 2025; định hướng và mục tiêu: tin bài về hội thảo phương án quy hoạch xây dựng vùng "
    "huyện Chi Lăng (20/6/2022); tuyến giao thông, đường sắt, khu công nghiệp và điểm du lịch "
    "KHÔNG có trong tin bài (xem nguồn của từng lớp); hình học và số liệu dựng bằng "
    "geodata/build_packs.py.",
    "Commune centroids and extents: PyPI package vietnamadminunits (MIT licence), pre-2025 "
    "administrative units; orientations and targets: news article on the workshop on Chi Lăng's "
    "regional construction planning options (20 June 2022); roads, railway, industrial park and "
    "tourist sites are NOT in the article (see each layer's source); geometry and figures "
    "generated by geodata/build_packs.py.",
)
ILLUSTRATIVE_LIST = bi(
    "Danh mục minh hoạ; văn bản không nêu tên dự án.",
    "Illustrative list; the plan names no project.",
)


def layer_honesty(source: dict[str, str], note: dict[str, str]) -> dict[str, Any]:
    """A layer's own honesty, for layers whose items do not all come from the plan text.

    The pack's source names the plan article; a layer whose items come from elsewhere (general
    knowledge, the provincial plan) or are invented says so here, item by item where needed.
    """
    return {"geometry": "schematic", "figures": "illustrative", "source": source, "note": note}


CL_ROADS_HONESTY = layer_honesty(
    bi(
        "Quốc lộ 53 (đoạn qua huyện), Quốc lộ 60 đoạn Bình Phú – cầu Đại Ngãi, đường kết nối thị "
        "trấn Càng Long – thành phố Trà Vinh (giai đoạn II) và đường kết nối Hương lộ 39 – Quốc "
        "lộ 53 – Hương lộ 37: nêu tên trong bài viết về kế hoạch 2021–2025. Các đường liên xã: "
        "bài viết chỉ nêu chung “các tuyến đường thiết yếu, liên huyện, liên xã”, tên từng tuyến "
        "là minh hoạ. Hướng tuyến dựng bằng geodata/build_packs.py.",
        "QL53 (through the district), QL60 Bình Phú – Đại Ngãi bridge, the Càng Long town – Trà "
        "Vinh city link (phase II) and the Hương lộ 39 – QL53 – Hương lộ 37 link: named in the "
        "article on the 2021–2025 plan. Inter-commune roads: the article only says “essential, "
        "inter-district and inter-commune roads”; each road's name is illustrative. Alignments "
        "generated by geodata/build_packs.py.",
    ),
    bi(
        "Đường liên xã: danh mục minh hoạ; văn bản không nêu tên dự án.",
        "Inter-commune roads: illustrative list; the plan names no project.",
    ),
)
CL_WORKS_HONESTY = layer_honesty(
    bi(
        "Bài viết chỉ nêu chung việc vận động vốn ODA cho “thoát nước và xử lý nước thải trong "
        "đô thị” và “công trình đầu mối hạ tầng kỹ thuật cấp đô thị”; tên, vị trí và hiện trạng "
        "từng công trình là minh hoạ (KCN Cổ Chiên thì có trong bài viết).",
        "The article only speaks of raising ODA for “urban drainage and wastewater treatment” "
        "and of “urban-level technical infrastructure hubs”; each work's name, position and "
        "status are illustrative (the Cổ Chiên industrial park is named in the article).",
    ),
    ILLUSTRATIVE_LIST,
)
CL_PPP_HONESTY = layer_honesty(
    bi(
        "Bài viết chỉ nêu chung việc “kêu gọi đầu tư, cập nhật bổ sung và công bố, công khai các "
        "dự án kêu gọi đầu tư”, xã hội hoá đầu tư và hình thức đối tác công tư (PPP), không nêu "
        "dự án nào. CCN Bình Phú, CCN Tân Bình và thị trấn Càng Long mở rộng có trong bài viết; "
        "các dự án gắn với chúng, hình thức PPP và số vốn là minh hoạ.",
        "The article only speaks of “calling for investment, updating and publishing the "
        "projects open to investment”, private investment and public–private partnership (PPP), "
        "and names no project. The Bình Phú and Tân Bình clusters and the expanded Càng Long town "
        "are in the article; the projects attached to them, the PPP form and the capital are "
        "illustrative.",
    ),
    ILLUSTRATIVE_LIST,
)
URBAN_2026_SOURCE = bi(
    "Tiêu chí 2016: Nghị quyết 1210/2016/UBTVQH13 về phân loại đô thị, sửa đổi bởi Nghị quyết "
    "26/2022/UBTVQH15 (hiệu lực 1/1/2023). Tiêu chí 2026: Nghị quyết 111/2025/UBTVQH15 về phân "
    "loại đô thị (24/12/2025, hiệu lực 1/1/2026) chỉ còn đô thị loại đặc biệt, I, II, III; "
    "khoản 3 Điều 15 (chuyển tiếp) xác định đô thị loại IV, loại V, thị xã và thị trấn chưa "
    "được công nhận loại đô thị là đô thị loại III. Số hiệu và nội dung lấy từ tin pháp luật và "
    "báo chí (thuvienphapluat.vn 26/12/2025, soha.vn 30/12/2025), chưa đối chiếu văn bản gốc "
    "trên Công báo; chưa thấy quyết định riêng nào về các đô thị của lớp này.",
    "2016 criteria: Resolution 1210/2016/UBTVQH13 on urban classification, amended by "
    "Resolution 26/2022/UBTVQH15 (in force 1 Jan 2023). 2026 criteria: Resolution "
    "111/2025/UBTVQH15 on urban classification (24 Dec 2025, in force 1 Jan 2026) keeps only "
    "the special class and classes I, II and III; its transitional clause (Article 15(3)) "
    "identifies class IV and V urban areas, and towns and townships with no recognised class, "
    "as class III. Numbers and content are taken from legal news and the press "
    "(thuvienphapluat.vn 26 Dec 2025, soha.vn 30 Dec 2025), not checked against the official "
    "gazette; no decision on the particular towns of this layer was found.",
)
URBAN_2026_NOTE = bi(
    "Loại IV, V: tiêu chí 2016. Từ 1/1/2026 chỉ còn loại đặc biệt, I–III (IV, V cũ tính là III).",
    "Classes IV, V: 2016 criteria. Since 1 Jan 2026 only special and I–III (old IV, V count as "
    "III).",
)


def urban_honesty(vi: str, en: str) -> dict[str, Any]:
    """A town layer's honesty: where its classes come from (`vi`, `en`), then the two criteria."""
    return layer_honesty(
        bi(f"{vi} {URBAN_2026_SOURCE['vi']}", f"{en} {URBAN_2026_SOURCE['en']}"), URBAN_2026_NOTE
    )


CL_URBAN_HONESTY = urban_honesty(
    "Loại đô thị mục tiêu (thị trấn Càng Long mở rộng loại IV, Tân An loại V) và năm đạt: bài "
    "viết về kế hoạch 2021–2025, theo tiêu chí phân loại đô thị lúc đó; ranh giới là sơ đồ.",
    "Target classes (expanded Càng Long town class IV, Tân An class V) and years: the article "
    "on the 2021–2025 plan, under the classification criteria of the time; outlines are "
    "schematic.",
)
CHL_URBAN_HONESTY = urban_honesty(
    "Vai trò đô thị hạt nhân, vệ tinh: tin bài về hội thảo quy hoạch (20/6/2022); tin bài không "
    "nêu loại đô thị, nên loại mục tiêu (theo tiêu chí 2016) là minh hoạ; ranh giới là sơ đồ.",
    "Core and satellite roles: the news article on the planning workshop (20 June 2022); it "
    "names no urban class, so the target classes (2016 criteria) are illustrative; outlines are "
    "schematic.",
)
NOT_IN_ARTICLE = bi(
    "KHÔNG lấy từ tin bài về hội thảo quy hoạch (tin bài không nêu tên) và chưa được kiểm chứng",
    "NOT taken from the news article on the planning workshop (it does not name them) and not "
    "checked",
)
CHL_ROADS_HONESTY = layer_honesty(
    bi(
        "Quốc lộ 1A, cao tốc Bắc Giang – Lạng Sơn, đường tỉnh ĐT.234, ĐT.242: theo hiểu biết "
        "chung về mạng lưới giao thông quốc gia và quy hoạch tỉnh Lạng Sơn, "
        f"{NOT_IN_ARTICLE['vi']}; tin bài chỉ nêu “tập trung đầu tư kết cấu hạ tầng, trọng tâm "
        "là hạ tầng giao thông”. Các đường liên xã là minh hoạ. Hướng tuyến dựng bằng "
        "geodata/build_packs.py.",
        "QL1A, the Bắc Giang – Lạng Sơn expressway, provincial roads ĐT.234 and ĐT.242: from "
        "general knowledge of the national road network and the Lạng Sơn provincial plan, "
        f"{NOT_IN_ARTICLE['en']}; the article only says “invest in infrastructure, above all "
        "transport”. The inter-commune roads are illustrative. Alignments generated by "
        "geodata/build_packs.py.",
    ),
    bi(
        "Văn bản không nêu tên các tuyến này; số hiệu, hướng tuyến là sơ đồ.",
        "The plan names none of these routes; numbers and alignments are schematic.",
    ),
)
CHL_RAILWAY_HONESTY = layer_honesty(
    bi(
        "Đường sắt Hà Nội – Đồng Đăng và các ga: theo hiểu biết chung, "
        f"{NOT_IN_ARTICLE['vi']}. Hướng tuyến dựng bằng geodata/build_packs.py.",
        "The Hà Nội – Đồng Đăng railway and its stations: general knowledge, "
        f"{NOT_IN_ARTICLE['en']}. Alignment generated by geodata/build_packs.py.",
    ),
    bi("Hướng tuyến là sơ đồ.", "The alignment is schematic."),
)
CHL_INDUSTRY_HONESTY = layer_honesty(
    bi(
        "Khu công nghiệp Đồng Bành: theo hiểu biết chung và quy hoạch tỉnh Lạng Sơn, "
        f"{NOT_IN_ARTICLE['vi']}; tin bài chỉ nêu “hệ thống xử lý nước thải tại khu công "
        "nghiệp”. Diện tích và ranh giới là minh hoạ.",
        "Đồng Bành industrial park: general knowledge and the Lạng Sơn provincial plan, "
        f"{NOT_IN_ARTICLE['en']}; the article only mentions “wastewater treatment at the "
        "industrial park”. Area and outline are illustrative.",
    ),
    bi(
        "Tên khu công nghiệp không lấy từ văn bản; diện tích minh hoạ.",
        "The park's name is not taken from the plan; the area is illustrative.",
    ),
)
CHL_WORKS_HONESTY = layer_honesty(
    bi(
        "Mục tiêu “100% các xã có bãi chôn lấp rác thải tập trung” và “hệ thống xử lý nước thải "
        "tại khu công nghiệp” trích từ tin bài; tên, vị trí và hiện trạng từng bãi chôn lấp, "
        "trạm xử lý (kể cả tên KCN Đồng Bành) là minh hoạ.",
        "The targets “centralised landfills in 100% of communes” and “wastewater treatment at "
        "the industrial park” are quoted from the article; each landfill's and plant's name, "
        "position and status (the Đồng Bành park's name included) are illustrative.",
    ),
    ILLUSTRATIVE_LIST,
)
CHL_TOURISM_HONESTY = layer_honesty(
    bi(
        "Khu di tích Ải Chi Lăng, hồ Bãi Hào: theo hiểu biết chung, "
        f"{NOT_IN_ARTICLE['vi']}; tin bài chỉ nêu Đề án “Phát triển du lịch huyện Chi Lăng đến "
        "năm 2025, định hướng đến năm 2030”. Điểm du lịch vườn na là minh hoạ.",
        "Ải Chi Lăng historic site, Bãi Hào lake: general knowledge, "
        f"{NOT_IN_ARTICLE['en']}; the article only names the scheme “Tourism development of "
        "Chi Lăng District to 2025, orientation to 2030”. The custard-apple garden site is "
        "illustrative.",
    ),
    bi("Vị trí các điểm du lịch là minh hoạ.", "Tourist site positions are illustrative."),
)
CHL_CRAFT_HONESTY = layer_honesty(
    bi(
        "Định hướng phát triển “công nghiệp, tiểu thủ công nghiệp và làng nghề” trích từ tin "
        "bài; tên và vị trí từng làng nghề là minh hoạ, chưa đối chiếu danh mục làng nghề.",
        "The orientation “industry, small industry and craft villages” is quoted from the "
        "article; each village's name and position are illustrative, not checked against the "
        "list of recognised craft villages.",
    ),
    bi(
        "Tên và vị trí làng nghề là minh hoạ: văn bản chỉ nêu định hướng phát triển làng nghề, "
        "không nêu danh mục.",
        "Craft village names and positions are illustrative: the plan names the policy, not "
        "the villages.",
    ),
)
CHL_ZONES_HONESTY = layer_honesty(
    bi(
        "Định hướng “vùng sản xuất tập trung chuyên canh theo hướng sản xuất hàng hóa” và "
        "VietGAP trích từ tin bài; sản phẩm của từng vùng (na, rừng sản xuất) theo hiểu biết "
        "chung về huyện, không lấy từ tin bài.",
        "The orientation “concentrated, specialised commodity production zones” and VietGAP are "
        "quoted from the article; each zone's product (custard apple, production forest) is "
        "general knowledge of the district, not taken from the article.",
    ),
    bi("Ranh giới vùng sản xuất là minh hoạ.", "Zone outlines are illustrative."),
)
SCHEMATIC_NOTE = bi(
    "Bản đồ sơ đồ, KHÔNG phải số liệu đo đạc: ranh giới xã được dựng tự động từ tâm và phạm vi "
    "xã, hướng tuyến và vị trí công trình chỉ đặt tương đối. Mọi số liệu (trừ các chỉ tiêu trích "
    "nguyên văn từ văn bản kế hoạch) là minh hoạ, không phải thống kê chính thức.",
    "Schematic map, NOT survey data: commune boundaries are generated from commune centroids and "
    "extents, and routes and works are placed only approximately. All figures except the targets "
    "quoted verbatim from the plan are illustrative, not official statistics.",
)

CANG_LONG: dict[str, Any] = {
    "id": "cang_long",
    "district_code": "844",
    "zoom": 12,
    "tiling": {"shrink": 0.72, "min_half_km": 2.0, "seed": "cang_long"},
    "pack": {
        "name": bi("Huyện Càng Long", "Càng Long District"),
        "province": bi("Tỉnh Trà Vinh", "Trà Vinh Province"),
        "province_code": "84",
        "district_code": "844",
        "admin_structure": "pre2025",
        "plan_title": bi(
            "Phát triển hạ tầng giao thông, cụm công nghiệp, đô thị và công nghệ thông tin huyện "
            "Càng Long giai đoạn 2021–2025",
            "Development of transport, industrial-cluster, urban and IT infrastructure, Càng Long "
            "District, 2021–2025",
        ),
        "period": {"start": 2021, "end": 2025},
        "plan_source": bi(
            "Bài viết “Càng Long triển khai Phát triển hạ tầng giao thông; cụm công nghiệp; đô thị "
            "và công nghệ thông tin huyện Càng Long giai đoạn 2021-2025” (Minh Kha) về mục tiêu và "
            "nhiệm vụ do Ban Thường vụ Huyện ủy Càng Long đề ra.",
            "Article “Càng Long implements the development of transport, industrial-cluster, urban "
            "and IT infrastructure 2021-2025” (by Minh Kha) on the objectives and tasks set by the "
            "Standing Board of the Càng Long District Party Committee.",
        ),
        "agency": bi("Ban Thường vụ Huyện ủy Càng Long", "Càng Long District Party Committee"),
        "default_language": "vi",
    },
    "honesty": {
        "geometry": "schematic",
        "figures": "illustrative",
        "source": CL_SOURCE,
        "note": SCHEMATIC_NOTE,
    },
    "groups": [
        "hanh_chinh",
        "giao_thong",
        "cong_nghiep",
        "do_thi",
        "vien_thong",
        "dau_tu",
        "moi_truong",
    ],
    "layers": [
        admin_layers("#fdae6b")[0],
        {
            "id": "internet_hamlets",
            "kind": "choropleth",
            "source": "communes",
            "group": "vien_thong",
            "visible": False,
            "title": bi("Tỷ lệ ấp, khóm có Internet", "Hamlets with Internet access"),
            "code_field": "code",
            "code_width": 5,
            "table": "telecom",
            "style": {
                "type": "graduated",
                "field": "hamlets_internet_pct",
                "scheme": "thresholds",
                "bins": [50, 80, 99.9, 100],
                "palette": "YlGn",
                "fill_opacity": 0.7,
                "weight": 1,
                "color": "#636363",
            },
            "tooltip": ["name", "hamlets_internet_pct"],
            "fields": [COMMUNE_FIELDS[1]],
        },
        admin_layers("#fdae6b")[1],
        {
            "id": "urban",
            "kind": "polygon",
            "features": CL_URBAN,
            "group": "do_thi",
            "title": bi("Đô thị định hướng 2025", "Towns targeted for 2025"),
            "style": categorical(
                "target_class",
                {
                    "IV": bi("Mục tiêu loại IV (tiêu chí 2016)", "Target class IV (2016 criteria)"),
                    "V": bi("Mục tiêu loại V (tiêu chí 2016)", "Target class V (2016 criteria)"),
                },
                {"IV": "#e31a1c", "V": "#fd8d3c"},
                fill_opacity=0.3,
                weight=2,
            ),
            "tooltip": ["name", "target_class", "class_2026"],
            "popup": URBAN_POPUP_CL,
            "fields": URBAN_FIELDS,
            "honesty": CL_URBAN_HONESTY,
        },
        {
            "id": "industry",
            "kind": "polygon",
            "features": CL_INDUSTRY,
            "group": "cong_nghiep",
            "title": bi("Khu, cụm công nghiệp", "Industrial parks and clusters"),
            "style": INDUSTRY_STYLE,
            "tooltip": ["name", "cluster_type", "status"],
            "popup": ["name", "cluster_type", "area_ha", "status", "note"],
            "fields": INDUSTRY_FIELDS,
        },
        {
            "id": "roads",
            "kind": "line",
            "features": CL_ROADS,
            "group": "giao_thong",
            "title": bi("Giao thông: hiện có và quy hoạch", "Roads: existing and planned"),
            "style": ROAD_STYLE,
            "tooltip": ["name", "status"],
            "popup": ["name", "road_class", "status", "length_km", "note"],
            "fields": ROAD_FIELDS,
            "honesty": CL_ROADS_HONESTY,
        },
        {
            "id": "environment_works",
            "kind": "point",
            "features": CL_ENV_WORKS,
            "group": "moi_truong",
            "title": bi(
                "Thoát nước, xử lý nước thải (minh hoạ)",
                "Drainage and wastewater works (illustrative)",
            ),
            "style": categorical(
                "category",
                POINT_CATEGORY,
                {"drainage": "#6baed6", "wastewater_plant": "#08519c"},
                radius=7,
            ),
            "tooltip": ["name", "status"],
            "popup": ["name", "category", "status", "note"],
            "fields": POINT_FIELDS,
            "honesty": CL_WORKS_HONESTY,
        },
        {
            "id": "ppp_projects",
            "kind": "point",
            "features": CL_PPP,
            "group": "dau_tu",
            "title": bi(
                "Dự án kêu gọi đầu tư (PPP, minh hoạ)",
                "Projects open to investment (PPP, illustrative)",
            ),
            "style": categorical(
                "category",
                POINT_CATEGORY,
                {
                    "industrial_infra": "#6a3d9a",
                    "urban": "#e31a1c",
                    "environment": "#1f78b4",
                    "trade": "#ff7f00",
                },
                radius=7,
            ),
            "tooltip": ["name", "capital_billion_vnd"],
            "popup": ["name", "category", "form", "capital_billion_vnd", "status", "note"],
            "fields": [
                *POINT_FIELDS,
                col("form", "Hình thức đầu tư", "Investment form"),
                col(
                    "capital_billion_vnd",
                    "Vốn dự kiến (minh hoạ)",
                    "Estimated capital (illustrative)",
                    unit="tỷ đồng",
                    type="int",
                ),
            ],
            "honesty": CL_PPP_HONESTY,
        },
    ],
    "tables": [
        {
            "id": "telecom",
            "file": "tables/telecom.csv",
            "title": bi(
                "Hạ tầng viễn thông theo xã (minh hoạ)",
                "Telecom infrastructure by commune (illustrative)",
            ),
            "key": "code",
            "key_width": 5,
            "join_layer": "communes",
            "year_column": "year",
            "columns": [
                col("hamlets", "Số ấp, khóm", "Hamlets", type="int"),
                col(
                    "hamlets_internet",
                    "Số ấp, khóm có Internet",
                    "Hamlets with Internet",
                    type="int",
                ),
                col(
                    "hamlets_internet_pct",
                    "Tỷ lệ ấp, khóm có Internet",
                    "Hamlets with Internet",
                    unit="%",
                    type="float",
                ),
                col(
                    "fibre_centre",
                    "Cáp quang đến trung tâm xã",
                    "Fibre at commune centre",
                    type="bool",
                ),
                col("coverage_5g", "Phủ sóng 5G", "5G coverage", type="bool"),
                col("agencies", "Số cơ quan nhà nước", "State agencies", type="int"),
                col("agencies_fibre", "Cơ quan kết nối cáp quang", "Agencies on fibre", type="int"),
            ],
        },
    ],
    "targets": [
        {
            "id": "fibre_communes",
            "label": bi("Cáp quang đến 100% xã, thị trấn", "Fibre broadband in 100% of communes"),
            "value": 100,
            "unit": "%",
            "year": 2025,
            "table": "telecom",
            "column": "fibre_centre",
            "aggregate": "share_true",
            "quote": "Hạ tầng mạng băng rộng cáp quang phủ đến 100% xã, thị trấn",
        },
        {
            "id": "hamlets_internet",
            "label": bi("100% ấp, khóm có Internet", "Internet in 100% of hamlets"),
            "value": 100,
            "unit": "%",
            "year": 2025,
            "table": "telecom",
            "column": "hamlets_internet",
            "aggregate": "ratio",
            "denominator": "hamlets",
            "quote": "100% ấp, khóm có đường truyền Internet",
        },
        {
            "id": "coverage_5g",
            "label": bi("Phổ cập 5G", "Universal 5G"),
            "value": 100,
            "unit": "%",
            "year": 2025,
            "table": "telecom",
            "column": "coverage_5g",
            "aggregate": "share_true",
            "quote": "phổ cập dịch vụ mạng di động 5G trên địa bàn huyện",
        },
        {
            "id": "agencies_fibre",
            "label": bi("100% cơ quan nhà nước dùng cáp quang", "100% of state agencies on fibre"),
            "value": 100,
            "unit": "%",
            "year": 2025,
            "table": "telecom",
            "column": "agencies_fibre",
            "aggregate": "ratio",
            "denominator": "agencies",
            "quote": "100% cơ quan hành chính nhà nước các cấp thực hiện chuyển đổi kết nối "
            "Internet bằng cáp quang",
        },
    ],
}

CHI_LANG: dict[str, Any] = {
    "id": "chi_lang",
    "district_code": "187",
    # Gia Lộc, Bằng Hữu, Bằng Mạc, Lâm Sơn and Quan Sơn have extents of a few hundred metres
    # in the source; min_half_km gives every commune an extent of at least 2×3 km per side.
    "zoom": 11,
    "tiling": {"shrink": 0.74, "min_half_km": 3.0, "seed": "chi_lang"},
    "pack": {
        "name": bi("Huyện Chi Lăng", "Chi Lăng District"),
        "province": bi("Tỉnh Lạng Sơn", "Lạng Sơn Province"),
        "province_code": "20",
        "district_code": "187",
        "admin_structure": "pre2025",
        "plan_title": bi(
            "Quy hoạch xây dựng vùng huyện Chi Lăng thời kỳ 2021–2030, tầm nhìn đến năm 2050 "
            "(các phương án trình bày tại hội thảo)",
            "Regional construction plan of Chi Lăng District 2021–2030, vision to 2050 "
            "(options presented at a workshop)",
        ),
        "period": {"start": 2021, "end": 2030},
        "vision_year": 2050,
        "plan_source": bi(
            "Tin bài “Hội thảo các phương án quy hoạch xây dựng vùng huyện Chi Lăng thời kì "
            "2021-2030, tầm nhìn đến năm 2050” (Thanh Hà): buổi làm việc chiều 20/6/2022 của UBND "
            "huyện Chi Lăng với Sở Kế hoạch và Đầu tư tỉnh Lạng Sơn.",
            "News article “Workshop on the options for the regional construction plan of Chi Lăng "
            "District 2021-2030, vision to 2050” (by Thanh Hà): meeting of the Chi Lăng District "
            "People's Committee with the Lạng Sơn Department of Planning and Investment, "
            "afternoon of 20 June 2022.",
        ),
        "agency": bi("UBND huyện Chi Lăng", "Chi Lăng District People's Committee"),
        "default_language": "vi",
    },
    "honesty": {
        "geometry": "schematic",
        "figures": "illustrative",
        "source": CHL_SOURCE,
        "note": bi(
            SCHEMATIC_NOTE["vi"] + " Quốc lộ 1A, cao tốc, đường sắt, đường tỉnh (ĐT.234, ĐT.242), "
            "KCN Đồng Bành và các điểm du lịch không có trong tin bài: chúng theo hiểu biết chung, "
            "chưa được kiểm chứng, cần đối chiếu với quy hoạch của tỉnh.",
            SCHEMATIC_NOTE["en"] + " QL1A, the expressway, the railway, the provincial roads "
            "(ĐT.234, ĐT.242), the Đồng Bành industrial park and the tourist sites are not in the "
            "article: they come from general knowledge, are not checked, and must be checked "
            "against the provincial plan.",
        ),
    },
    "groups": [
        "hanh_chinh",
        "giao_thong",
        "cong_nghiep",
        "do_thi",
        "moi_truong",
        "du_lich",
        "nong_nghiep",
    ],
    "layers": [
        admin_layers("#a1d99b")[0],
        {
            "id": "clean_water",
            "kind": "choropleth",
            "source": "communes",
            "group": "moi_truong",
            "visible": False,
            "title": bi("Tỷ lệ dân dùng nước sạch", "Residents with clean water"),
            "code_field": "code",
            "code_width": 5,
            "table": "environment",
            "style": {
                "type": "graduated",
                "field": "clean_water_pct",
                "scheme": "thresholds",
                "bins": [70, 85, 95, 99.9, 100],
                "palette": "Blues",
                "fill_opacity": 0.7,
                "weight": 1,
                "color": "#636363",
            },
            "tooltip": ["name", "clean_water_pct"],
            "fields": [COMMUNE_FIELDS[1]],
        },
        admin_layers("#a1d99b")[1],
        {
            "id": "production_zones",
            "kind": "polygon",
            "features": CHL_ZONES,
            "group": "nong_nghiep",
            "title": bi("Vùng sản xuất tập trung", "Concentrated production zones"),
            "style": categorical(
                "product",
                PRODUCT,
                {"custard_apple": "#a6d854", "forestry": "#1b7837"},
                fill_opacity=0.3,
                weight=1,
            ),
            "tooltip": ["name", "area_ha"],
            "popup": ["name", "product", "area_ha", "status", "note"],
            "fields": [
                col("name", "Tên vùng", "Zone"),
                col("product", "Sản phẩm", "Product", values=PRODUCT),
                col("status", "Hiện trạng / quy hoạch", "Status", values=STATUS),
                col("area_ha", "Diện tích (sơ đồ)", "Area (schematic)", unit="ha", type="float"),
                col("note", "Ghi chú", "Note"),
            ],
            "honesty": CHL_ZONES_HONESTY,
        },
        {
            "id": "urban",
            "kind": "polygon",
            "features": CHL_URBAN,
            "group": "do_thi",
            "title": bi("Đô thị hạt nhân và vệ tinh", "Core and satellite towns"),
            "style": categorical(
                "role",
                URBAN_ROLE,
                {"core": "#e31a1c", "satellite": "#fd8d3c"},
                fill_opacity=0.3,
                weight=2,
            ),
            "tooltip": ["name", "role"],
            "popup": URBAN_POPUP_CHL,
            "fields": URBAN_FIELDS,
            "honesty": CHL_URBAN_HONESTY,
        },
        {
            "id": "industry",
            "kind": "polygon",
            "features": CHL_INDUSTRY,
            "group": "cong_nghiep",
            "title": bi("Khu công nghiệp", "Industrial parks"),
            "style": INDUSTRY_STYLE,
            "tooltip": ["name", "cluster_type", "status"],
            "popup": ["name", "cluster_type", "area_ha", "status", "note"],
            "fields": INDUSTRY_FIELDS,
            "honesty": CHL_INDUSTRY_HONESTY,
        },
        {
            "id": "railway",
            "kind": "line",
            "features": CHL_RAILWAY,
            "group": "giao_thong",
            "title": bi("Đường sắt", "Railway"),
            "style": {"type": "fixed", "color": "#252525", "weight": 3, "dash": "10 5"},
            "tooltip": ["name"],
            "popup": ["name", "status", "length_km", "note"],
            "fields": ROAD_FIELDS,
            "honesty": CHL_RAILWAY_HONESTY,
        },
        {
            "id": "roads",
            "kind": "line",
            "features": CHL_ROADS,
            "group": "giao_thong",
            "title": bi("Đường bộ: hiện có và quy hoạch", "Roads: existing and planned"),
            "style": ROAD_STYLE,
            "tooltip": ["name", "road_class", "status"],
            "popup": ["name", "road_class", "status", "length_km", "note"],
            "fields": ROAD_FIELDS,
            "honesty": CHL_ROADS_HONESTY,
        },
        {
            "id": "craft_villages",
            "kind": "point",
            "features": CHL_CRAFT,
            "group": "cong_nghiep",
            "title": bi("Làng nghề (minh hoạ)", "Craft villages (illustrative)"),
            "style": categorical(
                "status", STATUS, {"existing": "#8c510a", "planned": "#dfc27d"}, radius=6
            ),
            "tooltip": ["name", "status"],
            "popup": ["name", "category", "status", "note"],
            "fields": POINT_FIELDS,
            "honesty": CHL_CRAFT_HONESTY,
        },
        {
            "id": "environment_works",
            "kind": "point",
            "features": CHL_ENV_WORKS,
            "group": "moi_truong",
            "title": bi("Bãi chôn lấp, xử lý nước thải", "Landfills and wastewater works"),
            "style": categorical(
                "category",
                POINT_CATEGORY,
                {"landfill": "#8c6d31", "wastewater_plant": "#08519c"},
                radius=7,
            ),
            "tooltip": ["name", "status"],
            "popup": ["name", "category", "status", "note"],
            "fields": POINT_FIELDS,
            "honesty": CHL_WORKS_HONESTY,
        },
        {
            "id": "tourism",
            "kind": "point",
            "features": CHL_TOURISM,
            "group": "du_lich",
            "title": bi("Điểm du lịch", "Tourist sites"),
            "style": categorical(
                "category",
                POINT_CATEGORY,
                {"historic_site": "#b2182b", "landscape": "#2166ac", "agritourism": "#4d9221"},
                radius=7,
            ),
            "tooltip": ["name", "category"],
            "popup": ["name", "category", "status", "note"],
            "fields": POINT_FIELDS,
            "honesty": CHL_TOURISM_HONESTY,
        },
    ],
    "tables": [
        {
            "id": "environment",
            "file": "tables/environment.csv",
            "title": bi("Môi trường theo xã (minh hoạ)", "Environment by commune (illustrative)"),
            "key": "code",
            "key_width": 5,
            "join_layer": "communes",
            "year_column": "year",
            "columns": [
                col("population", "Dân số", "Population", unit="người", type="int"),
                col(
                    "clean_water_pct",
                    "Dân dùng nước sạch",
                    "Residents with clean water",
                    unit="%",
                    type="float",
                ),
                col("landfill", "Có bãi chôn lấp tập trung", "Centralised landfill", type="bool"),
                col(
                    "waste_collected_pct",
                    "Rác sinh hoạt được thu gom, xử lý",
                    "Household waste collected and treated",
                    unit="%",
                    type="float",
                ),
                col(
                    "hygienic_cemetery", "Nghĩa trang hợp vệ sinh", "Hygienic cemetery", type="bool"
                ),
            ],
        },
    ],
    "targets": [
        {
            "id": "clean_water",
            "label": bi("100% người dân dùng nước sạch", "Clean water for 100% of residents"),
            "value": 100,
            "unit": "%",
            "year": 2030,
            "table": "environment",
            "column": "clean_water_pct",
            "aggregate": "mean",
            "weight": "population",
            "quote": "100% người dân được sử dụng nước sạch",
        },
        {
            "id": "landfill",
            "label": bi(
                "100% xã có bãi chôn lấp tập trung", "Centralised landfill in 100% of communes"
            ),
            "value": 100,
            "unit": "%",
            "year": 2030,
            "table": "environment",
            "column": "landfill",
            "aggregate": "share_true",
            "quote": "100% các xã có bãi chôn lấp rác thải tập trung",
        },
        {
            "id": "waste_collected",
            "label": bi(
                "100% rác sinh hoạt được thu gom, xử lý",
                "100% of household waste collected and treated",
            ),
            "value": 100,
            "unit": "%",
            "year": 2030,
            "table": "environment",
            "column": "waste_collected_pct",
            "aggregate": "mean",
            "weight": "population",
            "quote": "đảm bảo 100 % chất thải sinh hoạt được thu gom và xử lý đạt tiêu chuẩn "
            "môi trường",
        },
        {
            "id": "hygienic_cemetery",
            "label": bi(
                "100% xã có nghĩa trang hợp vệ sinh", "Hygienic cemetery in 100% of communes"
            ),
            "value": 100,
            "unit": "%",
            "year": 2030,
            "table": "environment",
            "column": "hygienic_cemetery",
            "aggregate": "share_true",
            "quote": "100 % các xã có nghĩa trang nhân dân hợp vệ sinh và cảnh quan môi trường",
        },
    ],
}

PACKS = (CANG_LONG, CHI_LANG)

# =================================================================================================
# Illustrative figures. Deterministic: every number derives from SHA-256 of a named key, so it
# does not depend on a random number generator's version and each value can be reproduced alone.
# =================================================================================================


def unit(*key: object) -> float:
    """A reproducible number in [0, 1) for `key` (the figures are invented, but stable)."""
    digest = hashlib.sha256("|".join(map(str, key)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def laggards(codes: list[str], key: str, count: int) -> set[str]:
    """The `count` communes that, in the illustration, miss a target in 2025."""
    return set(sorted(codes, key=lambda c: unit(key, c))[:count])


def telecom_rows(communes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Càng Long: hamlets with Internet, fibre, 5G and agencies on fibre, 2021–2025."""
    codes = [c["code"] for c in communes]
    slow_hamlets = laggards(codes, "slow-hamlets", 2)
    slow_fibre = laggards(codes, "slow-fibre", 1)
    slow_agency = laggards(codes, "slow-agency", 2)
    rows = []
    for c in communes:
        code, town = c["code"], c["unit_type"] == "Thị trấn"
        hamlets = 5 + int(8 * unit("hamlets", code))
        agencies = 4 + int(4 * unit("agencies", code))
        share0 = 0.9 if town else 0.5 + 0.35 * unit("internet0", code)
        fibre_year = 2021 if town else 2021 + int(4 * unit("fibre", code))
        if code in slow_fibre:
            fibre_year = 2026
        year_5g = 2022 if town else 2023 + int(4 * unit("5g", code))
        agency0 = 0.5 + 0.4 * unit("agency0", code)
        for k, year in enumerate(YEARS):
            with_internet = min(hamlets, round(hamlets * (share0 + (1 - share0) * k / 4)))
            if code in slow_hamlets:
                with_internet = min(with_internet, hamlets - 1)
            on_fibre = min(agencies, round(agencies * (agency0 + (1 - agency0) * k / 3)))
            if code in slow_agency:
                on_fibre = min(on_fibre, agencies - 1)
            rows.append(
                {
                    "code": code,
                    "year": year,
                    "hamlets": hamlets,
                    "hamlets_internet": with_internet,
                    "hamlets_internet_pct": round(100 * with_internet / hamlets, 1),
                    "fibre_centre": year >= fibre_year,
                    "coverage_5g": year >= year_5g,
                    "agencies": agencies,
                    "agencies_fibre": on_fibre,
                }
            )
    return rows


def environment_rows(communes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chi Lăng: population, clean water, landfill, waste collection, cemeteries, 2021–2025."""
    rows = []
    for c in communes:
        code, town = c["code"], c["unit_type"] == "Thị trấn"
        pop0 = (8000 + 4000 * unit("pop", code)) if town else (1800 + 3600 * unit("pop", code))
        growth = 0.006 + 0.008 * unit("growth", code)
        water0 = (88 + 8 * unit("water", code)) if town else (55 + 30 * unit("water", code))
        water_step = 2 + 3 * unit("water-step", code)
        waste0 = (80 + 10 * unit("waste", code)) if town else (25 + 35 * unit("waste", code))
        waste_step = 4 + 5 * unit("waste-step", code)
        landfill_year = 2021 if town else 2022 + int(6 * unit("landfill", code))
        cemetery_year = 2021 + int(8 * unit("cemetery", code))
        for k, year in enumerate(YEARS):
            rows.append(
                {
                    "code": code,
                    "year": year,
                    "population": int(round(pop0 * (1 + growth) ** k, -1)),
                    "clean_water_pct": round(min(100.0, water0 + water_step * k), 1),
                    "landfill": year >= landfill_year,
                    "waste_collected_pct": round(min(100.0, waste0 + waste_step * k), 1),
                    "hygienic_cemetery": year >= cemetery_year,
                }
            )
    return rows


TABLE_ROWS = {"telecom": telecom_rows, "environment": environment_rows}

# =================================================================================================
# Geometry. Everything is computed in UTM 48N metres, then written in EPSG:4326 rounded to 6
# decimals (≈ 0.1 m). Communes tile the district exactly: they are unions of the cells of one
# labelled grid, simplified together as a coverage, so neighbours share identical edges.
# =================================================================================================

TO_METRIC = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
TO_LONLAT = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
GRID_M = 100.0  # labelling grid
SIMPLIFY_M = 250.0  # coverage simplification of the grid staircase
DISTORTION = 0.25  # relative wiggle of commune borders (so they do not look like Voronoi lines)
EDGE_WIGGLE_M = 600.0  # amplitude of the wiggle of the district outline
CLOSING_M = 2500.0  # closes notches between commune extents
OUTSIDE_PENALTY = 2.0  # cost per metre of a cell lying outside a commune's extent


def admin_units(district_code: str) -> list[dict[str, Any]]:
    """Pre-2025 communes of a district from the sqlite database shipped in vietnamadminunits."""
    db = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        rows = con.execute(
            "SELECT provinceCode, province, district, districtCode, wardCode, ward, wardShort, "
            "wardType, wardLat, wardLon, wardBounds FROM admin_units_legacy "
            "WHERE districtCode = ? ORDER BY wardCode",
            (district_code,),
        ).fetchall()
    finally:
        con.close()
    return [
        {
            "code": r["wardCode"].zfill(5),
            "name": nfc(r["ward"]),
            "short_name": nfc(r["wardShort"]),
            "unit_type": nfc(r["wardType"]),
            "district_code": r["districtCode"].zfill(3),
            "province_code": r["provinceCode"].zfill(2),
            "province": nfc(r["province"]),
            "district": nfc(r["district"]),
            "lat": float(r["wardLat"]),
            "lon": float(r["wardLon"]),
            "bounds": parse_bounds(r["wardBounds"]),
        }
        for r in rows
    ]


def parse_bounds(text: str) -> tuple[float, float, float, float]:
    """`"lat1,lon1 – lat2,lon2"` → (min_lon, min_lat, max_lon, max_lat)."""
    a, b = text.split("–")
    lat1, lon1 = map(float, a.split(","))
    lat2, lon2 = map(float, b.split(","))
    return min(lon1, lon2), min(lat1, lat2), max(lon1, lon2), max(lat1, lat2)


def noise(x: np.ndarray, y: np.ndarray, key: object, wavelengths: tuple[float, ...]) -> np.ndarray:
    """Smooth deterministic noise in [-1, 1]: a sum of plane waves with hashed directions."""
    out = np.zeros_like(x)
    for k, base in enumerate(wavelengths):
        angle = 2 * np.pi * unit(key, k, "angle")
        wavelength = base * (0.8 + 0.4 * unit(key, k, "length"))
        phase = 2 * np.pi * unit(key, k, "phase")
        along = x * np.cos(angle) + y * np.sin(angle)
        out += np.sin(along * 2 * np.pi / wavelength + phase)
    return out / len(wavelengths)


def components(mask: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """4-connected components of a boolean grid (label per cell, -1 outside) and their sizes."""
    ny, nx = mask.shape
    flat = mask.ravel()
    label = np.full(flat.shape, -1, dtype=np.int64)
    sizes: list[int] = []
    for start in np.flatnonzero(flat):
        if label[start] >= 0:
            continue
        current = len(sizes)
        label[start] = current
        queue, size = deque([int(start)]), 0
        while queue:
            p = queue.popleft()
            size += 1
            y, x = divmod(p, nx)
            for q, ok in (
                (p - nx, y > 0),
                (p + nx, y < ny - 1),
                (p - 1, x > 0),
                (p + 1, x < nx - 1),
            ):
                if ok and flat[q] and label[q] < 0:
                    label[q] = current
                    queue.append(q)
        sizes.append(size)
    return label.reshape(mask.shape), sizes


def grow4(mask: np.ndarray) -> np.ndarray:
    """The mask dilated by one cell in the four grid directions."""
    out = mask.copy()
    out[1:] |= mask[:-1]
    out[:-1] |= mask[1:]
    out[:, 1:] |= mask[:, :-1]
    out[:, :-1] |= mask[:, 1:]
    return out


def commune_extents(
    units: list[dict[str, Any]], shrink: float, min_half: float
) -> tuple[np.ndarray, np.ndarray, list[tuple[float, ...]]]:
    """Centroids and extents in metres; extents shrunk (source boxes overlap a lot) and given a
    minimum size (a few source boxes are far smaller than the commune)."""
    cx, cy = TO_METRIC.transform([u["lon"] for u in units], [u["lat"] for u in units])
    cx, cy = np.asarray(cx), np.asarray(cy)
    extents = []
    for i, u in enumerate(units):
        lon0, lat0, lon1, lat1 = u["bounds"]
        xs, ys = TO_METRIC.transform([lon0, lon1, lon0, lon1], [lat0, lat0, lat1, lat1])
        mx, my = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        hx, hy = (max(xs) - min(xs)) / 2 * shrink, (max(ys) - min(ys)) / 2 * shrink
        extents.append(
            (
                min(mx - hx, cx[i] - min_half),
                min(my - hy, cy[i] - min_half),
                max(mx + hx, cx[i] + min_half),
                max(my + hy, cy[i] + min_half),
            )
        )
    return cx, cy, extents


def district_mask(extents: list[tuple[float, ...]], seed: str) -> tuple[np.ndarray, ...]:
    """The district as grid cells: union of rounded commune extents, notches closed, holes
    filled, outline wiggled so it does not look like a union of boxes."""
    shapes = []
    for x0, y0, x1, y1 in extents:
        r = 0.4 * min(x1 - x0, y1 - y0) / 2
        shapes.append(box(x0 + r, y0 + r, x1 - r, y1 - r).buffer(r, quad_segs=8))
    hull = shapely.union_all(shapes).buffer(CLOSING_M, quad_segs=8).buffer(-CLOSING_M, quad_segs=8)
    if hull.geom_type != "Polygon":
        hull = max(hull.geoms, key=lambda g: g.area)
    hull = Polygon(hull.exterior)
    minx, miny, maxx, maxy = hull.buffer(2 * EDGE_WIGGLE_M).bounds
    gx0, gy0 = np.floor(minx / GRID_M) * GRID_M, np.floor(miny / GRID_M) * GRID_M
    nx, ny = int(np.ceil((maxx - gx0) / GRID_M)), int(np.ceil((maxy - gy0) / GRID_M))
    xx, yy = np.meshgrid(gx0 + (np.arange(nx) + 0.5) * GRID_M, gy0 + (np.arange(ny) + 0.5) * GRID_M)
    dist = shapely.distance(hull.exterior, shapely.points(xx, yy))
    signed = np.where(shapely.contains_xy(hull, xx, yy), dist, -dist)
    inside = signed + EDGE_WIGGLE_M * noise(xx, yy, (seed, "edge"), (1800, 3500, 7000)) > 0
    parts, sizes = components(inside)
    inside = parts == int(np.argmax(sizes))
    outside, _ = components(~inside)
    rim = np.unique(np.concatenate([outside[0], outside[-1], outside[:, 0], outside[:, -1]]))
    inside |= (outside >= 0) & ~np.isin(outside, rim)
    return inside, xx, yy, np.array([gx0, gy0])


def label_grid(
    cx: np.ndarray,
    cy: np.ndarray,
    extents: list[tuple[float, ...]],
    codes: list[str],
    inside: np.ndarray,
    xx: np.ndarray,
    yy: np.ndarray,
    seed: str,
) -> np.ndarray:
    """Assign each district cell to a commune: nearest centroid (distance wiggled per commune),
    penalised for leaving the commune's extent; then smoothed and made connected."""
    n = len(codes)
    cost = np.empty((n, *xx.shape))
    for i in range(n):
        x0, y0, x1, y1 = extents[i]
        out_x = np.maximum(0, np.maximum(x0 - xx, xx - x1))
        out_y = np.maximum(0, np.maximum(y0 - yy, yy - y1))
        wiggle = 1 + DISTORTION * noise(xx, yy, (seed, codes[i]), (2500, 4000, 7000))
        cost[i] = np.hypot(xx - cx[i], yy - cy[i]) * wiggle + OUTSIDE_PENALTY * np.hypot(
            out_x, out_y
        )
    lab = np.where(inside, np.argmin(cost, axis=0), -1)
    lab = majority_filter(lab, n, inside, passes=2)
    y0, x0 = yy[0, 0] - GRID_M / 2, xx[0, 0] - GRID_M / 2  # grid origin (cell corner)
    home = [(int((cy[i] - y0) // GRID_M), int((cx[i] - x0) // GRID_M)) for i in range(n)]
    for i, (r, c) in enumerate(home):
        assert lab[r, c] == i, f"commune {codes[i]} lost its own centroid"
    return make_connected(lab, n, home)


def majority_filter(lab: np.ndarray, n: int, inside: np.ndarray, passes: int) -> np.ndarray:
    """Replace a cell's label by the most common one in its 3×3 window (ragged edges go)."""
    ny, nx = lab.shape
    for _ in range(passes):
        padded = np.pad(lab, 1, constant_values=-1)
        counts = np.zeros((n, ny, nx), dtype=np.int16)
        for dy in (0, 1, 2):
            for dx in (0, 1, 2):
                window = padded[dy : dy + ny, dx : dx + nx]
                for i in range(n):
                    counts[i] += window == i
        own = np.take_along_axis(counts, np.maximum(lab, 0)[None], 0)[0]
        lab = np.where(inside & (counts.max(axis=0) > own), counts.argmax(axis=0), lab)
    return lab


def make_connected(lab: np.ndarray, n: int, home: list[tuple[int, int]]) -> np.ndarray:
    """Give every detached piece of a commune to the neighbour it shares most border with, so
    each commune is one polygon."""
    for _ in range(20):
        changed = False
        for i in range(n):
            parts, sizes = components(lab == i)
            keep = parts[home[i]]
            for p in range(len(sizes)):
                if p == keep:
                    continue
                piece = parts == p
                around = lab[grow4(piece) & ~piece]
                around = around[(around >= 0) & (around != i)]
                if around.size:
                    lab[piece] = np.bincount(around).argmax()
                    changed = True
        if not changed:
            return lab
    raise RuntimeError("commune labelling did not converge to connected communes")


def polygonise(lab: np.ndarray, n: int, origin: np.ndarray) -> list[shapely.Geometry]:
    """One polygon per label: union of its cells, merged row by row into runs first."""
    out = []
    for i in range(n):
        boxes = []
        for r in range(lab.shape[0]):
            row = np.concatenate([[False], lab[r] == i, [False]])
            edges = np.flatnonzero(np.diff(row.astype(np.int8)))
            for c0, c1 in zip(edges[::2], edges[1::2], strict=True):
                boxes.append(
                    box(
                        origin[0] + c0 * GRID_M,
                        origin[1] + r * GRID_M,
                        origin[0] + c1 * GRID_M,
                        origin[1] + (r + 1) * GRID_M,
                    )
                )
        # A vertex at every grid corner along every edge: neighbours then share identical
        # vertices, which the coverage operations require. Snapping undoes float drift.
        cells = shapely.segmentize(shapely.union_all(boxes), GRID_M)
        out.append(
            shapely.transform(cells, lambda xy: origin + np.round((xy - origin) / GRID_M) * GRID_M)
        )
    return out


def to_lonlat(geom: shapely.Geometry) -> shapely.Geometry:
    """Metric → EPSG:4326, rounded to 6 decimals (identical input vertices stay identical)."""

    def fn(xy: np.ndarray) -> np.ndarray:
        lon, lat = TO_LONLAT.transform(xy[:, 0], xy[:, 1])
        return np.round(np.column_stack([lon, lat]), 6)

    return shapely.transform(geom, fn)


def to_metric(geom: shapely.Geometry) -> shapely.Geometry:
    def fn(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(TO_METRIC.transform(xy[:, 0], xy[:, 1]))

    return shapely.transform(geom, fn)


class Geo:
    """The schematic geography of one district: communes, outline, and waypoint lookup."""

    def __init__(self, pack: dict[str, Any]) -> None:
        tiling = pack["tiling"]
        self.units = admin_units(pack["district_code"])
        self.codes = [u["code"] for u in self.units]
        cx, cy, extents = commune_extents(
            self.units, tiling["shrink"], tiling["min_half_km"] * 1000
        )
        self.centroid = {
            code: (float(x), float(y)) for code, x, y in zip(self.codes, cx, cy, strict=True)
        }
        inside, xx, yy, origin = district_mask(extents, tiling["seed"])
        lab = label_grid(cx, cy, extents, self.codes, inside, xx, yy, tiling["seed"])
        cells = polygonise(lab, len(self.codes), origin)
        assert shapely.coverage_is_valid(np.array(cells, dtype=object)), "grid cells overlap"
        simple = shapely.coverage_simplify(np.array(cells, dtype=object), SIMPLIFY_M)
        assert shapely.coverage_is_valid(simple), "simplified communes overlap"
        lonlat = [to_lonlat(g) for g in simple]
        assert all(g.geom_type == "Polygon" and g.is_valid for g in lonlat), "bad commune polygon"
        assert shapely.coverage_is_valid(np.array(lonlat, dtype=object)), "communes overlap"
        self.commune_lonlat = dict(zip(self.codes, lonlat, strict=True))
        self.district_lonlat = shapely.coverage_union_all(np.array(lonlat, dtype=object))
        self.commune = {c: to_metric(g) for c, g in self.commune_lonlat.items()}
        self.district = to_metric(self.district_lonlat)

    def point(self, wp: Waypoint) -> tuple[float, float]:
        """Waypoint → metric (x, y)."""
        if isinstance(wp, str):
            return self.centroid[wp]
        if isinstance(wp[0], str):
            x, y = self.centroid[wp[0]]
            return x + 1000 * wp[1], y + 1000 * wp[2]
        x, y = TO_METRIC.transform(wp[1], wp[0])
        return float(x), float(y)

    def clip(self, geom: shapely.Geometry, within: str | None = None) -> shapely.Geometry:
        area = self.commune[within] if within else self.district
        return geom.intersection(area)


def chaikin(coords: list[tuple[float, float]], passes: int = 2) -> list[tuple[float, float]]:
    """Corner cutting, so schematic routes curve instead of zig-zagging between waypoints."""
    pts = np.asarray(coords, dtype=float)
    for _ in range(passes):
        q = 0.75 * pts[:-1] + 0.25 * pts[1:]
        r = 0.25 * pts[:-1] + 0.75 * pts[1:]
        mid = np.empty((2 * len(q), 2))
        mid[0::2], mid[1::2] = q, r
        pts = np.vstack([pts[:1], mid, pts[-1:]])
    return [tuple(p) for p in pts]


SNAP_M = 600.0  # a route ending this close to an earlier route of its layer joins it


def line_geometry(
    geo: Geo, feature: dict[str, Any], earlier: list[shapely.Geometry]
) -> shapely.Geometry:
    """A smoothed route through the waypoints, cut at the district outline (longest piece),
    its ends joined to an earlier route they nearly touch (smoothing moves the waypoints)."""
    line = geo.clip(LineString(chaikin([geo.point(wp) for wp in feature["path"]])))
    if line.geom_type != "LineString":
        line = shapely.line_merge(line)
    if line.geom_type != "LineString":
        line = max(line.geoms, key=lambda g: g.length)
    coords = list(line.coords)
    for end in (0, -1):
        tip = Point(coords[end])
        near = [g for g in earlier if 0 < g.distance(tip) < SNAP_M]
        if near:
            target = min(near, key=tip.distance)
            coords[end] = target.interpolate(target.project(tip)).coords[0]
    return LineString(coords)


def polygon_geometry(geo: Geo, feature: dict[str, Any]) -> shapely.Geometry:
    """Rectangle of the stated area, circle, buffered hull, or buffered commune; clipped."""
    shape = feature["shape"]
    if "rect" in shape:
        x, y = geo.point(shape["rect"])
        area_m2 = feature["area_ha"] * 1e4
        width = (area_m2 / shape["aspect"]) ** 0.5
        half_l, half_w = shape["aspect"] * width / 2, width / 2
        geom = affinity.rotate(
            box(x - half_l, y - half_w, x + half_l, y + half_w), shape["angle"], origin=(x, y)
        )
    elif "circle" in shape:
        geom = Point(geo.point(shape["circle"])).buffer(1000 * shape["radius_km"], quad_segs=12)
    elif "hull" in shape:
        pts = shapely.multipoints([geo.point(wp) for wp in shape["hull"]])
        geom = pts.convex_hull.buffer(1000 * shape["buffer_km"], quad_segs=8)
    else:
        geom = geo.commune[shape["commune"]].buffer(1000 * shape["buffer_km"], quad_segs=8)
        geom = geom.simplify(40)
    geom = geo.clip(geo.clip(geom, shape.get("within")))
    if geom.geom_type != "Polygon":
        geom = max(geom.geoms, key=lambda g: g.area)
    return geom


GEOMETRY_KEYS = ("path", "shape", "at")


def feature_frame(geo: Geo, layer: dict[str, Any]) -> gpd.GeoDataFrame:
    """A plan layer's features with their computed measures, in EPSG:4326."""
    records, geoms, lines = [], [], []
    for feature in layer["features"]:
        attrs = {k: nfc_value(v) for k, v in feature.items() if k not in GEOMETRY_KEYS}
        if layer["kind"] == "line":
            lines.append(line_geometry(geo, feature, lines))
            geom = to_lonlat(lines[-1])
            attrs["length_km"] = round(to_metric(geom).length / 1000, 2)
        elif layer["kind"] == "polygon":
            geom = to_lonlat(polygon_geometry(geo, feature))
            if "area_ha" not in attrs:  # given when illustrative, else measured on the sketch
                attrs["area_ha"] = round(to_metric(geom).area / 1e4, -1)
            attrs["area_ha"] = float(attrs["area_ha"])
        else:
            x, y = geo.point(feature["at"])
            assert geo.district.contains(Point(x, y)), f"{feature['name']} is outside"
            geom = to_lonlat(Point(x, y))
        assert geom.is_valid and not geom.is_empty, f"bad geometry for {feature['name']}"
        records.append(attrs)
        geoms.append(geom)
    return gpd.GeoDataFrame(records, geometry=geoms, crs="EPSG:4326")


def commune_frame(geo: Geo) -> gpd.GeoDataFrame:
    records = [
        {
            "code": u["code"],
            "name": u["name"],
            "short_name": u["short_name"],
            "unit_type": u["unit_type"],
            "district_code": u["district_code"],
            "province_code": u["province_code"],
            "area_km2": round(geo.commune[u["code"]].area / 1e6, 2),
        }
        for u in geo.units
    ]
    geoms = [geo.commune_lonlat[u["code"]] for u in geo.units]
    return gpd.GeoDataFrame(records, geometry=geoms, crs="EPSG:4326")


def district_frame(geo: Geo) -> gpd.GeoDataFrame:
    u = geo.units[0]
    record = {
        "code": u["district_code"],
        "name": u["district"],
        "province": u["province"],
        "area_km2": round(geo.district.area / 1e6, 2),
    }
    return gpd.GeoDataFrame([record], geometry=[geo.district_lonlat], crs="EPSG:4326")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def nfc_value(value: Any) -> Any:
    return nfc(value) if isinstance(value, str) else value


# =================================================================================================
# Writers: GeoJSON through pyogrio, CSV and TOML by hand (so the bytes are ours to fix)
# =================================================================================================


def write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    frame.to_file(
        path,
        driver="GeoJSON",
        engine="pyogrio",
        layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": "6", "WRITE_NAME": "NO"},
    )


def csv_cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.1f}"
    text = str(value)
    if any(ch in text for ch in ',"\n'):
        text = '"' + text.replace('"', '""') + '"'
    return text


def write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [",".join(rows[0])] + [",".join(csv_cell(v) for v in row.values()) for row in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


def render_toml(manifest: dict[str, Any], pack_id: str) -> str:
    header = [
        f"# Atlas Hạ tầng — data pack {pack_id!r} (format: geodata/README.md)",
        "# GENERATED by `python geodata/build_packs.py`: edit that script, not this file.",
        "# Geometry is schematic and figures are illustrative; targets quote the plan verbatim.",
    ]
    return render_manifest(manifest, header)


# =================================================================================================
# Putting a pack together
# =================================================================================================

BUILD_KEYS = ("source", "features")


def build_pack(pack: dict[str, Any], out_root: Path) -> None:
    """Write one pack folder: layers, tables, then the manifest that describes them."""
    geo = Geo(pack)
    out = out_root / pack["id"]
    frames = {"communes": commune_frame(geo), "district": district_frame(geo)}
    layers = []
    for layer in pack["layers"]:
        if "features" in layer:
            file = f"layers/{layer['id']}.geojson"
            write_geojson(feature_frame(geo, layer), out / file)
        else:
            file = f"layers/{layer['source']}.geojson"
        entry = {k: v for k, v in layer.items() if k not in BUILD_KEYS}
        layers.append({"id": entry.pop("id"), "kind": entry.pop("kind"), "file": file, **entry})
    for name, frame in frames.items():
        write_geojson(frame, out / f"layers/{name}.geojson")
    communes = frames["communes"].drop(columns="geometry").to_dict("records")
    for table in pack["tables"]:
        write_csv(TABLE_ROWS[table["id"]](communes), out / table["file"])

    center = geo.district_lonlat.centroid
    meta = dict(pack["pack"])
    meta["default_view"] = {
        "center": [round(center.y, 4), round(center.x, 4)],
        "zoom": pack["zoom"],
    }
    manifest = {
        "format_version": 1,
        "pack": meta,
        "honesty": pack["honesty"],
        "groups": [{"id": g, "title": GROUP_TITLES[g]} for g in pack["groups"]],
        "layers": layers,
        "tables": pack["tables"],
        "targets": pack["targets"],
    }
    text = render_toml(manifest, pack["id"])
    assert tomllib.loads(text) == json.loads(json.dumps(manifest)), "TOML writer lost data"
    (out / "pack.toml").write_bytes(text.encode("utf-8"))
    if pack["id"] in VIEWS:
        (out / "views.toml").write_bytes(VIEWS[pack["id"]].encode("utf-8"))


# Default map views shipped with each pack (views.toml; see geodata/README.md "Default views"):
# the sequence a presenter steps through on the Present page.
VIEWS: dict[str, str] = {
    "cang_long": """\
# Default views of the Càng Long pack (Present page / Trình chiếu). Generated by build_packs.py.

[[views]]
title = { vi = "Giao thông 2021–2025", en = "Transport 2021–2025" }
caption.vi = "Nâng cấp QL53, QL60 và các tuyến kết nối (sơ đồ)"
caption.en = "QL53 and QL60 upgrades and the link roads (schematic)"
layers = ["communes", "district", "roads"]
year = 2025

[[views]]
title = { vi = "Khu, cụm công nghiệp và đô thị", en = "Industrial zones and towns" }
caption.vi = "KCN Cổ Chiên, CCN Bình Phú, Tân Bình; đô thị mục tiêu loại IV, V (tiêu chí 2016)"
caption.en = "Cổ Chiên IZ, Bình Phú, Tân Bình clusters; towns targeted IV, V (2016 criteria)"
layers = ["communes", "district", "urban", "industry", "roads"]
year = 2025

[[views]]
title = { vi = "Internet đến ấp, khóm 2025", en = "Internet in hamlets 2025" }
caption.vi = "Tỷ lệ ấp, khóm có Internet theo xã (số liệu minh hoạ)"
caption.en = "Share of hamlets with Internet by commune (illustrative figures)"
layers = ["communes", "internet_hamlets", "district"]
year = 2025
""",
    "chi_lang": """\
# Default views of the Chi Lăng pack (Present page / Trình chiếu). Generated by build_packs.py.

[[views]]
title = { vi = "Giao thông qua huyện", en = "Transport through the district" }
caption.vi = "QL1A, cao tốc, đường sắt Hà Nội – Đồng Đăng (sơ đồ; văn bản không nêu tên các tuyến)"
caption.en = "QL1A, the expressway, the Hà Nội – Đồng Đăng railway (schematic; not in the plan)"
layers = ["communes", "district", "roads", "railway", "urban"]
year = 2025

[[views]]
title = { vi = "Môi trường 2025 (mục tiêu 2030)", en = "Environment 2025 (2030 targets)" }
caption.vi = "Nước sạch theo xã năm 2025, mục tiêu 100% đến 2030; bãi rác, nước thải KCN (minh hoạ)"
caption.en = "Clean water by commune 2025 (100% by 2030); landfills, wastewater (illustrative)"
layers = ["communes", "clean_water", "district", "environment_works"]
year = 2025
""",
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE,
        help="folder that receives one sub-folder per pack (default: geodata/)",
    )
    parser.add_argument(
        "--pack",
        action="append",
        choices=[p["id"] for p in PACKS],
        help="build only this pack (repeatable)",
    )
    args = parser.parse_args(argv)
    for pack in PACKS:
        if args.pack and pack["id"] not in args.pack:
            continue
        build_pack(pack, args.out)
        print(f"wrote {args.out / pack['id']}")


if __name__ == "__main__":
    main()
