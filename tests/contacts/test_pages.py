"""The contact pages: lists with budgets of queries, details, org charts, 404 across organizations."""

from __future__ import annotations

import pytest
from django.urls import reverse

from revere.deals.models import Stage
from revere.network.models import InteractionParticipant, Tie, Visibility
from tests import factories as f

pytestmark = pytest.mark.django_db

# Session, user and member, then the page's own reads: count, rows, ties, the filters' facets.
LIST_BUDGET = 10


def test_the_navigation_shows_contacts_and_companies(signed_in):
    html = signed_in.get(reverse("home")).content.decode()
    assert f'href="{reverse("contacts")}"' in html and f'href="{reverse("companies")}"' in html


def test_the_contact_list_renders_a_page_of_fifty_in_a_fixed_number_of_queries(
    signed_in, crowd, django_assert_max_num_queries
):
    with django_assert_max_num_queries(LIST_BUDGET):
        response = signed_in.get(reverse("contacts"))
    assert response.status_code == 200
    page = response.context["page"]
    assert len(page.rows) == 50 and page.count == 63  # sixty persons and the three members
    html = response.content.decode()
    assert "You · " in html


def test_the_contact_list_costs_the_same_for_six_hundred_persons(
    signed_in, crowd, django_assert_max_num_queries
):
    for _ in range(540):
        f.PersonFactory(organization=crowd["org"], company=crowd["companies"][0])
    with django_assert_max_num_queries(LIST_BUDGET):
        response = signed_in.get(reverse("contacts"), {"page": 3, "q": "first"})
    assert response.status_code == 200 and len(response.context["page"].rows) == 50


