"""Forms of the record pieces: they parse and check input; the services (revere.network.services) write."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from revere.network.models import InteractionKind, NetworkClass, Tie, Visibility
from revere.network.services import STATED_STRENGTHS

#: "How well" choices: the stated strengths, or the interactions decide.
COMPUTED = ""
CURRENT = "current"

#: "How well do they know each other?" for a stated link.
LINK_WEIGHTS: dict[str, tuple[float, str]] = {
    "well": (0.8, "Well: they work closely together"),
    "somewhat": (0.5, "Somewhat: they know each other"),
    "barely": (0.2, "Barely: they have met"),
}


class TieForm(forms.Form):
    """My tie to a person: how well I know them, how, who sees it, how often to keep in touch."""

    how_well = forms.ChoiceField(label="How well do you know them?", required=False)
    notes = forms.CharField(
        label="How do you know them?",
        required=False,
        max_length=5000,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "e.g. met at the Lisbon fair; former colleague at Acme"}
        ),
        help_text="Private to you.",
    )
    network_class_override = forms.ChoiceField(
        label="Network",
        required=False,
        choices=[("", "Automatic (from their company)"), *NetworkClass.choices],
    )
    visibility = forms.ChoiceField(
        label="Who sees this tie",
        choices=[
            (Visibility.TEAM, "My team sees how strong it is (never the notes)"),
            (Visibility.PRIVATE, "Private: teammates only see “ask me”"),
        ],
        initial=Visibility.TEAM,
        widget=forms.RadioSelect,
    )
    cadence_days = forms.IntegerField(
        label="Keep in touch every … days",
        required=False,
        min_value=0,
        max_value=730,
        help_text="0: never remind me; empty: the default for their network or role.",
    )
    since = forms.DateField(
        label="Known since", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, tie: Tie | None = None, **kwargs: Any) -> None:
        if tie is not None and "initial" not in kwargs:
            kwargs["initial"] = tie_initial(tie)
        super().__init__(*args, **kwargs)
        self.tie = tie
        choices: list[tuple[str, str]] = [(COMPUTED, "Let my interactions decide")]
        choices += [(key, label) for key, (_value, label) in STATED_STRENGTHS.items()]
        if tie is not None and tie.strength_override is not None and _preset(tie.strength_override) is None:
            choices.append((CURRENT, f"My own value: {tie.strength_override:.2f}"))
        self.fields["how_well"].choices = choices  # type: ignore[attr-defined]

    @property
    def how(self) -> list[Any]:
        """How well and how: what the new-contact form asks first."""
        return [self["how_well"], self["notes"]]

    @property
    def more(self) -> list[Any]:
        return [self["network_class_override"], self["visibility"], self["cadence_days"], self["since"]]

    def changes(self) -> dict[str, Any]:
        """What the tie editor takes (revere.network.services.tie_save)."""
        data = self.cleaned_data
        out: dict[str, Any] = {
            "notes": data.get("notes") or "",
            "network_class_override": data.get("network_class_override") or "",
            "visibility": data.get("visibility") or Visibility.TEAM,
            "cadence_days": data.get("cadence_days"),
        }
        how = data.get("how_well") or COMPUTED
        if how != CURRENT:
            out["strength_override"] = STATED_STRENGTHS[how][0] if how in STATED_STRENGTHS else None
        if data.get("since") is not None:
            out["since"] = data["since"]
        return out


def _preset(value: float) -> str | None:
    return next((key for key, (v, _l) in STATED_STRENGTHS.items() if abs(v - value) < 1e-9), None)


def tie_initial(tie: Tie) -> dict[str, Any]:
    how = COMPUTED
    if tie.strength_override is not None:
        how = _preset(tie.strength_override) or CURRENT
    return {
        "how_well": how,
        "notes": tie.notes,
        "network_class_override": tie.network_class_override,
        "visibility": tie.visibility,
        "cadence_days": tie.cadence_days,
        "since": tie.since,
    }


class InteractionForm(forms.Form):
    """A meeting, call, e-mail, message or event, when, what about, and who else (``with``: person ids)."""

    kind = forms.ChoiceField(label="What", choices=InteractionKind.choices, initial=InteractionKind.MEETING)
    occurred_at = forms.DateTimeField(
        label="When",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text="Empty: now.",
    )
    subject = forms.CharField(label="About", required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.with_ids = _ids(_getlist(self.data, "with") if self.is_bound else [])

    @property
    def kind_and_when(self) -> list[Any]:
        return [self["kind"], self["occurred_at"]]

    @property
    def about(self) -> list[Any]:
        return [self["subject"]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.with_ids:
            self.add_error(None, "Choose who else was there: type a name and pick them.")
        when: datetime | None = cleaned.get("occurred_at")
        if when is not None and timezone.is_naive(when):
            cleaned["occurred_at"] = timezone.make_aware(when)
        return cleaned


def _getlist(data: Any, key: str) -> list[str]:
    """All values of ``key`` in posted data (a QueryDict), or in a plain dict."""
    if hasattr(data, "getlist"):
        return list(data.getlist(key))
    value = data.get(key)
    return [] if value is None else list(value) if isinstance(value, list | tuple) else [value]


def _ids(values: list[str]) -> list[int]:
    out: list[int] = []
    for v in values:
        try:
            pk = int(v)
        except (TypeError, ValueError):
            continue
        if pk not in out:
            out.append(pk)
    return out


class LinkForm(forms.Form):
    """Two persons know each other: ``a`` (the page's person) and ``b`` (picked), and how well."""

    a = forms.IntegerField(widget=forms.HiddenInput)
    b = forms.IntegerField(required=False, widget=forms.HiddenInput)
    how_well = forms.ChoiceField(
        label="How well",
        choices=[(k, label) for k, (_w, label) in LINK_WEIGHTS.items()],
        initial="somewhat",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.data.get("b"):
            picked = _ids(_getlist(self.data, "with"))
            if picked:
                data = dict(self.data.items())
                data["b"] = str(picked[0])
                self.data = data

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("b"):
            self.add_error(None, "Choose who they know: type a name and pick them.")
        return cleaned

    @property
    def how(self) -> list[Any]:
        return [self["how_well"]]

    @property
    def weight(self) -> float:
        return LINK_WEIGHTS[self.cleaned_data["how_well"]][0]
