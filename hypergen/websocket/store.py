"""Small values shared by every process: in Redis when the channel layer is Hypergen's Redis layer.

Used for what must outlive one process (a restart, a socket landing on another process): which
events of a socket already ran, and what a consumer keeps for its page. Calls are sync (they run
in the worker thread that handles an event) over the layer's plain redis-py client.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import weakref

import redis
from channels.layers import get_channel_layer

from hypergen.layers import RedisChannelLayer

# Claim a page socket's event: 0 it ran already, 1 claimed (running, under a lease), 2 another
# event of the page runs now. KEYS: the handled id, the running id; ARGV: the event id, the lease.
_CLAIM = """
local handled = tonumber(redis.call('GET', KEYS[1]) or '0')
if handled >= tonumber(ARGV[1]) then return 0 end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 2
"""
# The event ran: the handled id only ever grows, and the claim is let go. ARGV: id, expiry (s).
_FINISH = """
local handled = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > handled then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
else
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 0
"""
# Let go of a claim without marking the event run. KEYS: the running id; ARGV: the event id.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
"""
#: A claim lasts this long unless renewed: a process that died mid-event holds a page up no longer.
LEASE_SECONDS = 30
_scripts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _script(client: redis.Redis, source: str):
    """The registered script (EVALSHA, loaded again when Redis lost it), one per client and source."""
    scripts = _scripts.setdefault(client, {})
    if source not in scripts:
        scripts[source] = client.register_script(source)
    return scripts[source]


class _Leases:
    """Claims this process holds in Redis, renewed every third of LEASE_SECONDS while their events run."""

    def __init__(self) -> None:
        self._held: dict[str, redis.Redis] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._wake = threading.Event()

    def hold(self, client: redis.Redis, key: str) -> None:
        with self._lock:
            self._held[key] = client
            if self._thread is None:
                self._thread = threading.Thread(target=self._renew, name="hypergen-leases", daemon=True)
                self._thread.start()

    def release(self, key: str) -> None:
        with self._lock:
            self._held.pop(key, None)

    def _renew(self) -> None:
        while not self._wake.wait(LEASE_SECONDS / 3):
            with self._lock:
                held = list(self._held.items())
            for key, client in held:
                with contextlib.suppress(redis.RedisError):  # Redis is away: the layer logs it; the lease may lapse.
                    client.pexpire(key, LEASE_SECONDS * 1000)


_leases = _Leases()


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

    def claim_event(self, name: str, event_id: int) -> bool | None:
        """delivery.claim() in Redis: True claimed, False ran already, None another event of the page runs."""
        client = self.layer._sync_client()
        running = self.key("running", name)
        keys = [self.key("handled", name), running]
        result = _script(client, _CLAIM)(keys=keys, args=[event_id, LEASE_SECONDS * 1000])
        if result == 1:
            _leases.hold(client, running)
            return True
        return None if result == 2 else False

    def release_event(self, name: str, event_id: int) -> None:
        """delivery.release() in Redis."""
        client = self.layer._sync_client()
        running = self.key("running", name)
        _leases.release(running)
        _script(client, _RELEASE)(keys=[running], args=[event_id])

    def finish_event(self, name: str, event_id: int, seconds: int) -> None:
        """delivery.finish() in Redis."""
        client = self.layer._sync_client()
        running = self.key("running", name)
        _leases.release(running)
        _script(client, _FINISH)(keys=[self.key("handled", name), running], args=[event_id, seconds])


def shared_store() -> RedisStore | None:
    """The store every process sees, or None when the layer is not Hypergen's Redis layer."""
    layer = get_channel_layer()
    return RedisStore(layer) if isinstance(layer, RedisChannelLayer) else None
