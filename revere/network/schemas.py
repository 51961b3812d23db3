"""Schemas of the network endpoints: the graph explorer, the middleman finder, and recording (my tie
to a person, interactions, stated links). Separate ...In and ...Out."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema


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


# -- recording: my tie to a person, interactions, stated links ---------------------------------


class MyTieIn(Schema):
    """My tie to a person, as I state it. PUT sets every field (those left out take their default);
    PATCH changes only the fields sent."""

    strength_override: float | None = Field(
        None, description="My own value, in (0, 1]; empty: computed from interactions"
    )
    network_class_override: str = Field(
        "", description="market, prospect, internal, customer; empty: automatic"
    )
    visibility: str = Field("team", description="team (teammates see the strength band) or private")
    cadence_days: int | None = Field(
        None, description="keep in touch every N days; 0: never; empty: the default"
    )
    since: date | None = None
    notes: str = Field("", description="how I know them; private to me")


class MyTieOut(Schema):
    tie_id: int
    person_id: int
    person_name: str
    is_active: bool
    strength: float = Field(description="computed from interactions")
    strength_override: float | None
    effective_strength: float
    band: str
    network_class: str = Field(description="the effective class (the override when set)")
    network_class_computed: str
    network_class_override: str
    visibility: str
    cadence_days: int | None
    since: date | None
    last_interaction: datetime | None
    notes: str


class InteractionIn(Schema):
    kind: str = Field(description="meeting, call, email, message or event")
    participants: list[int] = Field(description="person ids besides me: contacts, colleagues", min_length=1)
    occurred_at: datetime | None = Field(None, description="when; now by default; not in the future")
    subject: str = ""


class ParticipantOut(Schema):
    person_id: int
    name: str


class InteractionOut(Schema):
    id: int
    kind: str
    occurred_at: datetime
    subject: str
    participants: list[ParticipantOut]
    ties: list[MyTieOut] = Field(description="my ties to the participants, strength recomputed")
    links_added: int
    links_strengthened: int


class LinkIn(Schema):
    a: int = Field(description="a person id")
    b: int = Field(description="another person id")
    weight: float = Field(0.5, description="how well they know each other, in (0, 1]")


class LinkOut(Schema):
    a: int
    b: int
    weight: float
    source: str
    source_label: str
    stated_by_id: int | None
    created: bool
