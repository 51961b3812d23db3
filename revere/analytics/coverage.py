r"""Buying-role coverage and threading: how well a deal team holds the buyer's organization.

Stage 2 of a sale is building buy-in: mapping the buyer's organization, reaching the decision
makers, and not hanging the deal on one person (Üstüner and Godes 2006; the buying centre of
Webster and Wind 1972, whose roles are the ones below).

Definitions
-----------
The **buyers** are the people at the buyer's company together with everyone given a buying role
on the deal. The deal team's **thread** to a buyer is the team's strongest tie to that person
(``team_ties``: one row per tie of a team member); a thread *counts* when its strength is at
least ``thread_min`` (default 0.3, the lower bound of a medium tie in
:mod:`revere.analytics.strength`): a weak tie does not get a meeting or an honest read of the
politics.

* **threads**: the buyers with a counting thread; **departments**: the distinct departments
  (``department_attr``, the person's function) among them, a thread whose department is unknown
  counting as a department of its own (nothing says it is the same as another's).
* **single-threaded**: fewer than two threads, or every thread in one department: one person (or
  one department) who leaves or says no and the deal is out. The **shape** is ``none`` (no thread),
  ``single``, ``some`` (2–3 threads over two or more departments) or ``multi`` (four or more threads
  over two or more departments: the shape won deals have).
* **coverage** of each key role (:data:`KEY_ROLES`): ``missing`` when nobody is known in the role,
  ``uncovered`` when people are but the team has no counting thread to any of them, ``covered``
  otherwise; the **gaps** are the key roles not covered.
* **power**: a counting thread to an economic buyer or a decision maker.
* **opponents**: buyers with an opponent stance, each with the supporters (buyers with a supporter
  stance) tied to them; an opponent with none is **unsupported**: nobody inside is there to
  answer their objections.

References
----------
T. Üstüner and D. Godes, "Better Sales Networks", *Harvard Business Review* 84(7–8), 2006.
F. E. Webster and Y. Wind, "A General Model for Understanding Organizational Buying Behavior",
*Journal of Marketing* 36(2), 1972.

Examples
--------
>>> from revere.analytics.graph import TieGraph
>>> g = TieGraph.from_edges([1, 1, 10], [10, 11, 11], [0.7, 0.2, 0.5], node_ids=[1, 10, 11],
...                         attrs={"function": [None, "Finance", "IT"]})
>>> c = buying_coverage(g, team_ties=([1, 1], [10, 11], [0.7, 0.2]), buyers=[10, 11],
...                     roles=[(10, "economic_buyer", "supporter"), (11, "user", "opponent")])
>>> [t.person for t in c.threads], c.single_threaded, c.shape, c.power
([10], True, 'single', True)
>>> c.gaps
('decision_maker', 'technical_evaluator', 'user', 'champion')
>>> [(o.person, o.supporters) for o in c.opponents]
[(11, (10,))]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .graph import TieGraph

__all__ = [
    "KEY_ROLES",
    "MULTI_THREADED",
    "POWER_ROLES",
    "THREAD_MIN",
    "Coverage",
    "Opponent",
    "RoleCoverage",
    "Thread",
    "buying_coverage",
]

#: The buying roles every deal needs covered, in the order they are shown.
KEY_ROLES: tuple[str, ...] = ("economic_buyer", "decision_maker", "technical_evaluator", "user", "champion")
#: Roles that can say yes.
POWER_ROLES: frozenset[str] = frozenset({"economic_buyer", "decision_maker"})
#: Lower bound of a medium tie: a thread counts from here.
THREAD_MIN = 0.3
#: Threads (over two or more departments) from which a deal has the shape won deals have.
MULTI_THREADED = 4

SUPPORTER, OPPONENT = "supporter", "opponent"


@dataclass(frozen=True)
class Thread:
    """The team's strongest tie to one buyer."""

    person: int
    strength: float
    holder: int  # who holds the tie (as given in ``team_ties``: a member id)
    department: str | None
    roles: tuple[str, ...]


@dataclass(frozen=True)
class RoleCoverage:
    role: str
    persons: tuple[int, ...]  # everyone known in the role
    threads: tuple[Thread, ...]  # the counting threads to them, strongest first
    state: str  # "missing", "uncovered" or "covered"


@dataclass(frozen=True)
class Opponent:
    person: int
    supporters: tuple[int, ...]  # supporters tied to them

    @property
    def unsupported(self) -> bool:
        return not self.supporters


@dataclass(frozen=True)
class Coverage:
    buyers: int
    threads: tuple[Thread, ...]  # counting threads, strongest first
    weak: tuple[Thread, ...]  # ties below thread_min, strongest first
    departments: tuple[str, ...]  # known departments among the threads, sorted
    unknown_departments: int  # threads with no department known
    single_threaded: bool
    shape: str  # "none", "single", "some", "multi"
    roles: dict[str, RoleCoverage]  # every role anyone holds, key roles first
    gaps: tuple[str, ...]  # key roles not covered
    power: bool
    opponents: tuple[Opponent, ...]

    @property
    def department_count(self) -> int:
        return len(self.departments) + self.unknown_departments

    @property
    def roles_threaded(self) -> tuple[str, ...]:
        """Roles (any kind) held by someone the team has a counting thread to."""
        return tuple(r for r, c in self.roles.items() if c.state == "covered")


