"""Schemathesis against the whole API, inside the suite (issue 13.5).

Every operation of the OpenAPI schema is called with examples generated from its own schema
(bounded: :data:`MAX_EXAMPLES` each), as a seller of the two-organization world, through the WSGI
application (no server), authenticated by a personal API token; valid and invalid examples
(schemathesis' positive and negative modes). Checked on every response: no server error, a
documented status code (the refusals each operation can give are documented by config/api.py), a
documented content type and headers, a body that matches the documented response schema, and
invalid data refused with a 4xx.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from revere.tenancy.tokens import token_create
from tests.tenancy.world import build_world

MAX_EXAMPLES = 4
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture(scope="module")
def seller_token(django_db_setup, django_db_blocker) -> Iterator[str]:
    # The WSGI handler closes the database connection after each request (close_old_connections),
    # which would end the test's transaction; Django's own test client unhooks it the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            a, _b = build_world()
            yield token_create(member=a.members["seller"], name="schemathesis").secret
            transaction.set_rollback(True)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_generated_request_within_its_schema(case, seller_token):
    # Each request in a savepoint of its own, as each runs in its own transaction when served: on
    # PostgreSQL a refused statement would otherwise abort the test's transaction for the rest.
    with transaction.atomic():
        response = case.call(headers={"Authorization": f"Bearer {seller_token}"})
    case.validate_response(response, checks=CHECKS)


def test_the_schema_documents_each_operations_refusals(client):
    """config/api.py adds the refusals; with string keys beside django-ninja's int keys the schema
    could not be sorted and Swagger UI stayed blank."""
    schema = client.get("/api/openapi.json").json()
    merges = schema["paths"]["/api/merges"]["post"]["responses"]
    assert sorted(merges) == ["201", "400", "401", "403", "404", "422"]
    assert merges["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ApiError"}
