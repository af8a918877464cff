"""Fan-out benchmark: one group across server processes on Redis, against raw Channels group_send.

    .venv/bin/python bench/fanout.py              # needs a Redis: REDIS_URL, or one on 127.0.0.1:6379
    .venv/bin/python bench/fanout.py --rounds 1   # quicker

1000 websocket clients in one group, spread over 2 daphne processes sharing Redis, get 20
broadcast messages: time until every client got every message, deliveries per second, losses.
The same on 1 process with the in-memory layer. Each time against a raw async Channels
consumer's group_send on the same processes (bench/ws_app.py), and each with replay history on
(the default, ``WEBSOCKET_HISTORY_SIZE`` 500) and off (0): both sets of processes run side by
side and take turns, ours then raw, on then off, every round. Clients run on the same 2 cores.
"""

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import uuid
from contextlib import ExitStack
from pathlib import Path

import redis

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from ws import fanout, ours_event, raw_event  # noqa: E402

from tests.servers import AsgiServer, manage, project_env  # noqa: E402

CLIENTS, MESSAGES = 1000, 20
OURS, RAW = "hypergen broadcast", "raw async group_send"
#: Replay history on (the default) and off: HYPERGEN["WEBSOCKET_HISTORY_SIZE"].
REPLAY = {"replay on": None, "replay off": "0"}


def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        sys.exit(f"No Redis answers at {url}: start one, or set REDIS_URL.")
    return url


def start(stack: ExitStack, label: str, processes: int, tmp: Path, **env_extra: str) -> list[str]:
    """``processes`` daphne processes on one database; their websocket base URLs."""
    env = project_env(HYPERGEN_TEST_DB=str(tmp / f"{label}.sqlite3"), HYPERGEN_TEST_NO_RATE_LIMIT="1", **env_extra)
    env["PYTHONPATH"] = os.pathsep.join([str(BENCH), env["PYTHONPATH"]])
    manage("migrate", "--noinput", env=env)
    bases = []
    for n in range(processes):
        server = AsgiServer(env, application="ws_app:application", log_path=tmp / f"{label}-{n}.log").start()
        stack.callback(server.stop)
        bases.append(server.url.replace("http://", "ws://"))
    return bases


def run(setup: str, processes: int, tmp: Path, rounds: int, envs: dict[str, dict[str, str]]) -> dict:
    """{(replay, server): [result of each round]} for one setup: a set of processes per replay
    setting (``envs``: its extra environment), all running, taking turns every round."""
    results: dict = {}
    with ExitStack() as stack:
        bases = {}
        for replay, size in REPLAY.items():
            extra = {**envs.get(replay, {}), **({"HYPERGEN_TEST_HISTORY_SIZE": size} if size is not None else {})}
            bases[replay] = start(stack, f"{setup}-{replay}".replace(" ", "-"), processes, tmp, **extra)
        for _ in range(rounds):
            for replay, urls in bases.items():
                for name, path, make_event, is_delivery in (
                    (OURS, "/ws/bench-fanout/", ours_event, lambda f: f.get("t") == "commands"),
                    (RAW, "/raw/fanout/", raw_event, lambda f: "args" in f),
                ):
                    result = asyncio.run(
                        fanout([b + path for b in urls], make_event, is_delivery, sockets=CLIENTS, messages=MESSAGES)
                    )
                    results.setdefault((replay, name), []).append(result)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="measurements of each (default 3)")
    options = parser.parse_args()
    url = redis_url()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        prefixes = {replay: f"hypergen-bench-{uuid.uuid4().hex[:8]}:" for replay in REPLAY}
        try:
            results = {
                "2 processes, Redis": run(
                    "redis",
                    2,
                    Path(tmp),
                    options.rounds,
                    {r: {"REDIS_URL": url, "HYPERGEN_TEST_REDIS_PREFIX": prefix} for r, prefix in prefixes.items()},
                ),
                "1 process, in-memory": run("memory", 1, Path(tmp), options.rounds, {}),
            }
        finally:
            client = redis.Redis.from_url(url)
            for prefix in prefixes.values():
                for key in client.scan_iter(match=prefix + "*"):
                    client.delete(key)
    load_after = os.getloadavg()

    print(f"{CLIENTS} clients in one group x {MESSAGES} broadcast messages, {options.rounds} rounds")
    print(f"Load average (1, 5, 15 min) before: {' '.join(f'{x:.2f}' for x in load_before)}; "
          f"after: {' '.join(f'{x:.2f}' for x in load_after)}\n")  # fmt: skip
    print("| setup | replay | server | seconds to full delivery (median) | deliveries/s (median) | lost (all runs) "
          "| ours vs raw: median (each round) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for setup, rows in results.items():
        for replay in REPLAY:
            raw = [row["per_second"] for row in rows[replay, RAW]]
            for name in (OURS, RAW):
                runs = rows[replay, name]
                rates = [row["per_second"] for row in runs]
                ratios = [o / r for o, r in zip(rates, raw, strict=True)]
                each = ", ".join(f"{x:.2f}" for x in ratios)
                ratio = "-" if name == RAW else f"{statistics.median(ratios):.2f}x ({each})"
                seconds = statistics.median(row["seconds"] for row in runs)
                rate = statistics.median(rates)
                lost = sum(row["lost"] for row in runs)
                print(f"| {setup} | {replay} | {name} | {seconds:.2f} | {rate:,.0f} | {lost} | {ratio} |")


if __name__ == "__main__":
    main()
