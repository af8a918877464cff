"""The Channels consumer behind every @consumer function: one instance per connection."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import traceback
from typing import Any

from asgiref.sync import sync_to_async
from channels.db import DatabaseSyncToAsync, database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.handlers.asgi import ASGIRequest
from django.db import close_old_connections
from django.http import HttpRequest

from hypergen import core, signals
from hypergen.conf import hypergen_settings
from hypergen.layers import UNREACHABLE_ERRORS
from hypergen.permissions import denied_message, may_listen
from hypergen.routing import ViewInfo
from hypergen.serialization import WireError
from hypergen.websocket import auth, diff, history, limits, presence, protocol, signing, state
from hypergen.websocket.delivery import (
    FRAME_TYPE,
    HANDLED,
    RUN,
    aclaim,
    claim,
    finish,
    handled_key,
    release,
    send_to_group,
)
from hypergen.websocket.groups import group_name
from hypergen.websocket.push import render_commands
from hypergen.websocket.shutdown import close_sockets_on_shutdown, live_consumers
from hypergen.websocket.store import shared_store
from hypergen.websocket.urls import websocket_url
from hypergen.workers import worker_pool

logger = logging.getLogger("hypergen.websocket")


async def aclose_old_connections() -> None:
    """Close database connections that are too old or broken, from the ORM's thread.

    What Channels 4.2's channels.db.aclose_old_connections() does; Channels 4.0 and 4.1 have none.
    """
    await sync_to_async(close_old_connections)()


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


def _fresh_user(request: HttpRequest) -> Any:
    """The user of the request's session as it is now (logged out elsewhere means anonymous)."""
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return getattr(request, "user", None) or auth.session_user(None)
    return auth.session_user(session.session_key)


# A frame queued behind the socket's events by send_in_order(), sent when its turn comes.
_ANSWER_TYPE = "hypergen.answer"


