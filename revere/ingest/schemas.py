"""API schemas for imports and exports."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ImportJobOut(Schema):
    id: int
    status: str
    requested_format: str
    files: list[dict[str, Any]]
    counts: dict[str, int]
    error: str
    preview: dict[str, Any] | None = None
    report: dict[str, Any] | None = None


class MappingIn(Schema):
    column_mapping: dict[str, str] = {}
    stage_mapping: dict[str, str] = {}


class ErrorOut(Schema):
    detail: str
