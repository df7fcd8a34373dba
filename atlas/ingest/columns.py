"""Which columns hold the commune code and name, chosen by what their values match.

Header names lie: `ma` is a road's id ("HA13"), `n_communes` and `year` are numbers that look
like codes once zero-padded, and a file may carry `commune` (ASCII) next to `commune_vn` (with
diacritics). So every candidate column is measured: the share of its distinct values that
are codes or names of the reference communes (or, without one, GSO codes of the gazetteer
whose names or places agree). Headers only break ties.
"""

from __future__ import annotations

import re
from functools import lru_cache

import geopandas as gpd
import pandas as pd

from atlas import gazetteer
from atlas.ingest.names import agree, has_diacritics
from atlas.ingest.reference import CommuneIndex
from atlas.text import fold, normalise_code

SAMPLE = 2000  # rows looked at per column
MIN_RATE = 0.5  # share of distinct values that must match the reference
GAZETTEER_RATE = 0.8  # share of distinct values that must be GSO commune codes
_BOX_MARGIN = 0.05  # degrees around a commune's extent for "the feature lies in it"
_DIGITS = re.compile(r"^\d+(\.0+)?$")


def col_key(name: str) -> str:
    return "_".join(fold(str(name)).replace("-", " ").replace(".", " ").split())


def distinct_text(values: pd.Series) -> list[str]:
    """The distinct non-empty cells of the first SAMPLE rows, as stripped text."""
    head = values.head(SAMPLE).dropna().astype(str).str.strip()
    return [v for v in head.unique() if v and v.lower() not in ("nan", "none")]


def code_shaped(values: pd.Series, width: int) -> list[str] | None:
    """The distinct values as codes when every one is a whole number of at most `width`
    digits above zero (a GSO code, maybe without its leading zeros); else None."""
    if pd.api.types.is_bool_dtype(values):
        return None
    texts = distinct_text(values)
    if not texts or not all(_DIGITS.match(v) for v in texts):
        return None
    codes = [normalise_code(v, width) or "" for v in texts]
    if any(len(c) != width or int(c) == 0 for c in codes):
        return None
    return codes


@lru_cache(maxsize=1)
def _gazetteer_communes() -> dict[str, list[tuple[str, tuple[float, float, float, float]]]]:
    """code → [(name, box)] over both structures (a reused code has two)."""
    out: dict[str, list[tuple[str, tuple[float, float, float, float]]]] = {}
    frame = gazetteer.units(level="commune")
    cols = ("code", "name", "min_lon", "min_lat", "max_lon", "max_lat")
    for code, name, *box in zip(*(frame[c] for c in cols), strict=True):
        out.setdefault(str(code), []).append((str(name), tuple(float(b) for b in box)))
    return out


def _blind_code(values: pd.Series, width: int) -> bool:
    """Without reference and gazetteer (a machine that skipped the set-up), a column named
    like a code column is taken when every value has the full width, or lost only one leading
    zero: that says less, but nothing wrong about counts or years."""
    if _gazetteer_communes():
        return False
    digits = [v.split(".")[0] for v in distinct_text(values)]
    return bool(digits) and all(len(d) >= width - 1 for d in digits)


def _gazetteer_says_codes(
    data: pd.DataFrame, column: str, codes: list[str], name_col: str | None, width: int
) -> bool:
    """Whether a column is GSO commune codes by the gazetteer: nearly all its values are
    commune codes, and the rows' names (or their places) agree with those communes."""
    known = _gazetteer_communes()
    if width != 5 or not known or sum(c in known for c in codes) < GAZETTEER_RATE * len(codes):
        return False
    head = data.head(SAMPLE)
    values = head[column].map(lambda v: normalise_code(v, width) or "")
    if name_col is not None and name_col in head.columns:
        names = head[name_col]
        checked = [agree_any(known.get(c, []), n) for c, n in zip(values, names, strict=True)]
        if checked and sum(checked) >= MIN_RATE * len(checked):
            return True
    return _places_agree(head, values, known)


def agree_any(units: list[tuple[str, tuple]], name: object) -> bool:
    return isinstance(name, str) and any(agree(unit, name) for unit, _ in units)


def _places_agree(head: pd.DataFrame, values: pd.Series, known: dict) -> bool:
    if not isinstance(head, gpd.GeoDataFrame) or not len(head):
        return False
    points = head.geometry.representative_point()
    inside = 0
    for code, point in zip(values, points, strict=True):
        if point is None or point.is_empty:
            continue
        for _, (x0, y0, x1, y1) in known.get(code, []):
            m = _BOX_MARGIN
            if x0 - m <= point.x <= x1 + m and y0 - m <= point.y <= y1 + m:
                inside += 1
                break
    return inside >= GAZETTEER_RATE * len(head)


def pick_code(
    data: pd.DataFrame,
    cols: list[str],
    index: CommuneIndex,
    name_col: str | None,
    hints: tuple[str, ...],
    width: int = 5,
) -> str | None:
    """The column whose values are commune codes: of the reference (≥ half its distinct
    values), or of the gazetteer with agreeing names or places. Counts, years and ids like
    "HA13" never qualify: they are not code-shaped or match nothing."""
    best: tuple[tuple, str] | None = None
    for pos, col in enumerate(cols):
        codes = code_shaped(data[col], width)
        if codes is None:
            continue
        rate = sum(c in index.names for c in codes) / len(codes) if len(index) else 0.0
        hinted = col_key(col) in hints
        by_gazetteer = rate < MIN_RATE and (
            _gazetteer_says_codes(data, col, codes, name_col, width)
            or (not len(index) and hinted and _blind_code(data[col], width))
        )
        if rate < MIN_RATE and not by_gazetteer:
            continue
        score = (rate, by_gazetteer, hinted, data[col].dtype == object, -pos)
        if best is None or score > best[0]:
            best = (score, col)
    return best[1] if best else None


def _text_column(values: pd.Series) -> list[str] | None:
    texts = distinct_text(values)
    if not texts or sum(not _DIGITS.match(v) for v in texts) < len(texts) / 2:
        return None
    return texts


def _diacritics_share(texts: list[str]) -> float:
    return sum(has_diacritics(v) for v in texts) / len(texts)


def pick_name(
    data: pd.DataFrame, cols: list[str], index: CommuneIndex, hints: tuple[str, ...]
) -> tuple[str | None, bool]:
    """The name column and whether its values are names of the reference communes.

    Measured: the share of distinct values naming a reference commune; at an equal share the
    column with diacritics beats its ASCII twin. Without that evidence the best hinted text
    column is kept as the features' name (a road's name), with the evidence False."""
    best: tuple[tuple, str] | None = None
    for pos, col in enumerate(cols):
        texts = _text_column(data[col])
        if texts is None:
            continue
        rate = sum(bool(index.by_name(v)) for v in texts) / len(texts) if len(index) else 0.0
        key = col_key(col)
        hint = len(hints) - hints.index(key) if key in hints else 0
        score = (rate >= MIN_RATE, rate, _diacritics_share(texts), hint, -pos)
        if (rate >= MIN_RATE or hint) and (best is None or score > best[0]):
            best = (score, col)
    if best is None:
        return None, False
    return best[1], bool(best[0][0])
