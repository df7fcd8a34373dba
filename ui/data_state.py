"""The Data page's state: the upload, the memoised inspection and join, the save plan.

No widgets here (`ui.data_steps` draws them) and no GIS (`atlas.ingest` does it): this module
keeps what the page computed in `st.session_state` under `data.` keys, so a rerun does not
read the file again, and turns the widgets' values into an `ImportPlan`.

The upload step is a thin wrapper: the file uploader's callback only puts `(name, bytes)`
under `UPLOAD`, and everything after reads `UPLOAD`. A test drives the page by setting it
(AppTest has no file uploader).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from atlas.ingest import (
    ColumnMapping,
    ImportPlan,
    IngestError,
    Inspection,
    JoinResult,
    SaveResult,
    inspect_upload,
    max_upload_bytes,
    slugify,
)
from atlas.pack_writes import import_all_layers, import_file
from atlas.roles import RoleError
from atlas.spec import Pack, Text
from ui.auth import accounts, signed_in
from ui.data import clear_pack_caches
from ui.sidebar import PACK_KEY

LOG = logging.getLogger(__name__)

# Session keys. Never under "map.": app.py re-assigns those on every run.
UPLOAD = "data.upload"  # (name, bytes) of the file being imported
UPLOADER = "data.uploader"  # + the generation: a new key empties the file uploader
GENERATION = "data.generation"
UPLOAD_ERROR = "data.upload_error"  # (name, size) of a file refused before it was read
SIGNATURE = "data.signature"  # the upload the other data.* keys belong to
MEMO = "data.memo"
CURRENT = "data.current"  # what the confirm button saves: a `Pending`
LAYER = "data.layer"
ZONE = "data.zone"
CRS = "data.crs"  # the CRS the user confirmed
CRS_PROVINCE = "data.crs_province"
REFERENCE = "data.reference"  # the sidebar pack the column choices below were made for
NO_JOIN = "data.no_join"
REF_SOURCE = "data.ref_source"  # join to the sidebar pack's communes, or to the GSO list
REF_PACK = "data.ref_pack"  # the sidebar pack REF_SOURCE was chosen with
CONFIRM_LOCATION = "data.confirm_location"
ALL_LAYERS = "data.all_layers"
SOURCE_PACK = "pack"
SOURCE_GSO = "gso"
COL_CODE = "data.col.code"
COL_NAME = "data.col.name"
COL_YEAR = "data.col.year"
COL_FIELDS = "data.col.fields"
ACCEPT_ALL = "data.accept_all"
FUZZY = "data.fuzzy."  # + the row number
DROP_UNMATCHED = "data.drop_unmatched"
TARGET = "data.target"
PACK_ID = "data.pack_id"
NAME_VI = "data.name_vi"
NAME_EN = "data.name_en"
USER_PACK = "data.user_pack"
LAYER_ID = "data.layer_id"
TITLE_VI = "data.title_vi"
TITLE_EN = "data.title_en"
SAVE = "data.save"
SAVED = "data.saved"  # the SaveResult of the upload on screen
SAVE_ERROR = "data.save_error"  # (vi, en)
DOWNLOAD_PACK = "data.download_pack"

TARGET_NEW = "new"
TARGET_EXISTING = "existing"

# Kept when another file is uploaded; every other data.* key belongs to one upload.
_KEEP = (UPLOAD, GENERATION, UPLOAD_ERROR, DOWNLOAD_PACK, UPLOADER)

T = TypeVar("T")


@dataclass(frozen=True)
class Pending:
    """What the confirm button saves, as the page last drew it: the upload, its inspection,
    the join (None: no join), the communes joined to, and the province the user named."""

    upload: Upload
    inspection: Inspection
    join: JoinResult | None
    reference: pd.DataFrame | None
    province: str | None


@dataclass(frozen=True)
class Upload:
    """The uploaded file: its name (a label only, never a path) and its bytes."""

    name: str
    data: bytes

    @property
    def signature(self) -> str:
        return f"{hashlib.sha256(self.data).hexdigest()[:16]}-{len(self.data)}-{self.name}"

    @property
    def stem(self) -> str:
        base = self.name.replace("\\", "/").rsplit("/", 1)[-1]
        stem = base.rsplit(".", 1)[0] if "." in base else base
        return "".join(c for c in stem if c.isprintable()).strip()[:80] or "import"

    @property
    def slug(self) -> str:
        return slugify(self.stem)


def limit_mb() -> float:
    return max_upload_bytes() / 1024 / 1024


def uploader_key() -> str:
    return f"{UPLOADER}.{st.session_state.get(GENERATION, 0)}"


def take_upload() -> None:
    """File uploader callback: keep the file's bytes, or refuse it unread when too large."""
    state = st.session_state
    file = state.get(uploader_key())
    state.pop(UPLOAD_ERROR, None)
    if file is None:
        state.pop(UPLOAD, None)
        return
    if file.size > max_upload_bytes():
        state.pop(UPLOAD, None)
        state[UPLOAD_ERROR] = (file.name, file.size)
        return
    state[UPLOAD] = (file.name, file.getvalue())


