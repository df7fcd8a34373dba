"""How far the district is from each plan target, computed from per-commune figures.

Everything here is a pure function of a *commune frame*: one row per commune, a `code` column
(text) and the pack's indicator columns, for one year. Measured data, scenarios, the CLI and the
pages all go through the same arithmetic, so a figure shown anywhere is the same figure.

NA means "no data": it is skipped in sums and means and counted in `n_missing`, never read as 0,
because a commune that did not report is not a commune with nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from atlas.joins import years as table_years
from atlas.spec import FieldSpec, Pack, TableSpec, TargetSpec

CODE = "code"
# A value this close below the target counts as meeting it (float sums of percentages).
TOLERANCE = 1e-9


@dataclass(frozen=True)
class KpiResult:
    """One target evaluated for one year: the district value and who is short of it.

    `value` and `gap` are None when no commune had usable data. `short` lists the communes
    whose own value is below the target as (code, name, value); `missing` the communes with
    no usable data as (code, name). A `sum` target has no per-commune share, so `short` is empty.
    """

    target_id: str
    year: int | None
    value: float | None
    target: float
    unit: str
    gap: float | None
    met: bool
    n_communes: int
    n_missing: int
    short: list[tuple[str, str, float]] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)


# --- arithmetic on one commune frame ----------------------------------------------------------


def _numbers(frame: pd.DataFrame, column: str | None) -> np.ndarray:
    """The column as float64 with NaN for NA; all NaN when the frame lacks the column."""
    if column is None or column not in frame.columns:
        return np.full(len(frame), np.nan)
    values = frame[column]
    if pd.api.types.is_bool_dtype(values) or values.dtype == "boolean":
        values = values.astype("Float64")
    return pd.to_numeric(values, errors="coerce").astype("Float64").to_numpy(float, na_value=np.nan)


def _bools(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """(is true, is known) per commune for a bool column; unknown when NA or absent."""
    if column not in frame.columns:
        none = np.zeros(len(frame), dtype=bool)
        return none, none
    values = frame[column].astype("boolean")
    known = values.notna().to_numpy(bool)
    return values.fillna(False).to_numpy(bool) & known, known


def _available(target: TargetSpec, frame: pd.DataFrame) -> np.ndarray:
    """Communes with every input the target needs (column, denominator, weight)."""
    if target.aggregate == "share_true":
        return _bools(frame, target.column)[1]
    ok = ~np.isnan(_numbers(frame, target.column))
    if target.aggregate == "ratio":
        ok &= ~np.isnan(_numbers(frame, target.denominator))
    if target.aggregate == "mean" and target.weight:
        ok &= ~np.isnan(_numbers(frame, target.weight))
    return ok


def district_value(target: TargetSpec, frame: pd.DataFrame) -> float | None:
    """The district figure by the target's `aggregate`; None when nothing is computable.

    ratio: Σcolumn / Σdenominator × 100 over communes with both; None if Σdenominator is 0.
    share_true: % of communes with a known value where it is true.
    mean: mean of the column, weighted by `weight` when given; None if Σweight is 0.
    sum: Σcolumn.
    """
    ok = _available(target, frame)
    if not ok.any():
        return None
    if target.aggregate == "share_true":
        true, _ = _bools(frame, target.column)
        return float(true[ok].sum()) / float(ok.sum()) * 100.0
    col = _numbers(frame, target.column)[ok]
    if target.aggregate == "ratio":
        den = _numbers(frame, target.denominator)[ok].sum()
        return float(col.sum() / den * 100.0) if den != 0 else None
    if target.aggregate == "mean":
        if target.weight:
            weights = _numbers(frame, target.weight)[ok]
            total = weights.sum()
            return float((col * weights).sum() / total) if total != 0 else None
        return float(col.mean())
    if target.aggregate == "sum":
        return float(col.sum())
    raise ValueError(f"unknown aggregate {target.aggregate!r}")


def commune_values(target: TargetSpec, frame: pd.DataFrame) -> pd.Series:
    """Each commune's own value on the target's scale (Float64, NA = no data or undefined).

    ratio: column / denominator × 100 (NA when the denominator is 0: nothing to cover);
    share_true: 100 when true, 0 when false; mean and sum: the commune's value.
    """
    out = _commune_array(target, frame)
    return pd.Series(out, index=frame.index, dtype="Float64").where(~np.isnan(out), pd.NA)


def _commune_array(target: TargetSpec, frame: pd.DataFrame) -> np.ndarray:
    if target.aggregate == "share_true":
        true, known = _bools(frame, target.column)
        return np.where(known, np.where(true, 100.0, 0.0), np.nan)
    if target.aggregate == "ratio":
        col = _numbers(frame, target.column)
        den = _numbers(frame, target.denominator)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(den != 0, col / den * 100.0, np.nan)
    return _numbers(frame, target.column)


def gap(value: float | None, target: float) -> float | None:
    """How much is still missing: target − value when short, 0 when met, None without data."""
    if value is None:
        return None
    return 0.0 if is_met(value, target) else float(target - value)


def is_met(value: float | None, target: float) -> bool:
    return value is not None and value >= target - TOLERANCE


def evaluate(
    target: TargetSpec,
    frame: pd.DataFrame,
    names: Mapping[str, str] | None = None,
    year: int | None = None,
) -> KpiResult:
    """The target against one commune frame (`code` + indicator columns, one year)."""
    names = names or {}
    codes = frame[CODE].astype(str).tolist() if CODE in frame.columns else [""] * len(frame)
    value = district_value(target, frame)
    ok = _available(target, frame)
    short: list[tuple[str, str, float]] = []
    if target.aggregate != "sum":
        per = _commune_array(target, frame)
        for code, v in zip(codes, per, strict=True):
            if not math.isnan(v) and not is_met(float(v), target.value):
                short.append((code, names.get(code, code), float(v)))
    missing = [(c, names.get(c, c)) for c, good in zip(codes, ok, strict=True) if not good]
    return KpiResult(
        target_id=target.id,
        year=year,
        value=value,
        target=float(target.value),
        unit=target.unit,
        gap=gap(value, target.value),
        met=is_met(value, target.value),
        n_communes=len(frame),
        n_missing=len(missing),
        short=short,
        missing=missing,
    )


# --- reading a pack ---------------------------------------------------------------------------


def target(pack: Pack, target_id: str) -> TargetSpec:
    found = next((t for t in pack.targets if t.id == target_id), None)
    if found is None:
        raise KeyError(f"pack {pack.id!r} has no target {target_id!r}")
    return found


def target_tables(pack: Pack) -> list[TableSpec]:
    """The tables some target measures, in manifest order."""
    used = {t.table for t in pack.targets}
    return [t for t in pack.tables if t.id in used]


def indicator_fields(pack: Pack) -> list[FieldSpec]:
    """The columns the targets read (column, denominator, weight), in table column order.

    These are the pack's coverage indicators: what a scenario may change. Display-only columns
    (e.g. a precomputed percentage for the map) are left out so an edit cannot leave them stale.
    """
    used = {c for t in pack.targets for c in (t.column, t.denominator, t.weight) if c}
    out: list[FieldSpec] = []
    seen: set[str] = set()
    for table in target_tables(pack):
        for col in table.columns:
            if col.name in used and col.name not in seen:
                out.append(col)
                seen.add(col.name)
    return out


def data_years(pack: Pack) -> list[int]:
    """Years with measured data in any target table, ascending."""
    found: set[int] = set()
    for table in target_tables(pack):
        found.update(table_years(pack, table.id))
    return sorted(found)


def communes(pack: Pack) -> pd.DataFrame:
    """`code`, `name` of every commune of the target tables' join layer, in layer order."""
    tables = target_tables(pack) or list(pack.tables)
    if tables:
        layer = pack.manifest.layer(tables[0].join_layer)
    else:
        # A pack without tables (e.g. an imported commune layer): its first coded layer.
        layer = next((la for la in pack.layers if la.code_field), None)
        if layer is None:
            return pd.DataFrame({CODE: pd.Series(dtype=object), "name": pd.Series(dtype=object)})
    frame = pack.frames.get(layer.id)
    if not tables and (frame is None or layer.code_field not in frame.columns):
        return pd.DataFrame({CODE: pd.Series(dtype=object), "name": pd.Series(dtype=object)})
    if frame is None or not layer.code_field or layer.code_field not in frame.columns:
        codes = sorted(set(pack.table_frames[tables[0].id][tables[0].key].dropna()))
        return pd.DataFrame({CODE: codes, "name": codes}, dtype=object)
    names = (
        frame[layer.name_field] if layer.name_field in frame.columns else frame[layer.code_field]
    )
    out = pd.DataFrame(
        {CODE: frame[layer.code_field].astype(object), "name": names.astype(object)}
    ).dropna(subset=[CODE])
    out["name"] = out["name"].where(out["name"].notna(), out[CODE])
    return out.drop_duplicates(subset=[CODE]).reset_index(drop=True)


