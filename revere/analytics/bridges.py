r"""What each of an ego's contacts alone brings: people, and categories (companies, industries).

For an ego :math:`i` and a set :math:`A` of its contacts (alters), contact :math:`j \in A` *reaches*
its neighbours :math:`N(j)` (in- and out-neighbours together) and, for a categorical attribute such
as the company, the categories of :math:`R(j) = \{j\} \cup N(j) \setminus \{i\}`: the seller reaches
the company of a contact and the companies of the people that contact knows. Then

* the **people only** :math:`j` **reaches** are :math:`N(j) \setminus (\{i\} \cup A \cup E_p \cup
  \bigcup_{q \in A, q \ne j} N(q))`, where :math:`E_p` are people the ego reaches otherwise (say,
  through contacts of its other networks): :func:`revere.analytics.ego.alter_reach`'s unique reach,
  with :math:`E_p` left out as well;
* the **categories only** :math:`j` **reaches** are the categories of :math:`R(j)` that are neither
  the ego's own, nor in :math:`E_c` (categories the ego reaches otherwise), nor a category of any
  :math:`R(q)`, :math:`q \in A, q \ne j`.

Losing the tie to :math:`j` loses exactly these (within two steps): Burt's (1992) structural hole
that :math:`j` spans, counted in people, companies and industries instead of redundancy.

Cost: ``O(sum of the alters' degrees)`` plus ``O(n)`` bit masks.

References
----------
R. S. Burt, *Structural Holes: The Social Structure of Competition*, Harvard University Press, 1992.
M. Granovetter, "The Strength of Weak Ties", *American Journal of Sociology* 78(6), 1973.

Examples
--------
>>> from revere.analytics.graph import TieGraph
>>> g = TieGraph.from_edges([0, 0, 1, 1, 2, 2], [1, 2, 3, 4, 4, 5], node_ids=[0, 1, 2, 3, 4, 5],
...                         attrs={"company": ["me", "a", "b", "c", "c", "d"]})
>>> r = bridge_reach(g, 0, [1, 2], attrs=["company"])
>>> r.people.tolist(), r.counts["company"].tolist()
([1, 1], [1, 2])
>>> r.unique_people(1).tolist(), r.unique_categories(2, "company")
([3], ['b', 'd'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ._kernels import gather_rows
from .graph import TieGraph

__all__ = ["BridgeReach", "bridge_reach"]

Int64Array = npt.NDArray[np.int64]


@dataclass(frozen=True)
class BridgeReach:
    """Per alter (aligned with :attr:`alters`, external ids in the order asked): what only that alter reaches."""

    alters: Int64Array
    people: Int64Array  # how many people only this alter reaches
    counts: dict[str, Int64Array]  # per attribute: how many categories only this alter reaches
    _people: list[Int64Array]
    _codes: dict[str, list[Int64Array]]
    _categories: dict[str, tuple[Any, ...]]

    def _pos(self, alter: int) -> int:
        hit = np.flatnonzero(self.alters == alter)
        if len(hit) == 0:
            raise KeyError(f"{alter} is not one of the alters asked about")
        return int(hit[0])

    def unique_people(self, alter: int) -> Int64Array:
        """External ids of the people only ``alter`` reaches, sorted."""
        return self._people[self._pos(alter)]

    def unique_categories(self, alter: int, attr: str) -> list[Any]:
        """The categories of ``attr`` only ``alter`` reaches, in the attribute's category order."""
        cats = self._categories[attr]
        return [cats[c] for c in self._codes[attr][self._pos(alter)].tolist()]


def bridge_reach(
    g: TieGraph,
    ego: int,
    alters: Iterable[int],
    *,
    attrs: Sequence[str] = (),
    elsewhere_people: Iterable[int] = (),
    elsewhere_categories: Mapping[str, Iterable[Any]] | None = None,
) -> BridgeReach:
    """People and categories each alter of ``alters`` (contacts of ``ego``) alone reaches.

    ``elsewhere_people`` (external ids, in the graph or not) and ``elsewhere_categories`` (per
    attribute, category values) are what the ego reaches by other ways: they are nobody's alone.
    """
    i = int(g.require_index([ego])[0])
    a = g.mutual(weighted=False)
    mine = np.asarray(a.indices[a.indptr[i] : a.indptr[i + 1]], dtype=np.int64)
    asked = g.require_index(np.fromiter(alters, dtype=np.int64))
    if not np.isin(asked, mine).all() or len(np.unique(asked)) != len(asked):
        raise ValueError("the alters must be distinct contacts of the ego")
    k = len(asked)
    owner, col, _ = gather_rows(a, asked)
    keep = col != i
    owner, col = owner[keep], col[keep]

    # People: neighbours beyond the alters, reached by exactly one alter, not reached elsewhere.
    is_alter = np.zeros(g.n, dtype=bool)
    is_alter[asked] = True
    blocked = np.zeros(g.n, dtype=bool)
    known = g.index_of(np.fromiter(elsewhere_people, dtype=np.int64))
    blocked[known[known >= 0]] = True
    beyond = ~is_alter[col] & ~blocked[col]
    reached_by = np.bincount(col[beyond], minlength=g.n)
    only = beyond & (reached_by[col] == 1)
    people = np.bincount(owner[only], minlength=k).astype(np.int64)
    order = np.lexsort((col[only], owner[only]))
    p_owner, p_ids = owner[only][order], g.ids[col[only][order]]
    cut = np.searchsorted(p_owner, np.arange(k + 1))
    unique_people = [p_ids[cut[j] : cut[j + 1]] for j in range(k)]

    # Categories: of the alter itself and of its neighbours (the ego excluded).
    counts: dict[str, Int64Array] = {}
    codes_out: dict[str, list[Int64Array]] = {}
    categories: dict[str, tuple[Any, ...]] = {}
    elsewhere_categories = elsewhere_categories or {}
    all_owner = np.concatenate([np.arange(k, dtype=np.int64), owner])
    all_node = np.concatenate([asked, col])
    for name in attrs:
        cat = g.attrs[name]
        categories[name] = cat.categories
        n_cat = len(cat.categories)
        codes = cat.codes[all_node].astype(np.int64)
        has = codes >= 0
        pair = np.unique(all_owner[has] * max(n_cat, 1) + codes[has])  # (alter, category), once each
        p_own, p_code = pair // max(n_cat, 1), pair % max(n_cat, 1)
        by = np.bincount(p_code, minlength=n_cat)
        out = np.zeros(n_cat, dtype=bool)
        if cat.codes[i] >= 0:
            out[cat.codes[i]] = True  # the ego's own category is reached through nobody
        lookup = {c: n for n, c in enumerate(cat.categories)}
        for value in elsewhere_categories.get(name, ()):
            if value in lookup:
                out[lookup[value]] = True
        alone = (by[p_code] == 1) & ~out[p_code]
        own_alone, code_alone = p_own[alone], p_code[alone]  # once: each alter's slice is a view of it
        counts[name] = np.bincount(own_alone, minlength=k).astype(np.int64)
        cut = np.searchsorted(own_alone, np.arange(k + 1))
        codes_out[name] = [code_alone[cut[j] : cut[j + 1]] for j in range(k)]
    return BridgeReach(
        alters=g.ids[asked],
        people=people,
        counts=counts,
        _people=unique_people,
        _codes=codes_out,
        _categories=categories,
    )
