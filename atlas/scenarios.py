"""Scenarios: "what if these communes had these figures?", as a base plus per-commune edits.

A scenario never copies a whole table: it names a base (the measured data of its year, the
plan, or another scenario) and stores only the cells someone changed. `materialise` turns it
into a commune frame (`code` + the pack's indicator columns, see `atlas.kpi`) that the KPI
functions read exactly like measured data.

Everything here is pure (no files, no database): the store persists what these functions make.
Problems are returned as `Problem`s with a code, parameters and a Vietnamese and an English
message, each naming the commune and the field, because a planner fixes them by hand.
"""

from __future__ import annotations

import csv
import io
import math
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

import numpy as np
import pandas as pd

from atlas import kpi
from atlas.kpi import CODE
from atlas.spec import FieldSpec, Pack, Text
from atlas.text import fold, normalise_code, parse_bool

MEASURED = "measured"
PLAN = "plan"
Value = int | float | bool | None
EditKey = tuple[str, str]  # (commune code, column)
CSV_HEADER = ("code", "column", "value")
MAX_NAME = 200


# --- problems ---------------------------------------------------------------------------------

_MESSAGES: dict[str, tuple[str, str]] = {
    "unknown_commune": (
        "Không có xã mã {commune} trong gói dữ liệu.",
        "There is no commune with code {commune} in the pack.",
    ),
    "unknown_column": (
        "“{column}” không phải chỉ tiêu sửa được (các trường sửa được: {allowed}).",
        "“{column}” is not an editable indicator (editable fields: {allowed}).",
    ),
    "not_int": (
        "{where}, {field}: “{value}” không phải số nguyên.",
        "{where}, {field}: “{value}” is not a whole number.",
    ),
    "not_number": (
        "{where}, {field}: “{value}” không phải số.",
        "{where}, {field}: “{value}” is not a number.",
    ),
    "not_bool": (
        "{where}, {field}: “{value}” không phải có/không.",
        "{where}, {field}: “{value}” is not yes/no.",
    ),
    "percent_range": (
        "{where}, {field}: {value} nằm ngoài khoảng 0–100 %.",
        "{where}, {field}: {value} is outside 0–100 %.",
    ),
    "negative": (
        "{where}, {field}: {value} là số âm; số đếm không được âm.",
        "{where}, {field}: {value} is negative; a count cannot be.",
    ),
    "exceeds_denominator": (
        "{where}: {field} ({value}) lớn hơn {denominator} ({limit}).",
        "{where}: {field} ({value}) is larger than {denominator} ({limit}).",
    ),
    "duplicate_row": (
        "{where}, {field}: đã có ở dòng {first}.",
        "{where}, {field}: already given on row {first}.",
    ),
    "bad_header": (
        "Dòng tiêu đề phải có các cột {expected}; tệp có: {found}.",
        "The header must have the columns {expected}; the file has: {found}.",
    ),
    "bad_csv_header": (
        "Dòng đầu phải là tên các cột: hoặc code và các cột chỉ tiêu ({fields}) như tệp tải "
        "về, hoặc code, column, value (mỗi dòng một ô đã sửa); tệp có: {found}.",
        "The first line must name the columns: either code and the indicator columns "
        "({fields}) as in a downloaded file, or code, column, value (one edited cell per "
        "line); the file has: {found}.",
    ),
    "duplicate_commune": (
        "{where}: xã này đã có ở dòng {first}.",
        "{where}: this commune is already on row {first}.",
    ),
    "empty_name": ("Tên kịch bản không được để trống.", "The scenario needs a name."),
    "long_name": (
        "Tên kịch bản dài quá {limit} ký tự.",
        "The scenario name is longer than {limit} characters.",
    ),
    "duplicate_name": (
        "Đã có kịch bản tên “{name}”.",
        "There is already a scenario named “{name}”.",
    ),
    "builtin": (
        "“{name}” là kịch bản có sẵn, không sửa hay xoá được; hãy sao chép nó.",
        "“{name}” is a built-in scenario and cannot be changed or deleted; copy it instead.",
    ),
    "unknown_base": (
        "Kịch bản gốc “{base}” không tồn tại.",
        "The base scenario “{base}” does not exist.",
    ),
    "base_cycle": (
        "Kịch bản “{name}” lấy chính nó làm gốc (qua {chain}).",
        "Scenario “{name}” is its own base (through {chain}).",
    ),
    "in_use": (
        "Không xoá được “{name}”: các kịch bản {dependents} đang dùng nó làm gốc.",
        "Cannot delete “{name}”: scenarios {dependents} use it as their base.",
    ),
    "unknown_scenario": (
        "Không có kịch bản “{ref}”. Có: {known}.",
        "No scenario “{ref}”. Known: {known}.",
    ),
    "ambiguous_scenario": (
        "Có nhiều kịch bản tên “{ref}”; hãy dùng mã: {ids}.",
        "Several scenarios are named “{ref}”; use an id: {ids}.",
    ),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an edit or a scenario, ready to show in either language.

    `row` is the CSV line (header = 1) when the problem comes from an import.
    """

    code: str
    vi: str
    en: str
    commune: str | None = None
    column: str | None = None
    row: int | None = None
    params: Mapping[str, object] = field(default_factory=dict)

    def message(self, lang: str = "vi") -> str:
        text = self.en if lang == "en" else self.vi
        if self.row is not None:
            prefix = f"Row {self.row}: " if lang == "en" else f"Dòng {self.row}: "
            text = prefix + text
        return text

    def __str__(self) -> str:
        return self.message("vi")


def problem(
    code: str,
    *,
    commune: str | None = None,
    column: str | None = None,
    row: int | None = None,
    names: Mapping[str, str] | None = None,
    label: Text | None = None,
    field_name: str | None = None,
    **params: object,
) -> Problem:
    """Build a Problem; `{where}` is the commune, `{field}` the field's label per language.

    A Text parameter is shown in the message's language. `field_name` is the column shown in
    `{field}` when it is not the one the problem is attached to (a numerator above its
    denominator is worded about the numerator whichever of the two was edited).
    """
    vi_tpl, en_tpl = _MESSAGES[code]
    texts = []
    for lang, tpl in (("vi", vi_tpl), ("en", en_tpl)):
        where = ""
        if commune is not None:
            name = (names or {}).get(commune)
            what = "Xã" if lang == "vi" else "Commune"
            where = f"{name} ({commune})" if name else f"{what} {commune}"
        shown = field_name or column
        fld = label.get(lang) if label is not None else (shown or "")
        # The column's id only for a CSV import, whose header names it; elsewhere the label.
        fld = f"{fld} [{shown}]" if shown and fld != shown and row is not None else fld
        local = {k: v.get(lang) if isinstance(v, Text) else v for k, v in params.items()}
        texts.append(tpl.format(where=where, field=fld, commune=commune, column=column, **local))
    plain = {k: v.en if isinstance(v, Text) else v for k, v in params.items()}
    all_params = {"commune": commune, "column": column, **plain}
    return Problem(code, texts[0], texts[1], commune, column, row, all_params)


class ScenarioError(ValueError):
    """An operation refused for the reasons in `problems` (bilingual)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.vi} / {p.en}" for p in problems))


