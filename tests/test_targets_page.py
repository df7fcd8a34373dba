"""The targets page in AppTest: every target with its quote, figures from atlas.kpi, downloads."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from atlas import kpi
from atlas.loader import load_pack
from atlas.spec import Pack
from tests.app_pages import open_app_page
from tests.conftest import REPO_ROOT

PAGE = "pages/targets.py"


class RecordingStorage(app_test_module.MemoryMediaFileStorage):
    """AppTest's in-memory media storage, kept after the run so a test can read a download."""

    latest: RecordingStorage | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        RecordingStorage.latest = self


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> type[RecordingStorage]:
    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", RecordingStorage)
    return RecordingStorage


def download_bytes(at: AppTest, storage: type[RecordingStorage], key: str) -> bytes:
    button = at.download_button(key=key)
    assert storage.latest is not None
    return storage.latest.get_file(Path(button.proto.url).name).content


def open_page(at: AppTest, pack: str = "cang_long", lang: str = "vi") -> AppTest:
    return open_app_page(at, PAGE, pack, lang)


def short_tables(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe if "Mã xã" in d.value.columns]


@pytest.mark.parametrize("pack_id", ["cang_long", "chi_lang"])
def test_every_target_is_listed_with_its_quote(app_test: AppTest, pack_id: str) -> None:
    at = open_page(app_test, pack_id)
    pack = load_pack(REPO_ROOT / "geodata" / pack_id).pack
    assert [t.value for t in at.title] == ["Chỉ tiêu kế hoạch"]
    assert [s.value for s in at.subheader] == [t.label.vi for t in pack.targets]
    quotes = " ".join(m.value for m in at.markdown)
    for target in pack.targets:
        assert target.quote.split()[0] in quotes
        assert any(target.quote in m.value.replace("\\", "") for m in at.markdown), target.id
    assert len(at.metric) == len(pack.targets)
    assert any("Bản đồ sơ đồ" in e.label for e in at.expander)


def test_district_values_and_communes_short_match_atlas_kpi(
    app_test: AppTest, cang_long: Pack
) -> None:
    at = open_page(app_test)
    assert at.selectbox(key="targets.cang_long.year").value == 2025
    results = kpi.evaluate_pack(cang_long, year=2025)
    metrics = list(at.metric)
    assert [m.label for m in metrics] == ["Toàn huyện, 2025"] * 4
    assert [m.value for m in metrics] == [
        "92,9 %",
        "98,3 %",
        "85,7 %",
        "97,4 %",
    ]  # Vietnamese decimal comma
    assert metrics[0].delta == "-7,1 điểm %"
    tables = short_tables(at)
    assert len(tables) == len(results)
    for table, result in zip(tables, results, strict=True):
        assert list(table.columns) == ["Mã xã", "Xã", "Giá trị"]
        assert list(table["Mã xã"]) == [code for code, _, _ in result.short]
        assert list(table["Xã"]) == [name for _, name, _ in result.short]
        assert list(table["Giá trị"]) == pytest.approx([v for _, _, v in result.short], abs=0.01)
    assert list(tables[0]["Xã"]) == ["Xã Đức Mỹ"]  # short on fibre to the commune centre
    assert list(tables[2]["Xã"]) == ["Xã An Trường", "Xã Đức Mỹ"]  # no 5G


def test_year_selector_shows_another_measured_year(app_test: AppTest, cang_long: Pack) -> None:
    at = open_page(app_test)
    at.selectbox(key="targets.cang_long.year").set_value(2021).run()
    assert not at.exception
    results = kpi.evaluate_pack(cang_long, year=2021)
    assert [m.label for m in at.metric] == ["Toàn huyện, 2021"] * 4
    tables = short_tables(at)
    assert [len(t) for t in tables] == [len(r.short) for r in results]


def test_a_scenario_replaces_the_figures(app_test: AppTest) -> None:
    at = open_page(app_test)
    source = at.selectbox(key="targets.cang_long.source")
    assert source.value == "measured"
    assert source.options == ["Số liệu hiện trạng của gói", "Kế hoạch 2025"]
    source.set_value("plan-2025").run()
    assert not at.exception
    assert [m.value for m in at.metric] == ["100 %"] * 4
    assert [m.delta for m in at.metric] == ["Đạt"] * 4
    assert short_tables(at) == []
    assert at.selectbox(key="targets.cang_long.scenario_year").value == 2025


def test_downloads_are_a_valid_csv_and_xlsx(
    app_test: AppTest, downloads: type[RecordingStorage], cang_long: Pack
) -> None:
    at = open_page(app_test)
    assert [b.label for b in at.download_button] == ["Xã chưa đạt (CSV)", "Tổng hợp (Excel)"]

    csv = download_bytes(at, downloads, "targets.cang_long.csv")
    assert csv.startswith(b"\xef\xbb\xbf")
    short = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig", dtype={"Mã xã": str})
    results = kpi.evaluate_pack(cang_long, year=2025)
    assert list(short["Mã xã"]) == [code for r in results for code, _, _ in r.short]
    assert set(short["Năm"]) == {2025}

    xlsx = download_bytes(at, downloads, "targets.cang_long.xlsx")
    sheets = pd.read_excel(io.BytesIO(xlsx), sheet_name=None, dtype={"Mã xã": str})
    assert list(sheets) == ["Tổng hợp", "Xã chưa đạt"]
    summary = sheets["Tổng hợp"]
    assert len(summary) == 4 * 5  # every target, every measured year
    assert list(summary["Năm"].unique()) == [2021, 2022, 2023, 2024, 2025]
    fibre_2025 = summary[(summary["Mã chỉ tiêu"] == "fibre_communes") & (summary["Năm"] == 2025)]
    assert fibre_2025["Giá trị"].iloc[0] == pytest.approx(92.86)
    assert fibre_2025["Đạt"].iloc[0] == "Chưa đạt"
    assert list(sheets["Xã chưa đạt"]["Mã xã"]) == list(short["Mã xã"])


def test_the_scenario_is_in_the_xlsx_summary(
    app_test: AppTest, downloads: type[RecordingStorage]
) -> None:
    at = open_page(app_test)
    at.selectbox(key="targets.cang_long.source").set_value("plan-2025").run()
    xlsx = download_bytes(at, downloads, "targets.cang_long.xlsx")
    sheets = pd.read_excel(io.BytesIO(xlsx), sheet_name=None)
    summary = sheets["Tổng hợp"]
    assert len(summary) == 4 * 5 + 4
    sources = ["Số liệu hiện trạng của gói", "Kế hoạch 2025"]
    assert list(summary["Nguồn số liệu"].unique()) == sources
    assert sheets["Xã chưa đạt"].empty


def test_english(app_test: AppTest) -> None:
    at = open_page(app_test, "chi_lang", "en")
    assert [t.value for t in at.title] == ["Plan targets"]
    assert at.subheader[0].value == "Clean water for 100% of residents"
    assert [m.label for m in at.metric][0] == "Whole district, 2025"
    assert [b.label for b in at.download_button] == ["Communes short (CSV)", "Summary (Excel)"]
    assert any("Commune" in d.value.columns for d in at.dataframe)
