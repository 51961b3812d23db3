"""Ids from outside (URLs, forms, API payloads) that a database can look up."""

from __future__ import annotations

MAX_ID = 2**63 - 1  # the largest primary key either database stores (BIGINT)


def valid_id(value: int | None) -> bool:
    """An id a database can look up: anything else (0, negative, beyond BIGINT) matches nothing."""
    return isinstance(value, int) and 0 < value <= MAX_ID
