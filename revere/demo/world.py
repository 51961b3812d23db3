"""The demo's companies, persons and org charts, generated as arrays (nothing written here).

Index 0 of the companies is the own company, Lexington Systems. Persons are laid out company by
company (``c_first[c]`` .. ``c_first[c] + c_count[c]``); inside an external company the org
chart is a tree in heap order (person ``j`` reports to ``(j - 1) // b``), so depth, department
and seniority follow from the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from revere.contacts.identity import normalize_company_name, normalize_person_name, strip_accents
from revere.demo import vocab
from revere.demo.sizes import DemoSize

STATUSES = ("own", "prospect", "customer", "partner", "other")
STATUS_SHARES = (0.18, 0.15, 0.06, 0.61)  # prospect, customer, partner, other
PROFESSIONAL_SERVICES = "Professional services"
SIZE_BANDS = ((10, "1-10"), (50, "11-50"), (250, "51-250"), (1000, "251-1000"))
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class Member:
    person: int
    role: str
    team: int  # -1 for the admin
    email: str
    style: float = 0.5  # 0 = sparse, bridging market network .. 1 = closed clique
    home_industry: int = 0


@dataclass
class World:
    size: DemoSize
    rng: np.random.Generator
    now: float  # epoch seconds the demo is anchored at (today, 00:00 UTC)
    industries: tuple[str, ...] = ()
    # companies
    c_name: list[str] = field(default_factory=list)
    c_norm: list[str] = field(default_factory=list)
    c_domain: list[str] = field(default_factory=list)
    c_industry: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    c_region: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    c_status: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # index into STATUSES
    c_band: list[str] = field(default_factory=list)
    c_parent: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    c_first: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    c_count: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    # persons
    p_first: list[str] = field(default_factory=list)
    p_last: list[str] = field(default_factory=list)
    p_company: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    p_function: list[str] = field(default_factory=list)
    p_title: list[str] = field(default_factory=list)
    p_seniority: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # index into SENIORITIES
    p_depth: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    p_reports_to: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # -1: nobody
    p_expertise: list[list[str]] = field(default_factory=list)
    p_location: list[str] = field(default_factory=list)
    p_email: list[str] = field(default_factory=list)  # "" for none
    # the own company
    members: list[Member] = field(default_factory=list)
    team_names: list[str] = field(default_factory=list)
    own_by_function: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def n_persons(self) -> int:
        return len(self.p_first)

    def company_persons(self, c: int) -> np.ndarray:
        return np.arange(self.c_first[c], self.c_first[c] + self.c_count[c])

    def full_name(self, p: int) -> str:
        return f"{self.p_first[p]} {self.p_last[p]}"


def _slug(text: str) -> str:
    return _SLUG.sub("", strip_accents(text).lower())


def make_companies(w: World) -> None:
    """External companies: status, industry, region, unique names and domains, parents."""
    rng, n = w.rng, w.size.companies
    w.industries = (*vocab.INDUSTRIES, PROFESSIONAL_SERVICES)
    status = 1 + rng.choice(4, size=n, p=STATUS_SHARES)
    industry = rng.choice(len(vocab.INDUSTRIES), size=n, p=_zipf_weights(len(vocab.INDUSTRIES), 0.6))
    partner = status == STATUSES.index("partner")
    # Partners and a fifth of the others are consultancies, integrators and analysts.
    consult = partner | ((status == STATUSES.index("other")) & (rng.random(n) < 0.2))
    industry[consult] = len(vocab.INDUSTRIES)
    region = rng.choice(len(vocab.REGIONS), size=n, p=_zipf_weights(len(vocab.REGIONS), 0.5))

    names, norms, domains = (
        [vocab.OWN_COMPANY],
        [normalize_company_name(vocab.OWN_COMPANY)],
        [vocab.OWN_DOMAIN],
    )
    seen_norm, seen_domain = {norms[0]}, {vocab.OWN_DOMAIN}
    words_a = vocab.COMPANY_WORDS_A
    pick_a = rng.integers(0, len(words_a), size=(n, 2))
    pick_b = rng.integers(0, 7, size=n)
    pick_form = rng.integers(0, len(vocab.LEGAL_FORMS), size=n)
    for i in range(n):
        if consult[i]:
            seconds: tuple[str, ...] = vocab.PARTNER_WORDS
        else:
            seconds = vocab.COMPANY_WORDS_B[vocab.INDUSTRIES[industry[i]]]
        second = seconds[pick_b[i] % len(seconds)]
        first, other = words_a[pick_a[i, 0]], words_a[pick_a[i, 1]]
        for attempt in range(1000):
            base = f"{first} {second}" if attempt == 0 else f"{first} {other} {second}"
            if attempt > 1:
                base = f"{first} {other} {second} {attempt}"
            norm = normalize_company_name(base)
            if norm not in seen_norm:
                break
        seen_norm.add(norm)
        form = vocab.LEGAL_FORMS[pick_form[i]]
        names.append(f"{base} {form}" if form else base)
        norms.append(normalize_company_name(names[-1]))
        seen_norm.add(norms[-1])
        tld = vocab.REGIONS[region[i]][1]
        domain = f"{_slug(base)}.{tld}"
        k = 2
        while domain in seen_domain:
            domain = f"{_slug(base)}{k}.{tld}"
            k += 1
        seen_domain.add(domain)
        domains.append(domain)
    w.c_name, w.c_norm, w.c_domain = names, norms, domains
    w.c_status = np.concatenate([[0], status])
    w.c_industry = np.concatenate([[len(vocab.INDUSTRIES)], industry])  # own: professional services
    w.c_region = np.concatenate([[0], region])
    # A few subsidiaries: a company of the same industry, earlier in the list, is the parent.
    parent = np.full(n + 1, -1, dtype=np.int64)
    for i in np.flatnonzero(rng.random(n + 1) < 0.04).tolist():
        if i < 2:
            continue
        candidates = np.flatnonzero(w.c_industry[1:i] == w.c_industry[i]) + 1
        if candidates.size:
            parent[i] = int(candidates[rng.integers(candidates.size)])
    w.c_parent = parent


def _zipf_weights(n: int, s: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** s
    return weights / weights.sum()


def company_sizes(w: World, own: int) -> np.ndarray:
    """Known persons per external company, heavy-tailed, summing to the size's person count."""
    rng, status = w.rng, w.c_status[1:]
    n = status.size
    mean = np.where(np.isin(status, (1, 2)), 30.0, np.where(status == 3, 12.0, 9.0))
    spread = np.where(np.isin(status, (1, 2)), 0.45, 0.9)
    raw = np.exp(np.log(mean) + spread * rng.standard_normal(n))
    low = np.where(np.isin(status, (1, 2)), 10, 1)
    target = w.size.persons - own
    sizes = np.maximum(low, np.round(raw * target / raw.sum())).astype(np.int64)
    # Settle the rounding on the biggest companies so the total is exact.
    diff = int(target - sizes.sum())
    order = np.argsort(-sizes, kind="stable")
    k = 0
    while diff != 0:
        c = order[k % max(1, min(n, 50))]
        step = 1 if diff > 0 else -1
        if sizes[c] + step >= low[c]:
            sizes[c] += step
            diff -= step
        k += 1
    return sizes


