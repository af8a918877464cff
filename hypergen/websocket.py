"""Websockets: ``@consumer`` functions called over a socket, groups, and server push.

A consumer function is ``f(consumer, request, *args)``. ``consumer`` is the Channels
consumer of this connection (attributes set on it last as long as the connection),
``request`` a Django request built from the websocket's scope. What the function
renders and queues goes to every socket connected to the same consumer URL (its
group), or only to the sender with ``broadcast=False``. The wire protocol is
described in docs/protocol.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import inspect
import io
import itertools
import json
import logging
import re
import sys
import threading
import traceback
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from importlib import import_module
from typing import Any

from asgiref.sync import async_to_sync, sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from channels_redis.core import RedisChannelLayer
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse

from hypergen import views as _views
from hypergen.conf import hypergen_settings
from hypergen.context import context
from hypergen.layers import UNREACHABLE_ERRORS
from hypergen.permissions import matched_perms
from hypergen.routing import ViewInfo, view_info
from hypergen.serialization import WireError, dumps, loads
from hypergen.template import RenderState, render_into
from hypergen.views import ViewState

__all__ = ["Group", "apush", "consumer", "group_name", "push"]

logger = logging.getLogger("hypergen.websocket")

#: Close codes. The client comes straight back after these two...
CLOSE_SERVICE_RESTART = 1012  # The server is shutting down (SIGTERM): reconnect at once, with jitter.
CLOSE_TRY_AGAIN_LATER = 1013  # The server cannot take the socket now (Redis unreachable): retry with backoff.
#: ...and stops reconnecting after these.
CLOSE_PERMISSION_DENIED = 4403  # Refused: permission, host or origin.
CLOSE_NOT_FOUND = 4404  # No consumer at this path.
FINAL_CLOSE_CODES = (CLOSE_PERMISSION_DENIED, CLOSE_NOT_FOUND)

#: The client's heartbeat, answered on the event loop at once (docs/protocol.md).
PING_FRAME = '{"t":"ping"}'
PONG_FRAME = '{"t":"pong"}'


def max_message_bytes() -> int:
    """The largest text frame a client may send (``HYPERGEN["WEBSOCKET_MAX_MESSAGE_BYTES"]``)."""
    return hypergen_settings().websocket_max_message_bytes


# Groups ----------------------------------------------------------------------------------

_UNSAFE_GROUP_CHARACTERS = re.compile(r"[^a-zA-Z0-9\-_.]")


def group_name(raw: str) -> str:
    """A channel layer group name for ``raw`` (a URL path or a custom name).

    Valid for every layer whatever ``raw`` holds (only ASCII letters, digits,
    ``-_.``, under 100 characters), and distinct for distinct ``raw`` values.
    """
    digest = hashlib.sha256(raw.encode()).hexdigest()[:16]
    readable = _UNSAFE_GROUP_CHARACTERS.sub("_", raw)[:60]
    return f"hypergen.{readable}.{digest}"


class Group:
    """A group to push to: ``my_consumer.group(room_name="lobby")`` or ``Group("vip_group")``."""

    def __init__(self, name: str, info: ViewInfo | None = None) -> None:
        self.raw_name = name
        self.name = group_name(name)
        self.info = info

    def __repr__(self) -> str:
        return f"<hypergen group {self.raw_name!r}>"


def _group_of_consumer(info: ViewInfo, **url_kwargs: Any) -> Group:
    if info.extra.get("group_name") is not None:
        raise TypeError(
            f"{info.name} names its groups with group_name=, which needs a connected consumer. Push to the "
            "name it returns instead: push(Group('that name'), ...)."
        )
    return Group(info.reverse_path(**url_kwargs), info)


_sequences: dict[str, itertools.count] = {}


async def _next_sequence(group: str) -> int:
    """The next sequence number of ``group``'s messages.

    Shared by every process on a Redis layer (an INCR next to the group's own keys, expiring
    with the group); per process otherwise.
    """
    layer = get_channel_layer()
    if isinstance(layer, RedisChannelLayer):
        connection = layer.connection(layer.consistent_hash(group))
        key = f"{layer.prefix}hypergen-seq:{group}"
        sequence = await connection.incr(key)
        if sequence == 1:
            await connection.expire(key, layer.group_expiry)
        return sequence
    counter = _sequences.get(group)
    if counter is None:
        counter = _sequences[group] = itertools.count(1)
    return next(counter)


async def _send_to_group(group: str, commands: list) -> None:
    layer = get_channel_layer()
    sequence = await _next_sequence(group)
    text = json.dumps({"t": "commands", "seq": sequence, "commands": commands}, separators=(",", ":"))
    await layer.group_send(group, {"type": "hypergen.frame", "text": text})


# The consumer ------------------------------------------------------------------------------


def websocket_request(scope: dict, resolver_match: Any) -> HttpRequest:
    """A Django request for a websocket connection: user, session, cookies, headers, path, resolver_match."""
    http_scope = {
        **scope,
        "type": "http",
        "method": "GET",
        "scheme": "https" if scope.get("scheme") == "wss" else "http",
    }
    request = ASGIRequest(http_scope, io.BytesIO())
    if "user" in scope:
        request.user = scope["user"]
    if "session" in scope:
        request.session = scope["session"]
    request.resolver_match = resolver_match
    return request


class _AnySession:
    def __init__(self, session: Any) -> None:
        self.session = session


def _fresh_user(request: HttpRequest) -> Any:
    """The user of the request's session as it is now (logged out elsewhere means anonymous)."""
    from django.contrib.auth import get_user
    from django.contrib.auth.models import AnonymousUser

    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return getattr(request, "user", AnonymousUser())
    store = import_module(settings.SESSION_ENGINE).SessionStore(session.session_key)
    return get_user(_AnySession(store))


