"""The levers API's shapes: what comes in (``...In``) and what goes out (``...Out``)."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema


class LedgerRowOut(Schema):
    """One ledger line, as an incentive tool (Spiff, CaptivateIQ, Xactly) imports it."""

    member: str = Field(description="the member's sign-in e-mail")
    member_name: str
    period: str = Field(description="YYYY-MM")
    kind: str = Field(description="introduction, reference or assist")
    evidence_id: str = Field(description="introduction/ID, reference-use/ID or deal-team/DEAL_ID")
    deal: int | None
    deal_name: str
    amount: str | None = Field(description="the won deal's amount the share is of")
    credit: str
    adjusts: str = Field(description="for an adjustment: the closed month it corrects (YYYY-MM)")
    occurred_on: str
    note: str


class StatementOut(Schema):
    member_id: int
    member_name: str
    period: str
    closed: bool
    totals: dict[str, str]
    lines: list[LedgerRowOut]


class MemberTotalsOut(Schema):
    member_id: int
    name: str
    introduction: str
    reference: str
    assist: str
    total: str


class LedgerOut(Schema):
    period: str
    closed: bool
    closed_periods: list[str]
    rules: dict[str, str | None]
    members: list[MemberTotalsOut]
    lines: list[LedgerRowOut]


class CreditRulesIn(Schema):
    introduction_points: str = Field(examples=["50"])
    reference_points: str = Field(examples=["100"])
    assist_points: str = Field(examples=["25"])
    won_share: str = Field(description="a fraction of the won deal's amount: 0.01 is 1 %", examples=["0.01"])
    cap_per_period: str | None = Field(None, description="most credit per member and month; empty: no cap")


class PeriodOut(Schema):
    period: str
    closed_at: str
    entries: int


class GoalOut(Schema):
    id: int
    network_class: str
    metric: str
    label: str
    dimension: str
    start_value: float
    target_value: float
    at_least: bool
    due_on: date
    source: str
    reason: str
    actions: list[str]
    current: float | None
    progress: float
    met_now: bool
    met: bool | None
    series: list[dict[str, str | float | None]]


class PlanOut(Schema):
    id: int
    member_id: int
    member_name: str
    status: str
    starts_on: date
    ends_on: date
    stall_stage: str
    member_agreed: bool
    manager_agreed: bool
    goals: list[GoalOut]


class PlanSummaryOut(Schema):
    id: int
    member_id: int
    member_name: str
    status: str
    starts_on: date
    ends_on: date
    goals: int


class GoalIn(Schema):
    target_value: float
    due_on: date
    actions: list[str] | None = None


class GoalNewIn(Schema):
    network_class: str = Field(examples=["market"])
    metric: str = Field(examples=["effective_size"])
    target_value: float
    due_on: date
