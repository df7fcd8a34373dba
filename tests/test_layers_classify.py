"""Graduated classes: hand-worked bins, ColorBrewer colours, labels in vi/en, degenerate data."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from atlas.spec import StyleSpec
from layers.classify import (
    NO_DATA_COLOR,
    Classes,
    classify,
    format_number,
    palette_colors,
)

GRADUATED = StyleSpec(type="graduated", field="v", palette="YlGn", k=5)


def test_equal_interval_of_five_values_in_two_classes() -> None:
    classes = classify([10, 20, 30, 40, 50], GRADUATED, scheme="equal_interval", k=2)
    assert classes.bins == (30.0, 50.0)
    assert classes.lower == 10.0
    assert classes.counts == (3, 2)
    assert classes.labels("", "en") == ["10 – 30", "30 – 50"]


def test_thresholds_come_from_the_style_and_are_open_below() -> None:
    style = StyleSpec(type="graduated", field="v", scheme="thresholds", bins=(50, 80, 100))
    classes = classify([10, 55, 80, 99, 100], style)
    assert classes.bins == (50.0, 80.0, 100.0)
    assert classes.counts == (1, 2, 2)
    assert classes.labels("%", "vi") == ["≤ 50 %", "50 – 80 %", "80 – 100 %"]
    assert [classes.color_for(v) for v in (10, 50, 50.01, 100)] == [
        classes.colors[0],
        classes.colors[0],
        classes.colors[1],
        classes.colors[2],
    ]


def test_thresholds_keep_every_class_even_when_no_value_falls_in_it() -> None:
    style = StyleSpec(type="graduated", field="v", scheme="thresholds", bins=(50, 80, 100))
    classes = classify([90, 95], style)
    assert classes.bins == (50.0, 80.0, 100.0)
    assert len(classes.colors) == 3


def test_values_above_the_last_threshold_get_an_open_top_class() -> None:
    style = StyleSpec(type="graduated", field="v", scheme="thresholds", bins=(50, 80))
    classes = classify([10, 60, 120], style)
    assert classes.bins == (50.0, 80.0, 120.0)
    assert classes.open_top
    assert classes.labels("", "en")[-1] == "> 80"


def test_thresholds_without_bins_fall_back_to_quantiles() -> None:
    classes = classify([1, 2, 3, 4], GRADUATED, scheme="thresholds", k=2)
    assert classes.scheme == "quantiles"
    assert classes.bins[-1] == 4.0


def test_colours_are_a_colorbrewer_ramp_light_to_dark() -> None:
    classes = classify([1, 2, 3, 4, 5, 6], GRADUATED, scheme="quantiles", k=3)
    assert classes.colors == ("#f7fcb9", "#addd8e", "#31a354")


def test_all_na_gives_no_classes_and_the_no_data_colour() -> None:
    classes = classify([None, float("nan"), pd.NA], GRADUATED)
    assert classes.bins == ()
    assert classes.colors == ()
    assert classes.no_data == 3
    assert classes.color_for(None) == NO_DATA_COLOR
    assert classes.color_for(12) == NO_DATA_COLOR
    assert classes.labels("%", "vi") == []


def test_na_values_are_no_data_and_not_classified() -> None:
    values = pd.array([10.0, None, 30.0], dtype="Float64")
    classes = classify(list(values), GRADUATED, scheme="equal_interval", k=2)
    assert classes.no_data == 1
    assert classes.color_for(pd.NA) == NO_DATA_COLOR
    assert classes.color_for(None) == NO_DATA_COLOR
    assert Classes.no_data_label("vi") == "Không có số liệu"
    assert Classes.no_data_label("en") == "No data"


def test_a_single_value_gives_one_class_labelled_by_that_value() -> None:
    classes = classify([100, 100, 100], GRADUATED, scheme="equal_interval", k=5)
    assert classes.bins == (100.0,)
    assert len(classes.colors) == 1
    assert classes.labels("%", "vi") == ["100 %"]
    assert classes.color_for(100) == classes.colors[0]


@pytest.mark.parametrize("scheme", ["quantiles", "natural_breaks", "equal_interval"])
def test_fewer_distinct_values_than_k_never_raises_nor_warns(scheme: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        classes = classify([1, 1, 1, 2], GRADUATED, scheme=scheme, k=5)
    assert classes.bins == (1.0, 2.0)
    assert len(classes.colors) == 2
    assert sum(classes.counts) == 4


@pytest.mark.parametrize("scheme", ["quantiles", "natural_breaks", "equal_interval"])
def test_data_driven_bins_are_increasing_and_end_at_the_maximum(scheme: str) -> None:
    values = [91.7, 100, 100, 75, 60.2, 88.9, 100, 45.5, 100, 97.1, 83.3, 100, 66.7, 92.3]
    classes = classify(values, GRADUATED, scheme=scheme, k=4)
    assert list(classes.bins) == sorted(set(classes.bins))
    assert classes.bins[-1] == 100.0
    assert len(classes.colors) == len(classes.bins) <= 4
    assert sum(classes.counts) == len(values)


def test_natural_breaks_is_deterministic() -> None:
    values = np.random.default_rng(1).uniform(0, 100, 70).round(1).tolist()
    first = classify(values, GRADUATED, scheme="natural_breaks", k=5)
    assert all(classify(values, GRADUATED, "natural_breaks", 5) == first for _ in range(5))


def test_text_and_booleans_are_no_data() -> None:
    classes = classify(["abc", True, 5, "7.5"], GRADUATED, scheme="equal_interval", k=2)
    assert classes.no_data == 2
    assert classes.bins[-1] == 7.5


def test_labels_use_a_decimal_comma_in_vietnamese_and_a_point_in_english() -> None:
    style = StyleSpec(type="graduated", field="v", scheme="thresholds", bins=(50.5, 99.9))
    classes = classify([10, 99], style)
    assert classes.labels("%", "vi") == ["≤ 50,5 %", "50,5 – 99,9 %"]
    assert classes.labels("%", "en") == ["≤ 50.5 %", "50.5 – 99.9 %"]
    assert classes.labels("", "en") == ["≤ 50.5", "50.5 – 99.9"]


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (50.5, "50,5", "50.5"),
        (50.0, "50", "50"),
        (63.333333, "63,33", "63.33"),
        (1234.5, "1.234,5", "1,234.5"),  # a quantity is grouped from a thousand
        (12345.6, "12.345,6", "12,345.6"),
        (-0.001, "0", "0"),
        (-1500000, "-1.500.000", "-1,500,000"),
    ],
)
def test_format_number(value: float, vi: str, en: str) -> None:
    assert format_number(value, "vi") == vi
    assert format_number(value, "en") == en


def test_palettes_with_fewer_than_three_colours_and_unknown_names_still_work() -> None:
    assert palette_colors("YlGn", 1) == ["#addd8e"]
    assert palette_colors("YlGn", 2) == ["#f7fcb9", "#31a354"]
    assert palette_colors("NotAPalette", 3) == palette_colors("YlGn", 3)
    assert palette_colors("YlGn", 0) == []


def test_data_driven_labels_round_to_one_decimal_when_classes_are_wide() -> None:
    values = [55.8, 60.0, 65.0, 70.0, 80.0, 90.0, 100.0]
    classes = classify(values, GRADUATED, scheme="equal_interval", k=5)
    assert classes.labels("%", "vi")[:2] == ["55,8 – 64,6 %", "64,6 – 73,5 %"]
    narrow = classify([0.11, 0.12, 0.135], GRADUATED, scheme="equal_interval", k=2)
    assert narrow.labels("", "en") == ["0.11 – 0.12", "0.12 – 0.14"]
