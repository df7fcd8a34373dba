"""The communes a file joins to, indexed for lookups by code and by (type, name).

Built once per join from the reference frame (`code`, `name`); every lookup is a dict hit, so
a table of 200 000 rows costs one lookup per *distinct* value, not a scan of every name.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import pandas as pd

from atlas.ingest.names import Reading, readings
from atlas.text import normalise_code

FUZZY_MIN = 0.8


class CommuneIndex:
    """Reference communes by code, by typed name and by bare name.

    A written name with a type ("Xã Chi Lăng") finds only communes of that type (or whose
    reference name has no type); a bare name ("Chi Lăng") finds every commune of that name, so
    it joins only when the name is unique."""

    def __init__(self, communes: pd.DataFrame | None, code_width: int = 5) -> None:
        self.names: dict[str, str] = {}
        self.typed: dict[Reading, set[str]] = {}
        self.bare: dict[str, set[str]] = {}
        self.untyped: dict[str, set[str]] = {}
        self._key_list: list[str] | None = None
        if communes is None or not len(communes):
            return
        for raw_code, raw_name in zip(communes["code"], communes["name"], strict=True):
            code = normalise_code(raw_code, code_width)
            if not code or code in self.names:
                continue
            self.names[code] = "" if raw_name is None else str(raw_name)
            for reading in readings(raw_name):
                self.typed.setdefault(reading, set()).add(code)
                self.bare.setdefault(reading.name, set()).add(code)
                if reading.type is None:
                    self.untyped.setdefault(reading.name, set()).add(code)

    def _keys(self) -> list[str]:
        if self._key_list is None:
            self._key_list = list(self.bare)
        return self._key_list

    def __len__(self) -> int:
        return len(self.names)

    def by_name(self, value: object) -> set[str]:
        """Codes a written name can be: the union over its readings (one code: a match)."""
        found: set[str] = set()
        for reading in readings(value):
            if reading.type is None:
                found |= self.bare.get(reading.name, set())
            else:
                found |= self.typed.get(reading, set()) | self.untyped.get(reading.name, set())
        return found

    def fuzzy(self, value: object) -> tuple[str, float] | None:
        """The one commune whose name is closest (≥ FUZZY_MIN), with its similarity; None
        when there is no such name or it is shared by several communes."""
        best: tuple[float, str] | None = None
        for reading in readings(value):
            for hit in difflib.get_close_matches(reading.name, self._keys(), 1, FUZZY_MIN):
                ratio = difflib.SequenceMatcher(None, reading.name, hit).ratio()
                if best is None or ratio > best[0]:
                    best = (ratio, hit)
        if best is None:
            return None
        codes = _of_type(self.bare[best[1]], readings(value), self)
        return (next(iter(codes)), round(best[0], 3)) if len(codes) == 1 else None

    def label(self, codes: Iterable[str]) -> str:
        """ "Thị trấn Chi Lăng (06466), Xã Chi Lăng (06523)": for messages."""
        return ", ".join(f"{self.names[c]} ({c})" for c in sorted(codes))


def _of_type(codes: set[str], written: tuple[Reading, ...], index: CommuneIndex) -> set[str]:
    """Narrow `codes` to the written type, when the text says one and that leaves any."""
    types = {r.type for r in written if r.type}
    if not types or len(codes) < 2:
        return codes
    kept = {c for c in codes if any(r.type in types for r in readings(index.names[c]))}
    return kept or codes
