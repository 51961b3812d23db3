"""Benchmarks: each ``bench/bench_*.py`` measures Revere against a reference on the same input, in one run.

``make bench`` (``python -m bench``) runs them all; ``python -m bench --only analytics`` runs one. They are
not timed tests: they print figures and ratios, and ``docs/benchmarks.md`` records a run.
"""