def make_own_company(w: World) -> int:
    """The own company's people: executives, sales teams (the members), colleagues by function."""
    rng, size = w.rng, w.size
    first: list[str] = []
    last: list[str] = []
    title: list[str] = []
    function: list[str] = []
    seniority: list[int] = []
    reports: list[int] = []
    expertise: list[list[str]] = []

    def add(name: tuple[str, str], t: str, f: str, s: int, boss: int, tags: list[str] | None = None) -> int:
        first.append(name[0])
        last.append(name[1])
        title.append(t)
        function.append(f)
        seniority.append(s)
        reports.append(boss)
        expertise.append(tags or [])
        return len(first) - 1

    def random_name() -> tuple[str, str]:
        return (
            vocab.FIRST_NAMES[rng.integers(len(vocab.FIRST_NAMES))],
            vocab.LAST_NAMES[rng.integers(len(vocab.LAST_NAMES))],
        )

    ceo = add(vocab.CEO_NAME, "Chief Executive Officer", "Executive", 0, -1)
    cro = add(("Thomas", "Gage"), "Chief Revenue Officer", "Sales", 0, ceo)
    admin = add(vocab.ADMIN_NAME, "Revenue Operations Lead", "Sales operations", 2, cro)
    w.members.append(Member(admin, "admin", -1, f"admin@{vocab.OWN_DOMAIN}"))

    industries = len(vocab.INDUSTRIES)
    sellers = size.sellers
    styles = np.linspace(0.1, 0.9, max(sellers - 2, 1))
    rng.shuffle(styles)
    seller_k = 0
    for t in range(size.teams):
        team_name = vocab.TEAM_NAMES[t] if t < len(vocab.TEAM_NAMES) else f"Team {t + 1}"
        w.team_names.append(team_name)
        m_name = vocab.MANAGER_NAMES[t] if t < len(vocab.MANAGER_NAMES) else random_name()
        manager = add(m_name, "Regional Sales Director", "Sales", 1, cro)
        m_email = f"manager@{vocab.OWN_DOMAIN}" if t == 0 else ""
        w.members.append(Member(manager, "manager", t, m_email, 0.5, int(rng.integers(industries))))
        for _ in range(size.sellers_per_team):
            s_name = vocab.SELLER_NAMES[seller_k] if seller_k < len(vocab.SELLER_NAMES) else random_name()
            home = int(rng.integers(industries))
            tags = [vocab.INDUSTRIES[home].lower()]
            senior = rng.random() < 0.4
            person = add(
                s_name,
                "Senior Account Executive" if senior else "Account Executive",
                "Sales",
                3 if senior else 4,
                manager,
                tags,
            )
            if seller_k == 0:
                style, email = 0.05, f"seller@{vocab.OWN_DOMAIN}"  # Paul Revere: wide and bridging
            elif seller_k == 1:
                style, email = 0.95, ""  # William Dawes: a thin, closed network
            else:
                style, email = float(styles[(seller_k - 2) % styles.size]), ""
            w.members.append(Member(person, "seller", t, email, style, home))
            seller_k += 1

    # Colleagues outside sales, by function: a head, managers of about eight, then staff.
    for fname, share in vocab.OWN_FUNCTION_SHARES.items():
        titles, fn_tags = vocab.OWN_FUNCTIONS[fname]
        count = max(3, round(size.colleagues * share))
        head = add(random_name(), titles[0], fname, 0, ceo, _tags(rng, fn_tags, 2))
        people = [head]
        managers = [
            add(random_name(), titles[1], fname, 1, head, _tags(rng, fn_tags, 2))
            for _ in range(max(1, count // 9))
        ]
        people += managers
        for k in range(count - 1 - len(managers)):
            senior = rng.random() < 0.35
            extra = [vocab.INDUSTRIES[rng.integers(industries)].lower()] if rng.random() < 0.3 else []
            people.append(
                add(
                    random_name(),
                    titles[2] if senior else titles[3],
                    fname,
                    3 if senior else 4,
                    managers[k % len(managers)],
                    _tags(rng, fn_tags, 3) + extra,
                )
            )
        w.own_by_function[fname] = np.array(people, dtype=np.int64)

    w.p_first, w.p_last, w.p_title, w.p_function, w.p_expertise = first, last, title, function, expertise
    w.p_seniority = np.array(seniority, dtype=np.int64)
    w.p_reports_to = np.array(reports, dtype=np.int64)
    w.p_depth = np.zeros(len(first), dtype=np.int64)
    own_n = len(first)
    w.p_location = [vocab.REGIONS[0][2][0]] * own_n
    # Members' e-mails are their logins; everyone else at the own company first.last@.
    emails = _emails([_ascii(f) for f in first], [_ascii(x) for x in last], [vocab.OWN_DOMAIN] * own_n)
    for m in w.members:
        if not m.email:
            m.email = emails[m.person]
        emails[m.person] = m.email
    w.p_email = emails
    w.own_by_function["Sales"] = np.array([m.person for m in w.members if m.role != "admin"], dtype=np.int64)
    w.own_by_function["Executive"] = np.array([ceo, cro], dtype=np.int64)
    return own_n


def _tags(rng: np.random.Generator, tags: tuple[str, ...], k: int) -> list[str]:
    chosen = rng.choice(len(tags), size=min(k, len(tags)), replace=False)
    return [tags[i] for i in sorted(chosen.tolist())]


def _ascii(text: str) -> str:
    return _slug(text) or "x"


def _emails(first: list[str], last: list[str], domains: list[str]) -> list[str]:
    """first.last@domain, with a number when the company already has one."""
    seen: dict[str, int] = {}
    out = []
    for f, la, d in zip(first, last, domains, strict=True):
        base = f"{f}.{la}@{d}"
        k = seen.get(base, 0)
        seen[base] = k + 1
        out.append(base if k == 0 else f"{f}.{la}{k + 1}@{d}")
    return out


def make_external_persons(w: World, own_n: int) -> None:
    """Persons of every external company, with the company's org chart and departments."""
    rng = w.rng
    sizes = company_sizes(w, own_n)
    counts = np.concatenate([[own_n], sizes])
    w.c_count = counts
    w.c_first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    n_ext = int(sizes.sum())
    company = np.repeat(np.arange(1, counts.size), sizes)
    local = np.arange(n_ext) - np.repeat(w.c_first[1:] - own_n, sizes)
    branching = rng.integers(3, 7, size=counts.size)
    b = branching[company]
    parent_local = np.where(local > 0, (local - 1) // b, -1)
    # Heap order: the depth of node j in a b-ary tree is floor(log_b((b - 1) j + 1)).
    depth = np.floor(np.log((b - 1) * local + 1) / np.log(b) + 1e-9).astype(np.int64)
    has_reports = b * local + 1 < sizes[company - 1]
    # Department: the depth-1 ancestor's slot, offset per company.
    anc = local.copy()
    for _ in range(int(depth.max(initial=0))):
        up = np.where(anc > 0, (anc - 1) // b, 0)
        anc = np.where(up >= 1, up, anc)
    offset = rng.integers(0, len(vocab.FUNCTIONS), size=counts.size)[company]
    dept = np.where(local == 0, -1, (anc - 1 + offset) % len(vocab.FUNCTIONS))
    seniority = np.select(
        [depth <= 1, (depth == 2) & has_reports, has_reports],
        [0, 1, 2],
        default=np.where(rng.random(n_ext) < 0.4, 3, 4),
    )
    fn_names = np.array(vocab.FUNCTIONS)
    functions = np.where(dept < 0, "Executive", fn_names[np.maximum(dept, 0)]).tolist()
    titles_table = {f: vocab.TITLES[f] for f in ("Executive", *vocab.FUNCTIONS)}
    titles = [titles_table[f][s] for f, s in zip(functions, seniority.tolist(), strict=True)]

    first_idx = rng.integers(0, len(vocab.FIRST_NAMES), size=n_ext)
    last_idx = rng.integers(0, len(vocab.LAST_NAMES), size=n_ext)
    first = [vocab.FIRST_NAMES[i] for i in first_idx.tolist()]
    last = [vocab.LAST_NAMES[i] for i in last_idx.tolist()]
    slug_first = {n: _ascii(n) for n in vocab.FIRST_NAMES}
    slug_last = {n: _ascii(n) for n in vocab.LAST_NAMES}
    domains = [w.c_domain[c] for c in company.tolist()]
    emails = _emails([slug_first[f] for f in first], [slug_last[x] for x in last], domains)
    no_email = rng.random(n_ext) < 0.08
    emails = ["" if skip else e for e, skip in zip(emails, no_email.tolist(), strict=True)]
    cities = [vocab.REGIONS[r][2] for r in range(len(vocab.REGIONS))]
    city_pick = rng.integers(0, 8, size=n_ext)
    region_of = w.c_region[company]
    locations = [
        cities[r][k % len(cities[r])] for r, k in zip(region_of.tolist(), city_pick.tolist(), strict=True)
    ]

    w.p_first += first
    w.p_last += last
    w.p_company = np.concatenate([np.zeros(own_n, np.int64), company])
    w.p_function += functions
    w.p_title += titles
    w.p_seniority = np.concatenate([w.p_seniority, seniority])
    w.p_depth = np.concatenate([w.p_depth, depth])
    reports = np.where(parent_local >= 0, own_n + (w.c_first[company] - own_n) + parent_local, -1)
    w.p_reports_to = np.concatenate([w.p_reports_to, reports])
    w.p_expertise += [[] for _ in range(n_ext)]
    w.p_location += locations
    w.p_email += emails
    # Company size bands: the demo knows only some of each company's people.
    employees = counts * rng.uniform(3, 40, size=counts.size)
    w.c_band = [_band(e) for e in employees.tolist()]


def _band(employees: float) -> str:
    for bound, band in SIZE_BANDS:
        if employees <= bound:
            return band
    return "1000+"


def normalized_names(w: World) -> list[str]:
    """``normalize_person_name`` of each full name, computed once per distinct first and last name
    (the demo's names have no honorifics or credentials, so the parts normalize independently)."""
    first = {f: normalize_person_name(f) for f in set(w.p_first)}
    last = {la: normalize_person_name(la) for la in set(w.p_last)}
    return [f"{first[f]} {last[la]}".strip() for f, la in zip(w.p_first, w.p_last, strict=True)]


def make_world(size: DemoSize, seed: int, now: float) -> World:
    w = World(size=size, rng=np.random.default_rng(seed), now=now)
    make_companies(w)
    own_n = make_own_company(w)
    make_external_persons(w, own_n)
    return w
