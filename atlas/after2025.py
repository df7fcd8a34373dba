"""A pre-2025 pack seen on either administrative structure, as a pack the pages already draw.

The pages render packs, not crosswalks. So "after 2025" is a *derived pack*: the same layers,
except that the commune layers hold the new communes (geometry from `atlas.reorg`, every
old unit they absorbed listed in `old_units`), the commune tables are carried over
(`atlas.reorg.carry_over`), and targets read the carried figures. "Before 2025" is the pack
itself with each old commune's new commune added (`new_units`). Both add a search field, so a
name from either structure finds the feature. Nothing here knows a particular pack: a pack
whose commune codes are pre-2025 GSO codes (shipped or imported) gets both views.

Carrying over is exact for counts and ratios of counts (district totals unchanged); a yes/no
column becomes the share (%) of the old communes where it was true, and a `share_true`
target becomes the mean of that share weighted by how many old communes each new one holds,
which gives back the old district figure. The derived pack is always marked schematic.
"""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import pandas as pd

from atlas import crosswalk, reorg
from atlas.kpi import CODE, target_tables
from atlas.spec import FieldSpec, Honesty, LayerSpec, Pack, TableSpec, TargetSpec, Text

BEFORE = "pre2025"
AFTER = "post2025"
STRUCTURES = (BEFORE, AFTER)

OLD_UNITS = "old_units"  # new commune → the old units it absorbed
NEW_UNITS = "new_units"  # old commune → the new commune(s) it went to
PROVINCE = "province_2025"
UNITS_WEIGHT = "old_units_n"  # Σ share of the pack's old communes in a new commune

OLD_UNITS_LABEL = Text("Gồm các đơn vị cũ (trước 1/7/2025)", "Former units (before 1 July 2025)")
NEW_UNITS_LABEL = Text("Từ 1/7/2025 thuộc", "Since 1 July 2025 part of")
PROVINCE_LABEL = Text("Tỉnh (từ 1/7/2025)", "Province (since 1 July 2025)")
NEW_CODE_LABEL = Text("Mã xã mới (GSO, 2025)", "New commune code (GSO, 2025)")
WEIGHT_LABEL = Text("Số đơn vị cũ (quy đổi)", "Former units (share-weighted)")
ESTIMATE = Text("ước tính", "estimate")
SUFFIX = Text("sau 2025", "after 2025")
AFTER_NOTE = Text(
    "Các xã mới từ 1/7/2025 (Nghị quyết sắp xếp đơn vị hành chính) trên địa bàn của gói: ranh "
    "giới dựng từ ranh giới xã cũ theo bảng đối chiếu của gói vietnamadminunits (sơ đồ); số liệu "
    "quy đổi từ xã cũ: số đếm được cộng lại, tỷ lệ được tính lại theo trọng số, chỉ tiêu có/không "
    "thành tỷ lệ % xã cũ đạt (ước tính).",
    "The new communes since 1 July 2025 over the pack's area: boundaries derived from the old "
    "communes using the vietnamadminunits crosswalk (schematic); figures carried over from the "
    "old communes: counts summed, shares re-weighted, yes/no indicators become the % of old "
    "communes where true (estimate).",
)


def supports(pack: Pack) -> bool:
    """True when the pack has pre-2025 communes the crosswalk knows (and the file exists)."""
    if pack.meta.admin_structure != BEFORE:
        return False
    try:
        return not crosswalk.for_pack(pack).empty
    except (crosswalk.CrosswalkMissingError, KeyError, StopIteration, ValueError):
        return False


def commune_layer_ids(pack: Pack) -> list[str]:
    """Every layer drawing the old communes: the commune layer and those sharing its file."""
    base = reorg.commune_layer(pack)
    return [
        la.id for la in pack.layers if la.file == base.file and la.code_field == base.code_field
    ]


def _share(share: float) -> str:
    """ " (50 %)" after a unit only partly concerned: language-neutral, unlike "một phần"."""
    return f" ({share * 100:.0f} %)" if share < 0.999 else ""


