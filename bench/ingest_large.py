"""Benchmark: large and hostile uploads through inspect + suggest_mapping + join_communes.

Run:  .venv/bin/python bench/ingest_large.py [case ...]

Cases (built in a temp dir from the shipped Càng Long communes, nothing committed):
* `csv200k`: a 200,000-row CSV (code, name with diacritics, a value), codes of the pack's
  communes, every tenth row misspelt so the fuzzy join has work;
* `xlsx60k`: the same shape as a 60,000-row workbook;
* `polygon100k`: a GeoJSON polygon of 100,000 vertices that crosses itself (refused by the
  repair budget before make_valid);
* `xlsx_range`: a 5 KB workbook whose declared used range is A1:XFD1048576.

Each case runs in its own subprocess so its peak RSS is its own; prints seconds per step and
the peak RSS, and for tables the same file read by plain pandas (`peer`), the naive way.
Figures only; no assertion — tests never time anything.
"""

from __future__ import annotations

import io
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CASES = ("csv200k", "xlsx60k", "polygon100k", "xlsx_range")


def _communes():
    from atlas.ingest import commune_reference
    from atlas.loader import load_pack

    return commune_reference(load_pack(REPO / "geodata" / "cang_long").pack)


def _rows(n: int):
    import pandas as pd

    ref = _communes()
    codes = ref["code"].astype(str).tolist()
    names = ref["name"].astype(str).tolist()
    pick = [i % len(codes) for i in range(n)]
    name = [names[i] if k % 10 else names[i][:-1] + "x" for k, i in enumerate(pick)]
    code = [codes[i] if k % 10 else "" for k, i in enumerate(pick)]
    return pd.DataFrame({"ma": code, "ten": name, "dan_so": range(n)})


def _build(case: str, tmp: Path) -> tuple[str, bytes]:
    if case == "csv200k":
        return "big.csv", _rows(200_000).to_csv(index=False).encode()
    if case == "xlsx60k":
        buf = io.BytesIO()
        _rows(60_000).to_excel(buf, index=False, engine="openpyxl")
        return "big.xlsx", buf.getvalue()
    if case == "polygon100k":
        import numpy as np

        angles = np.linspace(0, 2 * np.pi, 100_000, endpoint=False)
        xy = np.c_[106.3 + 0.01 * np.cos(angles), 9.9 + 0.01 * np.sin(angles)]
        xy[[10, 50_000]] = xy[[50_000, 10]]
        ring = [*xy.tolist(), xy[0].tolist()]
        feature = {"type": "Feature", "properties": {"ten": "Xã"},
                   "geometry": {"type": "Polygon", "coordinates": [ring]}}  # fmt: skip
        return "big.geojson", json.dumps(
            {"type": "FeatureCollection", "features": [feature]}
        ).encode()
    buf = io.BytesIO()
    _rows(3).to_excel(buf, index=False, engine="openpyxl")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w", 8) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("sheet1.xml"):
                text = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>',
                              data.decode())  # fmt: skip
                data = text.encode()
            dst.writestr(info.filename, data)
    return "range.xlsx", out.getvalue()


def _step(label: str, fn):
    start = time.perf_counter()
    out = fn()
    print(f"  {label:<16} {time.perf_counter() - start:8.2f} s")
    return out


def _peer(name: str, data: bytes) -> None:
    """The naive peer: plain pandas reading the same table (no sniffing, encoding, caps or
    checks), so the inspect figure above reads as a ratio of it."""
    import pandas as pd

    if name.endswith(".csv"):
        _step("peer read_csv", lambda: pd.read_csv(io.BytesIO(data), dtype=str))
    elif name.endswith(".xlsx"):
        _step("peer read_excel", lambda: pd.read_excel(io.BytesIO(data), dtype=str))


def run_case(case: str) -> None:
    import warnings

    warnings.filterwarnings("ignore")
    from atlas.ingest import IngestError, inspect_upload, join_communes, suggest_mapping

    with tempfile.TemporaryDirectory() as tmp:
        name, data = _build(case, Path(tmp))
    ref = _communes()
    print(f"{case}: {len(data) / 1024:,.0f} KB")
    try:
        insp = _step("inspect", lambda: inspect_upload(name, data))
    except IngestError as exc:
        print(f"  refused: {exc.en[:120]}")
        insp = None
    if insp is not None and not insp.ok:
        print(f"  report error: {insp.report.errors[0].text('en')[:120]}")
    elif insp is not None:
        _peer(name, data)
        mapping = _step("suggest_mapping", lambda: suggest_mapping(insp.columns, insp.data, ref))
        joined = _step("join_communes", lambda: join_communes(insp.data, ref, mapping))
        print(f"  join counts      {joined.counts()}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS         {peak:8.0f} MB")


def main(argv: list[str]) -> None:
    if len(argv) == 2 and argv[0] == "--one":
        run_case(argv[1])
        return
    for case in argv or CASES:
        subprocess.run([sys.executable, __file__, "--one", case], check=False)


if __name__ == "__main__":
    main(sys.argv[1:])
