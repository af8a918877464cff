"""Server push: render commands anywhere (a view, a task, a script) and send them to a group's sockets."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from typing import Any

from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.core.exceptions import ImproperlyConfigured

from hypergen.routing import ViewInfo, view_info
from hypergen.serialization import dumps
from hypergen.template import RenderState, render_into
from hypergen.websocket.delivery import send_to_group, send_to_group_sync
from hypergen.websocket.groups import Group, group_of_consumer

Target = Group | str | Callable


async def apush(target: Target, what: Any, *args: Any, **url_kwargs: Any) -> None:
    """Send commands to every socket of a group, from async code.

    ``target`` is a @consumer (its URL's group; URL kwargs as keyword arguments), a
    ``Group`` or a group name. ``what`` is a function that queues commands (``js.append``
    with its arguments, a template writing HTML into the consumer's target) or a
    list of commands.
    """
    refuse_unreachable_layer("apush()")
    group = _resolve_target(target, url_kwargs)
    body = await sync_to_async(_render_commands)(group, what, args)
    batch = _batch.get()
    if batch is not None:
        batch.append((group.name, body))
    else:
        await send_to_group(group.name, [body])


def push(target: Target, what: Any, *args: Any, **url_kwargs: Any) -> None:
    """Send commands to every socket of a group, from sync code (a view, a thread, a command).

    ``push(send_message, js.append, "messages", hypergen(li, "Hi"), room_name="lobby")``
    """
    _refuse_async_caller("push()", "await apush(...)")
    refuse_unreachable_layer("push()")
    group = _resolve_target(target, url_kwargs)
    body = _render_commands(group, what, args)
    batch = _batch.get()
    if batch is not None:
        batch.append((group.name, body))
    else:
        send_to_group_sync(group.name, [body], _run_sync)


_batch: ContextVar[list[tuple[str, str]] | None] = ContextVar("hypergen_push_batch", default=None)


class push_batch:
    """Collect the push() (or apush()) calls of a block and send them when it ends, in order.

    One round trip per group instead of one per push, for bursts:
    ``with push_batch(): for row in rows: push(board, js.append, "rows", hypergen(row_view, row))``.
    A block that raises sends nothing. ``async with push_batch():`` works the same in async code.
    """

    def __enter__(self) -> push_batch:
        _refuse_async_caller("with push_batch()", "async with push_batch()")
        self._token = _batch.set([])
        return self

    def __exit__(self, error_type: Any, *rest: Any) -> None:
        batch = self._collected()
        if error_type is None:
            for group, bodies in _by_group(batch).items():
                send_to_group_sync(group, bodies, _run_sync)

    async def __aenter__(self) -> push_batch:
        self._token = _batch.set([])
        return self

    async def __aexit__(self, error_type: Any, *rest: Any) -> None:
        batch = self._collected()
        if error_type is None:
            await _send_batch(batch)

    def _collected(self) -> list[tuple[str, str]]:
        batch = _batch.get() or []
        _batch.reset(self._token)
        return batch


async def _send_batch(batch: list[tuple[str, str]]) -> None:
    for group, bodies in _by_group(batch).items():
        await send_to_group(group, bodies)


def _by_group(batch: list[tuple[str, str]]) -> dict[str, list[str]]:
    bodies_by_group: dict[str, list[str]] = {}
    for group, body in batch:
        bodies_by_group.setdefault(group, []).append(body)
    return bodies_by_group


def _resolve_target(target: Target, url_kwargs: dict) -> Group:
    if isinstance(target, Group):
        return target
    if isinstance(target, str):
        return Group(target)
    info = view_info(target)
    if info is not None and info.kind == "consumer":
        return group_of_consumer(info, **url_kwargs)
    raise TypeError(f"push() sends to a Group, a group name or a @consumer, got {target!r}.")


def _render_commands(group: Group, what: Any, args: tuple) -> str:
    """The commands ``what`` stands for, as the JSON text of the group frame."""
    return render_commands(group.info, what, args, repr(group))


def render_commands(info: ViewInfo | None, what: Any, args: tuple, where: str) -> str:
    """The commands ``what(*args)`` queues (HTML it writes goes to ``info``'s target), as JSON text."""
    if isinstance(what, list) and not args:
        if not all(isinstance(c, (list, tuple)) and c and isinstance(c[0], str) for c in what):
            raise TypeError('push(): a list of commands looks like [["hypergen.append", "id", "<li>x</li>"]].')
        return dumps([list(c) for c in what])  # Refuses what cannot travel before anything is sent.
    if not callable(what):
        raise TypeError(
            f"push(): give a function to run (js.append, a template, ...) or a list of commands, got {what!r}."
        )
    state = RenderState()
    state.commands = []
    with render_into(state):
        what(*args)
    commands = state.commands
    html = state.html()
    if html:
        target_id = info.resolved_target_id if info else None
        if target_id is None:
            raise TypeError(
                f"push() to {where} wrote HTML but there is no target_id to put it in; use js.morph(id, html) "
                "or js.append(id, html) to say where it goes."
            )
        commands.insert(0, ["hypergen.morph", target_id, html])
    return dumps(commands)


# The process whose Hypergen ASGI application has run: the one process the in-memory layer's
# groups live in. A pid, so that a process forked from the server does not count as it.
_serving_pid: int | None = None


def mark_serving() -> None:
    """Note that this process serves websockets (hypergen.asgi's application calls it)."""
    global _serving_pid
    _serving_pid = os.getpid()


def refuse_unreachable_layer(what: str) -> None:
    """Raise when a push cannot reach any socket: the in-memory layer, in a process that is not the server.

    The in-memory layer's groups live in the server process. Another process (a shell, a management
    command, a Celery worker, a WSGI server) would push into groups of its own that no socket joins,
    and nothing would tell anyone. Under Django's test environment pushing to nobody is allowed:
    a test of a view that pushes need not open sockets.
    """
    if _serving_pid == os.getpid() or not isinstance(get_channel_layer(), InMemoryChannelLayer):
        return
    from django.core import mail

    if hasattr(mail, "outbox"):  # Set by django.test.utils.setup_test_environment().
        return
    raise ImproperlyConfigured(
        f"{what}: the channel layer is the in-memory one (no REDIS_URL or CHANNEL_LAYERS setting), which "
        "reaches only the sockets of the server process, and this process serves no websockets. Set REDIS_URL "
        "(e.g. redis://localhost:6379/0) or CHANNEL_LAYERS to a channels_redis layer in the settings of both "
        "the server and this process."
    )


def _refuse_async_caller(what: str, instead: str) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(f"{what} was called from async code: use `{instead}` there.")


def _run_sync(coroutine: Coroutine) -> Any:
    """Run ``coroutine`` for sync code: on the server's loop for the in-memory layer, else on our own."""
    if isinstance(get_channel_layer(), InMemoryChannelLayer):
        # Its queues belong to the loop of the server in this process: only that loop may use them.
        return async_to_sync(_awaited)(coroutine)
    return _push_loop.run(coroutine)


async def _awaited(coroutine: Coroutine) -> Any:
    return await coroutine


class _PushLoop:
    """An event loop in a thread of its own, kept for the life of the process.

    asgiref's async_to_sync starts a fresh loop for each call from plain sync code (a script, a
    worker), and the Redis layer then opens fresh connections for it: about 120 pushes/s. With
    one loop the connections are reused.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid = 0

    def run(self, coroutine: Coroutine) -> Any:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():  # Not started yet, or forked since.
                self._loop = asyncio.new_event_loop()
                threading.Thread(target=self._loop.run_forever, name="hypergen push", daemon=True).start()
                self._pid = os.getpid()
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()


_push_loop = _PushLoop()
