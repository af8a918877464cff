"""Load and chaos: the scenarios of tests/chaos/ at full size, on real daphne processes.

    .venv/bin/python bench/load.py           # about 10 minutes; needs a Redis (REDIS_URL, or 127.0.0.1:6379)
    .venv/bin/python bench/load.py --quick   # every size and duration about 10x smaller

1. idle: sockets held on one process (in memory), then 20 messages from each; beside a raw
   Channels echo consumer; and the same hold on two processes over Redis.
2. kill -9 of a process holding sockets on Redis, then restarted.
3. Redis restarted under load (a private redis-server, so the machine's Redis is not touched).
4. churn: steady clients get numbered group messages while others connect and disconnect.
5. burst: pushes from another process to a group with one reading client and one that never reads.
6. SIGSTOP of the server: clients with Hypergen's heartbeat notice, and come back after SIGCONT.

The raw Channels consumers (bench/ws_app.py) run on Channels' own layers (bench/raw_settings.py).
Prints one table (scenario, ours, raw Channels where measured, goal, result) and the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path

import redis
import websockets

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH.parent / "examples"), str(BENCH)]

from fanout import redis_url  # noqa: E402

from tests.chaos.test_burst import PUSHER  # noqa: E402
from tests.chaos.test_churn import churn  # noqa: E402
from tests.chaos.test_kill import close_all, members_per_process, reconnect_all  # noqa: E402
from tests.chaos.test_load import resident_kib  # noqa: E402
from tests.chaos.test_slow_client import broadcast_rate  # noqa: E402
from tests.redis_server import PrivateRedis  # noqa: E402
from tests.servers import ROOT, AsgiServer, servers, ws_url  # noqa: E402
from tests.swarm import Swarm  # noqa: E402

APP = "bench.ws_app:application"
RAW = {"DJANGO_SETTINGS_MODULE": "bench.raw_settings"}
SCENARIOS = ("idle", "kill", "redis", "churn", "burst", "sigstop", "slow")
MESSAGE_INTERVAL = 0.2  # Seconds between the group messages of the kill -9 scenario.


@dataclass(frozen=True)
class Sizes:
    idle_sockets: int = 1000
    idle_seconds: float = 60
    messages_each: int = 20
    kill_sockets: int = 500
    kill_survivors: int = 50
    group_expiry: int = 120  # HYPERGEN["REDIS_GROUP_EXPIRY"]'s default.
    outage_per_process: int = 100
    outage_seconds: float = 10
    steady: int = 20
    churners: int = 50
    churn_rate: int = 10
    churn_seconds: float = 30
    pushes: int = 3000
    stopped_clients: int = 50
    stop_seconds: float = 60
    heartbeat_interval: float = 25  # HYPERGEN["WEBSOCKET_HEARTBEAT_INTERVAL"]'s default.
    heartbeat_timeout: float = 10  # HYPERGEN["WEBSOCKET_HEARTBEAT_TIMEOUT"]'s default.
    slow_group: int = 200
    slow_messages: int = 100
    slow_rounds: int = 5

    def quick(self) -> Sizes:
        """About 10x smaller and shorter, with the goals kept; the heartbeat is 1 s + 1 s, as the tests have it."""
        return replace(
            self,
            idle_sockets=self.idle_sockets // 10,
            idle_seconds=self.idle_seconds / 10,
            kill_sockets=self.kill_sockets // 10,
            kill_survivors=self.kill_survivors // 10,
            group_expiry=self.group_expiry // 10,
            outage_per_process=self.outage_per_process // 10,
            outage_seconds=2,
            steady=self.steady // 2,
            churners=self.churners // 5,
            churn_seconds=self.churn_seconds / 10,
            pushes=self.pushes // 10,
            stopped_clients=self.stopped_clients // 5,
            stop_seconds=self.stop_seconds / 10,
            heartbeat_interval=1,
            heartbeat_timeout=1,
            slow_group=self.slow_group // 4,
            slow_messages=self.slow_messages // 4,
            slow_rounds=3,
        )


@dataclass
class Row:
    scenario: str
    ours: str
    raw: str = "-"
    goal: str = "-"
    passed: bool | None = None  # None: measured, no goal.


# The table ---------------------------------------------------------------------------------------


def format_table(rows: list[Row]) -> str:
    """A Markdown table of ``rows``; the result column says pass, FAIL, or - for a measurement without a goal."""
    lines = ["| scenario | ours | raw Channels | goal | result |", "|---|---|---|---|---|"]
    for row in rows:
        result = "-" if row.passed is None else ("pass" if row.passed else "FAIL")
        lines.append(f"| {row.scenario} | {row.ours} | {row.raw} | {row.goal} | {result} |")
    return "\n".join(lines)


def machine_line(redis_version: str = "") -> str:
    packages = ("Django", "channels", "channels-redis", "daphne", "Twisted", "redis", "websockets")
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in packages)
    server = f", redis-server {redis_version}" if redis_version else ""
    python = f"Python {platform.python_version()}"
    return f"Machine: {os.cpu_count()} cores, {platform.system()}, {python}, {versions}{server}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every size and duration about 10x smaller")
    parser.add_argument("--only", nargs="+", choices=SCENARIOS, default=list(SCENARIOS), help="run these scenarios")
    return parser.parse_args(argv)


def sizes_for(args: argparse.Namespace) -> Sizes:
    return Sizes().quick() if args.quick else Sizes()


# Helpers -----------------------------------------------------------------------------------------


def settled(swarm: Swarm, condition: Callable[[], bool], timeout: float) -> bool:
    try:
        swarm.wait_until(condition, timeout=timeout)
        return True
    except AssertionError:
        return False


@contextmanager
def swarm_of(urls: list[str], **options) -> Iterator[Swarm]:
    swarm = Swarm(urls, **options)
    try:
        yield swarm
    finally:
        swarm.close()


def send_each(swarm: Swarm, count: int) -> None:
    """``count`` events from every peer, "index.n", round after round; a closed peer's are lost."""
    for n in range(count):
        for index in range(len(swarm.peers)):
            with suppress(websockets.ConnectionClosed):
                swarm.send(index, f"{index}.{n}")