def _popup(layer: LayerSpec) -> tuple[str, ...]:
    """The fields the layer's popup shows (a choropleth without a list shows its value)."""
    if layer.popup:
        return layer.popup
    if layer.kind == "choropleth" and layer.style.field:
        return (layer.style.field,)
    return (layer.name_field,)


# --- before 2025: the old communes, each with where it went ------------------------------------


def before_2025(pack: Pack) -> Pack:
    """The pack with each old commune's new commune(s) in `new_units`, shown in popups and
    searchable. A copy: the loaded pack (shared by the cache) is never changed."""
    rows = crosswalk.for_pack(pack)
    ids = commune_layer_ids(pack)
    went: dict[str, str] = {}
    for old_code, group in rows.groupby("old_code", sort=False):
        went[str(old_code)] = ", ".join(
            f"{r.new_name} ({r.new_province})" + _share(r.share)
            for r in group.itertuples(index=False)
        )
    frames = dict(pack.frames)
    layers = []
    for layer in pack.layers:
        if layer.id not in ids:
            layers.append(layer)
            continue
        frame = frames[layer.id].copy()
        frame[NEW_UNITS] = frame[layer.code_field].astype(str).map(went)
        frames[layer.id] = frame
        layers.append(
            replace(
                layer,
                popup=(*_popup(layer), NEW_UNITS),
                fields=(*layer.fields, FieldSpec(NEW_UNITS, NEW_UNITS_LABEL)),
                search_fields=(NEW_UNITS,),
            )
        )
    manifest = replace(pack.manifest, layers=tuple(layers))
    return Pack(pack.id, pack.path, manifest, frames, dict(pack.table_frames))


# --- after 2025: the new communes --------------------------------------------------------------


def new_commune_frame(pack: Pack) -> gpd.GeoDataFrame:
    """The new communes over the pack's area: code, name, the old units they absorbed,
    province, schematic area (km²) and `old_units_n`; EPSG:4326."""
    geo = reorg.new_commune_geometry(pack)
    rows = crosswalk.for_pack(pack)
    weight = rows.groupby("new_code")["share"].sum()
    absorbed = {}
    for new_code, group in rows.groupby("new_code", sort=False):
        absorbed[new_code] = ", ".join(
            r.old_name + _share(r.share) for r in group.itertuples(index=False)
        )
    out = geo.rename(columns={"province": PROVINCE})
    out[OLD_UNITS] = out["code"].map(absorbed)
    out[UNITS_WEIGHT] = out["code"].map(weight).astype(float)
    # Areas in the pack's own UTM zone (Vietnam spans 48N and 49N), so an imported pack east
    # of 108°E gets true km² too.
    metric = out.geometry.estimate_utm_crs()
    out["area_km2"] = (out.geometry.to_crs(metric).area / 1e6).round(2)
    out["short_name"] = out["name"].map(_strip_unit)
    out["unit_type"] = out["name"].map(lambda n: n[: len(n) - len(_strip_unit(n))].strip())
    return out


