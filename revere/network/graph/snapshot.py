"""Graph snapshots: a NetworkGraph as a directory of ``.npy`` files that every process memory-maps.

Layout: ``REVERE_GRAPH_DIR/<organization id>/<version>-<token>/``, one ``.npy`` per array (the CSR,
the node ids and their index, every attribute's codes, the tie arrays, the raw columns) and
``meta.json`` (categories, vocabularies, version). Written to a temporary directory and renamed
into place, so a reader never sees half a snapshot; registered in :class:`GraphSnapshot` (one row
per organization) in the database, so a snapshot is found, and superseded, with the data it
stands for. Loading maps each file read-only (``np.load(mmap_mode="r")``): nothing is read or
copied until used, and the pages are the operating system's page cache, one copy for every web
process of the machine. Old snapshot directories are removed once superseded; a process still
mapping one keeps its pages (unlinked files stay mapped).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

from revere.analytics.graph import TieGraph
from revere.network.graph.state import Companies, NetworkGraph, Vocab

_TIES = ("tie_id", "tie_member", "tie_ego", "tie_person", "tie_strength", "tie_class", "tie_private")
_RAW = ("person_company", "person_function", "person_region")
_COMPANIES = ("ids", "industry", "region", "status_class")


def root() -> Path:
    return Path(getattr(settings, "REVERE_GRAPH_DIR", Path(settings.BASE_DIR) / "var" / "graphs"))


def _org_dir(organization_id: int) -> Path:
    return root() / str(organization_id)


def write(ng: NetworkGraph) -> str:
    """Write the graph (compacted) as a new snapshot directory; returns its name (relative to the root)."""
    assert ng.companies is not None
    arrays, meta = ng.graph.to_arrays()
    for name in _TIES + _RAW:
        arrays[name] = getattr(ng, name)
    for name in _COMPANIES:
        arrays[f"company.{name}"] = getattr(ng.companies, name)
    meta.update(
        organization_id=ng.organization_id,
        data_version=ng.data_version,
        vocab={k: v.values for k, v in ng.vocab.items()},
        removed=sorted(ng.removed),
    )
    name = f"{ng.data_version}-{secrets.token_hex(4)}"
    final = _org_dir(ng.organization_id) / name
    tmp = final.with_name(f".{name}.tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    for key, arr in arrays.items():
        np.save(tmp / f"{key}.npy", np.ascontiguousarray(arr), allow_pickle=False)
    (tmp / "meta.json").write_text(json.dumps(meta))
    os.replace(tmp, final)
    return f"{ng.organization_id}/{name}"


def load(directory: str, organization_id: int) -> NetworkGraph | None:
    """The snapshot in ``directory`` memory-mapped read-only; None when it is not there (any more)."""
    path = root() / directory
    try:
        meta: dict[str, Any] = json.loads((path / "meta.json").read_text())
        arrays = {p.stem: np.load(p, mmap_mode="r", allow_pickle=False) for p in path.glob("*.npy")}
    except (FileNotFoundError, NotADirectoryError):
        return None
    if int(meta["organization_id"]) != organization_id:
        return None
    graph = TieGraph.from_arrays(
        {k: v for k, v in arrays.items() if not k.startswith(("tie_", "person_", "company."))}, meta
    )
    version = int(meta["data_version"])
    ties = {name: arrays[name] for name in _TIES}
    from revere.network.graph.state import members_of

    return NetworkGraph(
        organization_id=organization_id,
        data_version=version,
        graph=graph,
        member_person=members_of(ties["tie_member"], ties["tie_ego"]),
        person_company=arrays["person_company"],
        person_function=arrays["person_function"],
        person_region=arrays["person_region"],
        companies=Companies(**{name: arrays[f"company.{name}"] for name in _COMPANIES}),
        vocab={k: Vocab(v) for k, v in meta["vocab"].items()},
        removed=frozenset(int(p) for p in meta.get("removed", ())),
        base_version=version,
        **ties,
    )


def prune(organization_id: int, keep: str) -> None:
    """Remove the organization's snapshot directories other than ``keep`` (and stray temporaries)."""
    folder = _org_dir(organization_id)
    if not folder.is_dir():
        return
    for child in folder.iterdir():
        if f"{organization_id}/{child.name}" != keep and child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