def lost_replies(swarm: Swarm, count: int, replies: Callable) -> int:
    """How many of the "index.n" replies (``replies(peer)`` lists them) did not arrive, after waiting."""
    expected = [[f"{index}.{n}" for n in range(count)] for index in range(len(swarm.peers))]
    settled(swarm, lambda: all(len(replies(peer)) >= count for peer in swarm.peers), timeout=120)
    return sum(len(set(want) - set(replies(peer))) for want, peer in zip(expected, swarm.peers, strict=True))


def our_echoes(peer) -> list[str]:
    return [text.removeprefix("only you: ") for text in peer.texts()]


def raw_echoes(peer) -> list[str]:
    return [frame["args"][0] for frame in peer.frames if frame.get("args")]


def numbers(texts: list[str]) -> list[int]:
    """The n of every "message n" among ``texts`` (ours wrap it in <li>), in the order received."""
    return [int(text.removeprefix("<li>").removesuffix("</li>").split()[-1]) for text in texts if "message" in text]


def missing(received: list[list[int]], sent: int) -> int:
    """Messages 0 .. sent-1 missing at the clients, all of them together."""
    return sum(len(set(range(sent)) - set(got)) for got in received)


def inversions(got: list[int], order: list[int]) -> int:
    """How often a message of ``got`` arrived after one that comes later in ``order``."""
    rank = {n: i for i, n in enumerate(order)}
    ranks = [rank[n] for n in got if n in rank]
    return sum(1 for a, b in itertools.pairwise(ranks) if b < a)


def seq_gaps(seqs: list[int]) -> int:
    """Numbers missing between the first and last ``seqs``."""
    return len(set(range(seqs[0], seqs[-1] + 1)) - set(seqs)) if seqs else 0


def redis_server_version(url: str) -> str:
    return redis.Redis.from_url(url).info("server")["redis_version"]


# 1. Idle ------------------------------------------------------------------------------------------


