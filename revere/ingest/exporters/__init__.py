"""Exports of what a member may see: CSV, JSON, vCard, GraphML, GEXF."""

from __future__ import annotations

from dataclasses import dataclass

from revere.ingest.exporters.data import ExportData, export_network
from revere.ingest.exporters.writers import WRITERS, neutralize
from revere.tenancy.models import Member

EXPORT_FORMATS = tuple(WRITERS)


@dataclass
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def export_render(*, member: Member, format: str) -> ExportFile:
    """The member's export in one format; ValueError for an unknown format."""
    if format not in WRITERS:
        raise ValueError(f"Unknown export format {format!r}; choose one of {', '.join(WRITERS)}.")
    write, content_type, ext = WRITERS[format]
    data = export_network(member=member)
    return ExportFile(
        content=write(data), content_type=content_type, filename=f"revere-{member.organization.slug}.{ext}"
    )


__all__ = ["EXPORT_FORMATS", "ExportData", "ExportFile", "export_network", "export_render", "neutralize"]