class HypergenConsumer(AsyncWebsocketConsumer):
    """The Channels consumer behind every @consumer function: one instance per connection."""

    info: ViewInfo
    request: HttpRequest
    group: str
    url_kwargs: dict

    async def connect(self) -> None:
        self.info, match = self.scope["hypergen"]
        self.url_args = match.args
        self.url_kwargs = match.kwargs
        self.request = websocket_request(self.scope, match)
        with _views.request_context(self.request):
            self.own_url = websocket_url(self.request.path)
        user = self.scope.get("user")
        allowed = True
        if self.info.perms:
            allowed = await database_sync_to_async(matched_perms)(user, self.info) is not None
        if not allowed:
            # Accept and close with an application code: a refused handshake reads as a
            # network error (1006) in the browser, which would retry forever.
            await self.accept()
            await self.close(code=CLOSE_PERMISSION_DENIED)
            return
        custom = self.info.extra.get("group_name")
        group = group_name(str(custom(self)) if custom else self.scope["path"])
        try:
            await self.channel_layer.group_add(group, self.channel_name)
        except UNREACHABLE_ERRORS as error:
            # The layer logs the outage once; the client retries with backoff until it is over.
            logger.debug("websocket %s: cannot join its group: %s", self.scope["path"], error)
            await self.accept()
            await self.close(code=CLOSE_TRY_AGAIN_LATER)
            return
        self.group = group
        await self.accept()

    async def disconnect(self, code: int) -> None:
        self.gone = True
        if getattr(self, "group", None):
            with contextlib.suppress(*UNREACHABLE_ERRORS):  # Redis is down: the membership expires by itself.
                await self.channel_layer.group_discard(self.group, self.channel_name)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        self.finished = asyncio.Event()
        _live_consumers.add(self)
        _close_sockets_on_shutdown()
        try:
            await super().__call__(scope, receive, send)
        except asyncio.CancelledError:
            # The ASGI server cancels the applications it is shutting down.
            await self.close_for_restart()
            raise
        finally:
            _live_consumers.discard(self)
            self.finished.set()

    async def close_for_restart(self) -> None:
        """Close with 1012: the page reconnects at once (to this process's successor)."""
        if getattr(self, "gone", False) or getattr(self, "restarting", False):
            return
        self.restarting = True
        with contextlib.suppress(Exception):
            await self.base_send({"type": "websocket.close", "code": CLOSE_SERVICE_RESTART})

    async def send_text(self, text: str) -> None:
        """Send a frame unless the socket is gone (a frame racing the client's disconnect is dropped)."""
        if getattr(self, "gone", False):
            return
        try:
            await self.base_send({"type": "websocket.send", "text": text})
        except Exception as error:  # The ASGI server's transport closed under us.
            self.gone = True
            logger.debug("websocket %s: dropped a frame for a closed socket: %s", self.scope.get("path"), error)

    async def hypergen_frame(self, event: dict) -> None:
        """A group message: already serialized once by the sender, forwarded as is."""
        await self.send_text(event["text"])

    async def dispatch(self, message: dict) -> None:
        if message["type"] == "websocket.receive":
            if message.get("text") == PING_FRAME:
                return await self.send_text(PONG_FRAME)
            return await self._receive_in_thread(message)
        return await super().dispatch(message)

    @database_sync_to_async
    def _receive_in_thread(self, message: dict) -> None:
        """Handle a client frame in a worker thread (the consumer function may use the ORM).

        The answer is sent from the thread too, as Channels' sync consumers do: it leaves
        before the thread hands back to the event loop, which measured as the fastest
        round trip on daphne (bench/ws.py). Group messages are forwarded on the loop.
        """
        frames, group_commands = self._handle(message.get("text"))
        if group_commands:
            async_to_sync(_send_to_group)(self.group, group_commands)
        if not hasattr(self, "_send_from_thread"):
            self._send_from_thread = async_to_sync(self.send_text)
        for frame in frames:
            self._send_from_thread(frame)

    def _handle(self, text: str | None) -> tuple[list[str], list | None]:
        """The frames for the sender, and the commands for the group, answering one client frame."""
        if text is None:
            return [self._error(None, "bad-message", "Binary frames are not supported; send JSON text.")], None
        if len(text.encode()) > max_message_bytes():
            message = f"The message is larger than the {max_message_bytes()} bytes allowed."
            return [self._error(None, "too-large", message)], None
        try:
            event = _parse_event(text)
        except WireError as error:
            return [self._error(_event_id(text), "bad-message", str(error))], None
        ack = json.dumps({"t": "ack", "id": event["id"]})
        if _already_handled(event):
            return [ack], None
        outcome = self._run(event)
        _remember_handled(event)
        if outcome["error"]:
            # An error frame carries the event's id: it acknowledges the event too.
            return [self._error(event["id"], outcome["code"], outcome["error"])], None
        if outcome["commands"] and not outcome["broadcast"]:
            # An answer to the sender alone acknowledges the event in the same frame.
            frame = {"t": "commands", "commands": outcome["commands"], "ack": event["id"]}
            return [json.dumps(frame, separators=(",", ":"))], None
        return [ack], outcome["commands"] or None

    def _error(self, event_id: Any, code: str, message: str) -> str:
        logger.warning("websocket %s: %s: %s", self.scope.get("path"), code, message)
        return json.dumps({"t": "error", "id": event_id, "code": code, "message": message})

    def _run(self, event: dict) -> dict:
        """Call the consumer function (in a thread: it may use the ORM) and collect its commands."""
        info, request = self.info, self.request
        outcome: dict = {"error": None, "code": None, "commands": [], "broadcast": info.extra["broadcast"]}
        if info.perms:
            request.user = self.scope["user"] = _fresh_user(request)
        matched = matched_perms(request.user, info) if info.perms else ()
        if matched is None:
            outcome.update(code="permission-denied", error=f"Permission denied: {info.name} needs {info.perm!r}.")
            return outcome
        call_args = (*self.url_args, *event["args"])
        problem = _views.arguments_problem(info.func, info.extra["signature"], (self, request, *call_args), {})
        if problem:
            outcome.update(code="bad-arguments", error=problem)
            return outcome
        state = ViewState(request, info, matched, meta=event["meta"])
        state.broadcast = info.extra["broadcast"]
        try:
            state.own_websocket_url = self.own_url
            with render_into(state), _views.request_context(request):
                outcome["commands"] = _views.run_action(state, lambda: info.func(self, request, *call_args))
            if info.appstate is not None:
                _views.save_appstate(request, state)
                request.session.save()
        except Exception as error:
            logger.exception("Consumer %s failed", info.name)
            detail = "".join(traceback.format_exception(error)) if settings.DEBUG else ""
            outcome.update(code="server-error", error=f"{info.name} failed. {detail}".strip(), commands=[])
            return outcome
        outcome["broadcast"] = state.broadcast
        return outcome


