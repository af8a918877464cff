"""Presence: who is connected to a group, across every process.

``@consumer(presence=...)`` makes each socket of the consumer announce itself in its group while
it is connected: as its user (username, or None when anonymous) and a small ``meta`` dict
(``presence=lambda consumer: {"typing": False}``; ``presence=True`` for no meta).
``@consumer(on_presence=render)`` calls ``render(members)`` whenever someone joins or leaves; the
commands it queues (``js.morph("online", ...)``) go to the whole group, as a push does.
``members(consumer, **url_kwargs)`` (or ``members(Group(...))``) lists who is there from anywhere.

On Hypergen's Redis layer the members of a group are a Redis hash beside the group, refreshed with
the process's group memberships: a process that dies without saying goodbye has its members
dropped after ``HYPERGEN["REDIS_GROUP_EXPIRY"]`` seconds, like its group memberships. On other
layers they are kept in this process.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from hypergen.layers import RedisChannelLayer
from hypergen.websocket.groups import Group

__all__ = ["Member", "members"]


@dataclass(frozen=True)
class Member:
    """One socket in a group: its user (None when anonymous) and what it said about itself."""

    channel: str
    user: str | None
    meta: dict = field(default_factory=dict)
    since: float = 0.0  # When it joined (seconds since the epoch).


class _MemoryPresence:
    """The members of this process's groups (layers other than Hypergen's Redis)."""

    def __init__(self) -> None:
        self._groups: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()

    def join(self, group: str, channel: str, entry: str) -> None:
        with self._lock:
            self._groups.setdefault(group, {})[channel] = entry

    def leave(self, group: str, channel: str) -> None:
        with self._lock:
            entries = self._groups.get(group, {})
            entries.pop(channel, None)
            if not entries:
                self._groups.pop(group, None)

    def entries(self, group: str) -> dict[str, str]:
        with self._lock:
            return dict(self._groups.get(group, {}))


_memory = _MemoryPresence()


def _entry(user: str | None, meta: dict) -> str:
    return json.dumps({"user": user, "meta": meta, "since": time.time()}, separators=(",", ":"))


async def join(group: str, channel: str, user: str | None, meta: dict) -> None:
    layer = get_channel_layer()
    if isinstance(layer, RedisChannelLayer):
        await layer.presence_join(group, channel, _entry(user, meta))
    else:
        _memory.join(group, channel, _entry(user, meta))


async def leave(group: str, channel: str) -> None:
    layer = get_channel_layer()
    if isinstance(layer, RedisChannelLayer):
        await layer.presence_leave(group, channel)
    else:
        _memory.leave(group, channel)


async def group_members(group: str) -> list[Member]:
    """Who is in the layer group ``group`` now, in the order they joined."""
    layer = get_channel_layer()
    entries = await layer.presence_entries(group) if isinstance(layer, RedisChannelLayer) else _memory.entries(group)
    found = []
    for channel, raw in entries.items():
        entry = json.loads(raw)
        found.append(Member(channel, entry["user"], entry["meta"], entry["since"]))
    return sorted(found, key=lambda member: (member.since, member.channel))


def members(target: Any, **url_kwargs: Any) -> list[Member]:
    """Who is connected to a @consumer's URL (URL kwargs as keyword arguments), or to a Group."""
    from hypergen.websocket.push import _resolve_target  # The same targets as push().

    group = target if isinstance(target, Group) else _resolve_target(target, url_kwargs)
    return async_to_sync(group_members)(group.name)


async def amembers(target: Any, **url_kwargs: Any) -> list[Member]:
    """members() for async code."""
    from hypergen.websocket.push import _resolve_target

    group = target if isinstance(target, Group) else _resolve_target(target, url_kwargs)
    return await group_members(group.name)
