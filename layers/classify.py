"""Classes of a numeric field for graduated styles: bins, ColorBrewer colours, legend labels.

Classification is mapclassify's; colours are branca's ColorBrewer palettes. Real district data
is small and uneven (14 communes, many at 100 %), so every degenerate case (no values, one
value, fewer distinct values than classes) yields usable classes instead of an exception.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import mapclassify
import numpy as np
import pandas as pd
from branca.utilities import color_brewer

from atlas.formats import number_text
from atlas.spec import SCHEMES, StyleSpec

NO_DATA_COLOR = "#d9d9d9"
NO_DATA_LABEL = {"vi": "Không có số liệu", "en": "No data"}
DEFAULT_PALETTE = "YlGn"
_DASH = "–"  # en dash between the bounds of a class


@dataclass(frozen=True)
class Classes:
    """Classes of a graduated style; picklable and small, so it can be cached with a layer.

    `bins` are inclusive upper bounds (a value v is in the first class whose bin ≥ v).
    `lower` is the smallest value for data-driven schemes and None for thresholds, whose first
    class is open below ("≤ 50 %"). `open_top` is set when data exceeded the last threshold and
    mapclassify added a class up to the maximum ("> 100").
    """

    scheme: str
    bins: tuple[float, ...]
    colors: tuple[str, ...]
    lower: float | None = None
    open_top: bool = False
    counts: tuple[int, ...] = ()
    no_data: int = 0
    no_data_color: str = NO_DATA_COLOR
    decimals: int = 2  # label precision: data-driven bins like 64.6400001 read as 64,6

    def __len__(self) -> int:
        return len(self.bins)

    def index_of(self, value: object) -> int | None:
        """Class number of a value; None for NA or when there are no classes."""
        number = to_float(value)
        if number is None or not self.bins:
            return None
        for i, upper in enumerate(self.bins):
            if number <= upper:
                return i
        return len(self.bins) - 1  # above every bin (another year's data): darkest class

    def color_for(self, value: object) -> str:
        """Fill colour of a value; NA (or nothing to classify) is the neutral no-data grey."""
        i = self.index_of(value)
        return self.no_data_color if i is None else self.colors[i]

    def labels(self, unit: str = "", lang: str = "vi") -> list[str]:
        """One label per class, e.g. "≤ 50 %", "50 – 80 %"; numbers formatted for `lang`."""
        out: list[str] = []

        def fmt(number: float) -> str:
            return format_number(number, lang, self.decimals)

        for i, upper in enumerate(self.bins):
            hi = fmt(upper)
            if i == 0:
                if self.lower is None:
                    text = f"≤ {hi}"
                elif fmt(self.lower) == hi:
                    text = hi
                else:
                    text = f"{fmt(self.lower)} {_DASH} {hi}"
            elif self.open_top and i == len(self.bins) - 1:
                text = f"> {fmt(self.bins[i - 1])}"
            else:
                text = f"{fmt(self.bins[i - 1])} {_DASH} {hi}"
            out.append(with_unit(text, unit))
        return out

    @staticmethod
    def no_data_label(lang: str = "vi") -> str:
        return NO_DATA_LABEL["en" if lang == "en" else "vi"]


def classify(
    values: Sequence[float | None] | pd.Series | np.ndarray,
    style: StyleSpec,
    scheme: str | None = None,
    k: int | None = None,
) -> Classes:
    """Classify `values` with `scheme` (default: the style's) into `k` classes; never raises.

    `thresholds` uses the style's `bins` (the plan's own thresholds) and falls back to
    quantiles when the style has none. `natural_breaks` is mapclassify's FisherJenks: the
    exact Jenks optimum, deterministic (mapclassify's NaturalBreaks is a seeded-by-chance
    k-means, so the map could change between reruns).
    """
    scheme = scheme if scheme in SCHEMES else style.scheme
    if scheme == "thresholds" and not style.bins:
        scheme = "quantiles"
    k = max(1, int(k if k is not None else style.k))
    numbers = [n for n in (to_float(v) for v in values) if n is not None]
    no_data = len(values) - len(numbers)
    y = np.asarray(numbers, dtype=float)

    if scheme == "thresholds":
        bins, lower, open_top = _threshold_bins(y, style.bins)
    elif y.size == 0:
        bins, lower, open_top = [], None, False
    else:
        bins, lower, open_top = _data_bins(y, scheme, k), float(y.min()), False

    colors = tuple(palette_colors(style.palette, len(bins)))
    counts = tuple(int(c) for c in _counts(y, bins))
    decimals = 2
    if lower is not None and bins and (bins[-1] - lower) / len(bins) >= 1:
        decimals = 1  # classes at least one unit wide: a second decimal is noise
    return Classes(
        scheme=scheme,
        bins=tuple(float(b) for b in bins),
        colors=colors,
        lower=lower,
        open_top=open_top,
        counts=counts,
        no_data=no_data,
        decimals=decimals,
    )


def _threshold_bins(y: np.ndarray, thresholds: Sequence[float]) -> tuple[list[float], None, bool]:
    """The plan's thresholds as classes, plus an open top class if data exceeds them."""
    bins = sorted(float(b) for b in thresholds)
    if y.size == 0:
        return bins, None, False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            got = [float(b) for b in mapclassify.UserDefined(y, bins=bins).bins]
        except Exception:  # noqa: BLE001 - mapclassify raises plain ValueError/IndexError
            got = bins + ([float(y.max())] if y.max() > bins[-1] else [])
    return got, None, len(got) > len(bins)


