"""Helpers for `make bench`: a throwaway database, timers and a figure printer. Not a test.

Each app's benchmark is a module scripts/bench_<app>.py with a ``run(report)`` function; scripts/bench.py
sets up Django and a fresh test database once, then calls them in turn.
"""

import statistics
import time
from collections.abc import Callable


class Report:
    """Collect and print figures as `label: value unit` lines."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str]] = []

    def figure(self, label: str, value: float, unit: str) -> None:
        text = f"{value:.1f} {unit}" if isinstance(value, float) else f"{value} {unit}"
        self.rows.append((label, text))
        print(f"  {label:<64} {text}", flush=True)


def timed_ms(func: Callable[[], object], *, repeat: int = 5, warmup: int = 1) -> float:
    """Return the median wall time of ``func`` in milliseconds, after ``warmup`` unmeasured runs."""
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def cpu_ms(func: Callable[[], object], *, repeat: int = 5, warmup: int = 1) -> float:
    """Return the median CPU time of this process running ``func``, in milliseconds.

    On a shared machine wall time includes waiting for the CPU; this does not (nor the database's own time).
    """
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(repeat):
        start = time.process_time()
        func()
        samples.append((time.process_time() - start) * 1000)
    return statistics.median(samples)


def count_queries(func: Callable[[], object]) -> int:
    """Return how many SQL queries ``func`` runs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)
