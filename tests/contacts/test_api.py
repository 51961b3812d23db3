"""The contacts API: lists, details, org chart and updates, only ever inside the organization."""

from __future__ import annotations

import json

import pytest

from revere.contacts.models import PersonEmail
from revere.network.models import Tie, Visibility
from tests import factories as f

pytestmark = pytest.mark.django_db


def patch(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def test_the_api_lists_persons_with_search_and_my_ties_in_a_fixed_number_of_queries(
    signed_in, crowd, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = signed_in.get("/api/persons", {"per_page": 20})
    body = response.json()
    assert response.status_code == 200
    assert (body["count"], body["num_pages"], len(body["items"])) == (63, 4, 20)
    found = signed_in.get("/api/persons", {"q": "Title 12"}).json()["items"]
    assert [i["title"] for i in found] == ["Title 12"]
    assert found[0]["my_tie"]["access"] == "full"


def test_the_api_person_detail_hides_teammates_notes_and_private_ties(signed_in, crowd):
    p = crowd["persons"][0]
    Tie.unrestricted.filter(member=crowd["ann"], person=p).update(notes="ann's secret")
    body = signed_in.get(f"/api/persons/{p.pk}").json()
    ties = {t["member_name"]: t for t in body["ties"]}
    assert ties["Ann Teammate"]["access"] == "band" and ties["Ann Teammate"]["notes"] is None
    assert ties["Bob Teammate"] == {
        "member_id": crowd["bob"].pk,
        "member_name": "Bob Teammate",
        "access": "ask",
        "band": None,
        "network_class": None,
        "strength": None,
        "notes": None,
    }
    assert "ann's secret" not in json.dumps(body)


def test_the_api_gives_404_for_another_organizations_rows(signed_in):
    stranger = f.PersonFactory()
    assert signed_in.get(f"/api/persons/{stranger.pk}").status_code == 404
    assert signed_in.get(f"/api/companies/{stranger.company_id}").status_code == 404
    assert signed_in.get(f"/api/companies/{stranger.company_id}/org-chart").status_code == 404
    assert patch(signed_in, f"/api/persons/{stranger.pk}", {"title": "x"}).status_code == 404
    assert patch(signed_in, f"/api/companies/{stranger.company_id}", {"name": "x"}).status_code == 404


def test_the_api_updates_only_the_fields_sent(signed_in, crowd):
    p = crowd["persons"][3]
    boss = crowd["persons"][9]
    response = patch(
        signed_in,
        f"/api/persons/{p.pk}",
        {"title": "Head of Ops", "reports_to_id": boss.pk, "emails": ["Ops@Firm.example"]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Head of Ops" and response.json()["reports_to_id"] == boss.pk
    p.refresh_from_db()
    assert p.full_name and p.reports_to == boss
    assert list(PersonEmail.unrestricted.filter(person=p).values_list("email", flat=True)) == [
        "ops@firm.example"
    ]


def test_the_api_refuses_a_reports_to_cycle_and_a_foreign_manager_with_422(signed_in, crowd):
    a, b = crowd["persons"][1], crowd["persons"][2]
    assert patch(signed_in, f"/api/persons/{b.pk}", {"reports_to_id": a.pk}).status_code == 200
    response = patch(signed_in, f"/api/persons/{a.pk}", {"reports_to_id": b.pk})
    assert response.status_code == 422 and "cycle" in response.json()["detail"]
    response = patch(signed_in, f"/api/persons/{a.pk}", {"reports_to_id": f.PersonFactory().pk})
    assert response.status_code == 422


def test_the_api_lists_and_updates_companies(signed_in, crowd):
    body = signed_in.get("/api/companies", {"q": "Firm 1"}).json()
    assert [c["name"] for c in body["items"]] == ["Firm 1"] and body["items"][0]["people"] == 10
    firm = crowd["companies"][1]
    response = patch(
        signed_in, f"/api/companies/{firm.pk}", {"status": "customer", "domains": ["firm1.example"]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "customer" and response.json()["domains"] == ["firm1.example"]
    assert patch(signed_in, f"/api/companies/{firm.pk}", {"status": "bogus"}).status_code == 422


def test_the_api_org_chart_has_depths_and_ties(signed_in, crowd):
    org = crowd["org"]
    acme = f.CompanyFactory(organization=org)
    top = f.PersonFactory(organization=org, company=acme)
    f.PersonFactory(organization=org, company=acme, reports_to=top)
    f.TieFactory(member=crowd["bob"], person=top, visibility=Visibility.PRIVATE)
    body = signed_in.get(f"/api/companies/{acme.pk}/org-chart").json()
    assert [(n["id"] == top.pk, n["depth"]) for n in body["nodes"]] == [(True, 0), (False, 1)]
    assert body["nodes"][0]["ties"][0]["access"] == "ask"


def test_the_api_merges_two_persons_and_undoes_it(signed_in, crowd):
    from revere.contacts.models import Person

    keep, dup = crowd["persons"][4], crowd["persons"][5]
    response = signed_in.post(
        "/api/merges",
        data=json.dumps({"keep_id": keep.pk, "merge_id": dup.pk}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kept"]["id"] == keep.pk and body["merged_person_id"] == dup.pk
    assert not Person.unrestricted.filter(pk=dup.pk).exists()
    undone = signed_in.post(f"/api/merges/{body['id']}/undo")
    assert undone.status_code == 200 and undone.json()["undone_at"] is not None
    assert Person.unrestricted.filter(pk=dup.pk).exists()
    assert signed_in.post(f"/api/merges/{body['id']}/undo").status_code == 422  # already undone


def test_the_api_refuses_to_merge_across_organizations_or_into_oneself(signed_in, crowd):
    keep = crowd["persons"][6]
    body = json.dumps({"keep_id": keep.pk, "merge_id": f.PersonFactory().pk})
    assert signed_in.post("/api/merges", data=body, content_type="application/json").status_code == 404
    body = json.dumps({"keep_id": keep.pk, "merge_id": keep.pk})
    assert signed_in.post("/api/merges", data=body, content_type="application/json").status_code == 422


def test_the_api_refuses_an_overlong_email_with_422(signed_in, crowd):
    p = crowd["persons"][7]
    response = patch(signed_in, f"/api/persons/{p.pk}", {"emails": ["a" * 400 + "@x.example"]})
    assert response.status_code == 422


def test_the_api_adds_a_person_and_a_company_in_the_member_s_organization(signed_in, crowd):
    from revere.contacts.models import Company, Person

    response = signed_in.post(
        "/api/companies",
        data=json.dumps({"name": "Nova Labs GmbH", "status": "prospect", "domains": ["novalabs.example"]}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    company = Company.unrestricted.get(pk=response.json()["id"])
    assert (company.organization, company.normalized_name) == (crowd["org"], "nova labs")
    response = signed_in.post(
        "/api/persons",
        data=json.dumps(
            {
                "first_name": "Ada",
                "last_name": "Byron",
                "company_id": company.pk,
                "emails": ["ada@novalabs.example"],
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    ada = Person.unrestricted.get(pk=response.json()["id"])
    assert (ada.full_name, ada.company, ada.organization) == ("Ada Byron", company, crowd["org"])
    nameless = signed_in.post(
        "/api/persons", data=json.dumps({"title": "CEO"}), content_type="application/json"
    )
    assert nameless.status_code == 422
    foreign = json.dumps({"full_name": "X", "company_id": f.CompanyFactory().pk})
    assert signed_in.post("/api/persons", data=foreign, content_type="application/json").status_code == 422
