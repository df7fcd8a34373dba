"""A scenario as a CSV file people open in a spreadsheet: the whole table out, table or edits in.

Why the whole table: a file holding only the edits is empty for a built-in ("Kế hoạch 2025"
changes no cell of its base) and means different figures once imported into a scenario with
another base. The exported file therefore has one row per commune with every figure:

    code, commune, <each editable indicator, in pack order>, scenario, base, year

`scenario`, `base` and `year` repeat on every row (the file says what it is when opened on its
own and survives sorting); `base` is "measured", "plan" or the name of the base scenario.
Values are written as the database writes them: true/false, 12, 87.5; empty = no data. The
file is UTF-8; the page adds a byte order mark so Excel shows the Vietnamese names.

Importing compares each cell of the table with the *target* scenario's base: cells that differ
become edits and cells equal to the base drop any edit there, so the target then shows exactly
the file's figures whatever its base. Columns or communes the file leaves out keep what the
target had (or lose their edits when "replace all" is chosen). The older edits-only file
(code, column, value) is still read. Both may be separated by commas or semicolons (Excel on a
Vietnamese Windows writes `;` and decimal commas, "87,5", which are read as 87.5 where that is
unambiguous: one comma, no dot). Everything here is pure; the store saves what it returns.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from atlas import kpi
from atlas import scenarios as sc
from atlas.edit_rule import same_value
from atlas.kpi import CODE
from atlas.people_table import header as readable_header
from atlas.people_table import readable
from atlas.scenarios import EditKey, Problem, Scenario, Value, problem
from atlas.spec import FieldSpec, Pack, Text
from atlas.text import fold, nfc, normalise_code

COMMUNE = "commune"
META = ("scenario", "base", "year")
EDITS_HEADER = sc.CSV_HEADER  # code, column, value
DELIMITERS = (",", ";", "\t")
NAME_COLUMNS = (COMMUNE, "name", "xa", "ten xa", "ten")  # the commune's name: read, not used
TABLE, EDITS = "table", "edits"


@dataclass(frozen=True)
class CsvImport:
    """What a file would do to a scenario: cells to set, cells back to the base, problems.

    `source` is the file's own scenario/base/year (table files), `ignored` the columns that
    are neither indicators nor known metadata (shown, so a misspelt indicator is noticed).
    """

    kind: str
    edits: dict[EditKey, Value] = field(default_factory=dict)
    cleared: frozenset[EditKey] = frozenset()
    problems: list[Problem] = field(default_factory=list)
    source: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    delimiter: str = ","

    def apply(self, scenario: Scenario, replace_all: bool = False) -> Scenario:
        """The scenario with the file's cells in (and, with `replace_all`, no other edit)."""
        merged = {} if replace_all else dict(scenario.edits)
        for key in self.cleared:
            merged.pop(key, None)
        merged.update(self.edits)
        return sc.with_edits(scenario, merged, replace_all=True)


# --- export -------------------------------------------------------------------------------------


def base_label(scenario: Scenario, reg: Mapping[str, Scenario]) -> str:
    """The `base` column: measured, plan, or the base scenario's name."""
    if scenario.base in (sc.MEASURED, sc.PLAN):
        return scenario.base
    parent = reg.get(scenario.base)
    return parent.name if parent is not None else scenario.base


def table_to_csv(pack: Pack, scenario: Scenario, reg: Mapping[str, Scenario]) -> str:
    """Every commune's figures under the scenario (a draft too), with its name, base, year."""
    frame = sc.materialise(pack, scenario, {**reg, scenario.id: scenario})
    names = kpi.commune_names(pack)
    fields = list(sc.editable_fields(pack))
    year = "" if scenario.year is None else scenario.year
    meta = [scenario.name, base_label(scenario, reg), year]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([CODE, COMMUNE, *fields, *META])
    for row in frame.itertuples(index=False):
        values = row._asdict()
        code = str(values[CODE])
        cells = [sc.encode_value(_plain(values[f])) for f in fields]
        writer.writerow([code, names.get(code, code), *cells, *meta])
    return buf.getvalue()


