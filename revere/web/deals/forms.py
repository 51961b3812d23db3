"""Forms of the deal pages: they parse and check input; revere.deals' services write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from revere.contacts.forms import CompanyByNameField
from revere.contacts.models import Person
from revere.deals.models import BuyingRoleKind, Deal, Stage, Stance
from revere.tenancy.models import Member, Team
from revere.web.deals.backend import BOARD_STAGES

MAX_AMOUNT = Decimal("999999999999.99")


def _members(member: Member) -> list[tuple[int, str]]:
    return [
        (pk, name)
        for pk, name in Member.objects.visible_to(member)
        .filter(is_active=True)
        .order_by("person__full_name", "pk")
        .values_list("pk", "person__full_name")
    ]


def _lines(value: str) -> list[str]:
    seen: list[str] = []
    for part in value.replace("\n", ",").split(","):
        tag = part.strip()
        if tag and tag.lower() not in [s.lower() for s in seen]:
            seen.append(tag)
    return seen


class DealForm(forms.Form):
    """A new deal, or the fields of one: name, company, amount, close date, owner, needed expertise."""

    name = forms.CharField(max_length=255, help_text="e.g. Acme fleet tracking")
    amount = forms.DecimalField(
        required=False, min_value=Decimal(0), max_value=MAX_AMOUNT, decimal_places=2, max_digits=14
    )
    currency = forms.CharField(max_length=3, min_length=3, initial="USD")
    expected_close = forms.DateField(
        label="Expected close", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    owner = forms.TypedChoiceField(coerce=int, label="Owner")
    needed_expertise = forms.CharField(
        label="Needed expertise",
        required=False,
        max_length=2000,
        help_text="Skills the solution needs, separated by commas (e.g. telematics, SAP integration).",
    )

    def __init__(self, *args: Any, member: Member, deal: Deal | None = None, **kwargs: Any) -> None:
        if deal is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": deal.name,
                "company": deal.company.name,
                "amount": deal.amount,
                "currency": deal.currency,
                "expected_close": deal.expected_close,
                "owner": deal.owner_id,
                "needed_expertise": ", ".join(deal.needed_expertise or []),
            }
        super().__init__(*args, **kwargs)
        self.member = member
        company = CompanyByNameField(
            member=member,
            required=True,
            label="Company",
            max_length=255,
            help_text="The buyer, typed by name; suggestions appear as you type.",
        )
        company.widget.attrs.update(
            {
                "list": "company-names",
                "autocomplete": "off",
                "hx-get": reverse("company_suggest"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#company-names",
            }
        )
        fields = list(self.fields.items())
        fields.insert(1, ("company", company))
        self.fields = dict(fields)  # type: ignore[assignment]
        self.fields["owner"].choices = _members(member)  # type: ignore[attr-defined]
        self.fields["owner"].initial = self.initial.get("owner", member.pk)

    def clean_currency(self) -> str:
        value = str(self.cleaned_data["currency"]).strip().upper()
        if not value.isalpha():
            raise forms.ValidationError("A currency is three letters, e.g. USD or EUR.")
        return value

    def clean_needed_expertise(self) -> list[str]:
        return _lines(self.cleaned_data.get("needed_expertise") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("owner") is not None:
            data["owner"] = Member.objects.visible_to(self.member).filter(pk=data["owner"]).first()
        return data


class MoveForm(forms.Form):
    to_stage = forms.ChoiceField(label="Move to", choices=[(s.value, s.label) for s in BOARD_STAGES])
    reason = forms.CharField(
        label="Reason", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class QuickSelect(forms.Select):
    """A select rendered with format_html: the board's company filter, a deal's teammates and the
    buyer's people may list hundreds of choices, which Django's per-option widget templates render
    at about a millisecond each (docs/benchmarks.md, "Deals")."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            [(v, mark_safe(" selected") if str(v) == chosen else "", label) for v, label in self.choices],
        )
        attributes = flatatt(final)
        return format_html("<select{}>{}</select>", attributes, options)


class BoardFilterForm(forms.Form):
    """The board's filters; anything unreadable is ignored (an empty filter)."""

    owner = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="Owner", widget=QuickSelect
    )
    team = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Team")
    company = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="Company", widget=QuickSelect
    )
    amount_min = forms.DecimalField(required=False, min_value=0, max_value=MAX_AMOUNT, label="Amount from")
    amount_max = forms.DecimalField(required=False, min_value=0, max_value=MAX_AMOUNT, label="Amount to")
    close_from = forms.DateField(
        required=False, label="Closing from", widget=forms.DateInput(attrs={"type": "date"})
    )
    close_to = forms.DateField(
        required=False, label="Closing to", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, member: Member, companies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Anyone"), *_members(member)]  # type: ignore[attr-defined]
        teams = Team.objects.visible_to(member).order_by("name").values_list("pk", "name")
        self.fields["team"].choices = [("", "Any team"), *teams]  # type: ignore[attr-defined]
        self.fields["company"].choices = [("", "Any company"), *companies]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The filters that parsed; a field with an error is dropped, not fatal."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in (None, "") and k not in self.errors}


class TeammateForm(forms.Form):
    teammate = forms.TypedChoiceField(coerce=int, label="Add a teammate", widget=QuickSelect)

    def __init__(self, *args: Any, member: Member, exclude: set[int] = frozenset(), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["teammate"].choices = [(pk, n) for pk, n in _members(member) if pk not in exclude]  # type: ignore[attr-defined]

    def clean_teammate(self) -> Member:
        found = Member.objects.visible_to(self.member).filter(pk=self.cleaned_data["teammate"]).first()
        if found is None:
            raise forms.ValidationError("No such colleague.")
        return found


class BuyingRoleForm(forms.Form):
    person = forms.TypedChoiceField(coerce=int, label="Person at the buyer", widget=QuickSelect)
    role = forms.ChoiceField(choices=BuyingRoleKind.choices)
    stance = forms.ChoiceField(choices=Stance.choices, initial=Stance.NEUTRAL)

    def __init__(self, *args: Any, member: Member, deal: Deal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        self.deal = deal
        people = (
            Person.objects.visible_to(member)
            .filter(company_id=deal.company_id)
            .order_by("full_name", "pk")
            .values_list("pk", "full_name", "title")[:500]
        )
        self.fields["person"].choices = [  # type: ignore[attr-defined]
            (pk, f"{name} · {title}" if title else name) for pk, name, title in people
        ]

    def clean_person(self) -> Person:
        found = Person.objects.visible_to(self.member).filter(pk=self.cleaned_data["person"]).first()
        if found is None:
            raise forms.ValidationError("No such person.")
        return found


STAGE_LABELS = dict(Stage.choices)
