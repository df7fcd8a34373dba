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
        "vi": "Quy hoạch hạ tầng của huyện, tỉnh, cả nước trên bản đồ",
        "en": "Infrastructure plans of districts, provinces and the nation on a map",
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
    "db.created": {
        "vi": "Đã tạo cơ sở dữ liệu mới tại {where} (chưa có tệp nào ở đó).",
        "en": "A new database was created at {where} (there was no file there).",
    },
    "attr.title": {"vi": "Bảng thuộc tính", "en": "Attribute table"},
    "attr.layer": {"vi": "Lớp", "en": "Layer"},
    "attr.none": {
        "vi": "Bật một lớp trong bảng lớp để xem bảng thuộc tính của lớp đó.",
        "en": "Turn a layer on in the layer panel to see its attribute table.",
    },
    "attr.hint": {
        "vi": "{n} đối tượng. Chọn một dòng (ô đầu dòng) để phóng tới đối tượng đó trên bản đồ.",
        "en": "{n} features. Select a row (its first cell) to zoom the map to that feature.",
    },
    "attr.download": {"vi": "Tải bảng (CSV để đọc)", "en": "Download (CSV to read)"},
    "attr.download_help": {
        "vi": "Tiêu đề tiếng Việt, Có/Không, dấu phẩy thập phân, các ô cách nhau bởi dấu chấm "
        "phẩy: Excel đặt vùng Việt Nam mở thành cột.",
        "en": "English headers, Yes/No, decimal points, comma-separated.",
    },
    "attr.download_machine": {"vi": "CSV cho phần mềm", "en": "CSV for software"},
    "attr.download_machine_help": {
        "vi": "Tên trường gốc, true/false, dấu chấm thập phân, dấu phẩy giữa các ô: để nhập vào "
        "QGIS, R, Python hay phần mềm khác.",
        "en": "The original field names, true/false, decimal points, comma-separated: for QGIS, "
        "R, Python or other software.",
    },
    "map.labels": {"vi": "Tên trên bản đồ", "en": "Names on the map"},
    "map.labels_help": {
        "vi": "Tên xã, số hiệu tuyến đường, tên đô thị và khu, cụm công nghiệp. Tên không đủ "
        "chỗ ở mức thu phóng này được ẩn và hiện ra khi phóng to. Bản in theo lựa chọn này.",
        "en": "Commune names, road numbers, town and industrial zone names. A name with no room "
        "at this zoom is hidden and shows when you zoom in. The print sheet follows this choice.",
    },
    "map.play": {"vi": "Chạy qua các năm", "en": "Play the years"},
    "map.pause": {"vi": "Dừng", "en": "Pause"},
    "map.play_help": {
        "vi": "Bản đồ chuyển lần lượt từng năm số liệu, {seconds} giây mỗi năm, và dừng ở năm "
        "cuối.",
        "en": "The map steps through the data years, {seconds} seconds each, and stops at the "
        "last one.",
    },
    "map.search": {"vi": "Tìm xã, tuyến đường, dự án…", "en": "Find a commune, road, project…"},
    "map.search_placeholder": {
        "vi": "Tìm xã, tuyến đường, dự án… (ví dụ: {examples})",
        "en": "Find a commune, road, project… (e.g. {examples})",
    },
    "map.search_results": {"vi": "Kết quả ({n})", "en": "Results ({n})"},
    "map.search_none": {
        "vi": "Không tìm thấy “{q}”.",
        "en": "Nothing found for “{q}”.",
    },
    "map.basemap": {"vi": "Bản đồ nền", "en": "Basemap"},
    "map.tile_server_set": {
        "vi": "Nền nội bộ (“Máy chủ nội bộ” trong nút chọn nền) là máy chủ do quản trị đặt.",
        "en": "The intranet basemap (“Intranet server” in the basemap button) is the server "
        "the administrator set.",
    },
    "map.tile_server_unset": {
        "vi": "Chưa có máy chủ nền nội bộ: quản trị đặt biến ATLAS_TILE_URL khi chạy ứng dụng. "
        "Ứng dụng không tải nền từ địa chỉ người dùng nhập hay từ liên kết.",
        "en": "No intranet tile server: the administrator sets ATLAS_TILE_URL when starting "
        "the app. The app never loads tiles from an address typed by a user or in a link.",
    },
    "map.basemap_hint": {
        "vi": "Mặc định không dùng bản đồ nền nên bản đồ chạy được khi không có Internet. "
        "Chọn OpenStreetMap, nền sáng hoặc ảnh vệ tinh ở nút lớp (góc trên bên phải) khi có mạng.",
        "en": "No basemap by default, so the map works without internet. Pick OpenStreetMap, "
        "a light basemap or satellite imagery from the layer button (top right) when online.",
    },
    "map.scenario": {"vi": "Kịch bản", "en": "Scenario"},
    "map.scenario.none": {"vi": "Số liệu như trong gói", "en": "Pack tables as shipped"},
    "map.scenario_help": {
        "vi": "Chọn một kịch bản để thêm lớp mức đạt một chỉ tiêu của từng xã theo kịch bản đó.",
        "en": "Pick a scenario to add a layer of each commune's value of a target under it.",
    },
    "map.scenario_target": {"vi": "Chỉ tiêu hiển thị", "en": "Target shown"},
    "map.scenario_replaces": {
        "vi": "Trên bản đồ, lớp này thay cho {layers} (số liệu trong gói).",
        "en": "On the map this layer replaces {layers} (pack tables as shipped).",
    },
    # --- targets page ---------------------------------------------------------------------
    "targets.nav": {"vi": "Chỉ tiêu kế hoạch", "en": "Plan targets"},
    "targets.title": {"vi": "Chỉ tiêu kế hoạch", "en": "Plan targets"},
    "targets.intro": {
        "vi": "Mọi chỉ tiêu của kế hoạch: tiến độ từng năm, các xã còn chưa đạt, và bảng "
        "tải về dạng CSV hoặc Excel.",
        "en": "Every target of the plan: progress year by year, the communes still short of "
        "it, and tables to download as CSV or Excel.",
    },
    "targets.none": {
        "vi": "Gói dữ liệu này không có chỉ tiêu kế hoạch nào.",
        "en": "This data pack has no plan targets.",
    },
    "targets.source": {"vi": "Số liệu", "en": "Figures"},
    "targets.source.measured": {
        "vi": "Số liệu hiện trạng của gói",
        "en": "The pack's recorded figures",
    },
    "targets.source_help": {
        "vi": "Số liệu hiện trạng theo năm của gói dữ liệu, hoặc một kịch bản (xem trang Kịch "
        "bản).",
        "en": "The pack's recorded figures for a year, or a scenario (see the Scenarios page).",
    },
    "targets.year": {"vi": "Năm", "en": "Year"},
    "targets.year_help": {
        "vi": "Năm của số liệu hiện trạng; một kịch bản có năm riêng của nó.",
        "en": "Year of the recorded figures; a scenario has its own year.",
    },
    "targets.scenario_error": {
        "vi": "Không tính được kịch bản “{name}”: {error}",
        "en": "The scenario “{name}” cannot be computed: {error}",
    },
    "targets.quote": {
        "vi": "Trích nguyên văn kế hoạch",
        "en": "Quoted verbatim from the plan (in Vietnamese)",
    },
    "targets.summary": {
        "vi": "Tóm tắt, không phải nguyên văn (chưa tìm được văn bản gốc) · Nguồn: {source}",
        "en": "A summary, not the document's own words (its text was not found) · Source: {source}",
    },
    "targets.summary_mark": {"vi": "(tóm tắt)", "en": "(summary)"},
    "targets.goal": {
        "vi": "Mục tiêu: {value} vào năm {year}",
        "en": "Target: {value} by {year}",
    },
    "targets.district": {"vi": "{scope}, {year}", "en": "{scope}, {year}"},
    "scope.district": {"vi": "Toàn huyện", "en": "Whole district"},
    "scope.province": {"vi": "Toàn tỉnh", "en": "Whole province"},
    "scope.area": {"vi": "Toàn địa bàn", "en": "Whole area"},
    "targets.met": {"vi": "Đạt", "en": "Met"},
    "targets.not_met": {"vi": "Chưa đạt", "en": "Not met"},
    "targets.short_by": {"vi": "chưa đạt mục tiêu", "en": "short of the target"},
    "targets.no_data": {"vi": "Không có số liệu", "en": "No data"},
    "targets.progress": {"vi": "Tiến độ theo năm", "en": "Progress by year"},
    "targets.series.measured": {"vi": "Hiện trạng", "en": "Recorded"},
    "targets.series.target": {"vi": "Mục tiêu", "en": "Target"},
    "targets.short": {
        "vi": "Xã chưa đạt, {year} ({n})",
        "en": "Communes short of the target, {year} ({n})",
    },
    "targets.short_none": {
        "vi": "Mọi xã có số liệu đều đạt chỉ tiêu.",
        "en": "Every commune with data meets the target.",
    },
    "targets.short_sum": {
        "vi": "Chỉ tiêu tính trên tổng của huyện: không xét từng xã.",
        "en": "A district total: no per-commune share to check.",
    },
    "targets.missing": {
        "vi": "Không có số liệu ({n} xã): {names}",
        "en": "No data ({n} communes): {names}",
    },
    "targets.downloads": {"vi": "Tải về", "en": "Download"},
    "targets.download_csv": {"vi": "Xã chưa đạt (CSV)", "en": "Communes short (CSV)"},
    "targets.download_xlsx": {"vi": "Tổng hợp (Excel)", "en": "Summary (Excel)"},
    "targets.download_csv_help": {
        "vi": "Các xã chưa đạt từng chỉ tiêu, theo số liệu đang chọn.",
        "en": "The communes short of each target, for the figures chosen.",
    },
    "targets.download_xlsx_help": {
        "vi": "Hai trang tính: mọi chỉ tiêu theo từng năm số liệu (và kịch bản đang chọn), "
        "và các xã chưa đạt.",
        "en": "Two sheets: every target for each data year (and the scenario chosen), and the "
        "communes short.",
    },
    "targets.sheet.summary": {"vi": "Tổng hợp", "en": "Summary"},
    "targets.sheet.short": {"vi": "Xã chưa đạt", "en": "Communes short"},
    "targets.col.target_id": {"vi": "Mã chỉ tiêu", "en": "Target id"},
    "targets.col.target": {"vi": "Chỉ tiêu", "en": "Target"},
    "targets.col.source": {"vi": "Nguồn số liệu", "en": "Figures"},
    "targets.col.year": {"vi": "Năm", "en": "Year"},
    "targets.col.value": {"vi": "Giá trị", "en": "Value"},
    "targets.col.target_value": {"vi": "Mục tiêu", "en": "Target value"},
    "targets.col.unit": {"vi": "Đơn vị", "en": "Unit"},
    "targets.col.target_year": {"vi": "Năm mục tiêu", "en": "Target year"},
    "targets.col.gap": {"vi": "Còn thiếu", "en": "Gap"},
    "targets.col.met": {"vi": "Đạt", "en": "Met"},
    "targets.col.n_short": {"vi": "Số xã chưa đạt", "en": "Communes short"},
    "targets.col.n_missing": {"vi": "Số xã không có số liệu", "en": "Communes without data"},
    "targets.col.n_communes": {"vi": "Số xã", "en": "Communes"},
    "targets.col.code": {"vi": "Mã xã", "en": "Commune code"},
    "targets.col.commune": {"vi": "Xã", "en": "Commune"},
    "targets.col.column": {"vi": "Cột", "en": "Column"},
    "targets.col.field": {"vi": "Số liệu", "en": "Field"},
    "targets.col.value_a": {"vi": "A", "en": "A"},
    "targets.col.value_b": {"vi": "B", "en": "B"},
    "targets.col.delta": {"vi": "Chênh lệch B − A", "en": "Difference B − A"},
    "targets.col.met_a": {"vi": "Đạt (A)", "en": "Met (A)"},
    "targets.col.met_b": {"vi": "Đạt (B)", "en": "Met (B)"},
    # --- compare page ---------------------------------------------------------------------
    "compare.nav": {"vi": "So sánh kịch bản", "en": "Compare scenarios"},
    "compare.title": {"vi": "So sánh kịch bản", "en": "Compare scenarios"},
    "compare.intro": {
        "vi": "Hai kịch bản trên hai bản đồ đồng bộ, các xã có số liệu khác nhau và chênh "
        "lệch của từng chỉ tiêu.",
        "en": "Two scenarios on synchronised maps, the communes whose figures differ, and the "
        "difference in every target.",
    },
    "compare.none": {
        "vi": "Gói dữ liệu này không có chỉ tiêu kế hoạch nên không có kịch bản để so sánh.",
        "en": "This data pack has no plan targets, so there are no scenarios to compare.",
    },
    "compare.a": {"vi": "Kịch bản A", "en": "Scenario A"},
    "compare.b": {"vi": "Kịch bản B", "en": "Scenario B"},
    "compare.target": {"vi": "Chỉ tiêu trên bản đồ", "en": "Target on the maps"},
    "compare.same": {
        "vi": "A và B là cùng một kịch bản: hãy chọn hai kịch bản khác nhau.",
        "en": "A and B are the same scenario: pick two different ones.",
    },
    "compare.error": {
        "vi": "Không tính được kịch bản “{name}”: {error}",
        "en": "The scenario “{name}” cannot be computed: {error}",
    },
    "compare.map_label": {"vi": "{side} · {name}", "en": "{side} · {name}"},
    "compare.sync_hint": {
        "vi": "Hai bản đồ đồng bộ: kéo hoặc phóng to một bản đồ thì bản đồ kia đi theo.",
        "en": "The maps are synchronised: pan or zoom one and the other follows.",
    },
    "compare.kpis": {"vi": "Chỉ tiêu: B so với A", "en": "Targets: B against A"},
    "compare.vs_a": {"vi": "so với A ({value})", "en": "vs A ({value})"},
    "compare.kpi_help": {
        "vi": "{scope} theo B; mũi tên là chênh lệch B − A. Mục tiêu: {goal}.",
        "en": "{scope} under B; the arrow is the difference B − A. Target: {goal}.",
    },
    "compare.diffs": {
        "vi": "Các xã có số liệu khác nhau ({n} ô, {m} xã)",
        "en": "Communes whose figures differ ({n} cells, {m} communes)",
    },
    "compare.no_diffs": {
        "vi": "Hai kịch bản có cùng số liệu ở mọi xã.",
        "en": "The two scenarios have the same figures in every commune.",
    },
    "compare.download_csv": {
        "vi": "Tải bảng các xã khác nhau (CSV)",
        "en": "Download the communes that differ (CSV)",
    },
    # --- sidebar --------------------------------------------------------------------------
    "sidebar.language": {"vi": "Ngôn ngữ · Language", "en": "Language · Ngôn ngữ"},
    "sidebar.pack": {"vi": "Địa bàn (gói dữ liệu)", "en": "Area (data pack)"},
    "sidebar.no_packs": {
        "vi": "Chưa có gói dữ liệu nào.",
        "en": "No data packs found.",
    },
    "sidebar.pack_not_found": {
        "vi": "Không có gói “{pack}” (ATLAS_PACK); đang mở gói đầu tiên.",
        "en": "There is no pack “{pack}” (ATLAS_PACK); showing the first pack.",
    },
    # --- scenarios page -------------------------------------------------------------------
    "nav.scenarios": {"vi": "Kịch bản phủ sóng", "en": "Coverage scenarios"},
    "scen.title": {"vi": "Kịch bản phủ sóng", "en": "Coverage scenarios"},
    "scen.no_targets": {
        "vi": "Gói dữ liệu này không có chỉ tiêu kế hoạch nên không có kịch bản.",
        "en": "This data pack has no plan targets, so it has no scenarios.",
    },
    "scen.db_error": {
        "vi": "Không ghi được vào cơ sở dữ liệu ({error}). Không có gì bị mất: bản nháp của bạn "
        "vẫn được giữ; hãy thử lại sau giây lát hoặc tải bản nháp về dạng CSV.",
        "en": "Could not write to the database ({error}). Nothing is lost: your draft is "
        "kept; try again in a moment or download it as CSV.",
    },
    "scen.deleted_tag": {"vi": "đã bị xoá", "en": "deleted"},
    "scen.gone": {
        "vi": "Kịch bản “{name}” đã bị xoá bởi {who} lúc {at}.",
        "en": "Scenario “{name}” was deleted by {who} at {at}.",
    },
    "scen.deleted_manage": {
        "vi": "Kịch bản này đã bị xoá: hãy lưu bản nháp thành kịch bản mới hoặc tải về.",
        "en": "This scenario was deleted: save your draft as a new scenario or download it.",
    },
    "scen.drop_deleted": {"vi": "Bỏ bản nháp…", "en": "Discard my draft…"},
    "scen.drop_deleted_confirm": {
        "vi": "Bỏ các thay đổi chưa lưu của “{name}”? Kịch bản đã bị xoá nên sẽ không còn "
        "trong danh sách.",
        "en": "Discard your unsaved changes to “{name}”? The scenario was deleted, so it will "
        "no longer be listed.",
    },
    "scen.drop_deleted_yes": {"vi": "Bỏ bản nháp", "en": "Discard my draft"},
    "scen.pick": {"vi": "Kịch bản", "en": "Scenario"},
    "scen.builtin_tag": {"vi": "có sẵn, chỉ xem", "en": "built-in, read-only"},
    "scen.target": {"vi": "Chỉ tiêu trên bản đồ", "en": "Target on the map"},
    "scen.builtin_hint": {
        "vi": "“{name}” là kịch bản có sẵn, chỉ để xem. Muốn sửa, hãy sao chép nó thành "
        "kịch bản của bạn ở mục “Tạo kịch bản mới”.",
        "en": "“{name}” is a built-in scenario, for viewing only. To edit it, copy it into "
        "a scenario of your own under “New scenario”.",
    },
    "scen.status_saved": {
        "vi": "Đã lưu · phiên bản {version} · cập nhật {when}",
        "en": "Saved · version {version} · updated {when}",
    },
    "scen.unsaved": {"vi": "{n} thay đổi chưa lưu", "en": "Unsaved changes: {n}"},
    "scen.save": {"vi": "Lưu", "en": "Save"},
    "scen.discard": {"vi": "Bỏ thay đổi", "en": "Discard"},
    "scen.saved": {
        "vi": "Đã lưu “{name}” (phiên bản {version}).",
        "en": "Saved “{name}” (version {version}).",
    },
    "scen.discarded": {"vi": "Đã bỏ các thay đổi chưa lưu.", "en": "Unsaved changes discarded."},
    "scen.stale_keep": {
        "vi": "Thay đổi của bạn vẫn còn ở đây, chưa mất: bạn có thể lưu chúng thành một kịch "
        "bản mới, tải về dạng CSV, hoặc bỏ chúng để xem bản mới nhất.",
        "en": "Your changes are still here, nothing is lost: save them as a new scenario, "
        "download them as CSV, or discard them to see the latest version.",
    },
    "scen.save_as_new": {"vi": "Lưu thành kịch bản mới", "en": "Save as a new scenario"},
    "scen.copy_name": {"vi": "{name} (bản sao)", "en": "{name} (copy)"},
    "scen.saved_as_new": {
        "vi": "Đã lưu thay đổi của bạn thành kịch bản mới “{name}”.",
        "en": "Your changes were saved as a new scenario “{name}”.",
    },
    "scen.reload_latest": {"vi": "Tải bản mới nhất…", "en": "Load the latest version…"},
    "scen.reload_confirm": {
        "vi": "Bỏ các thay đổi chưa lưu của bạn và tải bản mới nhất của “{name}”?",
        "en": "Discard your unsaved changes and load the latest version of “{name}”?",
    },
    "scen.reload_yes": {
        "vi": "Bỏ thay đổi, tải bản mới nhất",
        "en": "Discard mine, load the latest",
    },
    "scen.reloaded": {
        "vi": "Đang xem bản mới nhất của “{name}”.",
        "en": "Showing the latest version of “{name}”.",
    },
    "scen.cancel": {"vi": "Huỷ", "en": "Cancel"},
    "scen.broken": {
        "vi": "Không tính được kịch bản này:",
        "en": "This scenario cannot be computed:",
    },
    "scen.kpi_caption": {
        "vi": "{scope} theo kịch bản (năm {year}); mũi tên là mức thay đổi so với "
        "gốc của kịch bản: {base}.",
        "en": "{scope} under the scenario (year {year}); arrows show the change from "
        "the scenario's base: {base}.",
    },
    "scen.base.measured": {
        "vi": "số liệu hiện trạng năm {year}",
        "en": "the recorded figures of {year}",
    },
    "scen.base.plan": {
        "vi": "kế hoạch năm {year} (mọi chỉ tiêu đạt)",
        "en": "the plan for {year} (every target met)",
    },
    "scen.kpi_target": {"vi": "chỉ tiêu {target} năm {year}", "en": "target {target} by {year}"},
    "scen.kpi_gap": {"vi": "còn thiếu {gap}", "en": "{gap} short"},
    "scen.vs_base": {"vi": "so với gốc", "en": "vs. base"},
    "scen.met": {"vi": "Đạt", "en": "Met"},
    "scen.not_met": {"vi": "Chưa đạt", "en": "Not met"},
    "scen.no_data": {"vi": "không có số liệu", "en": "no data"},
    "scen.yes": {"vi": "có", "en": "yes"},
    "scen.no": {"vi": "không", "en": "no"},
    "scen.map_hint_toggle": {
        "vi": "Bấm vào một xã trên bản đồ để đổi “{field}” (có ↔ không).",
        "en": "Click a commune on the map to switch “{field}” (yes ↔ no).",
    },
    "scen.map_hint_table": {
        "vi": "Chỉ tiêu này sửa trong bảng số liệu bên dưới; bấm vào xã chỉ đổi được các chỉ "
        "tiêu có/không.",
        "en": "This target is edited in the table below; a click on a commune only switches "
        "yes/no targets.",
    },
    "scen.map_hint_large": {
        "vi": "Bản đồ này lớn nên chỉ để xem (vẽ bằng ô vector): sửa số liệu trong bảng bên dưới.",
        "en": "This map is large, so it only shows (drawn from vector tiles): edit the figures "
        "in the table below.",
    },
    "scen.map_hint_readonly": {
        "vi": "Kịch bản có sẵn: bấm vào xã không thay đổi gì.",
        "en": "Built-in scenario: clicking a commune changes nothing.",
    },
    "scen.click_readonly": {
        "vi": "“{name}” là kịch bản có sẵn nên không sửa được; hãy sao chép để sửa.",
        "en": "“{name}” is built in and cannot be edited; copy it to edit.",
    },
    "scen.click_table_only": {
        "vi": "“{target}” không phải chỉ tiêu có/không: hãy sửa số liệu của {commune} trong "
        "bảng bên dưới.",
        "en": "“{target}” is not a yes/no target: edit the figures of {commune} in the table "
        "below.",
    },
    "scen.table": {"vi": "Số liệu theo xã", "en": "Figures by commune"},
    "scen.table_hint": {
        "vi": "Sửa trực tiếp trong bảng (▶ là các cột của chỉ tiêu trên bản đồ). Giá trị sai — "
        "ví dụ số ấp có Internet lớn hơn số ấp, phần trăm ngoài 0–100 — không được áp dụng.",
        "en": "Edit the table directly (▶ marks the columns of the target on the map). Wrong "
        "values — e.g. more hamlets with Internet than hamlets, a percentage outside "
        "0–100 — are not applied.",
    },
    "scen.problems": {
        "vi": "{n} thay đổi không được áp dụng:",
        "en": "Not applied ({n}):",
    },
    "scen.diff": {"vi": "Các ô khác gốc ({n})", "en": "Cells that differ from the base ({n})"},
    "scen.diff_none": {
        "vi": "Kịch bản chưa khác gốc ở ô nào.",
        "en": "The scenario does not differ from its base yet.",
    },
    "scen.col.code": {"vi": "Mã xã", "en": "Code"},
    "scen.col.commune": {"vi": "Xã", "en": "Commune"},
    "scen.col.field": {"vi": "Trường", "en": "Field"},
    "scen.col.base_value": {"vi": "Giá trị gốc", "en": "Base value"},
    "scen.col.value": {"vi": "Giá trị kịch bản", "en": "Scenario value"},
    "scen.col.when": {"vi": "Thời điểm (giờ VN, UTC+7)", "en": "When (Vietnam time, UTC+7)"},
    "scen.col.changed": {"vi": "Đã sửa", "en": "Edited"},
    "scen.col.changed_help": {
        "vi": "Các trường của xã này khác gốc của kịch bản (✎).",
        "en": "The fields of this commune that differ from the scenario's base (✎).",
    },
    "scen.col.before": {"vi": "Trước", "en": "Before"},
    "scen.col.after": {"vi": "Sau", "en": "After"},
    "scen.col.who": {"vi": "Người sửa", "en": "Who"},
    "scen.col.action": {"vi": "Thao tác", "en": "Action"},
    "scen.col.change": {"vi": "Cũ → mới", "en": "Old → new"},
    "scen.new": {"vi": "Tạo kịch bản mới", "en": "New scenario"},
    "scen.new_from": {"vi": "Sao chép từ", "en": "Copy from"},
    "scen.name": {"vi": "Tên", "en": "Name"},
    "scen.description": {"vi": "Mô tả", "en": "Description"},
    "scen.year": {"vi": "Năm", "en": "Year"},
    "scen.year_source": {"vi": "Như kịch bản nguồn", "en": "Same as the source"},
    "scen.year_help": {
        "vi": "Số liệu gốc của kịch bản mới là số liệu hiện trạng (hoặc kế hoạch) của năm này; năm "
        "chưa có số liệu dùng năm gần nhất trước đó. Các ô đã sửa của kịch bản nguồn được giữ.",
        "en": "The new scenario starts from the measured figures (or the plan) of this year; a "
        "year without data uses the latest year before it. The source's edited cells are kept.",
    },
    "scen.create": {"vi": "Tạo", "en": "Create"},
    "scen.created": {"vi": "Đã tạo kịch bản “{name}”.", "en": "Created scenario “{name}”."},
    "scen.manage": {"vi": "Đổi tên, mô tả, xoá", "en": "Rename, describe, delete"},
    "scen.readonly_manage": {
        "vi": "Kịch bản có sẵn không đổi tên hay xoá được.",
        "en": "Built-in scenarios cannot be renamed or deleted.",
    },
    "scen.apply_meta": {
        "vi": "Áp dụng (rồi bấm Lưu)",
        "en": "Apply (then Save)",
    },
    "scen.meta_applied": {
        "vi": "Tên và mô tả mới chưa được lưu: bấm “Lưu”.",
        "en": "The new name and description are not saved yet: press “Save”.",
    },
    "scen.delete": {"vi": "Xoá kịch bản…", "en": "Delete scenario…"},
    "scen.delete_confirm": {
        "vi": "Xoá kịch bản “{name}”? Kịch bản sẽ không còn trong danh sách; lịch sử sửa vẫn "
        "được giữ.",
        "en": "Delete scenario “{name}”? It will no longer be listed; its edit history is kept.",
    },
    "scen.delete_yes": {"vi": "Xoá", "en": "Delete"},
    "scen.deleted": {"vi": "Đã xoá kịch bản “{name}”.", "en": "Deleted scenario “{name}”."},
    "scen.history": {"vi": "Lịch sử sửa", "en": "Edit history"},
    "scen.history_none": {
        "vi": "Chưa có thay đổi nào được lưu.",
        "en": "No change has been saved yet.",
    },
    "scen.history_builtin": {
        "vi": "Kịch bản có sẵn không có lịch sử sửa.",
        "en": "Built-in scenarios have no edit history.",
    },
    "scen.action.create": {"vi": "Tạo", "en": "Created"},
    "scen.action.edit": {"vi": "Sửa", "en": "Edited"},
    "scen.action.import": {"vi": "Nhập CSV", "en": "CSV import"},
    "scen.action.revert": {"vi": "Trả về gốc", "en": "Back to base"},
    "scen.action.meta": {"vi": "Thông tin", "en": "Details"},
    "scen.action.delete": {"vi": "Xoá", "en": "Deleted"},
    "scen.meta.name": {"vi": "Tên", "en": "Name"},
    "scen.meta.description": {"vi": "Mô tả", "en": "Description"},
    "scen.meta.year": {"vi": "Năm", "en": "Year"},
    "scen.meta.base": {"vi": "Gốc", "en": "Base"},
    "scen.csv": {"vi": "Xuất, nhập CSV", "en": "CSV export and import"},
    "scen.csv_hint": {
        "vi": "Tệp tải về là cả bảng số liệu: mỗi xã một dòng (mã xã, tên xã, các chỉ tiêu), kèm "
        "tên kịch bản, gốc và năm. “CSV để đọc” có tiêu đề tiếng Việt, Có/Không, dấu phẩy thập "
        "phân và dấu chấm phẩy giữa các ô (Excel đặt vùng Việt Nam mở thành cột); “CSV cho phần "
        "mềm” có tên trường gốc (code, commune, …), true/false và dấu chấm thập phân. Cả hai "
        "nhập lại được: bảng (hoặc tệp cũ code, column, value) được so với gốc của kịch bản này, "
        "ô nào khác gốc thành ô sửa, nên kịch bản có đúng số liệu của tệp.",
        "en": "The download is the whole table: one line per commune (code, name, the "
        "indicators), with the scenario's name, base and year. “CSV to read” has English "
        "headers, Yes/No and decimal points; “CSV for software” the field names (code, commune, "
        "…), true/false and decimal points. Both import back: the table (or the older code, "
        "column, value file) is compared with this scenario's base, cells that differ become "
        "edits, so the scenario gets exactly the file's figures. Separated by “,” or “;”; "
        "decimals as “87,5” or “87.5”.",
    },
    "scen.export": {"vi": "Tải bảng (CSV để đọc)", "en": "Download (CSV to read)"},
    "scen.export_draft": {
        "vi": "Tải bảng (CSV để đọc, cả thay đổi chưa lưu)",
        "en": "Download (CSV to read, with unsaved changes)",
    },
    "scen.export_machine": {"vi": "CSV cho phần mềm", "en": "CSV for software"},
    "scen.import_file": {"vi": "Tệp CSV để nhập", "en": "CSV file to import"},
    "scen.import_mode": {"vi": "Cách nhập", "en": "Import mode"},
    "scen.import_add": {"vi": "Thêm vào các ô đã sửa", "en": "Add to the edited cells"},
    "scen.import_replace": {"vi": "Thay toàn bộ các ô đã sửa", "en": "Replace all edited cells"},
    "scen.import": {"vi": "Nhập", "en": "Import"},
    "scen.import_readonly": {
        "vi": "Không nhập được vào kịch bản có sẵn; hãy sao chép nó trước.",
        "en": "A built-in scenario cannot be imported into; copy it first.",
    },
    "scen.import_need_save": {
        "vi": "Hãy lưu hoặc bỏ các thay đổi chưa lưu trước khi nhập CSV.",
        "en": "Save or discard your unsaved changes before importing a CSV.",
    },
    "scen.imported": {
        "vi": "Đã nhập {n} ô vào “{name}” (phiên bản {version}).",
        "en": "Imported into “{name}” (version {version}); cells changed: {n}.",
    },
    "scen.import_problems": {
        "vi": "Tệp không được nhập ({n} lỗi); kịch bản không thay đổi:",
        "en": "The file was not imported ({n} problems); the scenario is unchanged:",
    },
    "scen.import_changes": {
        "vi": "Các ô thay đổi khi nhập ({n})",
        "en": "Cells changed by the import ({n})",
    },
    "scen.import_source": {
        "vi": "Tệp của kịch bản “{name}” (gốc: {base}, năm {year}). Số liệu được so với gốc "
        "của “{target}”, nên “{target}” giờ có đúng số liệu trong tệp.",
        "en": "The file is from scenario “{name}” (base: {base}, year {year}). Its figures "
        "were compared with the base of “{target}”, which now has exactly the file's figures.",
    },
    "scen.import_ignored": {
        "vi": "Các cột không phải chỉ tiêu đã bị bỏ qua: {columns}.",
        "en": "Columns that are not indicators were ignored: {columns}.",
    },
    "scen.import_not_text": {
        "vi": "Tệp không phải văn bản CSV (UTF-8 hoặc Windows-1258).",
        "en": "The file is not CSV text (UTF-8 or Windows-1258).",
    },
    # --- export panel (map and present pages) ---------------------------------------------
    "export.title": {"vi": "Xuất bản đồ, số liệu", "en": "Export map or data"},
    "export.layer_notes": {"vi": "Ghi chú từng lớp: {notes}", "en": "Layer notes: {notes}"},
    "export.format": {"vi": "Định dạng", "en": "Format"},
    "export.format.html": {
        "vi": "Bản đồ HTML mở không cần mạng",
        "en": "HTML map that opens offline",
    },
    "export.format.pdf": {"vi": "Tờ bản đồ in (PDF)", "en": "Print map sheet (PDF)"},
    "export.format.png": {
        "vi": "Tờ bản đồ in (PNG 300 dpi)",
        "en": "Print map sheet (PNG 300 dpi)",
    },
    "export.format.geojson": {"vi": "Số liệu GeoJSON", "en": "Data as GeoJSON"},
    "export.format.gpkg": {"vi": "Số liệu GeoPackage", "en": "Data as GeoPackage"},
    "export.format.csv": {"vi": "Bảng CSV", "en": "Tables as CSV"},
    "export.format.xlsx": {"vi": "Bảng Excel", "en": "Tables as Excel"},
    "export.paper": {"vi": "Khổ giấy (ngang)", "en": "Paper (landscape)"},
    "export.make": {"vi": "Tạo tệp", "en": "Make the file"},
    "export.working": {"vi": "Đang tạo tệp {fmt}…", "en": "Making the {fmt} file…"},
    "export.rendering": {
        "vi": "Đang vẽ các lớp của góc nhìn…",
        "en": "Drawing the view's layers…",
    },
    "export.done": {"vi": "Đã tạo {name}", "en": "Made {name}"},
    "export.failed": {
        "vi": "Không tạo được tệp: {error}",
        "en": "The file could not be made: {error}",
    },
    "export.download": {"vi": "Tải về {name}", "en": "Download {name}"},
    "export.step.read": {"vi": "Đang lấy số liệu lớp {name}", "en": "Reading layer {name}"},
    "export.step.layer": {"vi": "Đang vẽ lớp {name}", "en": "Drawing layer {name}"},
    "export.step.labels": {"vi": "Đang đặt tên xã", "en": "Placing the commune labels"},
    "export.step.legend": {
        "vi": "Đang vẽ chú giải, thước tỉ lệ, hướng bắc",
        "en": "Drawing the legend, scale bar and north arrow",
    },
    "export.step.inline": {
        "vi": "Đang gói thư viện bản đồ vào tệp",
        "en": "Packing the map library into the file",
    },
    "export.step.write": {"vi": "Đang ghi tệp {fmt}", "en": "Writing the {fmt} file"},
    "export.step.done": {"vi": "Xong", "en": "Done"},
    "export.stale": {
        "vi": "Tệp đã tạo là của góc nhìn khác: hãy tạo lại cho góc nhìn này.",
        "en": "The file made earlier belongs to another view: make it again for this one.",
    },
    # --- data page (import user files, save as a user pack, download packs) ---------------
    "data.nav": {"vi": "Dữ liệu", "en": "Data"},
    "data.title": {"vi": "Dữ liệu", "en": "Data"},
    "data.intro": {
        "vi": "Nhập tệp của cơ quan (GeoJSON, Shapefile nén .zip, GeoPackage, KML/KMZ, MapInfo "
        "TAB/MIF, AutoCAD DXF, MicroStation DGN, ArcGIS File Geodatabase nén, FlatGeobuf, bảng "
        "CSV/XLSX), xem trước trên bản đồ và trong bảng, rồi lưu thành gói dữ liệu. Không có gì "
        "được ghi cho đến khi bạn bấm xác nhận.",
        "en": "Import your office's files (GeoJSON, zipped Shapefile, GeoPackage, KML/KMZ, "
        "MapInfo TAB/MIF, AutoCAD DXF, MicroStation DGN, zipped ArcGIS File Geodatabase, "
        "FlatGeobuf, CSV/XLSX tables), preview them on a map and in a table, then save them as "
        "a data pack. Nothing is written until you confirm.",
    },
    "data.upload": {"vi": "Tệp dữ liệu", "en": "Data file"},
    "data.upload_help": {
        "vi": "Shapefile: nén mọi tệp (.shp, .shx, .dbf, .prj, .cpg) vào một tệp .zip. MapInfo "
        "TAB: nén .tab, .dat, .map, .id (và MIF kèm MID) vào một .zip. File Geodatabase: nén cả "
        "thư mục .gdb.",
        "en": "Shapefile: zip all its files (.shp, .shx, .dbf, .prj, .cpg) into one .zip. "
        "MapInfo TAB: zip the .tab, .dat, .map and .id (or a MIF with its MID) together. File "
        "Geodatabase: zip the whole .gdb folder.",
    },
    "data.limit": {
        "vi": "Tối đa {mb} MB một tệp. Định dạng nhận: {formats}.",
        "en": "At most {mb} MB per file. Accepted: {formats}.",
    },
    "data.too_large": {
        "vi": "Tệp “{name}” quá lớn ({size} MB, tối đa {mb} MB): chưa đọc tệp này.",
        "en": "“{name}” is too large ({size} MB, limit {mb} MB): it was not read.",
    },
    "data.waiting": {
        "vi": "Hãy chọn một tệp để bắt đầu.",
        "en": "Choose a file to begin.",
    },
    "data.restart": {"vi": "Nhập tệp khác", "en": "Import another file"},
    "data.file_pending": {
        "vi": "Tệp **{name}** · định dạng {format}",
        "en": "File **{name}** · format {format}",
    },
    "data.file": {
        "vi": "Tệp **{name}** · định dạng {format} · {n} đối tượng/dòng",
        "en": "File **{name}** · format {format} · {n} features/rows",
    },
    "data.read_failed": {
        "vi": "Không đọc được tệp này; không có gì được ghi. Chi tiết:",
        "en": "This file could not be read; nothing was written. Details:",
    },
    "data.refused": {
        "vi": "Tệp bị từ chối, không có gì được ghi: {error}",
        "en": "The file was refused, nothing was written: {error}",
    },
    "data.layer": {"vi": "Lớp trong tệp", "en": "Layer in the file"},
    "data.crs.heading": {"vi": "Hệ toạ độ", "en": "Coordinate system"},
    "data.crs.needed": {
        "vi": "Tệp không khai báo hệ toạ độ (không có .prj) và toạ độ tính bằng mét. Hãy chọn "
        "hệ toạ độ (VN-2000 theo tỉnh, UTM hay HN-72) và xác nhận; bản đồ xem trước chỉ được vẽ "
        "sau khi xác nhận.",
        "en": "The file declares no coordinate system (no .prj) and its coordinates are metres. "
        "Pick the system (VN-2000 of the province, UTM or HN-72) and confirm; the preview map "
        "is drawn only after that.",
    },
    "data.crs.proposed": {
        "vi": "Múi đề xuất theo vị trí dữ liệu (khả năng cao nhất trước):",
        "en": "Zones proposed from where the data lies (most likely first):",
    },
    "data.crs.no_proposal": {
        "vi": "Không đoán được múi nào: hãy chọn tỉnh của dữ liệu.",
        "en": "No zone could be guessed: pick the data's province.",
    },
    "data.crs.zone": {
        "vi": "Hệ toạ độ (VN-2000 theo tỉnh và kinh tuyến trục, UTM, HN-72)",
        "en": "Coordinate system (VN-2000 by province and central meridian, UTM, HN-72)",
    },
    "data.crs.lands_in": {
        "vi": "{label} → dữ liệu nằm ở {province}",
        "en": "{label} → the data lies in {province}",
    },
    "data.crs.equally_likely": {
        "vi": "{label} (khả năng ngang nhau)",
        "en": "{label} (equally likely)",
    },
    "data.crs.ask_province": {
        "vi": "Dữ liệu hợp với nhiều hệ như nhau: hãy chọn theo tỉnh của dữ liệu, hoặc hỏi nơi "
        "lập tệp.",
        "en": "The data fits several systems equally well: pick the one of the data's province, "
        "or ask whoever made the file.",
    },
    "data.location.lies_in": {
        "vi": "Dữ liệu nằm ở: {where}.",
        "en": "The data lies in: {where}.",
    },
    "data.location.alternatives": {
        "vi": "Với hệ toạ độ khác, dữ liệu sẽ nằm ở:",
        "en": "With another coordinate system the data would lie in:",
    },
    "data.location.confirm": {
        "vi": "Tôi đã kiểm tra: vị trí này đúng, vẫn lưu",
        "en": "I have checked: this location is right, save anyway",
    },
    "data.crs.suggested": {"vi": "{label} — đề xuất", "en": "{label} — proposed"},
    "data.crs.confirm": {"vi": "Xác nhận hệ toạ độ", "en": "Confirm coordinate system"},
    "data.crs.zone_of": {
        "vi": "Múi chiếu của tỉnh {province}.",
        "en": "Zone of {province} province.",
    },
    "data.crs.change": {"vi": "Chọn lại múi chiếu", "en": "Pick another zone"},
    "data.crs.shown": {
        "vi": "Hệ toạ độ của tệp: {crs} — {how}.",
        "en": "Coordinate system of the file: {crs} — {how}.",
    },
    "data.crs.how.file": {"vi": "đọc từ tệp", "en": "read from the file"},
    "data.crs.how.confirmed": {"vi": "do bạn xác nhận", "en": "confirmed by you"},
    "data.crs.how.lonlat": {
        "vi": "tệp không khai báo; toạ độ là kinh độ/vĩ độ nên coi là WGS 84",
        "en": "not declared; the coordinates are longitude/latitude, so WGS 84 is assumed",
    },
    "data.crs.how.other": {"vi": "{how}", "en": "{how}"},
    "data.preview.heading": {"vi": "Xem trước", "en": "Preview"},
    "data.preview.summary": {
        "vi": "{n} đối tượng · hình học: {types}",
        "en": "{n} features · geometry: {types}",
    },
    "data.preview.table_summary": {
        "vi": "Bảng {n} dòng, không có hình học: dữ liệu được ghép với xã theo mã hoặc tên.",
        "en": "A table of {n} rows with no geometry: it is joined to communes by code or name.",
    },
    "data.preview.rows": {
        "vi": "Thuộc tính (hiện nguyên văn, {n} dòng)",
        "en": "Attributes (shown as plain text, {n} rows)",
    },
    "data.repair.heading": {"vi": "Kiểm tra và sửa hình học", "en": "Geometry checks and repairs"},
    "data.repair.summary": {
        "vi": "Đã sửa {repaired} hình học không hợp lệ · bỏ {dropped} đối tượng rỗng · "
        "đánh dấu {duplicates} đối tượng trùng.",
        "en": "{repaired} invalid geometries repaired · {dropped} empty features dropped · "
        "{duplicates} duplicates flagged.",
    },
    "data.repair.none": {
        "vi": "Không có gì phải sửa.",
        "en": "Nothing needed repairing.",
    },
    "data.repair.issues": {
        "vi": "Ghi chú khi đọc tệp ({n})",
        "en": "Notes from reading the file ({n})",
    },
    "data.mapping.heading": {"vi": "Ghép cột và ghép xã", "en": "Columns and commune join"},
    "data.mapping.hint": {
        "vi": "Các ô đã được điền sẵn theo gợi ý tự động; hãy kiểm tra lại.",
        "en": "The boxes are pre-filled with automatic suggestions; please check them.",
    },
    "data.mapping.source": {"vi": "Đối chiếu với", "en": "Match against"},
    "data.mapping.no_gso": {
        "vi": "Không có danh mục xã nào nơi dữ liệu nằm (dữ liệu không nằm trên đất liền Việt Nam, "
        "hoặc bảng không cho biết tỉnh): kiểm tra hệ toạ độ, hoặc chọn một gói ở thanh bên.",
        "en": "No commune list where the data lies (it is not on Vietnam's land, or a table "
        "names no province): check the CRS, or pick a pack in the sidebar.",
    },
    "data.mapping.source.pack": {
        "vi": "các xã của gói “{pack}” (đổi gói ở thanh bên)",
        "en": "the communes of pack “{pack}” (change the pack in the sidebar)",
    },
    "data.mapping.source.gso": {
        "vi": "danh mục xã GSO nơi dữ liệu nằm ({where}), trước hoặc sau 1/7/2025 theo dữ liệu",
        "en": "the GSO list of communes where the data lies ({where}), before or after "
        "1 July 2025 as the data fits",
    },
    "data.mapping.no_join": {
        "vi": "Không ghép với xã (lớp không phải dữ liệu xã: đường, nhà máy, công trình)",
        "en": "No commune join (the layer is not commune data: roads, plants, works)",
    },
    "data.mapping.no_join_hint": {
        "vi": "Không cột nào giống mã hay tên xã của gói: lớp sẽ được nhập mà không ghép xã.",
        "en": "No column looks like the pack's commune codes or names: the layer is imported "
        "with no commune join.",
    },
    "data.join.none": {
        "vi": "Không ghép với xã: lớp được lưu như trong tệp, không có mã xã.",
        "en": "No commune join: the layer is saved as it is, with no commune codes.",
    },
    "data.join.problem": {
        "vi": "Không ghép được tệp này với gói: {error}",
        "en": "This file cannot be joined to the pack: {error}",
    },
    "data.join.status.conflict": {"vi": "Mã trùng, tên khác", "en": "Code, other name"},
    "data.col.reason": {"vi": "Lý do", "en": "Why"},
    "data.mapping.no_reference": {
        "vi": "Không có gói nào có lớp xã để đối chiếu.",
        "en": "No pack with a commune layer to match against.",
    },
    "data.mapping.code": {"vi": "Cột mã xã", "en": "Commune code column"},
    "data.mapping.name": {"vi": "Cột tên xã", "en": "Commune name column"},
    "data.mapping.year": {"vi": "Cột năm", "en": "Year column"},
    "data.mapping.fields": {"vi": "Các cột giữ lại trong gói", "en": "Columns kept in the pack"},
    "data.mapping.none": {"vi": "(không có)", "en": "(none)"},
    "data.join.skipped": {
        "vi": "Chưa chọn cột mã hay tên xã: dữ liệu sẽ được lưu mà không ghép với xã.",
        "en": "No commune code or name column chosen: the data is saved without a commune join.",
    },
    "data.join.failed": {
        "vi": "Không ghép được với xã: {error}",
        "en": "The commune join failed: {error}",
    },
    "data.join.status.code": {"vi": "Khớp mã", "en": "Matched by code"},
    "data.join.status.name": {"vi": "Khớp tên", "en": "Matched by name"},
    "data.join.status.fuzzy": {"vi": "Gần đúng", "en": "Fuzzy match"},
    "data.join.status.unmatched": {"vi": "Không khớp", "en": "Unmatched"},
    "data.join.fuzzy": {
        "vi": "Khớp gần đúng ({n}): chỉ các dòng được đánh dấu mới được ghép.",
        "en": "Fuzzy matches ({n}): only the ticked rows are joined.",
    },
    "data.join.accept_all": {"vi": "Chấp nhận tất cả", "en": "Accept all"},
    "data.join.fuzzy_row": {
        "vi": "Dòng {row}: “{input}” → {name} ({code}), giống {score} %",
        "en": "Row {row}: “{input}” → {name} ({code}), {score} % alike",
    },
    "data.join.unmatched": {
        "vi": "Không khớp ({n}): các dòng này không gắn với xã nào.",
        "en": "Unmatched ({n}): these rows are not tied to any commune.",
    },
    "data.join.drop_unmatched": {
        "vi": "Bỏ các dòng không khớp khi lưu",
        "en": "Leave unmatched rows out when saving",
    },
    "data.col.row": {"vi": "Dòng", "en": "Row"},
    "data.col.input_code": {"vi": "Mã trong tệp", "en": "Code in the file"},
    "data.col.input_name": {"vi": "Tên trong tệp", "en": "Name in the file"},
    "data.col.status": {"vi": "Kết quả", "en": "Result"},
    "data.col.code": {"vi": "Mã xã", "en": "Commune code"},
    "data.col.name": {"vi": "Xã", "en": "Commune"},
    "data.col.score": {"vi": "Độ giống", "en": "Similarity"},
    "data.save.heading": {"vi": "Lưu", "en": "Save"},
    "data.save.all_layers": {
        "vi": "Nhập cả {n} lớp của tệp vào gói mới này",
        "en": "Import all {n} layers of the file into this new pack",
    },
    "data.save.target": {"vi": "Lưu thành", "en": "Save as"},
    "data.save.target.new": {"vi": "Gói dữ liệu mới", "en": "A new data pack"},
    "data.save.target.existing": {
        "vi": "Lớp/bảng của một gói người dùng",
        "en": "A layer/table of a user pack",
    },
    "data.save.no_user_packs": {
        "vi": "Chưa có gói người dùng nào để thêm vào (gói kèm theo ứng dụng không sửa được).",
        "en": "There is no user pack to add to yet (shipped packs cannot be changed).",
    },
    "data.save.pack_id": {"vi": "Mã gói (a-z, 0-9, _)", "en": "Pack id (a-z, 0-9, _)"},
    "data.save.name_vi": {"vi": "Tên gói (tiếng Việt)", "en": "Pack name (Vietnamese)"},
    "data.save.name_en": {"vi": "Tên gói (tiếng Anh)", "en": "Pack name (English)"},
    "data.save.user_pack": {"vi": "Gói người dùng", "en": "User pack"},
    "data.save.layer_id": {"vi": "Mã lớp/bảng (a-z, 0-9, _)", "en": "Layer/table id (a-z, 0-9, _)"},
    "data.save.title_vi": {"vi": "Tiêu đề lớp (tiếng Việt)", "en": "Layer title (Vietnamese)"},
    "data.save.title_en": {"vi": "Tiêu đề lớp (tiếng Anh)", "en": "Layer title (English)"},
    "data.save.where": {
        "vi": "Chưa có gì được ghi. Khi bấm xác nhận, gói được lưu vào `{folder}`.",
        "en": "Nothing has been written yet. On confirm, the pack is saved in `{folder}`.",
    },
    "data.save.confirm": {"vi": "Xác nhận và lưu", "en": "Confirm and save"},
    "data.save.blocked": {
        "vi": "Chưa lưu được: hãy xác nhận hệ toạ độ trước.",
        "en": "Cannot save yet: confirm the coordinate system first.",
    },
    "data.save.done_new": {
        "vi": "Đã tạo gói “{pack}”. Gói đã có trong danh sách huyện ở thanh bên.",
        "en": "Pack “{pack}” created. It is now in the district picker in the sidebar.",
    },
    "data.save.done_added": {
        "vi": "Đã thêm “{item}” vào gói “{pack}”.",
        "en": "“{item}” added to pack “{pack}”.",
    },
    "data.save.failed": {
        "vi": "Không lưu được, dữ liệu đã có không bị đổi: {error}",
        "en": "Not saved, existing data is unchanged: {error}",
    },
    "data.save.report": {
        "vi": "Kiểm tra gói sau khi lưu ({n} ghi chú)",
        "en": "Pack check after saving ({n} notes)",
    },
    "data.download.heading": {"vi": "Tải gói dữ liệu (.zip)", "en": "Download a data pack (.zip)"},
    "data.download.pack": {"vi": "Gói", "en": "Pack"},
    "data.download.button": {"vi": "Tải {name}", "en": "Download {name}"},
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
    "packs.shadowed": {
        "vi": "Gói ở {folder} không được hiện: mã gói “{id}” trùng với một gói đã có ở trên. "
        "Đổi tên thư mục đó (mã gói) rồi tải lại trang.",
        "en": "The pack in {folder} is not listed: its id “{id}” is already used by a pack "
        "above. Rename that folder (the pack id) and reload the page.",
    },
    "packs.origin.shipped": {"vi": "Kèm ứng dụng", "en": "Shipped"},
    "packs.origin.user": {"vi": "Người dùng", "en": "User"},
    "packs.origin.database": {"vi": "Người dùng (cơ sở dữ liệu)", "en": "User (database)"},
    "packs.origin.local": {"vi": "Người dùng (chỉ máy này)", "en": "User (this machine only)"},
    "packs.in_database": {
        "vi": "Gói người dùng được giữ trong cơ sở dữ liệu, chung cho mọi máy chủ của ứng dụng; "
        "thư mục trên máy này là bản sao, được cập nhật mỗi lần trang chạy lại.",
        "en": "User packs are kept in the database, shared by every server of the app; the "
        "folder on this machine is a copy, brought up to date on every rerun.",
    },
    "packs.local_only": {
        "vi": "Gói {ids} chỉ có trên máy này, chưa gửi vào cơ sở dữ liệu: máy khác không thấy. "
        "Quản trị gửi bằng `python -m atlas publish-packs --as <tên>`.",
        "en": "Pack {ids} is on this machine only, never sent to the database: other servers "
        "do not see it. An admin sends it with `python -m atlas publish-packs --as <name>`.",
    },
    "packs.sync_blocked": {
        "vi": "Gói “{id}” trong cơ sở dữ liệu không được chép về máy này: ở đây đã có một gói "
        "riêng cùng mã. Đổi tên thư mục đó (mã gói) để thấy gói chung.",
        "en": "Pack “{id}” in the database is not copied to this machine: a pack of this "
        "machine's own has the same id. Rename that folder (its id) to see the shared one.",
    },
    "newpack.title": {
        "vi": "Tạo gói cho một tỉnh / huyện",
        "en": "Make a pack for a province / district",
    },
    "newpack.intro": {
        "vi": "Gói nền: ranh giới xã sơ đồ (dựng từ tâm và phạm vi xã), ranh giới tỉnh hoặc "
        "huyện và bảng trống để nhập số liệu ở trang Dữ liệu. Lưu vào thư mục dữ liệu người "
        "dùng; xem được theo đơn vị trước và sau 1/7/2025.",
        "en": "A base pack: schematic commune boundaries (from commune reference points and "
        "extents), the province or district outline and empty tables to fill on the Data "
        "page. Saved in the user data folder; viewable on the units before and after "
        "1 July 2025.",
    },
    "newpack.province": {"vi": "Tỉnh, thành phố", "en": "Province or city"},
    "newpack.after": {"vi": "{name} — từ 1/7/2025", "en": "{name} — since 1 July 2025"},
    "newpack.before": {"vi": "{name} — trước 1/7/2025", "en": "{name} — before 1 July 2025"},
    "newpack.district": {
        "vi": "Huyện (trước 1/7/2025, không bắt buộc)",
        "en": "District (before 1 July 2025, optional)",
    },
    "newpack.whole": {"vi": "Cả tỉnh", "en": "The whole province"},
    "newpack.nation": {
        "vi": "Cả nước — 10.035 xã trước 1/7/2025 (3.321 xã mới)",
        "en": "The whole country — 10,035 communes before 1 July 2025 (3,321 new ones)",
    },
    "newpack.create": {"vi": "Tạo gói", "en": "Make the pack"},
    "newpack.done": {
        "vi": "Đã tạo gói “{pack}” ({n} xã) và chọn nó ở thanh bên.",
        "en": "Pack “{pack}” ({n} communes) made and selected in the sidebar.",
    },
    "newpack.failed": {"vi": "Chưa tạo được gói: {reason}", "en": "No pack made: {reason}"},
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
    "units.label": {"vi": "Đơn vị hành chính", "en": "Administrative units"},
    "units.pre2025": {"vi": "Trước 1/7/2025 (xã cũ)", "en": "Before 1 July 2025 (old communes)"},
    "units.post2025": {"vi": "Sau 1/7/2025 (xã mới)", "en": "After 1 July 2025 (new communes)"},
    "units.help": {
        "vi": "Từ 1/7/2025 không còn cấp huyện và các xã được sáp nhập. “Sau 1/7/2025” vẽ các "
        "xã mới phủ địa bàn của gói và quy đổi số liệu của kế hoạch sang các xã đó.",
        "en": "Since 1 July 2025 there are no districts and communes were merged. “After 1 July "
        "2025” draws the new communes over the pack's area and carries the plan's figures over "
        "to them.",
    },
    "units.after_note": {
        "vi": "Đang xem theo đơn vị hành chính sau 1/7/2025: {n} xã mới ({province}) phủ địa "
        "bàn của gói. Bấm vào một xã để xem các đơn vị cũ đã hợp thành xã đó.",
        "en": "Shown on the units after 1 July 2025: {n} new communes ({province}) cover the "
        "pack's area. Click a commune to see the old units it was made from.",
    },
    "units.failed": {
        "vi": "Không chuyển được gói sang đơn vị hành chính này ({error}); đang hiển thị các xã "
        "như trong gói.",
        "en": "Could not show this pack on these units ({error}); showing its own communes.",
    },
    "units.scen_readonly": {
        "vi": "Kịch bản được sửa trên các xã cũ (trước 1/7/2025); ở đây chỉ xem kết quả quy đổi "
        "sang xã mới. Chuyển về “Trước 1/7/2025” để sửa.",
        "en": "Scenarios are edited on the old communes (before 1 July 2025); here you see them "
        "carried over to the new communes. Switch back to “Before 1 July 2025” to edit.",
    },
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
    "honesty.about": {"vi": "Về nguồn dữ liệu của gói", "en": "About the pack's data"},
    "honesty.source": {"vi": "Nguồn: {source}", "en": "Source: {source}"},
    "honesty.geometry.surveyed": {"vi": "đo đạc", "en": "surveyed"},
    "honesty.geometry.digitised": {"vi": "số hoá từ bản đồ", "en": "digitised"},
    "honesty.geometry.schematic": {"vi": "sơ đồ", "en": "schematic"},
    "honesty.figures.official": {"vi": "chính thức", "en": "official"},
    "honesty.figures.estimated": {"vi": "ước tính", "en": "estimated"},
    "honesty.figures.illustrative": {"vi": "minh hoạ", "en": "illustrative"},
    "honesty.layer_source": {
        "vi": "Nguồn của lớp này: {source}",
        "en": "Source of this layer: {source}",
    },
    "packs.layer_sources": {
        "vi": "Lớp có nguồn riêng (không lấy nguyên từ văn bản kế hoạch)",
        "en": "Layers with their own source (not taken as such from the plan text)",
    },
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
    # --- map controls (inside the map: zoom, full screen, measuring, coordinates) ---------
    "mapctl.zoom_in": {"vi": "Phóng to", "en": "Zoom in"},
    "mapctl.zoom_out": {"vi": "Thu nhỏ", "en": "Zoom out"},
    "mapctl.fullscreen": {"vi": "Toàn màn hình", "en": "Full screen"},
    "mapctl.fullscreen_exit": {"vi": "Thoát toàn màn hình", "en": "Exit full screen"},
    "mapctl.mouse": {"vi": "Vĩ độ, kinh độ:", "en": "Lat, lon:"},
    "upload.button": {"vi": "Chọn tệp", "en": "Upload"},
    "upload.drop": {"vi": "hoặc kéo thả tệp vào đây", "en": "or drop a file here"},
    "mapctl.whole": {"vi": "Xem toàn bộ địa bàn", "en": "Show the whole area"},
    "mapctl.north": {"vi": "B", "en": "N"},
    "mapctl.south": {"vi": "N", "en": "S"},
    "mapctl.east": {"vi": "Đ", "en": "E"},
    "mapctl.west": {"vi": "T", "en": "W"},
    "mapctl.measure.measure": {"vi": "Đo", "en": "Measure"},
    "mapctl.measure.measureDistancesAndAreas": {
        "vi": "Đo khoảng cách và diện tích",
        "en": "Measure distances and areas",
    },
    "mapctl.measure.createNewMeasurement": {"vi": "Đo mới", "en": "Create a new measurement"},
    "mapctl.measure.startCreating": {
        "vi": "Bấm lên bản đồ để đặt các điểm đo",
        "en": "Start creating a measurement by adding points to the map",
    },
    "mapctl.measure.finishMeasurement": {"vi": "Kết thúc đo", "en": "Finish measurement"},
    "mapctl.measure.lastPoint": {"vi": "Điểm cuối", "en": "Last point"},
    "mapctl.measure.area": {"vi": "Diện tích", "en": "Area"},
    "mapctl.measure.perimeter": {"vi": "chu vi", "en": "Perimeter"},
    "mapctl.measure.pointLocation": {"vi": "Vị trí điểm", "en": "Point location"},
    "mapctl.measure.areaMeasurement": {"vi": "Đo diện tích", "en": "Area measurement"},
    "mapctl.measure.linearMeasurement": {"vi": "Đo chiều dài", "en": "Linear measurement"},
    "mapctl.measure.pathDistance": {"vi": "Chiều dài đường đo", "en": "Path distance"},
    "mapctl.measure.centerOnArea": {"vi": "Đưa vùng này vào giữa", "en": "Center on this area"},
    "mapctl.measure.centerOnLine": {"vi": "Đưa đường này vào giữa", "en": "Center on this line"},
    "mapctl.measure.centerOnLocation": {
        "vi": "Đưa điểm này vào giữa",
        "en": "Center on this location",
    },
    "mapctl.measure.cancel": {"vi": "Huỷ", "en": "Cancel"},
    "mapctl.measure.delete": {"vi": "Xoá", "en": "Delete"},
    # --- saved views and presentation ---------------------------------------------------
    "views.header": {"vi": "Góc nhìn đã lưu", "en": "Saved views"},
    "views.title": {"vi": "Tiêu đề góc nhìn", "en": "View title"},
    "views.caption": {"vi": "Chú thích", "en": "Caption"},
    "views.save": {"vi": "Lưu góc nhìn", "en": "Save view"},
    "views.saved": {"vi": "Đã lưu góc nhìn “{title}”.", "en": "Saved view “{title}”."},
    "views.title_needed": {
        "vi": "Hãy đặt tiêu đề cho góc nhìn.",
        "en": "Give the view a title.",
    },
    "views.none": {"vi": "Chưa có góc nhìn nào được lưu.", "en": "No saved views yet."},
    "views.apply": {"vi": "Áp dụng", "en": "Apply"},
    "views.up": {"vi": "Lên trên", "en": "Move up"},
    "views.down": {"vi": "Xuống dưới", "en": "Move down"},
    "views.rename": {"vi": "Đổi tên", "en": "Rename"},
    "views.delete": {"vi": "Xoá", "en": "Delete"},
    "views.link": {"vi": "Liên kết tới góc nhìn này", "en": "Link to this view"},
    "views.link_help": {
        "vi": "Ghi vị trí, mức phóng và bản đồ nền hiện tại vào địa chỉ trang để gửi đi.",
        "en": "Puts the map's current position, zoom and basemap in the page address to share.",
    },
    "views.link_ready": {
        "vi": "Sao chép liên kết dưới đây (nút ở góc phải):",
        "en": "Copy the link below (button on the right):",
    },
    "views.reading": {
        "vi": "Đang đọc vị trí hiện tại của bản đồ…",
        "en": "Reading the map's current position…",
    },
    "views.delete_confirm": {
        "vi": "Xoá góc nhìn “{title}”? Không thể hoàn tác.",
        "en": "Delete the view “{title}”? This cannot be undone.",
    },
    "views.delete_yes": {"vi": "Xoá", "en": "Delete"},
    "views.cancel": {"vi": "Huỷ", "en": "Cancel"},
    "views.deleted": {"vi": "Đã xoá góc nhìn “{title}”.", "en": "Deleted the view “{title}”."},
    "views.url_ignored": {
        "vi": "Liên kết có phần không dùng được, đã bỏ qua: {items}",
        "en": "Parts of the link could not be used and were ignored: {items}",
    },
    "present.nav": {"vi": "Trình chiếu", "en": "Present"},
    "present.prev": {"vi": "Trước", "en": "Previous"},
    "present.next": {"vi": "Tiếp", "en": "Next"},
    "present.count": {"vi": "Góc nhìn {n}/{total}", "en": "View {n} of {total}"},
    "present.no_views": {
        "vi": "Gói này chưa có góc nhìn nào: hãy lưu một góc nhìn trên trang Bản đồ.",
        "en": "This pack has no views yet: save one on the Map page.",
    },
    "present.keys": {
        "vi": "Phím ← / → để chuyển góc nhìn (cả khi đang bấm trong bản đồ).",
        "en": "Press ← / → to step through the views (also while the map has the focus).",
    },
    "present.sidebar": {"vi": "Hiện thanh bên", "en": "Show sidebar"},
    "present.sidebar_help": {
        "vi": "Thanh bên (chọn huyện, ngôn ngữ) và thanh công cụ bị ẩn khi trình chiếu.",
        "en": "The sidebar (district, language) and the toolbar are hidden while presenting.",
    },
    "present.overlay_failed": {
        "vi": "Không vẽ được lớp kịch bản của góc nhìn: {error}",
        "en": "The view's scenario layer cannot be drawn: {error}",
    },
    "auth.sign_in": {"vi": "Đăng nhập", "en": "Sign in"},
    "auth.name": {"vi": "Tên tài khoản", "en": "Account name"},
    "auth.password": {"vi": "Mật khẩu", "en": "Password"},
    "auth.go": {"vi": "Đăng nhập", "en": "Sign in"},
    "auth.sso": {"vi": "Đăng nhập bằng tài khoản cơ quan", "en": "Sign in with the office account"},
    "auth.sign_out": {"vi": "Đăng xuất", "en": "Sign out"},
    "auth.as": {"vi": "Đăng nhập: **{name}** ({role})", "en": "Signed in: **{name}** ({role})"},
    "auth.ended": {
        "vi": "Phiên đăng nhập đã kết thúc (hết thời gian, hoặc tài khoản bị khoá): hãy đăng "
        "nhập lại.",
        "en": "Your sign-in has ended (timed out, or the account was disabled): sign in again.",
    },
    "auth.viewer_hint": {
        "vi": "Không cần đăng nhập để xem bản đồ, chỉ tiêu, trình chiếu và xuất bản đồ; cần đăng "
        "nhập để lưu kịch bản, góc nhìn và nhập dữ liệu.",
        "en": "Maps, targets, presenting and exports need no sign-in; saving scenarios and views "
        "and importing data do.",
    },
    "auth.need_editor": {
        "vi": "Đăng nhập với vai trò Biên tập (thanh bên trái) để lưu: tên tài khoản được ghi vào "
        "lịch sử sửa.",
        "en": "Sign in as an editor (in the sidebar) to save: the account is written in the edit "
        "history.",
    },
    "auth.need_editor_import": {
        "vi": "Đăng nhập với vai trò Biên tập (thanh bên trái) để lưu dữ liệu nhập vào gói.",
        "en": "Sign in as an editor (in the sidebar) to save an import into a pack.",
    },
    "views.need_editor": {
        "vi": "Đăng nhập với vai trò Biên tập (thanh bên trái) để lưu, sửa hay xoá góc nhìn.",
        "en": "Sign in as an editor (in the sidebar) to save, change or delete views.",
    },
    "nav.admin": {"vi": "Quản trị", "en": "Administration"},
    "admin.title": {"vi": "Quản trị", "en": "Administration"},
    "admin.need_admin": {
        "vi": "Trang này dành cho quản trị: hãy đăng nhập với vai trò Quản trị.",
        "en": "This page is for admins: sign in with the admin role.",
    },
    "admin.tab.accounts": {"vi": "Tài khoản", "en": "Accounts"},
    "admin.tab.packs": {"vi": "Quyền với gói", "en": "Pack access"},
    "admin.tab.trail": {"vi": "Nhật ký thay đổi", "en": "Audit trail"},
    "admin.col.name": {"vi": "Tên tài khoản", "en": "Account name"},
    "admin.col.role": {"vi": "Vai trò", "en": "Role"},
    "admin.col.state": {"vi": "Trạng thái", "en": "State"},
    "admin.col.sso": {"vi": "Đăng nhập bằng", "en": "Signs in with"},
    "admin.col.access": {"vi": "Quyền", "en": "Access"},
    "admin.col.at": {"vi": "Thời điểm (giờ VN)", "en": "When (Vietnam time)"},
    "admin.col.who": {"vi": "Tài khoản", "en": "Account"},
    "admin.col.action": {"vi": "Việc", "en": "Action"},
    "admin.col.kind": {"vi": "Loại", "en": "Kind"},
    "admin.col.target": {"vi": "Đối tượng", "en": "Item"},
    "admin.col.pack": {"vi": "Gói", "en": "Pack"},
    "admin.col.detail": {"vi": "Chi tiết", "en": "Detail"},
    "admin.active": {"vi": "Đang dùng", "en": "Active"},
    "admin.disabled": {"vi": "Đã khoá", "en": "Disabled"},
    "admin.sso_only": {"vi": "Tài khoản cơ quan (SSO)", "en": "Office sign-on (SSO)"},
    "admin.password": {"vi": "Mật khẩu", "en": "Password"},
    "admin.add": {"vi": "Thêm tài khoản", "en": "Add an account"},
    "admin.add.sso": {
        "vi": "Chỉ đăng nhập bằng tài khoản cơ quan (tên là địa chỉ e-mail, không có mật khẩu)",
        "en": "Office sign-on only (the name is the e-mail address; no password)",
    },
    "admin.add.go": {"vi": "Tạo tài khoản", "en": "Create account"},
    "admin.change": {"vi": "Sửa một tài khoản", "en": "Change an account"},
    "admin.set_role": {"vi": "Đặt vai trò", "en": "Set role"},
    "admin.set_password": {"vi": "Đặt mật khẩu mới", "en": "Set new password"},
    "admin.disable": {"vi": "Khoá tài khoản", "en": "Disable account"},
    "admin.enable": {"vi": "Mở khoá tài khoản", "en": "Enable account"},
    "admin.pack": {"vi": "Gói người dùng", "en": "User pack"},
    "admin.no_user_packs": {
        "vi": "Chưa có gói người dùng nào (gói có sẵn chỉ quản trị sửa được trên đĩa).",
        "en": "No user packs yet (shipped packs change only on disk, by an admin).",
    },
    "admin.owner": {"vi": "Người tạo", "en": "Owner"},
    "admin.granted": {"vi": "Được cấp quyền", "en": "Granted"},
    "admin.admins_only": {
        "vi": "Chỉ quản trị được thêm dữ liệu vào gói này.",
        "en": "Only admins may add to this pack.",
    },
    "admin.editor": {"vi": "Biên tập viên", "en": "Editor"},
    "admin.grant": {"vi": "Cấp quyền thêm dữ liệu", "en": "Grant adding data"},
    "admin.revoke": {"vi": "Thu hồi quyền", "en": "Take back"},
    "admin.everyone": {"vi": "Mọi tài khoản", "en": "Every account"},
    "admin.trail_note": {
        "vi": "{n} thay đổi gần nhất; lịch sử từng ô của kịch bản ở trang Kịch bản.",
        "en": "The latest {n} changes; each scenario’s cell history is on the Scenarios page.",
    },
    "admin.kind.view": {"vi": "Góc nhìn", "en": "View"},
    "admin.kind.pack": {"vi": "Gói", "en": "Pack"},
    "admin.kind.account": {"vi": "Tài khoản", "en": "Account"},
    "admin.kind.scenario": {"vi": "Kịch bản", "en": "Scenario"},
    "admin.action.create": {"vi": "tạo", "en": "created"},
    "admin.action.rename": {"vi": "đổi tên", "en": "renamed"},
    "admin.action.move": {"vi": "đổi thứ tự", "en": "moved"},
    "admin.action.delete": {"vi": "xoá", "en": "deleted"},
    "admin.action.import": {"vi": "nhập dữ liệu", "en": "imported"},
    "admin.action.new_pack": {"vi": "tạo gói mới", "en": "new pack"},
    "admin.action.publish": {"vi": "gửi gói vào cơ sở dữ liệu", "en": "pack sent to the database"},
    "admin.action.grant": {"vi": "cấp quyền", "en": "granted"},
    "admin.action.revoke": {"vi": "thu hồi quyền", "en": "took back"},
    "admin.action.role": {"vi": "đổi vai trò", "en": "role set"},
    "admin.action.password": {"vi": "đặt mật khẩu", "en": "password set"},
    "admin.action.disable": {"vi": "khoá", "en": "disabled"},
    "admin.action.enable": {"vi": "mở khoá", "en": "enabled"},
    "admin.action.edit": {"vi": "sửa ô", "en": "edited"},
    "admin.action.revert": {"vi": "hoàn lại ô", "en": "reverted"},
    "admin.action.meta": {"vi": "sửa thông tin", "en": "details changed"},
}


def t(key: str, lang: str, **kwargs: object) -> str:
    """The message `key` in `lang` (Vietnamese for an unknown language), formatted with kwargs.

    An unknown key raises KeyError: a typo must show up in the tests, not as a blank label.
    """
    entry = STRINGS[key]
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**kwargs) if kwargs else text
