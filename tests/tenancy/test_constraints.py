"""The database itself refuses impossible rows; services refuse impossible org charts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from revere.contacts.models import Company
from revere.contacts.services import person_set_reports_to
from revere.network.models import Link, Tie
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_member_cannot_have_a_tie_to_themself():
    member = f.MemberFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Tie.unrestricted.create(
            organization=member.organization, member=member, ego=member.person, person=member.person
        )


def test_a_member_has_at_most_one_tie_to_a_person():
    tie = f.TieFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Tie.unrestricted.create(
            organization=tie.organization, member=tie.member, ego=tie.ego, person=tie.person
        )


def test_tie_strength_outside_zero_to_one_is_refused():
    member = f.MemberFactory()
    person = f.PersonFactory(organization=member.organization)
    with pytest.raises(IntegrityError), transaction.atomic():
        Tie.unrestricted.create(
            organization=member.organization, member=member, ego=member.person, person=person, strength=1.5
        )


def test_a_person_cannot_be_linked_to_themself_and_pairs_are_stored_once():
    p = f.PersonFactory()
    q = f.PersonFactory(organization=p.organization)
    lo, hi = sorted([p, q], key=lambda x: x.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Link.unrestricted.create(organization=p.organization, a=p, b=p)
    with pytest.raises(IntegrityError), transaction.atomic():
        Link.unrestricted.create(organization=p.organization, a=hi, b=lo)  # reversed order
    Link.unrestricted.create(organization=p.organization, a=lo, b=hi)
    with pytest.raises(IntegrityError), transaction.atomic():
        Link.unrestricted.create(organization=p.organization, a=lo, b=hi)


def test_company_names_are_unique_inside_an_organization_but_not_across():
    org_a, org_b = f.OrganizationFactory(), f.OrganizationFactory()
    Company.unrestricted.create(organization=org_a, name="Acme", normalized_name="acme")
    Company.unrestricted.create(organization=org_b, name="Acme", normalized_name="acme")
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.unrestricted.create(organization=org_a, name="ACME", normalized_name="acme")


def test_reports_to_must_stay_inside_the_organization():
    p = f.PersonFactory()
    stranger = f.PersonFactory()
    with pytest.raises(ValidationError, match="same organization"):
        person_set_reports_to(person=p, manager=stranger)


def test_reports_to_cannot_close_a_cycle():
    ceo = f.PersonFactory()
    vp = f.PersonFactory(organization=ceo.organization)
    rep = f.PersonFactory(organization=ceo.organization)
    person_set_reports_to(person=vp, manager=ceo)
    person_set_reports_to(person=rep, manager=vp)
    with pytest.raises(ValidationError, match="cycle"):
        person_set_reports_to(person=ceo, manager=rep)
    with pytest.raises(ValidationError, match="themself"):
        person_set_reports_to(person=ceo, manager=ceo)
    ceo.refresh_from_db()
    assert ceo.reports_to is None


def test_the_database_refuses_a_person_reporting_to_themself():
    p = f.PersonFactory()
    p.reports_to_id = p.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        p.save()
