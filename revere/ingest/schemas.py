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
    """A refusal: one sentence from us, or the list of field errors django-ninja's validation gives."""

    detail: str | list[dict[str, Any]]


class CandidatePersonOut(Schema):
    id: int
    name: str
    company: str | None


class MergeCandidateOut(Schema):
    id: int
    person_a: CandidatePersonOut
    person_b: CandidatePersonOut
    score: float
    reason: str


class MergeDecisionIn(Schema):
    decision: str  # "merge" or "dismiss"
    keep_id: int | None = None  # with "merge": which of the two persons stays


class PersonMergeOut(Schema):
    id: int
    kept_id: int
    merged_person_id: int | None
    merged_name: str
    kind: str
    reason: str
    fields: dict[str, Any]
    undone: bool
