"""Categorical node attributes: integer codes (``-1`` = missing) and a tuple of categories."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt

__all__ = ["Categorical"]

IndexArray = npt.NDArray[np.integer[Any]]


@dataclass(frozen=True)
class Categorical:
    """A categorical node attribute: ``codes[i]`` indexes ``categories``; ``-1`` means missing.

    >>> c = Categorical.encode(["acme", None, "globex", "acme"])
    >>> c.codes.tolist(), c.categories
    ([0, -1, 1, 0], ('acme', 'globex'))
    >>> c.values()
    ['acme', None, 'globex', 'acme']
    """

    codes: npt.NDArray[np.int32]
    categories: tuple[Any, ...]

    @classmethod
    def encode(cls, values: Iterable[Any] | npt.ArrayLike) -> Categorical:
        """Encode values; ``None`` and float NaN are missing. Categories are sorted where comparable."""
        raw: npt.NDArray[Any] = (
            values
            if isinstance(values, np.ndarray)
            else np.array(list(cast(Iterable[Any], values)), dtype=object)
        )
        if raw.dtype.kind in "iub":  # fast path: integer codes, nothing missing
            uniq, inv = np.unique(raw, return_inverse=True)
            return cls(codes=inv.astype(np.int32).ravel(), categories=tuple(uniq.tolist()))
        items = raw.tolist()
        missing = np.array([v is None or (isinstance(v, float) and v != v) for v in items], dtype=bool)
        present = [v for v, miss in zip(items, missing.tolist(), strict=True) if not miss]
        cats: list[Any] = list(dict.fromkeys(present))
        with contextlib.suppress(TypeError):  # mixed types keep first-seen order
            cats.sort()
        lookup = {c: k for k, c in enumerate(cats)}
        codes = np.full(len(items), -1, dtype=np.int32)
        codes[~missing] = np.fromiter((lookup[v] for v in present), dtype=np.int32, count=len(present))
        return cls(codes=codes, categories=tuple(cats))

    def values(self) -> list[Any]:
        """The decoded values (``None`` where missing)."""
        return [self.categories[c] if c >= 0 else None for c in self.codes.tolist()]

    def take(self, index: IndexArray) -> Categorical:
        """The attribute restricted to nodes ``index`` (same categories)."""
        return Categorical(codes=self.codes[np.asarray(index)], categories=self.categories)
