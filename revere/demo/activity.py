"""Communities, each member's ties, and two years of interactions behind them (as arrays).

Sellers differ by *style* (0 .. 1). A closed seller (William Dawes) draws the market network
from two or three communities of one industry, whose members know each other: a dense clique
with high constraint. A bridging seller (Paul Revere) draws a few people from each of dozens of
communities across industries and regions: a sparse network of weak ties with low constraint.
Strengths are not set here: each tie gets a contact rate and an active period, interactions
are drawn from them, and the recompute turns interactions into strengths.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from revere.demo import vocab
from revere.demo.deals import DAY, Book
from revere.demo.world import World

INTERNAL, PROSPECT, CUSTOMER, MARKET = 0, 1, 2, 3
CLASS_NAMES = ("internal", "prospect", "customer", "market")
KINDS = ("meeting", "call", "email", "message", "event")
# Kind shares by class: meeting, call, email, message, event.
KIND_SHARES = np.array(
    [
        [0.35, 0.10, 0.20, 0.35, 0.00],
        [0.25, 0.25, 0.50, 0.00, 0.00],
        [0.35, 0.25, 0.35, 0.00, 0.05],
        [0.15, 0.20, 0.45, 0.05, 0.15],
    ]
)
OUTBOUND = np.array([0.55, 0.85, 0.6, 0.65])  # a member starts most exchanges with prospects
REPLY = np.array([0.85, 0.35, 0.8, 0.5])  # prospects answer cold e-mails least
EXTRAS = np.array([1.2, 1.5, 1.3, 0.4])  # others at a meeting, by class
TWO_YEARS = 730 * DAY


@dataclass
class Ties:
    member: np.ndarray
    person: np.ndarray
    cls: np.ndarray
    rate: np.ndarray  # contacts a month while active
    start: np.ndarray
    end: np.ndarray
    since: np.ndarray
    private: np.ndarray


@dataclass
class Interactions:
    member: np.ndarray
    kind: np.ndarray  # index into KINDS
    when: np.ndarray
    outbound: np.ndarray
    audience: np.ndarray
    subject: list[str]
    part_interaction: np.ndarray  # participants: interaction index, person, role
    part_person: np.ndarray
    part_role: list[str]


def make_communities(w: World) -> list[np.ndarray]:
    """Industry forums, regional groups, alumni circles: people from many companies who know each other."""
    rng = w.rng
    own_n = int(w.c_count[0])
    ext = np.arange(own_n, w.n_persons)
    company = w.p_company[ext]
    status = w.c_status[company]
    weight = np.array([3.0, 3.0, 2.0, 1.0, 0.5])[w.p_seniority[ext]]
    weight = weight * np.where(np.isin(status, (1, 2)), 0.25, 1.0)
    industry = w.c_industry[company]
    region = w.c_region[company]
    pools = {("industry", i): np.flatnonzero(industry == i) for i in range(len(w.industries))}
    pools |= {("region", r): np.flatnonzero(region == r) for r in range(len(vocab.REGIONS))}
    cums = {key: np.cumsum(weight[idx]) for key, idx in pools.items()}
    n_comm = max(8, round(ext.size * 0.4 / 26))
    out = []
    for k in range(n_comm):
        kind = vocab.COMMUNITY_KINDS[int(rng.integers(len(vocab.COMMUNITY_KINDS)))]
        key = (
            ("industry", k % len(w.industries))
            if "{industry}" in kind
            else ("region", int(rng.integers(len(vocab.REGIONS))))
        )
        idx, cum = pools[key], cums[key]
        if idx.size < 5:
            continue
        size = int(rng.integers(12, 41))
        picks = np.searchsorted(cum, rng.uniform(0, cum[-1], size=size), side="right")
        out.append(np.unique(ext[idx[np.minimum(picks, idx.size - 1)]]))
    return out


def _sample(rng: np.random.Generator, pool: np.ndarray, k: int) -> np.ndarray:
    if pool.size == 0 or k <= 0:
        return pool[:0]
    return rng.choice(pool, size=min(k, pool.size), replace=False)


def make_ties(w: World, book: Book, communities: list[np.ndarray]) -> Ties:
    rng, size = w.rng, w.size
    own_n = int(w.c_count[0])
    members = w.members
    comm_industry = np.array([np.bincount(w.c_industry[w.p_company[c]]).argmax() for c in communities])
    market_pool = np.flatnonzero(np.isin(w.c_status[w.p_company], (3, 4)) & (np.arange(w.n_persons) >= own_n))
    team_members = {
        t: [i for i, m in enumerate(members) if m.team == t and m.role == "seller"] for t in range(size.teams)
    }
    managers = [i for i, m in enumerate(members) if m.role == "manager"]
    fn = w.own_by_function
    heads = np.array(
        [people[0] for f, people in fn.items() if f not in ("Sales", "Executive")], dtype=np.int64
    )
    deals_of: dict[int, list[int]] = {}
    for k, d in enumerate(book.deals):
        deals_of.setdefault(d.owner, []).append(k)
        for mate in d.team:
            deals_of.setdefault(mate, []).append(k)

    rows: list[tuple[np.ndarray, int, tuple[float, float]]] = []  # (persons, class, rate range)
    out: dict[str, list[np.ndarray]] = {k: [] for k in ("member", "person", "cls", "rate", "start", "end")}
    single = np.random.default_rng(20261204)  # the single-threaded deals' own draws

    for mi, m in enumerate(members):
        rows.clear()
        sigma = m.style
        me = m.person
        mates = [members[i].person for i in team_members.get(m.team, []) if i != mi]
        if m.role == "seller":
            # Internal: the team, the manager, a few sellers elsewhere, experts by function.
            team_manager = [members[i].person for i in managers if members[i].team == m.team]
            rows.append((np.array(mates + team_manager, dtype=np.int64), INTERNAL, (1.0, 4.0)))
            others = np.array([members[i].person for i in range(len(members)) if members[i].role == "seller"])
            rows.append((_sample(rng, others, round(8 - 7 * sigma)), INTERNAL, (0.15, 1.5)))
            for fname, (lo, hi) in {
                "Pre-sales": (2, 6),
                "Product": (1, 4),
                "Delivery": (1, 5),
                "Legal": (1, 3),
                "Finance": (1, 3),
                "Marketing": (1, 3),
                "Customer success": (1, 4),
            }.items():
                pool = fn[fname]
                # Closed sellers work with their team's pod; bridging ones with anyone.
                pod = (
                    pool[(np.arange(pool.size) % max(size.teams, 1)) == m.team]
                    if rng.random() < sigma
                    else pool
                )
                rows.append(
                    (
                        _sample(rng, pod if pod.size else pool, int(rng.integers(lo, hi))),
                        INTERNAL,
                        (0.15, 2.0),
                    )
                )
            rows.append((_sample(rng, fn["Executive"], int(rng.random() < 0.4)), INTERNAL, (0.2, 1.0)))
            # Market: a few people from many communities, or many people from a few.
            n_market = round(
                (size.market_ties[1] - (size.market_ties[1] - size.market_ties[0]) * sigma)
                * rng.uniform(0.85, 1.15)
            )
            k_comm = max(2, round((1 - sigma) ** 2 * 45))
            weights = np.where(comm_industry == m.home_industry, 1.0 + 8.0 * sigma, 1.0)
            chosen = rng.choice(
                len(communities), size=min(k_comm, len(communities)), replace=False, p=weights / weights.sum()
            )
            per = int(np.ceil(n_market / chosen.size))
            picked = [_sample(rng, communities[c], per) for c in chosen.tolist()]
            scattered = _sample(rng, market_pool, round(0.25 * (1 - sigma) * n_market))
            market = np.unique(np.concatenate([*picked, scattered]))
            market = market[market >= own_n]
            if market.size > n_market:
                market = rng.choice(market, size=n_market, replace=False)
            rows.append((market, MARKET, (0.02 * (1 + 2 * sigma), 0.7 * (1 + sigma))))
        elif m.role == "manager":
            sellers = [members[i].person for i in team_members.get(m.team, [])]
            rows.append((np.array(sellers, dtype=np.int64), INTERNAL, (3.0, 8.0)))
            peers = [members[i].person for i in managers if i != mi]
            rows.append((np.array(peers + list(fn["Executive"]), dtype=np.int64), INTERNAL, (0.5, 3.0)))
            rows.append((heads, INTERNAL, (0.2, 1.5)))
            chosen = rng.choice(len(communities), size=min(5, len(communities)), replace=False)
            market = np.unique(np.concatenate([_sample(rng, communities[c], 8) for c in chosen.tolist()]))
            rows.append((market[market >= own_n], MARKET, (0.05, 0.8)))
        else:  # the admin: the sales leadership and some of the company
            rows.append(
                (
                    np.array([members[i].person for i in managers] + list(fn["Executive"])),
                    INTERNAL,
                    (0.5, 3.0),
                )
            )
            rows.append((_sample(rng, fn["Finance"], 2), INTERNAL, (0.3, 2.0)))
            rows.append((_sample(rng, fn["Sales"], 10), INTERNAL, (0.1, 1.0)))

        # Prospects and customers: the people on the member's deals, and around them.
        for k in deals_of.get(mi, []):
            d = book.deals[k]
            owner = d.owner == mi
            cls = CUSTOMER if w.c_status[d.company] == 2 or d.stage == "won" else PROSPECT
            coverage = 0.55 + 0.35 * (1 - sigma) if owner else 0.35
            role_people = np.array(
                [
                    p
                    for p, role, _ in d.roles
                    if rng.random() < (coverage * (0.6 if role == "economic_buyer" else 1.0))
                ],
                dtype=np.int64,
            )
            company_people = w.company_persons(d.company)
            extra = _sample(
                rng, company_people, int(rng.integers(1, 5 if owner else 2)) if d.stage != "lost" else 1
            )
            people = np.unique(np.concatenate([role_people, extra]))
            rate = (0.25, 2.0) if d.stage not in ("won", "lost") else (0.15, 1.5)
            # The active period follows the deal's life: a lost deal's people go quiet.
            start = d.created - rng.uniform(0, 60) * DAY
            end = w.now if d.stage != "lost" else min(w.now, (d.closed or w.now) + rng.uniform(0, 30) * DAY)
            if d.single_thread:
                # One thread only, and only the owner's (the card warns "single-threaded"): the
                # draws for the full set still come from ``rng`` (into a throwaway), so the rest
                # of the demo is what it was.
                _emit(rng, mi, people, cls, rate, (start, end), {k: [] for k in out}, w.now)
                if owner and role_people.size:
                    _emit(single, mi, role_people[:1], cls, (1.0, 2.0), (start, end), out, w.now)
                continue
            _emit(rng, mi, people, cls, rate, (start, end), out, w.now)
        for persons, cls, rate in rows:
            persons = persons[persons != me]
            _emit(rng, mi, persons, cls, rate, None, out, w.now)

    member = np.concatenate(out["member"])
    person = np.concatenate(out["person"])
    # One tie per (member, person): the first row wins (deal ties come first for their people).
    key = member * (w.n_persons + 1) + person
    _, first = np.unique(key, return_index=True)
    first.sort()
    tie_cls = np.concatenate(out["cls"])[first]
    tie_start = np.concatenate(out["start"])[first]
    member, person = member[first], person[first]
    since = tie_start - rng.uniform(0, 3 * 365, size=first.size) * DAY * (tie_cls != PROSPECT)
    return Ties(
        member=member,
        person=person,
        cls=tie_cls,
        rate=np.concatenate(out["rate"])[first],
        start=tie_start,
        end=np.concatenate(out["end"])[first],
        since=since,
        private=rng.random(first.size) < 0.1,
    )


def _emit(
    rng: np.random.Generator,
    mi: int,
    persons: np.ndarray,
    cls: int,
    rate: tuple[float, float],
    window: tuple[float, float] | None,
    out: dict[str, list[np.ndarray]],
    now: float,
) -> None:
    n = persons.size
    if n == 0:
        return
    lo, hi = np.log(rate[0]), np.log(rate[1])
    out["member"].append(np.full(n, mi, dtype=np.int64))
    out["person"].append(persons.astype(np.int64))
    out["cls"].append(np.full(n, cls, dtype=np.int64))
    out["rate"].append(np.exp(rng.uniform(lo, hi, size=n)))
    if window is not None:
        start = np.full(n, window[0])
        end = np.full(n, window[1])
    else:
        # Long-standing ties span the two years; newer ones began later; some have faded.
        start = np.where(rng.random(n) < 0.6, now - TWO_YEARS, now - rng.uniform(30, 730, size=n) * DAY)
        fade = rng.random(n) < (0.2 if cls == INTERNAL else 0.4)
        end = np.where(fade, start + (now - start) * rng.uniform(0.1, 0.8, size=n), now)
    out["start"].append(np.maximum(start, now - TWO_YEARS))
    out["end"].append(end)


def make_interactions(w: World, ties: Ties) -> Interactions:
    rng, now = w.rng, w.now
    n_ties = ties.member.size
    months = np.maximum(ties.end - ties.start, 0) / (30 * DAY)
    counts = np.clip(rng.poisson(ties.rate * months), 1, 40)  # every tie has at least one interaction
    anchor_tie = np.repeat(np.arange(n_ties), counts)
    n = anchor_tie.size
    cls = ties.cls[anchor_tie]
    day = ties.start[anchor_tie] + rng.random(n) * (ties.end[anchor_tie] - ties.start[anchor_tie])
    when = np.floor(day / DAY) * DAY + rng.uniform(8, 18, size=n) * 3600
    when = np.minimum(when, now - 60)
    # Kind by class: inverse CDF on each class's shares.
    cum = np.cumsum(KIND_SHARES, axis=1)
    kind = (rng.random(n)[:, None] > cum[cls]).sum(axis=1)
    kind = np.minimum(kind, len(KINDS) - 1)
    outbound = rng.random(n) < OUTBOUND[cls]
    audience_extra = np.zeros(n, dtype=np.int64)
    mass = (kind == 2) & (cls == MARKET) & (rng.random(n) < 0.12)
    audience_extra[mass] = rng.integers(25, 300, size=int(mass.sum()))
    outbound[mass] = True
    event = kind == 4
    audience_extra[event] = rng.integers(40, 400, size=int(event.sum()))

    # Others on the same interaction: alters of the same member at the same company (or, for
    # internal meetings, any colleague the member is tied to).
    company = w.p_company[ties.person]
    group_key = ties.member * (w.c_count.size + 1) + np.where(ties.cls == INTERNAL, w.c_count.size, company)
    order = np.argsort(group_key, kind="stable")
    sorted_keys = group_key[order]
    g_start = np.searchsorted(sorted_keys, group_key, side="left")
    g_size = np.searchsorted(sorted_keys, group_key, side="right") - g_start
    n_extra = np.where(
        (kind == 0) | event | ((kind == 2) & ~mass),
        rng.poisson(np.where(kind == 0, EXTRAS[cls], 0.4)),
        0,
    )
    n_extra = np.minimum(n_extra, g_size[anchor_tie] - 1)
    extra_anchor = np.repeat(np.arange(n), n_extra)
    pick = g_start[anchor_tie[extra_anchor]] + (
        rng.random(extra_anchor.size) * g_size[anchor_tie[extra_anchor]]
    ).astype(np.int64)
    extra_tie = order[pick]
    # Pre-sales and delivery at a third of the client meetings: one of the member's colleagues.
    internal_of = ties.cls == INTERNAL
    m_order = np.flatnonzero(internal_of)
    m_sorted = ties.member[m_order]
    client_meeting = np.flatnonzero((kind == 0) & np.isin(cls, (PROSPECT, CUSTOMER)) & (rng.random(n) < 0.35))
    mem = ties.member[anchor_tie[client_meeting]]
    lo = np.searchsorted(m_sorted, mem, side="left")
    hi = np.searchsorted(m_sorted, mem, side="right")
    ok = hi > lo
    colleague_tie = m_order[lo[ok] + (rng.random(int(ok.sum())) * (hi[ok] - lo[ok])).astype(np.int64)]

    # Replies to e-mails and messages: the same tie, the other direction, a few days later.
    written = ((kind == 2) | (kind == 3)) & ~mass
    replied = written & (rng.random(n) < REPLY[cls])
    reply_when = when + rng.uniform(0.05, 4, size=n) * DAY
    replied &= reply_when < now
    r_idx = np.flatnonzero(replied)

    i_member = np.concatenate([ties.member[anchor_tie], ties.member[anchor_tie[r_idx]]])
    i_kind = np.concatenate([kind, kind[r_idx]])
    i_when = np.concatenate([when, reply_when[r_idx]])
    i_outbound = np.concatenate([outbound, ~outbound[r_idx]])
    i_cls = np.concatenate([cls, cls[r_idx]])
    n_all = i_member.size

    p_inter = np.concatenate([np.arange(n), extra_anchor, client_meeting[ok], n + np.arange(r_idx.size)])
    p_tie = np.concatenate([anchor_tie, extra_tie, colleague_tie, anchor_tie[r_idx]])
    p_person = ties.person[p_tie]
    key = p_inter * (w.n_persons + 1) + p_person
    _, first = np.unique(key, return_index=True)
    p_inter, p_person = p_inter[first], p_person[first]
    p_anchor = np.zeros(p_inter.size, dtype=bool)
    p_anchor[first < n] = True
    p_anchor[first >= n + extra_anchor.size + int(ok.sum())] = True
    audience = np.bincount(p_inter, minlength=n_all) + 1
    audience[:n] = np.maximum(audience[:n], audience_extra)
    role_names = np.array(["recipient", "sender", "attendee", "organizer"])
    written_p = (i_kind[p_inter] == 2) | (i_kind[p_inter] == 3)
    from_them = ~i_outbound[p_inter] & p_anchor
    roles = role_names[np.where(written_p, 0, 2) + from_them]
    table = [f"{prefix}{subject}" for prefix in ("", "Re: ") for c in CLASS_NAMES for subject in _subjects(c)]
    reply = np.arange(n_all) >= n
    subject_code = (reply * len(CLASS_NAMES) + i_cls) * 8 + rng.integers(0, 8, size=n_all)
    subjects = np.array(table)[subject_code]
    # Time order, so that ids grow with time like real imports.
    order_t = np.argsort(i_when, kind="stable")
    rank = np.empty(n_all, dtype=np.int64)
    rank[order_t] = np.arange(n_all)
    p_order = np.lexsort((p_person, rank[p_inter]))
    return Interactions(
        member=i_member[order_t],
        kind=i_kind[order_t],
        when=i_when[order_t],
        outbound=i_outbound[order_t],
        audience=audience[order_t],
        subject=subjects[order_t].tolist(),
        part_interaction=rank[p_inter][p_order],
        part_person=p_person[p_order],
        part_role=roles[p_order].tolist(),
    )


def _subjects(cls: str) -> list[str]:
    """Eight subjects per class (repeating the class's list), so a code picks one arithmetically."""
    subjects = vocab.SUBJECTS[cls]
    return [subjects[k % len(subjects)] for k in range(8)]
