"""Merging duplicates, and undoing a merge.

A person merge moves every row that points at the merged person (e-mails, phones, source
records, ties, links, interactions, buying roles, references, contributions, reports) onto the
kept person, fills the kept person's empty fields, and deletes the merged person. Rows that would
collide with what the kept person already has (the same tie, the same participant, a link between
the two) are deleted instead. All of it is written to a PersonMerge, so undo puts every row back.
The rows pointing at Person are found through the model's relations, so a model added later is
covered without touching this module.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ForeignObjectRel
from django.utils import timezone

from revere.contacts.models import (
    Company,
    CompanyMerge,
    MergeCandidate,
    Person,
    PersonMerge,
)
from revere.ingest.merge.imports import import_merge_recompute, import_merge_undo, kept_fields
from revere.tenancy.restricted import manager_for

FILLABLE = (
    "first_name",
    "last_name",
    "title",
    "function",
    "seniority",
    "location",
    "region",
    "linkedin_url",
    "company_id",
    "reports_to_id",
)
# Relations a merge never moves: the review queue of the merged person goes with them, and the
# history of merges into them stays readable from the kept person through ``merged_person_id``.
SKIPPED = {"contacts.mergecandidate"}


def _dump(obj: models.Model) -> str:
    return serializers.serialize("json", [obj])


def _now_stands_for(model: type[models.Model], pk: Any) -> Any:
    """The row that ``pk`` of ``model`` is now: itself, or the row it was merged into (through every
    merge since, none undone); None when it is gone without a trace."""
    seen: set[Any] = set()
    while pk is not None and pk not in seen:
        if manager_for(model).filter(pk=pk).exists():
            return pk
        seen.add(pk)
        if model is Company:
            merges = CompanyMerge.unrestricted.filter(merged_company_id=pk, undone_at__isnull=True)
        elif model is Person:
            merges = PersonMerge.unrestricted.filter(merged_person_id=pk, undone_at__isnull=True)
        else:
            return None
        pk = merges.order_by("-merged_at", "-id").values_list("kept_id", flat=True).first()
    return None


def _repoint(obj: models.Model) -> bool:
    """Point a restored row's keys at what their rows are now (a company merged away since the
    snapshot was taken: its successor). False when a required key's row is gone for good."""
    for f in obj._meta.concrete_fields:
        if not f.is_relation or f.name == "organization" or f.related_model is None:
            continue
        value = getattr(obj, f.attname)
        if value is None:
            continue
        now = _now_stands_for(f.related_model, value)
        if now == value:
            continue
        if now is None and not f.null:
            return False
        setattr(obj, f.attname, now)
    return True


def _load(data: str) -> None:
    """Save the rows of a snapshot back, their keys following whatever was merged since."""
    for item in serializers.deserialize("json", data):
        if _repoint(item.object):
            item.save()