# --- the model --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """A named set of per-commune indicator values for a year: a base plus edits.

    `base` is "measured", "plan" or another scenario's id. `edits` maps (commune code, column)
    to the value that replaces the base's (None = "no data"). `version` is 0 until first saved;
    the store increments it on every save and refuses a save from a stale version.
    """

    id: str
    pack_id: str
    name: str
    description: str = ""
    year: int | None = None
    base: str = MEASURED
    edits: Mapping[EditKey, Value] = field(default_factory=dict)
    version: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None
    builtin: bool = False


def new_id() -> str:
    return uuid.uuid4().hex


def measured_id(year: int | None) -> str:
    return f"measured-{year}" if year is not None else "measured"


def plan_id(year: int | None) -> str:
    return f"plan-{year}" if year is not None else "plan"


def plan_year(pack: Pack) -> int:
    """The plan's horizon: the latest target year, else the end of the plan period."""
    return max((t.year for t in pack.targets), default=pack.meta.period_end)


def builtin_scenarios(pack: Pack) -> list[Scenario]:
    """Measured first year, measured latest year, and the plan (every target met)."""
    years = kpi.data_years(pack)
    out: list[Scenario] = []
    for year in dict.fromkeys([years[0], years[-1]] if years else [None]):
        out.append(
            Scenario(
                id=measured_id(year),
                pack_id=pack.id,
                name=f"Hiện trạng {year}" if year is not None else "Hiện trạng",
                description="Số liệu hiện trạng của gói dữ liệu. / The pack's recorded figures.",
                year=year,
                base=MEASURED,
                builtin=True,
            )
        )
    if pack.targets:
        year = plan_year(pack)
        out.append(
            Scenario(
                id=plan_id(year),
                pack_id=pack.id,
                name=f"Kế hoạch {year}",
                description=(
                    "Mọi chỉ tiêu của kế hoạch đều đạt. / Every target of the plan is met."
                ),
                year=year,
                base=PLAN,
                builtin=True,
            )
        )
    return out


