"""The loader turns every kind of bad pack into a located message, and repairs what it can."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from pyproj import Transformer

from atlas.loader import load_pack
from cli.main import main as cli_main
from tests.packfactory import (
    COMMUNES,
    MANIFEST,
    TABLE,
    features,
    make_pack,
    write_geojson,
)


def messages(result, level: str) -> list[str]:
    return [str(i) for i in result.report.issues if i.level == level]


def test_valid_pack_loads_with_frames_in_wgs84(tmp_path: Path) -> None:
    result = load_pack(make_pack(tmp_path))
    assert result.report.ok, result.report.issues
    pack = result.pack
    assert pack.frames["communes"].crs.to_epsg() == 4326
    assert list(pack.frames["communes"]["code"]) == ["06463", "06466"]
    env = pack.table_frames["env"]
    assert env["water_pct"].tolist() == [80.5, 60.0]
    assert env["landfill"].tolist() == [True, False]
    assert pack.meta.name.get("en") == "Test District"


def test_missing_layer_file_is_an_error_naming_the_file(tmp_path: Path) -> None:
    pack = make_pack(tmp_path)
    (pack / "layers" / "communes.geojson").unlink()
    result = load_pack(pack)
    assert result.pack is None
    assert any(
        "layers/communes.geojson" in m and "not found" in m for m in messages(result, "error")
    )


def test_unknown_manifest_key_is_an_error_with_its_location(tmp_path: Path) -> None:
    manifest = MANIFEST.replace(
        'group = "hanh_chinh"\ntitle = { vi = "Xã"',
        'group = "hanh_chinh"\ncolour = "red"\ntitle = { vi = "Xã"',
    )
    result = load_pack(make_pack(tmp_path, manifest=manifest))
    assert result.pack is None
    (issue,) = result.report.errors
    assert issue.file == "pack.toml"
    assert issue.where_text("vi") == issue.where_text("en") == "layers[0] (id = communes)"
    assert issue.field == "colour"
    assert "unknown key(s) 'colour'" in issue.text("en")
    assert "khoá không hợp lệ 'colour'" in issue.text("vi")


def test_unsupported_format_version_is_refused(tmp_path: Path) -> None:
    result = load_pack(
        make_pack(tmp_path, manifest=MANIFEST.replace("format_version = 1", "format_version = 7"))
    )
    assert any("format_version 7 is not supported" in m for m in messages(result, "error"))


def test_reference_to_undeclared_group_is_an_error(tmp_path: Path) -> None:
    manifest = MANIFEST.replace(
        'file = "layers/communes.geojson"\ngroup = "hanh_chinh"',
        'file = "layers/communes.geojson"\ngroup = "giao_thong"',
        1,
    )
    result = load_pack(make_pack(tmp_path, manifest=manifest))
    assert any("group 'giao_thong' is not declared" in m for m in messages(result, "error"))


def test_toml_syntax_error_is_reported_not_raised(tmp_path: Path) -> None:
    result = load_pack(make_pack(tmp_path, manifest="format_version = = 1\n"))
    assert result.pack is None
    assert any("TOML syntax error" in m for m in messages(result, "error"))


VN2000_LANG_SON = "EPSG:9210"  # VN-2000 / TM-3 zone 107-15 … used here only as metres


def _to_vn2000(crs: str = VN2000_LANG_SON):
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform


def test_layer_in_metres_without_crs_is_refused_with_advice(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, feats=features(transform=_to_vn2000()))
    result = load_pack(pack)
    assert result.pack is None
    (msg,) = [m for m in messages(result, "error") if "declares no CRS" in m]
    assert "not longitude/latitude" in msg
    assert "VN-2000" in msg
    assert "layers/communes.geojson" in msg


def test_manifest_crs_is_used_when_the_file_has_none(tmp_path: Path) -> None:
    manifest = MANIFEST.replace(
        "code_width = 5\ntooltip", f'code_width = 5\ncrs = "{VN2000_LANG_SON}"\ntooltip', 1
    )
    manifest = manifest.replace(
        'code_width = 5\ntable = "env"', f'code_width = 5\ncrs = "{VN2000_LANG_SON}"\ntable = "env"'
    )
    result = load_pack(
        make_pack(tmp_path, manifest=manifest, feats=features(transform=_to_vn2000()))
    )
    assert result.report.ok, result.report.issues
    minx, miny, _, _ = result.pack.frames["communes"].total_bounds
    assert minx == pytest.approx(106.50, abs=1e-6)
    assert miny == pytest.approx(21.60, abs=1e-6)


def test_file_crs_is_honoured_and_reprojected(tmp_path: Path) -> None:
    pack = make_pack(tmp_path)
    write_geojson(
        pack / "layers" / "communes.geojson", features(transform=_to_vn2000()), crs=VN2000_LANG_SON
    )
    result = load_pack(pack)
    assert result.report.ok, result.report.issues
    minx, miny, _, _ = result.pack.frames["communes"].total_bounds
    assert (minx, miny) == pytest.approx((106.50, 21.60), abs=1e-6)


def test_nfd_names_are_normalised_to_nfc_with_a_warning(tmp_path: Path) -> None:
    nfd = [(c, unicodedata.normalize("NFD", n), xy) for c, n, xy in COMMUNES]
    result = load_pack(make_pack(tmp_path, feats=features(nfd)))
    assert result.report.ok
    names = result.pack.frames["communes"]["name"].tolist()
    assert names == ["Thị trấn Đồng Mỏ", "Thị trấn Chi Lăng"]
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert any("NFC" in m and "name" in m for m in messages(result, "warning"))


def test_integer_codes_get_their_leading_zeros_back(tmp_path: Path) -> None:
    feats = features()
    for f in feats:
        f["properties"]["code"] = int(f["properties"]["code"])
    table = TABLE.replace("06463", "6463").replace("06466", "6466")
    result = load_pack(make_pack(tmp_path, feats=feats, table=table))
    assert result.report.ok, result.report.issues
    assert result.pack.frames["communes"]["code"].tolist() == ["06463", "06466"]
    assert result.pack.table_frames["env"]["code"].tolist() == ["06463", "06466"]
    restored = [i for i in result.report.warnings if "restored" in i.text("en")]
    assert {i.file for i in restored} == {"layers/communes.geojson", "tables/env.csv"}
    by_file = {i.file: i for i in restored}
    assert by_file["layers/communes.geojson"].where_text("vi") == (
        "đối tượng 1 (Thị trấn Đồng Mỏ), đối tượng 2 (Thị trấn Chi Lăng)"
    )
    assert by_file["tables/env.csv"].where_text("en") == "row 2, row 3"
    assert "đã được khôi phục" in by_file["tables/env.csv"].text("vi")


def _without_widths(manifest: str = MANIFEST) -> str:
    return manifest.replace("code_width = 5\n", "").replace("key_width = 5\n", "")


def test_numeric_codes_without_a_declared_width_are_a_warning_naming_features(
    tmp_path: Path,
) -> None:
    feats = features()
    for f in feats:
        f["properties"]["code"] = int(f["properties"]["code"])
    table = TABLE.replace("06463", "6463").replace("06466", "6466")
    result = load_pack(make_pack(tmp_path, manifest=_without_widths(), feats=feats, table=table))
    assert result.report.ok  # nothing to restore without a width, but it is said
    assert result.pack.frames["communes"]["code"].tolist() == ["6463", "6466"]
    (issue,) = [i for i in result.report.warnings if i.file == "layers/communes.geojson"]
    assert issue.field == "code"
    assert issue.where_text("en") == "feature 1 (Thị trấn Đồng Mỏ), feature 2 (Thị trấn Chi Lăng)"
    assert "stored as numbers" in issue.text("en") and "code_width" in issue.text("en")
    assert "lưu dạng số" in issue.text("vi") and "code_width" in issue.text("vi")


def test_codes_of_mixed_lengths_without_a_width_are_a_warning_suggesting_key_width(
    tmp_path: Path,
) -> None:
    table = TABLE.replace("06466", "6466") + "06469,2021,70,true\n6472,2021,50,false\n"
    result = load_pack(make_pack(tmp_path, manifest=_without_widths(), table=table))
    (issue,) = [i for i in result.report.warnings if "different lengths" in i.text("en")]
    assert (issue.file, issue.field) == ("tables/env.csv", "code")
    assert issue.where_text("vi") == "dòng 3, dòng 5"  # the short codes 6466 and 6472
    assert "key_width = 5" in issue.text("en") and "key_width = 5" in issue.text("vi")


def test_text_codes_of_one_width_need_no_declared_width(tmp_path: Path) -> None:
    result = load_pack(make_pack(tmp_path, manifest=_without_widths()))
    assert result.report.ok and not result.report.warnings, result.report.issues


def test_nfd_warning_names_the_first_rows_and_counts_the_rest(tmp_path: Path) -> None:
    rows = [f"0{6463 + i},{2020 + i},50,true" for i in range(5)]
    nfd = unicodedata.normalize("NFD", "Có")
    table = "code,year,water_pct,landfill,ghi_chu\n" + "".join(f"{r},{nfd}\n" for r in rows)
    result = load_pack(make_pack(tmp_path, table=table))
    (issue,) = [i for i in result.report.warnings if i.field == "ghi_chu"]
    assert issue.where_text("vi") == "dòng 2, dòng 3, dòng 4 và 2 chỗ khác"
    assert issue.where_text("en") == "row 2, row 3, row 4 and 2 more"
    assert issue.text("en").startswith("5 value(s) not in Unicode NFC")


def test_duplicate_codes_are_an_error_naming_both_features(tmp_path: Path) -> None:
    dup = [("06463", "Xã A", (106.5, 21.6)), ("06463", "Xã B", (106.6, 21.6))]
    result = load_pack(make_pack(tmp_path, feats=features(dup)))
    assert result.pack is None
    (msg,) = [m for m in messages(result, "error") if "duplicate code" in m]
    assert "'06463'" in msg and "Xã A" in msg and "Xã B" in msg


def test_table_row_with_unknown_code_is_a_warning_naming_the_row(tmp_path: Path) -> None:
    result = load_pack(make_pack(tmp_path, table=TABLE + "99999,2021,10,false\n"))
    assert result.report.ok
    (msg,) = [m for m in messages(result, "warning") if "99999" in m]
    assert "row 4" in msg and "tables/env.csv" in msg


def test_bad_number_in_table_is_an_error_naming_row_and_column(tmp_path: Path) -> None:
    result = load_pack(make_pack(tmp_path, table=TABLE.replace("80.5", "tám mươi")))
    assert result.pack is None
    (issue,) = result.report.errors
    assert (issue.file, issue.field) == ("tables/env.csv", "water_pct")
    assert (issue.where_text("vi"), issue.where_text("en")) == ("dòng 2", "row 2")
    assert issue.text("vi") == "'tám mươi' không phải là số thực hợp lệ"
    assert issue.text("en") == "'tám mươi' is not a valid number (float)"


def test_duplicate_table_rows_are_an_error(tmp_path: Path) -> None:
    result = load_pack(make_pack(tmp_path, table=TABLE + "06463,2021,81,true\n"))
    assert any("duplicate row for 06463 / 2021" in m for m in messages(result, "error"))


def test_invalid_geometry_is_repaired_and_reported(tmp_path: Path) -> None:
    feats = features()
    feats[0]["geometry"]["coordinates"] = [
        [[106.5, 21.6], [106.6, 21.7], [106.6, 21.6], [106.5, 21.7], [106.5, 21.6]]
    ]  # bow-tie
    result = load_pack(make_pack(tmp_path, feats=feats))
    assert result.report.ok, result.report.issues
    assert result.pack.frames["communes"].geometry.is_valid.all()
    assert any("make_valid" in m and "Thị trấn Đồng Mỏ" in m for m in messages(result, "warning"))


def test_broken_geojson_is_an_error_not_an_exception(tmp_path: Path) -> None:
    pack = make_pack(tmp_path)
    (pack / "layers" / "communes.geojson").write_text('{"type": "FeatureCollection", "feat')
    result = load_pack(pack)
    assert result.pack is None
    assert any("cannot read the file" in m for m in messages(result, "error"))


def test_file_path_outside_the_pack_is_refused(tmp_path: Path) -> None:
    pack = make_pack(
        tmp_path, manifest=MANIFEST.replace('file = "tables/env.csv"', 'file = "../../etc/passwd"')
    )
    result = load_pack(pack)
    assert any("leaves the pack folder" in m for m in messages(result, "error"))


def test_cli_validate_exits_zero_for_warnings_and_one_for_errors(tmp_path: Path, capsys) -> None:
    good = make_pack(tmp_path, "good", table=TABLE + "99999,2021,10,false\n")
    assert cli_main(["validate", str(good)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^ +communes +boundary +2 +Xã$", out, re.MULTILINE)
    assert "ĐẠT / OK: 0 lỗi, 1 cảnh báo / 0 error(s), 1 warning(s)" in out
    bad = make_pack(tmp_path, "bad")
    (bad / "tables" / "env.csv").unlink()
    assert cli_main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "KHÔNG ĐẠT / FAILED" in out
    # Each problem: level and file, then Vietnamese, then English, on lines of their own.
    assert "[LỖI / ERROR] tables/env.csv\n" in out
    assert "    vi: không tìm thấy tệp bảng\n        en: table file not found" in out


def test_cli_validate_prints_one_language_when_asked(tmp_path: Path, capsys) -> None:
    bad = make_pack(tmp_path, "bad")
    (bad / "tables" / "env.csv").unlink()
    assert cli_main(["validate", str(bad), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "[ERROR] tables/env.csv\n" in out and "table file not found" in out
    assert "không tìm thấy tệp bảng" not in out


def test_geojson_feature_count_matches_the_file(tmp_path: Path) -> None:
    pack = make_pack(tmp_path)
    doc = json.loads((pack / "layers" / "communes.geojson").read_text(encoding="utf-8"))
    assert len(load_pack(pack).pack.frames["communes"]) == len(doc["features"])


def test_blank_bool_cell_is_no_data_not_an_error(tmp_path: Path) -> None:
    result = load_pack(make_pack(tmp_path, table=TABLE.replace("60,false", "60,")))
    assert result.report.ok, result.report.issues
    landfill = result.pack.table_frames["env"]["landfill"]
    assert landfill.iloc[0] is True or bool(landfill.iloc[0]) is True
    assert landfill.isna().tolist() == [False, True]


def test_a_table_with_a_header_and_no_rows_loads_empty_instead_of_crashing(tmp_path: Path) -> None:
    pack_dir = make_pack(tmp_path, table="code,year,water_pct,landfill\n")
    result = load_pack(pack_dir)
    assert result.pack is not None
    assert result.pack.table_frames["env"].empty
