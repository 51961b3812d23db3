"""The playbook API's shapes: what comes in (``...In``) and what goes out (``...Out``)."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema


class MetricsOut(Schema):
    network_class: str
    size: int
    reach: int
    density: float | None
    weighted_density: float | None
    effective_size: float | None
    efficiency: float | None
    constraint: float | None
    hierarchy: float | None
    mean_strength: float | None
    bands: dict[str, int]
    diversity: dict[str, float | None]
    range: dict[str, int]
    circles: int
    largest_circle: int
    single_thread_companies: int


class ReadingOut(Schema):
    headline: str
    sentences: list[str]
    shape: str
    notes: dict[str, str] = Field(description="what each figure means for the stage this network serves")


class ScoreLineOut(Schema):
    measure: str
    label: str
    actual: float | None
    target: float
    at_least: bool
    status: str = Field(description="ok, gap or n/a (too few contacts to tell)")
    action: str
    reason: str


class ScoreOut(Schema):
    network_class: str
    verdict: str
    enough: bool
    target_source: str
    lines: list[ScoreLineOut]


class NetworkOut(Schema):
    network_class: str
    stage: str
    purpose: str
    metrics: MetricsOut
    reading: ReadingOut
    score: ScoreOut


class ContactOut(Schema):
    person_id: int
    name: str


class CandidateOut(Schema):
    kind: str
    tie_id: int
    person_id: int
    name: str
    company: str
    network_class: str
    strength: float
    band: str
    redundancy: float
    overlap: int
    unique_reach: int
    unique_companies: int
    last_contact: date | None
    days_since: int | None
    reason: str
    redundant_with: list[ContactOut]
    unique_industries: int
    fade: float
    score: float
    kept_instead: ContactOut | None


class KeptOut(Schema):
    person_id: int
    name: str
    network_class: str
    redundancy: float
    reason: str


class AdviceOut(Schema):
    cliques: list[str]
    let_go_total: int
    invest_total: int
    let_go_offset: int
    invest_offset: int
    kept: list[KeptOut]
    let_go: list[CandidateOut]
    invest: list[CandidateOut]


class QueueItemOut(Schema):
    tie_id: int
    person_id: int
    name: str
    company: str
    title: str
    network_class: str
    band: str
    strength: float
    cadence_days: int
    cadence_source: str
    cadence_reason: str
    last_contact: date | None
    days_since: int | None
    due_on: date
    overdue_days: int
    urgency: float


class QueueOut(Schema):
    total_due: int
    offset: int
    upcoming: int
    snoozed: int
    due: list[QueueItemOut]


class NetworkReportOut(Schema):
    member_id: int
    member_name: str
    networks: list[NetworkOut]
    advice: AdviceOut
    keep_in_touch: QueueOut


class TargetOut(Schema):
    network_class: str
    source: str
    min_size: int
    min_density: float | None
    max_density: float | None
    max_constraint: float | None
    min_strength: float | None
    min_diversity: float | None


class TargetIn(Schema):
    min_size: int = Field(0, ge=0)
    min_density: float | None = Field(None, ge=0, le=1)
    max_density: float | None = Field(None, ge=0, le=1)
    max_constraint: float | None = Field(None, ge=0, le=1)
    min_strength: float | None = Field(None, ge=0, le=1)
    min_diversity: float | None = Field(None, ge=0, le=1)


class TouchIn(Schema):
    kind: str = "call"


class SnoozeIn(Schema):
    days: int = Field(14, ge=1, le=365)


class CadenceIn(Schema):
    cadence_days: int | None = Field(None, ge=0, le=730, description="0: no reminders; null: the default")


class TieOut(Schema):
    tie_id: int
    person_id: int
    cadence_days: int | None
    snoozed_until: date | None
    last_interaction: str | None


class MeOut(Schema):
    id: int
    name: str
    email: str
    role: str
    organization: str
    team: str | None
    ties_per_class: dict[str, int]
    open_deals_per_stage: dict[str, int]
