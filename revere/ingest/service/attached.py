"""The import merges' records of what they attached, written at the end of a run.

For each shadow (attribution.py) the part undo needs (``snapshot["attached"]``): the separated
person's fields (filled by its descendants as they would have filled them), its addresses, phones
and source records, the tie wish, participants, roles, reports, and each link it changed, replayed
without it. A merge of this import is written whole; an earlier import's merge this import
reached through gets this import's part added (merges_open.py).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from revere.contacts.models import PersonMerge
from revere.ingest.service import merges_open
from revere.ingest.service.attribution import SEPARATE, Pair, Shadow, jsonable, replay
from revere.ingest.service.index import CompanyEntry

if TYPE_CHECKING:
    from revere.ingest.service.run import ImportRun


def finish(run: ImportRun) -> None:
    """Write the import merges, each with what its record attached (after every other row is written)."""
    tagged: dict[int, set[Pair]] = defaultdict(set)
    for pair, contributions in run.links.added.items():
        for c in contributions:
            for number in c[3]:
                tagged[number].add(pair)
    shadows = [s for s in run.shadows if s.merge is not None and s.entry.pk is not None]
    below: dict[int, list[Shadow]] = defaultdict(list)  # shadow -> its descendants, in record order
    for d in shadows:
        for number in d.tags[1:]:
            below[number].append(d)
    # An earlier import's merge this import did not reach through needs nothing written.
    shadows = [s for s in shadows if not s.loaded or _reached(run, s, tagged, below)]
    separate = {s.number: _separate_by_pair(s) for s in shadows}
    wanted: set[Pair] = set()
    for pairs in tagged.values():
        wanted |= pairs
    for by in separate.values():
        wanted |= {p for p in by if SEPARATE not in p}
    after = _weights(run.org_id, wanted)
    parts: dict[int, dict[str, Any]] = {}
    for shadow in shadows:
        merge = shadow.merge
        assert merge is not None
        by_pair = separate[shadow.number]
        descendants = below.get(shadow.number, [])
        person, children = _separate_fields(run, shadow, descendants)
        # (an earlier import's merge has its own addresses on record already)
        emails = [*([] if shadow.loaded else shadow.emails), *(e for d in descendants for e in d.emails)]
        phones = list(dict.fromkeys(shadow.phones + [p for d in descendants for p in d.phones]))
        parts[shadow.number] = {
            "separate": person,
            "fields_without": _fields_without(run, shadow, merge.fields),
            "emails": emails,
            "phones": phones,
            "phones_moved": [
                *merge.snapshot.get("phones_added", []),  # none for an earlier import's merge
                *(p for d in descendants for p in _snap(d, "phones_added")),
            ],
            "sources": [[_snap(d, "source"), _snap(d, "external_id")] for d in descendants],
            "children": children,
            "tie": shadow.tie,
            "participants": shadow.participants,
            "roles": shadow.roles,
            "reports_to": shadow.reports_to,
            "reports": shadow.reports,
            "links": _links(run, shadow, tagged.get(shadow.number, set()), by_pair, after),
        }
    new = [s for s in shadows if not s.loaded]
    for shadow in new:
        assert shadow.merge is not None
        shadow.merge.snapshot["attached"] = parts[shadow.number]
    PersonMerge.unrestricted.bulk_create([s.merge for s in new if s.merge is not None], batch_size=2000)
    merges_open.extend(run, [s for s in shadows if s.loaded], parts)


def _reached(
    run: ImportRun, shadow: Shadow, tagged: dict[int, set[Pair]], below: dict[int, list[Shadow]]
) -> bool:
    """Whether this import attached anything through the shadow (or offered its person fields)."""
    return bool(
        shadow.number in tagged
        or shadow.participants
        or shadow.roles
        or shadow.reports
        or shadow.reports_to
        or shadow.separate_links
        or below.get(shadow.number)
        or shadow.tie.get("wanted")
        or run.field_offers.get(id(shadow.entry))
    )


def _snap(shadow: Shadow, key: str) -> Any:
    assert shadow.merge is not None
    return shadow.merge.snapshot[key]


def _later_offers(run: ImportRun, shadow: Shadow) -> list[tuple[tuple[int, ...], dict[str, Any]]]:
    """The fields the records matched to the shadow's person after it offered, in order."""
    offers = run.field_offers.get(id(shadow.entry), [])
    if shadow.loaded:
        return offers
    for i, (tags, _) in enumerate(offers):
        if tags and tags[0] == shadow.number:
            return offers[i + 1 :]
    return []