def title(scenario: Scenario, lang: str = "vi") -> str:
    """The scenario's name in `lang`: built-ins are translated, user names are as typed."""
    if lang != "en" or not scenario.builtin:
        return scenario.name
    word = "Plan" if scenario.base == PLAN else "Measured"
    return f"{word} {scenario.year}" if scenario.year is not None else word


def registry(pack: Pack, stored: Iterable[Scenario] = ()) -> dict[str, Scenario]:
    """Every scenario of the pack by id: built-ins first, then stored ones of this pack."""
    out = {s.id: s for s in builtin_scenarios(pack)}
    for s in stored:
        if s.pack_id == pack.id:
            out[s.id] = s
    return out


def find_scenario(reg: Mapping[str, Scenario], ref: str) -> Scenario:
    """A scenario by id, else by name (case, accents and spacing ignored)."""
    if ref in reg:
        return reg[ref]
    matches = [
        s for s in reg.values() if fold(s.name) == fold(ref) or fold(title(s, "en")) == fold(ref)
    ]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ScenarioError(
            [problem("ambiguous_scenario", ref=ref, ids=", ".join(s.id for s in matches))]
        )
    known = ", ".join(f"{s.name} [{s.id}]" for s in reg.values())
    raise ScenarioError([problem("unknown_scenario", ref=ref, known=known)])


# --- making and changing scenarios (pure: each returns a new Scenario) ----------------------


def new_scenario(
    pack: Pack,
    name: str,
    *,
    base: str = MEASURED,
    year: int | None = None,
    description: str = "",
    scenario_id: str | None = None,
) -> Scenario:
    """An unsaved scenario with no edits; `year` defaults to the latest measured year."""
    if year is None:
        years = kpi.data_years(pack)
        year = years[-1] if years else None
    return Scenario(
        id=scenario_id or new_id(),
        pack_id=pack.id,
        name=name.strip(),
        description=description,
        year=year,
        base=base,
    )


def copy_scenario(
    source: Scenario, name: str | None = None, scenario_id: str | None = None
) -> Scenario:
    """An independent, unsaved copy: same base, year and edits; later changes do not follow."""
    return Scenario(
        id=scenario_id or new_id(),
        pack_id=source.pack_id,
        name=(name if name is not None else f"{source.name} (bản sao)").strip(),
        description=source.description,
        year=source.year,
        base=source.base,
        edits=dict(source.edits),
    )


def rename(scenario: Scenario, name: str) -> Scenario:
    _refuse_builtin(scenario)
    return replace(scenario, name=name.strip())


def describe(scenario: Scenario, description: str) -> Scenario:
    _refuse_builtin(scenario)
    return replace(scenario, description=description)


def set_edit(scenario: Scenario, code: str, column: str, value: Value) -> Scenario:
    _refuse_builtin(scenario)
    edits = dict(scenario.edits)
    edits[(code, column)] = value
    return replace(scenario, edits=edits)


def clear_edit(scenario: Scenario, code: str, column: str) -> Scenario:
    """Back to the base's value for that cell."""
    _refuse_builtin(scenario)
    edits = {k: v for k, v in scenario.edits.items() if k != (code, column)}
    return replace(scenario, edits=edits)


