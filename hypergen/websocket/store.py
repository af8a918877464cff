"""Small values shared by every process: in Redis when the channel layer is Hypergen's Redis layer.

Used for what must outlive one process (a restart, a socket landing on another process): which
events of a socket already ran, and what a consumer keeps for its page. Calls are sync (they run
in the worker thread that handles an event) over the layer's plain redis-py client.
"""

from __future__ import annotations

import hashlib

from channels.layers import get_channel_layer

from hypergen.layers import RedisChannelLayer


class RedisStore:
    def __init__(self, layer: RedisChannelLayer) -> None:
        self.layer = layer

    def key(self, kind: str, name: str) -> str:
        digest = hashlib.sha256(name.encode()).hexdigest()[:32]  # Fixed length, whatever ``name`` holds.
        return f"{self.layer.prefix}hypergen-{kind}:{digest}"

    def get(self, kind: str, name: str) -> bytes | None:
        return self.layer._sync_client().get(self.key(kind, name))

    def set(self, kind: str, name: str, value: str | bytes, seconds: int) -> None:
        self.layer._sync_client().set(self.key(kind, name), value, ex=seconds)

    def delete(self, kind: str, name: str) -> None:
        self.layer._sync_client().delete(self.key(kind, name))


def shared_store() -> RedisStore | None:
    """The store every process sees, or None when the layer is not Hypergen's Redis layer."""
    layer = get_channel_layer()
    return RedisStore(layer) if isinstance(layer, RedisChannelLayer) else None
