"""Introductions: asked for (a pending contribution of the introducer), then made or declined."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from revere.levers.models import Contribution, ContributionKind, ContributionStatus
from revere.levers.services import introduction_decline, introduction_mark_made, introduction_request
from revere.tenancy.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    org = f.OrganizationFactory()
    t = f.TeamFactory(organization=org)
    return {
        "org": org,
        "asker": f.MemberFactory(organization=org, team=t),
        "introducer": f.MemberFactory(organization=org, team=t),
        "bystander": f.MemberFactory(organization=org, team=t),
        "target": f.PersonFactory(organization=org),
    }


def test_asking_records_a_pending_introduction_credited_to_the_introducer(team):
    c = introduction_request(member=team["asker"], introducer=team["introducer"], person_id=team["target"].pk)
    c.refresh_from_db()
    assert (c.kind, c.status) == (ContributionKind.INTRODUCTION, ContributionStatus.PENDING)
    assert c.member == team["introducer"] and c.beneficiary == team["asker"] and c.person == team["target"]


def test_asking_twice_while_pending_keeps_one_request(team):
    first = introduction_request(
        member=team["asker"], introducer=team["introducer"], person_id=team["target"].pk
    )
    again = introduction_request(
        member=team["asker"], introducer=team["introducer"], person_id=team["target"].pk
    )
    assert first.pk == again.pk
    assert Contribution.unrestricted.count() == 1


def test_marking_it_made_turns_it_into_a_made_contribution_of_the_introducer(team):
    c = introduction_request(member=team["asker"], introducer=team["introducer"], person_id=team["target"].pk)
    made = introduction_mark_made(member=team["introducer"], contribution_id=c.pk)
    assert made.status == ContributionStatus.MADE and made.member == team["introducer"]
    with pytest.raises(ValidationError):
        introduction_mark_made(member=team["asker"], contribution_id=c.pk)


def test_only_the_two_people_involved_or_a_manager_may_settle_it(team):
    c = introduction_request(member=team["asker"], introducer=team["introducer"], person_id=team["target"].pk)
    with pytest.raises(PermissionDenied):
        introduction_mark_made(member=team["bystander"], contribution_id=c.pk)
    manager = f.MemberFactory(organization=team["org"], role=Role.MANAGER)
    team["introducer"].team.managers.add(manager)
    assert introduction_decline(member=manager, contribution_id=c.pk).status == ContributionStatus.DECLINED


def test_nobody_asks_themself_or_a_member_or_person_of_another_organization(team):
    stranger = f.MemberFactory()
    with pytest.raises(ValidationError):
        introduction_request(member=team["asker"], introducer=team["asker"], person_id=team["target"].pk)
    with pytest.raises(ValidationError):
        introduction_request(member=team["asker"], introducer=stranger, person_id=team["target"].pk)
    with pytest.raises(ValidationError):
        introduction_request(
            member=team["asker"], introducer=team["introducer"], person_id=f.PersonFactory().pk
        )
    c = introduction_request(member=team["asker"], introducer=team["introducer"], person_id=team["target"].pk)
    with pytest.raises(PermissionDenied):
        introduction_mark_made(member=stranger, contribution_id=c.pk)
