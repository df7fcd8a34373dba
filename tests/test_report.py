"""Every problem the loader, the manifest reader and the import engine report is worded in
Vietnamese and English, and stays readable as one line and as table rows."""

from __future__ import annotations

import ast
from pathlib import Path

from atlas.report import Report, first_few
from atlas.spec import Text

ATLAS = Path(__file__).resolve().parents[1] / "atlas"


def test_every_report_call_in_atlas_passes_vietnamese_and_english() -> None:
    """`report.error(vi, en, …)`: a call with one message would be a TypeError at run time,
    on a path tests may not reach; this finds it in the source instead."""
    single = []
    for path in sorted(ATLAS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("error", "warning")
                and "report" in ast.unparse(node.func.value)
                and len(node.args) != 2
            ):
                single.append(f"{path.relative_to(ATLAS.parent)}:{node.lineno}")
    assert single == []


def test_str_and_records_keep_both_languages_usable() -> None:
    report = Report("p")
    report.error("dòng trùng lặp", "duplicate row", file="t.csv", where=Text("dòng 3", "row 3"))
    (issue,) = report.issues
    assert str(issue) == ("[LỖI / ERROR] p: t.csv › dòng 3 (row 3): dòng trùng lặp / duplicate row")
    assert report.as_records("en")[0] == {
        "level": "error",
        "pack": "p",
        "file": "t.csv",
        "where": "row 3",
        "field": "",
        "message": "duplicate row",
    }
    assert report.as_records()[0]["message"] == "dòng trùng lặp"


def test_first_few_names_three_and_counts_the_rest() -> None:
    labels = [Text(f"dòng {i}", f"row {i}") for i in range(2, 9)]
    assert first_few(labels) == Text(
        "dòng 2, dòng 3, dòng 4 và 4 chỗ khác", "row 2, row 3, row 4 and 4 more"
    )
    assert first_few(labels[:2]) == Text("dòng 2, dòng 3", "row 2, row 3")
