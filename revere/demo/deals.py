"""Accounts, deals across the four stages (won and lost too), stage history and buying roles."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from revere.demo import vocab
from revere.demo.world import World

DAY = 86_400.0
OPEN = ("identify", "buy_in", "solution", "close")
OPEN_SHARES = (0.3, 0.3, 0.22, 0.18)
NEEDS = tuple(tag for f in ("Pre-sales", "Product", "Delivery", "Legal") for tag in vocab.OWN_FUNCTIONS[f][1])


@dataclass
class Deal:
    company: int
    owner: int  # member index
    stage: str
    created: float
    closed: float | None
    expected_close: float | None
    amount: int
    product: str
    needs: list[str]
    team: list[int] = field(default_factory=list)  # member indexes besides the owner
    stalled: bool = False  # no stage change for longer than the stage allows (the card warns)
    no_economic_buyer: bool = False  # nobody named economic buyer yet (the exit check of stage 2 fails)
    single_thread: bool = False  # the deal team holds one buyer thread (the card warns)
    history: list[tuple[str, str, float]] = field(default_factory=list)  # (from, to, at)
    roles: list[tuple[int, str, str]] = field(default_factory=list)  # (person, role, stance)


@dataclass
class Book:
    """Who owns which account, and the deals."""

    deals: list[Deal]
    owner_of: dict[int, int]  # company -> member index


def seller_indexes(w: World) -> list[int]:
    return [i for i, m in enumerate(w.members) if m.role == "seller"]


def make_deals(w: World) -> Book:
    rng, now = w.rng, w.now
    sellers = seller_indexes(w)
    status = w.c_status
    prospects = np.flatnonzero(status == 1)
    customers = np.flatnonzero(status == 2)
    others = np.flatnonzero(status == 4)
    others_in_play = others[rng.random(others.size) < 0.08]

    owner_of: dict[int, int] = {}
    demo = sellers[0]
    # The demo seller's book: five prospects (open deals in every stage) and two customers.
    forced_prospects = prospects[:5].tolist()
    forced_customers = customers[:2].tolist()
    for c in forced_prospects + forced_customers:
        owner_of[c] = demo
    # Everyone else's accounts: dealt round the sellers like cards, so each has a book.
    rest = rng.permutation(np.concatenate([prospects[5:], customers[2:], others_in_play]))
    for k, c in enumerate(rest.tolist()):
        owner_of[c] = sellers[(k + 1) % len(sellers)]

    deals: list[Deal] = []

    def open_deal(c: int, stage: str | None = None) -> None:
        stage = stage or OPEN[rng.choice(4, p=OPEN_SHARES)]
        age = (30 + 70 * OPEN.index(stage)) * rng.uniform(0.6, 1.6)
        deals.append(_deal(w, c, owner_of[c], stage, now - age * DAY, None))

    def closed_deal(c: int, won: bool, closed_days_ago: float) -> None:
        closed = now - closed_days_ago * DAY
        created = closed - rng.uniform(60, 240) * DAY
        deals.append(_deal(w, c, owner_of[c], "won" if won else "lost", created, closed))

    for k, c in enumerate(forced_prospects):
        open_deal(c, OPEN[min(k, 3)])
    for c in prospects[5:].tolist():
        if rng.random() < 0.8:
            open_deal(c)
        if rng.random() < 0.2:
            closed_deal(c, False, rng.uniform(200, 700))
    for k, c in enumerate(customers.tolist()):
        for _ in range(1 + int(rng.random() < 0.4)):
            closed_deal(c, True, rng.uniform(20, 540))
        if rng.random() < 0.3 or (k == 0 and c in forced_customers):
            open_deal(c)
        if rng.random() < 0.15:
            closed_deal(c, False, rng.uniform(100, 700))
    for c in others_in_play.tolist():
        if rng.random() < 0.5:
            closed_deal(c, False, rng.uniform(30, 700))
        else:
            open_deal(c, OPEN[int(rng.integers(2))])

    team_of = [m.team for m in w.members]
    managers = {m.team: i for i, m in enumerate(w.members) if m.role == "manager"}
    by_team: dict[int, list[int]] = {}
    for i in sellers:
        by_team.setdefault(team_of[i], []).append(i)
    # Deals that show the warnings and checks (docs/playbook.md §9): a quarter of the open deals
    # stalled, a fifth without an economic buyer, and on the demo seller's own book one of each (the
    # stage-2 deal has no economic buyer, the stage-3 deal is stalled). A separate generator, so the
    # rest of the demo draws what it drew before.
    quirks = np.random.default_rng(20261203)
    for d in deals:
        if d.stage in OPEN:
            d.stalled = bool(quirks.random() < 0.25) or (d.owner == demo and d.company == forced_prospects[2])
            d.no_economic_buyer = bool(quirks.random() < 0.2) or (
                d.owner == demo and d.company == forced_prospects[1]
            )
            d.single_thread = d.stage != "identify" and (
                bool(quirks.random() < 0.2) or (d.owner == demo and d.company == forced_prospects[3])
            )
    for d in deals:
        mates = [i for i in by_team[team_of[d.owner]] if i != d.owner]
        if mates and rng.random() < 0.5:
            d.team.append(mates[int(rng.integers(len(mates)))])
        if rng.random() < 0.3:
            d.team.append(managers[team_of[d.owner]])
        _history(w, d)
        _buying_roles(w, d)
    return Book(deals=deals, owner_of=owner_of)


def _deal(w: World, c: int, owner: int, stage: str, created: float, closed: float | None) -> Deal:
    rng = w.rng
    amount = int(round(float(np.exp(11.2 + 0.7 * rng.standard_normal())), -3)) or 1000
    expected = None if closed is not None else w.now + rng.uniform(15, 180) * DAY
    needs = sorted({NEEDS[i] for i in rng.integers(0, len(NEEDS), size=int(rng.integers(1, 4))).tolist()})
    product = vocab.PRODUCTS[int(rng.integers(len(vocab.PRODUCTS)))]
    return Deal(c, owner, stage, created, closed, expected, amount, product, needs)


def _history(w: World, d: Deal) -> None:
    """Stage changes from creation to the current stage, spread over the deal's life."""
    rng = w.rng
    if d.stage in OPEN:
        path = list(OPEN[: OPEN.index(d.stage) + 1])
        end = w.now - rng.uniform(1, 10) * DAY
        if d.stalled:  # the last move long ago: more days in stage than the default rules allow
            end = w.now - (60 + 10 * OPEN.index(d.stage)) * DAY
    elif d.stage == "won":
        path = [*OPEN, "won"]
        end = d.closed or w.now
    else:
        reached = int(rng.integers(1, 5))
        path = [*OPEN[:reached], "lost"]
        end = d.closed or w.now
    end = max(end, d.created + DAY)
    times = np.sort(rng.uniform(d.created, end, size=len(path)))
    times[0] = d.created
    times[-1] = end if len(path) > 1 else d.created
    previous = ""
    for stage, at in zip(path, times.tolist(), strict=True):
        d.history.append((previous, stage, at))
        previous = stage