def idle(sizes: Sizes, tmp: Path, on_redis: str) -> list[Row]:
    n = sizes.idle_sockets
    with ExitStack() as stack:
        [ours] = stack.enter_context(servers(tmp, 1, application=APP))
        [raw] = stack.enter_context(servers(tmp, 1, application=APP, **RAW))
        pair = stack.enter_context(servers(tmp, 2, on_redis, application=APP))
        before = {ours: resident_kib(ours.process.pid), raw: resident_kib(raw.process.pid)}
        ours_swarm = stack.enter_context(swarm_of([ws_url(ours, "/ws/private_echo/")] * n))
        raw_swarm = stack.enter_context(swarm_of([ws_url(raw, "/raw/echo/")] * n))
        redis_swarm = stack.enter_context(swarm_of([ws_url(pair[i % 2], "/ws/rooms/idle/") for i in range(n)]))
        time.sleep(sizes.idle_seconds)  # Holding them is the scenario.
        kib = {server: (resident_kib(server.process.pid) - rss) / n for server, rss in before.items()}
        dropped = {name: len(swarm.closed()) for name, swarm in (("ours", ours_swarm), ("raw", raw_swarm))}
        redis_closes = len(redis_swarm.closed())
        send_each(ours_swarm, sizes.messages_each)
        send_each(raw_swarm, sizes.messages_each)
        lost = (lost_replies(ours_swarm, sizes.messages_each, our_echoes),
                lost_replies(raw_swarm, sizes.messages_each, raw_echoes))  # fmt: skip
        dropped_after = (len(ours_swarm.closed()), len(raw_swarm.closed()))
    held = f"{n:,} sockets held {sizes.idle_seconds:g} s"
    return [
        Row(f"1. idle, 1 process in memory: {held}, dropped", f"{dropped['ours']} (then {dropped_after[0]})",
            f"{dropped['raw']} (then {dropped_after[1]})", "0", dropped["ours"] == dropped_after[0] == 0),
        Row(f"1. idle: then {sizes.messages_each} messages from each, replies lost", str(lost[0]), str(lost[1]),
            "0", lost[0] == 0),
        Row("1. idle: server memory per idle socket (RSS delta / sockets)", f"{kib[ours]:.1f} KiB",
            f"{kib[raw]:.1f} KiB"),
        Row(f"1. idle, 2 processes over Redis: {held}, closes", str(redis_closes), "-", "0", redis_closes == 0),
    ]  # fmt: skip


# 2. kill -9 ---------------------------------------------------------------------------------------


def kill(sizes: Sizes, tmp: Path, on_redis: str) -> list[Row]:
    n, expiry, path = sizes.kill_sockets, sizes.group_expiry, "/ws/rooms/killed/"
    with ExitStack() as stack:
        killed, survivor = stack.enter_context(
            servers(tmp, 2, on_redis, application=APP, HYPERGEN_TEST_GROUP_EXPIRY=str(expiry))
        )
        doomed = stack.enter_context(swarm_of([ws_url(killed, path)] * n))
        staying = stack.enter_context(swarm_of([ws_url(survivor, path)] * sizes.kill_survivors))
        client = redis.Redis.from_url(on_redis)
        stack.callback(client.close)
        keys = f"{killed.env['HYPERGEN_TEST_REDIS_PREFIX']}*group*_ws_rooms_killed_*"
        dead = [process for process, count in members_per_process(client, keys).items() if count == n]

        killed_at = time.monotonic()
        killed.kill()
        settled(doomed, lambda: len(doomed.closed()) == n, timeout=30)
        back, statuses, restarted = reconnect_during_restart(killed, ws_url(killed, path), n, staying)
        within_3 = sum(1 for at in back if at - restarted <= 3) / n * 100
        all_back = f"all in {max(back) - restarted:.1f} s" if len(back) == n else f"{len(back)} of {n} in 60 s"

        # Group messages every MESSAGE_INTERVAL; each drops the members not refreshed for ``expiry``:
        # the dead process's are gone after the first one sent ``expiry`` after its last refresh.
        # Redis is looked at before each message, MESSAGE_INTERVAL after the previous one was sent.
        sent, sent_at, removed_by = 0, None, None
        while dead and time.monotonic() - killed_at < expiry + 60:
            if sent_at is not None and dead[0] not in members_per_process(client, keys):
                removed_by = sent_at - killed_at
                break
            sent_at = time.monotonic()
            staying.send(sent % sizes.kill_survivors, f"message {sent}")
            sent += 1
            time.sleep(MESSAGE_INTERVAL)
        settled(staying, lambda: all(len(peer.texts()) >= sent for peer in staying.peers), timeout=30)
        lost = missing([numbers(peer.texts()) for peer in staying.peers], sent)
    fivexx = sum(1 for status in statuses if status >= 500)
    gone = f"{removed_by:.1f} s after the kill" if removed_by is not None else "not gone"
    bound = expiry + MESSAGE_INTERVAL
    return [
        Row(f"2. kill -9 of a process with {n} sockets (Redis): % back within 3 s of restart",
            f"{within_3:.0f}% ({all_back})", "-", "100%", within_3 == 100),
        Row("2. kill -9: handshakes answered 5xx while reconnecting", str(fivexx), "-", "0", fivexx == 0),
        Row(f"2. kill -9: the dead process's group members dropped by the group message sent at "
            f"(REDIS_GROUP_EXPIRY={expiry} s, a message every {MESSAGE_INTERVAL:g} s)", gone, "-",
            f"<= {expiry} s + {MESSAGE_INTERVAL:g} s", removed_by is not None and removed_by <= bound),
        Row(f"2. kill -9: messages lost by {sizes.kill_survivors} live members ({sent} sent meanwhile)", str(lost),
            "-", "0", lost == 0),
    ]  # fmt: skip


