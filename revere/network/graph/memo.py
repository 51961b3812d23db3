"""Results derived from the organization's graph, kept between requests: the one mechanism the home
page's figures (revere/playbook/figures.py) and the team view's (revere/levers/teamgraph.py) use.

Two ways of keeping a result, both bounded (the oldest go first) and safe across threads:

* **beside an object** (:meth:`Memo.memo`): one slot per key holds the value computed for the last
  object (a graph, an ego network) it was asked for, by weak reference; a new object (a new data
  version) takes the slot, so nothing of an old version stays alive beside it;
* **by digest** (:meth:`Memo.keyed`): the value computed from inputs whose :func:`digest` is the
  one asked for, reused in any later data version whose inputs hash the same.

Inside :meth:`Memo.uncached` everything is computed afresh and nothing is kept (the plain
computation that tests compare the kept one with).
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar, cast

import numpy as np

T = TypeVar("T")
_MISS: Any = object()


def digest(*parts: Any) -> bytes:
    """A digest of arrays by value: dtype, shape and bytes of each (objects hashed as text, bytes as
    they are)."""
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        if isinstance(part, bytes):
            h.update(b"b%d:" % len(part))
            h.update(part)
            continue
        a = np.ascontiguousarray(part)
        if a.dtype == object:  # hash the values, never the objects' addresses
            a = a.astype(str)
        h.update(str((a.dtype.str, a.shape)).encode())
        h.update(a.tobytes())
    return h.digest()


class Memo:
    """A store of kept results: ``derived`` slots beside objects, ``kept`` results by digest."""

    def __init__(self, name: str, *, derived: int, kept: int) -> None:
        self.derived_size, self.kept_size = derived, kept
        self._lock = threading.Lock()
        self._derived: OrderedDict[tuple[Any, ...], tuple[weakref.ref[Any], Any]] = OrderedDict()
        self._kept: OrderedDict[tuple[Any, ...], tuple[bytes, Any]] = OrderedDict()
        self._bypass: ContextVar[bool] = ContextVar(f"{name}_bypass", default=False)

    @contextmanager
    def uncached(self) -> Iterator[None]:
        """Within the block every result is computed afresh and nothing is kept or reused."""
        token = self._bypass.set(True)
        try:
            yield
        finally:
            self._bypass.reset(token)

    def clear(self) -> None:
        """Forget every kept result (tests, and benchmarks that time a cold page)."""
        with self._lock:
            self._derived.clear()
            self._kept.clear()

    def peek(self, obj: Any, key: tuple[Any, ...], default: Any = None) -> Any:
        """The value the slot ``key`` holds for this very object, else ``default``."""
        if self._bypass.get():
            return default
        with self._lock:
            hit = self._derived.get(key)
            if hit is not None and hit[0]() is obj:
                self._derived.move_to_end(key)
                return hit[1]
        return default

    def put(self, obj: Any, key: tuple[Any, ...], value: T) -> T:
        """Keep ``value`` in the slot ``key`` for ``obj`` (replacing an older object's)."""
        if self._bypass.get():
            return value
        with self._lock:
            self._derived[key] = (weakref.ref(obj), value)
            self._derived.move_to_end(key)
            while len(self._derived) > self.derived_size:
                self._derived.popitem(last=False)
        return value

    def memo(self, obj: Any, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()`` once for ``obj`` in the slot ``key``."""
        hit = self.peek(obj, key, _MISS)
        return cast(T, hit) if hit is not _MISS else self.put(obj, key, compute())

    def kept_peek(self, key: tuple[Any, ...], digest: bytes, default: Any = None) -> Any:
        """The result kept under ``key`` when it was computed from inputs of this ``digest``, else
        ``default``."""
        if self._bypass.get():
            return default
        with self._lock:
            hit = self._kept.get(key)
            if hit is not None and hit[0] == digest:
                self._kept.move_to_end(key)
                return hit[1]
        return default

    def kept_put(self, key: tuple[Any, ...], digest: bytes, value: T) -> T:
        """Keep ``value`` under ``key``, computed from inputs of this ``digest`` (replacing what was there)."""
        if self._bypass.get():
            return value
        with self._lock:
            self._kept[key] = (digest, value)
            self._kept.move_to_end(key)
            while len(self._kept) > self.kept_size:
                self._kept.popitem(last=False)
        return value

    def keyed(self, key: tuple[Any, ...], digest: bytes, compute: Callable[[], T]) -> T:
        """The result kept under ``key`` for this ``digest``, else ``compute()`` (kept in its place)."""
        hit = self.kept_peek(key, digest, _MISS)
        return cast(T, hit) if hit is not _MISS else self.kept_put(key, digest, compute())
