"""Every advice list and the keep-in-touch queue are paged with counts, with and without htmx."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from revere.network.models import Tie
from revere.playbook.selectors import keep_in_touch_queue, member_advice
from tests.factories import LinkFactory, MemberFactory, OrganizationFactory, PersonFactory, TieFactory
from tests.playbook.conftest import make_clique

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _ids(html: str, kind: str) -> list[int]:
    return [int(x) for x in re.findall(rf'data-testid="{kind}-(\d+)"', html)]


def test_the_keep_in_touch_queue_is_paged_1_50_of_60_and_the_next_page_holds_the_rest(client):
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    long_ago = timezone.now() - timedelta(days=200)
    for k in range(60):
        TieFactory(
            member=seller,
            person=PersonFactory(organization=org),
            strength=0.2,
            last_interaction=long_ago - timedelta(days=k),
        )
    ranking = [i.tie_id for i in keep_in_touch_queue(member=seller, limit=100).due]
    assert len(ranking) == 60
    client.force_login(seller.user)

    first = client.get(reverse("advice")).content.decode()
    assert 'data-testid="count-due">1–50 of 60<' in first
    assert 'href="/advice/?due=2"' in first and 'rel="prev"' not in first.split('id="advice-due"')[1]
    assert re.findall(r'id="kit-(\d+)"', first) == [str(t) for t in ranking[:50]]

    # Without JavaScript: the whole page, the second page of the queue.
    second = client.get(reverse("advice") + "?due=2").content.decode()
    assert "<html" in second and 'data-testid="count-due">51–60 of 60<' in second
    assert re.findall(r'id="kit-(\d+)"', second) == [str(t) for t in ranking[50:]]
    assert 'href="/advice/"' in second.split('id="advice-due"')[1]  # previous: page 1

    # Through htmx: the queue's section alone.
    part = client.get(reverse("advice") + "?due=2", HTTP_HX_TARGET="advice-due", **HTMX)
    html = part.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<section class="card" id="advice-due"')
    assert re.findall(r'id="kit-(\d+)"', html) == [str(t) for t in ranking[50:]]
    assert "HX-Target" in part["Vary"]

    # A page past the end shows the last one.
    past = client.get(reverse("advice") + "?due=9").content.decode()
    assert 'data-testid="count-due">51–60 of 60<' in past


def test_the_let_go_list_is_paged_and_each_page_is_the_next_slice_of_one_ranking(client):
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    make_clique(org, seller, 30)  # 30 weak ties who all know each other: 29 to let go, one kept
    whole = [c.person_id for c in member_advice(member=seller, limit=100).let_go]
    assert len(whole) == 29
    client.force_login(seller.user)

    first = client.get(reverse("advice")).content.decode()
    assert 'data-testid="count-let_go">1–25 of 29<' in first
    assert _ids(first, "let_go") == whole[:25]
    part = client.get(
        reverse("advice") + "?let_go=2", HTTP_HX_TARGET="advice-let-go", **HTMX
    ).content.decode()
    assert part.lstrip().startswith('<section class="card" id="advice-let-go"')
    assert 'data-testid="count-let_go">26–29 of 29<' in part
    assert _ids(part, "let_go") == whole[25:]
    assert 'hx-get="/advice/"' in part and 'hx-push-url="true"' in part  # back to page 1, in the address bar
    # The other lists keep their own page.
    both = client.get(reverse("advice") + "?let_go=2&due=1").content.decode()
    assert _ids(both, "let_go") == whole[25:]


def test_the_invest_list_pages_are_slices_of_one_ranking():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    old = timezone.now() - timedelta(days=300)
    for n in (5, 6, 7, 8, 9):
        p = PersonFactory(organization=org)
        TieFactory(member=seller, person=p, strength=0.2, last_interaction=old)
        for _ in range(n):
            LinkFactory(organization=org, a=p, b=PersonFactory(organization=org))
    whole = member_advice(member=seller, limit=10)
    assert whole.invest_total == 5
    ranking = [c.person_id for c in whole.invest]
    pages = [member_advice(member=seller, limit=2, invest_offset=k).invest for k in (0, 2, 4)]
    assert [c.person_id for page in pages for c in page] == ranking
    assert [c.unique_reach for c in whole.invest] == [9, 8, 7, 6, 5]
    assert Tie.objects.visible_to(seller).count() == 5
