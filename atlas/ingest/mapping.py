"""Column mapping suggestions and the commune join (code, then name, then fuzzy name)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from atlas.ingest.model import ColumnMapping, JoinResult
from atlas.spec import Pack


def suggest_mapping(
    columns: Sequence[str], data: pd.DataFrame | None = None, communes: pd.DataFrame | None = None
) -> ColumnMapping:
    """Guess the code, name and year columns from names (and values, when `data` is given)."""
    raise NotImplementedError


def commune_reference(
    pack: Pack | None = None, *, district_code: str | None = None
) -> pd.DataFrame:
    """Communes to join against, columns `code`, `name`: a pack's commune layer, or the
    pre-2025 communes of a district from the 2025 crosswalk."""
    raise NotImplementedError


def join_communes(
    data: pd.DataFrame, communes: pd.DataFrame, mapping: ColumnMapping, *, code_width: int = 5
) -> JoinResult:
    """Match each row to a commune: by code, else by folded name, else fuzzy (to confirm)."""
    raise NotImplementedError