def with_edits(
    scenario: Scenario, edits: Mapping[EditKey, Value], replace_all: bool = False
) -> Scenario:
    """Merge `edits` into the scenario's (or replace them all when `replace_all`)."""
    _refuse_builtin(scenario)
    merged = {} if replace_all else dict(scenario.edits)
    merged.update(edits)
    return replace(scenario, edits=merged)


def dependents(reg: Mapping[str, Scenario], scenario_id: str) -> list[Scenario]:
    """Scenarios whose base is `scenario_id`: deleting it would leave them without a base."""
    return [s for s in reg.values() if s.base == scenario_id]


def delete_scenario(reg: Mapping[str, Scenario], scenario_id: str) -> dict[str, Scenario]:
    """The registry without the scenario; refused for built-ins and scenarios in use."""
    scenario = reg[scenario_id]
    _refuse_builtin(scenario)
    users = dependents(reg, scenario_id)
    if users:
        names = ", ".join(f"“{s.name}”" for s in users)
        raise ScenarioError([problem("in_use", name=scenario.name, dependents=names)])
    return {k: v for k, v in reg.items() if k != scenario_id}


def name_key(name: str) -> str:
    """What two names clash on: case, accents, Unicode form and spacing ignored. The store
    keeps it in a uniquely indexed column, so it must stay the same fold as here."""
    return fold(name)


def check_name(
    name: str, reg: Mapping[str, Scenario], exclude_id: str | None = None
) -> list[Problem]:
    """A name must be non-empty, not too long, and unique among the pack's scenarios."""
    name = name.strip()
    if not name:
        return [problem("empty_name")]
    if len(name) > MAX_NAME:
        return [problem("long_name", limit=MAX_NAME)]
    for s in reg.values():
        if s.id != exclude_id and name_key(s.name) == name_key(name):
            return [problem("duplicate_name", name=name)]
    return []


def _refuse_builtin(scenario: Scenario) -> None:
    if scenario.builtin:
        raise ScenarioError([problem("builtin", name=scenario.name)])


# --- materialising ----------------------------------------------------------------------------


def base_year(pack: Pack, year: int | None) -> int | None:
    """The measured year a scenario of `year` starts from: that year, else the latest before
    it (the state carried forward), else the first year with data."""
    years = kpi.data_years(pack)
    if not years:
        return None
    if year is None:
        return years[-1]
    before = [y for y in years if y <= year]
    return before[-1] if before else years[0]


def plan_frame(pack: Pack, year: int | None) -> pd.DataFrame:
    """Measured figures of the base year changed so that every target is met.

    sum (a district total): the shortfall is shared among the communes with data in proportion
    to their current value, so every commune grows by the same percentage (equally when they
    all have 0; see `spread_shortfall`). Done first, so a ratio on the same columns is met
    afterwards. ratio: numerator = denominator; share_true: true everywhere; mean: at least the
    target value in every commune (a commune already above keeps its value).
    """
    frame = kpi.measured_frame(pack, base_year(pack, year))
    fields = editable_fields(pack)
    for t in pack.targets:
        if t.aggregate == "sum" and t.column in frame.columns:
            integer = fields[t.column].type == "int" if t.column in fields else False
            frame[t.column] = spread_shortfall(frame[t.column], t.value, integer)
    for t in pack.targets:
        if t.column not in frame.columns:
            continue
        if t.aggregate == "ratio" and t.denominator in frame.columns:
            den = frame[t.denominator]
            frame[t.column] = den.where(den.notna(), frame[t.column]).astype(frame[t.column].dtype)
        elif t.aggregate == "share_true":
            frame[t.column] = pd.array([True] * len(frame), dtype="boolean")
        elif t.aggregate == "mean":
            col = frame[t.column]
            low = col.isna() | (col < t.value)
            frame[t.column] = col.where(~low.fillna(True), t.value).astype(col.dtype)
    return frame


