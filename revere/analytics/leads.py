r"""Leads: companies an ego's market network reaches, ranked by distinct, non-redundant bridges.

Stage 1 of a sale is hearing of opportunities early, and the method's point (Üstüner and Godes
2006, after Granovetter 1973 and Burt 1992) is that news comes through *bridges*: contacts who
reach circles the seller does not otherwise reach. Five contacts who all know each other are one
source told five times; two contacts who do not know each other are two sources.

Definitions
-----------
Let :math:`i` be the ego and :math:`A` the set of its contacts given as ``alters`` (the seller's
market network). A contact :math:`j \in A` is a **bridge** to company :math:`C` when it works at
:math:`C`, or has a tie to a person :math:`p` at :math:`C` (two steps from the ego). Its
**path score** is the product of the strengths along the best such path:

.. math::

    s_{jC} = w_{ij} \cdot \max\bigl(\mathbb{1}[j \in C],\ \max_{p \in C} w_{jp}\bigr).

Let :math:`S_C` be the bridges to :math:`C`, :math:`n = |S_C|` and :math:`d_j` the number of other
bridges in :math:`S_C` that bridge :math:`j` is tied to. In the ego network :math:`\{i\} \cup S_C`
with every tie counted as 1, Burt's redundancy of bridge :math:`j` is
:math:`r_j = \sum_{q \ne j} p_{iq} m_{jq} = d_j / n` and the effective size is

.. math::

    e_C = \sum_{j \in S_C} (1 - r_j) = n - \frac{2 t_C}{n}

with :math:`t_C` the ties among the bridges (Burt 1992, ch. 2; Borgatti 1997, who gives the
unweighted form). :math:`e_C` is the **number of distinct, non-redundant bridges**: two bridges
who do not know each other give 2; five who all know each other give :math:`5 - 20/5 = 1`; a chain
of three gives :math:`3 - 4/3 \approx 1.67`. Ties are counted unweighted on purpose: whether two
bridges know each other decides whether they bring the same news, however strong their tie.

The **strength** of a lead is the strength its non-redundant bridges carry:

.. math::

    \sigma_C = \sum_{j \in S_C} (1 - r_j)\, s_{jC}.

Leads are ranked by :math:`e_C` (the number of distinct bridges), then :math:`\sigma_C`, then the
best single path score, then the company id: two weak ties from separate circles outrank five
strong ones from one clique, and among leads reached as many separate ways, the stronger come
first. ``circles`` counts the connected groups the bridges form among themselves (those who know
each other, directly or through another bridge), for the reason shown to the seller.

References
----------
T. Üstüner and D. Godes, "Better Sales Networks", *Harvard Business Review* 84(7–8), 2006.
M. Granovetter, "The Strength of Weak Ties", *American Journal of Sociology* 78(6), 1973.
R. S. Burt, *Structural Holes: The Social Structure of Competition*, Harvard University Press, 1992.
S. P. Borgatti, "Structural Holes: Unpacking Burt's Redundancy Measures", *Connections* 20(1), 1997.

Examples
--------
Company 100 (person 10) is reached by two contacts who do not know each other; company 200
(person 20) by three who all know each other, through stronger ties:

>>> from revere.analytics.graph import TieGraph
>>> g = TieGraph.from_edges(
...     [0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 3, 3, 4],
...     [1, 2, 3, 4, 5, 10, 10, 20, 20, 20, 4, 5, 5],
...     [0.2, 0.2, 0.9, 0.9, 0.9, 0.5, 0.5, 0.8, 0.8, 0.8, 1.0, 1.0, 1.0],
...     node_ids=[0, 1, 2, 3, 4, 5, 10, 20],
...     attrs={"company": [None, None, None, None, None, None, 100, 200]},
... )
>>> [(lead.company, lead.effective_bridges, lead.circles) for lead in rank_leads(g, 0, [1, 2, 3, 4, 5])]
[(100, 2.0, 2), (200, 1.0, 1)]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from ._kernels import gather_rows
from .graph import TieGraph

__all__ = ["Bridge", "Lead", "rank_leads"]

Int64Array = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: Effective sizes are compared to this many digits (they are rationals like 5/3).
_DIGITS = 9


@dataclass(frozen=True)
class Bridge:
    """One of the ego's contacts who reaches the company, with its best path in."""

    alter: int  # the ego's contact (external id)
    via: int  # the person at the company the path ends on (the alter itself when they work there)
    tie: float  # strength of the ego's tie to the alter
    link: float  # strength of the alter's tie to ``via`` (1.0 when the alter works there)
    score: float  # tie * link
    redundancy: float  # r_j = d_j / n: the share of the other bridges this one is tied to

    @property
    def path(self) -> tuple[int, ...]:
        """The alter, then the person at the company (just the alter when they work there)."""
        return (self.alter,) if self.via == self.alter else (self.alter, self.via)


@dataclass(frozen=True)
class Lead:
    """A company the ego's network reaches, with the figures it is ranked by."""

    company: int  # the company attribute's category (a Company id)
    effective_bridges: float  # e_C
    strength: float  # sigma_C
    bridges: tuple[Bridge, ...]  # best path score first
    circles: int  # connected groups among the bridges
    people: int  # distinct persons at the company the bridges reach

    @property
    def best(self) -> Bridge:
        return self.bridges[0]


