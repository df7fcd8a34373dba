"""One way to write numbers, dates, times and differences for people (atlas.formats)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from atlas.formats import date_text, difference_unit, number_text, time_text


def test_dates_read_day_month_year_in_both_languages() -> None:
    assert date_text(date(2026, 1, 7)) == "07/01/2026"
    assert date_text(date(2026, 1, 7), "en") == "07/01/2026"


def test_times_are_in_vietnam_time_and_a_naive_time_is_utc() -> None:
    assert time_text(datetime(2025, 3, 1, 20, 30, 5, tzinfo=UTC), seconds=True) == (
        "02/03/2025 03:30:05"
    )
    assert time_text(datetime(2025, 3, 1, 8, 0)) == "01/03/2025 15:00"


def test_numbers_use_the_decimal_comma_and_group_thousands_from_a_thousand() -> None:
    assert number_text(1234.5, "vi") == "1.234,5"
    assert number_text(12345.5, "vi") == "12.345,5"
    assert number_text(12345.5, "en") == "12,345.5"
    assert number_text(999, "vi", 0) == "999"


def test_a_year_field_is_written_as_a_year_not_as_a_quantity() -> None:
    from atlas.spec import FieldSpec, Text
    from layers.features import display

    target_year = FieldSpec("target_year", Text("Năm đạt", "Target year"), type="int")
    households = FieldSpec("households", Text("Số hộ", "Households"), type="int")
    assert target_year.is_year and not households.is_year
    assert display(target_year, 2030, "vi") == "2030"
    assert display(households, 2030, "vi") == "2.030"


def test_a_difference_of_percentages_is_in_points() -> None:
    assert difference_unit("%", "vi") == "điểm %"
    assert difference_unit("%", "en") == "pp"
    assert difference_unit("km", "vi") == "km"
