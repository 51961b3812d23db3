"""Which person records are one person, from the evidence of all of them at once (docs/identity.md).

Matching record by record against what exists made the result depend on the order of the records
and of the imports: a card with two addresses (``a@x``, ``b@x``) made one person of a record at
``a@x`` and one at ``b@x`` when it came first, and left two persons when it came last (the second
address "belongs to someone else" and is never moved). The root is greedy matching; here the
certain evidence (the same source record, e-mail address, LinkedIn profile, phone number with a
similar name, and the same name at the same company) is closed transitively with a union-find
over the import's records and the persons they name, before any record is matched:

* :func:`bridge_known`, at the start of an import: known persons that one chain of the import's
  records names by an address, profile or phone (with a similar name) are one person, merged
  before matching (a ``PersonMerge`` each, of the whole person: undone exactly like a merge by
  hand). A record that is a re-import of a source record (its key is known) names only its own
  person: an undone merge stays undone. A member's own person is never merged into anyone.
* :func:`cluster`, once companies are resolved: the records' groups (keys as above, plus the same
  normalized name at the same company, repeated until nothing joins), so that every record of a
  group goes to the same person, whichever of them comes first (``persons.person_record``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from revere.contacts.identity import (
    NAME_SIMILAR_WITH_PHONE,
    full_name_of,
    is_e164,
    is_email,
    name_similarity,
    normalize_email,
    normalize_linkedin_url,
    normalize_person_name,
)
from revere.ingest.records import PersonRecord, ReadResult
from revere.ingest.service.index import IdentityIndex, PersonEntry, cut

if TYPE_CHECKING:
    from revere.ingest.service.run import ImportRun

# Records sharing one phone number compared pairwise for a similar name: at most this many.
MAX_PHONE_GROUP = 50


class UnionFind:
    """Disjoint sets over hashable nodes (path halving, union by size)."""

    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}
        self.size: dict[Hashable, int] = {}

    def find(self, node: Hashable) -> Hashable:
        parent = self.parent
        if node not in parent:
            parent[node] = node
            self.size[node] = 1
            return node
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(self, a: Hashable, b: Hashable) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        return True

    def groups(self, nodes: Iterable[Hashable]) -> dict[Hashable, list[Hashable]]:
        out: defaultdict[Hashable, list[Hashable]] = defaultdict(list)
        for node in nodes:
            out[self.find(node)].append(node)
        return out


@dataclass
class Keys:
    """What identifies a person record, normalized once (person_record uses the same values)."""

    full: str
    normalized: str
    emails: list[str]
    phones: list[str]
    linkedin: str
    source: tuple[str, str]


def record_keys(run: ImportRun, namespace: str, record: PersonRecord) -> Keys:
    cached: Keys | None = getattr(record, "_keys", None)
    if cached is not None:
        return cached
    from revere.ingest.service.persons import person_external_id, record_phones

    full = full_name_of(record.first_name, record.last_name, record.full_name)
    emails = [e for e in dict.fromkeys(normalize_email(x) for x in record.emails) if is_email(e)]
    normalized = normalize_person_name(full) if full else ""
    keys = Keys(
        full=full,
        normalized=normalized,
        emails=emails,
        phones=record_phones(run, record),
        linkedin=normalize_linkedin_url(record.linkedin_url),
        source=(cut(record.source or namespace, 40), person_external_id(record, normalized, emails)),
    )
    record._keys = keys  # type: ignore[attr-defined]
    return keys


def _records(results: list[tuple[str, ReadResult]]) -> list[tuple[str, PersonRecord]]:
    return [(result.format, p) for _, result in results for p in result.persons]


def _union_keys(uf: UnionFind, node: Hashable, keys: Keys) -> None:
    for email in keys.emails:
        uf.union(node, ("email", email))
    if keys.linkedin:
        uf.union(node, ("linkedin", keys.linkedin))


def _union_phones(uf: UnionFind, rows: list[tuple[Hashable, Keys]]) -> None:
    """Records sharing a valid number and a similar name are one person."""
    by_phone: defaultdict[str, list[tuple[Hashable, str]]] = defaultdict(list)
    for node, keys in rows:
        if keys.normalized:
            for phone in keys.phones:
                if is_e164(phone):
                    by_phone[phone].append((node, keys.normalized))
    for group in by_phone.values():
        group = group[:MAX_PHONE_GROUP]
        for i, (a, name_a) in enumerate(group):
            for b, name_b in group[i + 1 :]:
                if uf.find(a) != uf.find(b) and name_similarity(name_a, name_b) >= NAME_SIMILAR_WITH_PHONE:
                    uf.union(a, b)


def _known_hits(run: ImportRun, keys: Keys) -> list[PersonEntry]:
    """The known persons a record names certainly by an address, a profile or a phone."""
    index = run.index
    hits = [index.by_email[e] for e in keys.emails if e in index.by_email]
    if keys.linkedin and keys.linkedin in index.by_linkedin:
        hits.append(index.by_linkedin[keys.linkedin])
    for phone in keys.phones:
        for cand in index.by_phone.get(phone, ()):
            if name_similarity(keys.normalized, cand.normalized_name) >= NAME_SIMILAR_WITH_PHONE:
                hits.append(cand)
    return hits


def _close_by_name_at_company(
    uf: UnionFind,
    attrs: list[tuple[Hashable, str, object]],
    index: IdentityIndex,
    known_nodes: dict[Hashable, PersonEntry],
) -> None:
    """Join groups that share a normalized name at a company (a group has the companies and names of
    its records and known persons), and the known persons of that name there; until nothing joins."""
    there: defaultdict[tuple[str, int], list[PersonEntry]] = defaultdict(list)
    for entry in index.persons_by_pk.values():
        if entry.company is not None and entry.normalized_name:
            there[(entry.normalized_name, id(entry.company))].append(entry)
    attrs = list(attrs) + [(n, e.normalized_name, e.company) for n, e in known_nodes.items()]
    for _ in range(10):
        companies: defaultdict[Hashable, set[int]] = defaultdict(set)
        names: defaultdict[Hashable, set[str]] = defaultdict(set)
        for n, name, company in attrs:
            root = uf.find(n)
            if company is not None:
                companies[root].add(id(company))
            if name:
                names[root].add(name)
        joined = False
        by_name_company: dict[tuple[str, int], Hashable] = {}
        for root, group_names in names.items():
            for name in group_names:
                for company_id in companies.get(root, ()):
                    for cand in there.get((name, company_id), ()):
                        node = ("person", id(cand))
                        if uf.union(root, node):
                            known_nodes[node] = cand
                            attrs.append((node, cand.normalized_name, cand.company))
                            joined = True
                    other = by_name_company.setdefault((name, company_id), root)
                    if uf.union(other, root):
                        joined = True
        if not joined:
            break


def _groups(
    run: ImportRun, results: list[tuple[str, ReadResult]], *, company_of: Callable[[PersonRecord], object]
) -> tuple[UnionFind, list[PersonRecord], dict[Hashable, PersonEntry]]:
    """The union-find over the import's person records (("record", i)) and the known persons they
    name (("person", id(entry))): the certain evidence of docs/identity.md, closed transitively.
    A re-import of a source record joins its own person only."""
    uf = UnionFind()
    rows: list[tuple[Hashable, Keys]] = []
    records = _records(results)
    index = run.index
    known_nodes: dict[Hashable, PersonEntry] = {}
    attrs: list[tuple[Hashable, str, object]] = []
    for i, (namespace, record) in enumerate(records):
        keys = record_keys(run, namespace, record)
        node: Hashable = ("record", i)
        uf.find(node)
        known = index.by_source.get(keys.source)
        if known is not None:  # a re-import: its own person, nothing else (an undone merge stays undone)
            known_nodes[("person", id(known))] = known
            uf.union(node, ("person", id(known)))
            continue
        uf.union(node, ("source", keys.source))
        rows.append((node, keys))
        attrs.append((node, keys.normalized, company_of(record)))
        _union_keys(uf, node, keys)
        for hit in _known_hits(run, keys):
            known_nodes[("person", id(hit))] = hit
            uf.union(node, ("person", id(hit)))
    _union_phones(uf, rows)
    _close_by_name_at_company(uf, attrs, index, known_nodes)
    return uf, [r for _, r in records], known_nodes


def bridge_known(run: ImportRun, results: list[tuple[str, ReadResult]]) -> bool:
    """Merge the known persons one group of this import's records names; True if any was merged.

    Companies are not resolved yet: a record's company is the known one of its name."""
    from revere.contacts.identity import normalize_company_name
    from revere.contacts.models import MergeCandidate, Person, PersonMerge
    from revere.ingest.merge.persons import person_merge
    from revere.tenancy.models import Member

    def company_of(record: PersonRecord) -> object:
        name = normalize_company_name(record.company_name) if record.company_name.strip() else ""
        return run.index.company_by_name.get(name) if name else None

    uf, _, known_nodes = _groups(run, results, company_of=company_of)
    if len(known_nodes) < 2:
        return False
    entries = [e for e in known_nodes.values() if e.pk is not None]
    groups = uf.groups(("person", id(e)) for e in entries)
    by_node: dict[Hashable, PersonEntry] = {("person", id(e)): e for e in entries}
    pks = [e.pk for e in entries]
    members = set(
        Member.unrestricted.filter(organization_id=run.org_id, person_id__in=pks).values_list(
            "person_id", flat=True
        )
    )
    apart = {
        frozenset(pair)
        for pair in MergeCandidate.unrestricted.filter(
            organization_id=run.org_id,
            status=MergeCandidate.Status.DISMISSED,
            person_a_id__in=pks,
            person_b_id__in=pks,
        ).values_list("person_a_id", "person_b_id")
    }  # kept apart by a member on the review page: never merged by evidence
    merged = False
    for nodes in groups.values():
        ids = sorted(int(by_node[n].pk or 0) for n in nodes)
        if len(ids) < 2:
            continue
        own = [pk for pk in ids if pk in members]
        keep_pk = own[0] if own else ids[0]  # the member's own person, else the oldest
        keep = Person.unrestricted.get(pk=keep_pk)
        for pk in ids:
            if pk == keep_pk or pk in members or frozenset((pk, keep_pk)) in apart:
                continue  # a member's person is never merged into anyone
            other = Person.unrestricted.get(pk=pk)
            person_merge(
                keep=keep,
                other=other,
                member=run.member,
                kind=PersonMerge.Kind.IMPORT,
                reason=cut(
                    f"one person by this import's records: {other.full_name} and {keep.full_name}", 255
                ),
            )
            run.report.add(
                file="",
                line=None,
                kind="person",
                action="merged",
                label=other.full_name,
                reason=f"into {keep.full_name}: the import's records name both as one person",
            )
            keep.refresh_from_db()
            merged = True
    return merged


def cluster(run: ImportRun, results: list[tuple[str, ReadResult]]) -> None:
    """Group the import's person records: ``run.cluster_of`` maps id(record) to its group, and
    ``run.cluster_entry`` a group to the known person it is (the oldest, when several stay apart)."""
    uf, records, known_nodes = _groups(run, results, company_of=lambda r: getattr(r, "_company", None))
    run.cluster_of = {id(r): uf.find(("record", i)) for i, r in enumerate(records)}
    run.cluster_entry = {}
    for n, entry in sorted(known_nodes.items(), key=lambda kv: kv[1].pk or 0):
        run.cluster_entry.setdefault(uf.find(n), entry)
