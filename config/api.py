"""The REST API: one NinjaAPI, one Router per app, OpenAPI at /api/docs."""

from ninja import NinjaAPI
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

api = NinjaAPI(
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
