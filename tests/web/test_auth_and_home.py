"""Sign in, sign out, password change, and the home page's real figures."""

from __future__ import annotations

import pytest
from django.urls import reverse

from revere.deals.models import Stage
from revere.network.models import NetworkClass
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller():
    member = f.MemberFactory(person__full_name="Paula Seller")
    for cls, n in ((NetworkClass.MARKET, 3), (NetworkClass.CUSTOMER, 2), (NetworkClass.INTERNAL, 1)):
        for _ in range(n):
            f.TieFactory(member=member, network_class=cls)
    f.TieFactory(
        member=member, network_class=NetworkClass.MARKET, network_class_override=NetworkClass.PROSPECT
    )
    f.TieFactory(member=member, network_class=NetworkClass.MARKET, is_active=False)
    f.DealFactory(owner=member, stage=Stage.BUY_IN)
    f.DealFactory(owner=member, stage=Stage.BUY_IN)
    f.DealFactory(owner=member, stage=Stage.WON)
    other = f.MemberFactory(organization=member.organization)
    f.DealFactory(owner=other, stage=Stage.CLOSE).team.add(member)
    f.DealFactory(owner=other, stage=Stage.CLOSE)  # not the seller's
    return member


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_seller_signs_in_and_sees_their_name_role_and_figures(client, seller):
    response = client.post(
        reverse("login"), {"username": seller.user.username, "password": f.PASSWORD}, follow=True
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Paula Seller" in html and "Seller" in html
    figures = response.context["figures"]
    assert figures.ties_per_class == {"market": 3, "prospect": 1, "internal": 1, "customer": 2}
    assert figures.open_deals_per_stage == {"identify": 0, "buy_in": 2, "solution": 0, "close": 1}


def test_a_wrong_password_gets_a_clear_message_and_no_session(client, seller):
    response = client.post(reverse("login"), {"username": seller.user.username, "password": "nope"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session(client, seller):
    client.force_login(seller.user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change_takes_the_old_password_and_the_new_one_works(client, seller):
    client.force_login(seller.user)
    new = "a-much-longer-passphrase-42"
    response = client.post(
        reverse("password_change"),
        {"old_password": f.PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    client.logout()
    assert client.login(username=seller.user.username, password=new)


def test_a_user_outside_every_organization_gets_a_clear_refusal(client):
    user = f.UserFactory()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "not a member of an organization" in response.content.decode()


def test_the_api_describes_the_signed_in_member(client, seller):
    client.force_login(seller.user)
    data = client.get("/api/me").json()
    assert data["name"] == "Paula Seller"
    assert data["role"] == "seller"
    assert data["ties_per_class"]["market"] == 3
    assert data["open_deals_per_stage"]["close"] == 1


def test_the_api_refuses_anonymous_callers(client):
    assert client.get("/api/me").status_code == 401


def test_the_openapi_schema_is_served(client, seller):
    client.force_login(seller.user)
    schema = client.get("/api/openapi.json").json()
    assert "/api/me" in schema["paths"]
