"""Websocket benchmark: Hypergen consumers against raw Channels consumers on the same daphne server.

    .venv/bin/python bench/ws.py

(a) sequential round trips per second from one client: our consumer rendering a 10-item list
    and morphing it, against a raw sync JsonWebsocketConsumer echo (and an async one);
(b) round trips per second with 50 concurrent clients;
(c) fan-out: 200 sockets in one group, 50 messages: time to full delivery, deliveries per
    second and losses, ours against a raw async consumer's group_send.
One server process on loopback, in-memory channel layer; the clients share the 2 cores.
"""

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from tests.servers import AsgiServer, manage, project_env  # noqa: E402

ORIGIN = None  # A benchmark client is no browser: it sends no Origin.
SEQUENTIAL = 2000
CONCURRENT_CLIENTS, PER_CLIENT = 50, 100
FANOUT_SOCKETS, FANOUT_MESSAGES = 200, 50


def ours_event(n: int, sid: str = "") -> str:
    return json.dumps({"id": n, "sid": sid or f"bench-{time.perf_counter_ns()}", "args": [n], "meta": {}})


def raw_event(n: int) -> str:
    return json.dumps({"id": n, "args": [n]})


async def round_trip_ours(ws, n: int) -> None:
    await ws.send(ours_event(n, sid=f"bench-{id(ws)}-{ws.id}"))
    frame = json.loads(await ws.recv())
    assert frame.get("ack") == n and frame["commands"][0][0] == "hypergen.morph", frame


async def round_trip_raw(ws, n: int) -> None:
    await ws.send(raw_event(n))
    assert json.loads(await ws.recv())["id"] == n


async def sequential(url: str, trip, count: int) -> float:
    async with websockets.connect(url, origin=ORIGIN) as ws:
        for n in range(1, 50):  # Warm-up.
            await trip(ws, n)
        started = time.perf_counter()
        for n in range(50, 50 + count):
            await trip(ws, n)
        return count / (time.perf_counter() - started)


async def concurrent(url: str, trip) -> float:
    async def client(ws):
        for n in range(1, PER_CLIENT + 1):
            await trip(ws, n)

    sockets = [await websockets.connect(url, origin=ORIGIN) for _ in range(CONCURRENT_CLIENTS)]
    try:
        started = time.perf_counter()
        await asyncio.gather(*(client(ws) for ws in sockets))
        return CONCURRENT_CLIENTS * PER_CLIENT / (time.perf_counter() - started)
    finally:
        await asyncio.gather(*(ws.close() for ws in sockets))


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


async def measure(base: str) -> dict:
    ours, echo, async_echo = f"{base}/ws/bench_list/", f"{base}/raw/echo/", f"{base}/raw/async-echo/"
    results = {
        "sequential": {
            "hypergen consumer (render + morph)": statistics.median(
                [await sequential(ours, round_trip_ours, SEQUENTIAL) for _ in range(3)]
            ),
            "raw sync JsonWebsocketConsumer echo": statistics.median(
                [await sequential(echo, round_trip_raw, SEQUENTIAL) for _ in range(3)]
            ),
            "raw async JSON consumer echo": statistics.median(
                [await sequential(async_echo, round_trip_raw, SEQUENTIAL) for _ in range(3)]
            ),
        },
        "concurrent": {
            "hypergen consumer (render + morph)": await concurrent(ours, round_trip_ours),
            "raw sync JsonWebsocketConsumer echo": await concurrent(echo, round_trip_raw),
            "raw async JSON consumer echo": await concurrent(async_echo, round_trip_raw),
        },
        "fanout": {
            "hypergen consumer broadcast": await fanout(
                f"{base}/ws/bench-fanout/", ours_event, lambda frame: frame.get("t") == "commands"
            ),
            "raw async group_send": await fanout(f"{base}/raw/fanout/", raw_event, lambda frame: "args" in frame),
        },
    }
    return results


def print_table(results: dict) -> None:
    for kind, title in (
        ("sequential", "(a) sequential round trips/s, 1 client"),
        ("concurrent", f"(b) round trips/s, {CONCURRENT_CLIENTS} clients"),
    ):
        rows = results[kind]
        ours = rows["hypergen consumer (render + morph)"]
        print(f"\n{title}\n| server | round trips/s | our cost vs it |\n|---|---|---|")
        for name, rate in rows.items():
            print(f"| {name} | {rate:,.0f} | {'-' if rate == ours else f'{rate / ours:.2f}x'} |")
    print(f"\n(c) fan-out: {FANOUT_SOCKETS} sockets in one group x {FANOUT_MESSAGES} messages")
    print("| server | seconds to full delivery | deliveries/s | lost |\n|---|---|---|---|")
    for name, row in results["fanout"].items():
        print(f"| {name} | {row['seconds']:.2f} | {row['per_second']:,.0f} | {row['lost']} |")
    ours, raw = results["fanout"]["hypergen consumer broadcast"], results["fanout"]["raw async group_send"]
    print(f"\nOur fan-out rate is {ours['per_second'] / raw['per_second']:.2f}x the raw group_send's.")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = project_env(HYPERGEN_TEST_DB=str(Path(tmp) / "db.sqlite3"), HYPERGEN_TEST_NO_RATE_LIMIT="1")
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "bench"), env["PYTHONPATH"]])
        manage("migrate", "--noinput", env=env)
        server = AsgiServer(env, application="ws_app:application", log_path=Path(tmp) / "daphne.log").start()
        try:
            results = asyncio.run(measure(server.url.replace("http://", "ws://")))
        finally:
            server.stop()
    print_table(results)


if __name__ == "__main__":
    main()