# The consumers of this process's open sockets, closed with 1012 when the server shuts down.
_live_consumers: weakref.WeakSet[HypergenConsumer] = weakref.WeakSet()
_shutdown_hook_installed = False
#: Seconds a shutting-down server waits for its clients to answer the 1012 close.
SHUTDOWN_CLOSE_TIMEOUT = 2.0


def _close_sockets_on_shutdown() -> None:
    """Under daphne, close every socket with 1012 before the server stops, once per process.

    daphne does not close sockets on SIGTERM (Twisted drops the connections: the browser sees
    1006 and backs off), and the websocket library under it refuses 1012 from an application, so
    the closing frames are sent through its protocol objects. uvicorn sends 1012 itself.
    """
    global _shutdown_hook_installed
    if _shutdown_hook_installed or "twisted.internet.reactor" not in sys.modules:
        return
    from twisted.internet import defer, reactor
    from twisted.internet.interfaces import IListeningPort

    if getattr(reactor, "_asyncioEventloop", None) is not asyncio.get_running_loop():
        return  # Not daphne's reactor serving this loop.
    _shutdown_hook_installed = True

    async def close_all() -> None:
        # Accept no new sockets first: a page told to come back must reach this process's successor.
        for reader in reactor.getReaders():
            if IListeningPort.providedBy(reader):
                reader.stopListening()
        consumers = list(_live_consumers)
        for consumer in consumers:
            consumer.restarting = True
        protocols = list(_open_daphne_websockets(reactor))
        for protocol in protocols:
            protocol.sendCloseFrame(code=CLOSE_SERVICE_RESTART, isReply=False)
        # Wait for the clients' closing handshakes: Twisted drops unflushed writes when it stops.
        waits = [asyncio.ensure_future(consumer.finished.wait()) for consumer in consumers]
        if waits:
            await asyncio.wait(waits, timeout=SHUTDOWN_CLOSE_TIMEOUT)
        for wait in waits:
            wait.cancel()
        logger.info("Closed %d websocket(s) with 1012 before shutting down.", len(protocols))

    reactor.addSystemEventTrigger(
        "before", "shutdown", lambda: defer.Deferred.fromFuture(asyncio.ensure_future(close_all()))
    )


