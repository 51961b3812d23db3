"""Options a reader takes: the user's corrections, the member's own addresses, limits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from revere.ingest.readers.hubspot_labels import ROLE_LABELS, STAGE_LABELS, value_mapping
from revere.ingest.textio import DEFAULT_MAX_BYTES

DEAL_STAGES = ("identify", "buy_in", "solution", "close", "won", "lost")

# Standard Salesforce StageName values and HubSpot's default sales pipeline (labels and internal
# ids) onto Revere's four stages plus won/lost. Keys are compared case-insensitively.
DEFAULT_STAGE_MAPPING: dict[str, str] = {
    # Salesforce
    "prospecting": "identify",
    "qualification": "identify",
    "needs analysis": "buy_in",
    "value proposition": "buy_in",
    "id. decision makers": "buy_in",
    "perception analysis": "solution",
    "proposal/price quote": "solution",
    "negotiation/review": "close",
    "closed won": "won",
    "closed lost": "lost",
    "closed/won": "won",
    "closed/lost": "lost",
    # HubSpot default pipeline, labels
    "appointment scheduled": "identify",
    "qualified to buy": "buy_in",
    "presentation scheduled": "solution",
    "decision maker bought-in": "solution",
    "contract sent": "close",
    # HubSpot internal ids
    "appointmentscheduled": "identify",
    "qualifiedtobuy": "buy_in",
    "presentationscheduled": "solution",
    "decisionmakerboughtin": "solution",
    "contractsent": "close",
    "closedwon": "won",
    "closedlost": "lost",
}

# Salesforce OpportunityContactRole.Role and HubSpot hs_buying_role onto Revere's buying roles.
DEFAULT_ROLE_MAPPING: dict[str, str] = {
    "business user": "user",
    "decision maker": "decision_maker",
    "economic buyer": "economic_buyer",
    "economic decision maker": "economic_buyer",
    "evaluator": "technical_evaluator",
    "executive sponsor": "champion",
    "influencer": "influencer",
    "technical buyer": "technical_evaluator",
    # HubSpot hs_buying_role internal values and labels
    "decision_maker": "decision_maker",
    "budget_holder": "economic_buyer",
    "budget holder": "economic_buyer",
    "champion": "champion",
    "blocker": "blocker",
    "end_user": "user",
    "end user": "user",
    "executive_sponsor": "champion",
    "legal_and_compliance": "gatekeeper",
    "legal and compliance": "gatekeeper",
    "other": "",
}

# HubSpot's localized stage and buying-role labels (German, French, Spanish, Portuguese, Dutch).
for _label, _stage in value_mapping(STAGE_LABELS).items():
    DEFAULT_STAGE_MAPPING.setdefault(_label, _stage)
for _label, _role in value_mapping(ROLE_LABELS).items():
    DEFAULT_ROLE_MAPPING.setdefault(_label, _role)


def _default_window_start() -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(days=730)


def _default_window_end() -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(days=90)


@dataclass
class ReaderOptions:
    # User-corrected CSV mapping: header as written in the file -> field (see FIELDS in mapping.py);
    # a field of "" or "ignore" drops the column.
    column_mapping: dict[str, str] | None = None
    # Stage name as written in the file -> identify|buy_in|solution|close|won|lost; merged over
    # DEFAULT_STAGE_MAPPING.
    stage_mapping: dict[str, str] | None = None
    # The member's own addresses: mail and calendar readers mark whom the member wrote to.
    # Salesforce OpportunityContactRole.Role / HubSpot buying role -> Revere buying role; merged
    # over DEFAULT_ROLE_MAPPING.
    role_mapping: dict[str, str] | None = None
    member_emails: set[str] = field(default_factory=set)
    # The member's own name and LinkedIn profile: LinkedIn messages tell the member's rows by them.
    member_name: str = ""
    member_linkedin: str = ""
    # Recurring meetings are expanded between these instants (aware datetimes).
    window_start: dt.datetime = field(default_factory=_default_window_start)
    window_end: dt.datetime = field(default_factory=_default_window_end)
    max_bytes: int = DEFAULT_MAX_BYTES
    max_rows: int = 200_000

    def stage_for(self, source_stage: str) -> str:
        """The mapped stage for a stage name, or "" when neither the user's nor the default mapping knows it."""
        key = source_stage.strip().lower()
        if self.stage_mapping:
            for name, stage in self.stage_mapping.items():
                if name.strip().lower() == key:
                    return stage
        return DEFAULT_STAGE_MAPPING.get(key, "")

    def role_for(self, source_role: str) -> str:
        """The mapped buying role, or "" when the role is unknown or says nothing ("Other")."""
        key = source_role.strip().lower()
        if self.role_mapping:
            for name, role in self.role_mapping.items():
                if name.strip().lower() == key:
                    return role
        return DEFAULT_ROLE_MAPPING.get(key, "")

    def own_emails(self) -> set[str]:
        return {e.strip().lower() for e in self.member_emails if e.strip()}
