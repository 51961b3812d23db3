"""Schemas of the finder's composed endpoints (separate ...In and ...Out)."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema

from revere.network.schemas import RouteOut


class TargetRouteOut(Schema):
    person_id: int
    name: str
    title: str
    roles: list[str]
    route: RouteOut | None


class BrokerOut(Schema):
    person_id: int
    name: str
    title: str
    company: str
    reach: int
    roles: dict[str, float]
    route: RouteOut | None


class CompanyRoutesOut(Schema):
    company_id: int
    company: str
    people: int
    by_buying_role: bool
    targets: list[TargetRouteOut]
    brokers: list[BrokerOut]


class IntroductionIn(Schema):
    introducer_id: int
    person_id: int
    deal_id: int | None = None
    notes: str = ""


class IntroductionOut(Schema):
    id: int
    introducer_id: int
    introducer: str
    beneficiary_id: int | None
    person_id: int | None
    person: str
    status: str
    occurred_at: datetime
    notes: str


class IntroductionsOut(Schema):
    asked: list[IntroductionOut]
    of_me: list[IntroductionOut]
