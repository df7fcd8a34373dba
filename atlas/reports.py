"""Tables about plan targets for the targets and compare pages and their downloads.

Pure functions (no Streamlit, no files): each builds a DataFrame from a pack and commune
frames (`code` + indicator columns, see `atlas.kpi`), with the same arithmetic as the rest of
the app (`atlas.kpi.evaluate`). The frames have stable English column names so tests and
code can read them; `localise` gives them the headers a planner reads, in Vietnamese or
English, for the screen and for the CSV / XLSX files (`to_csv`, `to_xlsx`).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from atlas import kpi
from atlas.edit_rule import same_value
from atlas.i18n import STRINGS, t
from atlas.kpi import CODE
from atlas.spec import FieldSpec, Pack

SUMMARY_COLUMNS: tuple[str, ...] = (
    "target_id",
    "target",
    "source",
    "year",
    "value",
    "target_value",
    "unit",
    "target_year",
    "gap",
    "met",
    "n_short",
    "n_missing",
    "n_communes",
)
SHORT_COLUMNS: tuple[str, ...] = (
    "target_id",
    "target",
    "source",
    "year",
    "code",
    "commune",
    "value",
    "target_value",
    "unit",
    "gap",
)
DIFF_COLUMNS: tuple[str, ...] = ("code", "commune", "column", "field", "value_a", "value_b")
DELTA_COLUMNS: tuple[str, ...] = (
    "target_id",
    "target",
    "unit",
    "target_value",
    "value_a",
    "value_b",
    "delta",
    "met_a",
    "met_b",
)
DECIMALS = 2
XLSX_SHEET_MAX = 31  # Excel's limit on a sheet name
_XLSX_BAD = re.compile(r"[\[\]:*?/\\]")


def _round(value: float | None) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), DECIMALS)


def targets_summary(
    pack: Pack,
    frames_by_year: Mapping[int, pd.DataFrame],
    lang: str = "vi",
    source: str = "",
) -> pd.DataFrame:
    """One row per target and year of `frames_by_year` (targets in pack order, years ascending).

    Columns `SUMMARY_COLUMNS`: the district value, the target, what is still missing (`gap`),
    whether it is met, and how many communes are short of it or have no data. `source` names
    where the figures come from (measured data, a scenario) and is copied to every row.
    """
    names = kpi.commune_names(pack)
    rows = []
    for spec in pack.targets:
        for year in sorted(frames_by_year):
            result = kpi.evaluate(spec, frames_by_year[year], names, year)
            rows.append(
                {
                    "target_id": spec.id,
                    "target": spec.label.get(lang),
                    "source": source,
                    "year": year,
                    "value": _round(result.value),
                    "target_value": float(spec.value),
                    "unit": spec.unit,
                    "target_year": spec.year,
                    "gap": _round(result.gap),
                    "met": result.met,
                    "n_short": len(result.short),
                    "n_missing": result.n_missing,
                    "n_communes": result.n_communes,
                }
            )
    return _typed(rows, SUMMARY_COLUMNS, ints=("year", "target_year"))


def communes_short(
    pack: Pack,
    frame: pd.DataFrame,
    year: int | None,
    lang: str = "vi",
    source: str = "",
    target_id: str | None = None,
) -> pd.DataFrame:
    """The communes whose own value is below a target (all targets, or only `target_id`).

    One row per target and commune, in pack order of targets and `atlas.kpi.evaluate`'s order
    of communes; `gap` is the commune's own distance to the target. A `sum` target has no
    per-commune share and lists nobody.
    """
    names = kpi.commune_names(pack)
    specs = [s for s in pack.targets if target_id is None or s.id == target_id]
    rows = []
    for spec in specs:
        result = kpi.evaluate(spec, frame, names, year)
        for code, name, value in result.short:
            rows.append(
                {
                    "target_id": spec.id,
                    "target": spec.label.get(lang),
                    "source": source,
                    "year": year,
                    "code": code,
                    "commune": name,
                    "value": _round(value),
                    "target_value": float(spec.value),
                    "unit": spec.unit,
                    "gap": _round(kpi.gap(value, spec.value)),
                }
            )
    return _typed(rows, SHORT_COLUMNS, ints=("year",))


def _typed(rows: list[dict], columns: tuple[str, ...], ints: tuple[str, ...]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=list(columns))
    for name in ("value", "target_value", "gap"):
        if name in out.columns:
            out[name] = out[name].astype("Float64")
    for name in ints:
        out[name] = out[name].astype("Int64")
    if "met" in out.columns:
        out["met"] = out["met"].astype("boolean")
    for name in ("n_short", "n_missing", "n_communes"):
        if name in out.columns:
            out[name] = out[name].astype("Int64")
    return out


# --- comparing two commune frames -------------------------------------------------------------


def commune_differences(
    pack: Pack, frame_a: pd.DataFrame, frame_b: pd.DataFrame, lang: str = "vi"
) -> pd.DataFrame:
    """Every (commune, indicator) whose value differs between two commune frames.

    Communes in `atlas.kpi.communes` order, indicators in `atlas.kpi.indicator_fields` order.
    `value_a` / `value_b` are the values as a user reads them (units, yes/no, "—" = no data).
    A commune present in only one frame counts as "no data" in the other.
    """
    fields: list[FieldSpec] = kpi.indicator_fields(pack)
    names = kpi.commune_names(pack)
    a = frame_a.set_index(frame_a[CODE].astype(str))
    b = frame_b.set_index(frame_b[CODE].astype(str))
    order = [c for c in kpi.communes(pack)[CODE].astype(str)]
    order += [c for c in dict.fromkeys([*a.index, *b.index]) if c not in set(order)]
    rows = []
    for code in order:
        for spec in fields:
            va = _cell(a, code, spec.name)
            vb = _cell(b, code, spec.name)
            if same_value(va, vb):  # the one rule of what counts as an edit
                continue
            rows.append(
                {
                    "code": code,
                    "commune": names.get(code, code),
                    "column": spec.name,
                    "field": spec.label.get(lang) or spec.name,
                    "value_a": _shown(spec, va, lang),
                    "value_b": _shown(spec, vb, lang),
                }
            )
    return pd.DataFrame(rows, columns=list(DIFF_COLUMNS))


def _cell(frame: pd.DataFrame, code: str, column: str) -> object:
    if column not in frame.columns or code not in frame.index:
        return None
    value = frame.at[code, column]
    if isinstance(value, pd.Series):  # a duplicated code: the first row, as materialise does
        value = value.iloc[0]
    return None if value is pd.NA else value


def _shown(spec: FieldSpec, value: object, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, np.bool_):
        value = bool(value)
    elif hasattr(value, "item") and not isinstance(value, bool):
        value = value.item()  # numpy scalar -> Python
    if isinstance(value, float) and value.is_integer() and spec.type == "int":
        value = int(value)
    return spec.display_value(value, lang)


def kpi_deltas(
    pack: Pack, frame_a: pd.DataFrame, frame_b: pd.DataFrame, lang: str = "vi"
) -> pd.DataFrame:
    """Each target's district value under A and under B, and `delta` = B − A (None without
    data on either side)."""
    names = kpi.commune_names(pack)
    rows = []
    for spec in pack.targets:
        ra = kpi.evaluate(spec, frame_a, names)
        rb = kpi.evaluate(spec, frame_b, names)
        delta = None if ra.value is None or rb.value is None else rb.value - ra.value
        rows.append(
            {
                "target_id": spec.id,
                "target": spec.label.get(lang),
                "unit": spec.unit,
                "target_value": float(spec.value),
                "value_a": _round(ra.value),
                "value_b": _round(rb.value),
                "delta": _round(delta),
                "met_a": ra.met,
                "met_b": rb.met,
            }
        )
    out = pd.DataFrame(rows, columns=list(DELTA_COLUMNS))
    for name in ("target_value", "value_a", "value_b", "delta"):
        out[name] = out[name].astype("Float64")
    for name in ("met_a", "met_b"):
        out[name] = out[name].astype("boolean")
    return out


# --- headers for people, and files ------------------------------------------------------------


def localise(
    frame: pd.DataFrame, lang: str = "vi", labels: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The frame with headers in `lang` (keys `targets.col.<name>`) and yes/no cells worded.

    `labels` overrides headers (e.g. the compare page names its A and B columns after the
    scenarios). Columns without a header key keep their name.
    """
    out = frame.copy()
    yes, no = t("targets.met", lang), t("targets.not_met", lang)
    for name in out.columns:
        if pd.api.types.is_bool_dtype(out[name]) or str(out[name].dtype) == "boolean":
            out[name] = ["" if pd.isna(v) else (yes if v else no) for v in out[name].astype(object)]
    headers = {}
    for name in out.columns:
        key = f"targets.col.{name}"
        headers[name] = t(key, lang) if key in STRINGS else name
    headers.update(labels or {})
    return out.rename(columns=headers)


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte order mark, so spreadsheet programs read Vietnamese correctly."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def sheet_name(name: str, taken: set[str] | None = None) -> str:
    """A valid, unique Excel sheet name: no []:*?/\\ and at most 31 characters."""
    base = _XLSX_BAD.sub(" ", name).strip().strip("'") or "Sheet"
    base = base[:XLSX_SHEET_MAX]
    out, n = base, 2
    while taken is not None and out.lower() in {s.lower() for s in taken}:
        suffix = f" ({n})"
        out = base[: XLSX_SHEET_MAX - len(suffix)] + suffix
        n += 1
    return out


def to_xlsx(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An .xlsx workbook (openpyxl) with one sheet per frame, header row frozen, columns sized
    to their content."""
    from openpyxl.utils import get_column_letter

    buffer = io.BytesIO()
    taken: set[str] = set()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            title = sheet_name(name, taken)
            taken.add(title)
            plain = frame.astype(object).where(frame.notna(), None)
            plain.to_excel(writer, sheet_name=title, index=False)
            sheet = writer.sheets[title]
            sheet.freeze_panes = "A2"
            for i, column in enumerate(plain.columns, start=1):
                cells = [str(column), *("" if v is None else str(v) for v in plain[column])]
                width = min(60, max(8, *(len(c) for c in cells)) + 2)
                sheet.column_dimensions[get_column_letter(i)].width = width
    return buffer.getvalue()
