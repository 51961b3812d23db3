"""An organization's persons and companies held in memory, keyed for identity resolution.

Loaded once per import with a handful of ``values()`` queries, then grown with the rows the
import creates, so a record later in the same file (or another file of the same import) finds
a person created earlier. Matching rules and thresholds: docs/identity.md.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from revere.contacts.identity import (
    NAME_REVIEW,
    NAME_SIMILAR_WITH_PHONE,
    is_e164,
    name_block_keys,
    name_similarity,
)
from revere.contacts.models import (
    Company,
    CompanyDomain,
    DomainPlacement,
    Person,
    PersonEmail,
    PersonPhone,
    SourceRecord,
)

# A fuzzy search compares with at most this many candidates from one block (a very common
# surname); the rest are not compared (docs/identity.md).
MAX_BLOCK = 400


@dataclass(eq=False)
class CompanyEntry:
    pk: int | None
    name: str
    normalized_name: str
    status: str = "other"
    domains: set[str] = field(default_factory=set)
    new_domains: set[str] = field(default_factory=set)
    industry: str = ""
    size_band: str = ""
    region: str = ""
    dirty: set[str] = field(default_factory=set)
    obj: Company | None = None
    reported: bool = False  # this import's report has a row for the company already
    # (source, external id) keys this import gives the company, written as ExternalKey rows
    external_keys: set[tuple[str, str]] = field(default_factory=set)


@dataclass(eq=False)
class PersonEntry:
    pk: int | None
    full_name: str
    normalized_name: str
    company: CompanyEntry | None
    first_name: str = ""
    last_name: str = ""
    title: str = ""
    function: str = ""
    location: str = ""
    region: str = ""
    linkedin_url: str = ""
    linkedin_key: str = ""
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    new_emails: list[str] = field(default_factory=list)
    new_phones: list[str] = field(default_factory=list)
    dirty: set[str] = field(default_factory=set)
    loaded: bool = False  # the full row (title, location...) has been read from the database
    # The record the person was first made from: a re-import of that record may change fields;
    # other records only fill empty ones (no flip-flopping between files that disagree).
    primary_source: tuple[str, str] | None = None
    matched_in_run: bool = False
    obj: Person | None = None
    # The domain whose attribution placed the person at their company ("" = a file or a person named
    # the company); placed_row: the domain of the DomainPlacement row the database holds.
    placed_by: str = ""
    placed_row: str = ""

    @property
    def is_new(self) -> bool:
        return self.pk is None


def written_pk(entry: CompanyEntry | PersonEntry) -> int:
    """The entry's primary key, for a row that refers to it: entries are written before use."""
    assert entry.pk is not None, "written before use"
    return entry.pk


def cut(value: str, n: int) -> str:
    """A record's text trimmed to fit a column of ``n`` characters."""
    return (value or "").strip()[:n]


@dataclass
class Match:
    entry: PersonEntry | None
    certain: bool
    reason: str
    score: float = 100.0
    # The key that matched: ("email", address), ("linkedin", profile) or ("phone", number).
    key: tuple[str, str] | None = None


