"""Many websockets at once, driven from sync test code: every frame and every close is recorded.

The sockets live on an event loop in a thread of their own, so a swarm works beside
Playwright's sync API (which keeps a loop running in the test's thread).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import websockets


@dataclass
class Peer:
    """One socket of a swarm: what it received, and how it ended."""

    url: str
    ws: Any = None
    frames: list[dict] = field(default_factory=list)
    close_code: int | None = None
    next_id: int = 1
    reading: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def closed(self) -> bool:
        return self.close_code is not None

    def texts(self) -> list[str]:
        """The last argument (the HTML or text) of every command received, in order."""
        return [str(command[-1]) for frame in self.commands_frames() for command in frame["commands"]]

    def commands_frames(self) -> list[dict]:
        return [frame for frame in self.frames if frame.get("t") == "commands"]


class Swarm:
    """``Swarm([url, url, ...])``: one socket per URL, opened at once and read all the time.

    The sockets send no Origin, as clients that are not browsers do; give ``origin`` to act as a page.
    The peers listed in ``not_reading`` read nothing until ``start_reading(index)``: the server's
    frames pile up in the network buffers, as for a client on a stalled connection.
    """

    def __init__(
        self, urls: list[str], origin: str | None = None, connect_limit: int = 50, not_reading: tuple[int, ...] = ()
    ) -> None:
        self.peers = [Peer(url) for url in urls]
        for index, peer in enumerate(self.peers):
            if index not in not_reading:
                peer.reading.set()
        self.origin = origin
        self.connect_limit = connect_limit
        self._readers: list[asyncio.Task] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self._run(self._connect_all(), timeout=120)

    def _run(self, coroutine: Any, timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    async def _connect_all(self) -> None:
        limit = asyncio.Semaphore(self.connect_limit)

        async def connect(peer: Peer) -> None:
            async with limit:
                peer.ws = await websockets.connect(
                    peer.url, origin=self.origin, open_timeout=30, max_size=None, max_queue=4
                )
            self._readers.append(self.loop.create_task(self._read(peer)))

        await asyncio.gather(*(connect(peer) for peer in self.peers))

    async def _read(self, peer: Peer) -> None:
        try:
            while True:
                await peer.reading.wait()
                peer.frames.append(json.loads(await peer.ws.recv()))
        except websockets.ConnectionClosed:
            pass
        peer.close_code = peer.ws.close_code if peer.ws.close_code is not None else 1006

    def send(self, index: int, *args: Any) -> int:
        """Send an event with ``args`` from peer ``index``; returns its id."""
        peer = self.peers[index]
        event_id = peer.next_id
        peer.next_id += 1
        frame = json.dumps({"id": event_id, "sid": f"swarm-{id(self)}-{index}", "args": list(args), "meta": {}})
        self._run(peer.ws.send(frame))
        return event_id

    def start_reading(self, index: int) -> None:
        self.loop.call_soon_threadsafe(self.peers[index].reading.set)

    def wait_until(self, condition: Callable[[], bool], timeout: float = 10, what: str = "the condition") -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"Timed out after {timeout} s waiting for {what}.")
            time.sleep(0.02)

    def closed(self) -> list[tuple[int, int | None]]:
        """(index, close code) of every peer whose socket was closed."""
        return [(index, peer.close_code) for index, peer in enumerate(self.peers) if peer.closed]

    def close(self) -> None:
        async def close_all() -> None:
            for peer in self.peers:
                peer.reading.set()  # A stalled peer's reader must see its socket close.
            await asyncio.gather(*(peer.ws.close() for peer in self.peers if peer.ws), return_exceptions=True)
            await asyncio.gather(*self._readers, return_exceptions=True)

        try:
            self._run(close_all())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)
            self.loop.close()
