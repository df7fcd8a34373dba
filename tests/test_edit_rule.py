"""One rule for what counts as an edit: the whole-frame marking agrees with the single-cell
rule on every kind of value, and marks a commune by its code, not its row position."""

from __future__ import annotations

import pandas as pd

from atlas.edit_rule import changed_cells, same_value


def _frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = pd.DataFrame(
        {
            "code": ["001", "002", "003", "004", "005"],
            "yes": pd.array([True, False, None, True, None], dtype="boolean"),
            "n": pd.array([1, 2, None, 4, 5], dtype="Int64"),
            "pct": pd.array([10.5, None, 3.0, 2.0, 1.0], dtype="Float64"),
        }
    )
    base = pd.DataFrame(  # other row order, one commune missing
        {
            "code": ["004", "003", "002", "001"],
            "yes": pd.array([True, None, True, True], dtype="boolean"),
            "n": pd.array([4, 3, 2, 1], dtype="Int64"),
            "pct": pd.array([2.0, 3.0, 7.0, 10.5], dtype="Float64"),
        }
    )
    return frame, base


def test_changed_cells_match_the_single_cell_rule_by_commune_code() -> None:
    frame, base = _frames()
    changed = changed_cells(frame, base, ["yes", "n", "pct", "absent"])
    by_code = base.set_index("code")
    for i, code in enumerate(frame["code"]):
        for column in ["yes", "n", "pct"]:
            a = frame.at[i, column]
            b = by_code.at[code, column] if code in by_code.index else None
            a = None if a is pd.NA else (a.item() if hasattr(a, "item") else a)
            b = None if b is pd.NA or b is None else (b.item() if hasattr(b, "item") else b)
            assert changed.at[i, column] == (not same_value(a, b)), (code, column)
    assert not changed["absent"].any()  # no data on both sides is no edit
    assert list(changed.index) == list(frame.index)


def test_a_yes_no_never_equals_a_number_and_missing_only_equals_missing() -> None:
    assert not same_value(True, 1)
    assert same_value(None, None) and not same_value(None, 0)
    assert same_value(2, 2.0)
    frame = pd.DataFrame({"code": ["1"], "v": pd.array([True], dtype="boolean")})
    base = pd.DataFrame({"code": ["1"], "v": [1.0]})
    assert changed_cells(frame, base, ["v"]).at[0, "v"]


def test_one_tolerance_for_every_place_that_compares_figures() -> None:
    """The Edited column, the Compare page, the CSV import and the draft conflicts all call
    this rule: float noise is no edit, a real change is."""
    from atlas import reports, scenario_csv
    from ui import scenario_state

    assert same_value(0.1 + 0.2, 0.3)
    assert not same_value(0.3, 0.3001)
    assert same_value(float("nan"), None) and same_value(pd.NA, None)
    for module in (reports, scenario_csv, scenario_state):
        assert module.same_value is same_value, module.__name__
    frame = pd.DataFrame({"code": ["1"], "v": [0.1 + 0.2]})
    base = pd.DataFrame({"code": ["1"], "v": [0.3]})
    assert not changed_cells(frame, base, ["v"]).at[0, "v"]
