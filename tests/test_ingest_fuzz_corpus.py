"""A seeded corpus of malformed uploads, each run through the whole import (inspect → map →
join → save): it ends in a pack `load_pack` validates or a bilingual refusal that wrote
nothing, never in another exception, never leaving temp or `.staging` folders behind.

Deterministic: input `seed` is made by `MAKERS[seed % len(MAKERS)](random.Random(seed))`, so
a failure names the seed that reproduces it (`make_input(seed)`). A new format is one line in
`SEEDS` (format name, file name, factory of valid bytes): mutations and wrong extensions then
cover it too.
"""

from __future__ import annotations

import io
import json
import math
import random
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from functools import cache, lru_cache

import pandas as pd
import pytest

from tests import format_fixtures as ff
from tests.fuzz_pipeline import Sandbox, make_base, run
from tests.ingest_fixtures import (
    communes_wgs84,
    kmz,
    shapefile_zip,
    to_vn2000,
    vector_bytes,
    xlsx,
    zip_of,
)

warnings.filterwarnings("ignore")

CORPUS_SIZE = 1200
BATCH = 50
Input = tuple[str, bytes]


@lru_cache(maxsize=1)
def _frame():
    """Three communes, simplified so mutations often hit structure rather than coordinates."""
    frame = communes_wgs84().head(3).copy()
    frame["geometry"] = frame.geometry.simplify(0.002)
    return frame


def _csv_seed() -> bytes:
    return "code,name,dan_so\n29266,Thị trấn Càng Long,100\n29269,Xã Mỹ Cẩm,200\n".encode()


def _xlsx_seed() -> bytes:
    return xlsx(pd.DataFrame({"ma": ["29266", "29269"], "ten": ["A", "B"], "dan_so": [1, 2]}))


SEEDS: list[tuple[str, str, Callable[[], bytes]]] = [
    ("geojson", "x.geojson", lambda: vector_bytes(_frame(), ".geojson", "GeoJSON")),
    ("shapefile", "x.zip", lambda: shapefile_zip(_frame())),
    ("gpkg", "x.gpkg", lambda: vector_bytes(_frame(), ".gpkg", "GPKG")),
    ("kml", "x.kml", lambda: vector_bytes(_frame(), ".kml", "KML")),
    ("kmz", "x.kmz", lambda: kmz(_frame())),
    ("csv", "x.csv", _csv_seed),
    ("xlsx", "x.xlsx", _xlsx_seed),
    ("mapinfo", "x.zip", lambda: ff.mapinfo_zip(_frame())),
    ("mif", "x.zip", lambda: ff.mapinfo_zip(_frame(), "mif")),
    ("dxf", "x.dxf", lambda: ff.dxf(to_vn2000(_frame(), 9210))),
    ("dgn", "x.dgn", lambda: ff.dgn(to_vn2000(_frame(), 9210))),
    ("filegdb", "x.zip", lambda: ff.filegdb_zip({"xa": _frame()})),
    ("flatgeobuf", "x.fgb", lambda: ff.one_file(_frame(), "x.fgb", "FlatGeobuf")),
]


@cache
def seed_bytes(index: int) -> bytes:
    return SEEDS[index][2]()


# --- mutations of valid files ------------------------------------------------------------


def _flip(rng: random.Random, data: bytearray) -> None:
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] = rng.randrange(256)


def _truncate(rng: random.Random, data: bytearray) -> None:
    del data[rng.randrange(len(data)) :]


def _insert(rng: random.Random, data: bytearray) -> None:
    at = rng.randrange(len(data) + 1)
    data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))


def _duplicate(rng: random.Random, data: bytearray) -> None:
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randint(1, 256))
    data[b:b] = data[a:b]


MUTATIONS = (_flip, _truncate, _insert, _duplicate)


def mutated(rng: random.Random) -> Input:
    index = rng.randrange(len(SEEDS))
    data = bytearray(seed_bytes(index))
    for _ in range(rng.randint(1, 3)):
        if data:
            rng.choice(MUTATIONS)(rng, data)
    return SEEDS[index][1], bytes(data)


def wrong_extension(rng: random.Random) -> Input:
    data = seed_bytes(rng.randrange(len(SEEDS)))
    name = rng.choice([s[1] for s in SEEDS] + ["x", "x.txt", "x.shp", "x.json"])
    return name, data


# --- zips: bombs, traversal, odd entries ---------------------------------------------------


