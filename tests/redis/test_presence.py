"""Presence across processes on Redis: who is in a group, whichever process holds their socket."""

import asyncio
import concurrent.futures
import json
import re
import uuid

from hypergen.layers import RedisChannelLayer
from tests.redis.wsclient import Client, ws_url


def online(client: Client) -> list[str]:
    while True:
        frame = client.frame()
        if frame["t"] == "commands" and frame["commands"][0][:2] == ["hypergen.morph", "online"]:
            return re.findall(r"<li[^>]*>([^<]*)</li>", frame["commands"][0][2])


def test_members_on_two_processes_see_each_other_come_and_go(cluster) -> None:
    one, two = cluster
    first = Client(ws_url(one, "/ws/present/across/"))
    assert online(first) == ["anonymous"]
    second = Client(ws_url(two, "/ws/present/across/?mood=keen"))
    try:
        assert online(second) == ["anonymous", "anonymous"]
        assert online(first) == ["anonymous", "anonymous"]  # Told on the other process too.
        first.close()
        assert online(second) == ["anonymous"]
    finally:
        second.close()


def test_members_a_dead_process_left_behind_are_dropped_after_the_group_expiry(redis_url) -> None:
    layer = RedisChannelLayer(hosts=[redis_url], prefix=f"hypergen-presence-{uuid.uuid4().hex[:8]}:", group_expiry=2)

    async def scenario() -> tuple:
        entry = json.dumps({"user": None, "meta": {}, "since": 0})
        await layer.presence_join("room", "dead!one", entry)
        layer._present.clear()  # The process died: nobody refreshes its member.
        await layer.presence_join("room", "live!two", entry)
        before = sorted(await layer.presence_entries("room"))
        await asyncio.sleep(2.2)
        await layer._refresh_memberships()  # The live process refreshes its own.
        after = sorted(await layer.presence_entries("room"))
        await layer.close_pools()
        return before, after

    # In a thread of its own: the package's browser (Playwright) may have a loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        before, after = thread.submit(asyncio.run, scenario()).result(timeout=30)
    assert before == ["dead!one", "live!two"]
    assert after == ["live!two"]
