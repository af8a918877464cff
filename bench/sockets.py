"""Many sockets: 10,000 idle websockets held by one daphne process, and the server memory each costs.

    .venv/bin/python bench/sockets.py                     # 10,000 sockets, held 30 s, ours then raw
    .venv/bin/python bench/sockets.py --sockets 2000 --hold 10 --only ours

One daphne process (in-memory channel layer) serving ``bench/ws_app.py``. The clients (the
``websockets`` library) run in ``--client-processes`` processes, so that no process holds more
than a few thousand sockets; the benchmark raises its file-descriptor limit (``RLIMIT_NOFILE``,
up to the hard limit) before it starts them and the server, which inherit it. The sockets connect
``--connect-limit`` at a time per client process, are held ``--hold`` seconds, and then
``--check`` of them each make a round trip. Memory per socket is the growth of the server's RSS
from before the first socket to the end of the hold, divided by the sockets held.

Our consumer (``tests/ws_views.py: bench_list``: every socket on its URL joins one group) against
a raw sync Channels ``JsonWebsocketConsumer`` echo, each on a process of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

SERVERS = {
    "ours": ("hypergen consumer", "/ws/bench_list/"),
    "raw": ("raw sync JsonWebsocketConsumer echo", "/raw/echo/"),
}


@dataclass
class Result:
    name: str
    sockets: int
    connected: int
    dropped: int
    checked: int
    answered: int
    connect_seconds: float
    rss_before: int
    rss_held: int
    #: Why the sockets that did not connect failed: {"TimeoutError: ...": count}.
    failures: Counter = field(default_factory=Counter)

    @property
    def per_socket_kib(self) -> float:
        return (self.rss_held - self.rss_before) / max(self.connected, 1) / 1024


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sockets", type=int, default=10_000)
    parser.add_argument("--hold", type=float, default=30, help="seconds the sockets are held idle")
    parser.add_argument("--client-processes", type=int, default=4)
    parser.add_argument("--connect-limit", type=int, default=50, help="handshakes at once per client process")
    parser.add_argument("--check", type=int, default=100, help="sockets that make a round trip after the hold")
    parser.add_argument("--only", nargs="+", choices=list(SERVERS), default=list(SERVERS))
    args = parser.parse_args(argv)
    if args.sockets < args.client_processes or args.client_processes < 1 or args.check > args.sockets:
        parser.error("need a socket per client process, at least 1 client process, and --check <= --sockets")
    return args


def files_needed(sockets: int) -> int:
    """File descriptors the server process needs for ``sockets`` (one each, and room for the rest)."""
    return sockets + 1024


def raise_file_limit(needed: int) -> int:
    """Raise this process's RLIMIT_NOFILE (inherited by the processes it starts) to ``needed``; the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return soft
    if hard != resource.RLIM_INFINITY and hard < needed:
        sys.exit(f"{needed} file descriptors are needed but the hard limit is {hard}: raise it (ulimit -Hn).")
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    return needed


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def format_table(results: list[Result], hold: float) -> str:
    lines = [
        f"| server | sockets held {hold:g} s | dropped | handshakes/s | round trips after the hold | "
        "server RSS growth | per socket |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.connected:,} of {r.sockets:,} | {r.dropped} | {r.connected / r.connect_seconds:,.0f} | "
            f"{r.answered} of {r.checked} | {(r.rss_held - r.rss_before) / 2**20:,.0f} MiB | "
            f"{r.per_socket_kib:.1f} KiB |"
        )
    failures = [
        f"{r.name}: {count} handshakes failed: {error}" for r in results for error, count in r.failures.most_common()
    ]
    return "\n".join(lines + (["", *failures] if failures else []))


async def _hold(url: str, count: int, check: int, limit: int, trip_name: str, connected, release, done) -> tuple:
    import websockets
    from ws import round_trip_ours, round_trip_raw

    gate = asyncio.Semaphore(limit)
    loop = asyncio.get_running_loop()

    async def connect():
        async with gate:
            try:
                return await websockets.connect(url, origin=None, open_timeout=60, ping_interval=None)
            except (OSError, websockets.WebSocketException, TimeoutError) as error:
                return f"{type(error).__name__}: {error}"[:120]

    outcomes = await asyncio.gather(*(connect() for _ in range(count)))
    sockets = [ws for ws in outcomes if not isinstance(ws, str)]
    connected.put((len(sockets), Counter(error for error in outcomes if isinstance(error, str))))
    await loop.run_in_executor(None, release.wait)  # The hold: the parent measures the server meanwhile.
    dropped = sum(ws.close_code is not None for ws in sockets)
    trip = round_trip_ours if trip_name == "ours" else round_trip_raw
    answered = 0
    for n, ws in enumerate(sockets[:check]):
        try:
            await asyncio.wait_for(trip(ws, n + 1), timeout=10)
            answered += 1
        except Exception:  # Any failure is a socket that did not answer.
            pass
    done.put((dropped, answered))
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)


def _client_process(url, count, check, limit, trip_name, connected, release, done) -> None:
    asyncio.run(_hold(url, count, check, limit, trip_name, connected, release, done))


def share(total: int, processes: int) -> list[int]:
    return [total // processes + (n < total % processes) for n in range(processes)]


def run_one(key: str, args: argparse.Namespace, tmp: Path) -> Result:
    from tests.servers import AsgiServer, manage, project_env, ws_url

    name, path = SERVERS[key]
    env = project_env(HYPERGEN_TEST_DB=str(tmp / f"{key}.sqlite3"))
    manage("migrate", "--noinput", env=env)
    server = AsgiServer(env, application="bench.ws_app:application", log_path=tmp / f"{key}.log").start()
    try:
        time.sleep(1)
        rss_before = rss_bytes(server.process.pid)
        context = multiprocessing.get_context("spawn")
        connected, done, release = context.Queue(), context.Queue(), context.Event()
        counts = share(args.sockets, args.client_processes)
        checks = share(args.check, args.client_processes)
        url = ws_url(server, path)
        clients = [
            context.Process(
                target=_client_process,
                args=(url, count, check, args.connect_limit, key, connected, release, done),
            )
            for count, check in zip(counts, checks, strict=True)
        ]
        started = time.perf_counter()
        for client in clients:
            client.start()
        reports = [connected.get(timeout=900) for _ in clients]
        held = sum(count for count, _ in reports)
        connect_seconds = time.perf_counter() - started
        time.sleep(args.hold)
        rss_held = rss_bytes(server.process.pid)
        release.set()
        outcomes = [done.get(timeout=300) for _ in clients]
        for client in clients:
            client.join(60)
    finally:
        server.stop()
    return Result(
        name=name,
        sockets=args.sockets,
        connected=held,
        dropped=sum(d for d, _ in outcomes),
        checked=min(args.check, held),
        answered=sum(a for _, a in outcomes),
        connect_seconds=connect_seconds,
        rss_before=rss_before,
        rss_held=rss_held,
        failures=sum((failures for _, failures in reports), Counter()),
    )


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    limit = raise_file_limit(files_needed(args.sockets))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for key in args.only:
            results.append(run_one(key, args, Path(tmp)))
            print(f"  {results[-1]}", file=sys.stderr)
    print(
        f"{args.sockets:,} sockets on one daphne process (in-memory layer), clients in {args.client_processes} "
        f"processes, RLIMIT_NOFILE {limit:,}; {os.cpu_count()} cores.\n"
    )
    print(format_table(results, args.hold))


if __name__ == "__main__":
    main()
