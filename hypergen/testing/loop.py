"""The event loop the test pages' sockets run on: one daemon thread per process, started on first use.

Every socket of every page shares it, so that the in-memory channel layer (whose queues belong to
the loop that first used them) carries group messages between pages, as it does between the
sockets of one server process.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class EventLoopThread:
    """An asyncio loop running in a daemon thread; ``run(coroutine)`` waits for its result."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()
        self._kept: set = set()

    def keep(self, thing: Any) -> None:
        """Hold a strong reference to ``thing`` until ``forget(thing)``."""
        self._kept.add(thing)

    def forget(self, thing: Any) -> None:
        self._kept.discard(thing)

    def _started(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._loop.is_closed():
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=loop.run_forever, name="hypergen.testing sockets", daemon=True)
                thread.start()
                self._loop = loop
            return self._loop

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float) -> T:
        """Run ``coroutine`` on the loop; TimeoutError after ``timeout`` seconds (the coroutine is cancelled)."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self._started())
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise TimeoutError(f"gave up after {timeout} s") from None


#: The process's socket loop (lazy: no thread until a page opens a socket).
socket_loop = EventLoopThread()
