"""Benchmark: the commune join and the column suggestion on large tables.

Run:  .venv/bin/python bench/join_large.py [--rows 200000] [--runs 3]

Prints, as medians over `--runs`, for a table of `--rows` rows of Càng Long's communes
(integer codes, NFD names, a few typos and unknown names):
* `suggest`: choosing the code and name columns by evidence;
* `join`: joining every row (one decision per distinct code/name pair, fuzzy bounded);
* `join_distinct`: the same with every row a distinct unknown name (the worst case).
Figures only; no assertion — tests never time anything.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import pandas as pd  # noqa: E402

from atlas.ingest import (  # noqa: E402
    ColumnMapping,
    commune_reference,
    join_communes,
    suggest_mapping,  # noqa: E402
)
from atlas.loader import load_pack  # noqa: E402
from atlas.packs import SHIPPED_PACKS  # noqa: E402


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _table(ref: pd.DataFrame, rows: int) -> pd.DataFrame:
    reps = rows // len(ref) + 1
    names = [unicodedata.normalize("NFD", n) for n in ref["name"]] * reps
    codes = list(ref["code"].astype(int)) * reps
    frame = pd.DataFrame({"ma_xa": codes[:rows], "ten_xa": names[:rows], "v": range(rows)})
    frame.loc[::997, "ten_xa"] = "Xã Mỹ Cẩn"
    frame.loc[::1009, "ma_xa"] = None
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ref = commune_reference(load_pack(SHIPPED_PACKS / "cang_long").pack)
    table = _table(ref, args.rows)
    mapping = suggest_mapping(list(table.columns), table, ref)
    t_suggest = _median(lambda: suggest_mapping(list(table.columns), table, ref), args.runs)
    t_join = _median(lambda: join_communes(table, ref, mapping), args.runs)
    distinct = pd.DataFrame({"ten": [f"Không rõ {i}" for i in range(args.rows)]})
    t_worst = _median(lambda: join_communes(distinct, ref, ColumnMapping(name="ten")), args.runs)
    print(f"rows {args.rows}: suggest {t_suggest * 1000:.0f} ms, join {t_join * 1000:.0f} ms, "
          f"join_distinct {t_worst * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
