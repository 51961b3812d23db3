"""A small organization of two teams for the levers' page, API and CLI tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from revere.deals.models import Stage
from revere.levers.ledger import month_of
from revere.levers.models import Contribution
from revere.levers.services import introduction_mark_made, introduction_request
from revere.network.models import NetworkClass
from revere.tenancy.models import Role
from tests import factories as f

LAST = month_of(date.fromordinal(month_of(timezone.localdate()).toordinal() - 1))


@pytest.fixture
def w():
    org = f.OrganizationFactory()
    east, west = f.TeamFactory(organization=org, name="East"), f.TeamFactory(organization=org, name="West")
    out = {
        "org": org,
        "east": east,
        "west": west,
        "seller": f.MemberFactory(organization=org, team=east, person__full_name="Sally Seller"),
        "mate": f.MemberFactory(organization=org, team=east, person__full_name="Matt Mate"),
        "outsider": f.MemberFactory(organization=org, team=west, person__full_name="Otto West"),
        "manager": f.MemberFactory(organization=org, role=Role.MANAGER, person__full_name="Mona Manager"),
        "admin": f.MemberFactory(organization=org, role=Role.ADMIN),
    }
    east.managers.add(out["manager"])
    acme = f.CompanyFactory(organization=org, status="customer", name="Acme")
    for k in range(3):
        p = f.PersonFactory(organization=org, company=acme, full_name=f"Acme person {k}")
        for who in ("seller", "mate"):
            f.TieFactory(member=out[who], person=p, network_class=NetworkClass.CUSTOMER, strength=0.7)
    deal = f.DealFactory(
        owner=out["mate"], company=acme, amount=Decimal("10000"), stage=Stage.WON, name="Acme renewal"
    )
    c = introduction_request(member=out["mate"], introducer=out["seller"], person_id=p.pk, deal_id=deal.pk)
    introduction_mark_made(member=out["seller"], contribution_id=c.pk)
    Contribution.unrestricted.filter(pk=c.pk).update(
        occurred_at=datetime(LAST.year, LAST.month, 3, tzinfo=UTC)
    )
    return out
