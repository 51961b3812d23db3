"""Forms of the contact pages: they parse and check input; the writes are in ``editing``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse

from revere.contacts.identity import normalize_company_name
from revere.contacts.models import Company, CompanyStatus, Person, Seniority, SizeBand
from revere.tenancy.ids import valid_id
from revere.tenancy.models import Member

REPORTS_TO_CHOICES_MAX = 1000


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that calls an id beyond what the database stores invalid, not an error."""

    def to_python(self, value: Any) -> Any:
        try:
            if value not in self.empty_values and not valid_id(int(value)):
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        except (TypeError, ValueError):
            pass  # the parent reports it as an invalid choice
        return super().to_python(value)


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.replace(",", "\n").splitlines() if line.strip()]


def _suggest_attrs() -> dict[str, str]:
    """A text box that asks the server for matching company names as one types (htmx)."""
    return {
        "list": "company-names",
        "autocomplete": "off",
        "hx-get": reverse("company_suggest"),
        "hx-trigger": "input changed delay:250ms",
        "hx-target": "#company-names",
    }


class CompanyByNameField(forms.CharField):
    """A company of the member's organization, typed by name (legal forms and case ignored).

    A text box with suggestions scales to any number of companies, where a select would not.
    """

    def __init__(self, *, member: Member, **kwargs: Any) -> None:
        self.member = member
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value.name if isinstance(value, Company) else value

    def clean(self, value: Any) -> Company | None:  # type: ignore[override]
        name = super().clean(value)
        if not name:
            return None
        company = (
            Company.objects.visible_to(self.member)
            .filter(Q(normalized_name=normalize_company_name(name)) | Q(name__iexact=name.strip()))
            .order_by("id")
            .first()
        )
        if company is None:
            raise ValidationError(f"No company named {name} in your organization.")
        return company


class PersonForm(forms.Form):
    first_name = forms.CharField(max_length=120, required=False)
    last_name = forms.CharField(max_length=120, required=False)
    full_name = forms.CharField(
        max_length=255, required=False, help_text="Leave blank to use the first and last name."
    )
    title = forms.CharField(max_length=255, required=False)
    function = forms.CharField(max_length=120, required=False, help_text="Department or function.")
    seniority = forms.ChoiceField(choices=Seniority.choices, required=False)
    location = forms.CharField(max_length=255, required=False)
    region = forms.CharField(max_length=120, required=False)
    linkedin_url = forms.URLField(max_length=500, required=False, label="LinkedIn URL", assume_scheme="https")
    expertise = forms.CharField(required=False, help_text="Tags, separated by commas.")
    emails = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One per line; the first is primary.",
    )
    phones = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="One per line."
    )

    def __init__(self, *args: Any, member: Member, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        self.person = person
        self.fields["company"] = CompanyByNameField(
            member=member,
            max_length=255,
            widget=forms.TextInput(attrs=_suggest_attrs()),
        )
        # Validation looks the chosen manager up among all the organization's persons; the menu
        # offers the person's colleagues at the same company (the org chart they belong to).
        reports_to = IdChoiceField(
            queryset=Person.objects.visible_to(member).exclude(pk=person.pk),
            required=False,
            label="Reports to",
        )
        colleagues = Person.objects.visible_to(member).exclude(pk=person.pk).order_by("full_name", "id")
        colleagues = (
            colleagues.filter(company_id=person.company_id) if person.company_id else colleagues.none()
        )
        choices: list[tuple[Any, str]] = [("", "— nobody —")]
        choices += [
            (p.pk, f"{p.full_name} · {p.title}" if p.title else p.full_name)
            for p in colleagues.only("id", "full_name", "title")[:REPORTS_TO_CHOICES_MAX]
        ]
        manager = person.reports_to
        if manager is not None and all(pk != manager.pk for pk, _ in choices):
            company = f" ({manager.company.name})" if manager.company_id and manager.company else ""
            choices.append((manager.pk, f"{manager.full_name}{company}"))
        reports_to.widget.choices = choices
        self.fields["reports_to"] = reports_to
        self.order_fields(
            [
                "first_name",
                "last_name",
                "full_name",
                "company",
                "title",
                "function",
                "seniority",
                "reports_to",
            ]
        )
        if not self.is_bound:
            self.initial.update(
                {
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "full_name": person.full_name,
                    "company": person.company.name if person.company else "",
                    "title": person.title,
                    "function": person.function,
                    "seniority": person.seniority,
                    "reports_to": person.reports_to_id,
                    "location": person.location,
                    "region": person.region,
                    "linkedin_url": person.linkedin_url,
                    "expertise": ", ".join(person.expertise or []),
                }
            )
            if person.pk is not None:  # a new person has no e-mails or phones yet
                self.initial["emails"] = "\n".join(
                    person.emails.visible_to(member)
                    .order_by("-is_primary", "email")
                    .values_list("email", flat=True)
                )
                self.initial["phones"] = "\n".join(
                    person.phones.visible_to(member).order_by("e164").values_list("e164", flat=True)
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("full_name") or data.get("first_name") or data.get("last_name")):
            raise ValidationError("A person needs a name.")
        return data

    def person_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "first_name": d["first_name"],
            "last_name": d["last_name"],
            "full_name": d["full_name"],
            "company": d["company"],
            "title": d["title"],
            "function": d["function"],
            "seniority": d["seniority"],
            "reports_to": d["reports_to"],
            "location": d["location"],
            "region": d["region"],
            "linkedin_url": d["linkedin_url"],
            "expertise": _lines(d["expertise"]),
        }

    def email_list(self) -> list[str]:
        return _lines(self.cleaned_data["emails"])

    def phone_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["phones"].splitlines() if line.strip()]


class CompanyForm(forms.Form):
    name = forms.CharField(max_length=255)
    industry = forms.CharField(max_length=120, required=False)
    size_band = forms.ChoiceField(choices=SizeBand.choices, required=False, label="Size")
    region = forms.CharField(max_length=120, required=False)
    status = forms.ChoiceField(choices=CompanyStatus.choices)
    domains = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="One per line: example.com"
    )

    def __init__(self, *args: Any, member: Member, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        self.company = company
        self.fields["parent"] = CompanyByNameField(
            member=member,
            max_length=255,
            label="Parent company",
            widget=forms.TextInput(attrs=_suggest_attrs()),
        )
        if not self.is_bound:
            self.initial.update(
                {
                    "name": company.name,
                    "industry": company.industry,
                    "size_band": company.size_band,
                    "region": company.region,
                    "status": company.status,
                    "parent": company.parent.name if company.parent else "",
                }
            )
            if company.pk is not None:
                self.initial["domains"] = "\n".join(
                    company.domains.visible_to(member).order_by("domain").values_list("domain", flat=True)
                )

    def company_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: d[k] for k in ("name", "industry", "size_band", "region", "status", "parent")}

    def domain_list(self) -> list[str]:
        return _lines(self.cleaned_data["domains"])


class MergeForm(forms.Form):
    """Two persons of the organization to merge: ``keep`` stays, ``merge`` folds into it."""

    keep = IdChoiceField(queryset=Person.objects.none(), widget=forms.HiddenInput)
    merge = IdChoiceField(queryset=Person.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = Person.objects.visible_to(member)  # type: ignore[attr-defined]
        self.fields["merge"].queryset = Person.objects.visible_to(member)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        keep, merge = data.get("keep"), data.get("merge")
        if keep is not None and merge is not None and keep.pk == merge.pk:
            raise ValidationError("Choose two different persons.")
        return data