def spread_shortfall(values: pd.Series, total: float, integer: bool) -> pd.Series:
    """`values` raised so that their sum reaches `total` (unchanged when it already does).

    The shortfall goes to the communes with data, in proportion to their value (each grows by
    the same percentage), or in equal parts when their values are all 0; when no commune has
    data, every commune gets an equal part. Whole-number columns get whole shares: the
    shortfall is rounded up and shared by largest remainder, so the sum meets the total.
    """
    current = pd.to_numeric(values, errors="coerce").astype("Float64")
    known = current.notna().to_numpy(bool).copy()
    if not known.any():
        known[:] = True
    base = current.fillna(0).to_numpy(float)
    need = float(total) - float(base[known].sum())
    if need <= 0 or len(base) == 0:
        return values
    weights = np.where(known, base, 0.0)
    if weights.sum() <= 0:
        weights = known.astype(float)
    share = need * weights / weights.sum()
    if integer:
        whole = np.floor(share)
        left = int(math.ceil(need - kpi.TOLERANCE)) - int(whole.sum())
        order = np.argsort(-(share - whole), kind="stable")
        whole[order[:left]] += 1
        share = whole
    out = pd.Series(np.where(known, base + share, np.nan), index=values.index)
    return out.round().astype("Int64") if integer else out.astype(values.dtype)


def base_frame(pack: Pack, scenario: Scenario, reg: Mapping[str, Scenario]) -> pd.DataFrame:
    """The commune frame the scenario's edits apply to."""
    return _resolve(pack, scenario, reg, [scenario.id], base_only=True)


def materialise(pack: Pack, scenario: Scenario, reg: Mapping[str, Scenario]) -> pd.DataFrame:
    """One row per commune: `code` + indicator columns, the base with the edits applied.

    An edit naming a commune or column the pack no longer has is skipped here and reported
    by `validate_scenario`; a missing or cyclic base raises ScenarioError.
    """
    return _resolve(pack, scenario, reg, [scenario.id], base_only=False)


def _resolve(
    pack: Pack,
    scenario: Scenario,
    reg: Mapping[str, Scenario],
    chain: list[str],
    base_only: bool,
) -> pd.DataFrame:
    if scenario.base == MEASURED:
        frame = kpi.measured_frame(pack, base_year(pack, scenario.year))
    elif scenario.base == PLAN:
        frame = plan_frame(pack, scenario.year)
    elif scenario.base in chain:
        names = " → ".join(reg[i].name if i in reg else i for i in [*chain, scenario.base])
        raise ScenarioError([problem("base_cycle", name=scenario.name, chain=names)])
    elif scenario.base not in reg:
        raise ScenarioError([problem("unknown_base", base=scenario.base)])
    else:
        parent = reg[scenario.base]
        frame = _resolve(pack, parent, reg, [*chain, parent.id], base_only=False)
    if base_only:
        return frame
    return apply_edits(frame, scenario.edits)


def apply_edits(frame: pd.DataFrame, edits: Mapping[EditKey, Value]) -> pd.DataFrame:
    """A copy of `frame` with the edits written in; unknown communes or columns are skipped."""
    out = frame.copy()
    position = {code: i for i, code in enumerate(out[CODE])}
    for (code, column), value in edits.items():
        if code not in position or column not in out.columns or column == CODE:
            continue
        try:
            out.loc[out.index[position[code]], column] = pd.NA if value is None else value
        except (TypeError, ValueError):
            continue  # a value of the wrong type: validate_scenario reports it
    return out


# --- validation -------------------------------------------------------------------------------


def ratio_pairs(pack: Pack) -> list[tuple[str, str]]:
    """(numerator, denominator) column pairs from the ratio targets: numerator ≤ denominator."""
    pairs = [(t.column, t.denominator) for t in pack.targets if t.aggregate == "ratio"]
    return list(dict.fromkeys((n, d) for n, d in pairs if d))


def editable_fields(pack: Pack) -> dict[str, FieldSpec]:
    return {f.name: f for f in kpi.indicator_fields(pack)}


