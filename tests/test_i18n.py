"""Every UI string exists in Vietnamese and English, and every key the UI uses exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from atlas.i18n import LANGS, STRINGS, t

REPO_ROOT = Path(__file__).resolve().parent.parent
UI_FILES = [
    REPO_ROOT / "app.py",
    *(REPO_ROOT / "pages").glob("*.py"),
    *(REPO_ROOT / "ui").glob("*.py"),
]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_has_both_languages(key: str) -> None:
    entry = STRINGS[key]
    assert set(entry) == set(LANGS), f"{key}: languages {sorted(entry)}"
    for lang in LANGS:
        assert entry[lang].strip(), f"{key}: empty {lang}"


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_placeholders_are_the_same_in_both_languages(key: str) -> None:
    assert _fields(STRINGS[key]["vi"]) == _fields(STRINGS[key]["en"])


def test_t_formats_and_falls_back_to_vietnamese() -> None:
    assert t("packs.found", "en", n=2) == "Packs found (2)"
    assert t("packs.found", "vi", n=2) == "Các gói đã tìm thấy (2)"
    assert t("packs.title", "fr") == STRINGS["packs.title"]["vi"]
    with pytest.raises(KeyError):
        t("no.such.key", "vi")


def test_every_literal_key_used_by_the_ui_exists() -> None:
    used: set[str] = set()
    for path in UI_FILES:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_.]+)["']""", path.read_text("utf-8")))
    assert used, "no t() call found: the pattern is out of date"
    assert used - set(STRINGS) == set()
