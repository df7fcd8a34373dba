"""pack.toml problems read well in Vietnamese and English, name the block to fix by its id,
and NFD text in the manifest is normalised to NFC with a warning saying where it was."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from atlas.loader import load_pack
from atlas.report import Issue
from tests.packfactory import MANIFEST, make_pack

NAME = "Huyện Thử"
QUOTE = "100% người dân được sử dụng nước sạch"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def load(tmp_path: Path, manifest: str):
    return load_pack(make_pack(tmp_path, manifest=manifest))


def only_error(result) -> Issue:
    (issue,) = result.report.errors
    assert issue.file == "pack.toml"
    return issue


def test_nfd_pack_name_and_target_quote_become_nfc_with_a_warning_naming_both(
    tmp_path: Path,
) -> None:
    manifest = MANIFEST.replace(NAME, nfd(NAME)).replace(QUOTE, nfd(QUOTE))
    assert manifest != MANIFEST
    result = load(tmp_path, manifest)
    assert result.report.ok, result.report.issues
    assert result.pack.meta.name.vi == NAME
    assert result.pack.targets[0].quote == QUOTE
    (issue,) = [i for i in result.report.warnings if i.file == "pack.toml"]
    assert issue.where_text("en") == "pack.name.vi"
    assert "pack.name.vi, targets[0] (id = water) › quote" in issue.text("en")
    assert "pack.name.vi, targets[0] (id = water) › quote" in issue.text("vi")
    assert issue.text("vi").startswith("2 chuỗi không ở dạng Unicode NFC")
    assert issue.text("en").startswith("2 string(s) not in Unicode NFC")


def test_nfd_table_key_is_normalised_too(tmp_path: Path) -> None:
    manifest = MANIFEST.replace(
        '[pack]\nname = { vi = "Huyện Thử"',
        f'[pack]\n"{nfd("tên")}" = 1\nname = {{ vi = "Huyện Thử"',
    )
    result = load(tmp_path, manifest)
    # The key becomes NFC, and is then unknown: both are said, at the same path.
    assert any(i.where_text() == "pack.tên" for i in result.report.warnings)
    assert only_error(result).field == "tên"


def test_missing_key_names_the_key_and_the_layer_in_both_languages(tmp_path: Path) -> None:
    result = load(
        tmp_path,
        MANIFEST.replace(
            'title = { vi = "Nước sạch", en = "Clean water" }\ncode_field', "code_field", 1
        ),
    )
    issue = only_error(result)
    assert issue.where_text("vi") == "layers[1] (id = water)"
    assert issue.field == "title"
    assert issue.text("vi") == "thiếu khoá bắt buộc 'title'"
    assert issue.text("en") == "required key 'title' is missing"


def test_wrong_type_says_what_was_expected_in_both_languages(tmp_path: Path) -> None:
    result = load(tmp_path, MANIFEST.replace("zoom = 11", 'zoom = "mười một"'))
    issue = only_error(result)
    assert issue.where_text("en") == "pack.default_view.zoom"
    assert issue.text("vi") == "giá trị 'mười một' sai kiểu: cần số nguyên"
    assert issue.text("en") == "'mười một' has the wrong type: expected a whole number"


def test_value_not_allowed_lists_the_allowed_ones_in_both_languages(tmp_path: Path) -> None:
    result = load(tmp_path, MANIFEST.replace('kind = "boundary"', 'kind = "area"'))
    issue = only_error(result)
    assert issue.where_text("en") == "layers[0] (id = communes) › kind"
    assert "'area' không phải một giá trị được phép; chọn một trong: 'boundary'" in issue.text("vi")
    assert "'area' is not one of the allowed values: 'boundary'" in issue.text("en")


def test_a_bad_id_pattern_is_explained_not_shown_as_a_regex(tmp_path: Path) -> None:
    result = load(tmp_path, MANIFEST.replace('id = "hanh_chinh"', 'id = "hành chính"'))
    messages = [i.text("vi") for i in result.report.errors]
    assert "'hành chính' không đúng dạng: cần chỉ gồm chữ cái không dấu, chữ số, _ và -" in (
        messages
    )


def test_reference_errors_name_the_layer_by_its_id(tmp_path: Path) -> None:
    manifest = MANIFEST.replace('table = "env"\nstyle', 'table = "moi_truong"\nstyle')
    result = load(tmp_path, manifest)
    issue = only_error(result)
    assert issue.where_text("vi") == "layers[1] (id = water)"
    assert issue.field == "table"
    assert issue.text("vi") == "bảng 'moi_truong' chưa được khai báo trong [[tables]]"
    assert issue.text("en") == "table 'moi_truong' is not declared in [[tables]]"


def test_every_issue_of_a_broken_pack_is_worded_in_both_languages(tmp_path: Path) -> None:
    manifest = (
        MANIFEST.replace("format_version = 1", "format_version = 2")
        .replace('province_code = "20"', 'province_code = "2"')
        .replace("code_width = 5", "code_width = 0", 1)
        .replace('scheme = "thresholds"', 'scheme = "quantile"')
    )
    result = load(tmp_path, manifest)
    assert len(result.report.errors) >= 4
    for issue in result.report.issues:
        assert issue.text("vi") and issue.text("en")
        assert issue.text("vi") != issue.text("en"), issue


def test_the_pack_list_shows_an_nfd_name_in_nfc(tmp_path: Path) -> None:
    from atlas.packs import discover_packs

    make_pack(tmp_path, manifest=MANIFEST.replace(NAME, nfd(NAME)))
    (ref,) = discover_packs([tmp_path])
    assert ref.name.vi == NAME


def test_a_manifest_error_and_a_missing_file_are_both_reported_in_one_run(
    tmp_path: Path,
) -> None:
    manifest = MANIFEST.replace('aggregate = "mean"', 'aggregate = "share"', 1)
    assert manifest != MANIFEST
    pack = make_pack(tmp_path, manifest=manifest)
    missing = next((pack / "tables").glob("*.csv"))
    missing.unlink()
    result = load_pack(pack)
    texts = [i.text("en") for i in result.report.errors]
    assert any("'share' is not one of" in x for x in texts), texts
    assert any(i.file == f"tables/{missing.name}" and "not found" in i.text("en")
               for i in result.report.errors)  # fmt: skip


def test_a_one_year_period_reads_as_that_year_not_a_range(tmp_path: Path) -> None:
    pack = load_pack(make_pack(tmp_path)).pack
    meta = pack.meta
    assert meta.period == f"{meta.period_start}–{meta.period_end}"
    from dataclasses import replace

    assert replace(meta, period_start=2026, period_end=2026).period == "2026"


def test_totals_are_named_by_what_the_pack_covers_and_never_claim_the_nation(
    tmp_path: Path,
) -> None:
    from dataclasses import replace

    meta = load_pack(make_pack(tmp_path)).pack.meta
    assert replace(meta, province_code="84", district_code="844").scope == "district"
    assert replace(meta, province_code="84", district_code="000").scope == "province"
    # An import whose place is unknown has province code 00, like the nation's pack.
    assert replace(meta, province_code="00", district_code="000").scope == "area"