def _open_daphne_websockets(reactor: Any) -> Iterator[Any]:
    from daphne.ws_protocol import WebSocketProtocol

    for reader in reactor.getReaders():
        protocol = getattr(reader, "protocol", None)
        protocol = getattr(protocol, "wrappedProtocol", protocol)  # Under TLS.
        if isinstance(protocol, WebSocketProtocol) and protocol.state == protocol.STATE_OPEN:
            yield protocol


def _event_id(text: str) -> Any:
    try:
        event = json.loads(text)
        return event.get("id") if isinstance(event, dict) else None
    except ValueError:
        return None


def _parse_event(text: str) -> dict:
    event = loads(text)
    if type(event) is not dict or type(event.get("args")) is not list:
        raise WireError('a message must be a JSON object with an "args" list')
    if type(event.get("id", 0)) is not int:
        raise WireError('"id" must be an integer')
    if type(event.get("cid", "")) is not str or len(event.get("cid", "")) > 64:
        raise WireError('"cid" must be a short string')
    meta = event.get("meta", {})
    if type(meta) is not dict:
        raise WireError('"meta" must be a JSON object')
    return {"id": event.get("id"), "cid": event.get("cid"), "args": event["args"], "meta": meta}


# The last event id handled per client id, so that an event the client sends again after a
# reconnect (its ack was lost) runs once. Kept in this process: a plain dict is far cheaper
# per event than Django's cache, whose handler is looked up anew in every async context.
_MAX_REMEMBERED_CLIENTS = 10_000
_handled: OrderedDict[str, int] = OrderedDict()
_handled_lock = threading.Lock()


def _already_handled(event: dict) -> bool:
    """True for an event resent after a reconnect that this process had handled already."""
    if not event["cid"] or event["id"] is None:
        return False
    with _handled_lock:
        return _handled.get(event["cid"], 0) >= event["id"]


def _remember_handled(event: dict) -> None:
    if not event["cid"] or event["id"] is None:
        return
    with _handled_lock:
        _handled[event["cid"]] = event["id"]
        _handled.move_to_end(event["cid"])
        if len(_handled) > _MAX_REMEMBERED_CLIENTS:
            _handled.popitem(last=False)


# The decorator ---------------------------------------------------------------------------------


