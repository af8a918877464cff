"""Telemetry: Django signals sent as sockets come and go and events run.

Connect receivers as for any Django signal (``@receiver(event_finished)``); they run in the thread
that sent the signal, or in a worker thread for what happens on the event loop, so keep them quick
(count, time, log) and never let them raise: an exception in a receiver is logged and otherwise
ignored (``send_robust``), it never fails the user's event.
docs/telemetry.md lists what each sends, and the loggers Hypergen writes to.

=====================  =============================================================================
signal                 sent with (besides ``sender``, the ViewInfo of the view concerned, or None)
=====================  =============================================================================
socket_connected       ``path``, ``group`` (the channel layer group name)
socket_disconnected    ``path``, ``group``, ``code`` (the close code)
event_started          ``transport`` ("http" or "websocket"), ``request``
event_finished         ``transport``, ``request``, ``duration`` (seconds), ``code`` (None when it
                       ran, else the error code of docs/protocol.md, e.g. "permission-denied")
event_failed           ``transport``, ``request``, ``duration``, ``exception`` (the function raised)
broadcast              ``group``, ``messages`` (how many group messages were sent at once)
replayed               ``path``, ``group``, ``messages`` (how many were replayed; None: a resync)
rate_limited           ``path``, ``closed`` (True when the socket was closed with 4429 for it)
=====================  =============================================================================
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import sync_to_async
from django.dispatch import Signal

__all__ = [
    "broadcast",
    "event_failed",
    "event_finished",
    "event_started",
    "rate_limited",
    "replayed",
    "socket_connected",
    "socket_disconnected",
]

logger = logging.getLogger("hypergen.signals")

socket_connected = Signal()
socket_disconnected = Signal()
event_started = Signal()
event_finished = Signal()
event_failed = Signal()
broadcast = Signal()
replayed = Signal()
rate_limited = Signal()


async def asend(signal: Signal, sender: Any, **details: Any) -> None:
    """send() from the event loop: the receivers run in a worker thread, so they may use the ORM.

    Not Django's asend_robust(): it runs sync receivers in the thread of the code that is awaiting
    (thread_sensitive), which may be a sync view blocked in push() waiting for this very call.
    """
    if not signal.receivers:
        return
    from hypergen.workers import worker_pool  # Only sockets send from the loop.

    # The consumers' worker threads: their database connections are tidied before each event.
    await sync_to_async(send, thread_sensitive=False, executor=worker_pool())(signal, sender, **details)


def send(signal: Signal, sender: Any, **details: Any) -> None:
    """Send ``signal`` to its receivers, if any; a receiver that raises is logged, never fatal."""
    if not signal.receivers:  # Nobody listens (the common case): not even a lookup per event.
        return
    for receiver, result in signal.send_robust(sender, **details):
        if isinstance(result, Exception):
            logger.error("A receiver of a Hypergen signal failed: %r", receiver, exc_info=result)
