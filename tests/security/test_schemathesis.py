"""Schemathesis against the whole API, inside the suite (issue 13.5).

Every operation of the OpenAPI schema is called with examples generated from its own schema
(bounded: :data:`MAX_EXAMPLES` each), as a seller of the two-organization world, through the WSGI
application (no server), authenticated by a personal API token. Checked on every response: no server
error, a documented content type, and a body that matches the documented response schema.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from revere.tenancy.tokens import token_create
from tests.tenancy.world import build_world

MAX_EXAMPLES = 4
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture(scope="module")
def seller_token(django_db_setup, django_db_blocker) -> Iterator[str]:
    with django_db_blocker.unblock(), transaction.atomic():
        a, _b = build_world()
        yield token_create(member=a.members["seller"], name="schemathesis").secret
        transaction.set_rollback(True)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_generated_request_within_its_schema(case, seller_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {seller_token}"}, checks=CHECKS)
