"""kill -9 of a process holding sockets: they all come back to it, nobody else loses a message, and
its dead sockets leave their Redis group within group_expiry instead of a day.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import redis
import websockets
from websockets.exceptions import InvalidStatus

from tests.servers import ws_url
from tests.swarm import Swarm

ON_KILLED, ON_SURVIVOR = 200, 10  # bench/load.py kills a process holding 500.
GROUP_EXPIRY = 8  # Seconds; refreshed every 2 by the live processes.


def members_per_process(client: redis.Redis, pattern: str) -> Counter:
    """How many channels of each process (by its client prefix) the group keys matching ``pattern`` hold."""
    members = set()
    for key in client.scan_iter(match=pattern):
        members.update(member.decode() for member in client.zrange(key, 0, -1))
    return Counter(member.split("!")[0] for member in members)


async def reconnect_all(
    url: str, count: int, deadline: float, connected_at: list[float] | None = None
) -> tuple[list, list[int]]:
    """Connect ``count`` sockets to ``url``, each retrying until ``deadline``: the sockets, and the HTTP
    statuses of refused handshakes. The time.monotonic() of each connection goes to ``connected_at``."""
    statuses: list[int] = []
    connected_at = [] if connected_at is None else connected_at

    async def one() -> websockets.ClientConnection:
        while time.monotonic() < deadline:
            try:
                ws = await websockets.connect(url, open_timeout=10)
                connected_at.append(time.monotonic())
                return ws
            except InvalidStatus as error:
                statuses.append(error.response.status_code)
            except (TimeoutError, OSError, websockets.exceptions.InvalidMessage):
                pass
            await asyncio.sleep(0.1)
        raise TimeoutError(f"{url} did not take a connection in time")

    return await asyncio.gather(*(one() for _ in range(count))), statuses


async def close_all(sockets: list) -> None:
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)


def test_kill_9_loses_no_message_elsewhere_and_its_sockets_leave_the_group(start_servers, redis_url) -> None:
    killed, survivor = start_servers(2, redis_url, HYPERGEN_TEST_GROUP_EXPIRY=str(GROUP_EXPIRY))
    path = "/ws/rooms/killed/"
    doomed = Swarm([ws_url(killed, path)] * ON_KILLED)
    staying = Swarm([ws_url(survivor, path)] * ON_SURVIVOR)
    client = redis.Redis.from_url(redis_url)
    group_keys = f"{killed.env['HYPERGEN_TEST_REDIS_PREFIX']}*group*_ws_rooms_killed_*"
    try:
        [dead_process] = [
            process for process, count in members_per_process(client, group_keys).items() if count == ON_KILLED
        ]
        killed.kill()
        doomed.wait_until(lambda: len(doomed.closed()) == ON_KILLED, what="the killed process's sockets to drop")

        restarted = time.monotonic()
        killed.start()
        sockets, statuses = asyncio.run_coroutine_threadsafe(
            reconnect_all(ws_url(killed, path), ON_KILLED, restarted + 30), staying.loop
        ).result(60)
        back_after = time.monotonic() - restarted
        assert [status for status in statuses if status >= 500] == []

        # The survivor's clients hear every message while the dead sockets are still members, and
        # until they are gone (each group message drops the members not refreshed for GROUP_EXPIRY).
        sent = 0
        while dead_process in members_per_process(client, group_keys):
            assert sent < (GROUP_EXPIRY + 10) * 5, "the dead process's sockets are still in the group"
            staying.send(sent % ON_SURVIVOR, f"message {sent}")
            sent += 1
            time.sleep(0.2)
        staying.wait_until(lambda: all(len(peer.texts()) == sent for peer in staying.peers), what="every message")
        for peer in staying.peers:
            assert peer.texts() == [f"<li>message {n}</li>" for n in range(sent)]
        print(f"\n{ON_KILLED} sockets back in {back_after:.1f} s; the dead ones left the group within {sent / 5:.1f} s")
        asyncio.run_coroutine_threadsafe(close_all(sockets), staying.loop).result(30)
    finally:
        doomed.close()
        staying.close()
        client.close()