def reconnect_during_restart(server: AsgiServer, url: str, count: int, swarm: Swarm) -> tuple[list, list, float]:
    """Clients retry (every 0.1 s) from the moment the process is started again, as pages do: the
    times they got back, the statuses of refused handshakes, and when the restart began."""
    back: list[float] = []
    restarted = time.monotonic()
    future = asyncio.run_coroutine_threadsafe(reconnect_all(url, count, restarted + 60, back), swarm.loop)
    server.start()
    try:
        sockets, statuses = future.result(90)
        asyncio.run_coroutine_threadsafe(close_all(sockets), swarm.loop).result(30)
    except TimeoutError:
        statuses = []
    return back, statuses, restarted


# 3. Redis restarted -------------------------------------------------------------------------------


def redis_restart(sizes: Sizes, tmp: Path) -> list[Row]:
    private = PrivateRedis().start()
    try:
        with servers(tmp, 2, private.url, application=APP) as pair:
            urls = [ws_url(server, "/ws/rooms/outage/") for server in pair for _ in range(sizes.outage_per_process)]
            with swarm_of(urls) as swarm, steady_load(swarm):
                time.sleep(1)
                private.stop()  # It keeps nothing on disk: the groups are gone with it.
                time.sleep(sizes.outage_seconds)
                private.start()
                resumed = seconds_until_pushes_resume(swarm)
                closes = len(swarm.closed())
            outage_lines = [server.read_log()[0].count("Redis is unreachable") for server in pair]
    finally:
        private.stop()
    per_process = ", ".join(map(str, outage_lines))
    resumed_text = f"{resumed:.1f} s" if resumed is not None else "not within 30 s"
    return [
        Row(f"3. Redis down {sizes.outage_seconds:g} s under load ({len(urls)} sockets, 2 processes): "
            "pushes flow again after", resumed_text, "-", "< 5 s", resumed is not None and resumed < 5),
        Row("3. Redis restart: sockets closed", str(closes), "-", "0", closes == 0),
        Row("3. Redis restart: outage log lines per process", per_process, "-", "1 each",
            all(lines == 1 for lines in outage_lines)),
    ]  # fmt: skip


@contextmanager
def steady_load(swarm: Swarm, per_second: float = 10) -> Iterator[None]:
    """Group messages from the swarm's peers in turn, ``per_second``, in a thread, for the block."""
    stop = threading.Event()

    def send() -> None:
        n = 0
        while not stop.wait(1 / per_second):
            with suppress(Exception):  # A failed send is what an outage looks like.
                swarm.send(n % len(swarm.peers), f"load {n}")
            n += 1

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(10)


def seconds_until_pushes_resume(swarm: Swarm, limit: float = 30) -> float | None:
    """Send "after k" every 0.25 s from the peers in turn until every peer heard one; None if not in ``limit``."""
    back = time.monotonic()
    for attempt in range(int(limit * 4)):
        if all(any(text.startswith("<li>after") for text in peer.texts()) for peer in swarm.peers):
            return time.monotonic() - back
        with suppress(websockets.ConnectionClosed):
            swarm.send(attempt % len(swarm.peers), f"after {attempt}")
        time.sleep(0.25)
    return None