def zip_attack(rng: random.Random) -> Input:
    kind = rng.randrange(6)
    if kind == 0:  # a bomb: 20 MB of zeros in a few KB
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xa.shp", b"\0" * 20_000_000)
        return "x.zip", buf.getvalue()
    if kind == 1:
        name = rng.choice(["../xa.shp", "/etc/xa.shp", "C:/xa.kml", "a/../../xa.kml"])
        return "x.zip", zip_of({name: b"x" * 10})
    if kind == 2:
        return "x.kmz", zip_of({f"f{i}.kml": b"<kml/>" for i in range(rng.randint(201, 260))})
    if kind == 3:  # a symlink entry
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as archive:
            info = zipfile.ZipInfo("xa.shp")
            info.external_attr = 0o120777 << 16
            archive.writestr(info, "/etc/passwd")
        return "x.zip", buf.getvalue()
    if kind == 4:  # an unsupported method or zip version in the central directory
        data = bytearray(kmz(_frame()))
        at = data.find(b"PK\x01\x02")
        field = rng.choice([(6, 200), (10, 99), (10, 14), (8, 1)])
        data[at + field[0] : at + field[0] + 2] = field[1].to_bytes(2, "little")
        return "x.kmz", bytes(data)
    data = bytearray(kmz(_frame()))  # corrupt deflate data
    start = data.find(b"doc.kml") + 7
    for i in range(start + 10, min(len(data), start + 60)):
        data[i] ^= rng.randrange(1, 256)
    return "x.kmz", bytes(data)


# --- XML entities --------------------------------------------------------------------------

_XXE = (
    '<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY xxe "&c;&c;&c;&c;&c;&c;&c;&c;">]>',
)


def xml_entities(rng: random.Random) -> Input:
    doctype = rng.choice(_XXE)
    if rng.random() < 0.5:
        kml = (
            f'<?xml version="1.0"?>{doctype}<kml xmlns="http://www.opengis.net/kml/2.2">'
            "<Document><Placemark><name>&xxe;</name><Point><coordinates>106.3,9.9</coordinates>"
            "</Point></Placemark></Document></kml>"
        )
        return "x.kml", kml.encode()
    entries = {}
    with zipfile.ZipFile(io.BytesIO(_xlsx_seed())) as archive:
        for info in archive.infolist():
            entries[info.filename] = archive.read(info)
    target = rng.choice([n for n in entries if n.endswith("sheet1.xml") or "sharedStrings" in n])
    text = entries[target].decode()
    body = text.split("?>", 1)[1] if text.startswith("<?xml") else text
    root = body.split("<", 2)[1].split()[0]
    entries[target] = (
        '<?xml version="1.0"?>' + doctype.replace("kml", root) + body.replace("A<", "&xxe;<", 1)
    ).encode()
    return "x.xlsx", zip_of(entries)


# --- odd geometry --------------------------------------------------------------------------


def _scribble(rng: random.Random, n: int) -> list[list[float]]:
    ring = [[106.3 + rng.random() * 0.01, 9.9 + rng.random() * 0.01] for _ in range(n)]
    return [*ring, ring[0]]


def _odd_geometry(rng: random.Random) -> dict | None:
    x, y = 106.3, 9.95
    choices = [
        {"type": "Polygon", "coordinates": [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01]]]},
        {"type": "LineString", "coordinates": [[x, y]]},
        {"type": "Point", "coordinates": [math.nan, y]},
        {"type": "Point", "coordinates": [math.inf, -math.inf]},
        {"type": "Point", "coordinates": [1e308, 1e308]},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[]]},
        {"type": "MultiPolygon", "coordinates": [[[[x, y], [x + 0.01, y + 0.01],
                                                    [x + 0.01, y], [x, y + 0.01], [x, y]]]]},
        {"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [x, y]},
                                                      {"type": "LineString",
                                                       "coordinates": [[x, y], [x, y + 1]]}]},
        {"type": "Polygon", "coordinates": [_scribble(rng, rng.choice([20, 120, 400]))]},
        {"type": "Point", "coordinates": [x, y, 5, 7]},
        {"type": "Point", "coordinates": "x"},
        {"type": "Circle", "coordinates": [x, y]},
        {"type": "LineString", "coordinates": [[x, y], [x, y]]},
        None,
    ]  # fmt: skip
    return rng.choice(choices)


def odd_geometry(rng: random.Random) -> Input:
    base = json.loads(seed_bytes(0))
    features = base["features"][: rng.randint(0, 3)]
    for _ in range(rng.randint(1, 3)):
        features.append({"type": "Feature", "properties": {"name": "Xã lạ"},
                         "geometry": _odd_geometry(rng)})  # fmt: skip
    rng.shuffle(features)
    doc = json.dumps({"type": "FeatureCollection", "features": features}, allow_nan=True)
    return "x.geojson", doc.encode()


# --- odd encodings and columns -------------------------------------------------------------


