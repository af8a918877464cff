"""hypergen.layers.RedisChannelLayer on a real Redis, in this process: receiving, groups, outages."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Iterator

import pytest
import redis

from hypergen.layers import RedisChannelLayer
from tests.redis_server import PrivateRedis


def make_layer(url: str, **config) -> RedisChannelLayer:
    return RedisChannelLayer(hosts=[url], prefix=f"hypergen-layer-test-{uuid.uuid4().hex[:8]}:", **config)


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 30))


def test_blocking_reads_wait_longer_than_the_blocking_pop_and_other_commands_keep_their_timeout(redis_url) -> None:
    layer = make_layer(f"{redis_url}?socket_timeout=5")

    async def timeouts() -> tuple:
        blocking = layer._blocking_client(0).connection_pool.connection_kwargs["socket_timeout"]
        other = layer.connection(0).connection_pool.connection_kwargs["socket_timeout"]
        await layer.close_pools()
        return blocking, other

    assert run(timeouts()) == (layer.brpop_timeout + 5, 5)


def test_a_receive_waits_past_redis_pys_read_timeout(redis_url) -> None:
    layer = make_layer(f"{redis_url}?socket_timeout=1")
    layer.brpop_timeout = 2  # The pop outlasts the 1 s read timeout of ordinary commands.

    async def scenario() -> dict:
        channel = await layer.new_channel()
        receiving = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(5)  # Two pops time out on Redis' side meanwhile; the receive must survive them.
        assert not receiving.done(), receiving
        await layer.send(channel, {"type": "after.idle"})
        message = await receiving
        await layer.close_pools()
        return message

    assert run(scenario()) == {"type": "after.idle"}


def test_a_cancelled_receive_loses_no_message_of_another_socket(redis_url) -> None:
    layer = make_layer(redis_url)

    async def scenario() -> list:
        leaving, staying = await layer.new_channel(), await layer.new_channel()
        await layer.group_add("room", leaving)
        await layer.group_add("room", staying)
        received = []
        for n in range(50):
            # The socket that leaves is waiting when the message arrives, and goes away at once.
            gone = asyncio.ensure_future(layer.receive(leaving))
            await asyncio.sleep(0)
            await layer.group_send("room", {"type": "chat", "n": n})
            gone.cancel()
            received.append((await layer.receive(staying))["n"])
        await layer.close_pools()
        return received

    assert run(scenario()) == list(range(50))


def test_a_message_for_a_socket_that_is_not_reading_yet_waits_for_it(redis_url) -> None:
    layer = make_layer(redis_url)

    async def scenario() -> list:
        early, late = await layer.new_channel(), await layer.new_channel()
        first = asyncio.ensure_future(layer.receive(early))  # Starts the process's pump.
        await layer.send(late, {"type": "before.reading"})
        await layer.send(early, {"type": "sentinel"})
        await first
        message = await layer.receive(late)
        await layer.close_pools()
        return [message]

    assert run(scenario()) == [{"type": "before.reading"}]


def test_a_socket_that_stops_reading_loses_its_oldest_messages_with_a_warning(redis_url, caplog) -> None:
    layer = make_layer(redis_url, capacity=5)

    async def scenario() -> list:
        stuck, reader = await layer.new_channel(), await layer.new_channel()
        for channel in (stuck, reader):
            await layer.group_add("burst", channel)
        pending = asyncio.ensure_future(layer.receive(reader))
        for n in range(8):
            await layer.group_send("burst", {"type": "n", "n": n})
            if n < 4:
                await pending
                pending = asyncio.ensure_future(layer.receive(reader))
        await layer.send(stuck, {"type": "n", "n": "sentinel"})
        await asyncio.sleep(0.5)  # Let the pump deliver the sentinel (the stuck socket is not reading).
        pending.cancel()
        kept = [(await layer.receive(stuck))["n"] for _ in range(5)]
        await layer.close_pools()
        return kept

    with caplog.at_level(logging.WARNING, logger="hypergen.layers"):
        kept = run(scenario())
    assert kept == [4, 5, 6, 7, "sentinel"]
    assert "is not reading: 1 message(s) dropped" in caplog.text


def test_the_process_keeps_its_group_memberships_alive(redis_url) -> None:
    layer = make_layer(redis_url, group_expiry=4)  # Refreshed every second.
    layer.brpop_timeout = 1
    client = redis.Redis.from_url(redis_url)

    async def scenario() -> dict:
        channel = await layer.new_channel()
        await layer.group_add("kept", channel)
        receiving = asyncio.ensure_future(layer.receive(channel))
        client.delete(layer._group_key("kept"))  # As if Redis had lost it.
        await asyncio.sleep(3)
        await layer.group_send("kept", {"type": "still.here"})
        message = await receiving
        await layer.close_pools()
        return message

    assert run(scenario()) == {"type": "still.here"}
    client.close()


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis().start()
    yield server
    server.stop()


def test_sockets_ride_out_a_redis_restart_and_their_groups_come_back(private_redis, caplog) -> None:
    layer = make_layer(private_redis.url)

    async def scenario() -> dict:
        channel = await layer.new_channel()
        await layer.group_add("survivors", channel)
        receiving = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(0.2)
        private_redis.stop()  # Nothing kept on disk: the group is gone with it.
        await asyncio.sleep(3)
        assert not receiving.done(), receiving
        private_redis.start()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 5
        while not receiving.done():
            assert loop.time() < deadline, "the group message did not arrive within 5 s of Redis coming back"
            # This process's own connections notice the restart on first use.
            with contextlib.suppress(redis.ConnectionError, OSError):
                await layer.group_send("survivors", {"type": "back"})
            await asyncio.sleep(0.2)
        message = receiving.result()
        await layer.close_pools()
        return message

    with caplog.at_level(logging.INFO, logger="hypergen.layers"):
        assert run(scenario()) == {"type": "back"}
    records = [record for record in caplog.records if record.name == "hypergen.layers"]
    assert [record.levelname for record in records] == ["ERROR", "WARNING"], caplog.text
    assert "unreachable" in records[0].message
    assert "reachable again" in records[1].message


def test_two_processes_sending_at_once_number_and_deliver_in_one_order(redis_url) -> None:
    # Two layers with their own client prefixes stand for two processes sharing one Redis.
    prefix = f"hypergen-layer-test-{uuid.uuid4().hex[:8]}:"
    one, two = (RedisChannelLayer(hosts=[redis_url], prefix=prefix, capacity=500) for _ in range(2))

    async def scenario() -> list[list[int]]:
        readers = [await one.new_channel(), await two.new_channel()]
        for layer, channel in zip((one, two), readers, strict=True):
            await layer.group_add("race", channel)

        async def send(layer: RedisChannelLayer, name: str) -> None:
            for n in range(100):
                await layer.send_numbered("race", [f'["{name}", {n}]'], "hypergen.frame")

        await asyncio.gather(send(one, "one"), send(two, "two"))
        received = []
        for layer, channel in zip((one, two), readers, strict=True):
            received.append([(await layer.receive(channel))["seq"] for _ in range(200)])
        for layer in (one, two):
            await layer.close_pools()
        return received

    first, second = run(scenario())
    assert first == list(range(1, 201))
    assert second == first


def test_numbered_messages_keep_their_order_from_sync_code_too(redis_url) -> None:
    layer = make_layer(redis_url)

    async def scenario() -> list[dict]:
        channel = await layer.new_channel()
        await layer.group_add("mixed", channel)
        await layer.send_numbered("mixed", ["[1]", "[2]"], "hypergen.frame")
        await asyncio.to_thread(layer.send_numbered_sync, "mixed", ["[3]"], "hypergen.frame")
        messages = [await layer.receive(channel) for _ in range(3)]
        await layer.close_pools()
        return messages

    assert run(scenario()) == [
        {"type": "hypergen.frame", "seq": 1, "body": "[1]"},
        {"type": "hypergen.frame", "seq": 2, "body": "[2]"},
        {"type": "hypergen.frame", "seq": 3, "body": "[3]"},
    ]


def test_groups_sharded_over_two_redis_are_numbered_too(redis_url) -> None:
    base = redis_url.rsplit("/", 1)[0]
    layer = RedisChannelLayer(hosts=[f"{base}/14", f"{base}/15"], prefix=f"hypergen-shard-{uuid.uuid4().hex[:8]}:")
    assert not layer.numbers_atomically

    async def scenario() -> list[int]:
        channels = [await layer.new_channel() for _ in range(3)]
        for channel in channels:
            await layer.group_add("sharded", channel)
        for n in range(5):
            await layer.send_numbered("sharded", [f"[{n}]"], "hypergen.frame")
        seqs = [[(await layer.receive(channel))["seq"] for _ in range(5)] for channel in channels]
        await layer.close_pools()
        return seqs

    assert run(scenario()) == [[1, 2, 3, 4, 5]] * 3


@pytest.mark.parametrize("sharded", [False, True])
def test_each_groups_recent_messages_are_kept_in_order_under_one_epoch(redis_url, settings, sharded) -> None:
    settings.HYPERGEN = {"WEBSOCKET_HISTORY_SIZE": 3}
    base = redis_url.rsplit("/", 1)[0]
    hosts = [f"{base}/14", f"{base}/15"] if sharded else [redis_url]
    layer = RedisChannelLayer(hosts=hosts, prefix=f"hypergen-history-{uuid.uuid4().hex[:8]}:")

    async def scenario() -> tuple:
        before = await layer.group_position("kept")
        await layer.send_numbered("kept", ["[1]", "[2]"], "hypergen.frame")
        if sharded:
            await layer.send_numbered("kept", ["[3]", "[4]"], "hypergen.frame")
        else:
            await asyncio.to_thread(layer.send_numbered_sync, "kept", ["[3]", "[4]"], "hypergen.frame")
        after = await layer.group_history("kept", 1)
        await layer.close_pools()
        return before, after

    (epoch_before, last_before), (epoch, last, kept) = run(scenario())
    assert (last_before, last) == (0, 4)
    assert epoch == epoch_before  # Named before the first message, kept by it.
    assert [(seq, body) for seq, _, body in kept] == [(2, "[2]"), (3, "[3]"), (4, "[4]")]  # The last 3.


def test_numbers_that_start_over_come_with_a_new_epoch(private_redis) -> None:
    layer = make_layer(private_redis.url)

    async def scenario() -> tuple:
        await layer.send_numbered("flushed", ["[1]"], "hypergen.frame")
        before = await layer.group_position("flushed")
        redis.Redis.from_url(private_redis.url).flushall()
        after = await layer.group_position("flushed")
        await layer.close_pools()
        return before, after

    (epoch_before, last_before), (epoch_after, last_after) = run(scenario())
    assert (last_before, last_after) == (1, 0)
    assert epoch_before != epoch_after


def test_a_message_too_large_to_keep_is_delivered_but_not_kept(redis_url, settings) -> None:
    settings.HYPERGEN = {"WEBSOCKET_HISTORY_MAX_MESSAGE_BYTES": 10}
    layer = make_layer(redis_url)

    async def scenario() -> tuple:
        channel = await layer.new_channel()
        await layer.group_add("big", channel)
        await layer.send_numbered("big", ["[1]", "[" + "x" * 50 + "]"], "hypergen.frame")
        received = [(await layer.receive(channel))["seq"] for _ in range(2)]
        _, _, kept = await layer.group_history("big", 0)
        await layer.close_pools()
        return received, [seq for seq, _, _ in kept]

    assert run(scenario()) == ([1, 2], [1])


@pytest.mark.parametrize("atomic", [True, False])
def test_history_size_0_keeps_nothing_in_redis_but_numbers_on(redis_url, settings, monkeypatch, atomic) -> None:
    if not atomic:  # The transaction path (several Redis servers, or encryption).
        monkeypatch.setattr(RedisChannelLayer, "numbers_atomically", property(lambda layer: False))
    layer = RedisChannelLayer(hosts=[redis_url], prefix=f"hypergen-nohistory-{uuid.uuid4().hex[:8]}:")

    async def scenario() -> tuple:
        settings.HYPERGEN = {"WEBSOCKET_HISTORY_SIZE": 3}
        await layer.send_numbered("off", ["[1]"], "hypergen.frame")
        kept_before = (await layer.group_history("off", 0))[2]
        settings.HYPERGEN = {"WEBSOCKET_HISTORY_SIZE": 0}
        await layer.send_numbered("off", ["[2]", "[3]"], "hypergen.frame")
        _, last, kept = await layer.group_history("off", 0)
        exists = await layer.connection(layer.consistent_hash("off")).exists(layer._history_key("off"))
        await layer.close_pools()
        return len(kept_before), last, kept, exists

    assert run(scenario()) == (1, 3, [], 0)  # Numbered on; what was kept before is gone too.


def test_an_event_claim_is_let_go_only_by_its_holder(redis_url) -> None:
    """A claim whose lease lapsed (Redis away longer than it) and was taken by another process."""
    from hypergen.websocket.store import RedisStore

    store = RedisStore(make_layer(redis_url))
    client = store.layer._sync_client()
    running = store.key("running", "page")
    assert store.claim_event("page", 1) is True
    assert store.claim_event("page", 1) is None  # Running: a resend waits.
    client.set(running, "1")  # This process's lease lapsed; another process claimed the event.
    store.finish_event("page", 1, 60)
    assert client.get(running) == b"1", "finishing removed another process's claim"
    assert store.claim_event("page", 1) is False  # Ran: a resend is acknowledged.
    assert store.claim_event("page", 2) is None  # The other process still runs the page's events.
    client.delete(running)
    assert store.claim_event("page", 2) is True
    store.release_event("page", 2)  # Stopped half way: not counted as run.
    assert store.claim_event("page", 2) is True
    store.finish_event("page", 2, 60)
    assert store.claim_event("page", 2) is False