def _restorable(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """Field values to put back on a kept row, keys following merges since (see :func:`_repoint`)."""
    keys = {f.attname: f for f in model._meta.concrete_fields if f.is_relation and f.related_model}
    out = dict(values)
    for name, value in values.items():
        field = keys.get(name)
        if field is not None and value is not None:
            out[name] = _now_stands_for(field.related_model, value)  # type: ignore[arg-type]
    return out


def _fields_of(person: Person) -> dict[str, Any]:
    return {f: getattr(person, f) for f in FILLABLE}


def _relations() -> list[tuple[type[models.Model], str]]:
    out = []
    # include_hidden: relations declared with related_name="+" (links, contributions) count too.
    for rel in Person._meta.get_fields(include_hidden=True):
        if not isinstance(rel, ForeignObjectRel) or rel.many_to_many:
            continue
        model = rel.related_model
        if not isinstance(model, type):
            continue
        label = model._meta.label_lower
        if label in SKIPPED or label == "tenancy.member":
            continue
        out.append((model, rel.field.attname))
    return out


@transaction.atomic
def person_merge(
    *,
    keep: Person,
    other: Person,
    member: Any = None,
    kind: str = PersonMerge.Kind.MANUAL,
    reason: str = "",
) -> PersonMerge:
    """Merge ``other`` into ``keep``; returns the record that undoes it."""
    from revere.network.models import Link
    from revere.tenancy.models import Member
    from revere.tenancy.services import organization_graph_changed

    if keep.pk == other.pk:
        raise ValidationError("A person cannot be merged into themself.")
    if keep.organization_id != other.organization_id:
        raise ValidationError("Both persons must belong to the same organization.")
    if Member.unrestricted.filter(person=other).exists():
        raise ValidationError(
            f"{other.full_name} is a member of the organization; merge the other person into them instead."
        )
    keep = Person.unrestricted.select_for_update().get(pk=keep.pk)
    other = Person.unrestricted.select_for_update().get(pk=other.pk)
    snapshot: dict[str, Any] = {"person": _dump(other), "moved": [], "deleted": [], "links": []}
    before: dict[str, Any] = {}
    for f in FILLABLE:
        if (
            not getattr(keep, f)
            and getattr(other, f)
            and not (f == "reports_to_id" and getattr(other, f) == keep.pk)
        ):
            before[f] = getattr(keep, f)
            setattr(keep, f, getattr(other, f))
    if not keep.expertise and other.expertise:
        before["expertise"] = keep.expertise
        keep.expertise = other.expertise

    # Links: a < b on every row, and the pair unique.
    for link in Link.unrestricted.filter(models.Q(a=other) | models.Q(b=other)):
        a = keep.pk if link.a_id == other.pk else link.a_id
        b = keep.pk if link.b_id == other.pk else link.b_id
        lo, hi = min(a, b), max(a, b)
        if a == b or Link.unrestricted.filter(a_id=lo, b_id=hi).exists():
            snapshot["deleted"].append(_dump(link))
            link.delete()
        else:
            snapshot["links"].append({"pk": link.pk, "a": link.a_id, "b": link.b_id})
            Link.unrestricted.filter(pk=link.pk).update(a_id=lo, b_id=hi)
    for model, attname in _relations():
        if model is Link:
            continue
        for row in manager_for(model).filter(**{attname: other.pk}):
            if model is Person and row.pk == keep.pk:  # keep reported to other: nothing to move
                snapshot["moved"].append({"model": "contacts.person", "pk": row.pk, "field": attname})
                Person.unrestricted.filter(pk=row.pk).update(**{attname: None})
                continue
            if attname == "person_id" and getattr(row, "ego_id", None) == keep.pk:  # a tie to oneself
                snapshot["deleted"].append(_dump(row))
                row.delete()
                continue
            try:
                with transaction.atomic():
                    manager_for(model).filter(pk=row.pk).update(**{attname: keep.pk})
                snapshot["moved"].append({"model": model._meta.label_lower, "pk": row.pk, "field": attname})
            except IntegrityError:
                snapshot["deleted"].append(_dump(row))
                row.delete()
    merge = PersonMerge.unrestricted.create(
        organization_id=keep.organization_id,
        kept=keep,
        merged_person_id=other.pk,
        merged_name=other.full_name,
        kind=kind,
        reason=reason[:255],
        fields=before,
        snapshot=snapshot,
        merged_by=member,
    )
    MergeCandidate.unrestricted.filter(
        models.Q(person_a=other) | models.Q(person_b=other),
        person_a__in=[keep, other],
        person_b__in=[keep, other],
    ).update(status=MergeCandidate.Status.MERGED, decided_by=member, decided_at=timezone.now())
    other_pk = other.pk
    other.delete()
    if before:
        keep.save(update_fields=[*before.keys(), "updated_at"])
    # Both persons re-read: the merged one is gone, the kept one has their ties and links.
    organization_graph_changed(organization_id=keep.organization_id, persons=[keep.pk, other_pk])
    return merge


@transaction.atomic
def person_merge_undo(*, merge: PersonMerge, member: Any = None) -> Person:
    """Put the merged person back as they were, with every row that was theirs; returns them."""
    from revere.network.models import Link
    from revere.tenancy.services import organization_graph_changed

    merge = PersonMerge.unrestricted.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError("This merge was already undone.")
    keep = merge.kept
    imported = merge.kind == PersonMerge.Kind.IMPORT and merge.merged_person_id is None
    if imported:  # a record folded into ``keep`` by an import: split off with what it attached
        restored = import_merge_undo(merge, keep)
    else:
        _load(merge.snapshot["person"])
        restored = Person.unrestricted.get(pk=int(merge.merged_person_id or 0))
        for move in merge.snapshot.get("moved", []):
            model = apps.get_model(move["model"])
            if model is Person and move["pk"] == keep.pk:
                Person.unrestricted.filter(pk=keep.pk).update(**{move["field"]: restored.pk})
                continue
            manager_for(model).filter(pk=move["pk"]).update(**{move["field"]: restored.pk})
        for link in merge.snapshot.get("links", []):
            Link.unrestricted.filter(pk=link["pk"]).update(a_id=link["a"], b_id=link["b"])
        for data in merge.snapshot.get("deleted", []):
            _load(data)
    restore = _restorable(Person, kept_fields(merge) if imported else dict(merge.fields))
    if restore:
        keep.refresh_from_db()
        for f, value in restore.items():
            setattr(keep, f, value)
        keep.save(update_fields=[*restore.keys(), "updated_at"])
    if imported:
        import_merge_recompute(merge)
    # A company domain learned through the merge (its record's addresses and company) goes with it.
    from revere.contacts.services import company_domains_settle

    company_domains_settle(organization_id=keep.organization_id, person_ids=[keep.pk, restored.pk])
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_at"])
    # Every row the undo moved or put back is the kept person's or the restored one's.
    organization_graph_changed(organization_id=keep.organization_id, persons=[keep.pk, restored.pk])
    return restored


def _company_relations() -> list[tuple[type[models.Model], str]]:
    out = []
    for rel in Company._meta.get_fields(include_hidden=True):
        if not isinstance(rel, ForeignObjectRel) or rel.many_to_many:
            continue
        model = rel.related_model
        if isinstance(model, type) and model._meta.label_lower not in (
            "contacts.companymerge",
            "tenancy.organization",
        ):
            out.append((model, rel.field.attname))
    return out


@transaction.atomic
def company_merge(*, keep: Company, other: Company, member: Any = None) -> Company:
    """Merge ``other`` into ``keep``: people, deals, subsidiaries, domains and stored import keys move.

    Recorded as a CompanyMerge that :func:`company_merge_undo` reverses.
    """
    from revere.ingest.models import ExternalKey
    from revere.tenancy.services import organization_graph_changed

    if keep.pk == other.pk or keep.organization_id != other.organization_id:
        raise ValidationError("Choose two different companies of the same organization.")
    if keep.organization.own_company_id == other.pk:
        raise ValidationError("The organization's own company can only be the one kept.")
    keep = Company.unrestricted.select_for_update().get(pk=keep.pk)
    other = Company.unrestricted.select_for_update().get(pk=other.pk)
    snapshot: dict[str, Any] = {"company": _dump(other), "moved": [], "deleted": [], "keys": []}
    before: dict[str, Any] = {}
    for f in ("industry", "size_band", "region", "parent_id"):
        if not getattr(keep, f) and getattr(other, f) and getattr(other, f) != keep.pk:
            before[f] = getattr(keep, f)
            setattr(keep, f, getattr(other, f))
    if keep.status == "other" and other.status != "other":
        before["status"] = keep.status
        keep.status = other.status
    moved_persons: list[int] = []
    for model, attname in _company_relations():
        for row in manager_for(model).filter(**{attname: other.pk}):
            if model is Person:
                moved_persons.append(row.pk)
            if model is Company and row.pk == keep.pk:  # keep was other's subsidiary
                snapshot["moved"].append({"model": "contacts.company", "pk": row.pk, "field": attname})
                Company.unrestricted.filter(pk=row.pk).update(**{attname: None})
                continue
            try:
                with transaction.atomic():
                    manager_for(model).filter(pk=row.pk).update(**{attname: keep.pk})
                snapshot["moved"].append({"model": model._meta.label_lower, "pk": row.pk, "field": attname})
            except IntegrityError:  # a domain both companies had
                snapshot["deleted"].append(_dump(row))
                row.delete()
    keys = ExternalKey.unrestricted.filter(
        organization_id=keep.organization_id, kind="company", object_id=other.pk
    )
    snapshot["keys"] = list(keys.values_list("pk", flat=True))
    keys.update(object_id=keep.pk)
    CompanyMerge.unrestricted.create(
        organization_id=keep.organization_id,
        kept=keep,
        merged_company_id=other.pk,
        merged_name=other.name,
        fields=before,
        snapshot=snapshot,
        merged_by=member,
    )
    other_pk = other.pk
    other.delete()
    if before:
        keep.save(update_fields=list(before))
    organization_graph_changed(
        organization_id=keep.organization_id, companies=[keep.pk, other_pk], persons=moved_persons
    )
    return keep


@transaction.atomic
def company_merge_undo(*, merge: CompanyMerge, member: Any = None) -> Company:
    """Put the merged company back, with every row that was its own; returns it."""
    from revere.ingest.models import ExternalKey
    from revere.tenancy.services import organization_graph_changed

    merge = CompanyMerge.unrestricted.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError("This merge was already undone.")
    _load(merge.snapshot["company"])
    restored = Company.unrestricted.get(pk=merge.merged_company_id)
    for move in merge.snapshot.get("moved", []):
        manager_for(apps.get_model(move["model"])).filter(pk=move["pk"]).update(
            **{move["field"]: restored.pk}
        )
    for data in merge.snapshot.get("deleted", []):
        _load(data)
    ExternalKey.unrestricted.filter(pk__in=merge.snapshot.get("keys", [])).update(object_id=restored.pk)
    if merge.fields:
        keep = Company.unrestricted.get(pk=merge.kept_id)
        for f, value in _restorable(Company, merge.fields).items():
            setattr(keep, f, value)
        keep.save(update_fields=list(merge.fields))
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_at"])
    moved_back = [m["pk"] for m in merge.snapshot.get("moved", []) if m["model"] == "contacts.person"]
    organization_graph_changed(
        organization_id=merge.organization_id, companies=[restored.pk, merge.kept_id], persons=moved_back
    )
    return restored


@transaction.atomic
def merge_candidate_dismiss(*, candidate: MergeCandidate, member: Any = None) -> MergeCandidate:
    candidate.status = MergeCandidate.Status.DISMISSED
    candidate.decided_by = member
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    return candidate


def merge_candidate_accept(*, candidate: MergeCandidate, keep: Person, member: Any = None) -> PersonMerge:
    """Merge the candidate pair, keeping ``keep`` (one of the two)."""
    if keep.pk not in (candidate.person_a_id, candidate.person_b_id):
        raise ValidationError("Keep one of the two persons of the candidate.")
    other = candidate.person_b if keep.pk == candidate.person_a_id else candidate.person_a
    return person_merge(
        keep=keep, other=other, member=member, kind=PersonMerge.Kind.REVIEW, reason=candidate.reason
    )
