"""The ledger's export: CSV and JSON rows an incentive tool (Spiff, CaptivateIQ, Xactly) imports.

Columns: member (sign-in e-mail), member_name, period (YYYY-MM), kind, evidence_id, deal (id),
deal_name, amount (the won deal's amount a share is of), credit, adjusts (the closed month an
adjustment corrects), occurred_on, note. One row per ledger line; amounts and credits as decimal
strings with two places, so that no float rounding reaches a payout.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

COLUMNS = (
    "member",
    "member_name",
    "period",
    "kind",
    "evidence_id",
    "deal",
    "deal_name",
    "amount",
    "credit",
    "adjusts",
    "occurred_on",
    "note",
)


def ledger_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """The rows as CSV text with a header (RFC 4180, CRLF line ends as the csv module writes them).

    >>> print(ledger_csv([{"member": "a@x.test", "period": "2025-01", "credit": "50.00"}]).splitlines()[1])
    a@x.test,,2025-01,,,,,,50.00,,,
    """
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in COLUMNS})
    return out.getvalue()
