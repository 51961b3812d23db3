"""Forms of the playbook pages: validation only; the services do the work."""

from __future__ import annotations

from typing import Any

from django import forms

from revere.network.models import InteractionKind
from revere.playbook.cadence import DEFAULT_SNOOZE_DAYS
from revere.playbook.targets import MEASURES, TargetValues


class TouchForm(forms.Form):
    KIND_CHOICES = [
        (InteractionKind.CALL.value, "Called"),
        (InteractionKind.MEETING.value, "Met"),
        (InteractionKind.EMAIL.value, "E-mailed"),
        (InteractionKind.MESSAGE.value, "Messaged"),
    ]
    kind = forms.ChoiceField(choices=KIND_CHOICES, initial=InteractionKind.CALL.value)


class SnoozeForm(forms.Form):
    days = forms.IntegerField(min_value=1, max_value=365, initial=DEFAULT_SNOOZE_DAYS)


class CadenceForm(forms.Form):
    cadence_days = forms.IntegerField(min_value=0, max_value=730, required=False)


def _ratio(label: str, help_text: str = "") -> forms.FloatField:
    return forms.FloatField(
        label=label,
        min_value=0.0,
        max_value=1.0,
        required=False,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
    )


class TargetForm(forms.Form):
    min_size = forms.IntegerField(label="Size at least", min_value=0, max_value=100_000, initial=0)
    min_density = _ratio("Density at least")
    max_density = _ratio("Density at most")
    max_constraint = _ratio("Constraint at most")
    min_strength = _ratio("Mean strength at least")
    min_diversity = _ratio("Diversity at least")

    @classmethod
    def for_values(cls, values: TargetValues, *, prefix: str) -> TargetForm:
        return cls(initial={name: getattr(values, name) for name in MEASURES}, prefix=prefix)

    def values(self) -> TargetValues:
        data: dict[str, Any] = {name: self.cleaned_data.get(name) for name in MEASURES}
        data["min_size"] = int(data["min_size"] or 0)
        return TargetValues(**data)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lo, hi = cleaned.get("min_density"), cleaned.get("max_density")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("max_density", "The maximum density is below the minimum.")
        return cleaned