def restart() -> None:
    """Button callback: forget the file and everything about it; empty the uploader."""
    state = st.session_state
    generation = state.get(GENERATION, 0) + 1
    for key in [k for k in state if isinstance(k, str) and k.startswith("data.")]:
        if key != DOWNLOAD_PACK:
            del state[key]
    state[GENERATION] = generation


def current_upload(state: MutableMapping[str, Any] | None = None) -> Upload | None:
    """The upload being imported; a new one resets the keys of the previous one."""
    state = st.session_state if state is None else state
    raw = state.get(UPLOAD)
    if not raw:
        return None
    name, data = raw
    upload = Upload(str(name), bytes(data))
    if state.get(SIGNATURE) != upload.signature:
        for key in [k for k in state if isinstance(k, str) and k.startswith("data.")]:
            if key not in _KEEP and not key.startswith(UPLOADER):
                del state[key]
        state[SIGNATURE] = upload.signature
    return upload


def memo(name: str, key: tuple, compute: Callable[[], T]) -> T:
    """`compute()` once per `key` (per session): the last value of each `name` is kept."""
    store = st.session_state.setdefault(MEMO, {})
    hit = store.get(name)
    if hit is not None and hit[0] == key:
        return hit[1]
    value = compute()
    store[name] = (key, value)
    return value


def _unexpected(exc: Exception, doing_vi: str, doing_en: str) -> IngestError:
    LOG.exception("unexpected error while %s", doing_en)
    return IngestError(
        f"Lỗi không mong đợi khi {doing_vi}: {exc}", f"Unexpected error {doing_en}: {exc}"
    )


def inspection(
    upload: Upload, layer: str | None, crs: str | None, province: str | None
) -> Inspection | IngestError:
    """The engine's reading of the upload (memoised): an Inspection, or why it was refused."""

    def run() -> Inspection | IngestError:
        try:
            return inspect_upload(upload.name, upload.data, layer=layer, crs=crs, province=province)
        except IngestError as exc:
            return exc
        except Exception as exc:  # a bad file must never crash the page
            return _unexpected(exc, "đọc tệp", "reading the file")

    return memo("inspection", (upload.signature, layer, crs, province), run)


def attribute_text(data: pd.DataFrame) -> pd.DataFrame:
    """Every attribute as text (no geometry), for a table that never interprets a value."""

    def text(value: object) -> str:
        if value is None:
            return ""
        try:
            if pd.isna(value):
                return ""
        except (TypeError, ValueError):
            pass
        return str(value)

    geometry = getattr(data, "_geometry_column_name", None)
    columns = [c for c in data.columns if c != geometry]
    return pd.DataFrame(
        {str(c): data[c].map(text).astype(object) for c in columns}, index=range(len(data))
    )


def code_width(pack: Pack | None) -> int:
    """The code width of the pack's commune layer (5, the GSO commune code, by default)."""
    if pack is not None:
        for layer in pack.layers:
            if layer.kind == "boundary" and layer.code_field and layer.code_width:
                return int(layer.code_width)
    return 5


def fuzzy_rows(join: JoinResult) -> pd.DataFrame:
    return join.rows[join.rows["status"] == "fuzzy"]


def accepted_fuzzy(state: MutableMapping[str, Any], join: JoinResult) -> set[int]:
    """The fuzzy rows the user accepted: all with "accept all", else the ticked ones."""
    rows = [int(r) for r in fuzzy_rows(join)["row"]]
    if state.get(ACCEPT_ALL):
        return set(rows)
    return {r for r in rows if state.get(f"{FUZZY}{r}")}


def confirmed_join(join: JoinResult, accepted: set[int]) -> JoinResult:
    """The join with every fuzzy match the user did not accept turned into "unmatched"."""
    rows = join.rows.copy()
    rejected = (rows["status"] == "fuzzy") & ~rows["row"].astype(int).isin(accepted)
    rows["code"] = rows["code"].astype(object)
    rows["name"] = rows["name"].astype(object)
    rows.loc[rejected, "status"] = "unmatched"
    rows.loc[rejected, ["code", "name"]] = None
    rows.loc[rejected, "score"] = 0.0
    return JoinResult(rows.reset_index(drop=True), problem=join.problem)


