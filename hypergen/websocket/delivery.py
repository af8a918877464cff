"""Delivering group messages, numbered per group, and running each client event once.

Every group message carries ``seq``: 1, 2, 3, ... per group, so a page notices a message it
missed. On Hypergen's Redis layer the numbers are shared by every process and given out in the
same atomic step that delivers the message (one round trip; two processes can never deliver
6 before 5). On other layers they are counted per process. Either way the group's recent
messages are kept for replay (hypergen/websocket/history.py).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from typing import Any

from channels.layers import get_channel_layer

from hypergen import signals
from hypergen.layers import RedisChannelLayer
from hypergen.websocket.history import memory_history
from hypergen.websocket.store import shared_store

FRAME_TYPE = "hypergen.frame"  # The channel message type; the consumer's handler is hypergen_frame().


async def send_to_group(group: str, bodies: list[str]) -> None:
    """Send each JSON list of commands in ``bodies`` to every socket of ``group``, numbered, in order."""
    if not bodies:
        return
    signals.send(signals.broadcast, None, group=group, messages=len(bodies))
    layer = get_channel_layer()
    if isinstance(layer, RedisChannelLayer):
        await layer.send_numbered(group, bodies, FRAME_TYPE)
        return
    numbers = memory_history.number(group, bodies)
    for seq, body in zip(numbers, bodies, strict=True):
        await layer.group_send(group, {"type": FRAME_TYPE, "seq": seq, "body": body})


def send_to_group_sync(group: str, bodies: list[str], run: Callable[[Coroutine], Any]) -> None:
    """send_to_group() for sync code; ``run`` runs a coroutine when the layer has no sync way."""
    layer = get_channel_layer()
    if isinstance(layer, RedisChannelLayer) and layer.numbers_atomically:
        signals.send(signals.broadcast, None, group=group, messages=len(bodies))
        layer.send_numbered_sync(group, bodies, FRAME_TYPE)
    else:
        run(send_to_group(group, bodies))


# The last event id handled per socket, so that an event the client sends again after a
# reconnect (its ack was lost) runs once. On Hypergen's Redis layer it is kept in Redis, so that
# a resend that lands on another process (after a restart, a crash) runs once too. Otherwise it is
# kept in this process: a plain dict is far cheaper per event than Django's cache.
_MAX_REMEMBERED_SOCKETS = 10_000
_handled: OrderedDict[str, int] = OrderedDict()
_handled_lock = threading.Lock()
#: Seconds a socket's last handled event id is remembered in Redis after its last event.
HANDLED_SECONDS = 86400


def handled_key(session_key: str | None, path: str, socket_id: str | None) -> str | None:
    """Where a socket's handled events are remembered: its page's socket id, on its URL, in its session.

    Another user cannot reach (and so cannot suppress) these events without the session's key.
    """
    if not socket_id:
        return None
    return f"{session_key or ''}|{path}|{socket_id}"


def already_handled(key: str | None, event_id: int | None) -> bool:
    """True for an event sent again after a reconnect that had been handled already."""
    if key is None or event_id is None:
        return False
    store = shared_store()
    if store is not None:
        stored = store.get("handled", key)
        return stored is not None and int(stored) >= event_id
    with _handled_lock:
        return _handled.get(key, 0) >= event_id


def remember_handled(key: str | None, event_id: int | None) -> None:
    if key is None or event_id is None:
        return
    store = shared_store()
    if store is not None:
        store.set("handled", key, str(event_id), HANDLED_SECONDS)
        return
    with _handled_lock:
        _handled[key] = event_id
        _handled.move_to_end(key)
        if len(_handled) > _MAX_REMEMBERED_SOCKETS:
            _handled.popitem(last=False)
