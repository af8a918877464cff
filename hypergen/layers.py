"""The Redis channel layer Hypergen configures from ``REDIS_URL``.

channels_redis' ``RedisChannelLayer`` with one change: its connection pool waits for a free
connection instead of failing. redis-py's asyncio pool holds at most 100 connections and raises
"Too many connections" past that; when hundreds of sockets reconnect at once after a server
restart, that surfaced as HTTP 500s during the websocket handshake. A blocking pool of
``max_connections`` (default 1000) that waits up to ``pool_timeout`` seconds rides it out.
"""

from __future__ import annotations

from typing import Any

from channels_redis.core import RedisChannelLayer as ChannelsRedisChannelLayer
from redis.asyncio import BlockingConnectionPool

__all__ = ["RedisChannelLayer"]


class RedisChannelLayer(ChannelsRedisChannelLayer):
    """channels_redis' RedisChannelLayer with a bounded connection pool that waits instead of failing."""

    def __init__(self, *args: Any, max_connections: int = 1000, pool_timeout: float = 20, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_connections = max_connections
        self.pool_timeout = pool_timeout

    def create_pool(self, index: int) -> Any:
        host = dict(self.hosts[index])
        if "address" not in host:  # Sentinel or host/port configurations: channels_redis' own pool.
            return super().create_pool(index)
        address = host.pop("address")
        host.setdefault("max_connections", self.max_connections)
        host.setdefault("timeout", self.pool_timeout)
        return BlockingConnectionPool.from_url(address, **host)
