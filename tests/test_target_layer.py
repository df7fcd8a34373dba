"""Target layers colour communes by their distance to a plan target, for any scenario."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas import scenarios as sc
from atlas.loader import load_pack
from layers.render import render_layer
from layers.target_layer import MET, target_layer, target_layer_spec

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pack():
    return load_pack(REPO / "geodata" / "cang_long").pack


def _colours(prepared) -> dict[str, str]:
    return {
        f["properties"]["_code"]: f["properties"]["_style"]["fillColor"]
        for f in prepared.fc["features"]
    }


def test_plan_scenario_colours_every_commune_as_met(pack) -> None:
    reg = sc.registry(pack)
    plan = sc.materialise(pack, reg["plan-2025"], reg)
    prepared = target_layer(pack, "coverage_5g", plan, "vi")
    assert len(prepared.fc["features"]) == 14
    assert len(set(_colours(prepared).values())) == 1
    assert all("Có" in f["properties"]["_tooltip"] for f in prepared.fc["features"])


def test_a_yes_no_target_reads_yes_or_not_yet_never_a_percentage(pack) -> None:
    reg = sc.registry(pack)
    frame = sc.materialise(pack, reg["measured-2025"], reg)
    prepared = target_layer(pack, "coverage_5g", frame, "vi")
    labels = [e.label for e in prepared.legend]
    assert labels[:2] == ["Có", "Chưa có"] and not any("%" in x for x in labels), labels
    tips = [f["properties"]["_tooltip"] for f in prepared.fc["features"]]
    assert not any("%" in tip for tip in tips), tips[:3]
    assert {("Chưa có" in tip) for tip in tips} == {True, False}  # both answers present
    english = [e.label for e in target_layer(pack, "coverage_5g", frame, "en").legend]
    assert english[:2] == ["Yes", "Not yet"]


def test_an_edit_changes_only_that_communes_colour(pack) -> None:
    reg = sc.registry(pack)
    measured = reg["measured-2025"]
    before = _colours(target_layer(pack, "coverage_5g", sc.materialise(pack, measured, reg), "vi"))
    short = [code for code, colour in before.items() if colour != before["29266"]]
    assert short, "the shipped 2025 data has communes without 5G"
    edited = sc.set_edit(sc.copy_scenario(measured, "thử"), short[0], "coverage_5g", True)
    after = _colours(target_layer(pack, "coverage_5g", sc.materialise(pack, edited, reg), "vi"))
    assert after[short[0]] == before["29266"]
    assert {c: v for c, v in after.items() if c != short[0]} == {
        c: v for c, v in before.items() if c != short[0]
    }


def test_target_layer_spec_labels_the_value_with_the_target_and_unit(pack) -> None:
    spec = target_layer_spec(pack, "hamlets_internet")
    value = spec.field_spec(spec.style.field)
    assert value.unit == "%"
    assert spec.field_spec(MET).values["no"].get("en") == "Not met"


def test_target_layer_renders_as_a_feature_group(pack) -> None:
    reg = sc.registry(pack)
    frame = sc.materialise(pack, reg["measured-2021"], reg)
    prepared = target_layer(pack, "hamlets_internet", frame, "en")
    group = render_layer(prepared.fc, target_layer_spec(pack, "hamlets_internet"), 0.8, "en")
    assert group.layer_name
    assert [e.label for e in prepared.legend][-1] == "No data"
