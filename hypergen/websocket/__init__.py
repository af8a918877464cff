"""Websockets: ``@consumer`` functions called over a socket, groups, and server push.

A consumer function is ``f(consumer, request, *args)``. ``consumer`` is the Channels
consumer of this connection (attributes set on it last as long as the connection),
``request`` a Django request built from the websocket's scope. What the function
renders and queues goes to every socket connected to the same consumer URL (its
group), or only to the sender with ``broadcast=False``. The wire protocol is
described in docs/protocol.md; how the modules fit, in docs/architecture.md.
"""

from hypergen import core
from hypergen.websocket.decorator import consumer
from hypergen.websocket.groups import Group, group_name
from hypergen.websocket.history import positions_of_urls
from hypergen.websocket.presence import Member, amembers, members
from hypergen.websocket.protocol import (
    CLOSE_NOT_FOUND,
    CLOSE_PERMISSION_DENIED,
    CLOSE_RATE_LIMITED,
    CLOSE_SERVICE_RESTART,
    CLOSE_TOO_SLOW,
    CLOSE_TRY_AGAIN_LATER,
    CLOSE_UNAUTHENTICATED,
    FINAL_CLOSE_CODES,
)
from hypergen.websocket.push import apush, push, push_batch
from hypergen.websocket.urls import websocket_url

core.group_positions = positions_of_urls  # Pages say where their sockets' groups stood.

__all__ = [
    "CLOSE_NOT_FOUND",
    "CLOSE_PERMISSION_DENIED",
    "CLOSE_RATE_LIMITED",
    "CLOSE_SERVICE_RESTART",
    "CLOSE_TOO_SLOW",
    "CLOSE_TRY_AGAIN_LATER",
    "CLOSE_UNAUTHENTICATED",
    "FINAL_CLOSE_CODES",
    "Group",
    "Member",
    "amembers",
    "apush",
    "consumer",
    "group_name",
    "members",
    "push",
    "push_batch",
    "websocket_url",
]
