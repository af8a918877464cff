"""Limits per socket: how fast a client may send (a token bucket), and how much may wait for a slow reader.

Over the rate, a frame is refused on the event loop, before it costs a thread or a database
query: an event gets an error frame ``rate-limited`` with its id (answered, not run), a ping its
pong. A socket refused ``WEBSOCKET_RATE_LIMIT_CLOSE_AFTER`` times within ``STRIKE_WINDOW`` seconds
is closed with 4429. Settings: docs/security.md, "Rate limit per socket".
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from hypergen import signals
from hypergen.conf import hypergen_settings
from hypergen.websocket import protocol

logger = logging.getLogger("hypergen.websocket")

#: Seconds over which a socket's refused frames are counted towards closing it.
STRIKE_WINDOW = 10.0


class TokenBucket:
    """``rate`` tokens a second, at most ``burst`` kept; each frame takes one."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.tokens = float(burst)
        self.updated = clock()

    def take(self) -> bool:
        """Take a token if there is one."""
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class RateLimit:
    """One socket's rate limit: its bucket, and its refusals counted in a window."""

    def __init__(self, rate: float, burst: int, close_after: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.bucket = TokenBucket(rate, burst, clock)
        self.close_after = close_after
        self.clock = clock
        self.refused = 0
        self.window_start = clock()

    def strike(self) -> bool:
        """Count a refused frame; True when the socket has been refused too often and must close."""
        now = self.clock()
        if now - self.window_start > STRIKE_WINDOW:
            self.refused, self.window_start = 0, now
        self.refused += 1
        return self.refused >= self.close_after

    def message(self) -> str:
        return (
            f"Too many messages: at most {self.bucket.burst} at once and {self.bucket.rate:g} a second. "
            "This one was not run."
        )


def rate_limit() -> RateLimit | None:
    """A new socket's rate limit from the settings; None when ``WEBSOCKET_RATE`` is None."""
    config = hypergen_settings()
    if config.websocket_rate is None:
        return None
    return RateLimit(config.websocket_rate, config.websocket_burst, config.websocket_rate_limit_close_after)


async def admit(consumer: Any, text: str | None) -> bool:
    """True: handle this frame. False: refused over the rate limit (answered, or the socket closed)."""
    limit = consumer.rate_limit
    if limit is None or limit.bucket.take():
        return True
    path = consumer.scope.get("path")
    closing = limit.strike()
    await signals.asend(signals.rate_limited, consumer.info, path=path, closed=closing)
    if closing:
        logger.warning("websocket %s: closed with 4429: %s", path, limit.message())
        await consumer.wait_for_events()  # The events let in before get their answers first.
        await consumer.close(code=protocol.CLOSE_RATE_LIMITED)
        consumer.gone = True  # Nothing more for it: what it still sends and its group's messages are dropped.
        return False
    if limit.refused == 1:
        logger.warning("websocket %s: over its rate limit; refusing frames", path)
    if text == protocol.PING_FRAME:
        await consumer.send_text(protocol.PONG_FRAME)  # The heartbeat: refusing it would look like a dead link.
    elif text is not None and protocol.REPLAY_REQUEST.match(text):
        pass  # The page asks again after a moment.
    else:
        event_id = protocol.leading_event_id(text) if text is not None else None
        # After the answers of the events let in before it, as the page expects its answers.
        await consumer.send_in_order(protocol.error_frame(event_id, "rate-limited", limit.message()))
    return False


# Slow readers: a bound on what waits in the server for a socket that does not read ---------------


def pending_output_bytes(consumer: Any) -> int | None:
    """Bytes sent to this socket that the ASGI server still holds, not yet written to the network.

    Known for daphne (Twisted's transport buffer, which grows without bound when the client stops
    reading); None under other servers. uvicorn and hypercorn make ``send()`` wait for the network
    instead (backpressure), so their buffers stay bounded by themselves.
    """
    transport = getattr(consumer, "_output_transport", _UNKNOWN)
    if transport is _UNKNOWN:
        transport = consumer._output_transport = _twisted_transport(consumer.base_send)
    if transport is None:
        return None
    return len(transport.dataBuffer) - transport.offset + transport._tempDataLen


_UNKNOWN = object()
#: How often a socket over its bound is looked at again while it drains.
DRAIN_SECONDS = 0.01
#: A socket over its bound whose client read nothing for this long is not reading.
STALL_SECONDS = 0.25
#: A socket over its bound for this long in all, reading or not, is too slow for its traffic.
DRAIN_MAX_SECONDS = 2.0


def _twisted_transport(send: Any) -> Any:
    """The Twisted transport behind daphne's ``send`` (through Channels' session wrapper), or None."""
    for _ in range(8):  # A few middleware layers at most.
        if isinstance(send, functools.partial):
            protocol_ = send.args[0] if send.args else None
            transport = getattr(protocol_, "transport", None)
            if all(hasattr(transport, name) for name in ("dataBuffer", "offset", "_tempDataLen")):
                return transport
            return None
        owner = getattr(send, "__self__", None)
        send = getattr(owner, "real_send", None)  # channels.sessions.InstanceSessionWrapper.send
        if send is None:
            return None
    return None


async def bound_output(consumer: Any) -> None:
    """Wait while a socket's unsent output is past ``WEBSOCKET_MAX_PENDING_BYTES``; close a client
    that does not read it with 4408.

    Called after each frame, with the socket's sending held, so that the wait is backpressure:
    nothing more is written to it meanwhile. A client that reads gets up to DRAIN_MAX_SECONDS to
    take what waits (a burst, a replay, a busy machine); one that reads nothing for STALL_SECONDS
    is cut off. It reconnects when it reads again and gets what it missed through replay;
    meanwhile it costs the server no more memory, and its group's messages go on to the others.
    """
    limit = hypergen_settings().websocket_max_pending_bytes
    if limit is None or consumer.gone:
        return
    pending = pending_output_bytes(consumer)
    if pending is None or pending <= limit:
        return
    loop = asyncio.get_running_loop()
    started = progressed = loop.time()
    while True:
        await asyncio.sleep(DRAIN_SECONDS)
        now, left = loop.time(), pending_output_bytes(consumer) or 0
        if left <= limit or consumer.gone:
            return
        if left < pending:
            pending, progressed = left, now
        if now - progressed >= STALL_SECONDS or now - started >= DRAIN_MAX_SECONDS:
            break
    logger.warning(
        "websocket %s: closed with 4408: its client is not reading (%d bytes waiting, at most %d)",
        consumer.scope.get("path"),
        pending,
        limit,
    )
    consumer.gone = True  # Nothing more for it.
    with contextlib.suppress(Exception):
        await consumer.base_send({"type": "websocket.close", "code": protocol.CLOSE_TOO_SLOW})
