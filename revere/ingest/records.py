"""Normalized records: what every reader turns a file into, and the import service consumes.

A reader never touches the database. It yields records carrying the line (or item) number they
came from, so the import report can point at the source. Identity resolution and writing happen
in the import service.

Keys: records refer to each other by ``key`` (a reader-local identifier such as a Salesforce Id,
a HubSpot Record ID, an e-mail address or "line:12"); the service maps keys to database rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

RecordKind = Literal["company", "person", "interaction", "link", "deal", "buying_role", "tie"]


@dataclass
class ReaderIssue:
    """A problem with one row or item: skipped (with why), or a warning on an imported row."""

    line: int | None
    message: str
    level: Literal["error", "warning"] = "warning"


@dataclass
class CompanyRecord:
    key: str
    name: str
    line: int | None = None
    domains: list[str] = field(default_factory=list)
    industry: str = ""
    size_band: str = ""
    region: str = ""
    status: str = ""  # prospect, customer, partner, other; "" = leave as is / default
    parent_key: str | None = None
    source: str = ""
    external_id: str = ""


@dataclass
class PersonRecord:
    key: str
    line: int | None = None
    first_name: str = ""
    last_name: str = ""
    full_name: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)  # as found; the service normalizes to E.164
    company_name: str = ""
    company_key: str | None = None
    title: str = ""
    function: str = ""
    location: str = ""
    region: str = ""
    linkedin_url: str = ""
    reports_to_key: str | None = None
    reports_to_name: str = ""  # Outlook "Manager's Name": resolved only if the manager is known
    referred_by_name: str = ""  # Outlook "Referred By": an introduction
    connected_on: dt.date | None = None  # when the member's tie began (LinkedIn "Connected On")
    labels: list[str] = field(default_factory=list)
    notes: str = ""
    source: str = ""
    external_id: str = ""
    # True when the file is the member's own address book: import makes a tie from the member.
    is_contact_of_member: bool = True


@dataclass
class InteractionRecord:
    key: str  # Message-ID, UID+recurrence id, ...: re-importing the same file creates nothing new
    kind: str  # meeting, call, email, message, event
    occurred_at: dt.datetime
    line: int | None = None
    subject: str = ""
    # Participants by e-mail (lower case) with display names; the member's own addresses are
    # recognised by the service.
    organizer: str | None = None
    participants: dict[str, str] = field(default_factory=dict)  # email -> display name
    audience: int = 2  # how many people it went to: big meetings and lists say little per pair
    via_list: bool = False  # sent through a mailing list
    in_reply_to: str | None = None
    source: str = ""
    # Participants known without an e-mail address (LinkedIn messages): (LinkedIn profile URL or "",
    # name), the member not among them. An interaction with profiles is the member's own: the member
    # is on it, as its sender when ``outbound``; otherwise the first profile sent it.
    profiles: list[tuple[str, str]] = field(default_factory=list)
    outbound: bool | None = None  # None: the service tells from the organizer's address


@dataclass
class LinkRecord:
    a_key: str
    b_key: str
    source: str  # org_chart, met, emailed, introduced, stated, community
    weight: float = 0.5
    line: int | None = None


@dataclass
class DealRecord:
    key: str
    name: str
    line: int | None = None
    company_key: str | None = None
    stage: str = ""  # one of identify, buy_in, solution, close, won, lost (already mapped)
    source_stage: str = ""  # the stage as written in the file, for the report
    amount: float | None = None
    expected_close: dt.date | None = None
    owner_email: str = ""
    contact_keys: list[str] = field(default_factory=list)
    source: str = ""


@dataclass
class BuyingRoleRecord:
    deal_key: str
    person_key: str
    role: str  # economic_buyer, decision_maker, technical_evaluator, user, champion, influencer, gatekeeper, blocker
    line: int | None = None
    source_role: str = ""


Record = CompanyRecord | PersonRecord | InteractionRecord | LinkRecord | DealRecord | BuyingRoleRecord


@dataclass
class ReadResult:
    """What a reader made of a file."""

    format: str
    companies: list[CompanyRecord] = field(default_factory=list)
    persons: list[PersonRecord] = field(default_factory=list)
    interactions: list[InteractionRecord] = field(default_factory=list)
    links: list[LinkRecord] = field(default_factory=list)
    deals: list[DealRecord] = field(default_factory=list)
    buying_roles: list[BuyingRoleRecord] = field(default_factory=list)
    issues: list[ReaderIssue] = field(default_factory=list)
    rows_read: int = 0


class UnreadableFile(Exception):
    """The file as a whole cannot be read: wrong format, binary, truncated, too big, hostile.

    The message is shown to the user as it is: say what is wrong and, where known, the line.
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class MissingColumns(UnreadableFile):
    """A named CSV format's required columns are absent: auto-detection reads the file as a generic CSV."""
