"""Graceful shutdown: on SIGTERM, every socket is closed with 1012 so its page comes straight back.

uvicorn does this itself. daphne does not: Twisted drops the connections (the browser sees 1006
and backs off), and the websocket library under daphne refuses 1012 from an application. So under
daphne a shutdown hook stops listening, sends the closing frames through daphne's protocol
objects, and waits (briefly) for the clients to answer them.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import weakref
from collections.abc import Iterator
from typing import Any

from hypergen.websocket.protocol import CLOSE_SERVICE_RESTART

logger = logging.getLogger("hypergen.websocket")

#: Seconds a shutting-down server waits for its clients to answer the 1012 close.
SHUTDOWN_CLOSE_TIMEOUT = 2.0

# The consumers of this process's open sockets: each has an asyncio.Event ``finished``.
live_consumers: weakref.WeakSet[Any] = weakref.WeakSet()
_hook_installed = False


def close_sockets_on_shutdown() -> None:
    """Under daphne, close every socket with 1012 before the server stops (installed once per process)."""
    global _hook_installed
    if _hook_installed or "twisted.internet.reactor" not in sys.modules:
        return
    from twisted.internet import defer, reactor

    if getattr(reactor, "_asyncioEventloop", None) is not asyncio.get_running_loop():
        return  # Not daphne's reactor serving this loop.
    _hook_installed = True
    reactor.addSystemEventTrigger(
        "before", "shutdown", lambda: defer.Deferred.fromFuture(asyncio.ensure_future(_close_all(reactor)))
    )


async def _close_all(reactor: Any) -> None:
    from twisted.internet.interfaces import IListeningPort

    # Accept no new sockets first: a page told to come back must reach this process's successor.
    for reader in reactor.getReaders():
        if IListeningPort.providedBy(reader):
            reader.stopListening()
    consumers = list(live_consumers)
    for consumer in consumers:
        consumer.restarting = True
    protocols = list(_open_daphne_websockets(reactor))
    for protocol in protocols:
        protocol.sendCloseFrame(code=CLOSE_SERVICE_RESTART, isReply=False)
    # Wait for the clients' closing handshakes: Twisted drops unflushed writes when it stops.
    waits = [asyncio.ensure_future(consumer.finished.wait()) for consumer in consumers]
    if waits:
        await asyncio.wait(waits, timeout=SHUTDOWN_CLOSE_TIMEOUT)
    for wait in waits:
        wait.cancel()
    logger.info("Closed %d websocket(s) with 1012 before shutting down.", len(protocols))


def _open_daphne_websockets(reactor: Any) -> Iterator[Any]:
    from daphne.ws_protocol import WebSocketProtocol

    for reader in reactor.getReaders():
        protocol = getattr(reader, "protocol", None)
        protocol = getattr(protocol, "wrappedProtocol", protocol)  # Under TLS.
        if isinstance(protocol, WebSocketProtocol) and protocol.state == protocol.STATE_OPEN:
            yield protocol
