"""Saving an import as a user pack, atomically, and zipping packs for download.

Only the user data dir (`atlas.packs.user_data_dir()`) is ever written; shipped packs never.
Each save is staged in `<data dir>/.staging/<random>/<pack id>` (two levels down, so
`discover_packs` never lists a half-written pack), validated with `load_pack`, and only then
renamed into place; replacing an existing pack keeps the old folder until the new one is in,
and puts it back if the swap fails. Any failure leaves every existing pack as it was. A save
holds a lock on its work dir while it runs, and every save first sweeps the work dirs that
killed imports left behind (`atlas.packs.sweep_staging`).
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import shutil
import tempfile
import tomllib
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from atlas import gazetteer
from atlas.formats import date_text
from atlas.ingest.errors import IngestError
from atlas.ingest.model import ImportPlan, Inspection, JoinResult, Location, SaveResult
from atlas.ingest.safety import check_slug, slugify
from atlas.ingest.vn2000 import find_province
from atlas.loader import load_pack
from atlas.manifest import FORMAT_VERSION, MANIFEST_NAME
from atlas.packs import (
    SHIPPED_PACKS,
    STAGING_DIR,
    PackRef,
    discover_packs,
    hold_work_dir,
    pack_files,
    sweep_staging,
    user_data_dir,
)
from atlas.spec import Text
from atlas.text import normalise_code
from atlas.toml_write import render_manifest

GROUP_ID = "du_lieu_nhap"
GROUP_TITLE = {"vi": "Dữ liệu nhập", "en": "Imported data"}
_STYLES: dict[str, dict[str, Any]] = {
    "boundary": {"type": "fixed", "color": "#636363", "fill_color": "#fdae6b", "weight": 1,
                 "fill_opacity": 0.1},
    "polygon": {"type": "fixed", "color": "#31a354", "weight": 1, "fill_opacity": 0.4},
    "line": {"type": "fixed", "color": "#d95f0e", "weight": 3},
    "point": {"type": "fixed", "color": "#2171b5", "radius": 6},
}  # fmt: skip
_DIMENSION = {"point": 0, "line": 1, "polygon": 2, "boundary": 2, "choropleth": 2}
_HEADER = [
    "# Atlas Hạ tầng — user data pack (format: geodata/README.md)",
    "# Written by the import (atlas.ingest); safe to edit by hand, then check it with",
    "# `python -m atlas validate <folder>`.",
]


_WRITE_ERRORS = (OSError, ValueError, TypeError, OverflowError, pyogrio.errors.DataSourceError,
                 pyogrio.errors.FieldError, pyogrio.errors.GeometryError)  # fmt: skip


def _err(vi: str, en: str) -> IngestError:
    return IngestError(vi, en)


def user_packs(root: Path | None = None) -> list[PackRef]:
    """Packs in the user data dir (the ones an import may add to)."""
    return discover_packs([root or user_data_dir()])


def is_user_pack(path: Path | str, root: Path | None = None) -> bool:
    """True when `path` is a pack folder directly inside the user data dir (so it may be
    written), and not inside the shipped `geodata/`."""
    folder = Path(path).resolve()
    base = (root or user_data_dir()).resolve()
    if folder.is_relative_to(SHIPPED_PACKS.resolve()):
        return False
    return folder.parent == base and (folder / MANIFEST_NAME).is_file()


def pack_zip(path: Path | str) -> bytes:
    """The pack folder as zip bytes, every file under `<pack id>/` (for download)."""
    folder = Path(path)
    if not (folder / MANIFEST_NAME).is_file():
        raise _err(f"Không phải thư mục gói: {folder.name}", f"Not a pack folder: {folder.name}")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel, file in pack_files(folder, links=False):
            archive.write(file, f"{folder.name}/{rel}")
    return buf.getvalue()


# --- building the layer / table ----------------------------------------------------------


def _bi(text: Text | None, fallback: str) -> dict[str, str]:
    vi = (text.vi if text else "") or fallback
    en = (text.en if text else "") or vi
    return {"vi": vi, "en": en}


def _field_entry(name: str, kind: str = "str") -> dict[str, Any]:
    entry: dict[str, Any] = {"name": name, "label": {"vi": name, "en": name}}
    if kind != "str":
        entry["type"] = kind
    return entry


def _infer_type(values: pd.Series) -> str:
    text = values.astype(str).str.strip()
    text = text[(text != "") & (text.str.lower() != "nan") & (text.str.lower() != "none")]
    if text.empty:
        return "str"
    num = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    if num.notna().all():
        integral = bool((num % 1 == 0).all()) and not text.str.contains(r"[.,]").any()
        # An int column must fit int64 (the loader reads it as Int64): 2**70 is a float.
        fits = bool((text.str.lstrip("+-").str.len() <= 18).all())
        return "int" if integral and fits else "float"
    return "str"


def _kind_for(frame: gpd.GeoDataFrame, plan: ImportPlan, has_codes: bool) -> str:
    if plan.kind:
        return plan.kind
    dims = shapely.get_dimensions(frame.geometry.values).tolist()
    dominant = max(set(dims), key=dims.count) if dims else 2
    if dominant == 2:
        return "boundary" if has_codes else "polygon"
    return "line" if dominant == 1 else "point"


def _honesty(inspection: Inspection, plan: ImportPlan) -> dict[str, Any]:
    today = date_text(date.today())
    return {
        "geometry": plan.geometry,
        "figures": plan.figures,
        "source": {
            "vi": f"Tệp {inspection.name} do người dùng nhập ngày {today}",
            "en": f"File {inspection.name} imported by the user on {today}",
        },
        "note": {
            "vi": "Dữ liệu như tệp gốc cung cấp; atlas không kiểm chứng độ chính xác.",
            "en": "Data as provided by the source file; the atlas has not checked its accuracy.",
        },
    }


def _joined_codes(
    inspection: Inspection, plan: ImportPlan, join: JoinResult | None
) -> tuple[list[str | None] | None, pd.Series]:
    """Per-row commune codes (or None when there is no code mapping, or `plan.no_join`) and
    the rows to keep. Refused: a join with a `problem` (the other structure's communes), rows
    left unjoined unless dropped, and nothing left after dropping them."""
    data = inspection.data
    assert data is not None
    keep = pd.Series(True, index=range(len(data)))
    if plan.no_join:
        return None, keep
    if join is not None:
        if join.problem is not None:
            raise _err(*join.problem)
        codes = join.codes(plan.accept_fuzzy)
    elif plan.mapping.code and plan.mapping.code in data.columns:
        codes = [normalise_code(v, 5) for v in data[plan.mapping.code]]
    else:
        return None, keep
    missing = [i for i, c in enumerate(codes) if c is None]
    if missing and not plan.drop_unmatched:
        raise _err(*_unjoined_message(missing, join, plan.accept_fuzzy))
    keep = pd.Series([c is not None for c in codes])
    if not keep.any():
        raise _err(
            "Không còn dòng nào sau khi bỏ các dòng chưa khớp: không có gì để lưu. Hãy kiểm "
            "tra cột mã/tên xã và gói đối chiếu, hoặc nhập mà không ghép xã.",
            "Nothing is left once the unmatched rows are dropped: there is nothing to save. "
            "Check the commune code/name columns and the reference pack, or import with no "
            "commune join.",
        )
    return codes, keep


def _unjoined_message(
    missing: list[int], join: JoinResult | None, accept_fuzzy: bool
) -> tuple[str, str]:
    """Why rows are not joined and what to do: fuzzy matches to accept only when there are
    some, conflicts (a code whose name disagrees) named as such."""
    rows = ", ".join(str(i + 1) for i in missing[:10])
    statuses = join.rows["status"] if join is not None else pd.Series(dtype=object)
    fuzzy = not accept_fuzzy and bool((statuses == "fuzzy").any())
    conflicts = int((statuses == "conflict").sum())
    vi = f"{len(missing)} dòng chưa khớp với xã nào (dòng {rows})"
    en = f"{len(missing)} row(s) match no commune (rows {rows})"
    if conflicts:
        vi += f", trong đó {conflicts} dòng có mã mà tên không khớp với gói"
        en += f", {conflicts} of them with a code whose name disagrees with the pack"
    if fuzzy:
        return (
            vi + ": chấp nhận khớp gần đúng hoặc bỏ các dòng chưa khớp.",
            en + ": accept the fuzzy matches or drop the unmatched rows.",
        )
    return vi + ": sửa tệp hoặc bỏ các dòng chưa khớp.", en + ": fix the file or drop them."


def _clean_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Attribute values kept as data, in types GeoJSON/CSV can hold (text, numbers)."""
    out = frame.copy()
    for col in out.columns:
        if col == getattr(out, "_geometry_column_name", None):
            continue
        series = out[col]
        if pd.api.types.is_datetime64_any_dtype(series) or series.dtype == object:
            out[col] = series.map(_cell)
    return out


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**63:
        return str(value)  # wider than 64 bits: GDAL cannot write it as a number
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _layer_entry(
    layer_id: str,
    kind: str,
    file: str,
    title: dict[str, str],
    fields: list[str],
    name_field: str | None,
    has_codes: bool,
    honesty: dict[str, Any],
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": layer_id,
        "kind": kind,
        "file": file,
        "group": GROUP_ID,
        "title": title,
    }
    if name_field:
        entry["name_field"] = name_field
    if has_codes:
        entry["code_field"] = "code"
        entry["code_width"] = 5
    entry["style"] = dict(_STYLES.get(kind, _STYLES["polygon"]))
    shown = ([name_field] if name_field else []) + [f for f in fields if f != name_field]
    entry["tooltip"] = shown[:3]
    entry["popup"] = (shown[:1] + (["code"] if has_codes else []) + shown[1:])[:12]
    entry["fields"] = [_field_entry("code", "code")] if has_codes else []
    entry["fields"] += [_field_entry(f) for f in shown[:12]]
    entry["honesty"] = honesty
    return entry


# --- the pack's manifest ------------------------------------------------------------------


def _from_codes(codes: list[str | None] | None) -> tuple[str | None, str | None, str]:
    """Province and district GSO codes of the joined commune codes (through the crosswalk),
    and the admin structure the codes belong to; the district is None when they span several."""
    known = [c for c in codes or [] if c]
    if not known:
        return None, None, "pre2025"
    from atlas import crosswalk

    try:
        cw = crosswalk._read(str(crosswalk.CROSSWALK_FILE))
    except (crosswalk.CrosswalkMissingError, OSError, ValueError):
        return None, None, "pre2025"
    old = cw[cw["old_code"].isin(known)]
    if not len(old):
        admin = "post2025" if cw["new_code"].isin(known).any() else "pre2025"
        return None, None, admin
    counts = old["old_district_code"].astype(str).value_counts()
    district = str(counts.index[0]) if counts.iloc[0] >= 0.9 * len(old) else None
    return str(old["old_province_code"].astype(str).mode().iloc[0]), district, "pre2025"


def _where(
    codes: list[str | None] | None,
    location: Location | None,
    bounds: tuple[float, ...] | None,
    structure: str | None = None,
) -> tuple[str | None, str | None, str]:
    """Province and district GSO codes of the new pack, and its admin structure: where the
    data lies (the majority of feature points, `Inspection.location`), else where its joined
    commune codes are; never from a default. A pack on post-2025 communes gets the post-2025
    province at the data's centre and no district (there are none since 2025)."""
    province, district, admin = _from_codes(codes)
    if structure:  # the reference the rows were joined to knows; reused codes do not
        admin = structure
    if admin == "post2025":
        if bounds:
            cx, cy = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
            unit = gazetteer.province_at(cx, cy, "post2025")
            return (unit.code if unit else None), None, admin
        return None, None, admin
    if location is not None and location.province_code:
        if location.district_code or province != location.province_code:
            return location.province_code, location.district_code, admin
        # The points are too rough to name one district; the joined codes, in the same
        # province, may: a commune layer of one district names it.
        return location.province_code, district, admin
    return province, district, admin


def _province_text(code: str | None, admin: str) -> dict[str, str]:
    unit = gazetteer.get(admin, "province", code) if code else None
    if unit is not None:
        kind = "City" if unit.name.startswith("Thành phố") else "Province"
        return {"vi": unit.name, "en": f"{unit.short_name} {kind}"}
    found = find_province(code) if code and admin == "pre2025" else None
    if found is not None:
        return {"vi": f"Tỉnh {found.name}", "en": f"{found.name} Province"}
    return {"vi": "Chưa rõ tỉnh", "en": "Province not known"}


def _pack_section(
    plan: ImportPlan,
    codes: list[str | None] | None,
    bounds: tuple[float, ...] | None,
    location: Location | None = None,
) -> dict[str, Any]:
    """The `[pack]` table of a new pack. Its province and district are where the data lies
    (`_where`); "00"/"000" (accepted by the manifest schema, matching no unit) when that is
    not known or the data spans several districts."""
    province_code, district_code, admin = _where(codes, location, bounds, plan.structure)
    name = _bi(plan.name, plan.pack_id)
    year = date.today().year
    if bounds:
        lat, lon = (bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2
        span = max(bounds[2] - bounds[0], bounds[3] - bounds[1], 1e-4)
        zoom = int(max(5, min(17, round(math.log2(360 / span)) - 1)))
    else:
        lat, lon, zoom = 16.0, 106.0, 6
    return {
        "name": name,
        "province": _province_text(province_code, admin),
        "province_code": province_code or "00",
        "district_code": district_code or "000",
        "admin_structure": admin,
        "plan_title": {"vi": f"Dữ liệu nhập: {name['vi']}", "en": f"Imported data: {name['en']}"},
        "period": {"start": year, "end": year},
        "plan_source": {"vi": "Dữ liệu do người dùng nhập", "en": "Data imported by the user"},
        "default_language": "vi",
        "default_view": {"center": [round(lat, 5), round(lon, 5)], "zoom": zoom},
    }


def _unique_id(wanted: str, taken: set[str]) -> str:
    candidate, n = wanted, 2
    while candidate in taken:
        candidate, n = f"{wanted}_{n}", n + 1
    return candidate


# --- save ---------------------------------------------------------------------------------


def save_import(
    inspection: Inspection,
    plan: ImportPlan,
    *,
    join: JoinResult | None = None,
    root: Path | None = None,
) -> SaveResult:
    """Write the import as a new user pack or into an existing user pack (never a shipped one).

    A vector upload becomes a layer (kind from `plan.kind` or the geometry: polygons with
    commune codes become a `boundary` commune layer with `code_field = "code"`). A table
    (CSV/XLSX) becomes a `[[tables]]` entry joined to the pack's commune layer, plus a
    choropleth of its first numeric column. Codes come from `join` (fuzzy matches only with
    `plan.accept_fuzzy`) or the mapped code column. Staged in a temp dir inside the data dir,
    validated with `load_pack`, then swapped in; on any failure the existing packs are
    untouched and IngestError is raised.
    """
    base = (root or user_data_dir()).expanduser()
    pack_id = check_slug(plan.pack_id)
    if not inspection.ok or inspection.needs_crs:
        raise _err(
            "Tệp chưa sẵn sàng để lưu (còn lỗi hoặc chưa xác nhận hệ toạ độ).",
            "The upload is not ready to save (it has errors or its CRS is not confirmed).",
        )
    _check_location(inspection, plan)
    if (SHIPPED_PACKS / pack_id / MANIFEST_NAME).is_file():
        raise _err(
            f"Mã gói {pack_id!r} là của gói có sẵn; hãy chọn mã khác.",
            f"Pack id {pack_id!r} belongs to a shipped pack; choose another id.",
        )
    target = base / pack_id
    if plan.into_existing:
        if not is_user_pack(target, base):
            raise _err(
                f"Không có gói người dùng {pack_id!r} để thêm vào.",
                f"No user pack {pack_id!r} to add to.",
            )
    elif target.exists():
        raise _err(
            f"Gói {pack_id!r} đã có; chọn mã khác hoặc thêm vào gói đó.",
            f"Pack {pack_id!r} already exists; choose another id or add to it.",
        )
    with staging(base) as work:
        return _stage_and_swap(inspection, plan, join, target, work)


@contextlib.contextmanager
def staging(base: Path) -> Iterator[Path]:
    """A private work folder in `<base>/.staging` for one save: orphans swept first, locked
    while the save runs (so a sweep never takes it), removed after. Write errors (GDAL
    refusing a value, a full disk) become the bilingual "nothing was saved"."""
    base.mkdir(parents=True, exist_ok=True)
    sweep_staging(base)
    staging_root = base / STAGING_DIR
    work = work_dir(staging_root)
    try:
        with hold_work_dir(work):
            yield work
    except _WRITE_ERRORS as exc:
        raise _err(
            f"Không ghi được gói, chưa lưu gì ({str(exc)[:300]}).",
            f"Cannot write the pack; nothing was saved ({str(exc)[:300]}).",
        ) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
        with contextlib.suppress(OSError):
            staging_root.rmdir()  # only when empty: another save may be using it


def _check_location(inspection: Inspection, plan: ImportPlan) -> None:
    """Refuse data that lies off Vietnam or away from the named province unless the user
    confirmed it (`plan.confirm_location`): a wrong CRS misplaces data without failing."""
    loc = inspection.location
    if loc is None or loc.warning is None or plan.confirm_location:
        return
    raise _err(
        f"Chưa lưu: {loc.warning.vi}. Nếu đúng như vậy, hãy xác nhận vị trí rồi lưu lại.",
        f"Not saved: {loc.warning.en}. If that is right, confirm the location and save again.",
    )


def _stage_and_swap(
    inspection: Inspection, plan: ImportPlan, join: JoinResult | None, target: Path, work: Path
) -> SaveResult:
    """Write the pack in `work`, validate it with `load_pack`, then swap it in."""
    pack_id = target.name
    staged = work / pack_id
    if plan.into_existing:
        shutil.copytree(target, staged, symlinks=False)
        raw = tomllib.loads((staged / MANIFEST_NAME).read_text(encoding="utf-8-sig"))
    else:
        staged.mkdir()
        raw = None
    raw, layer_id, table_id = _write_data(inspection, plan, join, staged, raw)
    (staged / MANIFEST_NAME).write_text(render_manifest(raw, _HEADER), encoding="utf-8")
    result = load_pack(staged)
    if result.pack is None:
        errors = result.report.errors[:8]
        raise _err(
            "Gói sau khi nhập không hợp lệ, chưa lưu gì: "
            + "; ".join(i.describe("vi") for i in errors),
            "The imported pack does not validate; nothing was saved: "
            + "; ".join(i.describe("en") for i in errors),
        )
    swap_in(staged, target, work)
    report = result.report
    report.pack = pack_id
    return SaveResult(pack_id, target, not plan.into_existing, layer_id, table_id, report)


def work_dir(staging_root: Path) -> Path:
    """A private work dir under `.staging`; the folder is created again if a save that just
    finished removed it in between (it removes `.staging` when it is empty)."""
    for _ in range(5):
        staging_root.mkdir(exist_ok=True)
        try:
            return Path(tempfile.mkdtemp(prefix="import-", dir=staging_root))
        except FileNotFoundError:
            continue
    raise OSError(f"cannot create a work folder in {staging_root}")


def swap_in(staged: Path, target: Path, work: Path) -> None:
    if not target.exists():
        os.rename(staged, target)  # fails rather than merging if the id appeared meanwhile
        return
    old = work / "previous"
    os.rename(target, old)
    try:
        os.rename(staged, target)
    except OSError:
        os.rename(old, target)
        raise


def _write_data(
    inspection: Inspection,
    plan: ImportPlan,
    join: JoinResult | None,
    staged: Path,
    raw: dict[str, Any] | None,
) -> tuple[dict[str, Any], str | None, str | None]:
    codes, keep = _joined_codes(inspection, plan, join)
    honesty = _honesty(inspection, plan)
    stem = inspection.name.rsplit(".", 1)[0]
    if raw is None:
        raw = {
            "format_version": FORMAT_VERSION,
            "pack": _pack_section(plan, codes, inspection.bounds, inspection.location),
            "honesty": honesty,
            "groups": [],
            "layers": [],
            "tables": [],
        }
    raw.setdefault("layers", [])
    raw.setdefault("tables", [])
    if not any(g["id"] == GROUP_ID for g in raw["groups"]):
        raw["groups"].append({"id": GROUP_ID, "title": dict(GROUP_TITLE)})
    taken = {la["id"] for la in raw["layers"]} | {t["id"] for t in raw["tables"]}
    wanted = check_slug(plan.layer_id, "layer id") if plan.layer_id else slugify(stem)
    if plan.layer_id and wanted in taken:
        raise _err(f"Mã lớp {wanted!r} đã có trong gói.", f"Layer id {wanted!r} already exists.")
    item_id = _unique_id(wanted, taken)
    title = _bi(plan.title, stem)
    mapping = plan.mapping
    name_field = mapping.name if mapping.name else None

    if inspection.frame is not None:
        frame = inspection.frame[keep.to_numpy()].copy()
        has_codes = codes is not None
        if has_codes:
            frame["code"] = [c for c, k in zip(codes, keep, strict=True) if k]
        kind = _kind_for(frame, plan, has_codes)
        if kind == "choropleth":
            raise _err(
                "Lớp choropleth cần một bảng số liệu: nhập bảng vào gói có lớp xã.",
                "A choropleth needs a table: import a table into a pack with a commune layer.",
            )
        dims = shapely.get_dimensions(frame.geometry.values)
        fits = dims == _DIMENSION[kind]
        if not fits.all():
            frame = frame[fits]
        if frame.empty:
            raise _err(
                f"Không đối tượng nào hợp với loại lớp {kind}.", f"No feature fits a {kind} layer."
            )
        frame = frame.set_geometry(shapely.force_2d(frame.geometry.values))
        if name_field is None and has_codes:
            name_field = "code"
        fields = [f for f in mapping.fields if f in frame.columns and f not in ("code",)]
        if name_field and name_field != "code" and name_field in frame.columns:
            pass
        elif name_field not in frame.columns:
            name_field = None
        keep_cols = list(dict.fromkeys([*fields, *([name_field] if name_field else [])]))
        if has_codes:
            keep_cols = ["code", *[c for c in keep_cols if c != "code"]]
        out = gpd.GeoDataFrame(
            _clean_frame(pd.DataFrame(frame[keep_cols])),
            geometry=frame.geometry.values,
            crs="EPSG:4326",
        )
        rel = f"layers/{item_id}.geojson"
        (staged / "layers").mkdir(exist_ok=True)
        pyogrio.write_dataframe(out, staged / rel, driver="GeoJSON")
        raw["layers"].append(
            _layer_entry(item_id, kind, rel, title, fields, name_field, has_codes, honesty)
        )
        return raw, item_id, None

    # A table: joined to the pack's commune layer.
    table = inspection.table
    assert table is not None
    if codes is None:
        raise _err(
            "Bảng cần cột mã xã hoặc tên xã để nối với các xã.",
            "A table needs a commune code or name column to join to the communes.",
        )
    join_layer = plan.join_layer or next(
        (la["id"] for la in raw["layers"] if la.get("code_field") and la["kind"] != "choropleth"),
        None,
    )
    layer_spec = next((la for la in raw["layers"] if la["id"] == join_layer), None)
    if layer_spec is None or not layer_spec.get("code_field"):
        raise _err(
            "Bảng cần một gói có lớp xã (có mã xã); hãy nhập ranh giới xã trước.",
            "A table needs a pack with a commune layer (with codes); import the communes first.",
        )
    # The joined code replaces an upload column called `code` (mapped or not): it is the key.
    rows = table[keep.to_numpy()].drop(columns=["code"], errors="ignore")
    rows.insert(0, "code", [c for c, k in zip(codes, keep, strict=True) if k])
    columns = [c for c in mapping.fields if c in rows.columns and c not in ("code",)]
    year = mapping.year if mapping.year in rows.columns else None
    keys = ["code"] + ([year] if year else [])
    dup = rows.duplicated(subset=keys, keep=False)
    if dup.any():
        raise _err(
            f"{int(dup.sum())} dòng trùng mã xã{' và năm' if year else ''}.",
            f"{int(dup.sum())} rows share a commune code{' and year' if year else ''}.",
        )
    if not columns:
        raise _err("Bảng không có cột số liệu nào.", "The table has no data column to keep.")
    types = {c: _infer_type(rows[c]) for c in columns}
    rows = rows[[*keys, *columns]].astype(str).replace({"nan": "", "None": ""})
    rel = f"tables/{item_id}.csv"
    (staged / "tables").mkdir(exist_ok=True)
    rows.to_csv(staged / rel, index=False, encoding="utf-8")
    entry: dict[str, Any] = {
        "id": item_id,
        "file": rel,
        "title": title,
        "key": "code",
        "key_width": layer_spec.get("code_width", 5),
        "join_layer": join_layer,
    }
    if year:
        entry["year_column"] = year
    entry["columns"] = [_field_entry(c, types[c]) for c in columns]
    entry["honesty"] = honesty
    raw["tables"].append(entry)
    numeric = next((c for c in columns if types[c] in ("int", "float")), None)
    if numeric:
        map_id = _unique_id(f"{item_id}_map", taken | {item_id})
        raw["layers"].append(
            {
                "id": map_id,
                "kind": "choropleth",
                "file": layer_spec["file"],
                "group": GROUP_ID,
                "title": {"vi": f"{title['vi']}: {numeric}", "en": f"{title['en']}: {numeric}"},
                "visible": False,
                "name_field": layer_spec.get("name_field", "name"),
                "code_field": layer_spec["code_field"],
                "code_width": layer_spec.get("code_width", 5),
                "table": item_id,
                "style": {"type": "graduated", "field": numeric, "scheme": "quantiles",
                          "palette": "YlGn", "fill_opacity": 0.7, "weight": 1,
                          "color": "#636363"},
                "tooltip": [layer_spec.get("name_field", "name"), numeric],
                "honesty": honesty,
            }
        )  # fmt: skip
    return raw, None, item_id
