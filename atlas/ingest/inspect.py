"""`inspect_upload`: read an upload into a preview, deciding format, CRS and repairs."""

from __future__ import annotations

from atlas.ingest.model import Inspection


def inspect_upload(
    name: str,
    data: bytes,
    *,
    layer: str | None = None,
    crs: str | None = None,
    province: str | None = None,
) -> Inspection:
    """Read `data` (the upload's bytes; `name` is only a hint and a label) without writing.

    `layer` picks a GeoPackage/KML layer (default: the first), `crs` overrides or confirms the
    source CRS ("EPSG:9210", a PROJ string, a province name, or a `ZoneProposal.crs`), and
    `province` ranks that province's zone first when a CRS must be proposed.
    Raises only `IngestError` (size, zip safety); every other problem is in `report`.
    """
    raise NotImplementedError
