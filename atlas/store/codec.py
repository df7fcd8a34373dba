"""Values as text: how an edit's value is stored and how the audit log writes it."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from atlas import scenarios as sc
from atlas.kpi import CODE
from atlas.scenarios import Value

# --- values as text ---------------------------------------------------------------------------


def value_type(value: Value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    raise TypeError(f"an edit value must be int, float, bool or None, not {type(value).__name__}")


def decode_value(text: str | None, kind: str) -> Value:
    if kind == "null" or text is None:
        return None
    if kind == "bool":
        return text == "true"
    if kind == "int":
        return int(text)
    if kind == "float":
        return float(text)
    raise ValueError(f"unknown value type {kind!r}")


def _text(value: object) -> str | None:
    """A value as the audit log shows it."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool | int | float):
        return sc.encode_value(value)
    return str(value)


def _base_lookup(base: pd.DataFrame | None) -> Callable[[str, str], str | None]:
    """(code, column) → the base's value as text, or None when unknown."""
    if base is None or CODE not in base.columns:
        return lambda code, column: None
    rows = base.set_index(CODE)

    def lookup(code: str, column: str) -> str | None:
        if code not in rows.index or column not in rows.columns:
            return None
        value = rows.at[code, column]
        if value is pd.NA or (isinstance(value, float) and value != value):
            return None
        if hasattr(value, "item"):
            value = value.item()  # numpy scalar → Python, so 12 is "12", not "np.int64(12)"
        return _text(value)

    return lookup
