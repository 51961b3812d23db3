"""A contact's stated buying roles, kept with its source record for a deals file imported later.

A HubSpot contacts file states a contact's role on deals by their ids. Imported alone, before those
deals exist, the roles have no deal to go on; so they are kept in the contact's source record
(``data["buying_roles"]``: ``[[deal key, role], ...]``, as the latest file stating roles gave them).
A later import whose deal is associated with a contact it does not hold itself finds the contact by
that source record (:func:`load`), and the contact's stated role on the deal takes the place of the
generic influencer (deals.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from revere.contacts.models import SourceRecord
from revere.deals.models import BuyingRoleKind
from revere.ingest.records import ReadResult
from revere.ingest.service.index import cut

if TYPE_CHECKING:
    from revere.ingest.service.run import ImportRun

KEY = "buying_roles"
CHUNK = 5000


@dataclass
class StoredContact:
    """A contact of an earlier import, found by its source record."""

    person_id: int
    source: str
    external_id: str
    roles: dict[str, list[str]]  # deal key -> the roles the contact stated on it


def kind(role: str) -> str:
    return role if role in BuyingRoleKind.values else BuyingRoleKind.INFLUENCER


def load(run: ImportRun, results: list[tuple[str, ReadResult]]) -> dict[tuple[str, str], StoredContact]:
    """The contacts this import's deals are associated with that no file of it holds, by their key."""
    held = {(result.format, p.key) for _, result in results for p in result.persons}
    wanted: dict[str, set[str]] = {}
    for _, result in results:
        for deal in result.deals:
            for ckey in deal.contact_keys:
                if (result.format, ckey) not in held and not ckey.startswith("line:"):
                    wanted.setdefault(result.format, set()).add(ckey[:255])
    out: dict[tuple[str, str], StoredContact] = {}
    for namespace, keys in wanted.items():
        source = cut(namespace, 40)
        ordered = sorted(keys)
        for i in range(0, len(ordered), CHUNK):
            rows = SourceRecord.unrestricted.filter(
                organization_id=run.org_id, source=source, external_id__in=ordered[i : i + CHUNK]
            ).values_list("person_id", "external_id", "data")
            for person_id, external_id, data in rows:
                roles: dict[str, list[str]] = {}
                for deal_key, role in (data or {}).get(KEY, []):
                    roles.setdefault(deal_key, []).append(role)
                out[(namespace, external_id)] = StoredContact(person_id, source, external_id, roles)
    return out


def remember(run: ImportRun, results: list[tuple[str, ReadResult]]) -> None:
    """Keep each contact's stated roles in its source record, for deals a later import brings.

    Only a file that states roles (has buying role records) changes what is kept: its contacts without
    one keep none. A record keyed by its line has no key a deal could name.
    """
    for _, result in results:
        if not result.buying_roles or not result.persons:
            continue
        stated: dict[str, list[list[str]]] = {}
        for role in result.buying_roles:
            pair = [role.deal_key, kind(role.role)]
            roles = stated.setdefault(role.person_key, [])
            if pair not in roles:
                roles.append(pair)
        by_id: dict[tuple[str, str], list[list[str]]] = {}
        for record in result.persons:
            external_id = (record.external_id or record.key)[:255]
            if record.key.startswith("line:") and not record.external_id:
                continue
            by_id[(cut(record.source or result.format, 40), external_id)] = stated.get(record.key, [])
        _store(run, by_id)


def _store(run: ImportRun, by_id: dict[tuple[str, str], list[list[str]]]) -> None:
    sources: dict[str, list[str]] = {}
    for source, external_id in by_id:
        sources.setdefault(source, []).append(external_id)
    changed: list[SourceRecord] = []
    for source, ids in sources.items():
        for i in range(0, len(ids), CHUNK):
            rows = SourceRecord.unrestricted.filter(
                organization_id=run.org_id, source=source, external_id__in=ids[i : i + CHUNK]
            ).only("id", "external_id", "data")
            for row in rows:
                roles = by_id[(source, row.external_id)]
                data = dict(row.data or {})
                if data.get(KEY, []) == roles:
                    continue
                if roles:
                    data[KEY] = roles
                else:
                    data.pop(KEY, None)
                row.data = data
                changed.append(row)
    SourceRecord.unrestricted.bulk_update(changed, ["data"], batch_size=1000)