def _data_bins(y: np.ndarray, scheme: str, k: int) -> list[float]:
    """Upper bounds from the data, at most one per distinct value, last = maximum."""
    distinct = np.unique(y)
    k = min(k, distinct.size)
    if k <= 1:
        return [float(distinct[-1])]
    if distinct.size <= k:
        return [float(v) for v in distinct]
    classifier = {
        "quantiles": mapclassify.Quantiles,
        "natural_breaks": mapclassify.FisherJenks,
        "equal_interval": mapclassify.EqualInterval,
    }.get(scheme, mapclassify.Quantiles)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "not enough unique values…": handled below
        try:
            raw = classifier(y, k=k).bins
        except Exception:  # noqa: BLE001 - fall back to equal intervals, which cannot fail here
            lo, hi = float(y.min()), float(y.max())
            raw = [lo + (hi - lo) * (i + 1) / k for i in range(k)]
    bins = sorted({float(b) for b in raw if not math.isnan(float(b))})
    bins = [b for b in bins if b < float(y.max())] + [float(y.max())]
    return bins


def _counts(y: np.ndarray, bins: Sequence[float]) -> list[int]:
    if not bins:
        return []
    idx = np.searchsorted(np.asarray(bins), y, side="left")
    idx = np.minimum(idx, len(bins) - 1)
    return [int((idx == i).sum()) for i in range(len(bins))]


@lru_cache(maxsize=256)
def _brewer(palette: str, n: int) -> tuple[str, ...]:
    return tuple(color_brewer(palette, n))


def palette_colors(palette: str, n: int) -> list[str]:
    """`n` colours of a ColorBrewer palette, light to dark; unknown names fall back to YlGn."""
    if n <= 0:
        return []
    for name in (palette, DEFAULT_PALETTE):
        try:
            if n >= 3:
                return list(_brewer(name, n))
            three = _brewer(name, 3)
            return [three[1]] if n == 1 else [three[0], three[2]]
        except (ValueError, TypeError, KeyError):
            continue
    return [NO_DATA_COLOR] * n  # unreachable unless branca loses YlGn


def to_float(value: object) -> float | None:
    """A number from a cell, or None for NA, booleans and text that is not a number."""
    if value is None or isinstance(value, (bool, np.bool_)):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def format_number(value: float, lang: str = "vi", decimals: int = 2) -> str:
    """`atlas.formats.number_text`: the one rule for numbers, kept under this name here."""
    return number_text(value, lang, decimals)


def with_unit(text: str, unit: str) -> str:
    """`50 %`, `12 km`: the unit after a space, as the manifests write it."""
    return f"{text} {unit}" if unit else text
