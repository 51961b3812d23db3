"""Error pages are Revere's own pages (styled, with the navigation), never Django's debug page or bare text."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from revere.web import errors
from tests import factories as f

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_an_unknown_address_gets_the_styled_404_page_with_the_navigation(client):
    member = f.MemberFactory()
    client.force_login(member.user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'data-testid="error-page"' in body and "This page does not exist" in body
    assert 'class="mainnav"' in body and "revere.css" in body


@override_settings(DEBUG=False)
def test_a_refused_page_gets_the_styled_403_page_with_the_reason(client):
    member = f.MemberFactory(role="seller")
    client.force_login(member.user)
    response = client.get("/targets/")
    assert response.status_code == 403
    body = response.content.decode()
    assert 'data-status="403"' in body and "Only an admin, or a team&#x27;s manager, sets targets." in body


def test_the_500_page_renders_without_the_database_or_a_request_context():
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_favicon_ico_points_at_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("web/favicon.svg")