def _buying_roles(w: World, d: Deal) -> None:
    """Buying roles on the company's org chart: the economic buyer at the top, users below."""
    rng = w.rng
    people = w.company_persons(d.company)
    depth = w.p_depth[people]
    funcs = np.array(w.p_function[people[0] : people[-1] + 1])
    roles: list[tuple[int, str, str]] = []

    def pick(mask: np.ndarray) -> int | None:
        idx = np.flatnonzero(mask)
        return int(people[idx[rng.integers(idx.size)]]) if idx.size else None

    def stance() -> str:
        return ("supporter", "neutral", "opponent")[rng.choice(3, p=(0.4, 0.45, 0.15))]

    finance_head = pick((depth == 1) & (funcs == "Finance"))
    economic = finance_head if finance_head is not None and people.size > 15 else int(people[0])
    roles.append((economic, "economic_buyer", stance()))
    decision = pick((depth == 1) & np.isin(funcs, ("IT", "Operations")))
    if decision is not None:
        roles.append((decision, "decision_maker", stance()))
    evaluator = pick((depth >= 2) & (funcs == "IT"))
    if evaluator is not None:
        roles.append((evaluator, "technical_evaluator", stance()))
    for _ in range(int(rng.integers(1, 3))):
        user = pick((depth >= 2) & np.isin(funcs, ("Operations", "Sales", "Marketing", "Finance")))
        if user is not None:
            roles.append((user, "user", stance()))
    champion = pick((depth >= 2) & (depth <= 3))
    if champion is not None:
        roles.append((champion, "champion", "supporter"))
    if rng.random() < 0.5:
        influencer = pick(depth >= 1)
        if influencer is not None:
            roles.append((influencer, "influencer", stance()))
    if rng.random() < 0.5:
        gatekeeper = pick(funcs == "Procurement")
        if gatekeeper is not None:
            roles.append((gatekeeper, "gatekeeper", stance()))
    if rng.random() < 0.25:
        blocker = pick(depth >= 1)
        if blocker is not None:
            roles.append((blocker, "blocker", "opponent"))
    if d.no_economic_buyer:
        roles = [r for r in roles if r[1] != "economic_buyer"]
    seen: set[tuple[int, str]] = set()
    for person, role, st in roles:
        if (person, role) not in seen:
            seen.add((person, role))
            d.roles.append((person, role, st))