# The same table for people (`atlas.people_table`): labelled headers, Có/Không, the base in
# words; the import reads these headers too, so a table edited in a spreadsheet comes back.
READABLE = {
    CODE: FieldSpec(CODE, Text("Mã xã", "Commune code")),
    COMMUNE: FieldSpec(COMMUNE, Text("Xã, phường, thị trấn", "Commune")),
    "scenario": FieldSpec("scenario", Text("Kịch bản", "Scenario")),
    "base": FieldSpec(
        "base",
        Text("Gốc", "Base"),
        values={
            sc.MEASURED: Text("Số liệu hiện trạng", "Current figures"),
            sc.PLAN: Text("Kế hoạch", "Plan"),
        },
    ),
    "year": FieldSpec("year", Text("Năm", "Year"), type="int"),
}


def readable_table(
    pack: Pack, scenario: Scenario, reg: Mapping[str, Scenario], lang: str
) -> pd.DataFrame:
    """`table_to_csv`'s table for people, in `lang` (write it with `people_csv`): the same
    figures, typed, so yes/no reads Có/Không and numbers stay numbers."""
    frame = sc.materialise(pack, scenario, {**reg, scenario.id: scenario})
    fields = sc.editable_fields(pack)
    names = kpi.commune_names(pack)
    codes = frame[CODE].astype(str)
    frame = pd.DataFrame(
        {
            CODE: codes.values,
            COMMUNE: [names.get(code, code) for code in codes],
            **{name: frame[name].values for name in fields},
            "scenario": scenario.name,
            "base": base_label(scenario, reg),
            "year": scenario.year,
        }
    )
    first, meta = [CODE, COMMUNE], [m for m in READABLE if m not in (CODE, COMMUNE)]
    specs = {**{k: READABLE[k] for k in first}, **fields, **{k: READABLE[k] for k in meta}}
    return readable(frame, specs, lang)


def header_aliases(pack: Pack) -> dict[str, str]:
    """Folded readable headers (both languages) → the machine column they stand for."""
    specs = {**READABLE, **sc.editable_fields(pack)}
    return {
        fold(readable_header(spec, lang)): fold(name)
        for name, spec in specs.items()
        for lang in ("vi", "en")
    }


