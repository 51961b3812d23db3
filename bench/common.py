"""Timing helpers for the benchmarks: one run and the median of several, peak memory, the machine."""

from __future__ import annotations

import gc
import os
import platform
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from importlib import metadata
from typing import Any


def timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, float, Any, float]:
    """``(first run s, median s, last result, median CPU s)`` over ``repeat`` runs (the first included).

    CPU time (``time.process_time``) is given beside wall time because the machine may be shared: on a
    loaded box wall time includes waiting for a core, CPU time does not.
    """
    times, cpu = [], []
    result = None
    for _ in range(max(1, repeat)):
        gc.collect()
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return times[0], statistics.median(times), result, statistics.median(cpu)


def timed_many(fn: Callable[[], Any], repeat: int) -> dict[str, float]:
    """Median and 95th percentile wall time, and median CPU time, in milliseconds over ``repeat`` calls."""
    times, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, int(0.95 * len(times)))],
        "cpu_median_ms": statistics.median(cpu),
    }


def peak_traced(fn: Callable[[], Any]) -> tuple[Any, float]:
    """``(result, peak MB)`` of the memory traced while ``fn`` runs (numpy reports its buffers to tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak / 2**20


def peak_rss_mb() -> float:
    """The process's peak resident set so far (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def _proc_field(path: str, key: str, parse: Callable[[str], str]) -> str:
    try:
        with open(path, encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith(key):
                    return parse(line.split(":", 1)[1].strip())
    except OSError:
        pass
    return "-"


def describe_machine() -> dict[str, Any]:
    cpu = _proc_field("/proc/cpuinfo", "model name", lambda v: v)
    ram = _proc_field("/proc/meminfo", "MemTotal", lambda v: f"{int(v.split()[0]) / 2**20:.1f} GB")
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram": ram,
        "load_average": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "numpy": _version("numpy"),
        "scipy": _version("scipy"),
        "igraph": _version("igraph"),
        "networkx": _version("networkx"),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "(unset)"),
    }


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        if value != value:
            return "-"
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def print_rows(rows: list[dict[str, Any]], title: str = "") -> None:
    """Rows as ``key=value`` lines, one per row, under a title."""
    if title:
        print(f"\n== {title} ==")
    for row in rows:
        print("  " + "  ".join(f"{k}={_fmt(v)}" for k, v in row.items()))
