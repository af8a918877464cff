"""500 sockets reconnecting at once after a kill -9 all get back, and none gets a 5xx.

With channels_redis' default pool (redis-py's asyncio pool: 100 connections, then it raises),
this burst produced HTTP 500s ("Too many connections"); hypergen.layers.RedisChannelLayer waits
for a free connection instead.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import websockets
from websockets.exceptions import InvalidStatus

from tests.servers import AsgiServer

SOCKETS = 500


@pytest.fixture
def lone_server(redis_env, tmp_path) -> Iterator[AsgiServer]:
    server = AsgiServer(redis_env, log_path=tmp_path / "daphne.log").start()
    yield server
    server.stop()


async def _connect(url: str, statuses: list[int], deadline: float) -> websockets.ClientConnection:
    while time.monotonic() < deadline:
        try:
            return await websockets.connect(url, open_timeout=10)
        except InvalidStatus as error:
            statuses.append(error.response.status_code)
        except (TimeoutError, OSError, websockets.exceptions.InvalidMessage):
            pass  # The server is not back yet: refused, reset or cut off mid-handshake.
        await asyncio.sleep(random.uniform(0.05, 0.3))
    raise TimeoutError(f"{url} did not accept a connection in time")


async def _scenario(server: AsgiServer) -> dict:
    url = server.url.replace("http://", "ws://") + "/ws/rooms/mass/"
    statuses: list[int] = []
    limit = asyncio.Semaphore(50)

    async def connect() -> websockets.ClientConnection:
        async with limit:
            return await _connect(url, statuses, time.monotonic() + 60)

    sockets = await asyncio.gather(*(connect() for _ in range(SOCKETS)))
    server.kill()
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    server.start()

    started = time.monotonic()
    # Everyone at once this time, as browsers whose server came back would.
    sockets = await asyncio.gather(*(_connect(url, statuses, started + 60) for _ in range(SOCKETS)))
    reconnect_seconds = time.monotonic() - started

    await sockets[0].send(json.dumps({"id": 1, "sid": "mass", "args": ["everyone back"], "meta": {}}))

    async def heard(ws: websockets.ClientConnection) -> bool:
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 15))
            if frame["t"] == "commands":
                return "everyone back" in frame["commands"][0][2]

    delivered = sum(await asyncio.gather(*(heard(ws) for ws in sockets)))
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    return {"statuses": statuses, "reconnect_seconds": reconnect_seconds, "delivered": delivered}


def test_500_sockets_reconnect_after_kill_9_without_a_single_5xx(lone_server: AsgiServer) -> None:
    # Its own thread and event loop: Playwright may keep a loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(asyncio.run, _scenario(lone_server)).result(timeout=240)
    server_errors = [status for status in result["statuses"] if status >= 500]
    assert server_errors == [], f"{len(server_errors)} handshakes answered 5xx"
    assert result["delivered"] == SOCKETS
    print(f"\n{SOCKETS} sockets back in {result['reconnect_seconds']:.1f} s")
