"""The record pieces' views: my tie to a person, logging an interaction, stated links, the people typeahead.

Each view validates its form, calls one service of revere.network.services, and sends the member back
where they came from (the person's page, the keep-in-touch queue, a deal) with a one-line note: the
next page shows every figure changed. A person the member may not see is a 404, nothing written.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from revere.contacts.models import Person
from revere.network.models import Link, Tie
from revere.network.services import (
    interaction_log,
    link_state,
    link_unstate,
    strength_band,
    tie_remove,
    tie_save,
)
from revere.tenancy.decorators import member_required
from revere.tenancy.models import Member
from revere.web.contacts.views import render_person
from revere.web.record.forms import InteractionForm, LinkForm, TieForm
from revere.web.record.selectors import person_pick


def _member(request: HttpRequest) -> Member:
    return request.member  # type: ignore[attr-defined,no-any-return]


def _next(request: HttpRequest, default: str) -> str:
    """Where to go back to: the form's ``next`` if it is a path on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
@member_required
@require_POST
def tie_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    """Add or change my tie to a person (the tie card of the person's page)."""
    member = _member(request)
    form = TieForm(request.POST, prefix="tie")
    if not form.is_valid():
        return render_person(request, person_id, tie_form=form, status=400)
    try:
        tie, created = tie_save(member=member, person_id=person_id, changes=form.changes())
    except Person.DoesNotExist as exc:
        raise Http404("No such person.") from exc
    except ValidationError as exc:
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
        return render_person(request, person_id, tie_form=form, status=400)
    band = strength_band(tie.effective_strength)
    verb = "added: they are in your network" if created else "saved"
    messages.success(request, f"Your tie to {tie.person.full_name} {verb} ({band}, {tie.effective_class}).")
    return redirect(_next(request, reverse("contact", args=[person_id])))


@login_required
@member_required
@require_POST
def tie_delete(request: HttpRequest, person_id: int) -> HttpResponse:
    """Remove my tie to a person: they leave my network; notes and history stay."""
    try:
        tie = tie_remove(member=_member(request), person_id=person_id)
    except (Person.DoesNotExist, Tie.DoesNotExist) as exc:
        raise Http404("You have no tie to this person.") from exc
    messages.success(
        request, f"Removed {tie.person.full_name} from your network. Add your tie again any time."
    )
    return redirect(_next(request, reverse("contact", args=[person_id])))


def _chips(member: Member, ids: list[int]) -> list[dict[str, Any]]:
    """The chosen persons as chips (only those the member may see)."""
    if not ids:
        return []
    names = dict(Person.objects.visible_to(member).filter(pk__in=ids).values_list("id", "full_name"))
    return [{"id": pk, "name": names[pk]} for pk in ids if pk in names and pk != member.person_id]


@login_required
@member_required
@require_http_methods(["GET", "POST"])
def interaction_new(request: HttpRequest) -> HttpResponse:
    """Log a meeting, call, e-mail, message or event. GET ``?with=<id>&next=<path>`` prefills the people;
    to htmx it answers with the form alone (the keep-in-touch queue opens it in place)."""
    member = _member(request)
    key = ""
    if request.method == "POST":
        form = InteractionForm(request.POST)
        if form.is_valid():
            try:
                logged = interaction_log(
                    member=member,
                    kind=form.cleaned_data["kind"],
                    person_ids=form.with_ids,
                    occurred_at=form.cleaned_data.get("occurred_at"),
                    subject=form.cleaned_data.get("subject") or "",
                )
            except Person.DoesNotExist as exc:
                raise Http404("No such person.") from exc
            except ValidationError as exc:
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                messages.success(request, logged_note(logged))
                first = logged.persons[0].pk
                return redirect(_next(request, reverse("contact", args=[first])))
        chosen = form.with_ids
        status = 400
    else:
        # Several forms on one page (the keep-in-touch queue) each get ids of their own.
        key = request.GET.get("key", "")
        key = key if key.isdigit() and len(key) < 20 else ""
        form = InteractionForm(auto_id=f"id_log{key}_%s" if key else "id_%s")
        chosen = [pk for pk in (_int(v) for v in request.GET.getlist("with")) if pk]
        status = 200
    context = {
        "form": form,
        "chips": _chips(member, chosen),
        "next": _next(request, ""),
        "pid": f"log-with-{key}" if key else "log-with",
    }
    if getattr(request, "htmx", False) and request.method == "GET":
        return render(request, "record/_interaction_form.html", context)
    return render(request, "record/interaction_page.html", context, status=status)


def logged_note(logged: Any) -> str:
    """One line after a log: who, and what it did to the member's ties."""
    names = ", ".join(p.full_name for p in logged.persons[:4])
    if len(logged.persons) > 4:
        names += f" and {len(logged.persons) - 4} more"
    kind = logged.interaction.get_kind_display().lower()
    ties = "; ".join(
        f"{t.person.full_name} now {strength_band(t.effective_strength)} ({t.effective_strength:.2f})"
        for t in logged.ties[:3]
    )
    links = (
        f"; {logged.links_added} new link{'s' if logged.links_added != 1 else ''} among them"
        if logged.links_added
        else ""
    )
    return f"Logged a {kind} with {names}. {ties}{links}."


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@member_required
@require_POST
def link_new(request: HttpRequest) -> HttpResponse:
    """State that the page's person and a picked person know each other."""
    member = _member(request)
    form = LinkForm(request.POST)
    a = _int(request.POST.get("a"))
    if not form.is_valid():
        if a is None:
            raise Http404("No such person.")
        return render_person(request, a, link_form=form, status=400)
    a, b = form.cleaned_data["a"], form.cleaned_data["b"]
    try:
        link, created = link_state(member=member, a_id=a, b_id=b, weight=form.weight)
    except Person.DoesNotExist as exc:
        raise Http404("No such person.") from exc
    except ValidationError as exc:
        form.add_error(None, _errors(exc))
        return render_person(request, a, link_form=form, status=400)
    other = Person.objects.visible_to(member).get(pk=b)
    if created:
        messages.success(request, f"Noted: they know {other.full_name}.")
    elif link.source == "stated":
        messages.success(request, f"Updated how well they know {other.full_name}.")
    else:
        messages.info(
            request, f"Already on record: they know {other.full_name} ({link.get_source_display().lower()})."
        )
    return redirect(_next(request, reverse("contact", args=[a])))


@login_required
@member_required
@require_POST
def link_delete(request: HttpRequest) -> HttpResponse:
    """Take back a link the member stated."""
    a, b = _int(request.POST.get("a")), _int(request.POST.get("b"))
    if a is None or b is None:
        raise Http404("No such link.")
    back = _next(request, reverse("contact", args=[a]))
    try:
        link_unstate(member=_member(request), a_id=a, b_id=b)
    except (Person.DoesNotExist, Link.DoesNotExist) as exc:
        raise Http404("No such link.") from exc
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc) if isinstance(exc, ValidationError) else str(exc))
        return redirect(back)
    messages.success(request, "Taken back: that link is gone from the map.")
    return redirect(back)


@login_required
@member_required
@require_GET
def people_pick(request: HttpRequest) -> HttpResponse:
    """The typeahead's matches, as a list of buttons (htmx swaps them under the box)."""
    q = (request.GET.get("q") or "")[:200]
    picks = person_pick(member=_member(request), q=q)
    return render(request, "record/_picks.html", {"picks": picks, "q": q.strip()})
