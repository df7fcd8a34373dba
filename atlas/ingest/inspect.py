"""`inspect_upload`: read an upload into a preview, deciding format, CRS and repairs.

Order matters: size and zip safety first (refuse before reading), then the format by content,
then the CRS (the file's, the user's, lon/lat, or "needs confirmation" with proposed systems
ranked by where the data lands), then reprojection to EPSG:4326, repair, and the check of
where the data lies (`Inspection.location`). Nothing is written outside a temp dir.
"""

from __future__ import annotations

import math
from dataclasses import replace

import geopandas as gpd
from pyproj import CRS

from atlas import crs as crs_mod
from atlas.ingest import location, systems
from atlas.ingest import read as readers
from atlas.ingest.errors import IngestError
from atlas.ingest.model import (
    CRS_CONFIRMED,
    CRS_FROM_FILE,
    CRS_LONLAT,
    CRS_NEEDED,
    Inspection,
    ZoneProposal,
)
from atlas.ingest.repair import repair
from atlas.ingest.safety import check_size, display_name
from atlas.ingest.sniff import ZIPPED_FORMATS, extension_format, sniff
from atlas.ingest.vn2000 import describe, find_province, propose_zones, resolve_crs
from atlas.loader import _normalise_text, feature_label, row_label
from atlas.report import Report
from atlas.spec import Text


def inspect_upload(
    name: str,
    data: bytes,
    *,
    layer: str | None = None,
    crs: str | None = None,
    province: str | None = None,
) -> Inspection:
    """Read `data` (the upload's bytes; `name` is only a hint and a label) without writing.

    `layer` picks a GeoPackage/KML/Shapefile layer or an Excel sheet (default: the first),
    `crs` overrides or confirms the source CRS ("EPSG:9210", a PROJ string, a province name,
    or a `ZoneProposal.crs`), and `province` ranks that province's zone first when a CRS must be
    proposed. Raises only `IngestError` (size, zip safety); every other problem is an error
    in `report`.
    """
    label = display_name(name)
    check_size(data)
    report = Report(pack=label)
    try:
        fmt = sniff(label, data)
    except IngestError as exc:
        if exc.refused:
            raise
        report.error(exc.vi, exc.en, file=label)
        return Inspection(name=label, format=None, report=report)
    hinted = extension_format(label)
    if hinted and hinted != fmt and not (hinted == "shapefile" and fmt in ZIPPED_FORMATS):
        report.warning(
            f"tên tệp cho biết định dạng {hinted} nhưng nội dung là {fmt}; đọc theo {fmt}",
            f"the file name says {hinted} but its content is {fmt}; read as {fmt}",
            file=label,
        )
    insp = Inspection(name=label, format=fmt, report=report)
    try:
        raw = readers.read(fmt, data, layer)
    except IngestError as exc:
        if exc.refused:
            raise
        report.error(exc.vi, exc.en, file=label)
        return insp
    except RecursionError:
        report.error(
            "tệp lồng quá nhiều cấp nên không đọc được",
            "the file is nested too deeply to read",
            file=label,
        )
        return insp
    insp.layers, insp.layer = raw.layers, raw.layer
    for vi, en in raw.notes:
        report.warning(vi, en, file=label)
    if raw.table is not None:
        if raw.table.empty:
            report.error("bảng không có dòng nào", "the table has no rows", file=label)
            return insp
        insp.table = _normalise_text(raw.table.astype(object), report, label, row_label)
        return insp
    frame = raw.frame
    assert frame is not None
    frame = _normalise_text(frame, report, label, feature_label)
    _reproject(insp, frame, raw.declares_crs, crs, province)
    return insp


