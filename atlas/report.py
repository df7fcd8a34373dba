"""Problems found while loading a pack, each located precisely enough to fix by hand.

Errors stop a load; warnings are repairs or oddities the loader already handled. Every issue
names the pack and, where it applies, the file, the feature or row, and the field, because a
data clerk has to find the problem in a file they did not write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    level: Level
    pack: str
    message: str
    file: str | None = None
    where: str | None = None
    field: str | None = None

    def location(self) -> str:
        """`file › where › field`, leaving out the parts that do not apply."""
        parts = [p for p in (self.file, self.where, self.field) if p]
        return " › ".join(parts)

    def __str__(self) -> str:
        loc = self.location()
        head = f"[{self.level.upper()}] {self.pack}"
        return f"{head}: {loc}: {self.message}" if loc else f"{head}: {self.message}"


@dataclass
class Report:
    """Collects issues for one pack; `ok` is what decides whether the load may go on."""

    pack: str
    issues: list[Issue] = field(default_factory=list)

    def error(
        self,
        message: str,
        *,
        file: str | None = None,
        where: str | None = None,
        field: str | None = None,
    ) -> None:
        self._add(Issue("error", self.pack, message, file, where, field))

    def warning(
        self,
        message: str,
        *,
        file: str | None = None,
        where: str | None = None,
        field: str | None = None,
    ) -> None:
        self._add(Issue("warning", self.pack, message, file, where, field))

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

    def as_records(self) -> list[dict[str, str]]:
        """Rows for a table widget or a CSV."""
        return [
            {
                "level": i.level,
                "pack": i.pack,
                "file": i.file or "",
                "where": i.where or "",
                "field": i.field or "",
                "message": i.message,
            }
            for i in self.issues
        ]