def rank_leads(
    g: TieGraph,
    ego: int,
    alters: Iterable[int],
    *,
    company_attr: str = "company",
    exclude: Iterable[object] = (),
    limit: int | None = 20,
) -> list[Lead]:
    """Companies the ego's ``alters`` reach in at most two steps, best lead first.

    Parameters
    ----------
    g : TieGraph
        Tie strengths in (0, 1]; undirected (a directed graph is read along out-ties).
    ego : int
        External id of the ego.
    alters : iterable of int
        The contacts that may bridge (the seller's market network); ids that are not the ego's
        contacts are ignored.
    company_attr : str
        The categorical node attribute naming each person's company.
    exclude : iterable
        Companies (category values) that are not leads: the own company, those already in the
        pipeline. Unknown values are ignored.
    limit : int, optional
        Most leads returned (None: all).

    Returns
    -------
    list of Lead
        Ranked by effective bridges, strength, best path score, then company (see the module
        docstring). Cost: ``O(sum of the alters' degrees)`` plus a sparse product over the
        bridges; no pass over the whole graph.
    """
    i = int(g.require_index([ego])[0])
    codes = g.attrs[company_attr]
    row_lo, row_hi = int(g.indptr[i]), int(g.indptr[i + 1])
    contacts = np.asarray(g.indices[row_lo:row_hi], dtype=np.int64)
    tie = np.asarray(g.weights[row_lo:row_hi], dtype=np.float64)
    asked = g.index_of(np.fromiter(alters, dtype=np.int64))
    keep = np.isin(contacts, asked[asked >= 0])
    alt, tie = contacts[keep], tie[keep]
    if len(alt) == 0:
        return []
    allowed = np.ones(len(codes.categories) + 1, dtype=bool)  # the last slot: no company (-1)
    allowed[-1] = False
    lookup = {value: k for k, value in enumerate(codes.categories)}
    for value in exclude:
        if value in lookup:
            allowed[lookup[value]] = False
    node_code = codes.codes

    # Candidate paths (bridge position, person at the company, company code, link strength).
    owner, via, link = gather_rows(g.csr, alt)
    direct = np.arange(len(alt), dtype=np.int64)
    owner = np.concatenate([direct, owner])
    via = np.concatenate([alt, via])
    link = np.concatenate([np.ones(len(alt)), link])
    comp = node_code[via].astype(np.int64)
    ok = (via != i) & allowed[comp]
    owner, via, link, comp = owner[ok], via[ok], link[ok], comp[ok]
    if len(owner) == 0:
        return []
    score = tie[owner] * link
    # people reached per company, before keeping one path per (company, bridge)
    pairs = np.unique(comp * g.n + via)
    people = np.bincount(pairs // g.n)
    order = np.lexsort((via, -score, owner, comp))
    owner, via, link, comp, score = owner[order], via[order], link[order], comp[order], score[order]
    first = np.ones(len(owner), dtype=bool)
    first[1:] = (comp[1:] != comp[:-1]) | (owner[1:] != owner[:-1])
    owner, via, link, comp, score = owner[first], via[first], link[first], comp[first], score[first]

    # d_j: bridges of the same company that bridge j is tied to, from (M A) restricted to M.
    companies, row = np.unique(comp, return_inverse=True)
    row = row.ravel().astype(np.int64)
    k = len(alt)
    member = sp.csr_array((np.ones(len(row)), (row, owner)), shape=(len(companies), k))
    adj = g.mutual(weighted=False)[alt][:, alt].tocsr()
    adj.data[:] = 1.0
    among = (member @ adj).multiply(member).tocsr()
    hits = np.asarray(among[row, owner], dtype=np.float64).ravel()
    n = np.bincount(row, minlength=len(companies)).astype(np.float64)
    redundancy = hits / n[row]
    effective = n - np.bincount(row, weights=hits, minlength=len(companies)) / n
    strength = np.bincount(row, weights=(1.0 - redundancy) * score, minlength=len(companies))
    best = np.zeros(len(companies), dtype=np.float64)
    np.maximum.at(best, row, score)
    rank = np.lexsort((companies, -best, -strength, -np.round(effective, _DIGITS)))
    if limit is not None:
        rank = rank[: max(limit, 0)]

    starts = np.searchsorted(row, np.arange(len(companies) + 1))  # rows are grouped by company
    leads: list[Lead] = []
    for c in rank.tolist():
        lo, hi = int(starts[c]), int(starts[c + 1])
        members = owner[lo:hi]
        sub = adj[members][:, members]
        n_circles = int(connected_components(sub, directed=False)[0])
        by_score = np.lexsort((g.ids[alt[members]], -score[lo:hi]))
        bridges = tuple(
            Bridge(
                alter=int(g.ids[alt[owner[lo + b]]]),
                via=int(g.ids[via[lo + b]]),
                tie=float(tie[owner[lo + b]]),
                link=float(link[lo + b]),
                score=float(score[lo + b]),
                redundancy=float(redundancy[lo + b]),
            )
            for b in by_score.tolist()
        )
        leads.append(
            Lead(
                company=codes.categories[int(companies[c])],
                effective_bridges=float(effective[c]),
                strength=float(strength[c]),
                bridges=bridges,
                circles=n_circles,
                people=int(people[companies[c]]),
            )
        )
    return leads
