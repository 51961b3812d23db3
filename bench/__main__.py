"""Run the benchmarks: ``python -m bench [NAME ...] [--only NAME ...] [--sizes 10k,100k,1M] [--repeat N] [--list]``.

``python -m bench writes --size large`` runs bench_writes on the large demo; ``--size``, ``--writes``,
``--workers``, ``--users``, ``--duration`` and ``--database-url`` go to the benchmarks that read them.

Discovers ``bench/bench_*.py``; each module exposes ``run(args) -> list[dict]`` and reads the options it
knows from ``args`` (the others ignore them). Prints the machine, then every row each module returns.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

from bench.common import describe_machine, print_rows

HERE = Path(__file__).resolve().parent


def discover() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="run only these (as --only)")
    parser.add_argument(
        "--only", action="append", default=None, metavar="NAME", help="run only bench_NAME (repeatable)"
    )
    parser.add_argument("--size", default=None, choices=["small", "large", "huge"], help="the demo's size")
    parser.add_argument("--writes", type=int, default=None, help="writes (bench_writes)")
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (bench_writes, bench_load)"
    )
    parser.add_argument("--users", type=int, default=None, help="concurrent users (bench_load)")
    parser.add_argument("--duration", type=float, default=None, help="seconds (bench_load)")
    parser.add_argument("--database-url", default=None, help="the demo's database (default: SQLite in var/)")
    parser.add_argument("--sizes", default=None, help="graph sizes for the analytics bench, e.g. 10k,100k,1M")
    parser.add_argument("--repeat", type=int, default=None, help="runs per median (default: per bench)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)
    names = discover()
    if args.list:
        print("\n".join(names))
        return 0
    wanted = [n.removeprefix("bench_") for n in (args.names + (args.only or []) or names)]
    unknown = [n for n in wanted if n not in names]
    if unknown:
        parser.error(f"no benchmark {', '.join(unknown)}; there are: {', '.join(names)}")
    root = str(HERE.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    print_rows([describe_machine()], title="machine")
    for name in wanted:
        module = importlib.import_module(f"bench.bench_{name}")
        started = time.perf_counter()
        rows = module.run(args)
        print_rows(rows, title=f"bench_{name} ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
