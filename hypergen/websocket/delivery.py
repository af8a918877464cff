"""Delivering group messages, numbered per group, and running each client event once.

Every group message carries ``seq``: 1, 2, 3, ... per group, so a page notices a message it
missed. On Hypergen's Redis layer the numbers are shared by every process and given out in the
same atomic step that delivers the message (one round trip; two processes can never deliver
6 before 5). On other layers they are counted per process. Either way the group's recent
messages are kept for replay (hypergen/websocket/history.py).
"""

from __future__ import annotations

import asyncio
import threading
import time
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
    await signals.asend(signals.broadcast, None, group=group, messages=len(bodies))
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


# Each client event runs once. A page's socket numbers its events 1, 2, 3, ... and sends again,
# after a reconnect, those it has not seen acknowledged. What is remembered per page socket
# (handled_key()): the highest id handled, and the id running now, if any. An event at or below
# the highest handled is acknowledged without running; an event that arrives while another of the
# same page socket still runs (on a connection the page gave up on) waits for it, so it neither
# runs twice nor overtakes it. On Hypergen's Redis layer both live in Redis, so a resend that lands
# on another process (after a restart, a crash) runs once too; otherwise in this process: a plain
# dict is far cheaper per event than Django's cache.
_MAX_REMEMBERED_SOCKETS = 10_000
_handled: OrderedDict[str, int] = OrderedDict()
_running: dict[str, int] = {}
_changed = threading.Condition()
#: Seconds a socket's last handled event id is remembered in Redis after its last event.
HANDLED_SECONDS = 86400
#: How often a waiting resend looks again whether the event before it finished, or its socket left.
_POLL_SECONDS = 0.02
#: What claim() decides: run the event (it is claimed until finish()), acknowledge it (it ran
#: before), or leave it (its socket closed while it waited: the page sends it again).
RUN, HANDLED, ABANDONED = "run", "handled", "abandoned"


def handled_key(session_key: str | None, path: str, socket_id: str | None) -> str | None:
    """Where a socket's handled events are remembered: its page's socket id, on its URL, in its session.

    Another user cannot reach (and so cannot suppress) these events without the session's key.
    """
    if not socket_id:
        return None
    return f"{session_key or ''}|{path}|{socket_id}"


def _try_claim_in_memory(key: str, event_id: int) -> str | None:
    """RUN (now claimed) or HANDLED; None while another event of the page runs. Lock held."""
    if _handled.get(key, 0) >= event_id:
        return HANDLED
    if key in _running:
        return None
    _running[key] = event_id
    return RUN


def _try_claim(key: str, event_id: int) -> str | None:
    store = shared_store()
    if store is not None:
        claimed = store.claim_event(key, event_id)
        return None if claimed is None else RUN if claimed else HANDLED
    with _changed:
        return _try_claim_in_memory(key, event_id)


def claim(key: str | None, event_id: int | None, gone: Callable[[], bool]) -> str:
    """RUN, HANDLED or ABANDONED for ``event_id`` of the page socket ``key``; RUN claims it until finish().

    Blocks (a worker thread) while another event of the same page socket runs, until it finished
    or ``gone()`` says this event's socket closed.
    """
    if key is None or event_id is None:
        return RUN
    while (claimed := _try_claim(key, event_id)) is None:
        if gone():
            return ABANDONED
        if shared_store() is None:
            with _changed:
                _changed.wait(_POLL_SECONDS * 5)  # Woken by finish(); the timeout is to look at gone().
        else:
            time.sleep(_POLL_SECONDS)
    return claimed


async def aclaim(key: str | None, event_id: int | None, gone: Callable[[], bool]) -> str:
    """claim() on the event loop, for a layer whose handled ids live in this process."""
    if key is None or event_id is None:
        return RUN
    while (claimed := _try_claim(key, event_id)) is None:
        if gone():
            return ABANDONED
        await asyncio.sleep(_POLL_SECONDS)
    return claimed


def release(key: str | None, event_id: int | None) -> None:
    """Let go of ``event_id``'s claim without it counting as run (it was stopped half way)."""
    if key is None or event_id is None:
        return
    store = shared_store()
    if store is not None:
        store.release_event(key, event_id)
        return
    with _changed:
        if _running.get(key) == event_id:
            del _running[key]
        _changed.notify_all()


def finish(key: str | None, event_id: int | None) -> None:
    """``event_id`` ran (whatever came of it): resends are acknowledged, and the page's next event may run."""
    if key is None or event_id is None:
        return
    store = shared_store()
    if store is not None:
        store.finish_event(key, event_id, HANDLED_SECONDS)
        return
    with _changed:
        _handled[key] = max(_handled.get(key, 0), event_id)
        _handled.move_to_end(key)
        if len(_handled) > _MAX_REMEMBERED_SOCKETS:
            _handled.popitem(last=False)
        if _running.get(key) == event_id:
            del _running[key]
        _changed.notify_all()