def _plain(value: object) -> Value:
    """A frame cell as int/float/bool/None (numpy scalars and NA included)."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value  # type: ignore[return-value]


# --- import -------------------------------------------------------------------------------------


def decode(data: bytes) -> str | None:
    """The file as text: UTF-16 with its BOM (Excel's "Unicode text", tab-separated), UTF-8
    (with or without BOM), else Windows-1258, the code page of Excel's plain "CSV" on a
    Vietnamese Windows (its tone marks are combining characters, so the text is composed to
    NFC); None when it is none of them (not a text file)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            return nfc(data.decode("utf-16"))
        except UnicodeDecodeError:
            return None
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return nfc(text)
    return None


def detect_delimiter(text: str, known: Iterable[str]) -> str:
    """`,`, `;` or tab: the one that splits the first line into the most known column names
    (then the most columns); `,` when nothing tells them apart."""
    first = next((line for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")
    wanted = {fold(k) for k in known}

    def score(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([first], delimiter=delimiter), [])
        return sum(fold(c) in wanted for c in cells), len(cells)

    return max(DELIMITERS, key=score)  # the first of equals: `,`


def read_csv(
    pack: Pack,
    text: str,
    scenario: Scenario,
    reg: Mapping[str, Scenario],
    replace_all: bool = False,
) -> CsvImport:
    """Parse and check a table or an edits file for `scenario`; every problem has its row.

    When `problems` is not empty nothing should be applied (all or nothing).
    """
    text = text.lstrip("\ufeff")
    fields = sc.editable_fields(pack)
    aliases = header_aliases(pack)
    known = [CODE, *EDITS_HEADER, COMMUNE, *fields, *META, *aliases]
    delimiter = detect_delimiter(text, known)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None) or []
    names = [aliases.get(fold(h), fold(h)) for h in header]
    if all(h in names for h in EDITS_HEADER):
        edits, problems = sc.edits_from_csv(pack, text, scenario, reg, replace_all, delimiter)
        return CsvImport(EDITS, edits=edits, problems=problems, delimiter=delimiter)
    columns = {name: i for i, name in reversed(list(enumerate(names)))}
    if CODE not in columns or not any(fold(f) in columns for f in fields):
        found = ", ".join(header) or "—"
        bad = problem("bad_csv_header", fields=", ".join(fields), found=found, row=1)
        return CsvImport(TABLE, problems=[bad], delimiter=delimiter)
    return _read_table(pack, reader, header, names, scenario, reg, replace_all, delimiter)


def _read_table(
    pack: Pack,
    reader: Iterable[list[str]],
    header: list[str],
    names_read: list[str],
    scenario: Scenario,
    reg: Mapping[str, Scenario],
    replace_all: bool,
    delimiter: str,
) -> CsvImport:
    fields = sc.editable_fields(pack)
    names = kpi.commune_names(pack)
    width = sc.code_width(pack)
    columns = {name: i for i, name in reversed(list(enumerate(names_read)))}
    used = {f: columns[fold(f)] for f in fields if fold(f) in columns}
    known = {fold(k) for k in (CODE, *NAME_COLUMNS, *fields, *META)}
    ignored = [h for h, n in zip(header, names_read, strict=True) if h.strip() and n not in known]
    problems: list[Problem] = []
    values: dict[EditKey, Value] = {}
    row_of: dict[EditKey, int] = {}
    first_row: dict[str, int] = {}
    source: dict[str, str] = {}
    for cells in reader:
        line = reader.line_num  # type: ignore[attr-defined]
        if not any(c.strip() for c in cells):
            continue
        cells = cells + [""] * (len(header) - len(cells))
        for key in META:
            if key in columns and key not in source and cells[columns[key]].strip():
                source[key] = cells[columns[key]].strip()
        code = normalise_code(cells[columns[CODE]], width) or ""
        if code not in names:
            problems.append(problem("unknown_commune", commune=code, names=names, row=line))
            continue
        if code in first_row:
            problems.append(
                problem(
                    "duplicate_commune", commune=code, names=names, row=line, first=first_row[code]
                )
            )
            continue
        first_row[code] = line
        for column, index in used.items():
            value, bad = sc.value_problems(fields[column], code, cells[index], names, line)
            problems.extend(bad)
            if not bad:
                values[(code, column)] = value
                row_of[(code, column)] = line
    try:
        base = sc.base_frame(pack, scenario, reg)
    except sc.ScenarioError as exc:
        return CsvImport(TABLE, problems=list(exc.problems), delimiter=delimiter)
    edits: dict[EditKey, Value] = {}
    cleared: set[EditKey] = set()
    for (code, column), value in values.items():
        if same_value(value, _cell(base, code, column)):
            cleared.add((code, column))
        else:
            edits[(code, column)] = value
    result = CsvImport(
        TABLE,
        edits=edits,
        cleared=frozenset(cleared),
        source=source,
        ignored=ignored,
        delimiter=delimiter,
    )
    after = sc.apply_edits(base, result.apply(scenario, replace_all).edits)
    problems.extend(sc.pair_problems(pack, after, edits, names, row_of))
    return replace(result, problems=problems)


def _cell(frame: pd.DataFrame, code: str, column: str) -> Value:
    rows = frame.index[frame[CODE] == code]
    if len(rows) == 0 or column not in frame.columns:
        return None
    return _plain(frame.at[rows[0], column])
