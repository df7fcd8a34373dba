"""The one exception the import engine raises on purpose, with a message in both languages.

Callers (the Data page, the CLI) show `str(exc)`; everything else that goes wrong with a file is
an error in the inspection's report, so a bad upload never surfaces as a traceback.
"""

from __future__ import annotations


class IngestError(Exception):
    """A refused upload or import: `vi` and `en` say why and what to do."""

    def __init__(self, vi: str, en: str, *, refused: bool = False) -> None:
        super().__init__(f"{vi} / {en}")
        self.vi = vi
        self.en = en
        self.refused = refused  # a safety limit (size, zip shape), not merely unreadable

    def message(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi
