"""Contact pages: the lists, a person, a company and its org chart, editing, merging duplicates.

Each view validates its input, calls one selector or service, and renders; a list serves its
whole page or, to htmx, only its results. Another organization's id is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST

from revere.contacts.editing import company_create, company_update, person_update
from revere.contacts.forms import CompanyForm, MergeForm, PersonForm
from revere.contacts.models import Company, CompanyStatus, Person
from revere.ingest.merge import person_merge as person_merge_service
from revere.ingest.merge import person_merge_undo as person_merge_undo_service
from revere.network.models import NetworkClass
from revere.network.services import contact_add, strength_band
from revere.tenancy.decorators import member_required
from revere.tenancy.models import Member
from revere.web.contacts import selectors
from revere.web.record.forms import InteractionForm, LinkForm, TieForm

T = TypeVar("T")


def _member(request: HttpRequest) -> Member:
    return request.member  # type: ignore[attr-defined,no-any-return]


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default


def _choice(value: str | None, allowed: list[str]) -> str:
    return value if value in allowed else ""


def finder_url(person_id: int | None = None, *, company_id: int | None = None) -> str | None:
    """The middleman finder's address for paths in to a person (or a company), once it exists."""
    try:
        base = reverse("finder")
    except NoReverseMatch:
        return None
    return f"{base}?company={company_id}" if company_id is not None else f"{base}?to={person_id}"


def _submit(request: HttpRequest, form: BaseForm, save: Callable[[], T]) -> T | None:
    """What ``save`` (one service call) returns, on a POST whose form is valid; else None.

    The service's ValidationError is shown on the form, as an error of the whole form.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save()
    except ValidationError as e:
        form.add_error(None, e)
        return None


def _results_only(request: HttpRequest) -> bool:
    """htmx asks for the results alone, except when it restores a page from history."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


def _vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """The same URL serves a page or its results: caches must tell them apart."""
    patch_vary_headers(response, ("HX-Request",))
    return response


def _querystring(request: HttpRequest) -> str:
    q = request.GET.copy()
    q.pop("page", None)
    return q.urlencode()


