"""Check a pack's `views.toml` (its default map views) entry by entry.

The file is written by hand, and TOML accepts what a view cannot use: `layers = "communes"`
is a string (iterated, it becomes the layers c, o, m, …), `year = "abc"` is not a year. One
checker, `clean_view`, serves two callers: the loader reports every problem as a pack warning
(`check_views_file`, so `python -m atlas validate` and the Packs page list them), and
`atlas.views.pack_views` uses the cleaned entries, so a bad entry or key is skipped instead of
crashing the map or Present page. A broken views file never stops the pack from loading: the
map does not need it.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from atlas.manifest import read_toml, toml_path
from atlas.report import Report
from atlas.spec import SCHEMES, Manifest, Text
from atlas.text import nfc_tree
from atlas.views import UNITS, VIEWS_FILE, ZOOM_MAX, ZOOM_MIN, View

# Basemaps a view may name: an id (the map's basemap choices) or an XYZ tile URL template.
BASEMAP_IDS: tuple[str, ...] = ("none", "osm", "light", "satellite", "custom")
K_MIN, K_MAX = 3, 7  # the map page's "number of classes" slider
# Keys a [[views]] entry may have: the View's own fields, less those the app sets itself.
VIEW_KEYS: frozenset[str] = frozenset(View.__dataclass_fields__) - {"pack_id", "id", "position"}

_IGNORED = Text("; bỏ qua khoá này", "; the key is ignored")
_SKIPPED = Text("; góc nhìn này bị bỏ qua", "; this view is skipped")


@dataclass(frozen=True)
class ViewProblem:
    """One thing wrong in one [[views]] entry; `field` is the key, when it is about one."""

    message: Text
    field: str | None = None


def _problem(vi: str, en: str, field: str | None, then: Text = _IGNORED) -> ViewProblem:
    return ViewProblem(Text(vi + then.vi, en + then.en), field)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_text(value: Any) -> bool:
    """A title or caption: one string, or `{ vi = "…", en = "…" }`."""
    if isinstance(value, str):
        return True
    return (
        isinstance(value, dict)
        and bool(value)
        and set(value) <= {"vi", "en"}
        and all(isinstance(v, str) for v in value.values())
    )


def _is_basemap(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    if value in BASEMAP_IDS:
        return True
    return value.startswith(("http://", "https://")) and all(
        part in value for part in ("{z}", "{x}", "{y}")
    )


def clean_view(
    item: Any,
    *,
    layer_ids: list[str] | None = None,
    years: list[int] | None = None,
    targets: list[str] | None = None,
) -> tuple[dict[str, Any] | None, list[ViewProblem]]:
    """The entry with every unusable key dropped, or None when the whole view is unusable
    (not a table, no title), and what was wrong.

    `layer_ids`, `years` and `targets` are what the pack offers; None skips those checks
    (`pack_views` does not load the pack, and ignores unknown layers when showing a view).
    """
    problems: list[ViewProblem] = []
    if not isinstance(item, dict):
        problems.append(
            _problem(
                "mỗi góc nhìn phải là một khối [[views]]",
                "each view must be a [[views]] block",
                None,
                _SKIPPED,
            )
        )
        return None, problems
    view = dict(item)
    title = view.get("title")
    if title is None or not _is_text(title) or not any(_texts(title)):
        problems.append(
            _problem(
                'thiếu tiêu đề: cần title = "…" hoặc title = { vi = "…", en = "…" }',
                'the title is missing: expected title = "…" or title = { vi = "…", en = "…" }',
                "title",
                _SKIPPED,
            )
        )
        return None, problems
    for key in sorted(set(view) - VIEW_KEYS):
        allowed = ", ".join(sorted(VIEW_KEYS))
        problems.append(
            _problem(
                f"khoá không hợp lệ {key!r} (các khoá được phép: {allowed})",
                f"unknown key {key!r} (allowed keys: {allowed})",
                key,
            )
        )
        del view[key]
    for key, check in _CHECKS.items():
        if key in view:
            problem = check(view, layer_ids, years, targets)
            if problem is not None:
                problems.append(problem)
    return view, problems


def _texts(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [v for v in value.values() if v]


def _check_caption(view: dict, *_: Any) -> ViewProblem | None:
    if _is_text(view["caption"]):
        return None
    del view["caption"]
    return _problem(
        'chú thích phải là chuỗi hoặc { vi = "…", en = "…" }',
        'the caption must be a string or { vi = "…", en = "…" }',
        "caption",
    )


def _check_layers(view: dict, layer_ids: list[str] | None, *_: Any) -> ViewProblem | None:
    layers = view["layers"]
    if not isinstance(layers, list) or not all(isinstance(x, str) for x in layers):
        del view["layers"]
        return _problem(
            f'layers phải là danh sách mã lớp, ví dụ layers = ["communes"] (đang là {layers!r})',
            f'layers must be a list of layer ids, e.g. layers = ["communes"] (it is {layers!r})',
            "layers",
        )
    if layer_ids is None:
        return None
    unknown = [x for x in layers if x not in layer_ids]
    if not unknown:
        return None
    view["layers"] = [x for x in layers if x in layer_ids]
    names, known = ", ".join(map(repr, unknown)), ", ".join(layer_ids)
    return _problem(
        f"lớp {names} không có trong gói (có: {known}); bỏ qua lớp này",
        f"layer(s) {names} are not in the pack (it has: {known}); they are ignored",
        "layers",
        Text("", ""),
    )


def _check_opacity(view: dict, layer_ids: list[str] | None, *_: Any) -> ViewProblem | None:
    opacity = view["opacity"]
    if not isinstance(opacity, dict):
        del view["opacity"]
        return _problem(
            "opacity phải là bảng { mã lớp = số từ 0 đến 1 }",
            "opacity must be a table { layer id = number from 0 to 1 }",
            "opacity",
        )
    bad = [
        k
        for k, v in opacity.items()
        if not _is_number(v) or not 0 <= v <= 1 or (layer_ids is not None and k not in layer_ids)
    ]
    if not bad:
        return None
    view["opacity"] = {k: v for k, v in opacity.items() if k not in bad}
    names = ", ".join(map(repr, bad))
    return _problem(
        f"độ đậm của {names} không dùng được (cần mã lớp của gói và số từ 0 đến 1)",
        f"the opacity of {names} cannot be used (it needs a layer id of the pack and a number "
        "from 0 to 1)",
        "opacity",
    )


def _check_year(view: dict, _layers: Any, years: list[int] | None, *_: Any) -> ViewProblem | None:
    year = view["year"]
    if not _is_int(year):
        del view["year"]
        return _problem(
            f"năm {year!r} không phải là số nguyên", f"year {year!r} is not a whole number", "year"
        )
    if years and year not in years:
        del view["year"]
        have = ", ".join(map(str, years))
        return _problem(
            f"gói không có số liệu năm {year} (có: {have})",
            f"the pack has no data for {year} (it has: {have})",
            "year",
        )
    return None


def _check_scheme(view: dict, *_: Any) -> ViewProblem | None:
    if view["scheme"] in SCHEMES:
        return None
    value = view.pop("scheme")
    allowed = ", ".join(SCHEMES)
    return _problem(
        f"cách chia lớp {value!r} không hợp lệ (chọn một trong: {allowed})",
        f"scheme {value!r} is not one of: {allowed}",
        "scheme",
    )


def _check_k(view: dict, *_: Any) -> ViewProblem | None:
    k = view["k"]
    if _is_int(k) and K_MIN <= k <= K_MAX:
        return None
    del view["k"]
    return _problem(
        f"số lớp k = {k!r} phải là số nguyên từ {K_MIN} đến {K_MAX}",
        f"k = {k!r} must be a whole number from {K_MIN} to {K_MAX}",
        "k",
    )


def _check_string(key: str) -> Any:
    def check(view: dict, *_: Any) -> ViewProblem | None:
        if isinstance(view[key], str) and view[key]:
            return None
        value = view.pop(key)
        return _problem(
            f"{key} phải là một chuỗi (đang là {value!r})",
            f"{key} must be a string (it is {value!r})",
            key,
        )

    return check


def _check_target(
    view: dict, _layers: Any, _years: Any, targets: list[str] | None
) -> ViewProblem | None:
    problem = _check_string("target")(view)
    if problem is not None or targets is None or view["target"] in targets:
        return problem
    value = view.pop("target")
    have = ", ".join(targets)
    return _problem(
        f"chỉ tiêu {value!r} không có trong gói (có: {have})",
        f"target {value!r} is not in the pack (it has: {have})",
        "target",
    )


def _check_basemap(view: dict, *_: Any) -> ViewProblem | None:
    if _is_basemap(view["basemap"]):
        return None
    value = view.pop("basemap")
    ids = ", ".join(BASEMAP_IDS)
    return _problem(
        f"bản đồ nền {value!r} không hợp lệ: cần một trong {ids} hoặc URL dạng "
        "http://…/{z}/{x}/{y}.png",
        f"basemap {value!r} is not valid: expected one of {ids} or a URL like "
        "http://…/{z}/{x}/{y}.png",
        "basemap",
    )


def _check_center(view: dict, *_: Any) -> ViewProblem | None:
    center = view["center"]
    if (
        isinstance(center, list)
        and len(center) == 2
        and all(_is_number(c) for c in center)
        and -90 <= center[0] <= 90
        and -180 <= center[1] <= 180
    ):
        return None
    del view["center"]
    return _problem(
        f"center = {center!r} phải là [vĩ độ, kinh độ], ví dụ [9.97, 106.22]",
        f"center = {center!r} must be [latitude, longitude], e.g. [9.97, 106.22]",
        "center",
    )


def _check_zoom(view: dict, *_: Any) -> ViewProblem | None:
    zoom = view["zoom"]
    # Saved views keep the map's quarter zooms (11.75), so a shipped view may too.
    if _is_number(zoom) and ZOOM_MIN <= zoom <= ZOOM_MAX:
        return None
    del view["zoom"]
    return _problem(
        f"zoom = {zoom!r} phải là một số từ {ZOOM_MIN} đến {ZOOM_MAX} (ví dụ 12 hoặc 11.75)",
        f"zoom = {zoom!r} must be a number from {ZOOM_MIN} to {ZOOM_MAX} (e.g. 12 or 11.75)",
        "zoom",
    )


def _check_units(view: dict, *_: Any) -> ViewProblem | None:
    if view["units"] in UNITS:
        return None
    value = view.pop("units")
    allowed = ", ".join(UNITS)
    return _problem(
        f"units = {value!r} không hợp lệ (chọn một trong: {allowed})",
        f"units = {value!r} is not one of: {allowed}",
        "units",
    )


_CHECKS = {
    "caption": _check_caption,
    "layers": _check_layers,
    "opacity": _check_opacity,
    "year": _check_year,
    "scheme": _check_scheme,
    "k": _check_k,
    "scenario": _check_string("scenario"),
    "target": _check_target,
    "basemap": _check_basemap,
    "center": _check_center,
    "zoom": _check_zoom,
    "units": _check_units,
}


def read_view_items(pack_path: Path) -> list[Any]:
    """The raw [[views]] entries of a pack, NFC; [] when there is no usable file."""
    path = Path(pack_path) / VIEWS_FILE
    if not path.is_file():
        return []
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []
    items = nfc_tree(raw)[0].get("views", [])
    return items if isinstance(items, list) else []


def _pack_years(manifest: Manifest, tables: dict[str, pd.DataFrame]) -> list[int]:
    found: set[int] = set()
    for spec in manifest.tables:
        frame = tables.get(spec.id)
        if frame is not None and spec.year_column and spec.year_column in frame.columns:
            found.update(int(y) for y in frame[spec.year_column].dropna().unique())
    return sorted(found)


def check_views_file(
    pack_dir: Path, manifest: Manifest, tables: dict[str, pd.DataFrame], report: Report
) -> None:
    """Report every problem of the pack's views.toml as a warning (the loader's last step)."""
    path = pack_dir / VIEWS_FILE
    if not path.is_file():
        return
    lost = Text(
        "; các góc nhìn mặc định của gói bị bỏ qua", "; the pack's default views are skipped"
    )
    raw = read_toml(path, VIEWS_FILE, report, level="warning", consequence=lost)
    if raw is None:
        return
    for key in sorted(set(raw) - {"views"}):
        report.warning(
            f"khoá không hợp lệ {key!r}: tệp chỉ chứa các khối [[views]]; bỏ qua khoá này",
            f"unknown key {key!r}: the file holds only [[views]] blocks; the key is ignored",
            file=VIEWS_FILE,
            field=key,
        )
    items = raw.get("views", [])
    if not isinstance(items, list):
        report.warning(
            "views phải là các khối [[views]]" + lost.vi,
            "views must be [[views]] blocks" + lost.en,
            file=VIEWS_FILE,
            field="views",
        )
        return
    layer_ids = [la.id for la in manifest.layers]
    targets = [t.id for t in manifest.targets]
    years = _pack_years(manifest, tables)
    for n, item in enumerate(items):
        _, problems = clean_view(item, layer_ids=layer_ids, years=years, targets=targets)
        where = toml_path(("views", n), raw)
        for problem in problems:
            report.warning(
                problem.message.vi,
                problem.message.en,
                file=VIEWS_FILE,
                where=where,
                field=problem.field,
            )
