"""Hypergen's settings: ``settings.HYPERGEN``, a dict, with a default for every key.

``from hypergen.conf import hypergen_settings``; ``hypergen_settings().websocket_heartbeat_interval``.
Read once and cached; reset when a test changes ``settings.HYPERGEN``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

__all__ = ["HypergenSettings", "hypergen_settings"]


@dataclass(frozen=True)
class HypergenSettings:
    """Every key of ``settings.HYPERGEN``, lower-cased, with its default."""

    #: The console log level of the browser client: "debug", "info", "warn", "error" or "silent".
    client_log_level: str | None = None  # None: "debug" with DEBUG=True, else "error".
    #: The key prefix in Redis of the layer built from REDIS_URL.
    redis_prefix: str = "hypergen"
    #: Seconds a socket of a process that died without saying goodbye stays in its Redis groups
    #: (layer built from REDIS_URL). Live processes refresh their sockets every quarter of this.
    redis_group_expiry: int = 120
    #: The largest text frame a client may send over a websocket, in bytes (daphne's own limit is 1 MiB).
    websocket_max_message_bytes: int = 512 * 1024
    #: Seconds between the client's heartbeat pings on an open socket.
    websocket_heartbeat_interval: float = 25.0
    #: Seconds the client waits for any frame after a ping before it treats the socket as dead.
    websocket_heartbeat_timeout: float = 10.0
    #: How many of each group's latest messages are kept to replay to a page that missed them
    #: (0: none, history off: a page that missed a message re-renders)...
    websocket_history_size: int = 500
    #: ...and for how many seconds. A page away for longer re-renders instead.
    websocket_history_seconds: int = 300
    #: A group message larger than this (characters) is not kept for replay: a page that missed it
    #: re-renders. Bounds a group's history (500 x 64 KiB at the most).
    websocket_history_max_message_bytes: int = 64 * 1024
    #: Seconds what a consumer keeps on its consumer outlives the page's last event (see docs/websockets.md).
    websocket_state_seconds: int = 86400
    #: The most bytes (as JSON) a consumer may keep on its consumer for a page.
    websocket_state_max_bytes: int = 64 * 1024
    #: Compress websocket frames (permessage-deflate) under daphne; uvicorn decides by itself.
    websocket_compression: bool = False
    #: Characters of HTML a socket remembers having sent, per morph target, so that its next morph
    #: of that target travels as a splice (what changed); least recently morphed forgotten first. 0: off.
    websocket_diff_bytes: int = 128 * 1024
    #: What a visitor refused by perm= is told (an @action's or @consumer's denied_message= wins).
    permission_denied_message: str = "You do not have permission to do that."
    #: Threads that run consumer functions: each socket's events run in order, different sockets'
    #: at the same time (each thread has its own database connection).
    websocket_worker_threads: int = 16
    #: Frames a socket may send per second, on average (a token bucket per socket); None: no limit...
    websocket_rate: float | None = 20.0
    #: ...and at once, after a quiet spell. Past these, an event is answered ``rate-limited``, not run...
    websocket_burst: int = 60
    #: ...and a socket refused this many times within 10 seconds is closed with 4429.
    websocket_rate_limit_close_after: int = 100
    #: Events of one socket that may wait for its earlier ones to finish; past it one is answered
    #: ``rate-limited`` (not run), and at twice it the socket is closed with 4429. None: no bound...
    websocket_max_waiting_events: int | None = 100
    #: ...and the bytes those waiting events may hold. None: no bound.
    websocket_max_waiting_bytes: int | None = 2 * 1024 * 1024
    #: Bytes sent to a socket may wait in the server (not yet on the network) before it is closed with 4408
    #: as too slow a reader. None: no bound. Measured under daphne (docs/websockets.md).
    websocket_max_pending_bytes: int | None = 2 * 1024 * 1024
    #: Seconds a socket's permission check stays good before a group message for it checks again.
    websocket_permission_recheck_seconds: float = 5.0
    #: Seconds a signed consumer URL (``@consumer(signed=True)``) is good for after its page was rendered.
    websocket_signed_url_max_age: int = 7 * 86400

    @classmethod
    def from_django(cls) -> HypergenSettings:
        given = getattr(settings, "HYPERGEN", None) or {}
        if not isinstance(given, dict):
            raise ImproperlyConfigured(f"settings.HYPERGEN must be a dict, got {type(given).__name__}.")
        known = {field.name.upper(): field.name for field in fields(cls)}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise ImproperlyConfigured(
                f"settings.HYPERGEN has unknown key(s) {', '.join(unknown)}. Known: {', '.join(sorted(known))}."
            )
        options = cls(**{known[key]: value for key, value in given.items()})
        size = options.websocket_history_size
        if type(size) is not int or size < 0:
            raise ImproperlyConfigured(
                f'settings.HYPERGEN["WEBSOCKET_HISTORY_SIZE"] is {size!r}: give a number of messages, 0 or more '
                "(0 turns replay history off)."
            )
        return options


@cache
def hypergen_settings() -> HypergenSettings:
    """The project's Hypergen settings, with defaults filled in."""
    return HypergenSettings.from_django()


def _reset(*, setting: str, **kwargs: Any) -> None:
    if setting == "HYPERGEN":
        hypergen_settings.cache_clear()


setting_changed.connect(_reset)
