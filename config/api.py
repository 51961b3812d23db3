"""The REST API: one NinjaAPI, one Router per app, OpenAPI at /api/docs."""

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.security import django_auth

from revere.ingest.api import router as ingest_router
from revere.levers.api import router as levers_router
from revere.network.api import router as network_router
from revere.playbook.api import router as playbook_router
from revere.tenancy.tokens import TokenAuth
from revere.web.contacts.api import router as contacts_router
from revere.web.deals.api import router as deals_router
from revere.web.finder.api import router as finder_router
from revere.web.team.api import router as team_router

#: What every refusal's body is: {"detail": "one sentence"} (401, 403, 404, a refusal of ours) or
#: {"detail": [field errors]} (django-ninja's validation, 422).
API_ERROR = {
    "title": "ApiError",
    "type": "object",
    "properties": {
        "detail": {
            "title": "Detail",
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}],
        }
    },
    "required": ["detail"],
}
COMMON_REFUSALS = {
    "400": "The body cannot be parsed (not JSON, or not the form it says it is).",
    "401": "Not signed in, or the token is unknown or revoked.",
    "403": "Not a member of an organization, or your role may not do this.",
    "404": "An object it names is not one of your organization's (another organization's id is unknown here).",
    "422": "A parameter or the body does not match its schema (the list of field errors).",
}


class RevereAPI(NinjaAPI):
    """The NinjaAPI whose schema states the refusals an operation can answer.

    django-ninja documents only the responses an operation declares; the refusals its machinery and
    ours give were answered but not documented, so a client, or schemathesis' status code check,
    could not know them. Each operation gets those that apply to it: 401 and 403 when it needs
    authentication (tenancy's ``acting_member`` refuses a user who is no member; a role check
    refuses a seller), 404 and 422 when it takes a parameter or a body (an id it names may be
    another organization's; a value may not match its schema), 400 when it takes a body.
    """

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["ApiError"] = API_ERROR
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                authenticated = bool(operation.get("security"))
                takes = bool(operation.get("parameters") or operation.get("requestBody"))
                applies = {
                    "400": bool(operation.get("requestBody")),
                    "401": authenticated,
                    "403": authenticated,
                    "404": takes,
                    "422": takes,
                }
                responses = operation.setdefault("responses", {})
                declared = {str(code) for code in responses}
                for status, description in COMMON_REFUSALS.items():
                    # django-ninja keys responses by int: an int key, so the JSON sorts them
                    # (mixed int and str keys made the schema view fail and Swagger UI blank).
                    if applies[status] and status not in declared:
                        responses[int(status)] = {"description": description, "content": body}
        return schema


api = RevereAPI(
    title="Revere API",
    version="1",
    description=(
        "Revere's sales-network data and advice. Authenticated by the Django session (CSRF on writes) "
        "or by a personal API token made on your account page: `Authorization: Bearer <token>`; "
        "a token acts as its member, with the member's role."
    ),
    # The token first: the session check refuses a request without a CSRF token before the next
    # way in is tried, and a script sends none.
    auth=[TokenAuth(), django_auth],
)
api.add_router("/", network_router)
api.add_router("/", finder_router)
api.add_router("/", contacts_router)
api.add_router("/", ingest_router)
api.add_router("/", playbook_router)
api.add_router("/", levers_router)
api.add_router("/", team_router)
api.add_router("/", deals_router)