@login_required
@member_required
def person_list(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    g = request.GET
    filters = selectors.PersonFilters(
        q=g.get("q", "")[:200],
        company_id=_int(g.get("company")),
        status=_choice(g.get("status"), CompanyStatus.values),
        industry=g.get("industry", "")[:120],
        tied=_choice(g.get("tied"), ["me", "team"]),
        network_class=_choice(g.get("network_class"), NetworkClass.values),
        sort=_choice(g.get("sort"), ["strength", "recent"]),
    )
    page = selectors.person_list(member=member, filters=filters, page=_int(g.get("page"), 1) or 1)
    context: dict[str, Any] = {
        "page": page,
        "filters": filters,
        "querystring": _querystring(request),
        "statuses": CompanyStatus.choices,
        "classes": NetworkClass.choices,
    }
    template = "contacts/person_list.html"
    if _results_only(request):
        template += "#results"
    else:
        context["facets"] = selectors.company_facets(member=member)
        if filters.company_id:
            context["company"] = selectors.company_get(member=member, company_id=filters.company_id)
    return _vary_on_htmx(render(request, template, context))


def render_person(
    request: HttpRequest,
    person_id: int,
    *,
    tie_form: TieForm | None = None,
    log_form: InteractionForm | None = None,
    link_form: LinkForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """A person's page, with the record forms (my tie, log an interaction, who they know); a form
    given here is shown as posted, with its errors."""
    member = _member(request)
    detail = selectors.person_detail(member=member, person_id=person_id)
    if detail is None:
        raise Http404("No such person.")
    is_me = detail.person.pk == member.person_id
    context: dict[str, Any] = {
        "d": detail,
        "finder_url": finder_url(person_id),
        "is_me": is_me,
        "tie_form": tie_form or TieForm(tie=detail.own_tie, prefix="tie"),  # type: ignore[arg-type]
        "tie_open": tie_form is not None or detail.own_tie is None,
        "log_form": log_form or InteractionForm(),
        "log_chips": [] if is_me else [{"id": detail.person.pk, "name": detail.person.full_name}],
        "link_form": link_form or LinkForm(initial={"a": detail.person.pk}),
        "link_chips": [],
    }
    own = detail.own_tie
    if own is not None:
        value = own.strength if own.strength_override is None else own.strength_override
        context["own_strength"], context["own_band"] = value, strength_band(value)
    if link_form is not None and link_form.is_bound and link_form.data.get("b"):
        other = selectors.person_get(member=member, person_id=_int(link_form.data.get("b")) or 0)
        if other is not None:
            context["link_chips"] = [{"id": other.pk, "name": other.full_name}]
    return render(request, "contacts/person_detail.html", context, status=status)


@login_required
@member_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    return render_person(request, person_id)


@login_required
@member_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    member = _member(request)
    person = selectors.person_get(member=member, person_id=person_id)
    if person is None:
        raise Http404("No such person.")
    form = PersonForm(request.POST or None, member=member, person=person)
    saved = _submit(
        request,
        form,
        lambda: person_update(
            person=person, data=form.person_data(), emails=form.email_list(), phones=form.phone_list()
        ),
    )
    if saved is not None:
        messages.success(request, f"{saved.full_name} saved.")
        return redirect("contact", person_id=saved.pk)
    return render(request, "contacts/person_form.html", {"form": form, "person": person})


@login_required
@member_required
@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest) -> HttpResponse:
    """A person typed in by hand (``?company=<id>`` starts them at that company)."""
    member = _member(request)
    blank = Person(organization_id=member.organization_id)
    company_id = _int(request.GET.get("company"))
    if company_id:
        blank.company = selectors.company_get(member=member, company_id=company_id)
    form = PersonForm(request.POST or None, member=member, person=blank)
    tie_form = TieForm(request.POST or None, prefix="tie")
    # "I know them" is ticked unless the member unticks it: a contact typed in is usually one's own.
    add_tie = request.method != "POST" or request.POST.get("add_tie") == "on"
    if request.method == "POST" and add_tie and not tie_form.is_valid():
        form.is_valid()  # show the person's errors too
        return render(
            request,
            "contacts/person_form.html",
            {"form": form, "person": None, "tie_form": tie_form, "add_tie": add_tie},
        )
    added = _submit(
        request,
        form,
        lambda: contact_add(
            member=member,
            data=form.person_data(),
            emails=form.email_list(),
            phones=form.phone_list(),
            tie=tie_form.changes() if add_tie else None,
        ),
    )
    if added is not None:
        person, tie = added
        if tie is None:
            messages.success(request, f"{person.full_name} added.")
        else:
            messages.success(request, f"{person.full_name} added, and to your {tie.effective_class} network.")
        return redirect("contact", person_id=person.pk)
    context = {"form": form, "person": None, "tie_form": tie_form, "add_tie": add_tie}
    return render(request, "contacts/person_form.html", context)


@login_required
@member_required
def person_search(request: HttpRequest) -> HttpResponse:
    """Matches for one slot of the merge page (``keep`` or ``merge``), as a partial for htmx."""
    slot = _choice(request.GET.get("slot"), ["keep", "merge"]) or "keep"
    q = (request.GET.get(f"q_{slot}") or request.GET.get("q") or "")[:200]
    persons = selectors.person_search(member=_member(request), q=q)
    return render(
        request, "contacts/person_matches.html", {"persons": persons, **_merge_slots(request, slot, q)}
    )


def _merge_slots(request: HttpRequest, slot: str, q: str) -> dict[str, Any]:
    return {
        "slot": slot,
        "q": q,
        "keep_id": _int(request.POST.get("keep") or request.GET.get("keep")),
        "merge_id": _int(request.POST.get("merge") or request.GET.get("merge")),
    }


@login_required
@member_required
def company_list(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    g = request.GET
    filters = selectors.CompanyFilters(
        q=g.get("q", "")[:200],
        status=_choice(g.get("status"), CompanyStatus.values),
        industry=g.get("industry", "")[:120],
        region=g.get("region", "")[:120],
    )
    page = selectors.company_list(member=member, filters=filters, page=_int(g.get("page"), 1) or 1)
    context: dict[str, Any] = {
        "page": page,
        "filters": filters,
        "querystring": _querystring(request),
        "statuses": CompanyStatus.choices,
    }
    template = "contacts/company_list.html"
    if _results_only(request):
        template += "#results"
    else:
        context["facets"] = selectors.company_facets(member=member)
    return _vary_on_htmx(render(request, template, context))


@login_required
@member_required
def company_detail(request: HttpRequest, company_id: int) -> HttpResponse:
    chart = selectors.company_org_chart(member=_member(request), company_id=company_id)
    if chart is None:
        raise Http404("No such company.")
    return render(
        request,
        "contacts/company_detail.html",
        {"chart": chart, "company": chart.company, "finder_url": finder_url(company_id=company_id)},
    )


@login_required
@member_required
@require_http_methods(["GET", "POST"])
def company_edit(request: HttpRequest, company_id: int) -> HttpResponse:
    member = _member(request)
    company = selectors.company_get(member=member, company_id=company_id)
    if company is None:
        raise Http404("No such company.")
    form = CompanyForm(request.POST or None, member=member, company=company)
    saved = _submit(
        request,
        form,
        lambda: company_update(company=company, data=form.company_data(), domains=form.domain_list()),
    )
    if saved is not None:
        messages.success(request, f"{saved.name} saved.")
        return redirect("company", company_id=saved.pk)
    return render(request, "contacts/company_form.html", {"form": form, "company": company})


@login_required
@member_required
@require_http_methods(["GET", "POST"])
def company_new(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    blank = Company(organization_id=member.organization_id, status=CompanyStatus.PROSPECT)
    form = CompanyForm(request.POST or None, member=member, company=blank)
    company = _submit(
        request,
        form,
        lambda: company_create(
            organization_id=member.organization_id, data=form.company_data(), domains=form.domain_list()
        ),
    )
    if company is not None:
        messages.success(request, f"{company.name} added.")
        return redirect("company", company_id=company.pk)
    return render(request, "contacts/company_form.html", {"form": form, "company": None})


@login_required
@member_required
def company_suggest(request: HttpRequest) -> HttpResponse:
    """Company names starting or containing what was typed, as <option>s for a datalist."""
    q = request.GET.get("company") or request.GET.get("parent") or request.GET.get("q") or ""
    companies = selectors.company_search(member=_member(request), q=q[:200])
    return render(request, "contacts/company_suggest.html", {"companies": companies})


@login_required
@member_required
@require_http_methods(["GET", "POST"])
def person_merge(request: HttpRequest) -> HttpResponse:
    """Pick two persons (by search, or from a person's page) and merge the second into the first."""
    member = _member(request)
    form = MergeForm(request.POST or None, member=member)
    merge = _submit(
        request,
        form,
        lambda: person_merge_service(
            keep=form.cleaned_data["keep"],
            other=form.cleaned_data["merge"],
            member=member,
            reason="merged on the contacts page",
        ),
    )
    if merge is not None:
        keep, other = form.cleaned_data["keep"], form.cleaned_data["merge"]
        messages.success(request, f"{other.full_name} was merged into {keep.full_name}.")
        return redirect("contact", person_id=keep.pk)
    slots = _merge_slots(request, "keep", "")
    context: dict[str, Any] = {"form": form, **slots}
    for slot in ("keep", "merge"):
        pk = slots[f"{slot}_id"]
        context[slot] = selectors.person_detail(member=member, person_id=pk) if pk else None
        q = request.GET.get(f"q_{slot}", "")[:200]
        context[f"q_{slot}"] = q
        context[f"matches_{slot}"] = selectors.person_search(member=member, q=q) if q else []
    return render(request, "contacts/merge.html", context)


@login_required
@member_required
@require_POST
def person_merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    """Undo a merge into a person: the merged person comes back with every row that was theirs."""
    member = _member(request)
    merge = selectors.person_merge_get(member=member, merge_id=merge_id)
    if merge is None:
        raise Http404("No such merge.")
    try:
        restored = person_merge_undo_service(merge=merge, member=member)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("contact", person_id=merge.kept_id)
    messages.success(request, f"Undone: {restored.full_name} is a person of their own again.")
    return redirect("contact", person_id=restored.pk)