def test_htmx_gets_only_the_results(signed_in, crowd):
    response = signed_in.get(reverse("contacts"), {"q": "Title 7"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="results"' in html and "<html" not in html
    assert "Title 7" in html


def test_the_contact_list_ignores_nonsense_filters(signed_in):
    response = signed_in.get(
        reverse("contacts"), {"page": "x", "status": "nope", "company": "abc", "tied": "1"}
    )
    assert response.status_code == 200 and response.context["page"].count == 63


def test_the_company_list_renders_in_a_fixed_number_of_queries(
    signed_in, crowd, django_assert_max_num_queries
):
    with django_assert_max_num_queries(LIST_BUDGET + 2):
        response = signed_in.get(reverse("companies"))
    assert response.status_code == 200
    names = [r.company.name for r in response.context["page"].rows]
    assert "Firm 0" in names and all(
        r.people == 10 for r in response.context["page"].rows if r.company.name.startswith("Firm")
    )


def test_a_person_page_shows_ties_links_interactions_and_reports(
    signed_in, crowd, django_assert_max_num_queries
):
    org, me, ann, _bob = crowd["org"], crowd["me"], crowd["ann"], crowd["bob"]
    p = crowd["persons"][0]  # tied to me, ann (team) and bob (private)
    boss = f.PersonFactory(organization=org, full_name="Big Boss")
    p.reports_to = boss
    p.save()
    f.LinkFactory(organization=org, a=p, b=crowd["persons"][1], source="met", weight=0.8)
    i = f.InteractionFactory(member=me, subject="Quarterly review")
    InteractionParticipant.unrestricted.create(organization=org, interaction=i, person=p)
    hidden = f.InteractionFactory(member=ann, subject="Ann's private lunch")
    InteractionParticipant.unrestricted.create(organization=org, interaction=hidden, person=p)
    Tie.unrestricted.filter(member=me, person=p).update(notes="Met at the fair")
    Tie.unrestricted.filter(member=ann, person=p).update(notes="ann's secret")
    with django_assert_max_num_queries(18):
        response = signed_in.get(reverse("contact", args=[p.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Big Boss" in html and "Quarterly review" in html and "Met together" in html
    assert "Met at the fair" in html and "ask Bob Teammate" in html and "Ann Teammate · " in html
    assert 'data-testid="own-tie"' in html and "your team sees its strength band" in html
    assert "ann&#x27;s secret" not in html and "ann's secret" not in html
    assert "Ann&#x27;s private lunch" not in html


def test_a_person_page_links_to_the_finder_when_it_exists(signed_in, crowd):
    from revere.web.contacts.views import finder_url

    p = crowd["persons"][0]
    html = signed_in.get(reverse("contact", args=[p.pk])).content.decode()
    url = finder_url(p.pk)
    if url is None:
        assert 'data-testid="paths-in"' not in html
    else:
        assert f'href="{url}"' in html and url.endswith(f"?to={p.pk}")


def test_another_organizations_person_and_company_are_404(signed_in):
    stranger = f.PersonFactory()
    for name, pk in (
        ("contact", stranger.pk),
        ("contact_edit", stranger.pk),
        ("company", stranger.company_id),
        ("company_edit", stranger.company_id),
    ):
        assert signed_in.get(reverse(name, args=[pk])).status_code == 404, name


def test_a_company_page_draws_the_org_chart_with_roles_stance_and_ties(
    signed_in, crowd, django_assert_max_num_queries
):
    org, me, bob = crowd["org"], crowd["me"], crowd["bob"]
    acme = f.CompanyFactory(organization=org, name="Acme Org")
    ceo = f.PersonFactory(organization=org, company=acme, full_name="Carol Chief", title="CEO")
    cfo = f.PersonFactory(
        organization=org, company=acme, full_name="Frank Money", title="CFO", reports_to=ceo
    )
    f.PersonFactory(organization=org, company=acme, full_name="Dana Dev", reports_to=cfo)
    deal = f.DealFactory(owner=me, company=acme, stage=Stage.BUY_IN, name="Big Deal")
    f.BuyingRoleFactory(deal=deal, person=cfo, role="economic_buyer", stance="opponent")
    f.TieFactory(member=bob, person=ceo, visibility=Visibility.PRIVATE)
    with django_assert_max_num_queries(14):
        response = signed_in.get(reverse("company", args=[acme.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Carol Chief") < html.index("Frank Money") < html.index("Dana Dev")
    assert "Economic buyer" in html and "stance-opponent" in html and "ask Bob Teammate" in html
    assert html.count('<ul class="orgchart">') == 1
    chart = html[html.index('<ul class="orgchart">') :]
    assert chart.count("<ul") == chart.count("</ul>")
    assert chart.count("<li") == chart.count("</li>")


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get(reverse("contacts")).status_code == 302


def test_a_company_page_links_to_the_finder_for_routes_to_its_people(signed_in, crowd):
    from revere.web.contacts.views import finder_url

    company = crowd["companies"][0]
    html = signed_in.get(reverse("company", args=[company.pk])).content.decode()
    url = finder_url(company_id=company.pk)
    if url is None:
        assert 'data-testid="company-paths-in"' not in html
    else:
        assert f'href="{url}"' in html and url.endswith(f"?company={company.pk}")


def test_ids_beyond_what_the_database_stores_are_not_found_rather_than_errors(signed_in, crowd):
    huge = 10**30
    assert signed_in.get(f"/contacts/{huge}/").status_code == 404
    assert signed_in.get(f"/companies/{huge}/").status_code == 404
    assert signed_in.get(reverse("contacts"), {"company": huge, "page": huge, "q": "x"}).status_code == 200
    assert signed_in.get(reverse("contact_merge"), {"keep": huge, "merge": -1}).status_code == 200
    assert signed_in.post(reverse("contact_merge"), {"keep": huge, "merge": huge}).status_code == 200
    p = crowd["persons"][0]
    response = signed_in.post(reverse("contact_edit", args=[p.pk]), {"full_name": "X", "reports_to": huge})
    assert response.status_code == 200 and response.context["form"].errors["reports_to"]
    assert signed_in.get(f"/api/persons/{huge}").status_code == 404
    assert signed_in.get("/api/persons", {"company": huge, "page": huge}).status_code == 200
    assert signed_in.get(f"/api/companies/{huge}/org-chart").status_code == 404


def test_a_history_restore_gets_the_whole_page_and_responses_vary_on_htmx(signed_in):
    response = signed_in.get(
        reverse("companies"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]