def _strip_unit(name: str) -> str:
    for prefix in ("Xã ", "Phường ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _after_layer(layer: LayerSpec) -> LayerSpec:
    keep = {"code", "name", "short_name", "unit_type", "area_km2"}
    fields = [f for f in layer.fields if f.name in {layer.name_field} | keep]
    code = layer.code_field or CODE
    fields = [f for f in fields if f.name != code]
    fields += [
        FieldSpec(code, NEW_CODE_LABEL, type="code"),
        FieldSpec(OLD_UNITS, OLD_UNITS_LABEL),
        FieldSpec(PROVINCE, PROVINCE_LABEL),
    ]
    popup = tuple(p for p in _popup(layer) if p != code)
    honesty = replace(layer.honesty or Honesty(), geometry="schematic")
    return replace(
        layer,
        title=Text(
            f"{layer.title.vi} — {SUFFIX.vi}",
            f"{layer.title.en} — {SUFFIX.en}",
        ),
        code_width=None,
        popup=(*popup, code, OLD_UNITS, PROVINCE),
        fields=tuple(fields),
        honesty=honesty,
        search_fields=(OLD_UNITS,),
    )


def _after_table(table: TableSpec) -> TableSpec:
    columns = []
    for col in table.columns:
        if col.type == "bool":
            col = FieldSpec(
                col.name,
                Text(
                    f"{col.label.vi} (% xã cũ, {ESTIMATE.vi})",
                    f"{col.label.en} (% of former communes, {ESTIMATE.en})",
                ),
                unit="%",
                type="float",
            )
        columns.append(col)
    columns.append(FieldSpec(UNITS_WEIGHT, WEIGHT_LABEL, type="float"))
    return replace(table, key_width=None, columns=tuple(columns))


def _after_target(target: TargetSpec) -> TargetSpec:
    if target.aggregate == "share_true":
        return replace(target, aggregate="mean", weight=UNITS_WEIGHT)
    return target


def carry_table(pack: Pack, table: TableSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """A commune table of the pack (rows keyed by old code) as rows keyed by new code."""
    out = reorg.carry_over(pack, frame, table_id=table.id)
    weight = crosswalk.for_pack(pack).groupby("new_code")["share"].sum()
    out = out.rename(columns={CODE: table.key}) if table.key != CODE else out
    out = out.drop(columns=["name"])
    out[UNITS_WEIGHT] = out[table.key].map(weight).astype("Float64")
    return out


def carry_commune_frame(pack: Pack, frame: pd.DataFrame) -> pd.DataFrame:
    """A commune frame (`code` + indicator columns of one year, e.g. a scenario) on the new
    communes, with the columns the derived pack's targets read."""
    out: pd.DataFrame | None = None
    for table in target_tables(pack):
        cols = [c.name for c in table.columns if c.name in frame.columns]
        if not cols:
            continue
        part = frame[[CODE, *cols]].rename(columns={CODE: table.key})
        if table.year_column:
            part = part.assign(**{table.year_column: 0})
        carried = carry_table(pack, table, part)
        if table.year_column in carried.columns:
            carried = carried.drop(columns=[table.year_column])
        carried = carried.rename(columns={table.key: CODE})
        out = carried if out is None else out.merge(carried, on=CODE, how="outer")
    if out is None:
        return pd.DataFrame({CODE: pd.Series(dtype=object)})
    out = out.loc[:, ~out.columns.duplicated()]
    return out.reset_index(drop=True)


def after_2025(pack: Pack) -> Pack:
    """The pack on the new communes (see the module docstring); a new Pack, same id."""
    ids = commune_layer_ids(pack)
    new = new_commune_frame(pack)
    frames = dict(pack.frames)
    layers = []
    for layer in pack.layers:
        if layer.id not in ids:
            layers.append(layer)
            continue
        frame = new.rename(columns={"code": layer.code_field or CODE, "name": layer.name_field})
        frames[layer.id] = frame.reset_index(drop=True)
        layers.append(_after_layer(layer))
    tables, table_frames = [], dict(pack.table_frames)
    for table in pack.tables:
        if table.join_layer not in ids:
            tables.append(table)
            continue
        table_frames[table.id] = carry_table(pack, table, pack.table_frames[table.id])
        tables.append(_after_table(table))
    honesty = replace(
        pack.honesty,
        geometry="schematic",
        note=Text(
            f"{pack.honesty.note.vi} {AFTER_NOTE.vi}", f"{pack.honesty.note.en} {AFTER_NOTE.en}"
        ),
    )
    provinces = list(dict.fromkeys(new[PROVINCE]))
    meta = replace(
        pack.meta,
        admin_structure=AFTER,
        province=Text(", ".join(provinces), ", ".join(provinces)),
    )
    manifest = replace(
        pack.manifest,
        meta=meta,
        honesty=honesty,
        layers=tuple(layers),
        tables=tuple(tables),
        targets=tuple(_after_target(t) for t in pack.targets),
    )
    return Pack(pack.id, pack.path, manifest, frames, table_frames)


def for_structure(pack: Pack, structure: str) -> Pack:
    """The pack as seen before or after 2025 (the pack itself when it does not support it)."""
    if not supports(pack):
        return pack
    return after_2025(pack) if structure == AFTER else before_2025(pack)
