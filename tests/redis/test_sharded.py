"""Groups sharded over two Redis instances, end to end: two daphne processes whose channel layer has
two hosts (channels_redis picks a group's or a channel's Redis by consistent hashing)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.redis.wsclient import Client, ws_url
from tests.redis_server import PrivateRedis
from tests.servers import AsgiServer, manage, project_env

ROOMS = [f"shard-{n}" for n in range(8)]  # Enough groups that both Redis instances hold some.


@pytest.fixture(scope="module")
def two_redis() -> Iterator[list[PrivateRedis]]:
    instances = [PrivateRedis().start() for _ in range(2)]
    yield instances
    for instance in instances:
        instance.stop()


@pytest.fixture(scope="module")
def sharded_cluster(two_redis: list[PrivateRedis], tmp_path_factory: pytest.TempPathFactory) -> Iterator[list]:
    tmp: Path = tmp_path_factory.mktemp("sharded")
    env = project_env(
        HYPERGEN_TEST_DB=str(tmp / "db.sqlite3"),
        HYPERGEN_TEST_REDIS_HOSTS=",".join(instance.url for instance in two_redis),
        HYPERGEN_TEST_REDIS_PREFIX=f"hypergen-shard-{uuid.uuid4().hex[:8]}:",
    )
    manage("migrate", "--noinput", env=env)
    servers = [AsgiServer(env, log_path=tmp / f"daphne-{n}.log").start() for n in range(2)]
    yield servers
    for server in servers:
        server.stop()


def groups_per_redis(two_redis: list[PrivateRedis], prefix: str) -> list[int]:
    return [len(list(redis.Redis.from_url(r.url).scan_iter(match=f"{prefix}*group:*"))) for r in two_redis]


def test_groups_spread_over_two_redis_reach_both_processes_in_order(sharded_cluster, two_redis) -> None:
    one, two = sharded_cluster
    prefix = one.env["HYPERGEN_TEST_REDIS_PREFIX"]
    pairs = {
        room: (Client(ws_url(one, f"/ws/rooms/{room}/")), Client(ws_url(two, f"/ws/rooms/{room}/"))) for room in ROOMS
    }
    try:
        # The groups really are spread: each Redis holds some of them (8 rooms: 5 and 3 when written).
        # A socket may be accepted a moment before its group_add lands: wait for all of them.
        deadline = time.monotonic() + 10
        while sum(groups := groups_per_redis(two_redis, prefix)) < len(ROOMS) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert all(groups) and sum(groups) == len(ROOMS), f"groups per Redis: {groups}"
        for room, (a, b) in pairs.items():
            seqs = []
            for n, (sender, receiver) in enumerate([(a, b), (b, a), (a, b)]):
                sender.send(f"{room} message {n}")
                expected = [["hypergen.append", "messages", f"<li>{room} message {n}</li>"]]
                for client in (sender, receiver):
                    while True:
                        frame = client.frame()
                        if frame["t"] == "commands":
                            break
                    assert frame["commands"] == expected
                    seqs.append(frame["seq"])
            # Both sockets get the group's numbers, one after the other, whichever process sent.
            assert seqs == [seqs[0]] * 2 + [seqs[0] + 1] * 2 + [seqs[0] + 2] * 2, (room, seqs)
    finally:
        for a, b in pairs.values():
            a.close()
            b.close()
