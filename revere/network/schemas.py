"""Schemas of the graph explorer and middleman finder endpoints (separate ...In and ...Out)."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class GraphNodeOut(Schema):
    id: int
    name: str
    title: str
    company_id: int | None
    company: str
    industry: str
    cls: str
    strength: float
    band: str
    brokerage: float
    circle: int | None
    redundant: bool
    x: float
    y: float


class GraphCircleOut(Schema):
    id: int
    size: int
    grouped: bool
    redundant: bool
    label: str


class GraphEgoOut(Schema):
    id: int
    name: str


class GraphOut(Schema):
    ego: GraphEgoOut
    nodes: list[GraphNodeOut]
    edges: list[tuple[int, int, float]]
    circles: list[GraphCircleOut]
    path: list[int]


class HopOut(Schema):
    from_id: int | None
    from_name: str
    to_id: int | None
    to_name: str
    how: str
    access: str
    strength: float | None
    band: str | None
    last: datetime | None
    ask: str


class RouteOut(Schema):
    persons: list[int | None]
    names: list[str]
    hops: list[HopOut]
    score: float | None
    score_band: str
    intermediaries: int
    via_teammate: str | None
    introducer_id: int | None
    introducer_name: str | None
    target_id: int