def coerce_value(spec: FieldSpec, raw: object) -> tuple[Value, str | None]:
    """A typed value for the column, or (None, problem code) when `raw` is not one.

    Accepts Python values and text (from a form or a CSV): "" and None mean "no data".
    Whole floats are accepted for int columns ("12.0" → 12); a comma decimal is accepted.
    """
    if raw is None or (isinstance(raw, float) and math.isnan(raw)) or raw is pd.NA:
        return None, None
    if isinstance(raw, str):
        raw = raw.strip()
        if raw == "":
            return None, None
    if spec.type == "bool":
        value = raw if isinstance(raw, bool) else parse_bool(raw)
        return (value, None) if isinstance(value, bool) else (None, "not_bool")
    if isinstance(raw, bool):
        return None, "not_int" if spec.type == "int" else "not_number"
    number: float
    try:
        number = float(raw.replace(",", ".")) if isinstance(raw, str) else float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None, "not_int" if spec.type == "int" else "not_number"
    if not math.isfinite(number):
        return None, "not_number"
    if spec.type == "int":
        return (int(number), None) if number.is_integer() else (None, "not_int")
    return number, None


def value_problems(
    spec: FieldSpec, code: str, raw: object, names: Mapping[str, str], row: int | None
) -> tuple[Value, list[Problem]]:
    value, bad = coerce_value(spec, raw)
    common = {"commune": code, "column": spec.name, "names": names, "label": spec.label, "row": row}
    if bad:
        return None, [problem(bad, value=raw, **common)]
    if value is None or isinstance(value, bool):
        return value, []
    if spec.unit == "%" and not 0 <= value <= 100:
        return value, [problem("percent_range", value=_fmt(value), **common)]
    if spec.type == "int" and value < 0:
        return value, [problem("negative", value=_fmt(value), **common)]
    return value, []


def pair_problems(
    pack: Pack,
    frame: pd.DataFrame,
    touched: Iterable[EditKey],
    names: Mapping[str, str],
    rows: Mapping[EditKey, int] | None = None,
) -> list[Problem]:
    """numerator > denominator in a commune whose numerator or denominator was edited."""
    fields = editable_fields(pack)
    position = {code: i for i, code in enumerate(frame[CODE])}
    touched = set(touched)
    out: list[Problem] = []
    for num, den in ratio_pairs(pack):
        if num not in frame.columns or den not in frame.columns:
            continue
        for code in sorted({c for c, col in touched if col in (num, den)}):
            if code not in position:
                continue
            a = frame[num].iloc[position[code]]
            b = frame[den].iloc[position[code]]
            if pd.isna(a) or pd.isna(b) or a <= b:
                continue
            blame = (code, num) if (code, num) in touched else (code, den)
            out.append(
                problem(
                    "exceeds_denominator",
                    commune=code,
                    column=blame[1],
                    names=names,
                    label=fields[num].label if num in fields else None,
                    field_name=num,
                    row=(rows or {}).get(blame),
                    value=_fmt(a),
                    denominator=_labelled(fields.get(den), den),
                    denominator_column=den,
                    limit=_fmt(b),
                )
            )
    return out


def _labelled(spec: FieldSpec | None, name: str) -> Text:
    if spec is None:
        return Text(name, name)
    return spec.label


def validate_edit(
    pack: Pack, frame: pd.DataFrame, code: str, column: str, raw: object
) -> tuple[Value, list[Problem]]:
    """Check one edit against the scenario's current commune frame; returns the typed value.

    Checks the commune and field exist, the type, 0–100 for %, no negative counts, and that
    a numerator stays ≤ its denominator in that commune once the edit is applied.
    """
    names = kpi.commune_names(pack)
    fields = editable_fields(pack)
    if code not in set(frame[CODE]):
        return None, [problem("unknown_commune", commune=code, names=names)]
    if column not in fields:
        return None, [problem("unknown_column", column=column, allowed=", ".join(fields))]
    value, problems = value_problems(fields[column], code, raw, names, None)
    if problems:
        return value, problems
    after = apply_edits(frame, {(code, column): value})
    return value, pair_problems(pack, after, [(code, column)], names)


def validate_scenario(pack: Pack, scenario: Scenario, reg: Mapping[str, Scenario]) -> list[Problem]:
    """Every problem of the scenario's edits (and its base), in edit order."""
    try:
        frame = base_frame(pack, scenario, reg)
    except ScenarioError as exc:
        return list(exc.problems)
    return _check_edits(pack, frame, list(scenario.edits.items()), rows=None)[0]


