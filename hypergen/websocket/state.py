"""What a consumer function keeps on its consumer, kept for the page across reconnects and restarts.

``consumer.my_app_state = [1, 2, 3]`` belongs to the page, not to one connection: when the page's
socket reconnects (to this process or another, or after a restart on Redis) the consumer gets its
attributes back. A new page load starts fresh. The page is named by a token the server issues
into the page's config and signs, so no one can name another page's state; the state is stored
server-side (Redis on Hypergen's Redis layer; Django's cache otherwise) as JSON with the wire
types, never pickled, bounded in size (``HYPERGEN["WEBSOCKET_STATE_MAX_BYTES"]``) and expiring
``HYPERGEN["WEBSOCKET_STATE_SECONDS"]`` after the page's last change. Attributes whose names start
with an underscore, and everything the consumer had before the function first ran (Channels' and
Hypergen's own attributes), are not kept.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core import signing
from django.core.cache import caches

from hypergen.conf import hypergen_settings
from hypergen.liveview import PAGE_SALT
from hypergen.serialization import WireError, dumps, encode, loads
from hypergen.websocket.store import shared_store


class StateError(Exception):
    """What a consumer keeps cannot be stored; the message names the attribute."""


def page_id(token: str | None) -> str | None:
    """The page named by a token this server issued; None for a missing, forged or expired one."""
    if not token or len(token) > 200:
        return None
    try:
        return signing.TimestampSigner(salt=PAGE_SALT).unsign(
            token, max_age=hypergen_settings().websocket_state_seconds
        )
    except signing.BadSignature:
        return None


def kept_attributes(consumer: Any, own: set[str]) -> dict[str, Any]:
    """The attributes a consumer function set on ``consumer``: not its own (set before the function
    first ran, or defined by its class: Channels' and Hypergen's), not underscored."""
    cls = type(consumer)
    return {
        name: value
        for name, value in vars(consumer).items()
        if name not in own and not name.startswith("_") and not hasattr(cls, name)
    }


class PageState:
    """The kept attributes of one consumer URL on one page."""

    def __init__(self, page: str, session_key: str | None, path: str) -> None:
        self.name = f"{page}|{session_key or ''}|{path}"
        self.saved: str | None = None

    def load(self) -> dict[str, Any]:
        raw = _read(self.name)
        if raw is None:
            return {}
        self.saved = raw.decode() if isinstance(raw, bytes) else raw
        try:
            attributes = loads(self.saved)
        except WireError:
            return {}  # Written by another version of the app: start fresh.
        return attributes if isinstance(attributes, dict) else {}

    def save(self, attributes: dict[str, Any]) -> None:
        """Store ``attributes`` if they changed; StateError names one that cannot be stored."""
        serialized = self.changed(attributes)
        if serialized is not None:
            self.write(serialized)

    def changed(self, attributes: dict[str, Any]) -> str | None:
        """``attributes`` serialized if they differ from what is stored, else None (no I/O: the
        comparison is with what this page last loaded or wrote). StateError names one that
        cannot be stored."""
        try:
            serialized = dumps(attributes)
        except WireError as whole:
            for name, value in attributes.items():  # Which one: encoded one by one only now.
                try:
                    encode(value)
                except WireError as error:
                    raise StateError(
                        f"consumer.{name} cannot be kept for the page across reconnects: {error} Keep wire types "
                        "(JSON values, dates, decimals, tuples, sets...), or name it with a leading underscore "
                        "to keep it for this connection only."
                    ) from None
            raise StateError(f"What the consumer keeps cannot be stored: {whole}") from None
        if serialized == self.saved:
            return None
        limit = hypergen_settings().websocket_state_max_bytes
        if len(serialized.encode()) > limit:
            largest = max(attributes, key=lambda name: len(dumps(attributes[name])))
            raise StateError(
                f"What the consumer keeps is {len(serialized.encode())} bytes, more than the "
                f'HYPERGEN["WEBSOCKET_STATE_MAX_BYTES"] of {limit}; the largest is consumer.{largest}.'
            )
        return serialized

    def write(self, serialized: str) -> None:
        """Store what changed() gave (blocking: the cache or Redis)."""
        _write(self.name, serialized)
        self.saved = serialized


def _cache_key(name: str) -> str:
    return "hypergen-state:" + hashlib.sha256(name.encode()).hexdigest()[:32]


def _read(name: str) -> str | bytes | None:
    store = shared_store()
    if store is not None:
        return store.get("state", name)
    return caches["default"].get(_cache_key(name))


def _write(name: str, serialized: str) -> None:
    seconds = hypergen_settings().websocket_state_seconds
    store = shared_store()
    if store is not None:
        store.set("state", name, serialized, seconds)
    else:
        caches["default"].set(_cache_key(name), serialized, seconds)
