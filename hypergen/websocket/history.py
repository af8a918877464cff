"""Each group's recent messages, kept to replay to a page that missed some.

Group messages are numbered 1, 2, 3, ... in their group (``seq``), and the numbering has an
*epoch*: a random name that changes whenever the numbers start over (a process restart on the
in-memory layer; a Redis flush or restart without persistence on Redis). A page that reconnects
says which epoch and ``seq`` it has applied; it gets what it missed, in order, or is told to
re-render when the history no longer covers it (another epoch, or further back than the window:
``HYPERGEN["WEBSOCKET_HISTORY_SIZE"]`` messages, ``HYPERGEN["WEBSOCKET_HISTORY_SECONDS"]``
seconds; a message larger than ``HYPERGEN["WEBSOCKET_HISTORY_MAX_MESSAGE_BYTES"]`` is not kept, so
a page that missed it re-renders). ``WEBSOCKET_HISTORY_SIZE = 0`` turns history off: messages are
still numbered, nothing is kept, and a page that missed any re-renders.

On Hypergen's Redis layer the history lives in Redis beside the group, written in the same atomic
step that numbers and delivers a message (hypergen/layers.py). On any other layer it is kept in
this process, like the numbering.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from urllib.parse import urlsplit

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.urls import Resolver404, resolve

from hypergen.conf import hypergen_settings
from hypergen.layers import UNREACHABLE_ERRORS, RedisChannelLayer
from hypergen.routing import view_info
from hypergen.websocket.groups import group_name
from hypergen.websocket.urls import RELATIVE_PREFIX


@dataclass(frozen=True)
class Position:
    """Where a group's numbering is: its epoch and the last ``seq`` given out (0 before the first)."""

    epoch: str
    last: int


@dataclass(frozen=True)
class Replay:
    """What a page that applied up to ``seq`` missed: ``messages`` (seq, body), in order; None
    when the history cannot say (another epoch, or older than the window): the page re-renders."""

    position: Position
    messages: list[tuple[int, str]] | None


def replay_from(position: Position, kept: list[tuple[int, float, str]], epoch: str | None, seq: int) -> Replay:
    """Decide a replay from a group's position and kept messages ``(seq, time, body)``, oldest first."""
    if epoch != position.epoch or seq > position.last or seq < 0:
        return Replay(position, None)
    if seq == position.last:
        return Replay(position, [])
    oldest = time.time() - hypergen_settings().websocket_history_seconds
    missed = [(number, body) for number, sent_at, body in kept if number > seq and sent_at >= oldest]
    if len(missed) != position.last - seq or missed[0][0] != seq + 1 or missed[-1][0] != position.last:
        return Replay(position, None)  # Part of what it missed is gone from the window.
    return Replay(position, missed)


class MemoryHistory:
    """Numbering and history of the groups of this process (layers other than Hypergen's Redis)."""

    def __init__(self) -> None:
        self.epoch = secrets.token_hex(6)  # The numbers of this process start over when it does.
        self._last: dict[str, int] = {}
        self._kept: dict[str, deque[tuple[int, float, str]]] = {}
        self._lock = threading.Lock()

    def number(self, group: str, bodies: list[str]) -> list[int]:
        """Give ``bodies`` the next numbers of ``group`` and keep them for replay (unless the size is 0)."""
        size = hypergen_settings().websocket_history_size
        now = time.time()
        with self._lock:
            first = self._last.get(group, 0) + 1
            self._last[group] = first + len(bodies) - 1
            if not size:  # History off: numbered (pages still see gaps), nothing kept.
                self._kept.pop(group, None)
                return list(range(first, first + len(bodies)))
            kept = self._kept.get(group)
            if kept is None or kept.maxlen != size:
                kept = self._kept[group] = deque(kept or (), maxlen=size)
            numbers = list(range(first, first + len(bodies)))
            largest = hypergen_settings().websocket_history_max_message_bytes
            kept.extend(
                (seq, now, body) for seq, body in zip(numbers, bodies, strict=True) if len(body.encode()) <= largest
            )
            return numbers

    def position(self, group: str) -> Position:
        with self._lock:
            return Position(self.epoch, self._last.get(group, 0))

    def since(self, group: str, epoch: str | None, seq: int) -> Replay:
        with self._lock:
            position = Position(self.epoch, self._last.get(group, 0))
            kept = list(self._kept.get(group, ()))
        return replay_from(position, kept, epoch, seq)


memory_history = MemoryHistory()


async def position(group: str) -> Position:
    """Where ``group``'s numbering is now."""
    layer = get_channel_layer()
    if isinstance(layer, RedisChannelLayer):
        return Position(*await layer.group_position(group))
    return memory_history.position(group)


async def since(group: str, epoch: str | None, seq: int) -> Replay:
    """What a page of ``group`` that applied messages up to ``seq`` of ``epoch`` missed."""
    layer = get_channel_layer()
    if isinstance(layer, RedisChannelLayer):
        current_epoch, last, kept = await layer.group_history(group, seq)
        return replay_from(Position(current_epoch, last), kept, epoch, seq)
    return memory_history.since(group, epoch, seq)


def positions_of_urls(urls: list[str]) -> dict[str, tuple[str, int]]:
    """Where the groups of these consumer URLs stand now, for a page being rendered (sync code).

    URLs that are no consumer's, consumers that name their groups themselves (group_name= needs a
    connected consumer), and an unreachable Redis are left out: those sockets start from "now".
    """
    found = {}
    for url in urls:
        relative = url.startswith(RELATIVE_PREFIX + "/") and not url.startswith(RELATIVE_PREFIX + "//")
        path = urlsplit(url[len(RELATIVE_PREFIX) :] if relative else url).path
        try:
            match = resolve(path)
        except Resolver404:
            continue
        info = view_info(match.func)
        if info is None or info.kind != "consumer" or info.group_name is not None:
            continue
        try:
            where = async_to_sync(position)(group_name(path, "url"))
        except UNREACHABLE_ERRORS:
            continue
        found[url] = (where.epoch, where.last)
    return found
