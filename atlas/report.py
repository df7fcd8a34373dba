"""Problems found while loading a pack, each located precisely enough to fix by hand.

Errors stop a load; warnings are repairs or oddities the loader already handled. Every issue
names the pack and, where it applies, the file, the feature or row, and the field, because a
data clerk has to find the problem in a file they did not write. The clerks read Vietnamese,
so every message and every location is a `Text` in both languages: the app shows the one the
user picked, the command line prints Vietnamese then English.

Locations count like the file a clerk opens: features from 1 in file order, CSV rows as the
line number (the header is line 1), manifest arrays as TOML paths (`layers[1]`, counted from
0 like the array index) followed by the item's id, so the right `[[layers]]` block is found
by searching for its id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from atlas.spec import Text

Level = Literal["error", "warning"]

LEVEL_NAMES: dict[str, Text] = {
    "error": Text("LỖI", "ERROR"),
    "warning": Text("CẢNH BÁO", "WARNING"),
}

# How many rows or features a message names before it just counts the rest.
FIRST_FEW = 3


def as_text(value: str | Text | None) -> Text | None:
    """A location given as plain text (a file path, a TOML path) reads the same in both."""
    if value is None or isinstance(value, Text):
        return value
    return Text(value, value)


def first_few(labels: Sequence[Text], limit: int = FIRST_FEW) -> Text:
    """`dòng 2, dòng 5, dòng 9 và 4 dòng khác`: the first rows or features a problem concerns,
    so the clerk can open the file at one of them, without listing hundreds."""
    shown = labels[:limit]
    vi = ", ".join(label.vi for label in shown)
    en = ", ".join(label.en for label in shown)
    rest = len(labels) - len(shown)
    if rest > 0:
        vi += f" và {rest} chỗ khác"
        en += f" and {rest} more"
    return Text(vi, en)


@dataclass(frozen=True)
class Issue:
    level: Level
    pack: str
    message: Text
    file: str | None = None
    where: Text | None = None
    field: str | None = None

    def text(self, lang: str = "vi") -> str:
        """The message in `lang`."""
        return self.message.get(lang)

    def where_text(self, lang: str = "vi") -> str:
        return self.where.get(lang) if self.where is not None else ""

    def location(self, lang: str = "vi") -> str:
        """`file › where › field`, leaving out the parts that do not apply."""
        parts = [p for p in (self.file, self.where_text(lang), self.field) if p]
        return " › ".join(parts)

    def describe(self, lang: str = "vi") -> str:
        """One line in one language: `location: message`."""
        loc = self.location(lang)
        return f"{loc}: {self.text(lang)}" if loc else self.text(lang)

    def __str__(self) -> str:
        """Both languages on one line (logs, assertion output): Vietnamese first."""
        level = LEVEL_NAMES[self.level]
        head = f"[{level.vi} / {level.en}] {self.pack}"
        loc = self.location("vi")
        if self.where is not None and self.where.en != self.where.vi:
            loc += f" ({self.where.en})"
        body = f"{self.message.vi} / {self.message.en}"
        return f"{head}: {loc}: {body}" if loc else f"{head}: {body}"


@dataclass
class Report:
    """Collects issues for one pack; `ok` is what decides whether the load may go on.

    `error(vi, en, …)` and `warning(vi, en, …)` take the message in both languages: a problem
    is only worth reporting if the person who must fix it can read it.
    """

    pack: str
    issues: list[Issue] = field(default_factory=list)

    def error(
        self,
        vi: str,
        en: str,
        *,
        file: str | None = None,
        where: str | Text | None = None,
        field: str | None = None,
    ) -> None:
        self._add(Issue("error", self.pack, Text(vi, en), file, as_text(where), field))

    def warning(
        self,
        vi: str,
        en: str,
        *,
        file: str | None = None,
        where: str | Text | None = None,
        field: str | None = None,
    ) -> None:
        self._add(Issue("warning", self.pack, Text(vi, en), file, as_text(where), field))

    def _add(self, issue: Issue) -> None:
        """The same problem found twice (e.g. via two layers of one file) is listed once."""
        if issue not in self.issues:
            self.issues.append(issue)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_records(self, lang: str = "vi") -> list[dict[str, str]]:
        """Rows for a table widget or a CSV, in `lang`."""
        return [
            {
                "level": i.level,
                "pack": i.pack,
                "file": i.file or "",
                "where": i.where_text(lang),
                "field": i.field or "",
                "message": i.text(lang),
            }
            for i in self.issues
        ]
