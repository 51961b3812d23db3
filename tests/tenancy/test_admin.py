"""The admin is scoped: an admin of org A sees, picks and writes only org A's rows."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from revere.contacts.models import Company, CompanyDomain
from revere.tenancy.admin import OrgScopedAdmin
from revere.tenancy.models import Organization, OrgScoped
from tests.tenancy.world import build_world

pytestmark = pytest.mark.django_db

User = get_user_model()


def revere_admins():
    return [(m, a) for m, a in admin.site._registry.items() if m.__module__.startswith("revere.")]


def url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def worlds():
    a, b = build_world()
    for w in (a, b):
        user = w.members["admin"].user
        user.is_staff = True
        user.save()
    return a, b


@pytest.fixture
def admin_a(client, worlds):
    client.force_login(worlds[0].members["admin"].user)
    return client


def test_every_revere_model_has_an_admin():
    from django.apps import apps

    registered = set(admin.site._registry)
    for app in ("tenancy", "contacts", "network", "deals", "playbook", "levers", "ingest"):
        for model in apps.get_app_config(app).get_models():
            assert model in registered, f"{model.__name__} has no admin"
            if issubclass(model, OrgScoped):
                assert isinstance(admin.site._registry[model], OrgScopedAdmin), (
                    f"{model.__name__} is not scoped"
                )


def test_an_admin_of_org_a_sees_only_org_a_rows_in_every_changelist(admin_a, worlds):
    a, _b = worlds
    seen_any = 0
    for model, _ in revere_admins():
        response = admin_a.get(url(model, "changelist"))
        assert response.status_code == 200, model
        rows = list(response.context["cl"].result_list)
        seen_any += len(rows)
        for row in rows:
            org_id = row.pk if model is Organization else row.organization_id
            assert org_id == a.org.pk, f"{model.__name__} changelist shows a row of another organization"
    assert seen_any > 30


def test_an_admin_of_org_a_cannot_open_org_b_change_pages(admin_a, worlds):
    _a, b = worlds
    rows = [
        b.org,
        b.persons["p1"],
        b.companies["acme"],
        b.ties["seller_p1_team"],
        b.deals["seller"],
        b.members["seller"],
        b.teams["alpha"],
        b.links["p1p2"],
        b.interactions["seller"],
        b.contributions["seller"],
        b.targets["org"],
        b.references["p3"],
        b.snapshots["seller"],
        b.members["seller"].user,
    ]
    for row in rows:
        response = admin_a.get(url(type(row), "change", row.pk))
        assert response.status_code == 302, type(row).__name__  # "doesn't exist": back to the index
        assert response["Location"] == reverse("admin:index")
        assert admin_a.post(url(type(row), "delete", row.pk), {"post": "yes"}).status_code in (302, 403)
    assert Company.unrestricted.filter(pk=b.companies["acme"].pk).exists()


def test_the_user_admin_lists_only_the_organization_s_users(admin_a, worlds):
    a, b = worlds
    response = admin_a.get(url(User, "changelist"))
    users = {u.pk for u in response.context["cl"].result_list}
    assert a.members["seller"].user.pk in users and b.members["seller"].user.pk not in users


def test_choices_offer_only_the_organization_s_rows(admin_a, worlds):
    a, _b = worlds
    team = a.teams["alpha"]
    response = admin_a.get(url(type(team), "change", team.pk))
    managers = response.context["adminform"].form.fields["managers"].queryset
    assert set(managers) == set(a.members.values())
    response = admin_a.get(url(type(a.members["seller"]), "add"))
    teams = response.context["adminform"].form.fields["team"].queryset
    assert set(teams) == set(a.teams.values())


def test_a_posted_id_of_another_organization_is_refused(admin_a, worlds):
    a, b = worlds
    tie = a.ties["seller_p1_team"]
    response = admin_a.post(
        url(type(tie), "change", tie.pk),
        {
            "member": tie.member_id,
            "ego": tie.ego_id,
            "person": b.persons["p2"].pk,
            "strength": "0.5",
            "network_class": "market",
            "visibility": "team",
        },
    )
    assert response.status_code == 200 and "person" in response.context["adminform"].form.errors
    tie.refresh_from_db()
    assert tie.person == a.persons["p1"]


def test_a_row_added_in_the_admin_belongs_to_the_admin_s_organization(admin_a, worlds):
    a, b = worlds
    response = admin_a.post(
        url(Company, "add"),
        {
            "name": "Admin Made",
            "normalized_name": "admin made",
            "status": "prospect",
            "organization": b.org.pk,  # ignored: the field is not on the form
            "domains-TOTAL_FORMS": "1",
            "domains-INITIAL_FORMS": "0",
            "domains-0-domain": "admin-made.example",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    company = Company.unrestricted.get(name="Admin Made")
    assert company.organization_id == a.org.pk
    assert list(
        CompanyDomain.unrestricted.filter(company=company).values_list("organization_id", "domain")
    ) == [(a.org.pk, "admin-made.example")]


def test_a_seller_with_staff_rights_still_cannot_use_the_admin(client, worlds):
    a, _ = worlds
    user = a.members["seller"].user
    user.is_staff = True
    user.save()
    client.force_login(user)
    response = client.get(url(Company, "changelist"))
    assert response.status_code == 403
    assert not [
        m
        for m, _ in revere_admins()
        if issubclass(m, OrgScoped) and client.get(url(m, "changelist")).status_code == 200
    ]


def test_an_admin_adds_a_member_with_their_sign_in_and_only_their_organization_sees_the_user(
    admin_a, client, worlds
):
    from revere.tenancy.models import Member
    from tests import factories as f

    a, b = worlds
    newcomer = f.PersonFactory(organization=a.org, company=a.org.own_company, full_name="New Colleague")
    form = admin_a.get(url(Member, "add")).context["adminform"].form
    assert "user" not in form.fields and {"email", "password"} <= set(form.fields)
    response = admin_a.post(
        url(Member, "add"),
        {
            "email": "New.Colleague@orga.test",
            "password": "a long enough passphrase 42",
            "person": newcomer.pk,
            "role": "seller",
            "team": a.teams["alpha"].pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    member = Member.unrestricted.get(person=newcomer)
    assert (member.organization, member.user.username) == (a.org, "new.colleague@orga.test")
    assert member.user.check_password("a long enough passphrase 42")
    change = admin_a.get(url(Member, "change", member.pk))
    assert change.status_code == 200 and "new.colleague@orga.test" in change.content.decode()
    assert admin_a.get(url(User, "add")).status_code == 403  # users come with members
    client.force_login(b.members["admin"].user)
    users_b = {u.pk for u in client.get(url(User, "changelist")).context["cl"].result_list}
    assert member.user.pk not in users_b
