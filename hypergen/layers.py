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
import hashlib
import inspect
import logging
import secrets
import time
from collections.abc import Iterator
from typing import Any

import redis
import redis.asyncio
import redis.sentinel
from channels_redis.core import RedisChannelLayer as ChannelsRedisChannelLayer
from redis.asyncio import BlockingConnectionPool
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError
from redis.exceptions import TimeoutError as RedisTimeoutError

from hypergen.conf import hypergen_settings

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
        self.encrypted = bool(kwargs.get("symmetric_encryption_keys"))
        self._sync: redis.Redis | None = None
        self.max_connections = max_connections
        self.pool_timeout = pool_timeout
        self.health = _Health()
        self._blocking_clients: dict[tuple[asyncio.AbstractEventLoop, int], redis.asyncio.Redis] = {}
        self._inboxes: dict[str, _Inbox] = {}
        self._pumps: dict[str, asyncio.Task] = {}
        self._receive_loop: asyncio.AbstractEventLoop | None = None
        # group -> this process's channels in it, refreshed in Redis while they live.
        self._memberships: dict[str, set[str]] = {}
        self._present: dict[str, dict[str, str]] = {}  # group -> channel -> presence entry (this process)
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
            if member.startswith(NUMBERED_MARKER):
                targets, message = _read_numbered(member)
            else:
                message = self.deserialize(member)
                targets = message.pop("__asgi_channel__", None)
        except Exception:  # A message another program wrote: drop it, keep pumping.
            logger.exception("Dropped a message in Redis that could not be read.")
            return
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

    @property
    def numbers_atomically(self) -> bool:
        """Whether send_numbered() numbers and delivers in one script (one Redis, no encryption)."""
        return self.ring_size == 1 and not self.encrypted

    async def send_numbered(self, group: str, bodies: list[str], message_type: str) -> int:
        """Send each of ``bodies`` to ``group`` as ``{"type": message_type, "seq": n, "body": body}``.

        ``seq`` numbers the group's messages across every process. With one Redis and no
        encryption, numbering and delivery are one atomic script (one round trip, never out of
        order); otherwise the numbers are taken first and the messages sent with group_send.
        Returns the last number given out.
        """
        connection = self.connection(self.consistent_hash(group))
        if not self.numbers_atomically:
            last = await self._number_and_keep(connection, group, bodies)
            for seq, body in enumerate(bodies, last - len(bodies) + 1):
                await self.group_send(group, {"type": message_type, "seq": seq, "body": body})
            return last
        for chunk in _chunks(bodies):
            keys_and_args = self._send_numbered_arguments(group, chunk, message_type)
            try:
                result = await connection.evalsha(_SEND_NUMBERED_SHA, 4, *keys_and_args)
            except NoScriptError:  # Redis does not have the script yet (or lost it in a restart).
                result = await connection.eval(_SEND_NUMBERED, 4, *keys_and_args)
            last = self._sent(group, *result)
        return last

    def send_numbered_sync(self, group: str, bodies: list[str], message_type: str) -> int:
        """send_numbered() for sync code, over a plain redis-py connection: no event loop, no thread hop.

        Only when ``numbers_atomically``; about twice as fast as going through asyncio.
        """
        if not self.numbers_atomically:
            raise RuntimeError("send_numbered_sync() needs one Redis and no encryption: use send_numbered().")
        client = self._sync_client()
        for chunk in _chunks(bodies):
            keys_and_args = self._send_numbered_arguments(group, chunk, message_type)
            try:
                result = client.evalsha(_SEND_NUMBERED_SHA, 4, *keys_and_args)
            except NoScriptError:
                result = client.eval(_SEND_NUMBERED, 4, *keys_and_args)
            last = self._sent(group, *result)
        return last

    async def _number_and_keep(self, connection: Any, group: str, bodies: list[str]) -> int:
        """Number and keep ``bodies`` in a transaction (for layers that cannot run the one script:
        several Redis servers, or encryption). Delivery follows with group_send."""
        options = hypergen_settings()
        async with connection.pipeline(transaction=True) as pipe:
            pipe.incrby(self._sequence_key(group), len(bodies))
            pipe.set(self._epoch_key(group), secrets.token_hex(6), nx=True)
            last, _ = await pipe.execute()
        first = last - len(bodies) + 1
        now = f"{time.time():.6f}"
        async with connection.pipeline(transaction=True) as pipe:
            pipe.expire(self._sequence_key(group), SEQUENCE_EXPIRY)
            pipe.expire(self._epoch_key(group), SEQUENCE_EXPIRY)
            if options.websocket_history_size:
                for seq, body in enumerate(bodies, first):
                    if len(body.encode()) <= options.websocket_history_max_message_bytes:
                        pipe.zadd(self._history_key(group), {f"{seq:016d}\0{now}\0{body}": seq})
                pipe.zremrangebyrank(self._history_key(group), 0, -options.websocket_history_size - 1)
                pipe.expire(self._history_key(group), options.websocket_history_seconds)
            else:  # History off: nothing kept (what an earlier setting kept goes).
                pipe.delete(self._history_key(group))
            await pipe.execute()
        return last

    async def group_position(self, group: str) -> tuple[str, int]:
        """The epoch and last seq of ``group``'s numbering (a new epoch if it has none yet)."""
        connection = self.connection(self.consistent_hash(group))
        async with connection.pipeline(transaction=True) as pipe:
            pipe.set(self._epoch_key(group), secrets.token_hex(6), nx=True, ex=SEQUENCE_EXPIRY)
            pipe.get(self._epoch_key(group))
            pipe.get(self._sequence_key(group))
            _, epoch, last = await pipe.execute()
        return epoch.decode(), int(last or 0)

    async def group_history(self, group: str, after: int) -> tuple[str, int, list[tuple[int, float, str]]]:
        """``group``'s epoch, last seq, and the kept messages numbered after ``after``: (seq, time, body)."""
        connection = self.connection(self.consistent_hash(group))
        async with connection.pipeline(transaction=True) as pipe:
            pipe.set(self._epoch_key(group), secrets.token_hex(6), nx=True, ex=SEQUENCE_EXPIRY)
            pipe.get(self._epoch_key(group))
            pipe.get(self._sequence_key(group))
            pipe.zrangebyscore(self._history_key(group), f"({after}", "+inf")
            _, epoch, last, members = await pipe.execute()
        kept = []
        for member in members:
            seq, sent_at, body = member.split(b"\0", 2)
            kept.append((int(seq), float(sent_at), body.decode()))
        return epoch.decode(), int(last or 0), kept

    def _sequence_key(self, group: str) -> str:
        return f"{self.prefix}hypergen-seq:{group}"

    def _epoch_key(self, group: str) -> str:
        return f"{self.prefix}hypergen-epoch:{group}"

    def _history_key(self, group: str) -> str:
        return f"{self.prefix}hypergen-history:{group}"

    def _send_numbered_arguments(self, group: str, bodies: list[str], message_type: str) -> list:
        options = hypergen_settings()
        keys = (self._group_key(group), self._sequence_key(group), self._history_key(group), self._epoch_key(group))
        return [
            *keys,
            *(self.prefix, self.group_expiry, self.expiry, self.capacity, message_type, secrets.token_hex(6)),
            *(options.websocket_history_size, options.websocket_history_seconds),
            *(options.websocket_history_max_message_bytes, *bodies),
        ]

    def _sent(self, group: str, last: int, dropped: int, epoch: bytes) -> int:
        if dropped:
            logger.warning(
                "%d delivery(ies) of group %s messages dropped: a process's Redis queue is at capacity (%d).",
                dropped,
                group,
                self.capacity,
            )
        return int(last)

    def _sync_client(self) -> redis.Redis:
        """A thread-safe redis-py client (plain, not asyncio) to the first host, made on first use."""
        if self._sync is None:
            host = dict(self.hosts[0])
            if "address" in host:
                host.setdefault("max_connections", self.max_connections)
                host.setdefault("timeout", self.pool_timeout)
                pool = redis.BlockingConnectionPool.from_url(host.pop("address"), **host)
            elif "master_name" in host:
                sentinel = redis.sentinel.Sentinel(
                    host.pop("sentinels"), sentinel_kwargs=host.pop("sentinel_kwargs", None)
                )
                pool = redis.sentinel.SentinelConnectionPool(host.pop("master_name"), sentinel, **host)
            else:
                pool = redis.ConnectionPool(**host)
            self._sync = redis.Redis(connection_pool=pool)
        return self._sync

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

    # Presence: who is in a group, a hash of channel -> JSON entry beside the group --------------

    def _presence_key(self, group: str) -> str:
        return f"{self.prefix}hypergen-presence:{group}"

    async def presence_join(self, group: str, channel: str, entry: str) -> None:
        self._present.setdefault(group, {})[channel] = entry
        connection = self.connection(self.consistent_hash(group))
        await connection.hset(self._presence_key(group), channel, self._stamped(entry))
        await connection.expire(self._presence_key(group), self.group_expiry)

    async def presence_leave(self, group: str, channel: str) -> None:
        entries = self._present.get(group)
        if entries is not None:
            entries.pop(channel, None)
            if not entries:
                del self._present[group]
        await self.connection(self.consistent_hash(group)).hdel(self._presence_key(group), channel)

    async def presence_entries(self, group: str) -> dict[str, str]:
        """The group's members on every process; those a dead process left behind are dropped."""
        connection = self.connection(self.consistent_hash(group))
        stored = await connection.hgetall(self._presence_key(group))
        oldest = time.time() - self.group_expiry
        entries, stale = {}, []
        for channel, value in stored.items():
            seen_at, _, entry = value.decode().partition(" ")
            if float(seen_at) < oldest:
                stale.append(channel)
            else:
                entries[channel.decode()] = entry
        if stale:
            await connection.hdel(self._presence_key(group), *stale)
        return entries

    @staticmethod
    def _stamped(entry: str) -> str:
        return f"{time.time():.3f} {entry}"

    async def _refresh_memberships(self) -> None:
        """Tell Redis that this process's sockets are still in their groups."""
        self._refreshed_at = time.monotonic()
        now = time.time()
        for group, entries in list(self._present.items()):
            connection = self.connection(self.consistent_hash(group))
            key = self._presence_key(group)
            async with connection.pipeline(transaction=False) as pipe:
                pipe.hset(key, mapping={channel: self._stamped(entry) for channel, entry in entries.items()})
                pipe.expire(key, self.group_expiry)
                await pipe.execute()
        for group, channels in list(self._memberships.items()):
            if not channels:
                continue
            connection = self.connection(self.consistent_hash(group))
            key = self._group_key(group)
            async with connection.pipeline(transaction=False) as pipe:
                pipe.zadd(key, dict.fromkeys(channels, now))
                pipe.expire(key, self.group_expiry)
                await pipe.execute()


