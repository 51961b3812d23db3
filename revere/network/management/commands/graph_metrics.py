"""``revere graph-metrics EDGES.csv [--source COL] [--target COL] [--weight COL] [--directed]
[--nodes NODES.csv --id COL --group COL] [--format csv|json] [--summary]``.

Per-node metrics for any edge-list file: a tool an analyst can point at their own data. It reads no
database. Node labels are kept as written (any text); rows for the same tie add their weights, self-loops
are dropped (see :mod:`revere.analytics.graph`). Columns: node, degree (distinct contacts), strength (sum of
tie weights), Burt's effective size, efficiency, constraint and hierarchy, and, when ``--group`` is given,
the five Gould-Fernandez brokerage counts. ``--summary`` prints nodes, edges, density, reciprocity and
components instead. A malformed file stops with an error naming the file and line. Floats are written
exactly (Python's shortest round-trip ``repr``: reading the CSV back gives the same numbers); a closed
pipe (``| head``) ends the command quietly.
"""

from __future__ import annotations

import csv
import json
import math
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser

from revere.analytics.brokerage import ROLES, brokerage
from revere.analytics.graph import TieGraph
from revere.analytics.holes import structural_holes
from revere.analytics.summary import graph_summary

BROKER_COLUMNS = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")
_ROLE_COLUMN = {role: ROLES.index(role) for role in BROKER_COLUMNS}
COLUMNS = ("node", "degree", "strength", "effective_size", "efficiency", "constraint", "hierarchy")


