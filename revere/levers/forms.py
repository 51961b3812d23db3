"""Forms of the levers' pages: validation only; the services do the work."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from revere.levers.models import GoalMetric
from revere.network.models import NetworkClass


def _points(label: str) -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=Decimal(0), max_value=Decimal(10**9), decimal_places=2)


class CreditRulesForm(forms.Form):
    introduction_points = _points("An introduction made")
    reference_points = _points("A reference given")
    assist_points = _points("An assist on a won deal")
    won_share = forms.DecimalField(
        label="Share of a won deal's amount, for an introduction that reached its buyer",
        min_value=Decimal(0),
        max_value=Decimal(1),
        decimal_places=4,
        help_text="A fraction: 0.01 is 1 %.",
        widget=forms.NumberInput(attrs={"step": "0.0001", "min": "0", "max": "1"}),
    )
    cap_per_period = forms.DecimalField(
        label="At most per member and month",
        min_value=Decimal(0),
        max_value=Decimal(10**12),
        decimal_places=2,
        required=False,
        help_text="Empty: no cap.",
    )


class GoalForm(forms.Form):
    target_value = forms.FloatField(label="Target", min_value=0, max_value=1_000_000)
    due_on = forms.DateField(label="By", widget=forms.DateInput(attrs={"type": "date"}))
    actions = forms.CharField(
        label="Actions (one a line)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def action_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("actions", "").splitlines() if line.strip()]


class GoalAddForm(forms.Form):
    network_class = forms.ChoiceField(label="Network", choices=NetworkClass.choices)
    metric = forms.ChoiceField(label="Measure", choices=GoalMetric.choices)
    target_value = forms.FloatField(label="Target", min_value=0, max_value=1_000_000)
    due_on = forms.DateField(label="By", widget=forms.DateInput(attrs={"type": "date"}))


class StructureForm(forms.Form):
    skills = forms.CharField(
        label="Skills the team needs (comma separated)",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "cloud, security, SAP"}),
    )
    deal = forms.IntegerField(required=False, widget=forms.HiddenInput)
    cross_functional = forms.BooleanField(label="One person from each function instead", required=False)

    def skill_list(self) -> list[str]:
        raw = self.cleaned_data.get("skills") or ""
        return list(dict.fromkeys(s.strip() for s in raw.split(",") if s.strip()))[:12]
