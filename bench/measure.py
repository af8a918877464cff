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


def measure_interleaved(
    renders: dict[str, Callable[[], str]], min_runs: int = 5, max_runs: int = 30, budget_s: float = 3.0
) -> dict[str, dict]:
    """``measure()`` for several renders at once, taking turns, one render each per round.

    On a shared, noisy machine a slow patch then hits every engine alike instead of one, so
    their ratios hold better than those of measurements made one engine after the other. An
    engine stops taking turns at ``max_runs``, or past ``budget_s`` of its own time once it has
    ``min_runs``.
    """
    outputs = {name: render() for name, render in renders.items()}  # Warm-up; the outputs to compare.
    times: dict[str, list[float]] = {name: [] for name in renders}
    spent = dict.fromkeys(renders, 0.0)

    def wants_more(name: str) -> bool:
        runs = len(times[name])
        return runs < max_runs and (runs < min_runs or spent[name] < budget_s)

    while any(wants_more(name) for name in renders):
        for name, render in renders.items():
            if wants_more(name):
                gc.collect()
                t0 = time.perf_counter()
                render()
                elapsed = time.perf_counter() - t0
                times[name].append(elapsed)
                spent[name] += elapsed
    results = {}
    for name, render in renders.items():
        gc.collect()
        tracemalloc.start()
        render()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        results[name] = {
            "median_ms": statistics.median(times[name]) * 1000,
            "runs": len(times[name]),
            "peak_mib": peak / 2**20,
            "output": outputs[name],
        }
    return results