def _rows(path: Path, required: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for every data row; errors name the file and line."""
    try:
        fh: TextIO = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise CommandError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    with fh:
        try:
            reader = csv.reader(fh, strict=True)
            header = next(reader, None)
            if header is None:
                raise CommandError(f"{path}: the file is empty; expected a header line naming the columns")
            header = [h.strip() for h in header]
            missing = [c for c in required if c not in header]
            if missing:
                raise CommandError(
                    f"{path} line 1: no column {', '.join(repr(m) for m in missing)}; "
                    f"the header has {', '.join(repr(h) for h in header)}"
                )
            where = {c: header.index(c) for c in required}
            for values in reader:
                if not values or all(not v.strip() for v in values):
                    continue
                row: dict[str, str] = {}
                for col, at in where.items():
                    if at >= len(values) or not values[at].strip():
                        raise CommandError(f"{path} line {reader.line_num}: no value in column {col!r}")
                    row[col] = values[at].strip()
                yield reader.line_num, row
        except csv.Error as exc:
            raise CommandError(f"{path} line {reader.line_num}: not valid CSV ({exc})") from None
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _number(value: str, path: Path, line: int, col: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise CommandError(f"{path} line {line}: {col} {value!r} is not a number") from None
    if not math.isfinite(x) or x < 0:
        raise CommandError(f"{path} line {line}: {col} {value!r} must be a finite number >= 0")
    return x


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


class Command(BaseCommand):
    help = "Per-node network metrics (degree, strength, Burt's holes, brokerage) for any edge-list CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("edges", metavar="EDGES.csv", help="edge list with a header line")
        parser.add_argument(
            "--source", default="source", metavar="COL", help="source column (default: source)"
        )
        parser.add_argument(
            "--target", default="target", metavar="COL", help="target column (default: target)"
        )
        parser.add_argument(
            "--weight", default=None, metavar="COL", help="weight column (default: every row 1)"
        )
        parser.add_argument(
            "--directed", action="store_true", help="ties have a direction (source -> target)"
        )
        parser.add_argument(
            "--nodes", default=None, metavar="NODES.csv", help="node list (adds isolates, groups)"
        )
        parser.add_argument(
            "--id", dest="id_col", default="id", metavar="COL", help="node id column (default: id)"
        )
        parser.add_argument(
            "--group", default=None, metavar="COL", help="node group column, for brokerage roles"
        )
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument("--summary", action="store_true", help="print the whole graph's summary instead")

    def execute(self, *args: Any, **options: Any) -> str | None:
        """Run the command; a reader that goes away (``revere graph-metrics ... | head -1``) ends it quietly.

        As a Unix tool does on SIGPIPE: no traceback, exit status 141 (128 + SIGPIPE).
        """
        try:
            result = super().execute(*args, **options)
            sys.stdout.flush()
        except BrokenPipeError:
            # Point stdout at /dev/null so the interpreter's last flush does not fail again.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise SystemExit(128 + signal.SIGPIPE) from None
        return result

    def handle(self, *args: Any, **opts: Any) -> None:
        edges_path = Path(opts["edges"])
        src_col, dst_col, w_col = opts["source"], opts["target"], opts["weight"]
        if opts["group"] and not opts["nodes"]:
            raise CommandError("--group needs --nodes NODES.csv (the file the group column is in)")
        labels: dict[str, int] = {}
        groups: dict[str, str] = {}
        if opts["nodes"]:
            nodes_path = Path(opts["nodes"])
            wanted = [opts["id_col"]] + ([opts["group"]] if opts["group"] else [])
            for line, row in _rows(nodes_path, wanted):
                node = row[opts["id_col"]]
                if node in labels:
                    raise CommandError(f"{nodes_path} line {line}: node {node!r} is listed twice")
                labels[node] = len(labels)
                if opts["group"]:
                    groups[node] = row[opts["group"]]
        src: list[int] = []
        dst: list[int] = []
        weights: list[float] = []
        required = [src_col, dst_col] + ([w_col] if w_col else [])
        for line, row in _rows(edges_path, required):
            for col in (src_col, dst_col):
                labels.setdefault(row[col], len(labels))
            src.append(labels[row[src_col]])
            dst.append(labels[row[dst_col]])
            weights.append(_number(row[w_col], edges_path, line, w_col) if w_col else 1.0)
        if not src:
            raise CommandError(f"{edges_path}: no edges (only a header line)")
        names = list(labels)
        g = TieGraph.from_edges(
            np.array(src, dtype=np.int64),
            np.array(dst, dtype=np.int64),
            np.array(weights),
            directed=opts["directed"],
            node_ids=np.arange(len(names), dtype=np.int64),
        )
        out = self.stdout
        if opts["summary"]:
            s = graph_summary(g)
            summary = {
                "nodes": s.nodes,
                "edges": s.ties,
                "directed": s.directed,
                "density": _clean(s.density),
                "reciprocity": s.reciprocity,
                "components": s.components,
                "largest_component": s.largest_component,
                "strong_components": s.strong_components,
            }
            if opts["format"] == "json":
                out.write(json.dumps(summary, indent=2))
            else:
                for key, value in summary.items():
                    if value is not None:
                        out.write(f"{key}: {repr(value) if isinstance(value, float) else value}")
                    elif key == "reciprocity":
                        out.write("reciprocity: n/a (undirected)")
            return
        holes = structural_holes(g, weighted=w_col is not None)
        degree = g.degree()
        strength = g.strength()
        columns = list(COLUMNS)
        broker = None
        if opts["group"]:
            broker = brokerage(
                g, np.array([groups.get(name, "") for name in names], dtype=object).astype(str)
            )
            columns += BROKER_COLUMNS
        records: list[dict[str, Any]] = []
        for i, name in enumerate(names):
            rec: dict[str, Any] = {
                "node": name,
                "degree": int(degree[i]),
                "strength": float(strength[i]),
                "effective_size": _clean(float(holes.effective_size[i])),
                "efficiency": _clean(float(holes.efficiency[i])),
                "constraint": _clean(float(holes.constraint[i])),
                "hierarchy": _clean(float(holes.hierarchy[i])),
            }
            if broker is not None:
                for role in BROKER_COLUMNS:
                    rec[role] = int(broker.counts[i, _ROLE_COLUMN[role]])
            records.append(rec)
        if opts["format"] == "json":
            out.write(json.dumps(records, indent=2))
            return
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for rec in records:
            writer.writerow(
                {k: ("" if v is None else (repr(v) if isinstance(v, float) else v)) for k, v in rec.items()}
            )
