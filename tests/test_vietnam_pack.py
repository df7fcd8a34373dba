"""The national pack geodata/vietnam, generated at set-up by geodata/build_vietnam.py: it
validates, covers every pre-2025 commune, says its figures are illustrative and its targets
are summaries (with their source), and the national totals read as the nation's."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from atlas import kpi
from atlas.i18n import t
from atlas.loader import load_pack
from cli.main import main as cli_main
from tests.packfactory import MANIFEST, make_pack

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "geodata"))
import build_vietnam  # noqa: E402

QUOTE_LINE = 'quote = "100% người dân được sử dụng nước sạch"'


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_vietnam.build(tmp_path_factory.mktemp("nation"))


@pytest.fixture(scope="module")
def nation(built: Path):
    result = load_pack(built)
    assert result.report.ok and not result.report.warnings, result.report.issues
    return result.pack


def test_the_national_pack_has_every_pre2025_commune_and_two_years_of_figures(nation) -> None:
    communes = nation.frames["communes"]
    assert len(communes) == 10_035 and communes["code"].is_unique
    table = nation.table_frames["digital"]
    assert len(table) == 2 * 10_035
    assert sorted(table["year"].unique()) == list(build_vietnam.YEARS)
    assert (table["households_fibre"] <= table["households"]).all()
    assert (table["population_5g"] <= table["population"]).all()
    assert nation.meta.scope == "area"  # province code 00, as an import of unknown place


def test_the_national_pack_says_its_geometry_is_schematic_and_its_figures_illustrative(
    nation,
) -> None:
    assert nation.honesty.geometry == "schematic" and nation.honesty.figures == "illustrative"
    assert nation.manifest.table("digital").honesty.figures == "illustrative"
    for layer_id in ("population_5g", "households_fibre"):
        assert nation.manifest.layer(layer_id).honesty.figures == "illustrative"
    assert "MINH HOẠ" in nation.honesty.note.vi and "ILLUSTRATIVE" in nation.honesty.note.en


def test_the_national_targets_are_summaries_of_decision_36_with_their_source(nation) -> None:
    assert [tg.id for tg in nation.targets] == ["fibre_households", "population_5g"]
    names = kpi.commune_names(nation)
    frame = nation.table_frames["digital"]
    for target in nation.targets:
        assert target.is_summary
        assert "36/QĐ-TTg" in target.quote_source.vi and "36/QĐ-TTg" in target.quote_source.en
        assert "vietnam.vn" in target.quote_source.en
        result = kpi.evaluate(target, frame[frame["year"] == 2025], names, 2025)
        assert result.value is not None and 0 < result.value < 100


def test_the_figures_are_the_same_on_every_build() -> None:
    assert build_vietnam.commune_rows("00001", "Phường") == build_vietnam.commune_rows(
        "00001", "Phường"
    )
    first, second = build_vietnam.commune_rows("31018", "Xã")
    assert second["population_5g_pct"] >= first["population_5g_pct"]  # coverage only grows


def test_a_summary_target_without_its_source_is_refused_in_both_languages(
    tmp_path: Path,
) -> None:
    manifest = MANIFEST.replace(QUOTE_LINE, QUOTE_LINE + '\nquote_kind = "summary"')
    assert manifest != MANIFEST
    result = load_pack(make_pack(tmp_path, manifest=manifest))
    (issue,) = result.report.errors
    assert "quote_source" in issue.text("vi") and "quote_source" in issue.text("en")


def test_a_summary_target_with_its_source_loads_and_is_marked(tmp_path: Path) -> None:
    from ui.targets_view import quote_kind_text

    extra = '\nquote_kind = "summary"\nquote_source = { vi = "Báo X, 1/2/2024", en = "Paper X" }'
    result = load_pack(
        make_pack(tmp_path, manifest=MANIFEST.replace(QUOTE_LINE, QUOTE_LINE + extra))
    )
    assert result.report.ok, result.report.issues
    (target,) = result.pack.targets
    assert target.is_summary
    assert quote_kind_text(target, "vi").startswith("Tóm tắt, không phải nguyên văn")
    assert "Báo X, 1/2/2024" in quote_kind_text(target, "vi")
    assert "Paper X" in quote_kind_text(target, "en")


def test_a_verbatim_target_still_reads_as_quoted_from_the_plan(tmp_path: Path) -> None:
    from ui.targets_view import quote_kind_text

    (target,) = load_pack(make_pack(tmp_path)).pack.targets
    assert not target.is_summary
    assert quote_kind_text(target, "en") == t("targets.quote", "en")


def test_cli_targets_names_twenty_communes_and_counts_the_rest(built: Path, capsys) -> None:
    assert cli_main(["targets", str(built)]) == 0
    out = capsys.readouterr().out
    assert "a summary, not the document's words" in out
    line = next(x for x in out.splitlines() if "communes short" in x)
    assert line.count("(") - 1 <= 20 + 1
    assert "and" in line and "more (--csv" in line
