"""A choropleth join keeps every commune, picks the right year and never touches the pack."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from atlas import joins
from atlas.loader import load_pack
from atlas.spec import FieldSpec, LayerSpec, StyleSpec, TableSpec, Text
from tests.packfactory import make_pack

LAYER = LayerSpec(
    id="water",
    kind="choropleth",
    file="layers/communes.geojson",
    group="g",
    title=Text("Nước", "Water"),
    style=StyleSpec(type="graduated", field="pct"),
    code_field="code",
    table="env",
)
TABLE = TableSpec(
    id="env",
    file="tables/env.csv",
    title=Text("Môi trường", "Environment"),
    key="code",
    join_layer="communes",
    columns=(FieldSpec("pct", Text("Tỷ lệ", "Share"), unit="%", type="float"),),
    year_column="year",
)


def communes() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "code": ["001", "002", "003"],
            "name": ["A", "B", "C"],
            "geometry": [box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)],
        },
        crs="EPSG:4326",
    )


def rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["001", "002", "001", "002", "003"],
            "year": pd.array([2021, 2021, 2022, 2022, 2021], dtype="Int64"),
            "pct": pd.array([10.0, 20.0, 30.0, None, 50.0], dtype="Float64"),
        }
    )


def test_join_keeps_every_feature_and_leaves_missing_values_na() -> None:
    out = joins.join_table(communes(), LAYER, TABLE, rows(), year=2022)
    assert list(out["code"]) == ["001", "002", "003"]
    assert out["pct"].iloc[0] == 30.0
    assert pd.isna(out["pct"].iloc[1])  # row exists, value missing
    assert pd.isna(out["pct"].iloc[2])  # no row for 2022
    assert isinstance(out, gpd.GeoDataFrame)
    assert out.crs.to_epsg() == 4326


def test_join_defaults_to_the_latest_year() -> None:
    out = joins.join_table(communes(), LAYER, TABLE, rows())
    assert out["year"].iloc[0] == 2022
    assert out["pct"].iloc[0] == 30.0


def test_join_picks_the_asked_year() -> None:
    out = joins.join_table(communes(), LAYER, TABLE, rows(), year=2021)
    assert out["pct"].tolist() == [10.0, 20.0, 50.0]


def test_join_for_a_year_without_data_keeps_features_with_na() -> None:
    out = joins.join_table(communes(), LAYER, TABLE, rows(), year=1999)
    assert len(out) == 3
    assert out["pct"].isna().all()


def test_join_keeps_the_frame_index_and_does_not_mutate_inputs() -> None:
    frame = communes()
    frame.index = [10, 11, 12]
    before = frame.copy()
    table_rows = rows()
    out = joins.join_table(frame, LAYER, TABLE, table_rows, year=2021)
    assert list(out.index) == [10, 11, 12]
    pd.testing.assert_frame_equal(frame, before)
    assert "pct" not in frame.columns
    assert len(table_rows) == 5


def test_join_with_a_table_without_years_uses_every_row() -> None:
    table = TableSpec(
        id="env", file="f", title=Text("t", "t"), key="code", join_layer="c", columns=()
    )
    plain_rows = pd.DataFrame({"code": ["003", "001"], "pct": [5.0, 7.0]})
    out = joins.join_table(communes(), LAYER, table, plain_rows)
    assert out["pct"].tolist()[0] == 7.0
    assert pd.isna(out["pct"].iloc[1])
    assert out["pct"].tolist()[2] == 5.0


def test_join_table_value_wins_over_a_layer_column_of_the_same_name() -> None:
    frame = communes().assign(pct=[-1.0, -1.0, -1.0])
    out = joins.join_table(frame, LAYER, TABLE, rows(), year=2021)
    assert out["pct"].tolist() == [10.0, 20.0, 50.0]
    assert list(out.columns).count("pct") == 1


def test_years_and_layer_frame_on_a_loaded_pack(tmp_path: Path) -> None:
    table = (
        "code,year,water_pct,landfill\n"
        "06463,2021,80.5,true\n06466,2021,60,false\n06463,2023,90,true\n"
    )
    pack = load_pack(make_pack(tmp_path, table=table)).pack
    assert pack is not None
    assert joins.years(pack, "env") == [2021, 2023]
    assert joins.layer_years(pack, "water") == [2021, 2023]
    assert joins.layer_years(pack, "communes") == []
    assert joins.resolve_year(pack, "water") == 2023
    assert joins.resolve_year(pack, "communes", 2021) is None

    latest = joins.layer_frame(pack, "water")
    assert latest["code"].tolist() == ["06463", "06466"]
    assert latest["water_pct"].iloc[0] == 90.0
    assert pd.isna(latest["water_pct"].iloc[1])

    first = joins.layer_frame(pack, "water", 2021)
    assert first["water_pct"].tolist() == [80.5, 60.0]
    assert first["landfill"].tolist() == [True, False]

    outline = joins.layer_frame(pack, "communes")
    assert "water_pct" not in outline.columns
    assert "water_pct" not in pack.frames["water"].columns  # the pack's frames are untouched
