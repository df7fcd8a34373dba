"""Text stays text in a terminal: a name from a file may hold control characters (an escape
sequence can clear the screen, retitle the window or rewrite what was printed before), so the
CLI's output shows them as `\\x1b`, never sends them. Line breaks and tabs pass."""

from __future__ import annotations

import re
from typing import TextIO

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class PrintableStream:
    """A text stream that writes to `stream` with control characters shown, not sent."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)