def _check_edits(
    pack: Pack,
    frame: pd.DataFrame,
    items: list[tuple[EditKey, object]],
    rows: list[int] | None,
) -> tuple[list[Problem], dict[EditKey, Value]]:
    names = kpi.commune_names(pack)
    fields = editable_fields(pack)
    known = set(frame[CODE])
    problems: list[Problem] = []
    edits: dict[EditKey, Value] = {}
    row_of: dict[EditKey, int] = {}
    for i, ((code, column), raw) in enumerate(items):
        row = rows[i] if rows is not None else None
        if code not in known:
            problems.append(problem("unknown_commune", commune=code, names=names, row=row))
            continue
        if column not in fields:
            allowed = ", ".join(fields)
            problems.append(problem("unknown_column", column=column, allowed=allowed, row=row))
            continue
        if (code, column) in row_of:
            problems.append(
                problem(
                    "duplicate_row",
                    commune=code,
                    column=column,
                    names=names,
                    label=fields[column].label,
                    row=row,
                    first=row_of[(code, column)],
                )
            )
            continue
        value, bad = value_problems(fields[column], code, raw, names, row)
        problems.extend(bad)
        if not bad:
            edits[(code, column)] = value
            if row is not None:
                row_of[(code, column)] = row
    after = apply_edits(frame, edits)
    problems.extend(pair_problems(pack, after, edits, names, row_of))
    return problems, edits


def _fmt(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- CSV --------------------------------------------------------------------------------------


def encode_value(value: Value) -> str:
    """Text of a value as written to CSV and the database: true/false, 12, 87.5, "" = no data."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def edits_to_csv(pack: Pack, scenario: Scenario) -> str:
    """The scenario's edits as CSV (code, column, value), communes and fields in pack order."""
    order = {c: i for i, c in enumerate(kpi.communes(pack)[CODE])}
    cols = {c: i for i, c in enumerate(editable_fields(pack))}
    keys = sorted(
        scenario.edits, key=lambda k: (order.get(k[0], len(order)), k[0], cols.get(k[1], 99), k[1])
    )
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for code, column in keys:
        writer.writerow([code, column, encode_value(scenario.edits[(code, column)])])
    return buf.getvalue()


def code_width(pack: Pack) -> int | None:
    """The declared width of commune codes, to restore the zeros a spreadsheet dropped."""
    return next((t.key_width for t in kpi.target_tables(pack) if t.key_width), None)


def edits_from_csv(
    pack: Pack,
    text: str,
    scenario: Scenario,
    reg: Mapping[str, Scenario],
    replace_all: bool = False,
    delimiter: str = ",",
) -> tuple[dict[EditKey, Value], list[Problem]]:
    """Parse and validate CSV edits for `scenario` with the same rules as `validate_edit`.

    The edits-only format (code, column, value); `atlas.scenario_csv` reads the whole table
    too and finds the delimiter. Codes are restored to their declared width (a spreadsheet's
    6463 → "06463"); an empty value means "no data". With `replace_all` the file's edits
    replace the scenario's instead of adding to them. Every problem carries its CSV line
    (header = line 1). When there are problems the edits returned are only the valid ones;
    callers should apply none.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    header = next(reader, None)
    names = [h.strip().lower() for h in header] if header else []
    if any(h not in names for h in CSV_HEADER):
        found = ", ".join(header or []) or "—"
        return {}, [problem("bad_header", expected=", ".join(CSV_HEADER), found=found, row=1)]
    idx = [names.index(h) for h in CSV_HEADER]
    width = code_width(pack)
    items: list[tuple[EditKey, object]] = []
    rows: list[int] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        cells = cells + [""] * (max(idx) + 1 - len(cells))
        code = normalise_code(cells[idx[0]], width) or ""
        items.append(((code, cells[idx[1]].strip()), cells[idx[2]]))
        rows.append(reader.line_num)
    try:
        frame = base_frame(pack, scenario, reg)
    except ScenarioError as exc:
        return {}, list(exc.problems)
    # Pairs are checked on the scenario as it will be: its other edits, then the file's.
    if not replace_all:
        frame = apply_edits(frame, scenario.edits)
    problems, edits = _check_edits(pack, frame, items, rows)
    return edits, problems
