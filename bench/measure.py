"""Timing and memory measurement shared by the rendering benchmark's processes."""

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable


def measure(render: Callable[[], str], min_runs: int = 5, max_runs: int = 30, budget_s: float = 3.0) -> dict:
    """Median wall time of ``render()`` in ms, its peak traced memory in MiB, and its output."""
    output = render()  # Warm-up; also the output to compare.
    times = []
    started = time.perf_counter()
    while len(times) < max_runs and (len(times) < min_runs or time.perf_counter() - started < budget_s):
        gc.collect()
        t0 = time.perf_counter()
        render()
        times.append(time.perf_counter() - t0)
    gc.collect()
    tracemalloc.start()
    render()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "median_ms": statistics.median(times) * 1000,
        "runs": len(times),
        "peak_mib": peak / 2**20,
        "output": output,
    }
