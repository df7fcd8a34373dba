"""The map page's state: what the panel chose, under keys that survive page switches.

Widget keys start with `MAP_PREFIX`; app.py re-assigns every such key on each run so Streamlit
does not drop them while another page is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAP_PREFIX = "map."
SCHEME_DEFAULT = "manifest"


def key(pack_id: str, name: str, layer_id: str | None = None) -> str:
    """`map.<pack>.<name>[.<layer>]`: per pack, so switching districts keeps each one's view."""
    return f"{MAP_PREFIX}{pack_id}.{name}" + (f".{layer_id}" if layer_id else "")


@dataclass
class MapSettings:
    """What to draw: visible layers in drawing order, their opacity, year and class scheme."""

    visible: list[str] = field(default_factory=list)
    opacity: dict[str, float] = field(default_factory=dict)
    year: int | None = None
    scheme: str | None = None  # None = each layer's own scheme from the manifest
    k: int | None = None
    labels: bool = True  # names on the map (`layers.labels`)