#: Group messages sent by send_numbered() in one script are stored as
#: MARKER seq NUL channels NUL type NUL body, read back by the pump (not channels_redis' format).
NUMBERED_MARKER = b"hypergen1\x00"
#: Seconds a group's numbering outlives its last message.
SEQUENCE_EXPIRY = 86400


#: The most messages one script call delivers: Redis runs nothing else while a script runs.
SCRIPT_CHUNK = 100


def _chunks(bodies: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(bodies), SCRIPT_CHUNK):
        yield bodies[start : start + SCRIPT_CHUNK]


def _read_numbered(member: bytes) -> tuple[list[str], dict]:
    seq, targets, message_type, body = member[len(NUMBERED_MARKER) :].split(b"\x00", 3)
    message = {"type": message_type.decode(), "seq": int(seq), "body": body.decode()}
    return targets.decode().split(","), message


# Number the bodies (ARGV[10:]) in the group's sequence, keep them in the group's history (for
# replay, trimmed to ARGV[7] messages, expiring ARGV[8] seconds after the last; none with 0), and add each to
# the Redis queue of every process that has a socket in the group, naming that process's sockets.
# One atomic step: two processes sending at once can never deliver or store 6 before 5. The
# epoch names this numbering: set once (ARGV[6] is a fresh candidate), it expires with the numbers,
# so numbers that start over (a flush, an expiry) come with a new epoch. Scores of the queues are
# Redis' own clock, and a zero-padded seq orders the members of one instant.
_SEND_NUMBERED = (
    """
local group_key, seq_key, history_key, epoch_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local prefix, group_expiry = ARGV[1], tonumber(ARGV[2])
local expiry, capacity, message_type = tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local history_size, history_seconds = tonumber(ARGV[7]), tonumber(ARGV[8])
local largest_kept = tonumber(ARGV[9])
local count = #ARGV - 9
local last = redis.call('INCRBY', seq_key, count)
redis.call('EXPIRE', seq_key, """
    + str(SEQUENCE_EXPIRY)
    + """)
redis.call('SET', epoch_key, ARGV[6], 'NX')
redis.call('EXPIRE', epoch_key, """
    + str(SEQUENCE_EXPIRY)
    + """)
local epoch = redis.call('GET', epoch_key)
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local stamp = string.format('%.6f', now)
if history_size > 0 then
    for i = 1, count do
        local seq = last - count + i
        if string.len(ARGV[9 + i]) <= largest_kept then
            redis.call('ZADD', history_key, seq, string.format('%016d', seq) .. '\0' .. stamp .. '\0' .. ARGV[9 + i])
        end
    end
    redis.call('ZREMRANGEBYRANK', history_key, 0, -history_size - 1)
    redis.call('EXPIRE', history_key, history_seconds)
else
    redis.call('DEL', history_key)
end
redis.call('ZREMRANGEBYSCORE', group_key, 0, now - group_expiry)
local targets_of, queues = {}, {}
for _, channel in ipairs(redis.call('ZRANGE', group_key, 0, -1)) do
    local bang = string.find(channel, '!', 1, true)
    if bang then
        local queue = prefix .. string.sub(channel, 1, bang)
        if targets_of[queue] == nil then
            targets_of[queue] = {}
            table.insert(queues, queue)
        end
        table.insert(targets_of[queue], channel)
    end
end
local dropped = 0
for _, queue in ipairs(queues) do
    redis.call('ZREMRANGEBYSCORE', queue, 0, now - expiry)
    local targets = table.concat(targets_of[queue], ',')
    for i = 1, count do
        if redis.call('ZCARD', queue) < capacity then
            local seq = string.format('%016d', last - count + i)
            local member = 'hypergen1\0' .. seq .. '\0' .. targets .. '\0' .. message_type .. '\0' .. ARGV[9 + i]
            redis.call('ZADD', queue, now, member)
        else
            dropped = dropped + 1
        end
    end
    redis.call('EXPIRE', queue, expiry)
end
return {last, dropped, epoch}
"""
)

_SEND_NUMBERED_SHA = hashlib.sha1(_SEND_NUMBERED.encode()).hexdigest()

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