def _separate_fields(
    run: ImportRun, shadow: Shadow, descendants: list[Shadow]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The separated person's fields, filled by its descendants as they filled the kept person's;
    and each descendant's merge as it would have been (into the separated person)."""
    sep = shadow.separate
    person: dict[str, Any] = {
        "full_name": sep.full_name or "(no name)",
        "normalized_name": sep.normalized_name,
        "first_name": sep.first_name,
        "last_name": sep.last_name,
        "title": sep.title,
        "function": sep.function,
        "location": sep.location,
        "region": sep.region,
        "linkedin_url": sep.linkedin_url,
        "company_id": sep.company.pk if sep.company else None,
    }
    children: list[dict[str, Any]] = []
    for tags, offer in _later_offers(run, shadow):
        if shadow.number not in tags:
            continue
        filled: dict[str, Any] = {}
        for f, value in offer.items():
            column = "company_id" if f == "company" else f
            if not person.get(column):
                filled[f] = None if f == "company" else person[column]
                person[column] = value.pk if isinstance(value, CompanyEntry) else value
        child = next((d for d in descendants if d.number == tags[0]), None)
        if child is not None:
            children.append(
                {
                    "source": _snap(child, "source"),
                    "external_id": _snap(child, "external_id"),
                    "fields": filled,
                }
            )
    return person, children


def _fields_without(run: ImportRun, shadow: Shadow, filled: dict[str, Any]) -> dict[str, Any]:
    """The kept person's fields the shadow filled, as a later record of the import would have filled them."""
    later = [(tags, offer) for tags, offer in _later_offers(run, shadow) if shadow.number not in tags]
    out: dict[str, Any] = {}
    for f in filled:
        for _, offer in later:
            if f in offer:
                value = offer[f]
                out[f] = value.pk if isinstance(value, CompanyEntry) else value
                break
    return out


def _separate_by_pair(shadow: Shadow) -> dict[Pair, list[tuple[float, Any, str, int, int]]]:
    by_pair: dict[Pair, list[tuple[float, Any, str, int, int]]] = defaultdict(list)
    for pair, inc, when, source, book, order in shadow.separate_links:
        by_pair[pair].append((inc, when, source, book, order))
    return by_pair


def _weights(organization_id: int, pairs: set[Pair]) -> dict[Pair, float]:
    """The links' weights as the import leaves them."""
    from revere.network.models import Link

    out: dict[Pair, float] = {}
    firsts = sorted({a for a, _ in pairs})
    for i in range(0, len(firsts), 5000):
        rows = Link.unrestricted.filter(organization_id=organization_id, a_id__in=firsts[i : i + 5000])
        for a, b, weight in rows.values_list("a_id", "b_id", "weight"):
            if (a, b) in pairs:
                out[(a, b)] = weight
    return out


def _links(
    run: ImportRun,
    shadow: Shadow,
    mine: set[Pair],
    by_pair: dict[Pair, list[tuple[float, Any, str, int, int]]],
    after: dict[Pair, float],
) -> list[dict[str, Any]]:
    """Each link the shadow changed: the kept side's target (or scale) and the separated person's links."""
    kept = shadow.entry.pk
    links: list[dict[str, Any]] = []
    for pair in sorted(mine | {p for p in by_pair if SEPARATE not in p}):
        contributions = run.links.added.get(pair, [])
        entry: dict[str, Any] = {"a": pair[0], "b": pair[1], "after": after.get(pair)}
        if kept in pair:  # every increment of the pair is known: replay it without the shadow's
            kept_side = [
                (i, w, s, b, o) for i, w, s, tags, b, o in contributions if shadow.number not in tags
            ]
            target = replay(run.links.before.get(pair), kept_side + by_pair.get(pair, []))
            entry["target"] = None if target is None else [target[0], jsonable(target[1]), target[2]]
        else:  # touched only through the size of an interaction the shadow was on: scale it
            out = into = 1.0
            for c in contributions:
                if shadow.number in c[3]:
                    out *= 1 - c[0]
            for c2 in by_pair.get(pair, []):
                into *= 1 - c2[0]
            if abs(out - into) < 1e-12:
                continue  # the same in both worlds
            entry["scale"] = [out, into]
        links.append(entry)
    for pair, contributions_sep in by_pair.items():
        if SEPARATE not in pair:
            continue
        target = replay(None, contributions_sep)
        assert target is not None
        other = pair[1] if pair[0] == SEPARATE else pair[0]
        links.append({"a": SEPARATE, "b": other, "target": [target[0], jsonable(target[1]), target[2]]})
    return links
