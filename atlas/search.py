"""Find communes, roads, clusters and projects by name, ignoring case, diacritics and Unicode form.

Planners type "dong mo" or "Đồng Mỏ" or paste an NFD name from a PDF; all must find the same
feature. The index is built once per loaded pack (the page caches it) and holds only plain
data: layer id, row, name and the feature's bounds for zooming.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from atlas.spec import Pack
from atlas.text import fold


@dataclass(frozen=True)
class SearchHit:
    layer_id: str
    row: int
    name: str
    bounds: tuple[float, float, float, float]  # minx (lon), miny (lat), maxx, maxy
    via: str = ""  # the other name that matched (e.g. the commune's name before 2025)

    @property
    def label(self) -> str:
        """What a pick list shows: the feature's name, and the other name that found it."""
        return f"{self.name} ← {self.via}" if self.via else self.name

    @property
    def center(self) -> tuple[float, float]:
        """(lat, lon) of the bounds' centre, as Leaflet wants it."""
        minx, miny, maxx, maxy = self.bounds
        return ((miny + maxy) / 2, (minx + maxx) / 2)


@dataclass(frozen=True)
class SearchIndex:
    entries: tuple[tuple[str, SearchHit], ...]  # (folded name, hit)

    def query(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Hits where every query word starts a word of the name ("an" finds "Tân An", not
        "Tân Bình"); exact names first (ignoring "Xã", "Thị trấn", "Đô thị"…), then names that
        start with the query, then the rest; ties: a feature's own name before its other names
        (before / after 2025), then drawing order (communes before works)."""
        words = fold(text).split()
        if not words:
            return []
        needle = _without_unit_prefix(" ".join(words))  # "xã tân an" and "tân an" alike
        ranked = []
        for order, (key, hit) in enumerate(self.entries):
            name_words = key.split()
            if not all(any(nw.startswith(w) for nw in name_words) for w in words):
                continue
            bare = _without_unit_prefix(key)
            if bare == needle:
                rank = 0
            elif bare.startswith(needle):
                rank = 1
            else:  # the words in a row somewhere ("… Tân An …"), else scattered ("Dự án … Tân")
                rank = 2 if _in_a_row(name_words, words) else 3
            # Ties: a feature's own name before another name of it, then layer order, row.
            ranked.append(((rank, bool(hit.via), order), hit))
        ranked.sort(key=lambda kh: kh[0])
        if ranked and ranked[0][0][0] < 3:  # scattered words only when nothing closer matched
            ranked = [kh for kh in ranked if kh[0][0] < 3]
        return [hit for _, hit in ranked[:limit]]

    def examples(self, n: int = 3) -> list[str]:
        """The shortest name of each of the first `n` layers of several features (not the
        district's outline), each naming another place: the search box's hint shows what
        this pack holds ("Xã Mỹ Cẩm, Hương lộ 39, Đô thị Tân An"), not another district's
        places, nor one town three times."""
        by_layer: dict[str, list[str]] = {}
        for _, hit in self.entries:
            if not hit.via:
                by_layer.setdefault(hit.layer_id, []).append(hit.name)
        out: list[str] = []
        said: set[str] = set()
        for names in by_layer.values():
            if len(names) < 2 or len(out) >= n:
                continue
            for name in sorted(names, key=len):
                words = set(_without_unit_prefix(fold(name)).split())
                if not words & said:
                    out.append(name)
                    said |= words
                    break
        return out


def _in_a_row(name_words: list[str], words: list[str]) -> bool:
    """The query's words start consecutive words of the name, in order."""
    n = len(words)
    return any(
        all(name_words[i + j].startswith(w) for j, w in enumerate(words))
        for i in range(len(name_words) - n + 1)
    )


# Words that name the kind of unit or work before the proper name; folded.
_UNIT_PREFIXES = ("thi tran ", "xa ", "phuong ", "do thi ", "huyen ", "thi xa ", "thanh pho ")


def _without_unit_prefix(folded: str) -> str:
    for prefix in _UNIT_PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


def build_index(pack: Pack) -> SearchIndex:
    """One entry per named feature; a file drawn by several layers is indexed once."""
    entries: list[tuple[str, SearchHit]] = []
    seen_files: set[str] = set()
    for layer in pack.layers:
        frame = pack.frames.get(layer.id)
        if frame is None or layer.file in seen_files or layer.name_field not in frame.columns:
            continue
        seen_files.add(layer.file)
        bounds = frame.geometry.bounds.to_numpy()
        also = [f for f in layer.search_fields if f in frame.columns]
        for row, name in enumerate(frame[layer.name_field]):
            if not (isinstance(name, str) and name.strip()):
                continue
            box = tuple(float(v) for v in bounds[row])
            entries.append((fold(name), SearchHit(layer.id, row, name, box)))
            for field in also:
                for other in _names(frame[field].iloc[row]):
                    if fold(other) == fold(name):
                        continue
                    entries.append((fold(other), SearchHit(layer.id, row, name, box, via=other)))
    return SearchIndex(tuple(entries))


def _names(value: object) -> list[str]:
    """The names in a comma-separated field, without trailing notes in brackets."""
    if not isinstance(value, str):
        return []
    return [n for n in (re.sub(r"\s*\(.*\)\s*$", "", p).strip() for p in value.split(",")) if n]
