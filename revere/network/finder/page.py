"""The finder's reads: routes to a person, and targets resolved from text (the page that composes
them with buying roles and introductions is revere/web/finder)."""

from __future__ import annotations

from revere.contacts.models import Company, Person, PersonEmail
from revere.network.finder.routes import Route, routes_to
from revere.network.finder.search import sources_for
from revere.network.graph import network_graph
from revere.tenancy.models import Member
from revere.tenancy.visibility import selector

DEFAULT_K = 5
MAX_INTERMEDIARIES = 3
MAX_K = 20


@selector
def paths_to_person(
    *,
    member: Member,
    person_id: int,
    k: int = DEFAULT_K,
    max_intermediaries: int = MAX_INTERMEDIARIES,
    from_team: bool = True,
) -> list[Route]:
    """The k best routes from the member (and their team) to a person of their organization."""
    if not Person.objects.visible_to(member).filter(pk=person_id).exists():
        raise Person.DoesNotExist("No such person in your organization.")
    k = max(1, min(int(k), MAX_K))
    ng = network_graph(member=member)
    src = sources_for(member, from_team=from_team)
    return routes_to(member, ng, src, [person_id], k=k, max_intermediaries=max_intermediaries)[person_id]


def resolve_person(member: Member, text: str) -> tuple[Person | None, list[Person]]:
    text = text.strip()
    people = Person.objects.visible_to(member).select_related("company")
    if not text:
        return None, []
    if text.isdigit():
        return people.filter(pk=int(text)).first(), []
    if "@" in text:
        ids = PersonEmail.objects.visible_to(member).filter(email=text.lower()).values("person_id")
        return people.filter(pk__in=ids).first(), []
    matches = list(people.filter(full_name__icontains=text).order_by("full_name")[:20])
    exact = [p for p in matches if p.full_name.lower() == text.lower()]
    if len(exact) == 1 or len(matches) == 1:
        return (exact or matches)[0], []
    return None, matches


def resolve_company(member: Member, text: str) -> tuple[Company | None, list[Company]]:
    text = text.strip()
    if not text:
        return None, []
    companies = Company.objects.visible_to(member)
    if text.isdigit():
        return companies.filter(pk=int(text)).first(), []
    matches = list(companies.filter(name__icontains=text).order_by("name")[:20])
    exact = [c for c in matches if c.name.lower() == text.lower()]
    if len(exact) == 1 or len(matches) == 1:
        return (exact or matches)[0], []
    return None, matches
