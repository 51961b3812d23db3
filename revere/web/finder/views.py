"""The middleman finder's pages and the introductions asked from it: validate, call one selector or
service, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from revere.levers.services import introduction_decline, introduction_mark_made, introduction_request
from revere.network.finder import MAX_INTERMEDIARIES
from revere.tenancy.decorators import member_required
from revere.tenancy.models import Member
from revere.web.finder.page import finder_page


def _member(request: HttpRequest) -> Member:
    return request.member  # type: ignore[attr-defined,no-any-return]


class FinderForm(forms.Form):
    to = forms.CharField(required=False, max_length=200, label="A person (name, e-mail)")
    company = forms.CharField(required=False, max_length=200, label="or a company")
    source = forms.ChoiceField(
        choices=[("team", "Me and my team"), ("me", "Me only")], required=False, label="From"
    )
    k = forms.IntegerField(
        min_value=1,
        max_value=20,
        required=False,
        label="Paths",
        widget=forms.NumberInput(attrs={"placeholder": "5"}),
    )
    hops = forms.IntegerField(
        min_value=1,
        max_value=6,
        required=False,
        label="Intermediaries at most",
        widget=forms.NumberInput(attrs={"placeholder": str(MAX_INTERMEDIARIES)}),
    )


@login_required
@member_required
@require_GET
def finder(request: HttpRequest) -> HttpResponse:
    form = FinderForm(request.GET or None)
    context: dict[str, object] = {"form": form}
    data = form.cleaned_data if form.is_valid() else {}
    context["page"] = finder_page(
        member=_member(request),
        to=data.get("to") or "",
        company=data.get("company") or "",
        from_team=(data.get("source") or "team") == "team",
        k=data.get("k") or 5,
        max_intermediaries=data.get("hops") or MAX_INTERMEDIARIES,
    )
    return render(request, "network/finder.html", context)


def _back(request: HttpRequest) -> HttpResponse:
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect("finder")


@login_required
@member_required
@require_POST
def introduction_ask(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    try:
        introducer = Member.objects.visible_to(member).get(pk=int(request.POST.get("introducer", "0")))
        person_id = int(request.POST.get("person", "0"))
    except (ValueError, Member.DoesNotExist) as err:
        raise Http404("No such member") from err
    try:
        introduction_request(
            member=member, introducer=introducer, person_id=person_id, notes=request.POST.get("notes", "")
        )
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, f"Introduction asked of {introducer.person.full_name}; it is pending.")
    return _back(request)


def _settle(request: HttpRequest, contribution_id: int, made: bool) -> HttpResponse:
    member = _member(request)
    try:
        if made:
            introduction_mark_made(member=member, contribution_id=contribution_id)
            messages.success(request, "Introduction marked made: it counts in the contribution ledger.")
        else:
            introduction_decline(member=member, contribution_id=contribution_id)
            messages.success(request, "Introduction closed.")
    except PermissionDenied as err:
        raise Http404("No such introduction") from err
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    return _back(request)


@login_required
@member_required
@require_POST
def introduction_made(request: HttpRequest, contribution_id: int) -> HttpResponse:
    return _settle(request, contribution_id, made=True)


@login_required
@member_required
@require_POST
def introduction_declined(request: HttpRequest, contribution_id: int) -> HttpResponse:
    return _settle(request, contribution_id, made=False)
