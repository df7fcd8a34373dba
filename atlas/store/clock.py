"""Times: stored in UTC, shown in Vietnam's time (UTC+7) and labelled so."""

from __future__ import annotations

from datetime import UTC, datetime

from atlas.formats import time_text


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    """A stored time as an aware UTC datetime. They are written in UTC; SQLite hands them back
    naive (so they are UTC), PostgreSQL aware in the session's time zone (so convert)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def shown_time(value: datetime, seconds: bool = False, label: bool = True) -> str:
    """A time as users read it: Vietnam's time, labelled (`01/03/2025 15:01 (UTC+7)`) unless
    the column header already says so (`atlas.formats.time_text`)."""
    aware = _aware(value)
    assert aware is not None
    text = time_text(aware, seconds=seconds)
    return f"{text} (UTC+7)" if label else text