def odd_encoding(rng: random.Random) -> Input:
    text = seed_bytes(5).decode()
    kind = rng.randrange(6)
    if kind == 0:
        return "x.csv", text.encode("utf-16")
    if kind == 1:
        return "x.csv", text.encode("utf-16-le")  # no BOM: NUL bytes everywhere
    if kind == 2:
        return "x.csv", text.encode("cp1258", errors="replace")
    if kind == 3:
        data = bytearray(text.encode())
        data.insert(rng.randrange(len(data)), 0)
        return "x.csv", bytes(data)
    if kind == 4:
        return "x.csv", ("\ufeff" * 3 + text).encode()
    return "x.csv", text.encode()[:-3] + b"\xc3"  # a cut multi-byte character


_ODD_NAMES = ["code", "geometry", "", "ten", "ten", " ", "Unnamed: 0", "x" * 300, "nam", "\u0301"]
_ODD_VALUES = [str(2**70), str(-(2**70)), "x" * 10_000, "", "nan", "1e308", "inf", "29266",
               "Thị trấn Càng Long", "0", "1,5", "=1+1", "<b>x</b>", "\u200b"]  # fmt: skip


def _odd_rows(rng: random.Random) -> tuple[list[str], list[list[str]]]:
    width = rng.randint(1, 5)
    header = [rng.choice(_ODD_NAMES + ["ma", "name", "dan_so"]) for _ in range(width)]
    rows = [[rng.choice(_ODD_VALUES) for _ in range(width)] for _ in range(rng.randint(0, 4))]
    return header, rows


def odd_columns(rng: random.Random) -> Input:
    header, rows = _odd_rows(rng)
    kind = rng.randrange(4)
    if kind == 0:
        lines = [",".join(f'"{c}"' for c in header)] + [",".join(r) for r in rows]
        return "x.csv", "\n".join(lines).encode()
    if kind == 1:
        frame = pd.DataFrame(rows, columns=[f"c{i}" for i in range(len(header))], dtype=object)
        frame.columns = header  # duplicates and empties as they are
        return "x.xlsx", xlsx(frame)
    if kind == 2:
        return "x.csv", (
            ",".join(f"c{i}" for i in range(rng.choice([499, 501, 2000]))) + "\n1"
        ).encode()
    base = json.loads(seed_bytes(0))
    for feature in base["features"]:
        feature["properties"] = {
            h or "": (2**70 if v == str(2**70) else v)
            for h, v in zip(header, rng.choice(rows or [[""] * len(header)]), strict=False)
        }
    return "x.geojson", json.dumps(base).encode()


def huge_declared_range(rng: random.Random) -> Input:
    entries = {}
    with zipfile.ZipFile(io.BytesIO(_xlsx_seed())) as archive:
        for info in archive.infolist():
            entries[info.filename] = archive.read(info)
    sheet = next(n for n in entries if n.endswith("sheet1.xml"))
    text = entries[sheet].decode()
    text = text.replace('<dimension ref="A1:C3"/>', '<dimension ref="A1:XFD1048576"/>')
    if rng.random() < 0.5:
        cell = rng.choice(['<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
                           '<row r="900000"><c r="D900000"><v>1</v></c></row>'])  # fmt: skip
        text = text.replace("</sheetData>", cell + "</sheetData>")
    entries[sheet] = text.encode()
    return "x.xlsx", zip_of(entries)


MAKERS: list[Callable[[random.Random], Input]] = [
    mutated, mutated, mutated, mutated, mutated, mutated,
    wrong_extension, zip_attack, xml_entities, odd_geometry, odd_geometry,
    odd_encoding, odd_columns, odd_columns, huge_declared_range,
]  # fmt: skip


def make_input(seed: int) -> Input:
    rng = random.Random(seed)
    return MAKERS[seed % len(MAKERS)](rng)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory, monkeypatch_module):
    work = tmp_path_factory.mktemp("fuzz")
    base = make_base(work / "pristine")
    private_tmp = tmp_path_factory.mktemp("fuzz-tmp")
    monkeypatch_module.setattr(tempfile, "tempdir", str(private_tmp))
    return Sandbox(work, base)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_the_corpus_is_deterministic():
    assert make_input(17) == make_input(17) and make_input(17) != make_input(18)


@pytest.mark.parametrize("batch", range(CORPUS_SIZE // BATCH))
def test_malformed_uploads_end_in_a_valid_pack_or_a_bilingual_refusal(batch, sandbox):
    for seed in range(batch * BATCH, (batch + 1) * BATCH):
        name, data = make_input(seed)
        root = sandbox.root()
        try:
            outcome = run(name, data, root)
            if outcome.pack is not None:
                for file in outcome.pack.rglob("*"):
                    assert not file.is_file() or b"root:" not in file.read_bytes()
            sandbox.check_clean(root)
        except Exception as exc:
            raise AssertionError(
                f"seed {seed} ({MAKERS[seed % len(MAKERS)].__name__}, {name}): {exc!r}"
            ) from exc
