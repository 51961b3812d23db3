"""Personal API tokens (issue 13.5): made and revoked on the account page, hashed at rest, accepted
by the API as ``Authorization: Bearer`` beside the session, acting as their member and role only."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.db import connection
from django.test import Client

from revere.tenancy.models import ApiToken, Role
from revere.tenancy.tokens import token_create, token_revoke
from tests import factories as f
from tests.tenancy.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_token_acts_as_its_member_with_the_members_role(world):
    a, _b = world
    seller = a.members["seller"]
    secret = token_create(member=seller, name="my script").secret
    client = Client(enforce_csrf_checks=True)  # no session, no CSRF cookie: the token alone
    me = client.get("/api/me", **bearer(secret))
    assert me.status_code == 200, me.content
    assert me.json()["name"] == "ORGA seller"
    # Its own tie notes, and none of a teammate's.
    tie = client.get(f"/api/persons/{a.persons['p1'].pk}", **bearer(secret))
    assert tie.status_code == 200 and "ORGA-note-of-seller-p1" in tie.content.decode()
    assert (
        "ORGA-note-of-teammate"
        not in client.get(f"/api/persons/{a.persons['p4'].pk}", **bearer(secret)).content.decode()
    )
    # A seller's token may not do what only an admin does.
    refused = client.put(
        "/api/targets/market", {"min_size": 3}, content_type="application/json", **bearer(secret)
    )
    assert refused.status_code == 403
    admin_secret = token_create(member=a.members["admin"], name="admin script").secret
    allowed = client.put(
        "/api/targets/market", {"min_size": 3}, content_type="application/json", **bearer(admin_secret)
    )
    assert allowed.status_code == 200, allowed.content


def test_a_write_with_a_token_needs_no_csrf_token_and_is_the_members(world):
    a, _b = world
    secret = token_create(member=a.members["seller"], name="logger").secret
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/interactions",
        {"kind": "meeting", "participants": [a.persons["p2"].pk], "subject": "by token"},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code in (200, 201), response.content
    from revere.network.models import Interaction

    logged = Interaction.unrestricted.get(subject="by token")
    assert logged.member_id == a.members["seller"].pk


def test_a_revoked_token_is_refused(world):
    a, _b = world
    made = token_create(member=a.members["seller"], name="old laptop")
    client = Client()
    assert client.get("/api/me", **bearer(made.secret)).status_code == 200
    token_revoke(member=a.members["seller"], token_id=made.token.pk)
    assert client.get("/api/me", **bearer(made.secret)).status_code == 401


def test_an_unknown_forged_or_other_organizations_token_is_refused(world):
    a, b = world
    secret = token_create(member=a.members["seller"], name="x").secret
    client = Client()
    assert client.get("/api/me", **bearer("rvr_1_not-a-token")).status_code == 401
    assert client.get("/api/me", **bearer("garbage")).status_code == 401
    # The same secret presented as another organization's: no such token there.
    forged = re.sub(r"^rvr_\d+_", f"rvr_{b.org.pk}_", secret)
    assert client.get("/api/me", **bearer(forged)).status_code == 401
    # A token of org A reads nothing of org B.
    assert client.get(f"/api/persons/{b.persons['p1'].pk}", **bearer(secret)).status_code == 404
    listed = client.get("/api/persons?per_page=100", **bearer(secret))
    assert listed.status_code == 200 and "ORGB" not in listed.content.decode()


def test_an_inactive_member_or_user_is_refused(world):
    a, _b = world
    seller = a.members["seller"]
    secret = token_create(member=seller, name="x").secret
    client = Client()
    seller.is_active = False
    seller.save(update_fields=["is_active"])
    assert client.get("/api/me", **bearer(secret)).status_code == 401
    seller.is_active = True
    seller.save(update_fields=["is_active"])
    seller.user.is_active = False
    seller.user.save(update_fields=["is_active"])
    assert client.get("/api/me", **bearer(secret)).status_code == 401


def test_tokens_are_hashed_at_rest_and_their_use_recorded(world):
    a, _b = world
    made = token_create(member=a.members["seller"], name="ci")
    row = ApiToken.unrestricted.get(pk=made.token.pk)
    assert row.digest == hashlib.sha256(made.secret.encode()).hexdigest()
    assert made.secret.startswith(row.prefix) and len(row.prefix) < len(made.secret) - 30
    secret_part = made.secret.rsplit("_", 1)[1]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")
        stored = repr(cursor.fetchall())
    assert secret_part not in stored and made.secret not in stored
    assert row.last_used_at is None
    Client().get("/api/me", **bearer(made.secret))
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_the_account_page_makes_a_token_shows_it_once_and_revokes_it(world):
    a, _b = world
    seller = a.members["seller"]
    client = Client()
    client.force_login(seller.user)
    page = client.get("/account/")
    assert page.status_code == 200 and "You have no tokens" in page.content.decode()
    made = client.post("/account/", {"name": "  my laptop "})
    html = made.content.decode()
    assert made.status_code == 200 and made["Cache-Control"] == "no-store"
    secret = re.search(r'value="(rvr_[^"]+)"', html).group(1)
    row = ApiToken.unrestricted.get(member=seller)
    assert row.name == "my laptop" and row.digest == hashlib.sha256(secret.encode()).hexdigest()
    again = client.get("/account/").content.decode()
    assert secret not in again and row.prefix in again and "my laptop" in again
    assert Client().get("/api/me", **bearer(secret)).status_code == 200
    revoked = client.post(f"/account/tokens/{row.pk}/revoke/", follow=True)
    assert "Revoked my laptop" in revoked.content.decode()
    assert Client().get("/api/me", **bearer(secret)).status_code == 401
    assert client.post("/account/", {"name": ""}).status_code == 400


def test_a_member_cannot_revoke_or_see_a_colleagues_token(world):
    a, _b = world
    theirs = token_create(member=a.members["teammate"], name="teammate's script")
    client = Client()
    client.force_login(a.members["admin"].user)  # not even the admin
    assert client.post(f"/account/tokens/{theirs.token.pk}/revoke/").status_code == 404
    assert "teammate&#x27;s script" not in client.get("/account/").content.decode()
    theirs.token.refresh_from_db()
    assert theirs.token.revoked_at is None


def test_the_openapi_schema_names_both_ways_in(world):
    schema = Client().get("/api/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert {s.get("type") for s in schemes.values()} >= {"apiKey", "http"}
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_a_token_for_every_role(world):
    a, _b = world
    for key, role in (("seller", Role.SELLER), ("manager", Role.MANAGER), ("admin", Role.ADMIN)):
        secret = token_create(member=a.members[key], name=key).secret
        me = Client().get("/api/me", **bearer(secret)).json()
        assert me["role"] == role


def test_a_user_outside_every_organization_has_no_token_page(world):
    user = f.UserFactory()
    client = Client()
    client.force_login(user)
    assert client.get("/account/").status_code == 403
