"""The deal pages on the real database: the board, a deal, forged ids, who sees what, query budgets."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from revere.contacts.models import CompanyStatus
from revere.deals.models import Deal, DealStageChange, Stage
from revere.network.graph import organization_graph_clear
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
    east = f.TeamFactory(organization=org, name="East")
    west = f.TeamFactory(organization=org, name="West")
    seller = f.MemberFactory(organization=org, team=east, person__full_name="Sam Seller")
    mate = f.MemberFactory(organization=org, team=east, person__full_name="Maya Mate")
    other = f.MemberFactory(organization=org, team=west, person__full_name="Olga Other")
    acme = f.CompanyFactory(organization=org, name="Acme Freight", status=CompanyStatus.PROSPECT)
    globex = f.CompanyFactory(organization=org, name="Globex", status=CompanyStatus.PROSPECT)
    cfo = f.PersonFactory(organization=org, company=acme, full_name="Frank Money", title="CFO")
    cto = f.PersonFactory(organization=org, company=acme, full_name="Tina Tech", title="CTO")
    mine = f.DealFactory(
        owner=seller, company=acme, name="Acme fleet tracking", stage=Stage.BUY_IN, amount=Decimal("120000")
    )
    mates = f.DealFactory(
        owner=mate, company=globex, name="Globex pilot", stage=Stage.CLOSE, amount=Decimal("30000")
    )
    hidden = f.DealFactory(owner=other, company=globex, name="Globex west rollout", stage=Stage.SOLUTION)
    f.BuyingRoleFactory(deal=mine, person=cfo, role="economic_buyer", stance="neutral")
    f.BuyingRoleFactory(deal=mine, person=cto, role="champion", stance="supporter")
    DealStageChange.unrestricted.create(
        organization=org,
        deal=mine,
        from_stage="",
        to_stage=Stage.IDENTIFY,
        changed_at=timezone.now() - timedelta(days=40),
        changed_by=seller,
    )
    DealStageChange.unrestricted.create(
        organization=org,
        deal=mine,
        from_stage=Stage.IDENTIFY,
        to_stage=Stage.BUY_IN,
        changed_at=timezone.now() - timedelta(days=12),
        changed_by=seller,
    )
    stranger = f.DealFactory(name="Their secret deal")
    client.force_login(seller.user)
    return type(
        "W",
        (),
        dict(
            org=org,
            seller=seller,
            mate=mate,
            other=other,
            acme=acme,
            globex=globex,
            cfo=cfo,
            cto=cto,
            mine=mine,
            mates=mates,
            hidden=hidden,
            stranger=stranger,
            client=client,
        ),
    )


def test_the_board_shows_six_columns_with_the_sellers_and_team_deals_and_totals(world):
    response = world.client.get(reverse("deals"))
    html = response.content.decode()
    assert response.status_code == 200
    for stage in ("identify", "buy_in", "solution", "close", "won", "lost"):
        assert f'data-testid="col-{stage}"' in html
    assert "Acme fleet tracking" in html and "Globex pilot" in html
    assert "Globex west rollout" not in html and "Their secret deal" not in html
    assert 'data-testid="col-total-buy_in">120,000<' in html
    assert 'data-testid="col-total-close">30,000<' in html
    assert "12 days" in html  # in stage since the last change
    assert "<script>" not in html and "onclick" not in html


def test_every_value_on_a_card_is_escaped_names_owners_companies_and_warnings(world):
    hostile = '<img src=x onerror="alert(1)">'
    company = f.CompanyFactory(organization=world.org, name=f"Evil & {hostile}")
    world.seller.person.full_name = f"Sam {hostile}"
    world.seller.person.save()
    f.DealFactory(owner=world.seller, company=company, name=f"Deal {hostile}", stage=Stage.BUY_IN)
    html = world.client.get(reverse("deals")).content.decode()
    assert hostile not in html
    escaped = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    assert f"Deal {escaped}" in html and f"Evil &amp; {escaped}" in html and f"Sam {escaped}" in html
    assert f"Move Deal {escaped} to" in html  # the label of the card's Move to… list


def test_the_board_filters_by_owner_company_amount_and_close_and_answers_htmx_with_the_board_alone(world):
    url = reverse("deals")
    html = world.client.get(url, {"owner": world.mate.pk}).content.decode()
    assert "Globex pilot" in html and "Acme fleet tracking" not in html
    html = world.client.get(url, {"company": world.acme.pk}).content.decode()
    assert "Acme fleet tracking" in html and "Globex pilot" not in html
    html = world.client.get(url, {"amount_min": "50000"}).content.decode()
    assert "Acme fleet tracking" in html and "Globex pilot" not in html
    html = world.client.get(url, {"amount_min": "lots"}).content.decode()  # unreadable: ignored
    assert "Acme fleet tracking" in html and "Globex pilot" in html
    partial = world.client.get(url, {"owner": world.seller.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="board"') and "<html" not in partial


def test_a_deal_page_shows_header_history_roles_and_the_committee_to_log_with(world):
    response = world.client.get(reverse("deal", args=[world.mine.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Acme fleet tracking" in html and f'href="/companies/{world.acme.pk}/"' in html
    assert (
        "Identify prospects → 2 · Build buy-in" in html or "1 · Identify prospects → 2 · Build buy-in" in html
    )
    assert "Frank Money" in html and "Economic buyer" in html and "Supporter" in html
    assert 'data-testid="log-form"' in html and f'data-pick="{world.cfo.pk}"' in html


@pytest.mark.parametrize("which", ["hidden", "stranger"])
def test_a_deal_the_seller_may_not_see_or_a_forged_id_is_a_404(world, which):
    deal = getattr(world, which)
    assert world.client.get(reverse("deal", args=[deal.pk])).status_code == 404
    assert world.client.get(reverse("deal", args=[999999])).status_code == 404


def test_a_teammates_deal_is_visible_to_the_seller(world):
    assert world.client.get(reverse("deal", args=[world.mates.pk])).status_code == 200


def test_the_board_and_a_deal_page_keep_a_bounded_number_of_queries(world):
    for i in range(30):
        d = f.DealFactory(owner=world.seller, company=world.acme, stage=Stage.IDENTIFY, amount=Decimal(i))
        f.BuyingRoleFactory(deal=d, person=world.cfo, role="champion")
    assert world.client.get(reverse("deals")).status_code == 200  # the graph is loaded once
    with CaptureQueriesContext(connection) as few:
        assert world.client.get(reverse("deals")).status_code == 200
    for i in range(30):
        f.DealFactory(owner=world.mate, company=world.globex, stage=Stage.CLOSE, amount=Decimal(i))
    with CaptureQueriesContext(connection) as many:
        assert world.client.get(reverse("deals")).status_code == 200
    assert len(many) == len(few) <= 25
    with CaptureQueriesContext(connection) as page:
        assert world.client.get(reverse("deal", args=[world.mine.pk])).status_code == 200
    assert len(page) <= 40


@pytest.mark.parametrize("stage", ["identify", "buy_in", "solution", "close"])
def test_each_stages_playbook_page_keeps_the_same_queries_with_ten_times_the_people(world, stage):
    """The budget of a deal page at each stage's tab does not grow with the references, experts,
    buying roles and ties it ranks (reads are per kind, never per item)."""
    world.mine.needed_expertise = ["cloud", "security"]
    world.mine.save()
    url = reverse("deal", args=[world.mine.pk]) + f"?stage={stage}"
    own = world.org.own_company

    def grow(k):
        for i in range(k):
            skills = ["cloud", "security"][: 1 + i % 2]
            expert = f.PersonFactory(organization=world.org, company=own, expertise=skills)
            f.TieFactory(member=world.seller, person=expert, strength=0.6, network_class="internal")
            customer = f.CompanyFactory(organization=world.org, name=f"Customer {stage} {k} {i}")
            ref = f.PersonFactory(organization=world.org, company=customer)
            f.ReferenceFactory(organization=world.org, person=ref, consent=True)
            f.TieFactory(member=world.seller, person=ref, strength=0.5, network_class="customer")
            buyer = f.PersonFactory(organization=world.org, company=world.acme)
            f.BuyingRoleFactory(deal=world.mine, person=buyer, role="user")
            f.TieFactory(member=world.seller, person=buyer, strength=0.4, network_class="prospect")
            bridge = f.PersonFactory(organization=world.org)
            f.TieFactory(member=world.seller, person=bridge, strength=0.3, network_class="market")
            f.LinkFactory(organization=world.org, a=bridge, b=buyer, weight=0.5)
        organization_graph_clear()
        assert world.client.get(url).status_code == 200  # the graph is loaded once

    grow(2)
    with CaptureQueriesContext(connection) as few:
        assert world.client.get(url).status_code == 200
    grow(20)
    with CaptureQueriesContext(connection) as many:
        response = world.client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few) <= 40
    html = response.content.decode()
    shown = {
        "identify": 'class="bridges"',
        "buy_in": 'data-testid="coverage"',
        "solution": 'data-testid="experts"',
        "close": 'data-testid="reference"',
    }[stage]
    assert shown in html
    if stage == "close":
        assert html.count('data-testid="reference"') == 10  # the ten best of 22


# ---- writes through the pages --------------------------------------------------------------------


def test_a_deal_is_created_and_edited_in_the_app(world):
    url = reverse("deal_new")
    page = world.client.get(url, {"company": world.acme.pk}).content.decode()
    assert 'value="Acme Freight"' in page
    response = world.client.post(
        url,
        {
            "name": "Acme telematics",
            "company": "Acme Freight",
            "amount": "45000",
            "currency": "eur",
            "owner": world.seller.pk,
            "needed_expertise": "telematics, SAP",
        },
    )
    deal = Deal.unrestricted.get(name="Acme telematics")
    assert response.status_code == 302 and response["Location"] == reverse("deal", args=[deal.pk])
    assert (deal.stage, deal.currency, deal.needed_expertise) == (
        Stage.IDENTIFY,
        "EUR",
        ["telematics", "SAP"],
    )
    assert DealStageChange.unrestricted.filter(deal=deal, from_stage="", to_stage=Stage.IDENTIFY).exists()
    bad = world.client.post(
        url, {"name": "", "company": "Acme Freight", "currency": "USD", "owner": world.seller.pk}
    )
    assert bad.status_code == 400 and Deal.unrestricted.filter(organization=world.org).count() == 4
    edit = reverse("deal_edit", args=[deal.pk])
    response = world.client.post(
        edit,
        {
            "name": "Acme telematics v2",
            "company": "Acme Freight",
            "currency": "EUR",
            "owner": world.seller.pk,
        },
    )
    assert response.status_code == 302
    assert Deal.unrestricted.get(pk=deal.pk).name == "Acme telematics v2"
    # a teammate's deal is seen, not edited; another team's is not even seen
    assert world.client.get(reverse("deal_edit", args=[world.mates.pk])).status_code == 403
    assert world.client.get(reverse("deal_edit", args=[world.hidden.pk])).status_code == 404


def test_a_board_move_refused_by_a_check_asks_for_a_reason_then_moves_flagged(world):
    url = reverse("deal_move", args=[world.mine.pk])
    htmx = {"HTTP_HX_REQUEST": "true"}
    refused = world.client.post(url, {"to_stage": Stage.SOLUTION, "from": "board"}, **htmx)
    html = refused.content.decode()
    assert refused.status_code == 200 and html.startswith('<div id="board"')
    assert 'data-kind="refused"' in html and 'data-testid="reason-form"' in html and "buyer thread" in html
    assert Deal.unrestricted.get(pk=world.mine.pk).stage == Stage.BUY_IN
    moved = world.client.post(
        url, {"to_stage": Stage.SOLUTION, "from": "board", "reason": "CFO lunch booked"}, **htmx
    ).content.decode()
    assert 'data-kind="moved"' in moved and "Flagged" in moved
    last = DealStageChange.unrestricted.filter(deal=world.mine).order_by("-pk").first()
    assert (last.to_stage, last.flagged, last.reason) == (Stage.SOLUTION, True, "CFO lunch booked")
    page = world.client.get(reverse("deal", args=[world.mine.pk])).content.decode()
    assert 'data-testid="history-flag"' in page and "CFO lunch booked" in page


def test_a_move_from_the_deal_page_without_js_and_the_illegal_ones(world):
    url = reverse("deal_move", args=[world.mine.pk])
    assert world.client.post(url, {"to_stage": Stage.WON}).status_code == 409  # a reason is needed
    assert world.client.post(url, {"to_stage": "nowhere"}).status_code == 400
    assert (
        world.client.post(
            reverse("deal_move", args=[world.mates.pk]), {"to_stage": Stage.LOST, "reason": "x"}
        ).status_code
        == 403
    )
    assert (
        world.client.post(
            reverse("deal_move", args=[world.hidden.pk]), {"to_stage": Stage.LOST, "reason": "x"}
        ).status_code
        == 404
    )
    response = world.client.post(url, {"to_stage": Stage.LOST, "reason": "budget cut"})
    assert response.status_code == 302
    assert Deal.unrestricted.get(pk=world.mates.pk).stage == Stage.CLOSE
    assert Deal.unrestricted.get(pk=world.mine.pk).stage == Stage.LOST


def test_team_roles_and_a_reference_through_the_deal_page(world):
    from revere.deals.models import BuyingRole, ReferenceUse
    from revere.levers.models import Contribution

    deal = world.mine
    assert (
        world.client.post(reverse("deal_team_add", args=[deal.pk]), {"teammate": world.mate.pk}).status_code
        == 302
    )
    assert deal.team.through.objects.filter(deal_id=deal.pk, member_id=world.mate.pk).exists()
    forged = world.client.post(
        reverse("deal_team_add", args=[deal.pk]), {"teammate": world.stranger.owner.pk}
    )
    assert (
        forged.status_code == 302
        and not deal.team.through.objects.filter(member_id=world.stranger.owner.pk).exists()
    )
    world.client.post(
        reverse("deal_role_set", args=[deal.pk]),
        {"person": world.cto.pk, "role": "user", "stance": "opponent"},
    )
    assert BuyingRole.unrestricted.filter(
        deal=deal, person=world.cto, role="user", stance="opponent"
    ).exists()
    world.client.post(reverse("deal_role_remove", args=[deal.pk]), {"person": world.cto.pk, "role": "user"})
    assert not BuyingRole.unrestricted.filter(deal=deal, person=world.cto, role="user").exists()
    customer = f.CompanyFactory(organization=world.org, status=CompanyStatus.CUSTOMER, industry="Software")
    ref_person = f.PersonFactory(organization=world.org, company=customer, full_name="Rita Reference")
    f.ReferenceFactory(organization=world.org, person=ref_person)
    f.TieFactory(member=world.mate, person=ref_person, strength=0.8)
    organization_graph_clear()
    page = world.client.get(reverse("deal", args=[deal.pk]), {"stage": "close"}).content.decode()
    assert "Rita Reference" in page and 'data-testid="reference-request"' in page
    world.client.post(reverse("deal_reference_request", args=[deal.pk]), {"person": ref_person.pk})
    use = ReferenceUse.unrestricted.get(deal=deal)
    credit = Contribution.unrestricted.get(reference_use=use)
    assert (use.status, credit.member_id, credit.status) == ("pending", world.mate.pk, "pending")
    world.client.post(reverse("deal_reference_update", args=[deal.pk, use.pk]), {"status": "used"})
    use.refresh_from_db()
    credit.refresh_from_db()
    assert (use.status, credit.status) == ("used", "made")


def test_the_leads_page_offers_to_start_a_deal(world):
    target = f.CompanyFactory(organization=world.org, name="Initech")
    inside = f.PersonFactory(organization=world.org, company=target)
    friend = f.PersonFactory(organization=world.org, full_name="Fred Friend")
    f.TieFactory(member=world.seller, person=friend, strength=0.6)
    f.LinkFactory(organization=world.org, a=friend, b=inside, weight=0.5)
    organization_graph_clear()
    html = world.client.get(reverse("deal_leads")).content.decode()
    assert "Initech" in html and "Fred Friend" in html
    assert f'href="{reverse("deal_new")}?company={target.pk}"' in html
