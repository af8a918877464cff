"""Websocket benchmark: Hypergen consumers against raw Channels consumers on the same daphne servers.

    .venv/bin/python bench/ws.py            # about 2 minutes
    .venv/bin/python bench/ws.py --quick    # fewer rounds: about 40 s

Two daphne processes serve bench/ws_app.py: one with replay history on (the default,
``WEBSOCKET_HISTORY_SIZE`` 500) and one with it off (0). Each also serves the raw Channels
consumers, and each of ours is compared with the raw peer on its own process.

(a) sequential round trips per second from one client: our sync consumer rendering a 10-item
    list and morphing it, against a raw sync JsonWebsocketConsumer echo; our ``async def``
    consumer sending its argument back, against a raw AsyncJsonWebsocketConsumer echo;
(b) the same with 50 clients at once;
(c) fan-out: 200 sockets in one group, 50 messages: time to full delivery, deliveries per
    second and losses, ours against a raw async consumer's group_send.

The measurements take turns (every server and consumer once per round, the sockets staying
open), so that the machine's noise hits them alike. Each ratio is the median of the per-round
ratios, with the quartiles of those ratios beside it. The clients share the 2 cores.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from tests.servers import AsgiServer, manage, project_env  # noqa: E402

ORIGIN = None  # A benchmark client is no browser: it sends no Origin.
CONCURRENT_CLIENTS = 50
FANOUT_SOCKETS, FANOUT_MESSAGES = 200, 50
#: The servers: name -> HYPERGEN["WEBSOCKET_HISTORY_SIZE"] (None: the default, 500).
SERVERS = {"replay on": None, "replay off": "0"}
#: Round-trip peers: name -> (path, round trip); each of ours is compared with the raw peer after it.
OURS_SYNC, RAW_SYNC = "hypergen sync consumer (render + morph)", "raw sync JsonWebsocketConsumer echo"
OURS_SYNC_ECHO = "hypergen sync consumer (echo)"
OURS_ASYNC, RAW_ASYNC = "hypergen async def consumer (echo)", "raw AsyncJsonWebsocketConsumer echo"
# Each echo of ours does what its raw peer does (the argument back): the framework's own cost. The
# render + morph consumer is what apps do: its ratio also counts the render and a longer answer.
PAIRS = ((OURS_SYNC_ECHO, RAW_SYNC), (OURS_SYNC, RAW_SYNC), (OURS_ASYNC, RAW_ASYNC))


def ours_event(n: int, sid: str = "") -> str:
    return json.dumps({"id": n, "sid": sid or f"bench-{time.perf_counter_ns()}", "args": [n], "meta": {}})


def raw_event(n: int) -> str:
    return json.dumps({"id": n, "args": [n]})


async def round_trip_ours(ws, n: int) -> None:
    await ws.send(ours_event(n, sid=f"bench-{id(ws)}-{ws.id}"))
    frame = json.loads(await ws.recv())
    assert frame.get("ack") == n and frame["commands"][0][0] == "hypergen.morph", frame


async def round_trip_ours_echo(ws, n: int) -> None:
    await ws.send(ours_event(n, sid=f"bench-{id(ws)}-{ws.id}"))
    frame = json.loads(await ws.recv())
    assert frame.get("ack") == n and frame["commands"] == [["hypergen.setText", "echo", n]], frame


async def round_trip_raw(ws, n: int) -> None:
    await ws.send(raw_event(n))
    assert json.loads(await ws.recv())["id"] == n


PEERS: dict[str, tuple[str, Callable[..., Awaitable[None]]]] = {
    OURS_SYNC_ECHO: ("/ws/bench_sync_echo/", round_trip_ours_echo),
    OURS_SYNC: ("/ws/bench_list/", round_trip_ours),
    RAW_SYNC: ("/raw/echo/", round_trip_raw),
    OURS_ASYNC: ("/ws/bench_async_echo/", round_trip_ours_echo),
    RAW_ASYNC: ("/raw/async-echo/", round_trip_raw),
}


async def round_trips(bases: dict[str, str], clients: int, trips: int, rounds: int) -> dict:
    """Rates (round trips/s) of every server x peer, one measurement each per round, ``clients``
    sockets each making ``trips`` sequential round trips per measurement."""
    sockets = {
        (server, peer): [await websockets.connect(base + path, origin=ORIGIN) for _ in range(clients)]
        for server, base in bases.items()
        for peer, (path, _) in PEERS.items()
    }
    next_id = dict.fromkeys(sockets, 1)
    rates: dict = {key: [] for key in sockets}

    async def client(ws, trip, first: int) -> None:
        for n in range(first, first + trips):
            await trip(ws, n)

    try:
        for round_ in range(rounds + 1):  # Round 0 warms up.
            for key, connected in sockets.items():
                trip = PEERS[key[1]][1]
                started = time.perf_counter()
                await asyncio.gather(*(client(ws, trip, next_id[key]) for ws in connected))
                elapsed = time.perf_counter() - started
                next_id[key] += trips
                if round_:
                    rates[key].append(clients * trips / elapsed)
    finally:
        await asyncio.gather(*(ws.close() for connected in sockets.values() for ws in connected))
    return rates


async def fanout(urls: str | list[str], make_event, is_delivery, sockets: int = FANOUT_SOCKETS,
                 messages: int = FANOUT_MESSAGES) -> dict:  # fmt: skip
    """Connect ``sockets`` clients spread over ``urls``, send ``messages`` events from the first one,
    and count how many of the sockets x messages deliveries arrive."""
    urls = [urls] if isinstance(urls, str) else urls
    limit = asyncio.Semaphore(50)

    async def connect(n: int):
        async with limit:
            return await websockets.connect(urls[n % len(urls)], origin=ORIGIN, max_queue=None)

    clients = await asyncio.gather(*(connect(n) for n in range(sockets)))
    await asyncio.sleep(0.5)  # Let every group_add land before the first message.
    expected = sockets * messages

    async def count(ws) -> int:
        got = 0
        try:
            while got < messages:
                frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
                got += is_delivery(frame)
        except TimeoutError:
            pass
        return got

    try:
        counters = [asyncio.create_task(count(ws)) for ws in clients]
        started = time.perf_counter()
        for n in range(1, messages + 1):
            await clients[0].send(make_event(n))
        delivered = sum(await asyncio.gather(*counters))
        elapsed = time.perf_counter() - started
        if delivered < expected:
            elapsed -= 10  # The counters that came up short waited out their timeout.
        return {"seconds": elapsed, "per_second": delivered / elapsed, "lost": expected - delivered}
    finally:
        await asyncio.gather(*(ws.close() for ws in clients))


OURS_FANOUT, RAW_FANOUT = "hypergen consumer broadcast", "raw async group_send"


def fanout_peers(base: str) -> dict:
    return {
        OURS_FANOUT: (base + "/ws/bench-fanout/", ours_event, lambda frame: frame.get("t") == "commands"),
        RAW_FANOUT: (base + "/raw/fanout/", raw_event, lambda frame: "args" in frame),
    }


async def fanouts(bases: dict[str, str], rounds: int) -> dict:
    """Fan-out results of every server x (ours, raw), taking turns, ``rounds`` each."""
    results: dict = {}
    for _ in range(rounds):
        for server, base in bases.items():
            for peer, (url, make_event, is_delivery) in fanout_peers(base).items():
                results.setdefault((server, peer), []).append(await fanout(url, make_event, is_delivery))
    return results


def ratio_cell(ours: list[float], raw: list[float]) -> str:
    """Our cost against the raw peer (its rate over ours): the median of the per-round ratios, and their quartiles."""
    ratios = [r / o for o, r in zip(ours, raw, strict=True)]
    if len(ratios) < 2:
        return f"{ratios[0]:.2f}x"
    low, _, high = statistics.quantiles(ratios, n=4)
    return f"{statistics.median(ratios):.2f}x ({low:.2f}-{high:.2f})"


def print_round_trips(title: str, rates: dict, servers: list[str]) -> None:
    print(f"\n{title}\n| server | consumer | round trips/s (median) | our cost vs the raw peer (quartiles) |")
    print("|---|---|---|---|")
    for server in servers:
        for index, (ours, raw) in enumerate(PAIRS):
            cell = ratio_cell(rates[server, ours], rates[server, raw])
            print(f"| {server} | {ours} | {statistics.median(rates[server, ours]):,.0f} | {cell} |")
            if all(raw != later for _, later in PAIRS[index + 1 :]):  # Each raw peer once, after its last pair.
                print(f"| {server} | {raw} | {statistics.median(rates[server, raw]):,.0f} | - |")
        cell = ratio_cell(rates[server, OURS_SYNC], rates[server, RAW_ASYNC])
        print(f"| {server} | ({OURS_SYNC} vs {RAW_ASYNC}) | | {cell} |")


def print_tables(results: dict, servers: list[str], rounds: int) -> None:
    print_round_trips(f"(a) sequential round trips, 1 client, {rounds} rounds", results["sequential"], servers)
    print_round_trips(
        f"(b) round trips, {CONCURRENT_CLIENTS} clients at once, {rounds} rounds", results["concurrent"], servers
    )
    fan = results["fanout"]
    runs = len(next(iter(fan.values())))
    print(f"\n(c) fan-out: {FANOUT_SOCKETS} sockets in one group x {FANOUT_MESSAGES} messages, {runs} runs each")
    print("| server | sender | seconds to full delivery (median) | deliveries/s (median) | lost (all runs) |")
    print("|---|---|---|---|---|")
    for server in servers:
        for peer in (OURS_FANOUT, RAW_FANOUT):
            rows = fan[server, peer]
            seconds = statistics.median(row["seconds"] for row in rows)
            rate = statistics.median(row["per_second"] for row in rows)
            print(f"| {server} | {peer} | {seconds:.2f} | {rate:,.0f} | {sum(row['lost'] for row in rows)} |")
    print("\n| server | our fan-out rate vs raw group_send's (per run) |\n|---|---|")
    for server in servers:
        ours = [row["per_second"] for row in fan[server, OURS_FANOUT]]
        raw = [row["per_second"] for row in fan[server, RAW_FANOUT]]
        ratios = [o / r for o, r in zip(ours, raw, strict=True)]
        print(f"| {server} | median {statistics.median(ratios):.2f}x: {', '.join(f'{x:.2f}x' for x in ratios)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (about 40 s)")
    options = parser.parse_args()
    rounds, fan_rounds = (5, 1) if options.quick else (15, 3)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        started = {}
        try:
            for name, history_size in SERVERS.items():
                extra = {"HYPERGEN_TEST_HISTORY_SIZE": history_size} if history_size is not None else {}
                label = name.replace(" ", "-")
                env = project_env(
                    HYPERGEN_TEST_DB=str(Path(tmp) / f"{label}.sqlite3"), HYPERGEN_TEST_NO_RATE_LIMIT="1", **extra
                )
                env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "bench"), env["PYTHONPATH"]])
                manage("migrate", "--noinput", env=env)
                server = AsgiServer(env, application="ws_app:application", log_path=Path(tmp) / f"{label}.log")
                started[name] = server.start()
            bases = {name: server.url.replace("http://", "ws://") for name, server in started.items()}

            async def measure() -> dict:
                return {
                    "sequential": await round_trips(bases, 1, 300, rounds),
                    "concurrent": await round_trips(bases, CONCURRENT_CLIENTS, 10, rounds),
                    "fanout": await fanouts(bases, fan_rounds),
                }

            results = asyncio.run(measure())
        finally:
            for server in started.values():
                server.stop()
    load_after = os.getloadavg()
    print(f"Load average (1, 5, 15 min) before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}; "
          f"after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")  # fmt: skip
    print_tables(results, list(SERVERS), rounds)


if __name__ == "__main__":
    main()
