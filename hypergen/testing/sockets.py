"""A test page's websocket to a @consumer: Channels' WebsocketCommunicator on the shared socket loop.

Frames are returned to the page, which applies them in the order they arrived, as the browser
does. ``send_event`` returns once the event is answered and every group message it caused has
arrived (on the in-memory channel layer): the page can be checked right after a click.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import Any
from urllib.parse import urlsplit

from channels.testing import WebsocketCommunicator

from hypergen.testing.loop import socket_loop
from hypergen.websocket.diff import ReceivedHtml

PING = json.dumps({"t": "ping"}, separators=(",", ":"))
CLOSE_MEANINGS = {
    4403: "refused: permission, a Host not in ALLOWED_HOSTS, or another site's Origin",
    4404: "no consumer at this path",
    1013: "the server cannot take the socket now (the channel layer is unreachable)",
    4429: "rate limited",
}


class SocketClosed(Exception):
    """The server closed the socket (``code``)."""

    def __init__(self, code: int | None) -> None:
        super().__init__(code)
        self.code = code


class TestSocket:
    """One socket of a page: its URL, its events' numbers, and the frames received."""

    __test__ = False  # Not a pytest test class, whatever its name.

    def __init__(self, application: Any, url: str, headers: list[tuple[bytes, bytes]]) -> None:
        self.url = url
        self.sid = secrets.token_hex(12)  # The browser's random socket id (docs/protocol.md).
        self.next_id = 1
        self.close_code: int | None = None
        self._application = application
        self._headers = headers
        self._communicator: WebsocketCommunicator | None = None

    @property
    def is_open(self) -> bool:
        return self._communicator is not None and self.close_code is None

    # Run from the test's thread ----------------------------------------------------------------

    def connect(self, timeout: float) -> list[dict]:
        """Connect; returns the frames already sent (a refusal's close among them)."""
        return socket_loop.run(self._connect(timeout), timeout + 1)

    def send_event(self, payload: dict, timeout: float) -> tuple[int, list[dict]]:
        """Send an event; returns its id and the frames received until it was answered."""
        event_id = self.next_id
        self.next_id += 1
        text = json.dumps({"id": event_id, "sid": self.sid, **payload}, separators=(",", ":"), ensure_ascii=False)
        return event_id, socket_loop.run(self._send_event(text, event_id, timeout), timeout + 1)

    def receive(self, timeout: float) -> list[dict]:
        """The frames that arrived; waits up to ``timeout`` for one if none has (then returns [])."""
        return socket_loop.run(self._receive(timeout), timeout + 1)

    def close(self) -> None:
        """Disconnect (also after the server closed it: its application ends when told the client left)."""
        communicator, self._communicator = self._communicator, None
        if communicator is None:
            return
        if self.close_code is None:
            self.close_code = 1000
        try:
            socket_loop.run(communicator.disconnect(code=1000, timeout=3), 5)
        finally:
            socket_loop.forget(communicator)

    # On the socket loop ------------------------------------------------------------------------

    async def _connect(self, timeout: float) -> list[dict]:
        path = urlsplit(self.url)._replace(scheme="", netloc="").geturl()
        self.received_html = ReceivedHtml()  # Splices refer to this connection's frames only.
        self._communicator = WebsocketCommunicator(self._application, path, headers=self._headers)
        # The loop holds its tasks weakly: a page dropped without close() must not take its open
        # socket's task with it mid-await (Python would report the coroutine it cut short).
        socket_loop.keep(self._communicator)
        connected, code = await self._communicator.connect(timeout=timeout)
        if not connected:
            self.close_code = code if isinstance(code, int) else 1006
            return []
        # A refusal is an accept and a close at once: give it the time to arrive.
        await asyncio.sleep(0)
        return await self._pending()

    async def _send_event(self, text: str, event_id: int, timeout: float) -> list[dict]:
        await self._communicator.send_to(text_data=text)
        frames = await self._until(lambda frame: _answers(frame, event_id), timeout)
        # The ack may overtake the group message of the same event (docs/protocol.md). Two pings
        # are answered only after the consumer has forwarded what was already in its channel.
        for _ping in range(2):
            if self.close_code is not None:
                break
            await self._communicator.send_to(text_data=PING)
            frames += await self._until(lambda frame: frame.get("t") == "pong", timeout)
        return [frame for frame in frames if frame.get("t") != "pong"]

    async def _receive(self, timeout: float) -> list[dict]:
        frames = await self._pending()
        if frames or self.close_code is not None:
            return frames
        try:
            frames.append(await self._next(timeout))
        except TimeoutError:
            return []
        return frames + await self._pending()

    async def _until(self, done: Any, timeout: float) -> list[dict]:
        frames: list[dict] = []
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            left = deadline - asyncio.get_running_loop().time()
            frame = await self._next(max(left, 0))
            frames.append(frame)
            if done(frame) or frame.get("t") == "close":
                return frames

    async def _pending(self) -> list[dict]:
        frames = []
        while self.close_code is None and not self._communicator.output_queue.empty():
            frames.append(await self._next(1))
        return frames

    async def _next(self, timeout: float) -> dict:
        """The next frame, decoded; a close becomes ``{"t": "close", "code": ...}``."""
        if self.close_code is not None:
            raise SocketClosed(self.close_code)
        communicator = self._communicator
        if communicator.future.done():
            communicator.future.result()  # The application crashed: raise its exception here.
        try:
            # Not receive_output(): on a timeout it would cancel the application, closing the socket.
            message = await asyncio.wait_for(communicator.output_queue.get(), timeout)
        except TimeoutError:
            raise TimeoutError(f"no frame from {self.url} within {timeout:.1f} s") from None
        if message["type"] == "websocket.close":
            self.close_code = message.get("code", 1000)
            return {"t": "close", "code": self.close_code}
        if message["type"] != "websocket.send" or message.get("text") is None:
            return {"t": "bad", "message": f"unexpected message {message!r:.200}"}
        try:
            return json.loads(message["text"])
        except ValueError:
            return {"t": "bad", "message": f"a frame that is not JSON: {message['text']!r:.200}"}


def _answers(frame: dict, event_id: int) -> bool:
    """Whether ``frame`` answers event ``event_id``: its ack, its error, or the sender-only answer."""
    kind = frame.get("t")
    if kind == "ack" or kind == "error":
        return frame.get("id") == event_id
    return kind == "commands" and frame.get("ack") == event_id
