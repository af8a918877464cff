"""The threads that run the blocking work of sockets: consumer functions, and signal receivers of
what happens on the event loop. One pool for the process, so each thread keeps one database
connection for its life (closed when too old, as Channels does around each call)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from hypergen.conf import hypergen_settings

_worker_pool: ThreadPoolExecutor | None = None


def worker_pool() -> ThreadPoolExecutor:
    """The pool (``HYPERGEN["WEBSOCKET_WORKER_THREADS"]`` threads), made on first use."""
    global _worker_pool
    if _worker_pool is None:
        size = hypergen_settings().websocket_worker_threads
        _worker_pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix="hypergen-consumer")
    return _worker_pool
