"""Merging duplicates: persons and companies by hand or from the review queue, and the merges an
import makes, each undoable (docs/identity.md).

A merge moves every row that points at the merged record — ties, links, interactions, buying
roles, source records, external keys — so it sits above every app whose rows it moves (the
layers in docs/decisions.md), beside the import that finds the duplicates.
"""

from revere.ingest.merge.persons import (
    company_merge,
    company_merge_undo,
    merge_candidate_accept,
    merge_candidate_dismiss,
    person_merge,
    person_merge_undo,
)

__all__ = [
    "company_merge",
    "company_merge_undo",
    "merge_candidate_accept",
    "merge_candidate_dismiss",
    "person_merge",
    "person_merge_undo",
]