# 4. Churn -----------------------------------------------------------------------------------------


def churn_run(sizes: Sizes, tmp: Path, on_redis: str | None, raw: bool) -> dict:
    """Steady clients get numbered group messages while churners come and go: gaps, reorders, cycles."""
    options = {"application": APP, **(RAW if raw else {})}
    path = "/raw/room/churn/" if raw else "/ws/rooms/churn/"
    with servers(tmp, 2 if on_redis else 1, on_redis, **options) as started:
        urls = [ws_url(server, path) for server in started]
        with swarm_of([urls[n % len(urls)] for n in range(sizes.steady)]) as steady:
            until = time.monotonic() + sizes.churn_seconds
            churning = asyncio.run_coroutine_threadsafe(churn(urls, until, sizes.churners), steady.loop)
            sent = 0
            while time.monotonic() < until:
                steady.send(sent % sizes.steady, f"message {sent}")
                sent += 1
                time.sleep(1 / sizes.churn_rate)
            cycles = churning.result(timeout=60)
            texts = (lambda peer: [str(a) for a in raw_echoes(peer)]) if raw else (lambda peer: peer.texts())
            settled(steady, lambda: all(len(numbers(texts(peer))) >= sent for peer in steady.peers), timeout=30)
            received = [numbers(texts(peer)) for peer in steady.peers]
            gaps = missing(received, sent)
            # Every client must see the group's messages in one order: the first client's is the reference.
            reorders = sum(inversions(got, received[0]) for got in received)
            if not raw:  # Our frames are numbered: a gap or a step back in seq counts too.
                seqs = [[frame["seq"] for frame in peer.commands_frames()] for peer in steady.peers]
                gaps = max(gaps, sum(seq_gaps(one) for one in seqs))
                reorders = max(reorders, sum(inversions(one, sorted(one)) for one in seqs))
            closed = steady.closed()  # Before the block closes them all.
    return {
        "sent": sent, "gaps": gaps, "reorders": reorders, "cycles": cycles, "closed": len(closed),
        "codes": sorted({code for _, code in closed}), "unlike_sent": inversions(received[0], list(range(sent))),
    }  # fmt: skip


def churn_rows(sizes: Sizes, tmp: Path, on_redis: str) -> list[Row]:
    rows = []
    for setup, layer in (("in memory", None), ("2 processes over Redis", on_redis)):
        ours, raw = churn_run(sizes, tmp, layer, raw=False), churn_run(sizes, tmp, layer, raw=True)

        def show(result: dict) -> str:
            codes = ", ".join(map(str, result["codes"]))
            closed = f", {result['closed']} steady clients closed ({codes})" if result["closed"] else ""
            return f"{result['gaps']} / {result['reorders']}{closed}"

        rows += [
            Row(f"4. churn, {setup}: {sizes.steady} steady clients x {ours['sent']} messages "
                f"({sizes.churn_rate}/s, {sizes.churn_seconds:g} s), {sizes.churners} churning: "
                "gaps / reorders (against the order the clients share)",
                show(ours), show(raw), "0 / 0", ours["gaps"] == ours["reorders"] == ours["closed"] == 0),
            Row(f"4. churn, {setup}: shared order against send order (senders take turns, "
                f"{1 / sizes.churn_rate:g} s apart): inversions", str(ours["unlike_sent"]), str(raw["unlike_sent"])),
            Row(f"4. churn, {setup}: connect-disconnect cycles completed", f"{ours['cycles']:,}",
                f"{raw['cycles']:,}"),
        ]  # fmt: skip
    return rows


# 5. Burst -----------------------------------------------------------------------------------------


