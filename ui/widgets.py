"""Small presentation helpers: safe markdown, the honesty banner, the issues table."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import pandas as pd
import streamlit as st

from atlas.i18n import t
from atlas.report import Issue
from atlas.spec import Honesty, LayerSpec, Pack

# Every ASCII punctuation mark may be backslash-escaped in CommonMark; these are the ones
# that mean something in Streamlit markdown ($ is LaTeX, : starts emoji and colour codes).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|$~:&])")


def md(text: str) -> str:
    """Text from a pack, escaped so markdown shows it literally."""
    return _MD_SPECIAL.sub(r"\\\1", text)


_LABEL_SPECIAL = re.compile(r"([\\\[\]<>`*_~])")


def label_md(text: str) -> str:
    """Text from a pack as a widget's label: links and images need brackets, so escaping
    those (and emphasis) keeps `![t](http://…)` from being fetched, while the label's
    accessible name — Streamlit passes the raw label to aria-label — reads "(sơ đồ)", not
    "\\(sơ đồ\\)"."""
    return _LABEL_SPECIAL.sub(r"\\\1", text)


def _honesty_heads(honesty: Honesty, lang: str) -> list[str]:
    """What is not real about the pack: schematic geometry, illustrative figures."""
    heads = []
    if honesty.is_schematic:
        heads.append(t("honesty.schematic", lang))
    if honesty.is_illustrative:
        heads.append(t("honesty.illustrative", lang))
    return heads


def honesty_banner(honesty: Honesty, lang: str, key: str = "atlas-honesty") -> None:
    """The pack's honesty note as one compact line (what is not real) that opens on a click
    to the whole note and its source: always there, without pushing the map off the screen.
    Styled as a warning by `ui/app.css` (the container's key) when something is not real."""
    heads = _honesty_heads(honesty, lang)
    note = md(honesty.note.get(lang))
    source = md(honesty.source.get(lang))
    if not (heads or note):
        return
    label = " ".join(heads) if heads else t("honesty.about", lang)
    kind = "warn" if heads else "info"
    with st.container(key=f"{key}-{kind}"):
        icon = ":material/warning:" if heads else ":material/info:"
        with st.expander(f"**{label}**", icon=icon):
            if note:
                st.markdown(note)
            if source:
                st.caption(t("honesty.source", lang, source=source))


def honesty_caption(honesty: Honesty, lang: str) -> None:
    """One line for screens with no room for the banner (the Present page): what is not real,
    and where the data comes from."""
    heads = _honesty_heads(honesty, lang)
    source = md(honesty.source.get(lang))
    if heads or source:
        st.caption(f":material/warning: {' '.join(heads)} {source}".strip())


def layer_honesty_caption(layer: LayerSpec, lang: str) -> None:
    """A layer's own honesty note under its legend, its source on hover: a layer whose items
    are general knowledge or invented must not borrow the credibility of the pack's source."""
    honesty = layer.honesty
    if honesty is None:
        return
    note, source = honesty.note.get(lang), honesty.source.get(lang)
    if not (note or source):
        return
    tip = t("honesty.layer_source", lang, source=md(source)) if note and source else None
    st.caption(f":material/info: {md(note or source)}", help=tip)


# Up to this many problems are shown as a plain table whose cells wrap, so a long message
# is read whole; more become a scrollable, sortable grid (one line per cell).
WRAPPED_ISSUES = 60


def issue_frame(issues: Iterable[Issue], lang: str) -> pd.DataFrame:
    """Rows level, file, where, field, message with headers in `lang`; errors first (they are
    what stops the pack), each level in the order found."""
    ordered = sorted(issues, key=lambda issue: issue.level != "error")
    rows = [
        {
            t("col.level", lang): t(f"level.{issue.level}", lang),
            t("col.file", lang): issue.file or "",
            t("col.where", lang): issue.where_text(lang),
            t("col.field", lang): issue.field or "",
            t("col.message", lang): issue.text(lang),
        }
        for issue in ordered
    ]
    columns = [t(f"col.{c}", lang) for c in ("level", "file", "where", "field", "message")]
    return pd.DataFrame(rows, columns=columns)


def text_table(frame: pd.DataFrame) -> None:
    """`st.table` with every text cell escaped: Streamlit renders Markdown in its cells, so a
    pack's `![t](http://…)` would be fetched by every visitor (the corpus test caught it)."""
    shown = frame.copy()
    for column in shown.columns:
        shown[column] = shown[column].map(lambda v: md(v) if isinstance(v, str) else v)
    st.table(shown, hide_index=True)


def issue_table(issues: Iterable[Issue], lang: str) -> None:
    frame = issue_frame(issues, lang)
    if len(frame) <= WRAPPED_ISSUES:
        text_table(frame)
        return
    st.dataframe(
        frame,
        hide_index=True,
        column_config={t("col.message", lang): st.column_config.TextColumn(width="large")},
    )


def uploader_css(lang: str) -> str:
    """Streamlit's file uploader speaks English only ("Upload", "50MB per file • …"): its
    button and line say ours instead, in the UI language. The limit and the formats are in
    each page's own caption under the uploader."""
    button = json.dumps(t("upload.button", lang), ensure_ascii=False)
    drop = json.dumps(t("upload.drop", lang), ensure_ascii=False)
    zone = '[data-testid="stFileUploaderDropzone"]'
    return (
        "<style>"
        f'{zone} [data-testid="stBaseButton-secondary"] p {{ font-size: 0; }}'
        f'{zone} [data-testid="stBaseButton-secondary"] p::after {{ content: {button};'
        " font-size: 0.875rem; }"
        f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}'
        f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] span::after {{'
        f" content: {drop}; font-size: 0.875rem; }}"
        "</style>"
    )


def scope_label(pack: Pack, lang: str) -> str:
    """What a pack's totals are called: "Toàn huyện", "Toàn tỉnh" or "Toàn địa bàn"."""
    return t(f"scope.{pack.meta.scope}", lang)
