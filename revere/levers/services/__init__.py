"""Writes of the levers: introductions (:mod:`.introductions`), the ledger (:mod:`.ledger`), coaching
plans (:mod:`.coaching`). Each module holds the services of one entity; this package re-exports them."""

from revere.levers.services.introductions import (
    introduction_decline,
    introduction_mark_made,
    introduction_request,
)

__all__ = ["introduction_decline", "introduction_mark_made", "introduction_request"]
