"""The record pages: my tie on a person's page, logging an interaction, stated links, a new contact
with my tie, the typeahead, the keep-in-touch queue's Log… form. Forged ids are 404s."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from revere.contacts.models import CompanyStatus, Person
from revere.network.graph import organization_graph_clear
from revere.network.models import Interaction, Link, LinkSource, NetworkClass, Tie
from revere.network.selectors import member_ego_networks
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    organization_graph_clear()
    yield
    organization_graph_clear()


@pytest.fixture
def world(client):
    org = f.OrganizationFactory()
    team = f.TeamFactory(organization=org)
    seller = f.MemberFactory(organization=org, team=team, person__full_name="Sam Seller")
    mate = f.MemberFactory(organization=org, team=team, person__full_name="Maya Mate")
    prospect = f.CompanyFactory(organization=org, name="Acme", status=CompanyStatus.PROSPECT)
    ann = f.PersonFactory(organization=org, full_name="Ann Lee", company=prospect, title="CFO")
    bob = f.PersonFactory(organization=org, full_name="Bob Roe", company=prospect)
    stranger = f.PersonFactory(organization=f.OrganizationFactory(), full_name="Out Sider")
    client.force_login(seller.user)
    return type(
        "W", (), dict(org=org, seller=seller, mate=mate, ann=ann, bob=bob, stranger=stranger, client=client)
    )


def prospect_size(member):
    return member_ego_networks(member=member)[NetworkClass.PROSPECT].metrics.size


def test_a_persons_page_offers_to_add_my_tie_and_log_an_interaction(world):
    html = world.client.get(reverse("contact", args=[world.ann.pk])).content.decode()
    assert "Do you know Ann Lee?" in html
    assert f'action="/contacts/{world.ann.pk}/tie/"' in html
    assert 'data-testid="log-form"' in html and f'value="{world.ann.pk}"' in html  # Ann's chip
    assert "<script>" not in html and "onclick" not in html


def test_my_own_page_has_no_tie_or_log_form(world):
    html = world.client.get(reverse("contact", args=[world.seller.person_id])).content.decode()
    assert 'data-testid="my-tie"' not in html


def test_adding_my_tie_on_the_page_puts_them_in_my_network_and_the_page_says_so(world):
    response = world.client.post(
        reverse("record_tie", args=[world.ann.pk]),
        {"tie-how_well": "working", "tie-notes": "Met at the Lisbon fair", "tie-visibility": "team"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("contact", args=[world.ann.pk])
    tie = Tie.unrestricted.get(member=world.seller, person=world.ann)
    assert (tie.strength_override, tie.notes, tie.network_class) == (
        0.45,
        "Met at the Lisbon fair",
        "prospect",
    )
    assert prospect_size(world.seller) == 1
    page = world.client.get(response["Location"]).content.decode()
    assert "Your tie to Ann Lee added" in page and "Your tie to Ann Lee" in page
    assert "Met at the Lisbon fair" in page and "Edit your tie" in page


def test_a_bad_tie_value_shows_the_form_again_with_its_error(world):
    response = world.client.post(
        reverse("record_tie", args=[world.ann.pk]), {"tie-cadence_days": "9999", "tie-visibility": "team"}
    )
    assert response.status_code == 400 and "730" in response.content.decode()
    assert not Tie.unrestricted.filter(member=world.seller).exists()


def test_removing_my_tie_from_the_page(world):
    f.TieFactory(member=world.seller, person=world.ann)
    response = world.client.post(reverse("record_tie_remove", args=[world.ann.pk]))
    assert response.status_code == 302
    assert not Tie.unrestricted.get(member=world.seller, person=world.ann).is_active
    assert world.client.post(reverse("record_tie_remove", args=[world.ann.pk])).status_code == 404


def test_forged_ids_on_the_record_pages_are_404s_and_write_nothing(world):
    c = world.client
    private = f.TieFactory(member=world.mate, person=world.bob, visibility="private")
    assert (
        c.post(reverse("record_tie", args=[world.stranger.pk]), {"tie-visibility": "team"}).status_code == 404
    )
    assert c.post(reverse("record_tie_remove", args=[world.stranger.pk])).status_code == 404
    assert c.post(reverse("record_tie_remove", args=[world.bob.pk])).status_code == 404  # the mate's tie
    assert (
        c.post(
            reverse("record_interaction"), {"kind": "call", "with": [world.ann.pk, world.stranger.pk]}
        ).status_code
        == 404
    )
    assert (
        c.post(
            reverse("record_link"), {"a": world.ann.pk, "b": world.stranger.pk, "how_well": "well"}
        ).status_code
        == 404
    )
    assert (
        c.post(reverse("record_link_remove"), {"a": world.ann.pk, "b": world.stranger.pk}).status_code == 404
    )
    # the keep-in-touch queue's buttons take tie ids: a teammate's private tie is not mine to touch
    assert c.post(reverse("keep_in_touch_done", args=[private.pk]), {"kind": "call"}).status_code == 404
    assert not Interaction.unrestricted.exists() and not Link.unrestricted.exists()
    assert list(Tie.unrestricted.filter(member=world.seller)) == []
    assert Tie.unrestricted.get(pk=private.pk).is_active


def test_logging_a_meeting_with_a_contact_and_a_colleague_from_the_page(world):
    yesterday = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = world.client.post(
        reverse("record_interaction"),
        {
            "kind": "meeting",
            "with": [world.ann.pk, world.mate.person_id],
            "occurred_at": yesterday,
            "subject": "Kick-off",
            "next": reverse("contact", args=[world.ann.pk]),
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("contact", args=[world.ann.pk])
    assert Interaction.unrestricted.get().subject == "Kick-off"
    assert prospect_size(world.seller) == 1
    page = world.client.get(response["Location"]).content.decode()
    assert "Logged a meeting with Ann Lee, Maya Mate." in page and "1 new link among them" in page
    assert "Kick-off" in page  # in the interactions list


def test_a_log_without_anyone_or_with_a_future_date_is_shown_again_with_the_reason(world):
    nobody = world.client.post(reverse("record_interaction"), {"kind": "call"})
    assert nobody.status_code == 400 and "Choose who else was there" in nobody.content.decode()
    future = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    later = world.client.post(
        reverse("record_interaction"), {"kind": "call", "with": [world.ann.pk], "occurred_at": future}
    )
    html = later.content.decode()
    assert later.status_code == 400 and "not in the future" in html and f'value="{world.ann.pk}"' in html
    assert not Interaction.unrestricted.exists()


def test_next_never_leaves_the_site(world):
    response = world.client.post(
        reverse("record_interaction"),
        {"kind": "call", "with": [world.ann.pk], "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("contact", args=[world.ann.pk])


def test_stating_a_link_on_the_page_and_taking_it_back(world):
    response = world.client.post(
        reverse("record_link"), {"a": world.ann.pk, "with": [world.bob.pk], "how_well": "well"}
    )
    assert response.status_code == 302
    link = Link.unrestricted.get()
    assert (link.source, link.weight, link.stated_by_id) == (LinkSource.STATED, 0.8, world.seller.pk)
    page = world.client.get(reverse("contact", args=[world.ann.pk])).content.decode()
    assert "Noted: they know Bob Roe." in page and 'data-testid="undo-link"' in page
    back = world.client.post(reverse("record_link_remove"), {"a": world.ann.pk, "b": world.bob.pk})
    assert back.status_code == 302 and not Link.unrestricted.exists()


def test_a_link_without_a_person_picked_is_shown_again(world):
    response = world.client.post(reverse("record_link"), {"a": world.ann.pk, "how_well": "well"})
    assert response.status_code == 400 and "Choose who they know" in response.content.decode()


def test_a_teammates_stated_link_shows_no_undo_and_cannot_be_taken_back(client, world):
    f.LinkFactory(
        organization=world.org, a=world.ann, b=world.bob, source=LinkSource.STATED, stated_by=world.mate
    )
    page = world.client.get(reverse("contact", args=[world.ann.pk])).content.decode()
    assert 'data-testid="undo-link"' not in page
    response = world.client.post(
        reverse("record_link_remove"), {"a": world.ann.pk, "b": world.bob.pk}, follow=True
    )
    assert "Maya Mate stated this link" in response.content.decode()
    assert Link.unrestricted.count() == 1


def test_a_contact_created_with_how_i_know_them_joins_my_network(world):
    page = world.client.get(reverse("contact_new"), {"company": world.ann.company_id}).content.decode()
    assert 'data-testid="new-contact-tie"' in page and 'name="add_tie"' in page and "checked" in page
    response = world.client.post(
        reverse("contact_new"),
        {
            "first_name": "Cleo",
            "last_name": "Nova",
            "company": "Acme",
            "emails": "cleo@acme.test",
            "add_tie": "on",
            "tie-how_well": "close",
            "tie-notes": "Former colleague",
            "tie-visibility": "team",
        },
    )
    cleo = Person.unrestricted.get(full_name="Cleo Nova")
    assert response.status_code == 302 and response["Location"] == reverse("contact", args=[cleo.pk])
    tie = Tie.unrestricted.get(member=world.seller, person=cleo)
    assert (tie.strength_override, tie.notes, tie.network_class) == (0.7, "Former colleague", "prospect")
    assert prospect_size(world.seller) == 1


def test_a_contact_created_without_the_tick_has_no_tie_and_a_bad_tie_value_creates_nobody(world):
    world.client.post(
        reverse("contact_new"), {"first_name": "Dee", "last_name": "Plain", "tie-visibility": "team"}
    )
    assert not Tie.unrestricted.filter(person__full_name="Dee Plain").exists()
    assert Person.unrestricted.filter(full_name="Dee Plain").exists()
    response = world.client.post(
        reverse("contact_new"),
        {
            "first_name": "Ed",
            "last_name": "Gone",
            "add_tie": "on",
            "tie-cadence_days": "-4",
            "tie-visibility": "team",
        },
    )
    assert response.status_code == 200 and not Person.unrestricted.filter(full_name="Ed Gone").exists()


def test_the_typeahead_lists_my_contacts_first_then_colleagues_never_me_or_another_org(world):
    f.TieFactory(member=world.seller, person=world.bob)
    f.PersonFactory(organization=world.org, full_name="Mabel Roe")
    html = world.client.get(reverse("record_people"), {"q": "roe"}).content.decode()
    assert html.index("Bob Roe") < html.index("Mabel Roe") and "your contact" in html
    mates = world.client.get(reverse("record_people"), {"q": "ma"}).content.decode()
    assert "Maya Mate" in mates and "colleague" in mates
    assert "Sam Seller" not in world.client.get(reverse("record_people"), {"q": "sam"}).content.decode()
    assert "Out Sider" not in world.client.get(reverse("record_people"), {"q": "out"}).content.decode()
    assert "Nobody matches" in world.client.get(reverse("record_people"), {"q": "zzz"}).content.decode()


def test_the_keep_in_touch_queue_opens_the_log_form_in_place_with_the_person_in_it(world):
    tie = f.TieFactory(
        member=world.seller,
        person=world.ann,
        network_class="prospect",
        strength=0.4,
        last_interaction=timezone.now() - timedelta(days=100),
    )
    advice = world.client.get(reverse("advice")).content.decode()
    assert 'data-testid="log-more"' in advice
    form = world.client.get(
        reverse("record_interaction"),
        {"with": world.ann.pk, "key": tie.pk, "next": "/advice/"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "<html" not in form and f'id="log-with-{tie.pk}"' in form and 'value="/advice/"' in form
    assert f'id="id_log{tie.pk}_kind"' in form
    response = world.client.post(
        reverse("record_interaction"),
        {"kind": "call", "with": [world.ann.pk, world.bob.pk], "next": "/advice/"},
    )
    assert response["Location"] == "/advice/"