def inspect_in_province(
    name: str,
    data: bytes,
    *,
    layer: str | None = None,
    crs: str | None = None,
    province: str | None = None,
) -> Inspection:
    """`inspect_upload`, and for metres without a CRS when a province is named (and no CRS
    given), again with the best-ranked system: what the CLI's and a batch's `--province`
    mean. The ranking already weighs the province, the landing and the file's own codes."""
    insp = inspect_upload(name, data, layer=layer, crs=crs, province=province)
    if insp.needs_crs and province and not crs and insp.proposals:
        best = insp.proposals[0]
        insp = inspect_upload(name, data, layer=layer, crs=best.crs, province=province)
    return insp


def _bounds(frame: gpd.GeoDataFrame) -> tuple[float, float, float, float] | None:
    geoms = frame.geometry
    valid = frame[~(geoms.isna() | geoms.is_empty)]
    if not len(valid):
        return None
    b = tuple(float(v) for v in valid.total_bounds)
    return b if all(math.isfinite(v) for v in b) else None


def _reproject(
    insp: Inspection,
    frame: gpd.GeoDataFrame,
    declares_crs: bool,
    user_crs: str | None,
    province: str | None,
) -> None:
    """Decide the source CRS, reproject to EPSG:4326, repair, and check where the data lands
    (`insp.location`; a warning, and saving needs a confirmation, when that is off)."""
    report, label = insp.report, insp.name
    bounds = _bounds(frame)
    if bounds is None:
        report.error("không đối tượng nào có hình học", "no feature has a geometry", file=label)
        return
    picked = _source(insp, frame, bounds, declares_crs, user_crs, province)
    if picked is None:
        return
    source, original = picked
    insp.crs = describe(source, original)
    try:
        wgs = frame.set_crs(source, allow_override=True).to_crs(crs_mod.WGS84)
    except Exception as exc:  # noqa: BLE001 - pyproj raises many types; all mean the same
        report.error(
            f"không chuyển được từ hệ toạ độ {insp.crs} sang EPSG:4326: {exc}",
            f"cannot reproject from {insp.crs}: {exc}",
            file=label,
        )
        return
    wgs_bounds = _bounds(wgs)
    if wgs_bounds is None or not crs_mod.looks_like_lonlat(wgs_bounds):
        report.error(
            "toạ độ sau khi chuyển hệ không nằm trên Trái Đất; hãy kiểm tra hệ toạ độ",
            "the coordinates do not land on the Earth after reprojection; check the CRS",
            file=label,
        )
        return
    wgs, insp.repairs = repair(wgs, report, label)
    if wgs.empty:
        report.error("không đối tượng nào có hình học", "no feature has a geometry", file=label)
        return
    insp.frame = wgs
    insp.bounds = _bounds(wgs)
    lon, lat = location.sample_points(wgs.geometry)
    insp.location = location.locate(lon, lat, insp.bounds, _named_province(province, user_crs))
    if insp.location_problem and user_crs and systems.looks_projected(bounds):
        _suggest_better(insp, frame, bounds)
    elif user_crs and systems.looks_projected(bounds):
        _check_own_words(insp, frame, wgs, bounds)
    if insp.location is not None and insp.location.warning is not None:
        report.warning(insp.location.warning.vi, insp.location.warning.en, file=label)


def _named_province(province: str | None, user_crs: str | None) -> str | None:
    """The province the data should lie in: the one named, or the one whose zone was given
    as the CRS ("Trà Vinh" as `crs`)."""
    if province:
        return province
    if user_crs and not user_crs.strip().upper().startswith(("EPSG", "+", "PROJCS", "{")):
        found = find_province(user_crs)
        return found.name if found else None
    return None


def _suggest_better(
    insp: Inspection, frame: gpd.GeoDataFrame, bounds: tuple[float, float, float, float]
) -> None:
    """A confirmed CRS misplaces the data: rank the candidates by landing alone (no province)
    and, when the best one puts the data on Vietnam's land, say where it would lie then. The
    ranked candidates go in `insp.proposals` so the user can switch."""
    assert insp.location is not None and insp.location.warning is not None
    better = [p for p in propose_zones(bounds, None, frame) if p.inside_vietnam and p.lands_in]
    if not better:
        return
    insp.proposals = better
    best = better[0]
    warning = insp.location.warning
    insp.location = replace(
        insp.location,
        warning=Text(
            f"{warning.vi}; với {best.label.vi} dữ liệu sẽ nằm ở tỉnh {best.lands_in}",
            f"{warning.en}; with {best.label.en} it would lie in {best.lands_in} province",
        ),
    )