def commune_names(pack: Pack) -> dict[str, str]:
    frame = communes(pack)
    return dict(zip(frame[CODE].astype(str), frame["name"].astype(str), strict=True))


def measured_frame(pack: Pack, year: int | None = None) -> pd.DataFrame:
    """The measured commune frame of `year` (latest when None): every commune, NA if no row.

    Column dtypes follow the pack (Int64, Float64, boolean); `code` is text.
    """
    fields = indicator_fields(pack)
    out = communes(pack)[[CODE]].copy()
    for table in target_tables(pack):
        rows = pack.table_frames.get(table.id)
        wanted = [f.name for f in fields if table.column(f.name) is not None]
        wanted = [c for c in wanted if c not in out.columns]
        if rows is None or not wanted:
            continue
        if table.year_column and table.year_column in rows.columns:
            pick = year
            if pick is None:
                known = rows[table.year_column].dropna()
                pick = int(known.max()) if len(known) else None
            mask = (rows[table.year_column] == pick).fillna(False).astype(bool)
            rows = rows[mask]
        rows = rows.drop_duplicates(subset=[table.key])[[table.key, *wanted]]
        rows = rows.rename(columns={table.key: CODE})
        out = out.merge(rows, how="left", on=CODE)
    for spec in fields:
        if spec.name not in out.columns:
            out[spec.name] = pd.NA
        out[spec.name] = out[spec.name].astype(dtype_of(spec))
    return out[[CODE, *[f.name for f in fields]]].reset_index(drop=True)