def _strongest(
    holders: npt.NDArray[np.int64], persons: npt.NDArray[np.int64], strengths: npt.NDArray[np.float64]
) -> dict[int, tuple[float, int]]:
    """Each person's strongest tie: (strength, holder), the lowest holder id on equal strengths."""
    order = np.lexsort((holders, -strengths, persons))
    out: dict[int, tuple[float, int]] = {}
    for k in order.tolist():
        out.setdefault(int(persons[k]), (float(strengths[k]), int(holders[k])))
    return out


def buying_coverage(
    g: TieGraph,
    *,
    team_ties: tuple[Iterable[int], Iterable[int], Iterable[float]],
    buyers: Iterable[int],
    roles: Sequence[tuple[int, str, str]],
    department_attr: str = "function",
    thread_min: float = THREAD_MIN,
) -> Coverage:
    """Threads, departments, role coverage, power and opponents of one deal (module docstring).

    Parameters
    ----------
    g : TieGraph
        The graph the buyers are nodes of (for departments and the ties among buyers).
    team_ties : (holders, persons, strengths)
        The deal team's ties: who holds each, to whom, how strong. Ties to non-buyers are ignored.
    buyers : iterable of int
        The people at the buyer's company (persons with a role are added).
    roles : sequence of (person, role, stance)
        The deal's buying roles.
    department_attr : str
        The categorical node attribute holding the department (missing: unknown).
    thread_min : float
        Lowest strength of a counting thread.
    """
    holders = np.fromiter(team_ties[0], dtype=np.int64)
    persons = np.fromiter(team_ties[1], dtype=np.int64)
    strengths = np.fromiter(team_ties[2], dtype=np.float64)
    people = set(int(b) for b in buyers) | {int(p) for p, _, _ in roles}
    keep = np.isin(persons, np.fromiter(people, dtype=np.int64, count=len(people)))
    best = _strongest(holders[keep], persons[keep], strengths[keep])
    roles_of: dict[int, list[str]] = {}
    stance_of: dict[int, set[str]] = {}
    for person, role, stance in roles:
        roles_of.setdefault(int(person), []).append(role)
        stance_of.setdefault(int(person), set()).add(stance)
    dept = g.attrs.get(department_attr)

    def department(person: int) -> str | None:
        if dept is None:
            return None
        at = g.index_of([person])[0]
        code = int(dept.codes[at]) if at >= 0 else -1
        value = dept.categories[code] if code >= 0 else None
        return str(value) if value else None

    all_threads = sorted(
        (
            Thread(p, s, h, department(p), tuple(sorted(set(roles_of.get(p, [])))))
            for p, (s, h) in best.items()
        ),
        key=lambda t: (-t.strength, t.person),
    )
    threads = tuple(t for t in all_threads if t.strength >= thread_min)
    weak = tuple(t for t in all_threads if t.strength < thread_min)
    known = sorted({t.department for t in threads if t.department})
    unknown = sum(1 for t in threads if not t.department)
    n_departments = len(known) + unknown
    single = len(threads) < 2 or n_departments < 2
    shape = (
        "none"
        if not threads
        else "single"
        if single
        else "multi"
        if len(threads) >= MULTI_THREADED
        else "some"
    )
    by_person = {t.person: t for t in threads}
    order = {r: k for k, r in enumerate(KEY_ROLES)}
    held = sorted(
        {r for rs in roles_of.values() for r in rs} | set(KEY_ROLES), key=lambda r: (order.get(r, 99), r)
    )
    coverage: dict[str, RoleCoverage] = {}
    for role in held:
        holders_of = tuple(sorted(p for p, rs in roles_of.items() if role in rs))
        threaded = tuple(
            sorted((by_person[p] for p in holders_of if p in by_person), key=lambda t: -t.strength)
        )
        state = "covered" if threaded else "uncovered" if holders_of else "missing"
        coverage[role] = RoleCoverage(role, holders_of, threaded, state)
    gaps = tuple(r for r in KEY_ROLES if coverage[r].state != "covered")
    power = any(coverage[r].state == "covered" for r in POWER_ROLES if r in coverage)

    supporters = {p for p, s in stance_of.items() if SUPPORTER in s}
    opponents = []
    for person in sorted(p for p, s in stance_of.items() if OPPONENT in s):
        at = g.index_of([person])[0]
        near: set[int] = set()
        if at >= 0:
            near = {int(x) for x in g.ids[np.asarray(g.neighbors(int(at)), dtype=np.int64)].tolist()}
        opponents.append(Opponent(person, tuple(sorted((near & supporters) - {person}))))
    return Coverage(
        buyers=len(people),
        threads=threads,
        weak=weak,
        departments=tuple(known),
        unknown_departments=unknown,
        single_threaded=single,
        shape=shape,
        roles=coverage,
        gaps=gaps,
        power=power,
        opponents=tuple(opponents),
    )
