"""Small values shared by every process: in Redis when the channel layer is Hypergen's Redis layer.

Used for what must outlive one process (a restart, a socket landing on another process): which
events of a socket already ran, and what a consumer keeps for its page. Calls are sync (they run
in the worker thread that handles an event) over the layer's plain redis-py client.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import threading
import time
import uuid
import weakref

import redis
from channels.layers import get_channel_layer

from hypergen.layers import RedisChannelLayer

# Claim a page socket's event: 0 it ran already, 1 claimed (running, under a lease), 2 another
# event of the page runs now. KEYS: the handled id, the running claim; ARGV: this claim's token
# (the event id first), the lease in ms.
_CLAIM = """
local handled = tonumber(redis.call('GET', KEYS[1]) or '0')
if handled >= tonumber(string.match(ARGV[1], '^%d+')) then return 0 end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 2
"""
# Keep a claim while its event runs, if it is still this one's. ARGV: the token, the lease in ms.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
# The event ran: the handled id only ever grows, and the claim, if still this one's, is let go.
# ARGV: the event id, the handled id's expiry (s), the claim's token ('' to only mark it run).
_FINISH = """
local handled = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > handled then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
else
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
return 0
"""
# Let go of a claim, if still this one's, without marking the event run. ARGV: the token.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
"""
#: A claim lasts this long unless renewed: a process that died mid-event holds a page up no longer.
LEASE_SECONDS = 30
_scripts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
logger = logging.getLogger("hypergen.websocket")


def _script(client: redis.Redis, source: str):
    """The registered script (EVALSHA, loaded again when Redis lost it), one per client and source."""
    scripts = _scripts.setdefault(client, {})
    if source not in scripts:
        scripts[source] = client.register_script(source)
    return scripts[source]


class _Leases:
    """Claims this process holds in Redis, renewed every third of LEASE_SECONDS while their events run.

    Each claim's value is a token of its own, so that renewing or letting go never touches a claim
    another process took after this one's lease lapsed (a Redis outage longer than the lease).
    """

    def __init__(self) -> None:
        self._held: dict[str, tuple[redis.Redis, str]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._tokens = itertools.count(1)

    def token(self, event_id: int) -> str:
        return f"{event_id}:{os.getpid()}:{uuid.uuid4().hex[:8]}:{next(self._tokens)}"

    def hold(self, client: redis.Redis, key: str, token: str) -> None:
        with self._lock:
            self._held[key] = (client, token)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._renew_forever, name="hypergen-leases", daemon=True)
                self._thread.start()

    def release(self, key: str) -> str | None:
        """Stop renewing ``key``; its token, if this process held it."""
        with self._lock:
            held = self._held.pop(key, None)
        return None if held is None else held[1]

    def _renew_forever(self) -> None:
        while True:
            time.sleep(LEASE_SECONDS / 3)
            with self._lock:
                held = list(self._held.items())
            for key, (client, token) in held:
                try:
                    _script(client, _RENEW)(keys=[key], args=[token, int(LEASE_SECONDS * 1000)])
                except Exception as error:  # Redis is away (the layer logs it): the lease may lapse.
                    logger.debug("could not renew the claim %s: %s", key, error)


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
        token = _leases.token(event_id)
        keys = [self.key("handled", name), running]
        result = _script(client, _CLAIM)(keys=keys, args=[token, int(LEASE_SECONDS * 1000)])
        if result == 1:
            _leases.hold(client, running, token)
            return True
        return None if result == 2 else False

    def release_event(self, name: str, event_id: int) -> None:
        """delivery.release() in Redis."""
        running = self.key("running", name)
        token = _leases.release(running)
        if token is not None:
            _script(self.layer._sync_client(), _RELEASE)(keys=[running], args=[token])

    def finish_event(self, name: str, event_id: int, seconds: int) -> None:
        """delivery.finish() in Redis."""
        running = self.key("running", name)
        token = _leases.release(running) or ""
        keys = [self.key("handled", name), running]
        _script(self.layer._sync_client(), _FINISH)(keys=keys, args=[event_id, seconds, token])


def shared_store() -> RedisStore | None:
    """The store every process sees, or None when the layer is not Hypergen's Redis layer."""
    layer = get_channel_layer()
    return RedisStore(layer) if isinstance(layer, RedisChannelLayer) else None
