"""Recording in the app (issue 12, point 1): the tie editor, the interaction log, stated links.

Every write checks its ids through ``visible_to`` (a forged id writes nothing), is atomic, and the
next read of the member's network sees it at once (the graph's change log, no rebuild).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from revere.contacts.models import CompanyStatus, Person
from revere.network.graph import organization_graph_clear
from revere.network.models import Interaction, InteractionParticipant, Link, LinkSource, NetworkClass, Tie
from revere.network.selectors import member_ego_networks
from revere.network.services import (
    contact_add,
    interaction_log,
    link_state,
    link_unstate,
    tie_remove,
    tie_save,
)
from revere.tenancy.models import Role
from tests import factories as f
from tests.network.test_graph_live import assert_equals_a_fresh_build

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    organization_graph_clear()
    yield
    organization_graph_clear()


@pytest.fixture
def world():
    org = f.OrganizationFactory()
    team = f.TeamFactory(organization=org)
    seller = f.MemberFactory(organization=org, team=team, person__full_name="Sam Seller")
    mate = f.MemberFactory(organization=org, team=team, person__full_name="Maya Mate")
    prospect = f.CompanyFactory(organization=org, name="Prospect Co", status=CompanyStatus.PROSPECT)
    ann = f.PersonFactory(organization=org, full_name="Ann Lee", company=prospect)
    bob = f.PersonFactory(organization=org, full_name="Bob Roe", company=prospect)
    other_org = f.OrganizationFactory()
    stranger = f.PersonFactory(organization=other_org, full_name="Out Sider")
    # Somebody else's tie and a link elsewhere: the graph is not empty before the first write.
    f.TieFactory(member=mate, strength=0.3)
    f.LinkFactory(organization=org)
    return type("W", (), dict(org=org, seller=seller, mate=mate, ann=ann, bob=bob, stranger=stranger))


def ann_bob(world):
    """The link between Ann and Bob, if any."""
    a, b = sorted((world.ann.pk, world.bob.pk))
    return Link.unrestricted.filter(a_id=a, b_id=b).first()


def size(member, cls):
    return member_ego_networks(member=member)[cls].metrics.size


# -- the tie editor ----------------------------------------------------------------------------


def test_adding_my_tie_puts_the_person_in_my_network_at_once_with_its_computed_class(world):
    assert size(world.seller, NetworkClass.PROSPECT) == 0

    tie, created = tie_save(
        member=world.seller,
        person_id=world.ann.pk,
        changes={"strength_override": 0.45, "notes": "Met at the Lisbon fair", "cadence_days": 30},
    )

    assert created and tie.is_active
    assert tie.network_class == NetworkClass.PROSPECT  # her company is a prospect
    assert tie.effective_strength == 0.45 and tie.notes == "Met at the Lisbon fair"
    assert tie.since == timezone.localdate()
    assert size(world.seller, NetworkClass.PROSPECT) == 1  # no rebuild needed
    assert_equals_a_fresh_build(world.org.pk)


def test_editing_my_tie_changes_only_what_i_state(world):
    tie_save(member=world.seller, person_id=world.ann.pk, changes={"notes": "old", "cadence_days": 14})

    tie, created = tie_save(
        member=world.seller,
        person_id=world.ann.pk,
        changes={"visibility": "private", "network_class_override": "market"},
        must_exist=True,
    )

    assert not created
    assert (tie.visibility, tie.effective_class, tie.notes, tie.cadence_days) == (
        "private",
        "market",
        "old",
        14,
    )
    assert size(world.seller, NetworkClass.MARKET) == 1 and size(world.seller, NetworkClass.PROSPECT) == 0


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"strength_override": 0}, "strength_override"),
        ({"strength_override": 1.5}, "strength_override"),
        ({"network_class_override": "friends"}, "network_class_override"),
        ({"visibility": "public"}, "visibility"),
        ({"cadence_days": 1000}, "cadence_days"),
        ({"since": timezone.localdate() + timedelta(days=3)}, "since"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_value_is_refused_by_name_and_nothing_is_written(world, changes, field):
    with pytest.raises(ValidationError) as err:
        tie_save(member=world.seller, person_id=world.ann.pk, changes=changes)
    assert field in err.value.message_dict
    assert not Tie.unrestricted.filter(member=world.seller).exists()


def test_a_forged_person_id_of_another_organization_is_not_found_and_writes_nothing(world):
    with pytest.raises(Person.DoesNotExist):
        tie_save(member=world.seller, person_id=world.stranger.pk, changes={"notes": "x"})
    with pytest.raises(Person.DoesNotExist):
        tie_save(member=world.seller, person_id=10**15, changes={})
    assert not Tie.unrestricted.filter(member=world.seller).exists()


def test_a_tie_to_myself_is_refused(world):
    with pytest.raises(ValidationError):
        tie_save(member=world.seller, person_id=world.seller.person_id, changes={})


def test_editing_a_tie_i_do_not_have_is_not_found(world):
    f.TieFactory(member=world.mate, person=world.ann, visibility="private")
    with pytest.raises(Tie.DoesNotExist):
        tie_save(member=world.seller, person_id=world.ann.pk, changes={"notes": "x"}, must_exist=True)
    assert (
        Tie.unrestricted.get(member=world.mate, person=world.ann).notes == ""
    )  # the teammate's tie is untouched


def test_removing_my_tie_takes_the_person_out_of_my_network_and_adding_it_back_restores_it(world):
    tie_save(member=world.seller, person_id=world.ann.pk, changes={"notes": "keep this"})
    assert size(world.seller, NetworkClass.PROSPECT) == 1

    tie_remove(member=world.seller, person_id=world.ann.pk)

    assert size(world.seller, NetworkClass.PROSPECT) == 0
    assert_equals_a_fresh_build(world.org.pk)
    with pytest.raises(Tie.DoesNotExist):
        tie_remove(member=world.seller, person_id=world.ann.pk)
    tie, created = tie_save(member=world.seller, person_id=world.ann.pk, changes={})
    assert not created and tie.is_active and tie.notes == "keep this"


def test_a_contact_added_with_my_tie_joins_my_network_and_a_bad_tie_leaves_no_person(world):
    person, tie = contact_add(
        member=world.seller,
        data={"full_name": "Cleo Nova", "company": world.ann.company},
        emails=["cleo@prospect.test"],
        tie={"strength_override": 0.7, "notes": "Former colleague at Acme"},
    )
    assert tie is not None and tie.person_id == person.pk and tie.network_class == NetworkClass.PROSPECT
    assert size(world.seller, NetworkClass.PROSPECT) == 1

    with pytest.raises(ValidationError):
        contact_add(member=world.seller, data={"full_name": "Dan Gone"}, tie={"strength_override": 7})
    assert not Person.unrestricted.filter(full_name="Dan Gone").exists()


# -- the interaction log -----------------------------------------------------------------------


def test_logging_a_meeting_with_a_contact_and_a_colleague_ties_strengthens_and_links_them(world):
    logged = interaction_log(
        member=world.seller,
        kind="meeting",
        person_ids=[world.ann.pk, world.mate.person_id],
        subject="Kick-off",
    )

    i = logged.interaction
    assert (i.kind, i.member_id, i.audience, i.subject) == ("meeting", world.seller.pk, 3, "Kick-off")
    assert set(
        InteractionParticipant.unrestricted.filter(interaction=i).values_list("person_id", flat=True)
    ) == {
        world.seller.person_id,
        world.ann.pk,
        world.mate.person_id,
    }
    ties = {t.person_id: t for t in Tie.unrestricted.filter(member=world.seller)}
    assert ties[world.ann.pk].strength > 0 and ties[world.ann.pk].network_class == NetworkClass.PROSPECT
    assert ties[world.mate.person_id].network_class == NetworkClass.INTERNAL
    assert ties[world.ann.pk].last_interaction is not None
    a, b = sorted((world.ann.pk, world.mate.person_id))
    link = Link.unrestricted.get(a_id=a, b_id=b)
    assert (link.source, link.weight) == (LinkSource.MET_TOGETHER, 0.5)  # three in a room
    assert logged.links_added == 1
    assert size(world.seller, NetworkClass.PROSPECT) == 1 and size(world.seller, NetworkClass.INTERNAL) == 1
    assert member_ego_networks(member=world.seller)[NetworkClass.PROSPECT].metrics.mean_strength > 0
    assert_equals_a_fresh_build(world.org.pk)


def test_a_second_meeting_makes_the_tie_stronger_and_the_link_heavier(world):
    first = interaction_log(member=world.seller, kind="meeting", person_ids=[world.ann.pk, world.bob.pk])
    before = first.ties[0].strength
    second = interaction_log(member=world.seller, kind="meeting", person_ids=[world.ann.pk, world.bob.pk])
    assert second.ties[0].strength > before
    assert ann_bob(world).weight == 0.75
    assert second.links_strengthened == 1


def test_an_email_links_its_people_as_emailed_together_and_a_call_counts_less_than_a_meeting(world):
    interaction_log(member=world.seller, kind="email", person_ids=[world.ann.pk, world.bob.pk])
    assert ann_bob(world).source == LinkSource.EMAILED_TOGETHER
    call = interaction_log(member=world.mate, kind="call", person_ids=[world.ann.pk])
    meeting = interaction_log(member=world.seller, kind="meeting", person_ids=[world.bob.pk])
    assert call.ties[0].strength < meeting.ties[0].strength


def test_a_forged_participant_refuses_the_whole_log_and_writes_nothing(world):
    for bad in ([world.ann.pk, world.stranger.pk], [world.ann.pk, 10**15], ["x"]):
        with pytest.raises(Person.DoesNotExist):
            interaction_log(member=world.seller, kind="meeting", person_ids=bad)
    assert not Interaction.unrestricted.exists()
    assert not Tie.unrestricted.filter(member=world.seller).exists()


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"kind": "dinner"}, "kind"),
        ({"occurred_at": timezone.now() + timedelta(days=2)}, "occurred_at"),
        ({"subject": "x" * 301}, "subject"),
        ({"person_ids": []}, "participants"),
    ],
)
def test_a_bad_log_is_refused_by_name(world, kwargs, field):
    args = {"kind": "call", "person_ids": [world.ann.pk], **kwargs}
    with pytest.raises(ValidationError) as err:
        interaction_log(member=world.seller, **args)
    assert field in err.value.message_dict
    assert not Interaction.unrestricted.exists()


def test_logging_ends_a_snooze_brings_back_a_removed_tie_and_confirms_a_stated_link(world):
    tie_save(member=world.seller, person_id=world.ann.pk, changes={})
    Tie.unrestricted.filter(member=world.seller).update(
        snoozed_until=timezone.localdate() + timedelta(days=9)
    )
    tie_remove(member=world.seller, person_id=world.ann.pk)
    link_state(member=world.seller, a_id=world.ann.pk, b_id=world.bob.pk)

    when = timezone.now() - timedelta(days=40)
    logged = interaction_log(
        member=world.seller, kind="meeting", person_ids=[world.ann.pk, world.bob.pk], occurred_at=when
    )

    ann = next(t for t in logged.ties if t.person_id == world.ann.pk)
    assert ann.is_active and ann.snoozed_until is None and ann.last_interaction == when
    assert ann_bob(world).source == LinkSource.MET_TOGETHER
    assert_equals_a_fresh_build(world.org.pk)


def test_my_own_person_among_the_participants_is_ignored(world):
    logged = interaction_log(
        member=world.seller, kind="call", person_ids=[world.seller.person_id, world.ann.pk]
    )
    assert [p.pk for p in logged.persons] == [world.ann.pk]
    with pytest.raises(ValidationError):
        interaction_log(member=world.seller, kind="call", person_ids=[world.seller.person_id])


# -- stated links ------------------------------------------------------------------------------


def test_stating_that_two_contacts_know_each_other_links_them_and_undo_takes_it_back(world):
    link, created = link_state(member=world.seller, a_id=world.bob.pk, b_id=world.ann.pk)
    assert created and link.source == LinkSource.STATED and link.stated_by == world.seller
    assert link.a_id < link.b_id
    assert_equals_a_fresh_build(world.org.pk)

    link_unstate(member=world.seller, a_id=world.ann.pk, b_id=world.bob.pk)

    assert ann_bob(world) is None
    assert_equals_a_fresh_build(world.org.pk)
    with pytest.raises(Link.DoesNotExist):
        link_unstate(member=world.seller, a_id=world.ann.pk, b_id=world.bob.pk)


def test_a_link_on_record_is_left_alone_by_a_statement_and_cannot_be_undone(world):
    f.LinkFactory(organization=world.org, a=world.ann, b=world.bob, source=LinkSource.ORG_CHART, weight=0.9)
    link, created = link_state(member=world.seller, a_id=world.ann.pk, b_id=world.bob.pk, weight=0.2)
    assert not created and (link.source, link.weight) == (LinkSource.ORG_CHART, 0.9)
    with pytest.raises(ValidationError):
        link_unstate(member=world.seller, a_id=world.ann.pk, b_id=world.bob.pk)
    assert ann_bob(world).source == LinkSource.ORG_CHART


def test_only_who_stated_a_link_or_an_admin_takes_it_back(world):
    link_state(member=world.seller, a_id=world.ann.pk, b_id=world.bob.pk)
    with pytest.raises(PermissionDenied):
        link_unstate(member=world.mate, a_id=world.ann.pk, b_id=world.bob.pk)
    admin = f.MemberFactory(organization=world.org, role=Role.ADMIN)
    link_unstate(member=admin, a_id=world.ann.pk, b_id=world.bob.pk)
    assert ann_bob(world) is None


def test_a_stated_link_with_a_forged_or_same_person_is_refused(world):
    with pytest.raises(Person.DoesNotExist):
        link_state(member=world.seller, a_id=world.ann.pk, b_id=world.stranger.pk)
    with pytest.raises(ValidationError):
        link_state(member=world.seller, a_id=world.ann.pk, b_id=world.ann.pk)
    with pytest.raises(ValidationError):
        link_state(member=world.seller, a_id=world.ann.pk, b_id=world.bob.pk, weight=0)
    assert ann_bob(world) is None