def burst(sizes: Sizes, tmp: Path, on_redis: str) -> list[Row]:
    n = sizes.pushes
    with servers(tmp, 1, on_redis, application=APP) as [server]:
        url = ws_url(server, "/ws/rooms/burst/")
        with swarm_of([url, url], not_reading=(1,)) as swarm:
            pusher = subprocess.run([sys.executable, "-c", PUSHER, str(n)], env=server.env, cwd=ROOT, check=True,
                                    capture_output=True, text=True, timeout=300)  # fmt: skip
            rates = json.loads(pusher.stdout.strip().splitlines()[-1])
            reader, staller = swarm.peers
            settled(swarm, lambda: len(reader.commands_frames()) >= n, timeout=120)
            in_order = reader.texts() == [f"<li>{i}</li>" for i in range(n)]
            reader_seq_gaps = seq_gaps([frame["seq"] for frame in reader.commands_frames()])
            swarm.start_reading(1)
            settled(swarm, lambda: staller.commands_frames()[-1:] == reader.commands_frames()[-1:], timeout=120)
            got = len(staller.commands_frames())
            detected = seq_gaps([frame["seq"] for frame in staller.commands_frames()])
            errors = sum(1 for frame in staller.frames if frame.get("t") == "error")
            warnings = server.read_log()[0].count("WARNING")
    silent = max(0, n - got - detected)  # Missing, and neither a gap in seq nor at the end.
    return [
        Row(f"5. burst of {n:,} pushes from another process (Redis): reader got, in order",
            f"{len(reader.commands_frames()):,}, {'in order' if in_order else 'OUT OF ORDER'}, "
            f"{reader_seq_gaps} seq gaps", "-", f"{n:,} in order", in_order and reader_seq_gaps == 0),
        Row("5. burst: the client that never read (then read): got / lost with a seq gap / lost silently",
            f"{got:,} / {detected} / {silent} ({errors} error frames, {warnings} log warnings)", "-", "0 silent",
            silent == 0),
        Row(f"5. burst: push() in a loop, pushes/s ({n // 2:,} pushes)", f"{rates['push']:,.0f}", "-", ">= 2,000",
            rates["push"] >= 2000),
        Row(f"5. burst: push_batch(), pushes/s ({n - n // 2:,} pushes)", f"{rates['push_batch']:,.0f}", "-",
            ">= 2,000", rates["push_batch"] >= 2000),
    ]  # fmt: skip


# 6. SIGSTOP ---------------------------------------------------------------------------------------


async def heartbeat_client(url: str, interval: float, timeout: float, times: dict) -> None:
    """A client with Hypergen's heartbeat (docs/protocol.md): {"t":"ping"} every ``interval``; no frame
    within ``timeout`` of it means the socket is dead: note when (times["noticed"]), close it with 4000
    and connect again until a ping is answered (times["back"])."""
    ws = await websockets.connect(url, ping_interval=None, close_timeout=0.1)
    while True:
        await asyncio.sleep(interval)
        await ws.send('{"t":"ping"}')
        try:
            await asyncio.wait_for(ws.recv(), timeout)
        except TimeoutError:
            break
    times["noticed"] = time.monotonic()
    ws.transport.abort()  # A stopped server answers no closing handshake (the client's code is 4000).
    while True:
        await asyncio.sleep(0.5)
        try:
            async with asyncio.timeout(2):
                ws = await websockets.connect(url, ping_interval=None, close_timeout=0.1)
                await ws.send('{"t":"ping"}')
                await ws.recv()
            times["back"] = time.monotonic()
            await ws.close()
            return
        except (TimeoutError, OSError, websockets.WebSocketException):
            continue


async def stop_and_resume(server: AsgiServer, sizes: Sizes) -> tuple[list[dict], float, float]:
    url = ws_url(server, "/ws/private_echo/")
    times = [{} for _ in range(sizes.stopped_clients)]
    clients = [
        asyncio.create_task(heartbeat_client(url, sizes.heartbeat_interval, sizes.heartbeat_timeout, t)) for t in times
    ]
    await asyncio.sleep(sizes.heartbeat_interval * 1.5)  # Every client has pinged at least once.
    os.kill(server.process.pid, signal.SIGSTOP)
    stopped = time.monotonic()
    try:
        await asyncio.sleep(sizes.stop_seconds)
    finally:
        os.kill(server.process.pid, signal.SIGCONT)
    resumed = time.monotonic()
    await asyncio.wait(clients, timeout=60)
    for client in clients:
        client.cancel()
    return times, stopped, resumed