# What the user chose against one reference pack: forgotten when the sidebar pack changes, so
# the boxes start again from the suggestion for the new pack.
_PER_REFERENCE = (COL_CODE, COL_NAME, COL_YEAR, COL_FIELDS, NO_JOIN, ACCEPT_ALL, DROP_UNMATCHED)


def follow_reference(state: MutableMapping[str, Any], pack_id: str | None) -> None:
    """Keep the join on the communes chosen (the sidebar pack's, or the GSO list): when they
    change, the column choices, the fuzzy ticks and "drop unmatched" made for the previous
    ones are dropped. `pack_id` names the choice (the pack id, with the source)."""
    if state.get(REFERENCE) == pack_id:
        return
    for key in [k for k in state if isinstance(k, str)]:
        if key in _PER_REFERENCE or key.startswith(FUZZY):
            del state[key]
    state[REFERENCE] = pack_id


def mapping_from(state: MutableMapping[str, Any]) -> ColumnMapping:
    return ColumnMapping(
        code=state.get(COL_CODE) or None,
        name=state.get(COL_NAME) or None,
        fields=tuple(state.get(COL_FIELDS) or ()),
        year=state.get(COL_YEAR) or None,
    )


def _text(vi: object, en: object, fallback: str) -> Text:
    vi_text = str(vi or "").strip() or fallback
    return Text(vi_text, str(en or "").strip() or vi_text)


def plan_from(
    state: MutableMapping[str, Any],
    upload: Upload,
    province: str | None,
    structure: str | None = None,
) -> ImportPlan:
    """The ImportPlan the save widgets describe (fuzzy rows are settled in the join itself);
    `structure` is that of the communes joined to (it names a new pack's structure)."""
    existing = state.get(TARGET) == TARGET_EXISTING
    pack_id = str(state.get(USER_PACK) if existing else state.get(PACK_ID) or "").strip()
    return ImportPlan(
        pack_id=pack_id or upload.slug,
        mapping=mapping_from(state),
        name=None if existing else _text(state.get(NAME_VI), state.get(NAME_EN), upload.stem),
        layer_id=str(state.get(LAYER_ID) or "").strip() or None,
        title=_text(state.get(TITLE_VI), state.get(TITLE_EN), upload.stem),
        into_existing=existing,
        accept_fuzzy=True,
        province=province or None,
        drop_unmatched=bool(state.get(DROP_UNMATCHED)),
        no_join=bool(state.get(NO_JOIN)),
        confirm_location=bool(state.get(CONFIRM_LOCATION)),
        structure=structure,
    )


def _save(
    state: MutableMapping[str, Any], current: Pending, plan: ImportPlan, join: JoinResult | None
) -> SaveResult:
    """One layer or table (`save_import`), or every layer of the file into a new pack
    (`import_layers`, all or nothing) when the user asked for that."""
    insp = current.inspection
    by, books = signed_in(), accounts()
    if state.get(ALL_LAYERS) and len(insp.layers) > 1 and not plan.into_existing:
        results = import_all_layers(
            current.upload.name,
            current.upload.data,
            plan.pack_id,
            by=by,
            accounts=books,
            crs=state.get(CRS),
            province=current.province,
            reference=None if plan.no_join else current.reference,
            plan=plan,
        )
        return results[0]
    return import_file(insp, plan, by=by, accounts=books, join=join)


def save_current() -> None:
    """Confirm button callback: write the import, then refresh the pack lists.

    Runs before the script, so the sidebar drawn in the same run already lists (and shows)
    the saved pack. Nothing is written anywhere else in the page.
    """
    state = st.session_state
    state.pop(SAVE_ERROR, None)
    current = state.get(CURRENT)
    if not current:
        return
    join, reference = current.join, current.reference
    structure = reference.attrs.get("structure") if join is not None else None
    plan = plan_from(state, current.upload, current.province, structure)
    if plan.no_join:
        join = None
    elif join is not None:
        join = confirmed_join(join, accepted_fuzzy(state, join))
    try:
        result = _save(state, current, plan, join)
    except (IngestError, RoleError) as exc:
        state[SAVE_ERROR] = (exc.vi, exc.en)
        return
    except Exception as exc:  # never a traceback, never a half-written pack on screen
        err = _unexpected(exc, "lưu", "saving")
        state[SAVE_ERROR] = (err.vi, err.en)
        return
    clear_pack_caches()
    state[SAVED] = result
    state[PACK_KEY] = result.pack_id
