"""Many cores: websocket round trips per second with 1, 2 and 4 daphne worker processes on Redis.

    .venv/bin/python bench/workers.py                     # 1, 2 and 4 workers, a private redis-server
    .venv/bin/python bench/workers.py --workers 1 2 --redis-url redis://127.0.0.1:6379/0

The production setup of docs/deployment.md: N daphne workers of the same site sharing one Redis
channel layer (started as the tests start them, ``tests.servers.servers()``, each with a unique
Redis key prefix). ``--clients`` sockets, spread evenly over the workers (what nginx's
``least_conn`` does; nginx itself is left out, so that it does not take CPU from the workers),
each make ``--round-trips`` sequential round trips, all at once: our consumer rendering a 10-item
list and morphing it (``tests/ws_views.py: bench_list``, as in bench/ws.py), and a raw async
Channels JSON echo on the same workers. The clients run in ``--client-processes`` processes on the
same machine. The setups run side by side and take turns, one measurement each per round (the
median of ``--repeat`` is shown). "cores busy" is the CPU time the workers used during the
round trips over the wall time. A worker is one process on one core: on a machine with C cores,
N workers cannot use more than C cores, and the clients share them.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

SERVERS = {
    "hypergen consumer (render + morph)": "/ws/bench_list/",
    "raw async JSON echo": "/raw/async-echo/",
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4], help="worker counts to measure")
    parser.add_argument("--clients", type=int, default=100, help="sockets, spread over the workers")
    parser.add_argument("--round-trips", type=int, default=50, help="sequential round trips per socket")
    parser.add_argument("--client-processes", type=int, default=2, help="processes the clients run in")
    parser.add_argument("--repeat", type=int, default=5, help="measurements per setup (the median is shown)")
    parser.add_argument("--redis-url", help="an existing Redis (default: a private redis-server)")
    args = parser.parse_args(argv)
    if min(args.workers) < 1 or args.clients < args.client_processes or args.client_processes < 1:
        parser.error("need at least 1 worker, 1 client process, and a client per client process")
    return args


def share(clients: int, processes: int) -> list[int]:
    """How many of ``clients`` each of ``processes`` runs (as even as can be)."""
    return [clients // processes + (n < clients % processes) for n in range(processes)]


def format_table(results: dict[int, dict[str, tuple[float, float]]], cores: int | None) -> str:
    """One row per worker count: for each server, round trips/s, the speed-up over 1 worker, and the
    cores the workers kept busy."""
    names = list(next(iter(results.values())))
    header = "| workers | " + " | ".join(f"{name}: round trips/s | vs 1 worker | cores busy" for name in names)
    lines = [header + " |", "|---|" + "---|---|---|" * len(names)]
    base = results.get(1)
    for workers, row in sorted(results.items()):
        cells = []
        for name in names:
            rate, busy = row[name]
            speedup = f"{rate / base[name][0]:.2f}x" if base else "-"
            cells.append(f"{rate:,.0f} | {speedup} | {busy:.2f}")
        lines.append(f"| {workers} | " + " | ".join(cells) + " |")
    if cores is not None:
        lines.append(f"\n{cores} cores: the workers together can never keep more than {cores} busy.")
    return "\n".join(lines)


async def _client_run(urls: list[str], trip_name: str, clients: int, first: int, round_trips: int, barrier) -> tuple:
    import websockets
    from ws import round_trip_ours, round_trip_raw

    trip = round_trip_ours if trip_name.startswith("hypergen") else round_trip_raw
    sockets = [
        await websockets.connect(urls[(first + n) % len(urls)], origin=None, max_queue=None) for n in range(clients)
    ]
    try:
        for ws in sockets:  # Warm-up: the first round trip of a socket sets up its consumer.
            await trip(ws, 1)
        await asyncio.get_running_loop().run_in_executor(None, barrier.wait)
        started = time.perf_counter()

        async def client(ws) -> None:
            for n in range(2, round_trips + 2):
                await trip(ws, n)

        await asyncio.gather(*(client(ws) for ws in sockets))
        return started, time.perf_counter()
    finally:
        await asyncio.gather(*(ws.close() for ws in sockets))


def _client_process(urls, trip_name, clients, first, round_trips, barrier, results) -> None:
    results.put(asyncio.run(_client_run(urls, trip_name, clients, first, round_trips, barrier)))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (from /proc)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def round_trips_per_second(urls: list[str], trip_name: str, args: argparse.Namespace, pids: list[int]) -> tuple:
    """All the clients at once, in ``args.client_processes`` processes: total round trips / wall time,
    and the cores the worker processes ``pids`` kept busy meanwhile (their CPU time / wall time)."""
    context = multiprocessing.get_context("spawn")
    counts = share(args.clients, args.client_processes)
    barrier, results = context.Barrier(len(counts) + 1), context.Queue()  # The clients, and this process.
    processes = []
    for n, count in enumerate(counts):
        first = sum(counts[:n])
        processes.append(
            context.Process(
                target=_client_process, args=(urls, trip_name, count, first, args.round_trips, barrier, results)
            )
        )
    for process in processes:
        process.start()
    barrier.wait(timeout=600)
    cpu_started, started = sum(cpu_seconds(pid) for pid in pids), time.perf_counter()
    spans = [results.get(timeout=600) for _ in processes]
    cores = (sum(cpu_seconds(pid) for pid in pids) - cpu_started) / (time.perf_counter() - started)
    for process in processes:
        process.join()
    elapsed = max(end for _, end in spans) - min(start for start, _ in spans)
    return args.clients * args.round_trips / elapsed, cores


def measure(args: argparse.Namespace, redis_url: str, tmp: Path) -> dict[int, dict[str, tuple[float, float]]]:
    """Every setup's workers run at once (idle but for the one measured), and the setups take turns,
    one measurement each per round: the machine's noise then hits every setup alike."""
    from tests.servers import servers, ws_url

    rates: dict[int, dict[str, list[float]]] = {n: {name: [] for name in SERVERS} for n in args.workers}
    cores: dict[int, dict[str, list[float]]] = {n: {name: [] for name in SERVERS} for n in args.workers}
    with ExitStack() as stack:
        setups = {
            n: stack.enter_context(servers(tmp, n, on_redis=redis_url, application="bench.ws_app:application"))
            for n in args.workers
        }
        for _ in range(args.repeat):
            for workers, started in setups.items():
                for name, path in SERVERS.items():
                    urls, pids = [ws_url(server, path) for server in started], [s.process.pid for s in started]
                    rate, busy = round_trips_per_second(urls, name, args, pids)
                    rates[workers][name].append(rate)
                    cores[workers][name].append(busy)
                    print(f"  {workers} worker(s), {name}: {rate:,.0f}/s, {busy:.2f} cores", file=sys.stderr)
    return {
        n: {name: (statistics.median(rates[n][name]), statistics.median(cores[n][name])) for name in SERVERS}
        for n in args.workers
    }


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    from tests.redis_server import PrivateRedis

    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        redis_url = args.redis_url
        if redis_url is None:
            private = PrivateRedis().start()
            stack.callback(private.stop)
            redis_url = private.url
        results = measure(args, redis_url, Path(tmp))
    print(
        f"{args.clients} sockets spread over the workers, {args.round_trips} sequential round trips each, "
        f"all at once; clients in {args.client_processes} processes; median of {args.repeat}.\n"
    )
    print(format_table(results, os.cpu_count()))


if __name__ == "__main__":
    main()
