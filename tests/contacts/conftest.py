from __future__ import annotations

import pytest

from revere.network.models import Visibility
from tests import factories as f


@pytest.fixture
def crowd():
    """An organization with a seller, two teammates, companies and sixty people tied in every way."""
    org = f.OrganizationFactory(name="Lex")
    squad = f.TeamFactory(organization=org)
    me = f.MemberFactory(organization=org, team=squad, person__full_name="Me Myself")
    ann = f.MemberFactory(organization=org, team=squad, person__full_name="Ann Teammate")
    bob = f.MemberFactory(organization=org, team=squad, person__full_name="Bob Teammate")
    companies = [f.CompanyFactory(organization=org, name=f"Firm {i}") for i in range(6)]
    persons = []
    for i in range(60):
        p = f.PersonFactory(organization=org, company=companies[i % 6], title=f"Title {i}")
        persons.append(p)
        if i % 2 == 0:
            f.TieFactory(member=me, person=p, strength=0.2 + (i % 7) / 10)
        if i % 3 == 0:
            f.TieFactory(member=ann, person=p, visibility=Visibility.TEAM)
        if i % 5 == 0:
            f.TieFactory(member=bob, person=p, visibility=Visibility.PRIVATE)
    return {"org": org, "me": me, "ann": ann, "bob": bob, "companies": companies, "persons": persons}


@pytest.fixture
def signed_in(client, crowd):
    client.force_login(crowd["me"].user)
    return client
