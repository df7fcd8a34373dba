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


def failure(vi: str, en: str, exc: BaseException | None = None) -> IngestError:
    """An unreadable file: the reason, with the reader's own words (cut) when there are some."""
    detail = f" ({str(exc)[:300]})" if exc is not None else ""
    return IngestError(vi + detail, en + detail)


def pick(options: list[str], chosen: str | None, what: tuple[str, str]) -> str:
    """The layer, table or sheet asked for (the first when none is), or why it is not there;
    `what` names the kind in both languages ("trang tính", "sheet")."""
    if not options:
        raise failure(f"Không có {what[0]} nào trong tệp.", f"The file has no {what[1]}.")
    if chosen is None:
        return options[0]
    if chosen not in options:
        raise failure(
            f"Không có {what[0]} {chosen!r} (có: {', '.join(options)}).",
            f"No {what[1]} {chosen!r} (available: {', '.join(options)}).",
        )
    return chosen