WORDS_DISAGREE = 0.5  # under this share landing where their codes/names say, a CRS is doubted
WORDS_AGREE = 0.8  # … when another system puts this share or more where they say


def _check_own_words(
    insp: Inspection,
    frame: gpd.GeoDataFrame,
    wgs: gpd.GeoDataFrame,
    bounds: tuple[float, float, float, float],
) -> None:
    """A confirmed CRS that lands on land but not where the file's own codes or names say (a
    neighbouring province's zone moves data some 25 km and still lands in Vietnam): when
    another system puts the features on their own communes, the location needs confirming,
    with that system named."""
    share = systems.agreement_of(wgs)
    if share is None or share >= WORDS_DISAGREE or insp.location is None:
        return
    chosen = insp.crs_input or ""
    better = [
        p
        for p in propose_zones(bounds, None, frame)
        if p.agreement >= WORDS_AGREE and p.crs != chosen and p.inside_vietnam
    ]
    if not better:
        return
    best = better[0]
    insp.proposals = better
    insp.location = replace(
        insp.location,
        warning=Text(
            f"chỉ {share:.0%} đối tượng nằm trong xã mà mã hoặc tên của chúng chỉ ra; với "
            f"{best.label.vi}, {best.agreement:.0%} đối tượng nằm đúng xã của chúng (tỉnh "
            f"{best.lands_in}): hãy kiểm tra hệ toạ độ",
            f"only {share:.0%} of the features lie in the commune their codes or names name; "
            f"with {best.label.en}, {best.agreement:.0%} lie in their own commune ("
            f"{best.lands_in} province): check the CRS",
        ),
    )


def _source(
    insp: Inspection,
    frame: gpd.GeoDataFrame,
    bounds: tuple[float, float, float, float],
    declares_crs: bool,
    user_crs: str | None,
    province: str | None,
) -> tuple[CRS, CRS | None] | None:
    """The CRS to reproject from (and the file's own, for its name), or None when the user
    must give one (then `insp.proposals` may list candidates) or the given one is unknown."""
    report, label = insp.report, insp.name
    if user_crs:
        return _confirmed(insp, user_crs)
    if declares_crs and frame.crs is not None:
        return _declared(insp, frame, bounds, province)
    if crs_mod.looks_like_lonlat(bounds):
        insp.crs_source = CRS_LONLAT
        insp.crs_input = "EPSG:4326"
        if insp.format != "geojson":
            report.warning(
                "tệp không khai báo hệ toạ độ; toạ độ trông như kinh độ/vĩ độ nên được coi là "
                "EPSG:4326 (WGS 84)",
                "the file declares no CRS; its coordinates look like longitude/latitude, so "
                "EPSG:4326 is assumed",
                file=label,
            )
        return CRS.from_epsg(4326), None
    insp.crs_source = CRS_NEEDED
    insp.crs = None
    insp.proposals = _proposals(bounds, province, frame)
    _ask_for_crs(insp, bounds)
    return None


def _confirmed(insp: Inspection, user_crs: str) -> tuple[CRS, CRS | None] | None:
    """The CRS the user gave (code, PROJ, WKT, province name), with its datum shift pinned."""
    source = resolve_crs(user_crs)
    if source is None:
        insp.report.error(
            f"không nhận ra hệ toạ độ {user_crs!r} (ví dụ hợp lệ: EPSG:9210)",
            f"{user_crs!r} is not a CRS pyproj knows (e.g. EPSG:9210)",
            file=insp.name,
        )
        return None
    insp.crs_source = CRS_CONFIRMED
    insp.crs_input = user_crs
    return source, _as_given(user_crs)


def _declared(
    insp: Inspection,
    frame: gpd.GeoDataFrame,
    bounds: tuple[float, float, float, float],
    province: str | None,
) -> tuple[CRS, CRS | None] | None:
    """The file's own CRS (datum shift pinned, a datum MapInfo lost recovered), unless it says
    lon/lat over metres: then the user must give the CRS."""
    report, label = insp.report, insp.name
    assert frame.crs is not None
    if frame.crs.is_geographic and not crs_mod.looks_like_lonlat(bounds):
        declared = crs_mod.describe(frame.crs)
        span = f"x {bounds[0]:.0f}…{bounds[2]:.0f}"
        report.error(
            f"tệp khai báo hệ toạ độ {declared} nhưng toạ độ không phải kinh độ/vĩ độ "
            f"({span}); hãy chỉ định đúng hệ toạ độ",
            f"the file says {declared} but its coordinates are not longitude/latitude "
            f"({span}); give the right CRS",
            file=label,
        )
        insp.crs_source = CRS_NEEDED
        insp.proposals = _proposals(bounds, province, frame)
        return None
    source, note = systems.source_crs(frame.crs)
    if note:
        vi, en = note
        report.warning(vi, en, file=label)
    insp.crs_source = CRS_FROM_FILE
    insp.crs_input = frame.crs.to_wkt()
    return source, frame.crs


def _as_given(user_crs: str) -> CRS | None:
    """The CRS as the user named it ("EPSG:2044"), for its name; None for a province name."""
    raw = user_crs.strip()
    if find_province(raw) is not None:
        return None
    return crs_mod.parse_crs(f"EPSG:{raw}" if raw.isdigit() else raw)


def _proposals(
    bounds: tuple[float, float, float, float], province: str | None, frame: gpd.GeoDataFrame
) -> list[ZoneProposal]:
    """The office systems whose ranges hold the metres, ranked by where the data lands."""
    return propose_zones(bounds, province, frame) if systems.looks_projected(bounds) else []


def _ask_for_crs(insp: Inspection, bounds: tuple[float, float, float, float]) -> None:
    report, label = insp.report, insp.name
    tied = [p for p in insp.proposals if p.equally_likely]
    if tied:
        report.warning(
            "tệp không khai báo hệ toạ độ; toạ độ là mét và hợp với nhiều hệ như nhau ("
            + "; ".join(p.label.vi for p in tied[:4])
            + "): hãy cho biết tỉnh của dữ liệu hoặc hỏi nơi lập tệp",
            "the file declares no CRS; its metres fit several systems equally well ("
            + "; ".join(p.label.en for p in tied[:4])
            + "): name the data's province or ask whoever made the file",
            file=label,
        )
        return
    if insp.proposals:
        first = insp.proposals[0]
        report.warning(
            "tệp không khai báo hệ toạ độ; toạ độ là mét (VN-2000 TM-3/UTM, HN-72, WGS 84 "
            f"UTM…): hãy xác nhận hệ toạ độ (khả năng nhất: {first.label.vi})",
            "the file declares no CRS; its coordinates are metres (VN-2000 TM-3/UTM, HN-72, "
            f"WGS 84 UTM…): confirm the CRS (most likely: {first.label.en})",
            file=label,
        )
        return
    span = f"x {bounds[0]:.0f}…{bounds[2]:.0f}, y {bounds[1]:.0f}…{bounds[3]:.0f}"
    report.error(
        "tệp không khai báo hệ toạ độ và toạ độ không phải kinh độ/vĩ độ cũng không giống "
        f"hệ toạ độ nào dùng ở Việt Nam ({span}); hãy chỉ định hệ toạ độ (ví dụ EPSG:9210)",
        "the file declares no CRS and its coordinates are neither longitude/latitude nor "
        f"any system used in Vietnam ({span}); give the CRS (e.g. EPSG:9210)",
        file=label,
    )
