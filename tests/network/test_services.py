"""Tie services on the real database: strength recompute, classification, overrides, the task."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from revere.contacts.models import CompanyStatus
from revere.deals.models import Stage
from revere.network.models import Interaction, InteractionParticipant, NetworkClass, Tie
from revere.network.services import (
    network_recompute,
    strength_band,
    tie_set_class_override,
    tie_set_strength_override,
    tie_strengths_recompute,
    ties_classify,
)
from revere.network.tasks import network_recompute_task
from revere.tenancy.models import Organization
from tests.factories import (
    CompanyFactory,
    DealFactory,
    MemberFactory,
    OrganizationFactory,
    PersonFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def interact(member, persons, *, kind="meeting", days_ago=1, outbound=True, audience=None):
    interaction = Interaction.unrestricted.create(
        organization=member.organization,
        member=member,
        kind=kind,
        occurred_at=NOW - timedelta(days=days_ago),
        outbound=outbound,
        audience=audience or len(persons) + 1,
    )
    for person in persons:
        InteractionParticipant.unrestricted.create(
            organization=member.organization, interaction=interaction, person=person
        )
    return interaction


@pytest.fixture
def org():
    return OrganizationFactory()


def test_recompute_gives_frequent_recent_contacts_a_stronger_tie_than_old_ones(org):
    member = MemberFactory(organization=org)
    close, faded = PersonFactory(organization=org), PersonFactory(organization=org)
    close_tie = TieFactory(member=member, person=close, strength=0.0)
    faded_tie = TieFactory(member=member, person=faded, strength=0.0)
    for week in range(10):
        interact(member, [close], days_ago=7 * week + 1)
    interact(member, [faded], days_ago=600)

    written = tie_strengths_recompute(organization=org, now=NOW)

    close_tie.refresh_from_db()
    faded_tie.refresh_from_db()
    assert written == 2
    assert strength_band(close_tie.strength) == "strong"
    assert strength_band(faded_tie.strength) == "dormant"
    assert close_tie.last_interaction == NOW - timedelta(days=1)


def test_an_interaction_with_a_new_person_creates_the_tie_but_never_one_to_the_members_own_person(org):
    member = MemberFactory(organization=org)
    stranger = PersonFactory(organization=org)
    interact(member, [stranger, member.person], kind="call", days_ago=3)

    tie_strengths_recompute(organization=org, now=NOW)

    tie = Tie.unrestricted.get(member=member)
    assert tie.person == stranger
    assert tie.ego == member.person
    assert tie.strength > 0
    assert tie.since == (NOW - timedelta(days=3)).date()


def test_a_tie_without_interactions_becomes_dormant_and_its_override_is_kept(org):
    tie = TieFactory(member=MemberFactory(organization=org), strength=0.9, strength_override=0.7)

    tie_strengths_recompute(organization=org, now=NOW)

    tie.refresh_from_db()
    assert tie.strength == 0.0
    assert tie.effective_strength == 0.7


def test_recompute_for_some_members_leaves_the_others_alone(org):
    first, second = MemberFactory(organization=org), MemberFactory(organization=org)
    first_tie = TieFactory(member=first, strength=0.0)
    second_tie = TieFactory(member=second, strength=0.0)
    interact(first, [first_tie.person])
    interact(second, [second_tie.person])

    tie_strengths_recompute(organization=org, member_ids=[first.pk], now=NOW)

    first_tie.refresh_from_db()
    second_tie.refresh_from_db()
    assert first_tie.strength > 0
    assert second_tie.strength == 0.0


def test_recompute_twice_writes_nothing_the_second_time(org):
    member = MemberFactory(organization=org)
    interact(member, [PersonFactory(organization=org)])
    assert tie_strengths_recompute(organization=org, now=NOW) == 1
    assert tie_strengths_recompute(organization=org, now=NOW) == 0


def test_recompute_never_reads_another_organizations_interactions(org):
    other_member = MemberFactory(organization=OrganizationFactory())
    interact(other_member, [PersonFactory(organization=other_member.organization)])
    MemberFactory(organization=org)

    assert tie_strengths_recompute(organization=org, now=NOW) == 0
    assert not Tie.unrestricted.filter(organization=org).exists()


def test_an_unanswered_cold_email_makes_a_weaker_tie_than_an_exchange(org):
    member = MemberFactory(organization=org)
    cold, warm = PersonFactory(organization=org), PersonFactory(organization=org)
    for days in (2, 9, 16):
        interact(member, [cold], kind="email", days_ago=days)
        interact(member, [warm], kind="email", days_ago=days)
        interact(member, [warm], kind="email", days_ago=days - 1, outbound=False)

    tie_strengths_recompute(organization=org, now=NOW)

    strengths = dict(Tie.unrestricted.filter(member=member).values_list("person_id", "strength"))
    assert strengths[warm.pk] > 4 * strengths[cold.pk]


def tie_at(member, status=CompanyStatus.OTHER, company=None):
    company = company or CompanyFactory(organization=member.organization, status=status)
    return TieFactory(member=member, person=PersonFactory(organization=member.organization, company=company))


def test_ties_are_classified_by_their_persons_company_with_customer_before_prospect(org):
    member = MemberFactory(organization=org)
    colleague = tie_at(member, company=org.own_company)
    marked_customer = tie_at(member, CompanyStatus.CUSTOMER)
    won = tie_at(member)
    DealFactory(owner=member, company=won.person.company, stage=Stage.WON)
    upsell = tie_at(member)
    DealFactory(owner=member, company=upsell.person.company, stage=Stage.WON)
    DealFactory(owner=member, company=upsell.person.company, stage=Stage.BUY_IN)
    marked_prospect = tie_at(member, CompanyStatus.PROSPECT)
    open_deal = tie_at(member)
    DealFactory(owner=member, company=open_deal.person.company, stage=Stage.SOLUTION)
    lost = tie_at(member)
    DealFactory(owner=member, company=lost.person.company, stage=Stage.LOST)
    partner = tie_at(member, CompanyStatus.PARTNER)
    nowhere = TieFactory(member=member, person=PersonFactory(organization=org, company=None))
    for tie in (colleague, marked_customer, won, upsell, marked_prospect, open_deal):
        tie.network_class = NetworkClass.MARKET
        tie.save()

    changed = ties_classify(organization=org)

    classes = dict(Tie.unrestricted.filter(member=member).values_list("id", "network_class"))
    assert classes == {
        colleague.pk: "internal",
        marked_customer.pk: "customer",
        won.pk: "customer",
        upsell.pk: "customer",
        marked_prospect.pk: "prospect",
        open_deal.pk: "prospect",
        lost.pk: "market",
        partner.pk: "market",
        nowhere.pk: "market",
    }
    assert changed == 6
    assert ties_classify(organization=org) == 0


def test_a_class_override_survives_classification_and_wins(org):
    tie = tie_at(MemberFactory(organization=org), CompanyStatus.PROSPECT)
    tie_set_class_override(tie=tie, network_class=NetworkClass.MARKET)

    ties_classify(organization=org)

    tie.refresh_from_db()
    assert tie.network_class == "prospect"
    assert tie.effective_class == "market"
    tie_set_class_override(tie=tie, network_class=None)
    tie.refresh_from_db()
    assert tie.effective_class == "prospect"


def test_overrides_refuse_values_out_of_range_and_unknown_classes(org):
    tie = TieFactory(member=MemberFactory(organization=org))
    with pytest.raises(ValidationError):
        tie_set_strength_override(tie=tie, value=0.0)
    with pytest.raises(ValidationError):
        tie_set_strength_override(tie=tie, value=1.5)
    with pytest.raises(ValidationError):
        tie_set_class_override(tie=tie, network_class="friends")
    tie_set_strength_override(tie=tie, value=1.0)
    tie.refresh_from_db()
    assert tie.effective_strength == 1.0
    tie_set_strength_override(tie=tie, value=None)
    tie.refresh_from_db()
    assert tie.strength_override is None


def test_network_recompute_creates_classifies_and_bumps_the_data_version(org):
    member = MemberFactory(organization=org)
    prospect_person = PersonFactory(
        organization=org, company=CompanyFactory(organization=org, status=CompanyStatus.PROSPECT)
    )
    interact(member, [prospect_person])
    version = Organization.objects.get(pk=org.pk).data_version

    result = network_recompute(organization=org)

    assert result == {"ties_written": 1, "classes_changed": 1}
    assert Tie.unrestricted.get(member=member).network_class == "prospect"
    assert Organization.objects.get(pk=org.pk).data_version > version


def test_the_recompute_task_runs_the_recompute_for_an_organization(org):
    member = MemberFactory(organization=org)
    interact(member, [PersonFactory(organization=org)])

    result = network_recompute_task.enqueue(org.pk)

    assert result.return_value == {"ties_written": 1, "classes_changed": 0}
    assert Tie.unrestricted.filter(member=member, strength__gt=0).count() == 1
