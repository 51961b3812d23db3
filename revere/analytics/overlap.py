r"""A team's networks together: team reach against the sum of its members', overlaps, shared accounts.

Each member :math:`m` of a team is an ego with a set of contacts :math:`A_m` (the alters of one
network class, or of all four). On the whole graph (ties and links):

* **reach** of :math:`m`: :math:`S_m = A_m \cup N(A_m) \setminus \{m\}`, the people :math:`m` reaches
  in at most two steps (size plus two-step reach of :mod:`revere.analytics.ego`);
* **team reach**: :math:`|\bigcup_m S_m|` against :math:`\sum_m |S_m|`; the same for contacts,
  :math:`|\bigcup_m A_m|` against :math:`\sum_m |A_m|`. Their ratio is the share of the team's reach
  that is not duplicated; :math:`1 - |\bigcup| / \sum` is the team's *redundancy* (0 when no two members
  reach the same person; :math:`1 - 1/k` when all :math:`k` members reach the same people);
* **pairwise overlap** of members :math:`i, j`: :math:`|A_i \cap A_j|`, as a share of each network,
  :math:`|A_i \cap A_j| / |A_i|` and :math:`/ |A_j|`, and Jaccard's :math:`|A_i \cap A_j| / |A_i \cup A_j|`
  (Jaccard 1912);
* **shared accounts**: the values of a categorical attribute (say the company) that two or more members
  hold contacts at, with each member's number of contacts there; **uncovered accounts**: the accounts of
  a given list (say the companies of the open deals) at which no member holds a contact.

Intersections are one product of a sparse incidence matrix (members by people) with its transpose;
reach marks the alters' rows of the adjacency in a boolean array per member, so a team of 50 sellers
with 400 contacts each costs milliseconds.

References
----------
P. Jaccard, "The distribution of the flora in the alpine zone", *New Phytologist* 11(2), 1912.
R. S. Burt, *Structural Holes*, Harvard University Press, 1992, ch. 1 (redundant contacts).
T. Üstüner and D. Godes, "Better Sales Networks", *Harvard Business Review*, July-August 2006.

Examples
--------
>>> from revere.analytics.graph import TieGraph
>>> g = TieGraph.from_edges([1, 1, 2, 2, 3, 4], [3, 4, 4, 5, 6, 7])
>>> r = team_reach(g, {1: [3, 4], 2: [4, 5]})
>>> r.contacts.tolist(), r.union_contacts, r.sum_contacts
([2, 2], 3, 4)
>>> r.reach.tolist(), r.union_reach, r.sum_reach   # 1 reaches 3, 4, 2, 6, 7; 2 reaches 4, 5, 1, 7
([5, 4], 7, 9)
>>> o = overlaps({1: [3, 4], 2: [4, 5, 6]})
>>> [(p.a, p.b, p.shared, round(p.share_a, 2), round(p.share_b, 2)) for p in o.pairs()]
[(1, 2, 1, 0.5, 0.33)]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from ._kernels import gather_rows
from .graph import TieGraph

__all__ = [
    "Overlaps",
    "PairOverlap",
    "SharedAccount",
    "TeamReach",
    "incidence",
    "overlaps",
    "shared_accounts",
    "team_reach",
    "uncovered_accounts",
]

Int64Array = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
AlterSets = Mapping[int, npt.ArrayLike]


def _unique(values: npt.ArrayLike) -> Int64Array:
    arr = np.asarray(values, dtype=np.int64).ravel()
    return np.unique(arr)


def incidence(
    sets: AlterSets, universe: Int64Array | None = None
) -> tuple[Int64Array, Int64Array, sp.csr_array]:
    """The sets as a 0/1 CSR matrix, one row per set (in the mapping's order), one column per element.

    Returns the set keys, the element ids (sorted, the column order; ``universe`` when given, which must
    hold every element) and the matrix.

    >>> keys, cols, mat = incidence({7: [3, 1], 8: [1]})
    >>> keys.tolist(), cols.tolist(), mat.toarray().tolist()
    ([7, 8], [1, 3], [[1.0, 1.0], [1.0, 0.0]])
    """
    keys = np.fromiter(sets.keys(), dtype=np.int64, count=len(sets))
    rows = [_unique(v) for v in sets.values()]
    flat = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    cols = np.unique(flat) if universe is None else np.asarray(universe, dtype=np.int64)
    pos = np.searchsorted(cols, flat)
    if len(flat) and (np.any(pos >= len(cols)) or np.any(cols[np.minimum(pos, len(cols) - 1)] != flat)):
        raise ValueError("an element is not in the universe")
    owner = np.repeat(np.arange(len(rows), dtype=np.int64), [len(r) for r in rows])
    mat = sp.csr_array((np.ones(len(flat)), (owner, pos)), shape=(len(rows), len(cols)))
    return keys, cols, mat


@dataclass(frozen=True)
class TeamReach:
    """Each member's contacts and two-step reach, and the team's, as counts of distinct people.

    ``contacts[k]`` and ``reach[k]`` belong to ``egos[k]``; ``reach`` counts contacts too (everyone
    within two steps, the ego left out).
    """

    egos: Int64Array
    contacts: Int64Array
    reach: Int64Array
    union_contacts: int
    union_reach: int

    @property
    def sum_contacts(self) -> int:
        return int(self.contacts.sum())

    @property
    def sum_reach(self) -> int:
        return int(self.reach.sum())

    @property
    def contact_redundancy(self) -> float:
        """``1 - union / sum`` of contacts: the share of the members' contacts another member also has."""
        return 1.0 - self.union_contacts / self.sum_contacts if self.sum_contacts else float("nan")

    @property
    def reach_redundancy(self) -> float:
        """``1 - union / sum`` of reach (NaN when nobody reaches anyone)."""
        return 1.0 - self.union_reach / self.sum_reach if self.sum_reach else float("nan")


def team_reach(g: TieGraph, alters: AlterSets) -> TeamReach:
    """Contacts and two-step reach of every member, and the team's union of each, on graph ``g``.

    Parameters
    ----------
    g : TieGraph
        The whole graph (undirected: contacts are neighbours).
    alters : mapping of int to array_like of int
        Each member's ego id to the ids of the contacts counted (one network class, or all).

    Returns
    -------
    TeamReach

    Notes
    -----
    :math:`S_m = A_m \\cup N(A_m) \\setminus \\{m\\}`: the alters' rows of the adjacency marked in one
    boolean array per member, ``O(n + sum of the alters' degrees)`` each. The ego itself is never in its own reach, but a teammate can be (a teammate is a person).
    """
    egos = np.fromiter(alters.keys(), dtype=np.int64, count=len(alters))
    ego_idx = g.index_of(egos)
    # contacts are in- and out-neighbours: the mutual pattern; undirected, the rows themselves (a
    # patched graph answers them without building its whole CSR)
    adj = g.mutual(weighted=False) if g.directed else None
    contacts = np.zeros(len(egos), dtype=np.int64)
    reach = np.zeros(len(egos), dtype=np.int64)
    team_contacts = np.zeros(g.n, dtype=bool)
    team_reach_ = np.zeros(g.n, dtype=bool)
    for k, values in enumerate(alters.values()):
        alt = g.require_index(_unique(values))
        _, col, _ = gather_rows(adj, alt) if adj is not None else g.gather(alt)
        mark = np.zeros(g.n, dtype=bool)
        mark[col] = True
        mark[alt] = True
        if ego_idx[k] >= 0:
            mark[ego_idx[k]] = False
        contacts[k] = len(alt)
        reach[k] = int(np.count_nonzero(mark))
        team_contacts[alt] = True
        team_reach_ |= mark
    return TeamReach(
        egos=egos,
        contacts=contacts,
        reach=reach,
        union_contacts=int(np.count_nonzero(team_contacts)),
        union_reach=int(np.count_nonzero(team_reach_)),
    )


@dataclass(frozen=True)
class PairOverlap:
    """Two members' shared contacts, and the share of each one's network they are."""

    a: int
    b: int
    shared: int
    share_a: float  # shared / size of a's network
    share_b: float
    jaccard: float  # shared / size of the union


@dataclass(frozen=True)
class Overlaps:
    """Sizes and the matrix of shared contacts, ``shared[i, j] = |A_i ∩ A_j|`` (diagonal: sizes)."""

    egos: Int64Array
    size: Int64Array
    shared: Int64Array

    def share(self, a: int, b: int) -> float:
        """The share of ``a``'s network that ``b`` also holds (NaN when ``a``'s is empty)."""
        i, j = (int(np.flatnonzero(self.egos == x)[0]) for x in (a, b))
        return float(self.shared[i, j] / self.size[i]) if self.size[i] else float("nan")

    def pairs(self, *, min_shared: int = 1) -> list[PairOverlap]:
        """Every pair with at least ``min_shared`` shared contacts, the most shared first."""
        out = []
        k = len(self.egos)
        for i in range(k):
            for j in range(i + 1, k):
                s = int(self.shared[i, j])
                if s < min_shared:
                    continue
                si, sj = int(self.size[i]), int(self.size[j])
                out.append(
                    PairOverlap(
                        a=int(self.egos[i]),
                        b=int(self.egos[j]),
                        shared=s,
                        share_a=s / si if si else float("nan"),
                        share_b=s / sj if sj else float("nan"),
                        jaccard=s / (si + sj - s) if si + sj - s else float("nan"),
                    )
                )
        out.sort(key=lambda p: (-p.shared, -max(p.share_a, p.share_b), p.a, p.b))
        return out


def overlaps(alters: AlterSets) -> Overlaps:
    """The contacts every pair of members shares (``|A_i ∩ A_j|``), one sparse product.

    >>> o = overlaps({1: [5, 6, 7], 2: [6, 7], 3: [8]})
    >>> o.shared.tolist()
    [[3, 2, 0], [2, 2, 0], [0, 0, 1]]
    >>> round(o.share(1, 2), 3), o.share(2, 1)
    (0.667, 1.0)
    """
    keys, _, mat = incidence(alters)
    shared = np.asarray((mat @ mat.T).toarray(), dtype=np.int64).reshape(len(keys), len(keys))
    return Overlaps(egos=keys, size=np.diag(shared).copy(), shared=shared)


@dataclass(frozen=True)
class SharedAccount:
    """An account (a category of ``attr``: say a company id) where several members hold contacts."""

    account: object  # the category value
    contacts: dict[int, int]  # ego id -> contacts there, the most first

    @property
    def members(self) -> int:
        return len(self.contacts)


def _account_counts(g: TieGraph, alters: AlterSets, attr: str) -> tuple[Int64Array, sp.csr_array]:
    cat = g.attrs[attr]
    egos = np.fromiter(alters.keys(), dtype=np.int64, count=len(alters))
    rows = [g.require_index(_unique(v)) for v in alters.values()]
    owner = np.repeat(np.arange(len(rows), dtype=np.int64), [len(r) for r in rows])
    flat = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    codes = cat.codes[flat].astype(np.int64)
    keep = codes >= 0
    mat = sp.csr_array(
        (np.ones(int(keep.sum())), (owner[keep], codes[keep])),
        shape=(len(rows), max(len(cat.categories), 1)),
    )
    mat.sum_duplicates()
    return egos, mat


def shared_accounts(
    g: TieGraph, alters: AlterSets, *, attr: str = "company", min_members: int = 2
) -> list[SharedAccount]:
    """Accounts where at least ``min_members`` members hold contacts, the most members first.

    Ties: more contacts in total first, then the category value's order.

    >>> from revere.analytics.graph import TieGraph
    >>> g = TieGraph.from_edges([1, 1, 2, 2], [3, 4, 4, 5], node_ids=[1, 2, 3, 4, 5],
    ...                         attrs={"company": [None, None, "acme", "acme", "beta"]})
    >>> [(a.account, a.contacts) for a in shared_accounts(g, {1: [3, 4], 2: [4, 5]})]
    [('acme', {1: 2, 2: 1})]
    """
    egos, mat = _account_counts(g, alters, attr)
    cats = g.attrs[attr].categories
    by_account = mat.T.tocsr()
    members = np.diff(np.asarray(by_account.indptr, dtype=np.int64))
    totals = np.asarray(by_account.sum(axis=1), dtype=np.float64).ravel()
    chosen = np.flatnonzero(members >= min_members)
    chosen = chosen[np.lexsort((chosen, -totals[chosen], -members[chosen]))]
    out = []
    for c in chosen.tolist():
        lo, hi = int(by_account.indptr[c]), int(by_account.indptr[c + 1])
        who = np.asarray(by_account.indices[lo:hi], dtype=np.int64)
        n = np.asarray(by_account.data[lo:hi], dtype=np.int64)
        order = np.lexsort((egos[who], -n))
        out.append(SharedAccount(cats[c], {int(egos[who[k]]): int(n[k]) for k in order.tolist()}))
    return out


def uncovered_accounts(
    g: TieGraph, alters: AlterSets, accounts: Sequence[object], *, attr: str = "company"
) -> list[object]:
    """The accounts of ``accounts`` (category values of ``attr``) at which no member holds a contact.

    Accounts that no person of the graph belongs to are uncovered too. Order kept.

    >>> from revere.analytics.graph import TieGraph
    >>> g = TieGraph.from_edges([1, 1], [3, 4], node_ids=[1, 3, 4, 5],
    ...                         attrs={"company": [None, "acme", "beta", "gamma"]})
    >>> uncovered_accounts(g, {1: [3, 4]}, ["beta", "gamma", "delta"])
    ['gamma', 'delta']
    """
    _, mat = _account_counts(g, alters, attr)
    covered_codes = set(np.unique(np.asarray(mat.indices, dtype=np.int64)).tolist())
    index = {v: k for k, v in enumerate(g.attrs[attr].categories)}
    return [a for a in accounts if index.get(a, -1) not in covered_codes]