def consumer(
    perm: Any = None,
    path: str | None = None,
    re_path: str | None = None,
    target_id: str | None = None,
    base_template: Callable | None = None,
    any_perm: bool = False,
    autourl: bool = True,
    partial: bool = True,
    base_view: Callable | None = None,
    appstate: Callable[[], Any] | None = None,
    group_name: Callable[[Any], str] | None = None,
    broadcast: bool = True,
) -> Callable[[Callable], Callable]:
    """Make ``func(consumer, request, *args)`` callable over a websocket with ``callback(func, *args)``.

    ``group_name=lambda consumer: "..."`` picks the group a connection joins (default:
    one group per consumer URL). ``broadcast=False`` answers only the sender.
    """
    options = dict(locals())  # Every keyword argument above; the websocket ones go to ``extra``.
    del options["group_name"], options["broadcast"]
    if group_name is not None and not callable(group_name):
        raise TypeError(f"@consumer(group_name={group_name!r}): give a function of the consumer returning a str.")

    def decorator(func: Callable) -> Callable:
        extra = {"group_name": group_name, "broadcast": broadcast, "signature": inspect.signature(func)}
        info = ViewInfo(kind="consumer", func=func, extra=extra, **options)

        @functools.wraps(func)
        def http_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return _views.error_response(
                426, f"{func.__name__} is a @consumer: connect to it with a websocket, not plain HTTP."
            )

        http_view.hypergen = info  # type: ignore[attr-defined]
        http_view.reverse = info.reverse  # type: ignore[attr-defined]
        http_view.group = functools.partial(_group_of_consumer, info)  # type: ignore[attr-defined]
        info.view = http_view
        return http_view

    return decorator


# Server push ---------------------------------------------------------------------------------


def _resolve_target(target: Group | str | Callable, url_kwargs: dict) -> Group:
    if isinstance(target, Group):
        return target
    if isinstance(target, str):
        return Group(target)
    info = view_info(target)
    if info is not None and info.kind == "consumer":
        return _group_of_consumer(info, **url_kwargs)
    raise TypeError(f"push() sends to a Group, a group name or a @consumer, got {target!r}.")


def _render_commands(group: Group, what: Any, args: tuple) -> list:
    if isinstance(what, list) and not args:
        if not all(isinstance(c, (list, tuple)) and c and isinstance(c[0], str) for c in what):
            raise TypeError('push(): a list of commands looks like [["hypergen.append", "id", "<li>x</li>"]].')
        dumps(what)  # Refuse what cannot travel before anything is sent.
        return [list(c) for c in what]
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
        target_id = group.info.resolved_target_id if group.info else None
        if target_id is None:
            raise TypeError(
                f"push() to {group!r} wrote HTML but there is no target_id to put it in; use js.morph(id, html) "
                "or js.append(id, html) to say where it goes."
            )
        commands.insert(0, ["hypergen.morph", target_id, html])
    return dumps_ready(commands)


def dumps_ready(commands: list) -> list:
    """Commands turned into plain JSON data (tagged values for dates and the like)."""
    return json.loads(dumps(commands))


async def apush(target: Group | str | Callable, what: Any, *args: Any, **url_kwargs: Any) -> None:
    """Send commands to every socket of a group, from async code.

    ``target`` is a @consumer (its URL's group; URL kwargs as keyword arguments), a
    ``Group`` or a group name. ``what`` is a function that queues commands (``js.append``
    with its arguments, a template writing HTML into the consumer's target) or a
    list of commands.
    """
    group = _resolve_target(target, url_kwargs)
    commands = await sync_to_async(_render_commands)(group, what, args)
    await _send_to_group(group.name, commands)


def push(target: Group | str | Callable, what: Any, *args: Any, **url_kwargs: Any) -> None:
    """Send commands to every socket of a group, from sync code (a view, a thread, a command).

    ``push(send_message, js.append, "messages", hypergen(li, "Hi"), room_name="lobby")``
    """
    try:
        async_to_sync(apush)(target, what, *args, **url_kwargs)
    except RuntimeError as error:
        if "async event loop" in str(error):
            raise RuntimeError("push() was called from async code: use `await apush(...)` there.") from error
        raise


def websocket_url(path: str) -> str:
    """The absolute ws:// or wss:// URL of ``path`` for the current request's host and scheme."""
    request = context.get("request")
    if request is None:
        raise RuntimeError(
            f"The websocket URL of {path!r} depends on the request's host and scheme, and no request is active. "
            "Call reverse() while a request is handled, or build the URL yourself."
        )
    scheme = "wss" if request.is_secure() else "ws"
    return f"{scheme}://{request.get_host()}{path}"
