"""One event's journey, the same whatever carried it.

An ``@action`` over HTTP and a ``@consumer`` over a websocket both come here with a decoded event:
permission, arguments, the function's run (what it renders and the commands it queues), app state,
and one encoding of the answer. The transports only read events off their wire and write
outcomes back: HTTP in hypergen.liveview, websockets in hypergen.websocket.connection.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, get_script_prefix, resolve

from hypergen import signals
from hypergen.appstate import load_appstate, save_appstate
from hypergen.context import context
from hypergen.permissions import (
    base_view_refusal,
    denied_message,
    login_redirect,
    matched_perms,
    refusal,
    user_of,
    visitor_message,
)
from hypergen.routing import ViewInfo, view_info
from hypergen.serialization import WireError, dumps
from hypergen.template import Element, RenderState, render_into

#: Error codes of docs/protocol.md, with the HTTP status an action answers them with.
ERROR_STATUS = {
    "bad-message": 400,
    "bad-arguments": 400,
    "too-large": 413,
    "permission-denied": 403,
    "rate-limited": 429,
    "unavailable": 503,
    "server-error": 500,
}


class ViewState(RenderState):
    """The render state of a liveview, action or consumer call: ``context.hypergen``."""

    def __init__(self, request: Any, info: ViewInfo, matched_perms: tuple[str, ...], meta: dict | None = None):
        super().__init__()
        self.request = request
        self.info = info
        self.matched_perms = matched_perms
        self.meta = meta or {}
        self.commands: list = []
        self.websocket_urls: list = []
        self.target_id = info.resolved_target_id
        self.result: Any = None
        self.broadcast = info.broadcast
        self.own_websocket_url: str | None = None  # A consumer's answer needs not reopen its own socket.
        self.appstate = load_appstate(request, info) if info.appstate is not None else None
        self.base_view_arguments: tuple[tuple, dict] = ((), {})  # The URL arguments of base_view's page.


@dataclass
class Outcome:
    """What running one event gave: its commands (encoded once), or why it was refused."""

    commands_json: str | None = None  # None: the function queued nothing for the browser.
    code: str | None = None  # An error code of docs/protocol.md; None when the event ran.
    error: str | None = None  # What the person at the browser is told.
    response: HttpResponse | None = None  # A response the function returned (HTTP answers with it).
    broadcast: bool = False  # The commands go to the consumer's whole group.

    @property
    def status(self) -> int:
        return ERROR_STATUS[self.code] if self.code else 200


def refused(code: str, message: str) -> Outcome:
    if code not in ERROR_STATUS:
        raise ValueError(f"{code!r} is not an error code of docs/protocol.md")
    return Outcome(code=code, error=message)


def arguments_problem(info: ViewInfo, args: tuple, kwargs: dict, leading: int) -> str | None:
    """Why ``info.func(*args, **kwargs)`` cannot be called, in words for the developer; None if it can.

    The first ``leading`` arguments are Hypergen's own (request; consumer and request). With DEBUG
    the signature is shown; without, only the name and counts (a default value may be a secret).
    """
    shape = (len(args), tuple(kwargs))
    bindable = info.bindable
    if shape in bindable:
        return None
    try:
        info.signature.bind(*args, **kwargs)
    except TypeError as error:
        if settings.DEBUG:
            return f"{info.name}{info.signature} cannot take the arguments the browser sent: {error}."
        return f"{info.name} was sent {len(args) - leading} arguments; it takes {_takes(info.signature, leading)}."
    if len(bindable) < _MAX_BINDABLE_SHAPES:  # A function with *args takes any count: stay bounded.
        bindable.add(shape)
    return None


#: How many argument shapes a view remembers as bindable.
_MAX_BINDABLE_SHAPES = 32


def _takes(signature: inspect.Signature, leading: int) -> str:
    """How many positional arguments a function takes after its leading ones: "1", "1 to 2", "1 or more"."""
    parameters = signature.parameters.values()
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)][leading:]
    required = sum(1 for p in positional if p.default is p.empty)
    if any(p.kind is p.VAR_POSITIONAL for p in parameters):
        return f"{required} or more"
    return str(required) if required == len(positional) else f"{required} to {len(positional)}"


def run_event(info: ViewInfo, request: Any, args: list, meta: dict, *, transport: str, **options: Any) -> Outcome:
    """Run one browser event (see _run_event), timed and reported through hypergen.signals."""
    about = {"transport": transport, "request": request}
    signals.send(signals.event_started, info, **about)
    started = time.perf_counter()
    try:
        outcome = _run_event(info, request, args, meta, **options)
    except Exception as error:
        signals.send(signals.event_failed, info, **about, duration=time.perf_counter() - started, exception=error)
        raise
    signals.send(signals.event_finished, info, **about, duration=time.perf_counter() - started, code=outcome.code)
    return outcome


def _run_event(
    info: ViewInfo,
    request: Any,
    args: list,
    meta: dict,
    *,
    leading: tuple = (),
    url_kwargs: dict | None = None,
    own_websocket_url: str | None = None,
    page: Any = None,
) -> Outcome:
    """Run ``info.func(*leading, *args, **url_kwargs)`` for one browser event and say what came of it.

    ``leading`` is what the transport puts before the browser's arguments: ``(request, *url_args)``
    for an action, ``(consumer, request, *url_args)`` for a consumer. ``page`` is the path of the page
    the event came from, as the client sent it: a ``base_view`` is rendered with its URL arguments.
    Exceptions of the function are not caught here: each transport has its own boundary (Django's 500
    handling; a socket's error frame).
    """
    url_kwargs = url_kwargs or {}
    state = _prepare(info, request, args, meta, leading, url_kwargs, own_websocket_url, page)
    if isinstance(state, Outcome):
        return state
    try:
        with render_into(state), request_context(request):
            commands = run_action(state, lambda: call_function(info, *leading, *args, **url_kwargs))
    except PermissionDenied as error:
        return refused("permission-denied", denied_message(info, error))
    return _finish(state, commands)


def _prepare(
    info: ViewInfo,
    request: Any,
    args: list,
    meta: dict,
    leading: tuple,
    url_kwargs: dict,
    own_websocket_url: str | None,
    page: Any,
) -> ViewState | Outcome:
    """Everything before the function runs: the page, permissions, base view, arguments; the
    render state to run it in, or the Outcome refusing the event."""
    try:
        page = _checked_page(page)
    except WireError as error:
        return refused("bad-message", str(error))
    user = user_of(request)
    matched = matched_perms(user, info) if info.perms else ()
    if matched is None:
        return permission_refused(info, user, page, refusal(info))
    # Before the function changes anything: its answer would be a page this user may not see.
    base_refused = base_view_refusal(user, info) if info.base_view is not None else None
    if base_refused:
        return permission_refused(info, user, page, base_refused)
    page_path = urlsplit(page).path if page is not None else None
    base_arguments = base_view_arguments(info, page_path) if info.base_view is not None else ((), {})
    if isinstance(base_arguments, str):
        return refused("bad-message", base_arguments)
    problem = arguments_problem(info, (*leading, *args), url_kwargs, len(leading))
    if problem:
        return refused("bad-arguments", problem)
    state = ViewState(request, info, matched, meta=meta)
    state.base_view_arguments = base_arguments
    state.own_websocket_url = own_websocket_url
    return state


def _finish(state: ViewState, commands: list) -> Outcome:
    """Everything after the function ran: its app state saved, its answer encoded once."""
    info = state.info
    if info.appstate is not None:
        save_appstate(state.request, info, state.appstate)
    result = state.result
    if isinstance(result, HttpResponse) and not isinstance(result, HttpResponseRedirect):
        return Outcome(response=result)
    return Outcome(commands_json=dumps(commands) if commands else None, broadcast=state.broadcast)


def runs_on_loop(info: ViewInfo) -> bool:
    """Whether an event of ``info`` can run on the event loop from start to end (run_event_async):
    an ``async def`` function whose event needs no blocking work around it: no permission to look
    up (the database), no app state (the session), no base view (rendered with its permissions)."""
    return (
        info.is_async
        and not info.perms
        and info.appstate is None
        and info.base_view is None
        and (info.partial or info.resolved_base_template is None)
    )


async def run_event_async(
    info: ViewInfo, request: Any, args: list, meta: dict, *, transport: str, **options: Any
) -> Outcome:
    """run_event() on the event loop, for a function that runs_on_loop(): no thread hop at all."""
    about = {"transport": transport, "request": request}
    await signals.asend(signals.event_started, info, **about)
    started = time.perf_counter()
    try:
        outcome = await _run_event_async(info, request, args, meta, **options)
    except Exception as error:
        duration = time.perf_counter() - started
        await signals.asend(signals.event_failed, info, **about, duration=duration, exception=error)
        raise
    duration = time.perf_counter() - started
    await signals.asend(signals.event_finished, info, **about, duration=duration, code=outcome.code)
    return outcome


async def _run_event_async(
    info: ViewInfo,
    request: Any,
    args: list,
    meta: dict,
    *,
    leading: tuple = (),
    url_kwargs: dict | None = None,
    own_websocket_url: str | None = None,
    page: Any = None,
) -> Outcome:
    if not runs_on_loop(info):
        raise ValueError(f"{info.name} cannot run on the event loop: use run_event() in a worker thread.")
    url_kwargs = url_kwargs or {}
    state = _prepare(info, request, args, meta, leading, url_kwargs, own_websocket_url, page)
    if isinstance(state, Outcome):
        return state
    try:
        with render_into(state), request_context(request):
            with _target_scope(state):
                state.result = await info.func(*leading, *args, **url_kwargs)
            commands = _answer_commands(state, _written_morph(state))
    except PermissionDenied as error:
        return refused("permission-denied", denied_message(info, error))
    return _finish(state, commands)


def call_function(info: ViewInfo, *args: Any, **kwargs: Any) -> Any:
    """Call the view's function; an ``async def`` one runs on the server's event loop.

    Called from a worker thread (a consumer's, or Django's for a sync view), which waits for it.
    The render state is shared, so what the coroutine renders and queues is collected as usual.
    """
    if info.is_async:
        return async_to_sync(info.func)(*args, **kwargs)
    return info.func(*args, **kwargs)


#: The longest page path an event may name.
MAX_PAGE_LENGTH = 2048


def permission_refused(info: ViewInfo, user: Any, page: str | None, detail: str) -> Outcome:
    """A refused event: an anonymous visitor goes to log in (and back to ``page``); others are told why."""
    if not user.is_authenticated:
        return Outcome(commands_json=dumps([["hypergen.redirect", login_redirect(page)]]))
    return refused("permission-denied", visitor_message(info, detail))


def _checked_page(page: Any) -> str | None:
    """The page an event came from (the event's ``"page"``: a path and query); None if not sent."""
    if page is None:
        return None
    if type(page) is not str or not page.startswith("/") or page.startswith("//") or len(page) > MAX_PAGE_LENGTH:
        raise WireError(
            '"page" must be the path of the page the event came from, such as "/todos/active/", '
            f"at most {MAX_PAGE_LENGTH} characters"
        )
    return page


def base_view_arguments(info: ViewInfo, page_path: str | None) -> tuple[tuple, dict] | str:
    """The URL arguments to render ``info.base_view`` with: those of the page the event came from.

    The page must be the base view's own (a path of another view would render the base view with
    arguments it was never given); a base view without URL arguments needs no page. A string
    says why the event is refused.
    """
    base = info.base_view.hypergen
    intro = f"{info.name} renders {base.name} (its base_view)"
    if page_path is None:
        try:
            base.signature.bind(None)
        except TypeError:
            return (
                f"{intro}, which takes URL arguments, but the event did not say which page it came from "
                '(the Hypergen client sends it as "page").'
            )
        return (), {}
    prefix = get_script_prefix()
    path_info = "/" + page_path[len(prefix) :] if page_path.startswith(prefix) else page_path
    try:
        match = resolve(path_info)
    except Resolver404:
        return f"{intro}, but the event came from {page_path}, which no URL pattern matches."
    if view_info(match.func) is not base:
        other = view_info(match.func)
        name = other.name if other is not None else (match.view_name or match.func.__name__)
        return (
            f"{intro}, but the event came from {page_path}, which is {name}: use {info.name} only on "
            f"{base.name}'s pages, or give it another base_view."
        )
    return match.args, match.kwargs


def request_context(request: Any) -> AbstractContextManager:
    """``context.request`` and ``context.user`` set for the block."""
    return context(request=request, user=getattr(request, "user", None))


def _target_scope(state: ViewState) -> AbstractContextManager:
    """Ids generated inside the block are the target's (as when its liveview rendered it)."""
    return nullcontext() if state.target_id is None else state.id_scope(state.target_id)


def render_page(state: ViewState, call: Callable[[], Any]) -> tuple[int, int]:
    """Render a liveview: its base template around its content. Returns where the content is in ``state.out``."""
    base_template = state.info.base_template
    if base_template is None:
        with _target_scope(state):
            state.result = call()
        return 0, len(state.out)
    with base_template():
        start = len(state.out)
        with _target_scope(state):
            state.result = call()
        end = len(state.out)
    return start, end


def _action_content(state: ViewState, call: Callable[[], Any]) -> Any:
    start = len(state.out)
    with _target_scope(state):
        result = call()
        base_view = state.info.base_view
        if base_view is not None:
            del state.out[start:]  # The base view's page replaces whatever the action wrote.
            args, kwargs = state.base_view_arguments
            base_view.hypergen.func(state.request, *args, **kwargs)
    return result


def run_action(state: ViewState, call: Callable[[], Any]) -> list:
    """Run an action or consumer; the commands for the browser: the morph of what it wrote, then its own."""
    base_template = state.info.resolved_base_template
    if not state.info.partial and base_template is not None:
        with base_template():
            state.result = _action_content(state, call)
        return _answer_commands(state, [["hypergen.morphPage", state.html()]])
    state.result = _action_content(state, call)
    return _answer_commands(state, _written_morph(state))


def _written_morph(state: ViewState) -> list:
    """The morph of what the function wrote into its target (none if it wrote nothing)."""
    written = state.html()
    if not written:
        return []
    if state.target_id is None:
        info = state.info
        raise ImproperlyConfigured(
            f"{info.name} wrote HTML but has nowhere to put it: give @{info.kind}() a target_id=, "
            "a base_template with a target_id attribute, or a base_view."
        )
    return [["hypergen.morph", state.target_id, written]]


def _answer_commands(state: ViewState, commands: list) -> list:
    """The commands for the browser: sockets to open, ``commands`` (the morph), the queued ones, the returned ones."""
    commands.extend(state.commands)
    commands.extend(_result_commands(state.info, state.result))
    return [*open_websocket_commands(state), *commands]


#: Where the groups of socket URLs stand, ``{url: (epoch, seq)}``, asked as a page is rendered. Set
#: by hypergen.websocket; None in a project without websockets.
group_positions: Callable[[list[str]], dict[str, tuple[str, int]]] | None = None


def open_websocket_commands(state: ViewState, positions: bool = False) -> list:
    """Commands opening the sockets the rendered callbacks send to (opening is idempotent).

    With ``positions`` (a page's render), each names where its group stood once the page was
    rendered, so that the socket gets what was sent before it joined.
    """
    own = state.own_websocket_url
    urls = [url for url in dict.fromkeys(state.websocket_urls) if url != own]
    where = group_positions(urls) if positions and urls and group_positions is not None else {}
    commands = []
    for url in urls:
        if url in where:
            epoch, seq = where[url]
            commands.append(["hypergen.websocket.open", url, {"epoch": epoch, "seq": seq}])
        else:
            commands.append(["hypergen.websocket.open", url])
    return commands


def _result_commands(info: ViewInfo, result: Any) -> list:
    if result is None or isinstance(result, Element):
        return []
    if isinstance(result, HttpResponseRedirect):
        return [["hypergen.redirect", result.url]]
    if isinstance(result, HttpResponse):
        return []  # Returned to the browser as it is.
    if isinstance(result, list) and all(isinstance(c, (list, tuple)) and c and isinstance(c[0], str) for c in result):
        return [list(c) for c in result]
    raise TypeError(
        f"{info.name} returned {result!r}. An @{info.kind} may return None, a redirect, an HttpResponse "
        'or a list of commands such as [["hypergen.hide", "menu"]].'
    )


def render(state: ViewState, call: Callable[[], Any]) -> tuple[int, int]:
    """Render a liveview's page into ``state`` with its request active; where the content is."""
    with render_into(state), request_context(state.request):
        return render_page(state, call)
