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
from revere.deals.models import DealStageChange, Stage
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
