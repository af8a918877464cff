"""The Redis channel layer Hypergen configures from ``REDIS_URL``.

channels_redis' ``RedisChannelLayer``, changed where it failed on the production path:

- **Idle sockets stay open.** channels_redis waits for a socket's messages with a blocking
  ``BZPOPMIN`` of ``brpop_timeout`` (5 s) on a connection that, since redis-py 8, gives up reading
  after 5 s: every idle socket died with 1011 every few seconds. Blocking reads here run on
  connections of their own whose read timeout is ``brpop_timeout + BLOCKING_READ_MARGIN``; every
  other command keeps the project's timeouts.
- **One reader per process, never cancelled by a socket.** All the sockets of a process share one
  Redis queue. channels_redis let whichever socket was waiting pop it, and a socket that went away
  mid-pop took a message meant for another socket with it. Here one pump per process reads the
  queue and hands each message to the inbox of its socket; a socket that goes away only stops
  reading its own inbox.
- **Redis outages are ridden out.** When Redis is unreachable the pump logs it once, retries every
  second at most, logs again when Redis is back, and re-adds the process's group memberships (a
  restarted Redis may have lost them). Sockets stay open meanwhile.
- **A dead process leaves its groups within minutes.** The process refreshes its own sockets'
  memberships every ``group_expiry / 4``; a process killed without saying goodbye stops
  refreshing, and its memberships are dropped ``group_expiry`` later (2 minutes in the
  configuration Hypergen builds from ``REDIS_URL``; channels_redis' default is a day).
- **Bursts of reconnects wait instead of failing.** redis-py's asyncio pool raises "Too many
  connections" past 100; a blocking pool of ``max_connections`` (default 1000) waits up to
  ``pool_timeout`` seconds for a free connection instead.
- **Nothing is dropped silently.** A socket whose inbox is full (it stopped reading) loses its
  oldest messages with a warning in the log; group messages carry sequence numbers, so the page
  sees the gap too.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from typing import Any

import redis.asyncio
from channels_redis.core import RedisChannelLayer as ChannelsRedisChannelLayer
from redis.asyncio import BlockingConnectionPool
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

__all__ = ["BLOCKING_READ_MARGIN", "RedisChannelLayer", "blocking_read_timeout", "default_socket_timeout"]

logger = logging.getLogger("hypergen.layers")

#: Seconds a blocking read waits for Redis beyond the blocking command's own timeout.
BLOCKING_READ_MARGIN = 5.0
#: The longest pause between two attempts to reach Redis while it is unreachable.
MAX_RETRY_DELAY = 1.0
#: Errors that mean Redis cannot be reached right now (as opposed to a bug or a bad message).
UNREACHABLE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)


def blocking_read_timeout(configured: float | None, blocking_timeout: float) -> float | None:
    """The read timeout for a connection that blocks for ``blocking_timeout`` seconds.

    ``configured`` is the connection's own read timeout (None means none): kept when it is
    already safely above the blocking command's, raised to that otherwise.
    """
    wanted = blocking_timeout + BLOCKING_READ_MARGIN
    if configured is None:
        return None
    return max(configured, wanted)


class _Inbox:
    """The messages waiting for one socket of this process."""

    __slots__ = ("dropped", "idle_since", "messages", "readers")

    def __init__(self, capacity: int) -> None:
        self.messages: asyncio.Queue = asyncio.Queue(maxsize=capacity)
        self.readers = 0
        self.idle_since = time.monotonic()
        self.dropped = 0


class _Health:
    """Whether Redis answers, logged once when it stops and once when it is back."""

    def __init__(self) -> None:
        self.down_since: float | None = None
        self.failures = 0

    def failed(self, error: BaseException) -> float:
        """Note a failure; returns how long to wait before trying again."""
        if self.down_since is None:
            self.down_since = time.monotonic()
            logger.error("Redis is unreachable (%s); websockets stay open and wait for it to come back.", error)
        self.failures += 1
        return min(0.05 * 2**self.failures, MAX_RETRY_DELAY)

    def succeeded(self) -> None:
        """Note a success, which ends an outage."""
        if self.down_since is not None:
            logger.warning("Redis is reachable again after %.1f s.", time.monotonic() - self.down_since)
            self.down_since = None
            self.failures = 0


class RedisChannelLayer(ChannelsRedisChannelLayer):
    """channels_redis' RedisChannelLayer that keeps idle sockets open and rides out Redis outages."""

    def __init__(self, *args: Any, max_connections: int = 1000, pool_timeout: float = 20, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_connections = max_connections
        self.pool_timeout = pool_timeout
        self.health = _Health()
        self._blocking_clients: dict[tuple[asyncio.AbstractEventLoop, int], redis.asyncio.Redis] = {}
        self._inboxes: dict[str, _Inbox] = {}
        self._pumps: dict[str, asyncio.Task] = {}
        self._receive_loop: asyncio.AbstractEventLoop | None = None
        # group -> this process's channels in it, refreshed in Redis while they live.
        self._memberships: dict[str, set[str]] = {}
        self._refreshed_at = time.monotonic()

    # Connections ---------------------------------------------------------------------------

    def create_pool(self, index: int) -> Any:
        host = dict(self.hosts[index])
        if "address" not in host:  # Sentinel or host/port configurations: channels_redis' own pool.
            return super().create_pool(index)
        address = host.pop("address")
        host.setdefault("max_connections", self.max_connections)
        host.setdefault("timeout", self.pool_timeout)
        return BlockingConnectionPool.from_url(address, **host)

    def _blocking_client(self, index: int) -> redis.asyncio.Redis:
        """A client for blocking commands on this loop: the same Redis, a read timeout above ``brpop_timeout``."""
        loop = asyncio.get_running_loop()
        client = self._blocking_clients.get((loop, index))
        if client is None:
            pool = self.create_pool(index)
            configured = pool.connection_kwargs.get("socket_timeout", default_socket_timeout(pool))
            timeout = blocking_read_timeout(configured, self.brpop_timeout)
            pool.connection_kwargs["socket_timeout"] = timeout
            if "orig_socket_timeout" in pool.connection_kwargs:  # redis-py 8 restores it after maintenance.
                pool.connection_kwargs["orig_socket_timeout"] = timeout
            client = self._blocking_clients[(loop, index)] = redis.asyncio.Redis(connection_pool=pool)
        return client

    async def _brpop_with_clean(self, index: int, channel: str, timeout: float) -> Any:
        # channels_redis' pop for general (non-process) channels, with the blocking pop moved
        # to a connection that waits long enough for it.
        backup = self._backup_channel_name(channel)
        await self.connection(index).eval(_REQUEUE_BACKUP, 2, channel, backup)
        result = await self._blocking_client(index).bzpopmin(channel, timeout=timeout)
        if result is None:
            return None
        _, member, score = result
        await self.connection(index).zadd(backup, {member: float(score)})
        return member

    async def close_pools(self) -> None:
        for task in self._pumps.values():
            task.cancel()
        self._pumps.clear()
        clients, self._blocking_clients = self._blocking_clients, {}
        for (loop, _), client in clients.items():
            if loop is asyncio.get_running_loop():
                await client.aclose(close_connection_pool=True)
        await super().close_pools()

    # Receiving -----------------------------------------------------------------------------

    async def receive(self, channel: str) -> dict:
        if "!" not in channel:
            return await super().receive(channel)
        self._use_loop(asyncio.get_running_loop())
        inbox = self._inbox(channel)
        self._start_pump(self.non_local_name(channel))
        inbox.readers += 1
        try:
            return await inbox.messages.get()
        finally:
            inbox.readers -= 1
            inbox.idle_since = time.monotonic()

    def _use_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._receive_loop is loop:
            return
        if self._receive_loop is not None and self._receive_loop.is_running():
            raise RuntimeError("Two event loops are trying to receive() on one channel layer at once.")
        # A new loop (a test's, or after the old one closed): its queues and pumps start afresh.
        self._receive_loop = loop
        self._inboxes = {}
        self._pumps = {}

    def _inbox(self, channel: str) -> _Inbox:
        inbox = self._inboxes.get(channel)
        if inbox is None:
            inbox = self._inboxes[channel] = _Inbox(self.get_capacity(channel))
        return inbox

    def _start_pump(self, local_name: str) -> None:
        pump = self._pumps.get(local_name)
        if pump is None or pump.done():
            self._pumps[local_name] = asyncio.get_running_loop().create_task(
                self._pump(local_name), name=f"hypergen redis pump {local_name}"
            )

    async def _pump(self, local_name: str) -> None:
        """Move this process's messages from Redis to its sockets' inboxes, until the loop ends."""
        index = self.consistent_hash(local_name)
        key = self.prefix + local_name
        while True:
            try:
                if self.health.down_since is not None:
                    await self.connection(index).ping()  # Is it back? The blocking pop would not say for seconds.
                    self.health.succeeded()
                    await self._refresh_memberships()  # A restarted Redis may have lost the groups.
                elif time.monotonic() - self._refreshed_at > self.group_expiry / 4:
                    await self._refresh_memberships()
                result = await self._blocking_client(index).bzpopmin(key, timeout=self.brpop_timeout)
            except UNREACHABLE_ERRORS as error:
                await asyncio.sleep(self.health.failed(error))
                continue
            if result is not None:
                self._deliver(result[1])
            self._forget_idle_inboxes()

    def _deliver(self, member: bytes) -> None:
        try:
            message = self.deserialize(member)
        except Exception:  # A message another program wrote: drop it, keep pumping.
            logger.exception("Dropped a message in Redis that could not be read.")
            return
        targets = message.pop("__asgi_channel__", None)
        for target in [targets] if isinstance(targets, str) else targets or ():
            inbox = self._inbox(target)
            if inbox.messages.full():
                inbox.messages.get_nowait()
                inbox.dropped += 1
                if inbox.dropped == 1 or inbox.dropped % 1000 == 0:
                    logger.warning(
                        "Websocket channel %s is not reading: %d message(s) dropped so far (capacity %d).",
                        target,
                        inbox.dropped,
                        inbox.messages.maxsize,
                    )
            inbox.messages.put_nowait(message)

    def _forget_idle_inboxes(self) -> None:
        """Drop the inboxes nobody read for ``expiry`` seconds: their sockets are gone."""
        limit = time.monotonic() - self.expiry
        idle = [name for name, inbox in self._inboxes.items() if not inbox.readers and inbox.idle_since < limit]
        for name in idle:
            del self._inboxes[name]
            for channels in self._memberships.values():
                channels.discard(name)

    # Groups --------------------------------------------------------------------------------

    async def group_add(self, group: str, channel: str) -> None:
        await super().group_add(group, channel)
        if "!" in channel:
            self._memberships.setdefault(group, set()).add(channel)

    async def group_discard(self, group: str, channel: str) -> None:
        channels = self._memberships.get(group)
        if channels is not None:
            channels.discard(channel)
            if not channels:
                del self._memberships[group]
        await super().group_discard(group, channel)

    async def _refresh_memberships(self) -> None:
        """Tell Redis that this process's sockets are still in their groups."""
        self._refreshed_at = time.monotonic()
        now = time.time()
        for group, channels in list(self._memberships.items()):
            if not channels:
                continue
            connection = self.connection(self.consistent_hash(group))
            key = self._group_key(group)
            async with connection.pipeline(transaction=False) as pipe:
                pipe.zadd(key, dict.fromkeys(channels, now))
                pipe.expire(key, self.group_expiry)
                await pipe.execute()


# Messages a cancelled receive had popped (kept in the backup set) go back into the queue, by score.
_REQUEUE_BACKUP = """
if redis.call('EXISTS', KEYS[2]) == 1 then
    redis.call('ZUNIONSTORE', KEYS[1], 2, KEYS[1], KEYS[2], 'AGGREGATE', 'MIN')
    redis.call('DEL', KEYS[2])
end
"""


def default_socket_timeout(pool: Any) -> float | None:
    """The read timeout redis-py gives connections that set none (None up to redis-py 7, 5 s in 8)."""
    for cls in pool.connection_class.__mro__:
        init = vars(cls).get("__init__")
        parameter = inspect.signature(init).parameters.get("socket_timeout") if init else None
        if parameter is not None:
            return parameter.default
    return None
