"""Legend entries per style type, escaped legend HTML, and the on-map legend control."""

from __future__ import annotations

import folium

from atlas.spec import Category, FieldSpec, Honesty, LayerSpec, StyleSpec, Text
from layers.classify import NO_DATA_COLOR, classify
from layers.legend import (
    LegendControl,
    LegendEntry,
    legend_entries,
    legend_html,
    legend_layer,
    legend_section,
)


def layer(kind: str, style: StyleSpec, **kw) -> LayerSpec:
    return LayerSpec(
        id="l", kind=kind, file="f", group="g", title=Text("Lớp", "Layer"), style=style, **kw
    )


def test_fixed_style_has_one_entry_named_after_the_layer() -> None:
    entries = legend_entries(
        layer("polygon", StyleSpec(color="#333333", fill_color="#cccccc", dash="4 2")), "en"
    )
    assert entries == [LegendEntry("Layer", "#cccccc", "4 2", "fill", "#333333", 0.4)]


def test_a_fill_swatch_is_as_transparent_as_the_fill_on_the_map() -> None:
    from layers.legend import swatch_svg

    (entry,) = legend_entries(layer("choropleth", StyleSpec(fill_opacity=0.7)), "vi")
    assert entry.opacity == 0.7 and 'fill-opacity="0.7"' in swatch_svg(entry)
    (faint,) = legend_entries(layer("polygon", StyleSpec(fill_opacity=0.1)), "vi")
    assert faint.opacity == 0.35  # a very light fill still shows in a 18 px swatch


def test_shapes_follow_the_layer_kind() -> None:
    shapes = {
        kind: legend_entries(layer(kind, StyleSpec()), "vi")[0].shape
        for kind in ("boundary", "line", "polygon", "point", "choropleth")
    }
    assert shapes == {
        "boundary": "outline",
        "line": "line",
        "polygon": "fill",
        "point": "circle",
        "choropleth": "fill",
    }


def test_categorical_style_has_one_entry_per_category_with_its_dash() -> None:
    style = StyleSpec(
        type="categorical",
        field="status",
        dash="1 1",
        categories=(
            Category("existing", "#1b7837", Text("Hiện có", "Existing")),
            Category("planned", "#d6604d", Text("Quy hoạch", "Planned"), dash="6 4"),
        ),
    )
    entries = legend_entries(layer("line", style), "vi")
    assert [(e.label, e.color, e.dash, e.shape) for e in entries] == [
        ("Hiện có", "#1b7837", "1 1", "line"),
        ("Quy hoạch", "#d6604d", "6 4", "line"),
    ]


def test_graduated_style_has_one_entry_per_class_plus_no_data() -> None:
    style = StyleSpec(type="graduated", field="pct", scheme="thresholds", bins=(50, 80, 100))
    fields = (FieldSpec("pct", Text("Tỷ lệ", "Share"), unit="%", type="float"),)
    classes = classify([10, 60, 90], style)
    entries = legend_entries(layer("choropleth", style, fields=fields), "vi", classes)
    assert [e.label for e in entries] == ["≤ 50 %", "50 – 80 %", "80 – 100 %", "Không có số liệu"]
    assert [e.color for e in entries] == [*classes.colors, NO_DATA_COLOR]
    en = legend_entries(layer("choropleth", style), "en", classes, unit="ha")
    assert en[1].label == "50 – 80 ha"
    assert en[-1].label == "No data"


def test_legend_html_escapes_titles_labels_and_colours() -> None:
    entries = [LegendEntry("<b>x</b> & y", '#fff" onload="alert(1)', None, "fill")]
    out = legend_html([("<script>t</script>", entries)], "vi")
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in out
    assert "&lt;script&gt;t&lt;/script&gt;" in out
    assert "<script" not in out and "<b>" not in out
    assert 'onload="alert' not in out
    assert 'aria-label="Chú giải"' in out


def test_legend_html_has_a_swatch_per_entry_and_skips_empty_sections() -> None:
    entries = [
        LegendEntry("Đường", "#ff0000", "6 4", "line"),
        LegendEntry("Điểm", "#00ff00", None, "circle"),
    ]
    out = legend_html([("Giao thông", entries), ("Trống", [])], "vi")
    assert out.count("<svg") == 2
    assert 'stroke-dasharray="6 4"' in out
    assert "Trống" not in out
    assert "Giao thông" in out


def test_single_fixed_entry_is_not_repeated_as_a_heading() -> None:
    out = legend_html([("Ranh giới", [LegendEntry("Ranh giới", "#000000")])], "vi")
    assert out.count("Ranh giới") == 1


def test_legend_control_renders_in_a_feature_group_and_follows_it() -> None:
    m = folium.Map()
    group = folium.FeatureGroup(name="g")
    group.add_child(LegendControl(legend_html([("A", [LegendEntry("<x>", "#123456")])])))
    group.add_to(m)
    out = m.get_root().render()
    assert 'L.control({position: "bottomright"})' in out
    assert f"var target = {group.get_name()};" in out
    assert 'target.on("remove"' in out
    assert "\\u0026lt;x\\u0026gt;" in out  # escaped HTML, JSON-encoded for the script


def test_legend_control_renders_on_the_map_itself() -> None:
    m = folium.Map()
    m.add_child(LegendControl("<b>legend</b>", position="topright"))
    out = m.get_root().render()
    assert f"var target = {m.get_name()};" in out
    assert '"topright"' in out


def test_legend_layer_is_a_feature_group_out_of_the_layer_control() -> None:
    group = legend_layer([("A", [LegendEntry("a", "#123456")])], "en")
    assert isinstance(group, folium.FeatureGroup)
    assert group.control is False
    assert group._parent is None
    assert any(isinstance(c, LegendControl) for c in group._children.values())


def test_a_larger_legend_scales_its_text_swatches_and_width() -> None:
    sections = [("A", [LegendEntry("a", "#123456"), LegendEntry("b", "#654321")])]
    small, large = legend_html(sections, "vi"), legend_html(sections, "vi", font_size=18)
    assert "font:12px/" in small and "max-width:260px" in small and 'width="18"' in small
    assert "font:18px/" in large and "max-width:390px" in large and 'width="27"' in large
    script = legend_layer(sections, "vi", font_size=18)._children
    control = next(iter(script.values()))
    assert "font:18px/" in control.html


def test_a_folded_legend_is_remembered_on_the_map_window() -> None:
    """The control is re-created on every rerun; it reads and keeps the open/closed state on
    `window`, so a legend the user folded does not pop open after a toggle."""
    m = folium.Map(location=[0, 0], zoom_start=3, tiles=None)
    legend_layer([("A", [LegendEntry("a", "#123456")])], "vi").add_to(m)
    page = m.get_root().render()
    assert "window.__atlasLegendOpen === false" in page
    assert 'addEventListener("toggle"' in page
    assert "window.__atlasLegendOpen = details.open" in page


def test_a_layers_own_honesty_note_stands_under_its_entries_escaped_in_the_language() -> None:
    note = Text("Hướng tuyến là <sơ đồ>.", "The alignment is <schematic>.")
    railway = layer("line", StyleSpec(type="fixed"), honesty=Honesty(note=note))
    entries = legend_entries(railway, "en")
    out = legend_html([legend_section(railway, entries, "en"), ("Roads", entries)], "en")
    assert out.count("atlas-legend-note") == 1
    assert "The alignment is &lt;schematic&gt;." in out and "<schematic>" not in out
    assert out.index("<span>Layer</span>") < out.index("atlas-legend-note")
    assert legend_section(layer("line", StyleSpec(type="fixed")), entries, "vi").note == ""