def sigstop(sizes: Sizes, tmp: Path) -> list[Row]:
    with servers(tmp, 1, application=APP) as [server]:
        times, stopped, resumed = asyncio.run(stop_and_resume(server, sizes))
    bound = sizes.heartbeat_interval + sizes.heartbeat_timeout
    noticed = [t["noticed"] - stopped for t in times if "noticed" in t]
    back = [t["back"] - resumed for t in times if "back" in t]
    n = sizes.stopped_clients
    noticed_text = f"max {max(noticed):.1f} s, {len(noticed)} of {n}" if noticed else f"0 of {n}"
    back_text = f"{len(back)} of {n}" + (f", last {max(back):.1f} s after SIGCONT" if back else "")
    return [
        Row(f"6. SIGSTOP {sizes.stop_seconds:g} s, {n} clients with heartbeat "
            f"{sizes.heartbeat_interval:g}+{sizes.heartbeat_timeout:g} s: noticed after", noticed_text, "-",
            f"<= {bound:g} s, all", len(noticed) == n and max(noticed) <= bound),
        Row("6. SIGSTOP: clients back after SIGCONT", back_text, "-", f"{n} of {n}", len(back) == n),
    ]  # fmt: skip


# 7. A slow reader ---------------------------------------------------------------------------------


def slow_reader(sizes: Sizes, tmp: Path) -> list[Row]:
    """Broadcast rate to a group with and without one socket that stopped reading (best of rounds)."""
    group, messages = sizes.slow_group, sizes.slow_messages
    env = {"HYPERGEN_TEST_NO_RATE_LIMIT": "1", "HYPERGEN_TEST_MAX_PENDING_BYTES": str(64 * 1024)}
    with servers(tmp, 1, application=APP, **env) as [server]:
        healthy = Swarm([ws_url(server, "/ws/rooms/healthy/")] * group)
        stalled = Swarm([ws_url(server, "/ws/rooms/stalled/")] * group, not_reading=(group - 1,))
        try:
            broadcast_rate(healthy, list(range(group)), messages, 1000, "warm-up ")
            without, beside = [], []
            for _ in range(sizes.slow_rounds):  # Interleaved: the machine's noise shifts both alike.
                without.append(broadcast_rate(healthy, list(range(group)), messages, 1000))
                beside.append(broadcast_rate(stalled, list(range(group - 1)), messages, 1000))
            served = [index for index, _ in stalled.closed() if index != group - 1] == []
        finally:
            healthy.close()
            stalled.close()
    ratio = max(beside) / max(without)
    return [
        Row(f"7. broadcast to {group} sockets, 1 KB messages, msg/s (best of {sizes.slow_rounds})",
            f"{max(without):.1f}", "-", "-", None),
        Row("7. the same with one socket that stopped reading", f"{max(beside):.1f} ({ratio:.0%})", "-",
            ">= 90% and every reader served", ratio >= 0.9 and served),
    ]  # fmt: skip


# Main ---------------------------------------------------------------------------------------------


def run(scenarios: list[str], sizes: Sizes, on_redis: str) -> list[Row]:
    steps = {
        "idle": lambda tmp: idle(sizes, tmp, on_redis),
        "kill": lambda tmp: kill(sizes, tmp, on_redis),
        "redis": lambda tmp: redis_restart(sizes, tmp),
        "churn": lambda tmp: churn_rows(sizes, tmp, on_redis),
        "burst": lambda tmp: burst(sizes, tmp, on_redis),
        "sigstop": lambda tmp: sigstop(sizes, tmp),
        "slow": lambda tmp: slow_reader(sizes, tmp),
    }
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="hypergen-load-") as tmp:
        for name in scenarios:
            started = time.monotonic()
            print(f"{name}...", file=sys.stderr, flush=True)
            try:
                rows += steps[name](Path(tmp))
            except Exception as error:  # The table says so; the others still run.
                rows.append(Row(f"{name}: did not complete", f"{type(error).__name__}: {error}", passed=False))
            print(f"{name}: {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return rows


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    url = redis_url()
    started = time.monotonic()
    rows = run(args.only, sizes_for(args), url)
    print(format_table(rows))
    print(f"\n{machine_line(redis_server_version(url))}")
    print(f"Run: {'--quick' if args.quick else 'full'}, {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
