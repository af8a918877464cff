"""Fan-out benchmark: one group across server processes on Redis, against raw Channels group_send.

    .venv/bin/python bench/fanout.py       # needs a Redis: REDIS_URL, or one on 127.0.0.1:6379

1000 websocket clients in one group, spread over 2 daphne processes sharing Redis, get 20
broadcast messages: time until every client got every message, deliveries per second, losses.
The same on 1 process with the in-memory layer. Each time against a raw async Channels
consumer's group_send on the same setup (bench/ws_app.py). Clients run on the same 2 cores.
"""

import asyncio
import os
import sys
import tempfile
import uuid
from pathlib import Path

import redis

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from ws import fanout, ours_event, raw_event  # noqa: E402

from tests.servers import AsgiServer, manage, project_env  # noqa: E402

CLIENTS, MESSAGES = 1000, 20


def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        sys.exit(f"No Redis answers at {url}: start one, or set REDIS_URL.")
    return url


def run(setup: str, processes: int, tmp: Path, **env_extra: str) -> dict:
    env = project_env(HYPERGEN_TEST_DB=str(tmp / f"{setup}.sqlite3"), HYPERGEN_TEST_NO_RATE_LIMIT="1", **env_extra)
    env["PYTHONPATH"] = os.pathsep.join([str(BENCH), env["PYTHONPATH"]])
    manage("migrate", "--noinput", env=env)
    servers = [AsgiServer(env, application="ws_app:application").start() for _ in range(processes)]
    bases = [server.url.replace("http://", "ws://") for server in servers]
    try:
        ours = asyncio.run(
            fanout([b + "/ws/bench-fanout/" for b in bases], ours_event, lambda f: f.get("t") == "commands",
                   sockets=CLIENTS, messages=MESSAGES)
        )  # fmt: skip
        raw = asyncio.run(
            fanout([b + "/raw/fanout/" for b in bases], raw_event, lambda f: "args" in f,
                   sockets=CLIENTS, messages=MESSAGES)
        )  # fmt: skip
    finally:
        for server in servers:
            server.stop()
    return {"hypergen broadcast": ours, "raw async group_send": raw}


def main() -> None:
    url = redis_url()
    prefix = f"hypergen-bench-{uuid.uuid4().hex[:8]}:"
    with tempfile.TemporaryDirectory() as tmp:
        results = {
            "2 processes, Redis": run("redis", 2, Path(tmp), REDIS_URL=url, HYPERGEN_TEST_REDIS_PREFIX=prefix),
            "1 process, in-memory": run("memory", 1, Path(tmp)),
        }
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=prefix + "*"):
        client.delete(key)

    print(f"{CLIENTS} clients in one group x {MESSAGES} broadcast messages\n")
    print("| setup | server | seconds to full delivery | deliveries/s | lost | ours vs raw |")
    print("|---|---|---|---|---|---|")
    for setup, rows in results.items():
        raw = rows["raw async group_send"]["per_second"]
        for name, row in rows.items():
            ratio = "-" if name.startswith("raw") else f"{row['per_second'] / raw:.2f}x"
            print(f"| {setup} | {name} | {row['seconds']:.2f} | {row['per_second']:,.0f} | {row['lost']} | {ratio} |")


if __name__ == "__main__":
    main()
