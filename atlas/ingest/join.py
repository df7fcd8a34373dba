"""The commune join: each row to one commune of the reference, or a reason why not.

Order: a code of the reference whose name agrees ("code"); a code whose name disagrees is a
"conflict" and never joined; else a name that fits exactly one commune ("name"); else the
closest name as a proposal ("fuzzy", joined only when accepted, and only for rows without a
code: a code foreign to the pack is no typo); else "unmatched", with why.
Decisions are made once per distinct (code, name) pair and mapped back onto the rows, so a
200 000-row table costs what its distinct values cost; fuzzy matching is bounded.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from atlas.ingest.model import ColumnMapping, JoinResult
from atlas.ingest.names import agree
from atlas.ingest.reference import FUZZY_MIN, CommuneIndex
from atlas.ingest.structure import mismatch
from atlas.text import normalise_code

FUZZY_LIMIT = 300  # distinct unmatched names tried for a fuzzy match; beyond: unmatched
COLUMNS = ["row", "input_code", "input_name", "status", "code", "name", "score",
           "reason_vi", "reason_en"]  # fmt: skip
Decision = tuple[str, str | None, float, str, str]  # status, code, score, reason vi, reason en


def _text(values: pd.Series) -> pd.Series:
    """Cells as the text shown back to the user ("" for missing, 6463.0 as "6463"), computed
    once per distinct value."""
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists from a JSON property): as text one by one
        return values.map(lambda v: "" if v is None else _cell(v)).astype(object)
    texts = np.array([*(_cell(v) for v in uniques), ""], dtype=object)
    return pd.Series(texts[codes], index=values.index, dtype=object)  # -1 (missing) → ""


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _decide(code: str, name: str, index: CommuneIndex, fuzzy_left: list[int]) -> Decision:
    if code and code in index.names:
        ref_name = index.names[code]
        if not name or agree(ref_name, name, FUZZY_MIN):  # a typo does not undo a code
            return "code", code, 1.0, "", ""
        return (
            "conflict", code, 0.0,
            f"Mã {code} trong gói là {ref_name}, nhưng tệp ghi “{name}”: không ghép.",
            f"Code {code} is {ref_name} in the pack, but the file says “{name}”: not joined.",
        )  # fmt: skip
    hits = index.by_name(name) if name else set()
    if len(hits) == 1:
        return "name", next(iter(hits)), 1.0, "", ""
    if len(hits) > 1:
        which = index.label(hits)
        return _none(
            f"“{name}” có thể là nhiều xã: {which}; hãy ghi rõ loại (Xã/Phường/Thị trấn) hoặc mã.",
            f"“{name}” could be several communes: {which}; write the type (Xã/Phường/Thị "
            "trấn) or the code.",
        )
    if name and not code and fuzzy_left[0] > 0:  # a foreign code says: not a typo of ours
        fuzzy_left[0] -= 1
        close = index.fuzzy(name)
        if close is not None:
            return "fuzzy", close[0], close[1], "Tên gần giống: cần xác nhận.", "Close: confirm it."
    return _unmatched(code, name, index)


def _unmatched(code: str, name: str, index: CommuneIndex) -> Decision:
    if not len(index):
        return _none("Không có danh sách xã để đối chiếu.", "No communes to match against.")
    if code and name:
        return _none(
            f"Mã {code} không có trong gói, và không có xã nào tên “{name}”.",
            f"Code {code} is not in the pack, and no commune is named “{name}”.",
        )
    if code:
        return _none(f"Mã {code} không có trong gói.", f"Code {code} is not in the pack.")
    if not name:
        return _none("Dòng không có mã hay tên xã.", "The row has no code or name.")
    return _none(
        f"Không có xã nào tên “{name}” trong gói.", f"No commune named “{name}” in the pack."
    )


def _none(vi: str, en: str) -> Decision:
    return "unmatched", None, 0.0, vi, en


def join_communes(
    data: pd.DataFrame,
    communes: pd.DataFrame | None,
    mapping: ColumnMapping,
    *,
    code_width: int = 5,
    structure: str | None = None,
) -> JoinResult:
    """Match each row of `data` to a commune of `communes` (`code`, `name`).

    Codes get their leading zeros back (`code_width`); names are compared by unit type and
    name apart (`atlas.ingest.names`). When the codes and names fit the communes of the other
    administrative structure (`structure` of the reference: "pre2025" by default, or the
    frame's `attrs["structure"]`) better than the reference's, `JoinResult.problem` says so
    and the join must not be saved."""
    structure = structure or (communes.attrs.get("structure") if communes is not None else None)
    index = CommuneIndex(communes, code_width)
    n = len(data)
    empty = pd.Series([""] * n, index=data.index, dtype=object)
    raw_code = _text(data[mapping.code]) if mapping.code in data.columns else empty
    raw_name = _text(data[mapping.name]) if mapping.name in data.columns else empty
    distinct_codes = {v: normalise_code(v, code_width) or "" for v in raw_code.unique()}
    keys = pd.DataFrame({"code": raw_code.map(distinct_codes), "name": raw_name.str.strip()})
    pairs = keys.value_counts(sort=False).rename("count").reset_index()
    fuzzy_left = [FUZZY_LIMIT]
    decided = [_decide(c, nm, index, fuzzy_left) for c, nm in zip(pairs["code"], pairs["name"],
                                                                 strict=True)]  # fmt: skip
    cols = ["status", "code_match", "score", "reason_vi", "reason_en"]
    pairs[cols] = pd.DataFrame(decided, columns=cols, index=pairs.index)
    rows = keys.reset_index(drop=True).merge(pairs, on=["code", "name"], how="left")
    out = pd.DataFrame(
        {
            "row": range(1, n + 1),
            "input_code": raw_code.to_numpy(),
            "input_name": raw_name.to_numpy(),
            "status": rows["status"].to_numpy(),
            "code": rows["code_match"].astype(object).where(rows["code_match"].notna(), None),
            "name": rows["code_match"].map(index.names).astype(object),
            "score": rows["score"].astype(float).to_numpy(),
            "reason_vi": rows["reason_vi"].to_numpy(),
            "reason_en": rows["reason_en"].to_numpy(),
        },
        columns=COLUMNS,
    )
    out["name"] = out["name"].where(out["code"].notna(), None)
    return JoinResult(out, problem=_structure_problem(pairs, n, structure))


def _structure_problem(pairs: pd.DataFrame, rows: int, structure: str | None):
    """The structure check, on the rows that carry both a code and a name."""
    both = pairs[(pairs["code"] != "") & (pairs["name"] != "")]
    if both.empty:
        return None
    pack_fit = int(both.loc[both["status"] == "code", "count"].sum())
    return mismatch(both, pack_fit, rows, structure)
