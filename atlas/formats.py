"""How numbers, dates, times and differences are written for people, in one place: the
pages, the exports and the CLI call these, so "1.234,5", "07/12/2026" and "+3,5 điểm %" read
the same everywhere.

Dates and times go through Babel with one explicit pattern (dd/MM/yyyy in both languages:
the app's users are in Viet Nam, and Babel's English short date would be M/d/yy). Numbers
go through Babel too: decimal comma and thousands dot in Vietnamese, from 1.000 up; years
are written as they are (a year is not a quantity).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LOCALES = {"vi": "vi_VN", "en": "en_GB"}
DATE_PATTERN = "dd/MM/yyyy"
VN_TIME = timezone(timedelta(hours=7), "UTC+7")
# A difference of two percentages is in percentage points, not per cent.
POINTS = {"vi": "điểm %", "en": "pp"}


def number_text(value: float, lang: str = "vi", decimals: int = 2) -> str:
    """A number as people write it (Babel, CLDR): `1.234,5` in Vietnamese, `1,234.5` in
    English; at most `decimals` decimals, trailing zeros dropped.

    Every quantity is grouped from 1.000 up; a year is not a quantity and is never written
    through here (`str(year)`: 2030, not 2.030).
    """
    number = round(float(value), decimals)
    if number == 0:
        number = 0.0  # no "-0"
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(number, format=pattern, locale=LOCALES.get(lang, "vi_VN"))


def date_text(day: date | datetime, lang: str = "vi") -> str:
    """07/12/2026."""
    return format_date(day, DATE_PATTERN, locale=LOCALES.get(lang, "vi_VN"))


def time_text(moment: datetime, lang: str = "vi", seconds: bool = False) -> str:
    """07/12/2026 15:01 (or 15:01:05) in Viet Nam's time; a naive time is taken as UTC."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    pattern = f"{DATE_PATTERN} HH:mm" + (":ss" if seconds else "")
    return format_datetime(aware.astimezone(VN_TIME), pattern, locale=LOCALES.get(lang, "vi_VN"))


def difference_unit(unit: str, lang: str = "vi") -> str:
    """The unit of a difference of two values in `unit`: "điểm %" / "pp" for percentages."""
    return POINTS.get(lang, POINTS["vi"]) if unit.strip() == "%" else unit
