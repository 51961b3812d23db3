"""Every page of Revere, for the browser sweep (tests/browser/test_pages.py) at 1400 px and 390 × 844.

**When you add a page, append it to PAGES.** The sweep then opens it at both widths as the member you
name, saves a screenshot to tests/screenshots/pages/<name>-<width>.png (look at it), and asserts: no
console error, no Content-Security-Policy violation, no sideways scroll
(``document.documentElement.scrollWidth <= innerWidth``), and no serious or critical axe-core violation.

``path`` is a URL, or a function of :class:`World` (the small demo company, built once per width) that
returns one: pick the ids you need from the demo there, through ``World`` helpers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

from django.utils import timezone

from revere.contacts.models import Company, Person
from revere.deals.models import Deal
from revere.levers.models import CoachingPlan
from revere.network.models import Tie
from revere.tenancy.models import Member


@dataclass
class World:
    """The demo company's members and a few ids for page URLs."""

    seller: Member
    manager: Member
    admin: Member

    def member(self, who: str) -> Member:
        return {"seller": self.seller, "manager": self.manager, "admin": self.admin}[who]

    @cached_property
    def contact(self) -> Person:
        """The seller's strongest contact outside their own company."""
        tie = (
            Tie.objects.visible_to(self.seller)
            .filter(member=self.seller, is_active=True, person__company__isnull=False)
            .exclude(person__company_id=self.seller.organization.own_company_id)
            .select_related("person")
            .order_by("-strength", "pk")
            .first()
        )
        assert tie is not None, "the demo seller has no contact"
        return tie.person

    @cached_property
    def company(self) -> Company:
        """The company of the seller's first open deal, else of their strongest contact."""
        deal = Deal.objects.visible_to(self.seller).filter(owner=self.seller).order_by("pk").first()
        if deal is not None and deal.company_id:
            return Company.objects.visible_to(self.seller).get(pk=deal.company_id)
        company = self.contact.company
        assert company is not None
        return company

    def deal_at(self, stage: str) -> Deal:
        """The seller's first deal (owned, else on its team) at ``stage``."""
        deals = Deal.objects.visible_to(self.seller).filter(stage=stage).order_by("pk")
        deal = deals.filter(owner=self.seller).first() or deals.first()
        assert deal is not None, f"the demo seller sees no deal at {stage}"
        return deal

    @cached_property
    def plan(self) -> CoachingPlan:
        """A coaching plan the manager proposed for the seller eight weeks ago (its progress chart)."""
        from revere.levers.services.coaching import coaching_plan_propose
        from revere.web.team.selectors import coaching_gaps

        found = coaching_gaps(member=self.manager, subject=self.seller)
        today = timezone.localdate() - timedelta(weeks=8)
        return coaching_plan_propose(
            member=self.manager, subject=self.seller, gaps=found.gaps, actions=found.actions, today=today
        )

    @cached_property
    def deal(self) -> Deal | None:
        return Deal.objects.visible_to(self.seller).filter(owner=self.seller).order_by("pk").first()


@dataclass(frozen=True)
class Page:
    name: str  # file-name safe: the screenshot is <name>-<width>.png
    path: str | Callable[[World], str]
    who: str | None = "seller"  # seller, manager, admin, or None for signed out
    ready: str | None = None  # a selector to wait for before checking (e.g. a drawn graph)
    status: int = 200
    axe: bool = True  # False only for third-party pages we do not write (the admin, Swagger UI)

    def url(self, world: World) -> str:
        return self.path(world) if callable(self.path) else self.path


PAGES: list[Page] = [
    Page("signin", "/login/", who=None),
    Page("home", "/"),
    Page("graph", "/graph/", ready="#graph-canvas[data-ready='1']"),
    Page("finder", "/finder/"),
    Page("finder-person", lambda w: f"/finder/?to={w.contact.pk}"),
    Page("finder-company", lambda w: f"/finder/?company={w.company.pk}"),
    Page("advice", "/advice/"),
    Page("contacts", "/contacts/"),
    Page("contacts-search", "/contacts/?q=a&sort=strength"),
    Page("contact", lambda w: f"/contacts/{w.contact.pk}/"),
    Page("contact-edit", lambda w: f"/contacts/{w.contact.pk}/edit/"),
    Page("contact-new", "/contacts/new/"),
    Page("merge", "/contacts/merge/"),
    Page("companies", "/companies/"),
    Page("company", lambda w: f"/companies/{w.company.pk}/"),
    Page("company-edit", lambda w: f"/companies/{w.company.pk}/edit/"),
    Page("company-new", "/companies/new/"),
    Page("deals", "/deals/"),
    Page("deals-filtered", lambda w: f"/deals/?owner={w.seller.pk}&amount_min=1"),
    Page("deal", lambda w: f"/deals/{w.deal_at('buy_in').pk}/"),
    Page("deal-identify", lambda w: f"/deals/{w.deal_at('identify').pk}/"),
    Page("deal-solution", lambda w: f"/deals/{w.deal_at('solution').pk}/"),
    Page("deal-close", lambda w: f"/deals/{w.deal_at('close').pk}/"),
    Page("deal-leads", "/deals/leads/"),
    Page("deal-new", "/deals/new/"),
    Page("deal-edit", lambda w: f"/deals/{w.deal_at('buy_in').pk}/edit/"),
    Page("deal-playbook-solution", lambda w: f"/deals/{w.deal_at('buy_in').pk}/?stage=solution"),
    Page("deal-playbook-close", lambda w: f"/deals/{w.deal_at('buy_in').pk}/?stage=close"),
    Page("import", "/import/"),
    Page("import-review", "/import/review/"),
    Page("password", "/password/"),
    Page("account", "/account/"),
    Page("targets", "/targets/", who="admin"),
    Page("targets-manager", "/targets/", who="manager"),
    Page("home-manager", "/", who="manager"),
    Page("team", "/team/", who="manager"),
    Page("team-customer-sorted", "/team/?network=customer&sort=customer.size&dir=desc", who="manager"),
    Page("team-admin", "/team/", who="admin"),
    Page("team-structure", "/team/structure/?skills=sales", who="manager"),
    Page("team-structure-deal", lambda w: f"/team/structure/?deal={w.deal_at('solution').pk}", who="manager"),
    Page("team-structure-functions", "/team/structure/?cross_functional=on", who="manager"),
    Page("ledger", "/ledger/"),
    Page("ledger-manager", "/ledger/", who="manager"),
    Page("ledger-statement", lambda w: f"/ledger/?member={w.seller.pk}", who="manager"),
    Page("ledger-rules", "/ledger/rules/", who="admin"),
    Page("coaching", "/coaching/", who="manager"),
    Page(
        "coaching-plan",
        lambda w: f"/coaching/{w.plan.pk}/",
        who="manager",
        ready="canvas[data-drawn=true]",
    ),
    Page("coaching-plan-seller", lambda w: f"/coaching/{w.plan.pk}/", ready="canvas[data-drawn=true]"),
    Page("coaching-seller", "/coaching/"),
    Page("not-found", "/no-such-page/", status=404),
    Page("forbidden", "/targets/", who="seller", status=403),
    Page("admin", "/admin/", who="admin", axe=False),
]
