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
same machine. A worker is one process on one core: on a machine with C cores, N workers cannot
go faster than min(N, C) times one worker, and less while the clients share those cores.
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
    parser.add_argument("--repeat", type=int, default=3, help="measurements per setup (the median is shown)")
    parser.add_argument("--redis-url", help="an existing Redis (default: a private redis-server)")
    args = parser.parse_args(argv)
    if min(args.workers) < 1 or args.clients < args.client_processes or args.client_processes < 1:
        parser.error("need at least 1 worker, 1 client process, and a client per client process")
    return args


def share(clients: int, processes: int) -> list[int]:
    """How many of ``clients`` each of ``processes`` runs (as even as can be)."""
    return [clients // processes + (n < clients % processes) for n in range(processes)]


def format_table(results: dict[int, dict[str, float]], cores: int | None) -> str:
    """One row per worker count: round trips/s of each server and its speed-up over 1 worker."""
    names = list(next(iter(results.values())))
    header = "| workers | " + " | ".join(f"{name}: round trips/s | vs 1 worker" for name in names) + " |"
    lines = [header, "|---|" + "---|---|" * len(names)]
    base = results.get(1)
    for workers, rates in sorted(results.items()):
        cells = []
        for name in names:
            speedup = f"{rates[name] / base[name]:.2f}x" if base else "-"
            cells.append(f"{rates[name]:,.0f} | {speedup}")
        lines.append(f"| {workers} | " + " | ".join(cells) + " |")
    if cores is not None:
        lines.append(f"\n{cores} cores: {min(max(results), cores)}x one worker is the most N workers can reach here.")
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


def round_trips_per_second(urls: list[str], trip_name: str, args: argparse.Namespace) -> float:
    """All the clients at once, in ``args.client_processes`` processes: total round trips / wall time."""
    context = multiprocessing.get_context("spawn")
    counts = share(args.clients, args.client_processes)
    barrier, results = context.Barrier(len(counts)), context.Queue()
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
    spans = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join()
    elapsed = max(end for _, end in spans) - min(start for start, _ in spans)
    return args.clients * args.round_trips / elapsed


def measure(args: argparse.Namespace, redis_url: str, tmp: Path) -> dict[int, dict[str, float]]:
    from tests.servers import servers, ws_url

    results: dict[int, dict[str, float]] = {}
    for workers in args.workers:
        with servers(tmp, workers, on_redis=redis_url, application="bench.ws_app:application") as started:
            results[workers] = {}
            for name, path in SERVERS.items():
                urls = [ws_url(server, path) for server in started]
                rates = [round_trips_per_second(urls, name, args) for _ in range(args.repeat)]
                results[workers][name] = statistics.median(rates)
                print(f"  {workers} worker(s), {name}: {', '.join(f'{r:,.0f}' for r in rates)}/s", file=sys.stderr)
    return results


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