class IdentityIndex:
    def __init__(self, organization_id: int) -> None:
        self.organization_id = organization_id
        self.companies_by_pk: dict[int, CompanyEntry] = {}
        self.company_by_name: dict[str, CompanyEntry] = {}
        self.company_by_domain: dict[str, CompanyEntry] = {}
        self.learned_domains: set[str] = set()  # CompanyDomain rows the attribution manages (learned)
        self.persons_by_pk: dict[int, PersonEntry] = {}
        self.by_email: dict[str, PersonEntry] = {}
        self.by_phone: dict[str, list[PersonEntry]] = defaultdict(list)
        self.by_linkedin: dict[str, PersonEntry] = {}
        self.by_source: dict[tuple[str, str], PersonEntry] = {}
        self.by_company: dict[int, list[PersonEntry]] = defaultdict(list)  # id(CompanyEntry) -> persons
        self.no_company_blocks: dict[str, list[PersonEntry]] = defaultdict(list)
        self.all_blocks: dict[str, list[PersonEntry]] = defaultdict(list)
        self.pending: list[PersonEntry] = []  # created by this import, not yet written
        self._by_domain: dict[str, list[PersonEntry]] | None = None

    # -- loading -------------------------------------------------------------------------------

    @classmethod
    def load(cls, organization_id: int) -> IdentityIndex:
        from revere.contacts.identity import normalize_linkedin_url

        index = cls(organization_id)
        org = {"organization_id": organization_id}
        companies = Company.unrestricted.filter(**org).values(
            "id", "name", "normalized_name", "status", "industry", "size_band", "region"
        )
        for crow in companies:
            index.add_company(
                CompanyEntry(
                    pk=crow["id"],
                    name=crow["name"],
                    normalized_name=crow["normalized_name"],
                    status=crow["status"],
                    industry=crow["industry"],
                    size_band=crow["size_band"],
                    region=crow["region"],
                )
            )
        for company_id, domain, learned in CompanyDomain.unrestricted.filter(**org).values_list(
            "company_id", "domain", "learned"
        ):
            centry = index.companies_by_pk.get(company_id)
            if centry is not None:
                centry.domains.add(domain)
                index.company_by_domain[domain] = centry
                if learned:
                    index.learned_domains.add(domain)
        persons = Person.unrestricted.filter(**org).values(
            "id",
            "full_name",
            "normalized_name",
            "company_id",
            "linkedin_url",
            "first_name",
            "last_name",
            "title",
            "function",
            "location",
            "region",
        )
        for prow in persons:
            row: dict[str, Any] = dict(prow)
            company = index.companies_by_pk.get(row["company_id"]) if row["company_id"] else None
            pentry = PersonEntry(
                pk=row["id"],
                full_name=row["full_name"],
                normalized_name=row["normalized_name"],
                company=company,
                first_name=row["first_name"],
                last_name=row["last_name"],
                linkedin_url=row["linkedin_url"],
                linkedin_key=normalize_linkedin_url(row["linkedin_url"]) if row["linkedin_url"] else "",
                title=row["title"],
                function=row["function"],
                location=row["location"],
                region=row["region"],
                loaded=True,
            )
            index.persons_by_pk[row["id"]] = pentry
            index._index_person(pentry)
        for person_id, email in PersonEmail.unrestricted.filter(**org).values_list("person_id", "email"):
            entry = index.persons_by_pk.get(person_id)
            if entry is not None:
                entry.emails.add(email)
                index.by_email[email] = entry
        for person_id, e164 in PersonPhone.unrestricted.filter(**org).values_list("person_id", "e164"):
            entry = index.persons_by_pk.get(person_id)
            if entry is not None:
                entry.phones.add(e164)
                if e164.startswith("+"):  # a number kept as written is no key
                    index.by_phone[e164].append(entry)
        for person_id, company_id, domain in DomainPlacement.unrestricted.filter(**org).values_list(
            "person_id", "company_id", "domain"
        ):
            entry = index.persons_by_pk.get(person_id)
            if entry is not None:
                entry.placed_row = domain
                if entry.company is not None and entry.company.pk == company_id:
                    entry.placed_by = domain  # still where the domain put them (no one changed it)
        records = SourceRecord.unrestricted.filter(**org).order_by("id")
        for person_id, source, external_id in records.values_list("person_id", "source", "external_id"):
            entry = index.persons_by_pk.get(person_id)
            if entry is not None:
                index.by_source[(source, external_id)] = entry
                if entry.primary_source is None:
                    entry.primary_source = (source, external_id)
        return index

    # -- companies -------------------------------------------------------------------------------

    def add_company(self, entry: CompanyEntry) -> None:
        if entry.pk is not None:
            self.companies_by_pk[entry.pk] = entry
        self.company_by_name.setdefault(entry.normalized_name, entry)
        for domain in entry.domains:
            self.company_by_domain.setdefault(domain, entry)

    def add_company_domain(self, entry: CompanyEntry, domain: str) -> None:
        if domain and domain not in self.company_by_domain:
            self.company_by_domain[domain] = entry
            entry.domains.add(domain)
            entry.new_domains.add(domain)

    # -- persons ---------------------------------------------------------------------------------

    def _index_person(self, entry: PersonEntry) -> None:
        if entry.linkedin_key:
            self.by_linkedin.setdefault(entry.linkedin_key, entry)
        if entry.company is not None:
            self.by_company[id(entry.company)].append(entry)
        for key in name_block_keys(entry.normalized_name):
            self.all_blocks[key].append(entry)
            if entry.company is None:
                self.no_company_blocks[key].append(entry)

    def add_person(self, entry: PersonEntry) -> None:
        if entry.pk is None:
            self.pending.append(entry)
        self._index_person(entry)
        for email in entry.emails:
            self.by_email.setdefault(email, entry)
        for phone in entry.phones:
            if entry not in self.by_phone.get(phone, ()) and is_e164(phone):
                self.by_phone[phone].append(entry)

    def people_at(self, domain: str) -> list[PersonEntry]:
        """The persons with an address at the domain (this import's too)."""
        if self._by_domain is None:
            self._by_domain = defaultdict(list)
            for email, entry in self.by_email.items():
                self._by_domain[email.rpartition("@")[2]].append(entry)
        return self._by_domain.get(domain, [])

    def take_pending(self) -> list[PersonEntry]:
        pending, self.pending = self.pending, []
        return pending

    def person_set_company(self, entry: PersonEntry, company: CompanyEntry) -> None:
        """Give a company to a person who had none, keeping the blocks right."""
        for key in name_block_keys(entry.normalized_name):
            block = self.no_company_blocks.get(key)
            if block and entry in block:
                block.remove(entry)
        entry.company = company
        self.by_company[id(company)].append(entry)

    def person_add_email(self, entry: PersonEntry, email: str) -> bool:
        if email in entry.emails:
            return False
        owner = self.by_email.get(email)
        if owner is not None and owner is not entry:
            return False  # the address belongs to someone else; never move it silently
        entry.emails.add(email)
        entry.new_emails.append(email)
        self.by_email[email] = entry
        if self._by_domain is not None:
            self._by_domain[email.rpartition("@")[2]].append(entry)
        return True

    def person_add_phone(self, entry: PersonEntry, phone: str) -> bool:
        if phone in entry.phones:
            return False
        entry.phones.add(phone)
        entry.new_phones.append(phone)
        if is_e164(phone):  # a number kept as written (not validated) matches no one
            self.by_phone[phone].append(entry)
        return True

    def match_person(
        self,
        *,
        source_key: tuple[str, str],
        emails: list[str],
        phones: list[str],
        linkedin_key: str,
        normalized_name: str,
        company: CompanyEntry | None,
    ) -> Match:
        """The person a record is, certainly; or a possible one to review; or nobody."""
        hit = self.by_source.get(source_key)
        if hit is not None:
            return Match(hit, True, "same source record")
        for email in emails:
            hit = self.by_email.get(email)
            if hit is not None:
                return Match(hit, True, f"same e-mail {email}", key=("email", email))
        if linkedin_key:
            hit = self.by_linkedin.get(linkedin_key)
            if hit is not None:
                return Match(hit, True, "same LinkedIn profile", key=("linkedin", linkedin_key))
        for phone in phones:
            for cand in self.by_phone.get(phone, ()):
                if name_similarity(normalized_name, cand.normalized_name) >= NAME_SIMILAR_WITH_PHONE:
                    return Match(cand, True, f"same phone {phone} and a similar name", key=("phone", phone))
        if not normalized_name:
            return Match(None, False, "")
        if company is not None:
            same_company = self.by_company.get(id(company), [])
            for cand in same_company:
                if cand.normalized_name == normalized_name:
                    return Match(cand, True, f"same name at {company.name}")
            fuzzy = _best(normalized_name, same_company[:MAX_BLOCK])
            if fuzzy is not None:
                return Match(fuzzy[0], False, f"similar name at {company.name}", fuzzy[1])
            pool = self._blocked(self.no_company_blocks, normalized_name)
            best = _best(normalized_name, pool, exact_ok=True)
            if best is not None:
                return Match(best[0], False, "same or similar name, one company unknown", best[1])
            return Match(None, False, "")
        pool = self._blocked(self.all_blocks, normalized_name)
        best = _best(normalized_name, pool, exact_ok=True)
        if best is not None:
            return Match(best[0], False, "same or similar name, company unknown", best[1])
        return Match(None, False, "")

    def find_by_name(
        self, normalized_name: str, *, company: CompanyEntry | None = None
    ) -> PersonEntry | None:
        """The one person with exactly this name (at this company when given); None if none or several."""
        if not normalized_name:
            return None
        pool = self.by_company.get(id(company), []) if company is not None else []
        hits = [p for p in pool if p.normalized_name == normalized_name]
        if not hits:
            hits = [
                p
                for p in self._blocked(self.all_blocks, normalized_name)
                if p.normalized_name == normalized_name
            ]
        unique = {id(p): p for p in hits}
        return next(iter(unique.values())) if len(unique) == 1 else None

    @staticmethod
    def _blocked(blocks: dict[str, list[PersonEntry]], normalized_name: str) -> list[PersonEntry]:
        seen: dict[int, PersonEntry] = {}
        for key in name_block_keys(normalized_name):
            for cand in blocks.get(key, ())[:MAX_BLOCK]:
                seen.setdefault(id(cand), cand)
        return list(seen.values())


def _best(name: str, pool: list[PersonEntry], *, exact_ok: bool = False) -> tuple[PersonEntry, float] | None:
    """The most similar name in the pool at or above NAME_REVIEW (an exact one only if exact_ok)."""
    choices: list[Any] = [p.normalized_name for p in pool]
    if not choices:
        return None
    found = process.extractOne(name, choices, scorer=fuzz.token_sort_ratio, score_cutoff=NAME_REVIEW)
    if found is None:
        return None
    _, score, position = found
    if score >= 100 and not exact_ok:
        return None
    return pool[position], float(score)
