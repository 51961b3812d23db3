"""The keep-in-touch queue: cadences by network and role, overridable per tie; done and snooze."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from revere.deals.models import Stage
from revere.network.models import Interaction, InteractionParticipant, NetworkClass
from revere.playbook.selectors import keep_in_touch_queue
from revere.playbook.services import tie_set_cadence, tie_snooze, tie_touch_done
from revere.tenancy.models import Organization
from tests.factories import (
    BuyingRoleFactory,
    DealFactory,
    MemberFactory,
    ReferenceFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


def ago(days: int) -> datetime:
    return timezone.make_aware(datetime(2026, 6, 1, 12)) - timedelta(days=days)


def due_names(member, **kw):
    return [i.name for i in keep_in_touch_queue(member=member, today=TODAY, **kw).due]


def test_each_network_class_has_its_own_default_cadence():
    seller = MemberFactory()
    TieFactory(
        member=seller,
        person__full_name="Pia Prospect",
        network_class=NetworkClass.PROSPECT,
        last_interaction=ago(22),
    )
    TieFactory(
        member=seller,
        person__full_name="Max Market",
        network_class=NetworkClass.MARKET,
        last_interaction=ago(100),
    )
    TieFactory(
        member=seller,
        person__full_name="Mia Market",
        network_class=NetworkClass.MARKET,
        last_interaction=ago(130),
    )

    queue = keep_in_touch_queue(member=seller, today=TODAY)

    # Most overdue relative to the cadence first: 130/120 > 22/21; Max (100/120) is not due yet.
    assert [i.name for i in queue.due] == ["Mia Market", "Pia Prospect"]
    assert queue.due[1].cadence_reason == "Prospect network default: every 21 days"
    assert (queue.due[0].overdue_days, queue.due[1].overdue_days) == (10, 1)


def test_a_buying_role_or_a_reference_shortens_the_cadence():
    seller = MemberFactory()
    buyer = TieFactory(
        member=seller,
        person__full_name="Eve Buyer",
        network_class=NetworkClass.PROSPECT,
        last_interaction=ago(15),
    )
    ref = TieFactory(
        member=seller,
        person__full_name="Rex Ref",
        network_class=NetworkClass.CUSTOMER,
        last_interaction=ago(31),
    )
    BuyingRoleFactory(
        deal=DealFactory(owner=seller, stage=Stage.BUY_IN), person=buyer.person, role="economic_buyer"
    )
    BuyingRoleFactory(deal=DealFactory(owner=seller, stage=Stage.LOST), person=ref.person, role="champion")
    ReferenceFactory(organization=seller.organization, person=ref.person)

    queue = keep_in_touch_queue(member=seller, today=TODAY)

    reasons = {i.name: i.cadence_reason for i in queue.due}
    assert reasons == {
        "Eve Buyer": "Economic buyer on an open deal: every 14 days",
        "Rex Ref": "A consenting reference: every 30 days",
    }


def test_the_members_own_cadence_wins_and_zero_turns_reminders_off():
    seller = MemberFactory()
    quiet = TieFactory(member=seller, network_class=NetworkClass.PROSPECT, last_interaction=ago(60))
    close = TieFactory(
        member=seller,
        person__full_name="Cal Close",
        network_class=NetworkClass.MARKET,
        last_interaction=ago(8),
    )

    tie_set_cadence(member=seller, tie_id=quiet.pk, cadence_days=0)
    tie_set_cadence(member=seller, tie_id=close.pk, cadence_days=7)

    queue = keep_in_touch_queue(member=seller, today=TODAY)
    assert [(i.name, i.cadence_reason) for i in queue.due] == [("Cal Close", "Your setting: every 7 days")]


def test_a_snoozed_tie_leaves_the_queue_until_the_snooze_ends():
    seller = MemberFactory()
    tie = TieFactory(member=seller, network_class=NetworkClass.PROSPECT, last_interaction=ago(40))

    tie_snooze(member=seller, tie_id=tie.pk, days=7, today=TODAY)

    assert keep_in_touch_queue(member=seller, today=TODAY).due == []
    assert keep_in_touch_queue(member=seller, today=TODAY).snoozed == 1
    assert len(keep_in_touch_queue(member=seller, today=TODAY + timedelta(days=7)).due) == 1


def test_done_records_a_real_interaction_and_takes_the_tie_off_the_queue():
    seller = MemberFactory()
    tie = TieFactory(
        member=seller,
        network_class=NetworkClass.PROSPECT,
        last_interaction=timezone.now() - timedelta(days=40),
    )
    version = Organization.objects.get(pk=seller.organization_id).data_version

    done = tie_touch_done(member=seller, tie_id=tie.pk, kind="meeting")

    interaction = Interaction.unrestricted.get(member=seller)
    assert interaction.kind == "meeting"
    assert set(
        InteractionParticipant.unrestricted.filter(interaction=interaction).values_list(
            "person_id", flat=True
        )
    ) == {seller.person_id, tie.person_id}
    assert done.last_interaction == interaction.occurred_at
    assert done.strength > 0  # recomputed from the interaction
    assert keep_in_touch_queue(member=seller).total_due == 0
    assert Organization.objects.get(pk=seller.organization_id).data_version > version


def test_nobody_keeps_in_touch_on_someone_elses_tie(client):
    seller = MemberFactory()
    other = MemberFactory(organization=seller.organization)
    tie = TieFactory(member=other, network_class=NetworkClass.PROSPECT)
    client.force_login(seller.user)

    assert client.post(reverse("keep_in_touch_done", args=[tie.pk]), {"kind": "call"}).status_code == 404
    assert client.post(reverse("keep_in_touch_snooze", args=[tie.pk]), {"days": 7}).status_code == 404
    assert not Interaction.unrestricted.exists()


def test_done_and_snooze_through_htmx_replace_the_row_and_refresh_the_count(client):
    seller = MemberFactory()
    a = TieFactory(
        member=seller,
        person__full_name="Al Due",
        network_class=NetworkClass.PROSPECT,
        last_interaction=timezone.now() - timedelta(days=40),
    )
    b = TieFactory(
        member=seller,
        person__full_name="Bo Due",
        network_class=NetworkClass.PROSPECT,
        last_interaction=timezone.now() - timedelta(days=30),
    )
    client.force_login(seller.user)
    assert "Al Due" in client.get(reverse("advice")).content.decode()

    r = client.post(reverse("keep_in_touch_done", args=[a.pk]), {"kind": "call"}, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 200
    assert f'id="kit-{a.pk}"' in html and "Done: Al Due (call)." in html
    assert '<span id="kit-total" hx-swap-oob="true">1</span>' in html

    r = client.post(reverse("keep_in_touch_snooze", args=[b.pk]), {"days": 14}, HTTP_HX_REQUEST="true")
    assert "Snoozed Bo Due until" in r.content.decode()
    assert '<span id="kit-total" hx-swap-oob="true">0</span>' in r.content.decode()

    r = client.post(reverse("keep_in_touch_cadence", args=[b.pk]), {"cadence_days": "10"})
    assert r.status_code == 302  # without htmx: back to the page
