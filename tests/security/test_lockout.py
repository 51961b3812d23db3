"""Sign-in lockout (django-axes, issue 13.5): N failed sign-ins for a user from one address lock that
pair out; the right password afterwards is refused with a page that says why, never a traceback."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings

from tests import factories as f

pytestmark = pytest.mark.django_db

LIMIT = 3


@pytest.fixture
def seller():
    return f.MemberFactory(user__username="locked@example.test")


def sign_in(client: Client, username: str, password: str, path: str = "/login/"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


def test_the_lockout_is_configured_for_every_sign_in():
    assert "axes" in settings.INSTALLED_APPS
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_FAILURE_LIMIT >= 3
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=LIMIT)
def test_failed_sign_ins_lock_out_and_the_right_password_is_then_refused(seller):
    client = Client()
    for _ in range(LIMIT - 1):
        wrong = sign_in(client, seller.user.username, "wrong password")
        assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    locked = sign_in(client, seller.user.username, "wrong password")
    assert locked.status_code == 429
    right = sign_in(client, seller.user.username, f.PASSWORD)
    text = right.content.decode()
    assert right.status_code == 429, text[:500]
    assert "Too many failed sign-ins" in text and "Traceback" not in text
    assert "_auth_user_id" not in client.session
    # Another user from the same address, and the same user from another address, are not locked.
    other = f.MemberFactory(user__username="other@example.test")
    assert sign_in(Client(), other.user.username, f.PASSWORD).status_code == 302
    elsewhere = Client().post(
        "/login/", {"username": seller.user.username, "password": f.PASSWORD}, REMOTE_ADDR="10.0.0.8"
    )
    assert elsewhere.status_code == 302


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=LIMIT)
def test_the_admin_sign_in_counts_and_locks_too(seller):
    client = Client()
    for _ in range(LIMIT):
        sign_in(client, seller.user.username, "wrong", path="/admin/login/")
    assert sign_in(client, seller.user.username, f.PASSWORD).status_code == 429


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=LIMIT)
def test_a_success_before_the_limit_resets_the_count(seller):
    client = Client()
    for _ in range(LIMIT - 1):
        sign_in(client, seller.user.username, "wrong")
    assert sign_in(client, seller.user.username, f.PASSWORD).status_code == 302
    client.post("/logout/")
    for _ in range(LIMIT - 1):
        sign_in(client, seller.user.username, "wrong")
    assert sign_in(client, seller.user.username, f.PASSWORD).status_code == 302