def _utf8_size(text: str) -> int:
    """Bytes of ``text`` in UTF-8 (a lone surrogate counted, not refused: the parser says what is wrong)."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


class HypergenConsumer(AsyncWebsocketConsumer):
    """One connection to a @consumer's URL: runs its events, forwards its group's messages."""

    info: ViewInfo
    request: HttpRequest
    group: str | None = None
    url_kwargs: dict
    gone = False  # The client went away: frames for it are dropped.
    _handle_in_pool: Any = None  # Runs _receive_in_thread in the worker pool, made on the first frame.
    _on_loop: bool | None = None  # Events run on the event loop (decided on the first frame).
    restarting = False  # The server is shutting down and told the client so.
    rate_limit: limits.RateLimit | None = None  # Set in connect() (hypergen/websocket/limits.py).
    sent_html = diff.SentHtml(0)  # Set in connect(): big morphs as splices (hypergen/websocket/diff.py).
    _events: asyncio.Queue | None = None  # Events waiting for _run_events(), made on the first one.
    _waiting_bytes = 0  # What the client frames in _events hold.
    _handling = False  # _run_events() is handling one now.
    _stopping = False  # The connection ended: _run_events() stops after the event it handles.
    _event_runner: asyncio.Task | None = None

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        self.finished = asyncio.Event()
        self._sending = asyncio.Lock()
        live_consumers.add(self)
        close_sockets_on_shutdown()
        try:
            await super().__call__(scope, receive, send)
        except asyncio.CancelledError:
            # ASGI servers cancel the applications they are shutting down.
            await self.close_for_restart()
            raise
        finally:
            self._stop_events()  # Nothing to do, unless the server cancelled this connection.
            live_consumers.discard(self)
            self.finished.set()

    async def connect(self) -> None:
        self.rate_limit = limits.rate_limit()  # Abuse limits: hypergen/websocket/limits.py.
        self.sent_html = diff.SentHtml(hypergen_settings().websocket_diff_bytes)
        self.info, match = self.scope["hypergen"]
        self.url_args = match.args
        self.url_kwargs = match.kwargs
        self.request = websocket_request(self.scope, match)
        with core.request_context(self.request):
            self.own_url = websocket_url(self.request.path)
        if not await signing.admit(self):  # @consumer(signed=True): hypergen/websocket/signing.py.
            return
        user = self.scope.get("user")
        allowed = True
        if self.info.listen_perms:
            allowed = await database_sync_to_async(may_listen)(user, self.info)
        if not allowed:
            # Accept and close with an application code: a refused handshake reads as a
            # network error (1006) in the browser, which would retry forever.
            await self.accept()
            await self.close(code=protocol.CLOSE_PERMISSION_DENIED)
            return
        restored = await self._restore_page_state()
        custom = self.info.group_name
        group = group_name(str(custom(self)), "named") if custom else group_name(self.scope["path"], "url")
        query = self.scope.get("query_string", b"")
        resume = protocol.resume_point(query)
        try:
            # Where the numbering is before joining: a message sent after this is either heard
            # live or found in the history, so a page told "from here" misses nothing.
            start = await history.position(group) if resume else None
            if resume and resume[0] and resume[0] != start.epoch and protocol.after_restart(query):
                # The page saw every message of the old numbering until the restart closed its
                # socket; what it missed is the new numbering's, from its start.
                resume = (start.epoch, 0)
            await self.channel_layer.group_add(group, self.channel_name)
            replay = await history.since(group, *resume) if resume and resume[0] else None
        except UNREACHABLE_ERRORS as error:
            # The layer logs the outage once; the client retries with backoff until it is over.
            logger.debug("websocket %s: cannot join its group: %s", self.scope["path"], error)
            await self.accept()
            await self.close(code=protocol.CLOSE_TRY_AGAIN_LATER)
            return
        self.group = group
        await auth.join(self)  # Logout elsewhere closes it: hypergen/websocket/auth.py.
        await signals.asend(signals.socket_connected, self.info, path=self.scope["path"], group=group)
        if self.info.presence:
            await self._join_presence(group)
        # What the consumer has now is its own (Channels' and ours): never kept for the page.
        self._own_attributes = set(vars(self)) - set(restored)
        await self.accept()
        # Sent before any live group message: those wait until connect() returns.
        if replay is not None:
            await self._send_replay(replay, resume[1])
        elif start is not None:
            await self.send_text(protocol.hello_frame(start.epoch, start.last))

    async def _join_presence(self, group: str) -> None:
        """List this socket among its group's members, and tell the group who is there now."""
        user = self.scope.get("user")
        name = user.get_username() if user is not None and user.is_authenticated else None
        meta = self.info.presence(self) if callable(self.info.presence) else {}
        if not isinstance(meta, dict):
            raise TypeError(f"@consumer(presence=...) of {self.info.name} returned {meta!r}: return a dict.")
        await presence.join(group, self.channel_name, name, meta)
        await self._announce_presence()

    async def _announce_presence(self) -> None:
        if self.info.on_presence is None:
            return
        members = await presence.group_members(self.group)
        body = await sync_to_async(render_commands)(self.info, self.info.on_presence, (members,), self.info.name)
        await send_to_group(self.group, [body])

    async def _restore_page_state(self) -> dict:
        """Give the consumer back what it kept for this page (the page names itself with a signed token)."""
        self._page_state = None
        page = state.page_id(protocol.page_token(self.scope.get("query_string", b"")))
        if page is None:
            return {}
        session = getattr(self.request, "session", None)
        self._page_state = state.PageState(page, session.session_key if session else None, self.scope["path"])
        restored = await sync_to_async(self._page_state.load, thread_sensitive=False)()
        for name, value in restored.items():
            setattr(self, name, value)
        return restored

    async def _send_replay(self, replay: history.Replay, seq: int) -> None:
        """What a page that applied up to ``seq`` missed, in order; or, past the window, a resync."""
        position = replay.position
        count = None if replay.messages is None else len(replay.messages)
        await signals.asend(signals.replayed, self.info, path=self.scope["path"], group=self.group, messages=count)
        if replay.messages is None:
            logger.info("websocket %s: the page missed more than the history keeps; it re-renders", self.scope["path"])
            await self.send_text(protocol.resync_frame(position.epoch, position.last))
            return
        await self.send_text(protocol.hello_frame(position.epoch, seq))
        for number, body in replay.messages:
            await self.send_text(protocol.group_frame(number, body))

    async def _replay_request(self, text: str) -> None:
        """The page noticed a gap in its group's messages: send what it missed."""
        try:
            epoch, seq = protocol.parse_replay_request(text)
            replay = await history.since(self.group, epoch, seq)
        except WireError as error:
            await self.send_text(self._error(None, "bad-message", str(error)))
            return
        except UNREACHABLE_ERRORS:
            return  # The page asks again; the layer has logged the outage.
        await self._send_replay(replay, seq)

    async def disconnect(self, code: int) -> None:
        self.gone = True
        await self._finish_events()
        await auth.leave(self)
        if self.group:
            path = self.scope["path"]
            await signals.asend(signals.socket_disconnected, self.info, path=path, group=self.group, code=code)
            if self.info.presence:
                with contextlib.suppress(*UNREACHABLE_ERRORS):
                    await presence.leave(self.group, self.channel_name)
                    await self._announce_presence()
            with contextlib.suppress(*UNREACHABLE_ERRORS):  # Redis is down: the membership expires by itself.
                await self.channel_layer.group_discard(self.group, self.channel_name)

    async def close_for_restart(self) -> None:
        """Close with 1012: the page reconnects at once (to this process's successor)."""
        if self.gone or self.restarting:
            return
        self.restarting = True
        with contextlib.suppress(Exception):
            await self.base_send({"type": "websocket.close", "code": protocol.CLOSE_SERVICE_RESTART})

    async def send_text(self, text: str) -> None:
        """Send a frame unless the socket is gone (a frame racing the client's disconnect is dropped)."""
        if self.gone:
            return
        # Answers (from the event task) and group messages (from dispatch) may be sent at the same
        # time: splicing and sending are one step, so that frames leave in the order they were
        # spliced in (the client rebuilds them in that order: client/src/diff.js).
        async with self._sending:
            text = self.sent_html.frame(text)
            try:
                await self.base_send({"type": "websocket.send", "text": text})
            except Exception as error:  # The ASGI server's transport closed under us.
                self.gone = True
                logger.debug("websocket %s: dropped a frame for a closed socket: %s", self.scope.get("path"), error)
                return
            # Backpressure: nothing more is written while what waits drains; a client that does not
            # read is closed (hypergen/websocket/limits.py).
            await limits.bound_output(self)

    async def hypergen_frame(self, message: dict) -> None:
        """A group message (type delivery.FRAME_TYPE), numbered, forwarded as one frame."""
        if not await auth.may_receive(self):  # A user who lost the permission: hypergen/websocket/auth.py.
            return
        await self.send_text(protocol.group_frame(message["seq"], message["body"]))

    async def hypergen_auth(self, message: dict) -> None:
        """The login of this socket's user changed elsewhere (type auth.CONTROL_TYPE)."""
        await auth.on_control(self, message)

    async def dispatch(self, message: dict) -> None:
        if message["type"] == "websocket.receive":
            if self.gone or not await limits.admit(self, message.get("text")):  # hypergen/websocket/limits.py
                return None
            text = message.get("text")
            if text == protocol.PING_FRAME:
                return await self.send_text(protocol.PONG_FRAME)
            if text is not None and self.group and protocol.REPLAY_REQUEST.match(text):
                return await self._replay_request(text)
            # Events run one after the other in a task of their own, so that pings are answered
            # (and group messages forwarded) while one runs: a slow consumer must not look like a
            # dead connection to the page's heartbeat.
            if self._events is None:
                self._events = asyncio.Queue()
                self._event_runner = asyncio.create_task(self._run_events())
            return await self._queue_event(message, text)
        if message["type"] == FRAME_TYPE:
            # A group message, forwarded on the loop without the database (a permission recheck
            # runs in a worker thread, which tidies its own connections): Channels' dispatch would
            # first hop to a thread for aclose_old_connections(), once per recipient of every message.
            return await self.hypergen_frame(message)
        return await super().dispatch(message)

    async def _queue_event(self, message: dict, text: str | None) -> None:
        """Queue a client frame for _run_events(); refuse it when too large, or when too much waits already.

        What waits is bounded whatever the rate limit (WEBSOCKET_MAX_WAITING_EVENTS and _BYTES):
        past it an event is answered ``rate-limited`` in its turn, and a socket that keeps sending
        into a full queue is closed with 4429.
        """
        config = hypergen_settings()
        size = 0 if text is None else _utf8_size(text)
        limit = config.websocket_max_message_bytes
        if size > limit:
            refusal = self._error(None, "too-large", f"The message is larger than the {limit} bytes allowed.")
            return await self.send_in_order(refusal)
        waiting = self._events.qsize()
        most, most_bytes = config.websocket_max_waiting_events, config.websocket_max_waiting_bytes
        if most is not None and waiting >= 2 * most:
            logger.warning("websocket %s: closed with 4429: %d events waiting", self.scope.get("path"), waiting)
            self.gone = True
            return await self.close(code=protocol.CLOSE_RATE_LIMITED)
        if (most is not None and waiting >= most) or (
            most_bytes is not None and self._waiting_bytes + size > most_bytes
        ):
            event_id = protocol.leading_event_id(text) if text is not None else None
            message_ = "Too many events are waiting for this page's earlier ones to finish. This one was not run."
            return await self.send_in_order(self._error(event_id, "rate-limited", message_))
        self._waiting_bytes += size
        self._events.put_nowait((message, size))

    async def _run_events(self) -> None:
        """Handle this socket's events in the order they came, one at a time."""
        while not self._stopping:
            message, size = await self._events.get()
            self._waiting_bytes -= size
            self._handling = True
            try:
                await self._handle_event(message)
            except asyncio.CancelledError:
                if asyncio.current_task().cancelling():
                    raise
                # Not this task's own cancellation: the socket must go on answering its events.
                logger.exception("websocket %s: could not answer an event", self.scope.get("path"))
            except Exception:  # Sending the answer failed; the event itself has its own boundary.
                logger.exception("websocket %s: could not answer an event", self.scope.get("path"))
            finally:
                self._handling = False
                self._events.task_done()

    def _stop_events(self) -> None:
        """The connection ended: the event that runs, if any, finishes (its group message goes out:
        a worker thread cannot be stopped, and an event that ran must be seen); no other starts."""
        if self._event_runner is None or self._event_runner.done():
            return
        self._stopping = True
        while not self._events.empty():
            self._events.get_nowait()
            self._events.task_done()
        if not self._handling:
            self._event_runner.cancel()  # Waiting for an event that will not come.

    async def send_in_order(self, frame: str) -> None:
        """Send ``frame`` once the events received before it are answered."""
        if self._events is None:
            await self.send_text(frame)
        else:
            self._events.put_nowait(({"type": _ANSWER_TYPE, "text": frame}, 0))

    async def wait_for_events(self) -> None:
        """Until every event received so far has run and been answered."""
        if self._events is not None:
            await self._events.join()

    async def _finish_events(self) -> None:
        """On disconnect: let the running event finish; drop those not started (the page sends them again)."""
        if self._event_runner is None:
            return
        self._stop_events()
        try:
            # Shielded: if the server cancels this connection meanwhile, the event still finishes.
            await asyncio.shield(self._event_runner)
        except asyncio.CancelledError:
            if asyncio.current_task().cancelling():
                raise  # This connection is cancelled: on with it.
            # Else the event task was cancelled while idle, as _stop_events() does.

    async def _handle_event(self, message: dict) -> None:
        text = message.get("text")
        if message["type"] == _ANSWER_TYPE:
            return await self.send_text(text)
        if self._on_loop is None:
            # An async def consumer whose events need no blocking work (runs_on_loop()) on a
            # layer whose handled-event ids live in this process runs on the loop: no thread.
            self._on_loop = core.runs_on_loop(self.info) and shared_store() is None
        if self._on_loop:
            frames, group_body = await self._receive_on_loop(text)
        else:
            # One event of this socket at a time (its events run in order), in a pool shared by
            # every socket: a slow consumer holds up its own socket, not the others.
            if self._handle_in_pool is None:
                self._handle_in_pool = DatabaseSyncToAsync(
                    self._receive_in_thread, thread_sensitive=False, executor=worker_pool()
                )
            frames, group_body = await self._handle_in_pool(message)
        if group_body is not None:
            frames = await self._send_to_group(group_body, frames)
        for frame in frames:
            await self.send_text(frame)

    def _receive_in_thread(self, message: dict) -> tuple[list[str], str | None]:
        """Handle a client frame in a worker thread (the consumer function may use the ORM).

        The one error boundary of the socket side: whatever fails, the event gets an answer (its
        commands, or an error frame with its id) and the socket stays open. The answer and the
        group message are sent on the event loop once the thread is done: one hop to a thread
        and back per event (sending from the thread cost two more, and measured slower on daphne:
        bench/ws.py).
        """
        text = message.get("text")
        try:
            return self._handle(text)
        except Exception:
            logger.exception("websocket %s: could not handle a message", self.scope.get("path"))
            event_id = protocol.event_id_of(text) if isinstance(text, str) else None
            return [self._error(event_id, "server-error", "The server could not handle this.")], None

    async def _send_to_group(self, body: str, frames: list[str]) -> list[str]:
        """Send ``body`` to the group; the frames for the sender: its ack, or an error frame if it could not go."""
        try:
            await send_to_group(self.group, [body])
        except Exception as error:
            # The event ran; its update could not reach the group. The sender is told (the
            # error frame acknowledges the event: running it again would run it twice).
            if isinstance(error, UNREACHABLE_ERRORS):
                logger.debug("websocket %s: the group is unreachable: %s", self.scope.get("path"), error)
            else:
                logger.exception("websocket %s: sending to the group failed", self.scope.get("path"))
            event_id = protocol.id_of_ack(frames[0])
            return [self._error(event_id, "unavailable", "The update could not be sent to the other pages.")]
        return frames

    async def _receive_on_loop(self, text: str | None) -> tuple[list[str], str | None]:
        """_receive_in_thread() for an event that runs on the event loop (the same error boundary)."""
        try:
            event, key, answer = self._read(text)
            if event is None:
                return answer, None
            claimed = await aclaim(key, event["id"], lambda: self.gone)
            if claimed != RUN:
                return self._not_run(event, claimed), None
            try:
                # As Channels' async consumers do before each message: the async ORM's thread drops
                # connections that are too old or broken (the worker threads do it in DatabaseSyncToAsync).
                await aclose_old_connections()
                outcome = await self._run_on_loop(event)
            except asyncio.CancelledError:
                release(key, event["id"])  # Stopped half way by the server: the page's resend runs it.
                raise
            finish(key, event["id"])  # In this process: no I/O.
            return self._answer(event, outcome)
        except Exception:
            logger.exception("websocket %s: could not handle a message", self.scope.get("path"))
            event_id = protocol.event_id_of(text) if isinstance(text, str) else None
            return [self._error(event_id, "server-error", "The server could not handle this.")], None

    def _read(self, text: str | None) -> tuple[dict | None, str | None, list[str]]:
        """A client frame read: ``(event, handled key, [])`` for an event to claim and run, or
        ``(None, None, frames)``: the answer to a frame not to run (malformed). Its size was checked
        when it was queued (_queue_event)."""
        if text is None:
            return None, None, [self._error(None, "bad-message", "Binary frames are not supported; send JSON text.")]
        try:
            event = protocol.parse_event(text)
        except WireError as error:
            return None, None, [self._error(protocol.event_id_of(text), "bad-message", str(error), frame=text)]
        session = getattr(self.request, "session", None)
        key = handled_key(session.session_key if session else None, self.scope["path"], event["sid"])
        return event, key, []

    def _handle(self, text: str | None) -> tuple[list[str], str | None]:
        """The frames for the sender, and the commands (JSON) for the group, answering one client frame."""
        event, key, answer = self._read(text)
        if event is None:
            return answer, None
        # Waits while the page's previous event still runs on a connection it gave up on.
        claimed = claim(key, event["id"], lambda: self.gone)
        if claimed != RUN:
            return self._not_run(event, claimed), None
        try:
            outcome = self._run(event)
        finally:
            # Whatever came of it, the event ran and gets its answer: a resend must not run it again.
            finish(key, event["id"])
        return self._answer(event, outcome)

    def _not_run(self, event: dict, claimed: str) -> list[str]:
        """The answer to an event that ran before (its ack was lost), or none for one whose socket left."""
        return [protocol.ack_frame(event["id"])] if claimed == HANDLED else []

    def _answer(self, event: dict, outcome: core.Outcome) -> tuple[list[str], str | None]:
        """The frames for the sender and the group's commands, from what came of running ``event``."""
        if outcome.code:
            # An error frame carries the event's id: it acknowledges the event too.
            return [self._error(event["id"], outcome.code, outcome.error)], None
        if outcome.commands_json and not outcome.broadcast:
            # An answer to the sender alone acknowledges the event in the same frame.
            return [protocol.answer_frame(outcome.commands_json, event["id"])], None
        return [protocol.ack_frame(event["id"])], outcome.commands_json

    def _error(self, event_id: Any, code: str, message: str, frame: str | None = None) -> str:
        """An error frame for the sender, logged with at most a bounded excerpt of the frame that caused it."""
        message = protocol.excerpt(message)
        if frame is None:
            logger.warning("websocket %s: %s: %s", self.scope.get("path"), code, message)
        else:
            logger.warning(
                "websocket %s: %s: %s Frame: %s", self.scope.get("path"), code, message, protocol.excerpt(frame)
            )
        return protocol.error_frame(event_id, code, message)

    def _event_options(self, event: dict) -> dict:
        return {
            "transport": "websocket",
            "leading": (self, self.request, *self.url_args),
            "own_websocket_url": self.own_url,
            "page": event.get("page"),
        }

    def _failed(self, error: BaseException) -> core.Outcome:
        """The outcome of a consumer function that raised."""
        info = self.info
        if isinstance(error, PermissionDenied):
            return core.refused("permission-denied", denied_message(info, error))
        logger.exception("Consumer %s failed", info.name, exc_info=error)
        detail = "".join(traceback.format_exception(error)) if settings.DEBUG else ""
        return core.refused("server-error", f"{info.name} failed. {detail}".strip())

    async def _run_on_loop(self, event: dict) -> core.Outcome:
        """_run() on the event loop; what the consumer keeps goes to a thread only when it changed."""
        try:
            outcome = await core.run_event_async(
                self.info, self.request, event["args"], event["meta"], **self._event_options(event)
            )
        except asyncio.CancelledError as error:
            if asyncio.current_task().cancelling():
                raise  # This connection is being cancelled (the server shuts down).
            return self._failed(error)  # The function raised it (a task it awaited was cancelled).
        except Exception as error:
            return self._failed(error)
        if self._page_state is not None and not outcome.code:
            try:
                changed = self._page_state.changed(state.kept_attributes(self, self._own_attributes))
                if changed is not None:
                    await sync_to_async(self._page_state.write, thread_sensitive=False)(changed)
            except state.StateError as error:
                logger.error("Consumer %s: %s", self.info.name, error)
                return core.refused("server-error", str(error))
        return self._uncarried(outcome) if outcome.response is not None else outcome

    def _run(self, event: dict) -> core.Outcome:
        """Call the consumer function through the core; failures become error outcomes."""
        info, request = self.info, self.request
        if info.perms or (info.base_view is not None and info.base_view.hypergen.perms):
            request.user = self.scope["user"] = _fresh_user(request)
        try:
            outcome = core.run_event(info, request, event["args"], event["meta"], **self._event_options(event))
        except (Exception, asyncio.CancelledError) as error:  # No one cancels a worker thread: the function raised it.
            return self._failed(error)
        if self._page_state is not None and not outcome.code:
            try:
                self._page_state.save(state.kept_attributes(self, self._own_attributes))
            except state.StateError as error:
                logger.error("Consumer %s: %s", info.name, error)
                return core.refused("server-error", str(error))
        if outcome.response is not None:
            return self._uncarried(outcome)
        if info.appstate is not None and request.session.modified:
            request.session.save()
        return outcome

    def _uncarried(self, outcome: core.Outcome) -> core.Outcome:
        """The error for an outcome with an HttpResponse, which a websocket cannot carry."""
        message = f"{self.info.name} returned an HttpResponse, which a websocket cannot carry; return commands."
        return core.refused("server-error", message)
