"""User-facing strings of the app, in Vietnamese (default) and English.

Every text a page or the sidebar shows comes from `STRINGS` through `t()`, so nothing is
translated ad hoc in a page. Texts that come with a data pack (names, titles, notes) are
bilingual in the pack itself (`atlas.spec.Text`) and are not repeated here.

Placeholders use `str.format` syntax (`{n}`) and must be the same in both languages
(tests/test_i18n.py checks it).
"""

from __future__ import annotations

LANGS: tuple[str, ...] = ("vi", "en")
DEFAULT_LANG = "vi"

# Each language is named in itself, whatever the UI language is.
LANGUAGE_NAMES: dict[str, str] = {"vi": "Tiếng Việt", "en": "English"}

STRINGS: dict[str, dict[str, str]] = {
    # --- app shell and navigation ---------------------------------------------------------
    "app.title": {"vi": "Atlas Hạ tầng", "en": "District Infrastructure Atlas"},
    "app.tagline": {
        "vi": "Quy hoạch hạ tầng cấp huyện trên bản đồ",
        "en": "District infrastructure plans on a map",
    },
    "nav.packs": {"vi": "Gói dữ liệu", "en": "Data packs"},
    "nav.map": {"vi": "Bản đồ", "en": "Map"},
    # --- map page -------------------------------------------------------------------------
    "map.layers": {"vi": "Lớp bản đồ", "en": "Map layers"},
    "map.year": {"vi": "Năm số liệu", "en": "Data year"},
    "map.year_help": {
        "vi": "Năm của các bảng số liệu theo xã (lớp tô màu theo xã).",
        "en": "Year of the per-commune tables (the commune choropleth layers).",
    },
    "map.scheme": {"vi": "Cách chia lớp màu", "en": "Class scheme"},
    "map.scheme.manifest": {"vi": "Theo gói dữ liệu", "en": "As in the data pack"},
    "map.scheme.quantiles": {"vi": "Phân vị (số xã đều nhau)", "en": "Quantiles"},
    "map.scheme.natural_breaks": {"vi": "Ngắt tự nhiên (Jenks)", "en": "Natural breaks (Jenks)"},
    "map.scheme.equal_interval": {"vi": "Khoảng đều", "en": "Equal interval"},
    "map.scheme.thresholds": {"vi": "Ngưỡng của kế hoạch", "en": "The plan's thresholds"},
    "map.classes": {"vi": "Số lớp", "en": "Number of classes"},
    "map.opacity": {"vi": "Độ đậm của lớp", "en": "Layer opacity"},
    "map.search": {"vi": "Tìm xã, tuyến đường, dự án…", "en": "Find a commune, road, project…"},
    "map.search_placeholder": {
        "vi": "Ví dụ: Tân An, Quốc lộ 53, cụm công nghiệp",
        "en": "e.g. Tan An, Quoc lo 53, cum cong nghiep",
    },
    "map.search_results": {"vi": "Kết quả ({n})", "en": "Results ({n})"},
    "map.search_none": {
        "vi": "Không tìm thấy “{q}”.",
        "en": "Nothing found for “{q}”.",
    },
    "map.basemap": {"vi": "Bản đồ nền", "en": "Basemap"},
    "map.tile_url": {"vi": "Máy chủ nền nội bộ (URL XYZ)", "en": "Intranet tile server (XYZ URL)"},
    "map.tile_url_help": {
        "vi": "Mẫu URL dạng {z}/{x}/{y}; lớp này xuất hiện trong nút chọn nền của bản đồ.",
        "en": "A {z}/{x}/{y} URL template; it appears in the map's basemap button.",
    },
    "map.basemap_hint": {
        "vi": "Mặc định không dùng bản đồ nền nên bản đồ chạy được khi không có Internet. "
        "Chọn OpenStreetMap, nền sáng hoặc ảnh vệ tinh ở nút lớp (góc trên bên phải) khi có mạng.",
        "en": "No basemap by default, so the map works without internet. Pick OpenStreetMap, "
        "a light basemap or satellite imagery from the layer button (top right) when online.",
    },
    # --- sidebar --------------------------------------------------------------------------
    "sidebar.language": {"vi": "Ngôn ngữ · Language", "en": "Language · Ngôn ngữ"},
    "sidebar.pack": {"vi": "Huyện (gói dữ liệu)", "en": "District (data pack)"},
    "sidebar.no_packs": {
        "vi": "Chưa có gói dữ liệu nào.",
        "en": "No data packs found.",
    },
    "sidebar.pack_not_found": {
        "vi": "Không có gói “{pack}” (ATLAS_PACK); đang mở gói đầu tiên.",
        "en": "There is no pack “{pack}” (ATLAS_PACK); showing the first pack.",
    },
    # --- packs page -----------------------------------------------------------------------
    "packs.title": {"vi": "Gói dữ liệu", "en": "Data packs"},
    "packs.intro": {
        "vi": "Mỗi gói dữ liệu là một thư mục mô tả quy hoạch hạ tầng của một huyện: "
        "thông tin chung, các lớp bản đồ, bảng số liệu và chỉ tiêu của kế hoạch.",
        "en": "Each data pack is a folder describing one district's infrastructure plan: "
        "general information, map layers, data tables and the plan's targets.",
    },
    "packs.found": {"vi": "Các gói đã tìm thấy ({n})", "en": "Packs found ({n})"},
    "packs.none": {
        "vi": "Không tìm thấy gói dữ liệu nào. Thư mục được tìm: {roots}.",
        "en": "No data packs were found. Folders searched: {roots}.",
    },
    "packs.pick_hint": {
        "vi": "Chọn huyện ở thanh bên để xem chi tiết gói.",
        "en": "Pick a district in the sidebar to see its pack.",
    },
    "packs.origin.shipped": {"vi": "Kèm ứng dụng", "en": "Shipped"},
    "packs.origin.user": {"vi": "Người dùng", "en": "User"},
    "packs.loading": {"vi": "Đang đọc gói dữ liệu…", "en": "Loading the data pack…"},
    "packs.errors": {
        "vi": "Không mở được gói “{pack}”: có {n} lỗi. Sửa các lỗi dưới đây rồi tải lại trang.",
        "en": "The pack “{pack}” cannot be opened: it has {n} error(s). "
        "Fix the problems below, then reload the page.",
    },
    "packs.warnings": {
        "vi": "Cảnh báo khi đọc gói ({n})",
        "en": "Warnings while loading the pack ({n})",
    },
    "packs.warnings_hint": {
        "vi": "Các vấn đề này đã được tự động xử lý; gói vẫn dùng được.",
        "en": "These were repaired automatically; the pack can be used.",
    },
    "packs.details": {"vi": "Thông tin chung", "en": "General information"},
    "packs.layers": {"vi": "Lớp bản đồ ({n})", "en": "Map layers ({n})"},
    "packs.tables": {"vi": "Bảng số liệu ({n})", "en": "Data tables ({n})"},
    "packs.targets": {"vi": "Chỉ tiêu của kế hoạch ({n})", "en": "Plan targets ({n})"},
    "packs.targets_hint": {
        "vi": "Chỉ tiêu được trích nguyên văn từ văn bản kế hoạch.",
        "en": "Targets are quoted verbatim from the plan document (in Vietnamese).",
    },
    "packs.empty": {"vi": "Không có.", "en": "None."},
    "packs.reorg_pre2025": {
        "vi": "Gói này dùng địa giới xã, thị trấn trước ngày 1/7/2025. Từ 1/7/2025 không còn "
        "cấp huyện và nhiều xã đã được sáp nhập.",
        "en": "This pack uses the communes as they were before 1 July 2025. Since then "
        "Vietnam has no district level, and many communes have been merged.",
    },
    # --- pack metadata --------------------------------------------------------------------
    "meta.province": {"vi": "Tỉnh", "en": "Province"},
    "meta.codes": {"vi": "Mã tỉnh / huyện (TCTK)", "en": "Province / district code (GSO)"},
    "meta.plan": {"vi": "Kế hoạch", "en": "Plan"},
    "meta.period": {"vi": "Giai đoạn", "en": "Period"},
    "meta.vision": {"vi": "tầm nhìn đến năm {year}", "en": "vision to {year}"},
    "meta.plan_source": {"vi": "Nguồn kế hoạch", "en": "Plan source"},
    "meta.data_source": {"vi": "Nguồn dữ liệu", "en": "Data source"},
    "meta.geometry": {"vi": "Hình học", "en": "Geometry"},
    "meta.figures": {"vi": "Số liệu", "en": "Figures"},
    "meta.folder": {"vi": "Thư mục", "en": "Folder"},
    # --- honesty --------------------------------------------------------------------------
    "honesty.schematic": {
        "vi": "Bản đồ sơ đồ — không dùng để đo đạc.",
        "en": "Schematic map — not for measurement.",
    },
    "honesty.illustrative": {
        "vi": "Số liệu minh hoạ — không phải thống kê chính thức.",
        "en": "Illustrative figures — not official statistics.",
    },
    "honesty.geometry.surveyed": {"vi": "đo đạc", "en": "surveyed"},
    "honesty.geometry.digitised": {"vi": "số hoá từ bản đồ", "en": "digitised"},
    "honesty.geometry.schematic": {"vi": "sơ đồ", "en": "schematic"},
    "honesty.figures.official": {"vi": "chính thức", "en": "official"},
    "honesty.figures.estimated": {"vi": "ước tính", "en": "estimated"},
    "honesty.figures.illustrative": {"vi": "minh hoạ", "en": "illustrative"},
    # --- layer kinds ----------------------------------------------------------------------
    "kind.boundary": {"vi": "Ranh giới", "en": "Boundary"},
    "kind.line": {"vi": "Tuyến", "en": "Line"},
    "kind.polygon": {"vi": "Vùng", "en": "Area"},
    "kind.point": {"vi": "Điểm", "en": "Point"},
    "kind.choropleth": {"vi": "Bản đồ phân tầng màu", "en": "Choropleth"},
    # --- table columns --------------------------------------------------------------------
    "col.pack_id": {"vi": "Mã gói", "en": "Pack id"},
    "col.name": {"vi": "Tên", "en": "Name"},
    "col.origin": {"vi": "Nguồn gói", "en": "Origin"},
    "col.folder": {"vi": "Thư mục", "en": "Folder"},
    "col.group": {"vi": "Nhóm", "en": "Group"},
    "col.layer": {"vi": "Lớp", "en": "Layer"},
    "col.kind": {"vi": "Loại", "en": "Kind"},
    "col.features": {"vi": "Số đối tượng", "en": "Features"},
    "col.visible": {"vi": "Hiện khi mở", "en": "Shown at start"},
    "col.table": {"vi": "Bảng", "en": "Table"},
    "col.file": {"vi": "Tệp", "en": "File"},
    "col.rows": {"vi": "Số dòng", "en": "Rows"},
    "col.years": {"vi": "Năm", "en": "Years"},
    "col.columns": {"vi": "Số cột", "en": "Columns"},
    "col.target": {"vi": "Chỉ tiêu", "en": "Target"},
    "col.value": {"vi": "Mức", "en": "Value"},
    "col.year": {"vi": "Năm", "en": "Year"},
    "col.quote": {"vi": "Trích văn bản", "en": "Quoted from the plan"},
    "col.level": {"vi": "Mức độ", "en": "Level"},
    "col.where": {"vi": "Vị trí", "en": "Where"},
    "col.field": {"vi": "Trường", "en": "Field"},
    "col.message": {"vi": "Nội dung", "en": "Message"},
    "level.error": {"vi": "Lỗi", "en": "Error"},
    "level.warning": {"vi": "Cảnh báo", "en": "Warning"},
}


def t(key: str, lang: str, **kwargs: object) -> str:
    """The message `key` in `lang` (Vietnamese for an unknown language), formatted with kwargs.

    An unknown key raises KeyError: a typo must show up in the tests, not as a blank label.
    """
    entry = STRINGS[key]
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**kwargs) if kwargs else text
