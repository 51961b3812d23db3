"""The import report: one row per record with what happened to it and why, and the counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Action = Literal["created", "updated", "merged", "skipped", "error", "review"]
ACTIONS: tuple[str, ...] = ("created", "updated", "merged", "skipped", "error", "review")
# Rows kept in the stored report and shown on the page; the counts always cover every row.
MAX_REPORT_ROWS = 5000


@dataclass
class ReportRow:
    file: str
    line: int | None
    kind: str  # company, person, interaction, link, deal, buying_role, file
    action: str
    label: str
    reason: str = ""
    object_id: int | None = None


@dataclass
class ImportReport:
    rows: list[ReportRow] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = False

    def add(
        self,
        *,
        file: str,
        line: int | None,
        kind: str,
        action: Action,
        label: str,
        reason: str = "",
        object_id: int | None = None,
    ) -> ReportRow:
        row = ReportRow(file=file, line=line, kind=kind, action=action, label=label[:200], reason=reason)
        row.object_id = object_id
        self.rows.append(row)
        return row

    def counts(self) -> dict[str, int]:
        """created, updated, merged, skipped, errors and review over every row."""
        c = Counter(r.action for r in self.rows)
        return {
            "created": c["created"] + c["review"],
            "updated": c["updated"],
            "merged": c["merged"],
            "skipped": c["skipped"],
            "errors": c["error"],
            "review": c["review"],
        }

    def counts_by_kind(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for r in self.rows:
            out.setdefault(r.kind, dict.fromkeys(ACTIONS, 0))[r.action] += 1
        return out

    def to_json(self, *, max_rows: int = MAX_REPORT_ROWS) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "files": self.files,
            "counts": self.counts(),
            "by_kind": self.counts_by_kind(),
            "rows": [asdict(r) for r in self.rows[:max_rows]],
            "rows_total": len(self.rows),
        }
