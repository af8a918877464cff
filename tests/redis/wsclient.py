"""A small websocket client for the multi-process tests (the `websockets` library, run synchronously).

Its event loop runs in a thread of its own, so it works beside Playwright's sync API, which
keeps an event loop running in the test's thread.
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from typing import Any

import websockets


class Client:
    """One websocket, driven from sync test code."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.ws = self._run(self._connect())
        self.sid = uuid.uuid4().hex
        self.next_id = 1

    async def _connect(self) -> Any:
        return await websockets.connect(self.url)

    def _run(self, coroutine: Any, timeout: float = 10) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def send(self, *args: Any) -> None:
        event = {"id": self.next_id, "sid": self.sid, "args": list(args), "meta": {}}
        self.next_id += 1
        self._run(self.ws.send(json.dumps(event)))

    def frame(self, timeout: float = 5) -> dict:
        return json.loads(self._run(asyncio.wait_for(self.ws.recv(), timeout), timeout + 1))

    def commands(self, timeout: float = 5) -> list:
        """The commands of the next commands frame (acks in between are skipped)."""
        while True:
            frame = self.frame(timeout)
            if frame["t"] == "commands":
                return frame["commands"]
            if frame["t"] == "error":
                raise AssertionError(f"error frame: {frame}")

    def close(self) -> None:
        self._run(self.ws.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


def ws_url(server: Any, path: str) -> str:
    return server.url.replace("http://", "ws://") + path