def dtype_of(spec: FieldSpec) -> str:
    """The pandas nullable dtype the loader gives a column of this type."""
    return {"int": "Int64", "float": "Float64", "bool": "boolean"}.get(spec.type, "object")


def evaluate_pack(
    pack: Pack, frame: pd.DataFrame | None = None, year: int | None = None
) -> list[KpiResult]:
    """Every target of the pack against `frame` (default: measured data of `year`)."""
    if frame is None:
        if year is None and data_years(pack):
            year = data_years(pack)[-1]
        frame = measured_frame(pack, year)
    names = commune_names(pack)
    return [evaluate(t, frame, names, year) for t in pack.targets]


def progress(
    pack: Pack,
    target_id: str,
    values_by_year: Mapping[int, pd.DataFrame] | None = None,
) -> list[KpiResult]:
    """The target year by year over the plan period (plus any year given), ascending.

    `values_by_year` supplies commune frames (e.g. a scenario per year); other years use the
    measured data, and a year with no data gives a result with value None.
    """
    spec = target(pack, target_id)
    given = dict(values_by_year or {})
    span = set(range(pack.meta.period_start, pack.meta.period_end + 1)) | set(given)
    names = commune_names(pack)
    out = []
    for year in sorted(span):
        frame = given[year] if year in given else measured_frame(pack, year)
        out.append(evaluate(spec, frame, names, year))
    return out
