"""Editing a person and a company: the forms, the services and their refusals."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from revere.contacts.editing import company_update, person_update
from revere.contacts.models import Company, CompanyDomain, PersonEmail, PersonPhone
from revere.tenancy.models import Organization
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def me():
    return f.MemberFactory()


def form_data(person, **over):
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "full_name": person.full_name,
        "company": person.company.name if person.company else "",
        "title": person.title,
        "function": "",
        "seniority": "",
        "reports_to": person.reports_to_id or "",
        "location": "",
        "region": "",
        "linkedin_url": "",
        "expertise": "",
        "emails": "",
        "phones": "",
    }
    data.update(over)
    return data


def test_a_member_edits_a_person_s_title_manager_emails_and_phones(client, me):
    org = me.organization
    acme = f.CompanyFactory(organization=org, name="Acme Corp", normalized_name="acme")
    boss = f.PersonFactory(organization=org, company=acme, full_name="Boss Person")
    p = f.PersonFactory(
        organization=org, company=acme, first_name="Jane", last_name="Doe", full_name="Jane Doe"
    )
    client.force_login(me.user)
    before = Organization.objects.get(pk=org.pk).data_version
    response = client.post(
        reverse("contact_edit", args=[p.pk]),
        form_data(
            p,
            title="VP Sales",
            reports_to=boss.pk,
            emails="Jane@Acme.example\njane.doe@home.example",
            phones="+1 415 555 0100",
            expertise="pricing, logistics",
            company="ACME, Inc.",
        ),
    )
    assert response.status_code == 302 and response["Location"] == reverse("contact", args=[p.pk])
    p.refresh_from_db()
    assert (p.title, p.reports_to, p.company, p.expertise) == (
        "VP Sales",
        boss,
        acme,
        ["pricing", "logistics"],
    )
    assert list(
        PersonEmail.unrestricted.filter(person=p)
        .order_by("-is_primary", "email")
        .values_list("email", "is_primary")
    ) == [
        ("jane@acme.example", True),
        ("jane.doe@home.example", False),
    ]
    assert list(PersonPhone.unrestricted.filter(person=p).values_list("e164", flat=True)) == ["+14155550100"]
    assert Organization.objects.get(pk=org.pk).data_version == before + 1


def test_the_edit_form_refuses_a_reports_to_cycle(client, me):
    org = me.organization
    top = f.PersonFactory(organization=org)
    mid = f.PersonFactory(organization=org, company=top.company, reports_to=top)
    client.force_login(me.user)
    response = client.post(reverse("contact_edit", args=[top.pk]), form_data(top, reports_to=mid.pk))
    assert response.status_code == 200
    assert "cycle" in response.content.decode()
    top.refresh_from_db()
    assert top.reports_to is None


def test_the_edit_form_refuses_a_manager_from_another_organization(client, me):
    p = f.PersonFactory(organization=me.organization)
    stranger = f.PersonFactory()
    client.force_login(me.user)
    response = client.post(reverse("contact_edit", args=[p.pk]), form_data(p, reports_to=stranger.pk))
    assert response.status_code == 200 and response.context["form"].errors["reports_to"]
    p.refresh_from_db()
    assert p.reports_to is None


def test_the_edit_form_refuses_an_email_another_person_holds_and_a_bad_phone(client, me):
    org = me.organization
    p = f.PersonFactory(organization=org)
    other = f.PersonFactory(organization=org, full_name="Other Holder")
    PersonEmail.unrestricted.create(organization=org, person=other, email="taken@x.example")
    client.force_login(me.user)
    response = client.post(reverse("contact_edit", args=[p.pk]), form_data(p, emails="taken@x.example"))
    assert "Other Holder" in response.content.decode()
    response = client.post(reverse("contact_edit", args=[p.pk]), form_data(p, phones="not a phone"))
    assert "not a phone number" in response.content.decode()
    assert (
        not PersonEmail.unrestricted.filter(person=p).exists()
        and not PersonPhone.unrestricted.filter(person=p).exists()
    )


def test_the_edit_form_refuses_a_company_name_the_organization_does_not_know(client, me):
    p = f.PersonFactory(organization=me.organization)
    f.CompanyFactory(name="Elsewhere Ltd")  # another organization's
    client.force_login(me.user)
    response = client.post(reverse("contact_edit", args=[p.pk]), form_data(p, company="Elsewhere Ltd"))
    assert response.status_code == 200 and response.context["form"].errors["company"]


def test_changing_the_first_name_recomposes_the_full_name(me):
    p = f.PersonFactory(
        organization=me.organization, first_name="Jon", last_name="Smith", full_name="Jon Smith"
    )
    person_update(person=p, data={"first_name": "John", "last_name": "Smith", "full_name": "Jon Smith"})
    assert (p.full_name, p.normalized_name) == ("John Smith", "john smith")


def test_person_update_refuses_a_field_it_does_not_edit(me):
    p = f.PersonFactory(organization=me.organization)
    with pytest.raises(ValueError, match="organization"):
        person_update(person=p, data={"organization": None})


def test_person_update_refuses_a_company_of_another_organization(me):
    p = f.PersonFactory(organization=me.organization)
    with pytest.raises(ValidationError):
        person_update(person=p, data={"company": f.CompanyFactory()})


def test_a_member_edits_a_company_name_status_domains_and_parent(client, me):
    org = me.organization
    parent = f.CompanyFactory(organization=org, name="Holding Group", normalized_name="holding group")
    c = f.CompanyFactory(organization=org, name="Acme")
    client.force_login(me.user)
    response = client.post(
        reverse("company_edit", args=[c.pk]),
        {
            "name": "Acme Widgets GmbH",
            "industry": "Manufacturing",
            "size_band": "51-250",
            "region": "Europe",
            "status": "prospect",
            "parent": "Holding Group",
            "domains": "https://www.acme-widgets.example/about\nacme.example",
        },
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert (c.name, c.normalized_name, c.status, c.parent) == (
        "Acme Widgets GmbH",
        "acme widgets",
        "prospect",
        parent,
    )
    assert sorted(CompanyDomain.unrestricted.filter(company=c).values_list("domain", flat=True)) == [
        "acme-widgets.example",
        "acme.example",
    ]


def test_company_update_refuses_a_duplicate_name_and_a_parent_cycle(me):
    org = me.organization
    a = f.CompanyFactory(organization=org, name="Alpha", normalized_name="alpha")
    b = f.CompanyFactory(organization=org, name="Beta", normalized_name="beta", parent=a)
    with pytest.raises(ValidationError, match="already"):
        company_update(company=b, data={"name": "Alpha Inc."})
    with pytest.raises(ValidationError, match="cycle"):
        company_update(company=a, data={"parent": b})
    assert Company.unrestricted.get(pk=a.pk).parent is None


def test_the_company_suggestions_are_the_organization_s_own(client, me):
    f.CompanyFactory(organization=me.organization, name="Zeta Mine")
    f.CompanyFactory(name="Zeta Theirs")
    client.force_login(me.user)
    html = client.get(reverse("company_suggest"), {"company": "zeta"}).content.decode()
    assert "Zeta Mine" in html and "Zeta Theirs" not in html


def test_a_member_adds_a_contact_at_a_company_from_its_page(client, me):
    from revere.contacts.models import Person

    acme = f.CompanyFactory(organization=me.organization, name="Acme New")
    client.force_login(me.user)
    page = client.get(reverse("contact_new"), {"company": acme.pk})
    assert page.status_code == 200 and 'value="Acme New"' in page.content.decode()
    response = client.post(
        reverse("contact_new"),
        {
            "first_name": "Grace",
            "last_name": "Hopper",
            "company": "Acme New",
            "emails": "grace@acme.example",
            "phones": "",
            "expertise": "",
            "seniority": "",
            "reports_to": "",
        },
    )
    grace = Person.unrestricted.get(full_name="Grace Hopper")
    assert response.status_code == 302 and response["Location"] == reverse("contact", args=[grace.pk])
    assert (grace.organization, grace.company, grace.normalized_name) == (
        me.organization,
        acme,
        "grace hopper",
    )
    assert list(PersonEmail.unrestricted.filter(person=grace).values_list("email", flat=True)) == [
        "grace@acme.example"
    ]


def test_a_new_contact_needs_a_name(client, me):
    client.force_login(me.user)
    response = client.post(reverse("contact_new"), {"title": "Nameless"})
    assert response.status_code == 200 and "needs a name" in response.content.decode()


def test_a_member_adds_a_company_and_a_duplicate_name_is_refused(client, me):
    client.force_login(me.user)
    data = {"name": "Zenith Ltd", "status": "prospect", "domains": "zenith.example"}
    response = client.post(reverse("company_new"), data)
    company = Company.unrestricted.get(name="Zenith Ltd")
    assert response.status_code == 302 and company.organization == me.organization
    again = client.post(reverse("company_new"), {**data, "name": "Zenith", "domains": ""})
    assert again.status_code == 200 and "already has this name" in again.content.decode()
