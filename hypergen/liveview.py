"""Liveviews and actions: pages rendered in Python whose events call Python over HTTP.

``@liveview`` renders a whole page (GET) and puts the client script and the first
commands into its ``<head>``. ``@action`` is called from the browser (POST) through
``callback(action, *args)``; the HTML it writes is morphed into the page and the
commands it queues run in the browser.
"""

from __future__ import annotations

import functools
import inspect
import logging
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.views.decorators.csrf import csrf_protect

from hypergen import views as _views
from hypergen.callbacks import THIS, call_js, callback, command
from hypergen.conf import hypergen_settings
from hypergen.permissions import NO_PERM_REQUIRED, check_request, denied_message
from hypergen.routing import ViewInfo, autourls
from hypergen.serialization import WireError, dumps, loads
from hypergen.template import render_into, script
from hypergen.views import ViewState

__all__ = [
    "NO_PERM_REQUIRED",
    "THIS",
    "action",
    "autourls",
    "call_js",
    "callback",
    "command",
    "liveview",
]

logger = logging.getLogger("hypergen.liveview")

CLIENT_SCRIPT = "hypergen/hypergen.min.js"
PARTIAL_HEADER = "X-Hypergen-Partial"
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL | re.IGNORECASE)


def liveview(
    perm: Any = None,
    path: str | None = None,
    re_path: str | None = None,
    base_template: Callable | None = None,
    any_perm: bool = False,
    login_url: str | None = None,
    raise_exception: bool = False,
    redirect_field_name: str | None = None,
    autourl: bool = True,
    partial: bool = True,
    target_id: str | None = None,
    appstate: Callable[[], Any] | None = None,
) -> Callable[[Callable], Callable]:
    """Make ``func(request, *args, **kwargs)`` a page: a GET view that renders it with the client script."""
    options = dict(locals())  # Every keyword argument above, passed on as it is.

    def decorator(func: Callable) -> Callable:
        info = ViewInfo(kind="liveview", func=func, **options)

        @functools.wraps(func)
        def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in ("GET", "HEAD"):
                return _views.error_response(405, f"{func.__name__} is a @liveview: it answers GET requests only.")
            matched = check_request(request, info, page=True)
            if isinstance(matched, HttpResponse):
                return matched
            state = ViewState(request, info, matched)
            wants_partial = request.headers.get(PARTIAL_HEADER)
            with render_into(state), _views.request_context(request):
                content_range = _views.render_page(state, lambda: func(request, *args, **kwargs))
            if isinstance(state.result, HttpResponse):
                return state.result
            _views.save_appstate(request, state)
            if wants_partial and info.partial and wants_partial == state.target_id:
                return _partial_response(state, content_range)
            response = HttpResponse(_with_client_head(request, state))
            response["Vary"] = PARTIAL_HEADER
            return response

        view.hypergen = info  # type: ignore[attr-defined]
        view.reverse = info.reverse  # type: ignore[attr-defined]
        info.view = view
        return view

    return decorator


def action(
    perm: Any = None,
    path: str | None = None,
    re_path: str | None = None,
    base_template: Callable | None = None,
    target_id: str | None = None,
    any_perm: bool = False,
    autourl: bool = True,
    partial: bool = True,
    base_view: Callable | None = None,
    appstate: Callable[[], Any] | None = None,
) -> Callable[[Callable], Callable]:
    """Make ``func(request, *args)`` callable from the browser with ``callback(func, *args)``."""
    options = dict(locals())  # Every keyword argument above, passed on as it is.

    def decorator(func: Callable) -> Callable:
        info = ViewInfo(kind="action", func=func, **options)
        signature = inspect.signature(func)

        @csrf_protect
        @functools.wraps(func)
        def view(request: HttpRequest, *url_args: Any, **url_kwargs: Any) -> HttpResponse:
            if request.method != "POST":
                return _views.error_response(405, f"{func.__name__} is an @action: the browser calls it with POST.")
            matched = check_request(request, info, page=False)
            if isinstance(matched, HttpResponse):
                return matched
            try:
                event = _read_event(request)
            except WireError as error:
                return _views.error_response(400, f"{func.__name__}: {error}")
            call_args = (*url_args, *event["args"])
            problem = _views.arguments_problem(func, signature, (request, *call_args), url_kwargs)
            if problem:
                return _views.error_response(400, problem)
            state = ViewState(request, info, matched, meta=event["meta"])
            try:
                with render_into(state), _views.request_context(request):
                    commands = _views.run_action(state, lambda: func(request, *call_args, **url_kwargs))
            except PermissionDenied as error:
                return _views.error_response(403, denied_message(info, error))
            if isinstance(state.result, HttpResponse) and not isinstance(state.result, HttpResponseRedirect):
                return state.result
            _views.save_appstate(request, state)
            return HttpResponse(dumps(commands), content_type="application/json")

        view.hypergen = info  # type: ignore[attr-defined]
        view.reverse = info.reverse  # type: ignore[attr-defined]
        info.view = view
        return view

    return decorator


def _read_event(request: HttpRequest) -> dict:
    """The event the browser sent: ``{"args": [...], "meta": {...}}`` as JSON or a multipart field."""
    if request.content_type == "multipart/form-data":
        raw = request.POST.get("hypergen_data")
        if raw is None:
            raise WireError("the multipart request has no hypergen_data field")
    else:
        raw = request.body
    event = loads(raw)
    if type(event) is not dict or type(event.get("args")) is not list:
        raise WireError('the request body must be a JSON object with an "args" list')
    meta = event.get("meta", {})
    if type(meta) is not dict:
        raise WireError('"meta" must be a JSON object')
    return {"args": event["args"], "meta": meta}


def client_config(request: HttpRequest, state: ViewState | None = None) -> dict:
    """What the client script needs to know about the page, as sent in its <head>."""
    options = hypergen_settings()
    return {
        "csrfToken": get_token(request),
        "debug": settings.DEBUG,
        "logLevel": options.client_log_level or ("debug" if settings.DEBUG else "error"),
        "targetId": state.target_id if state else None,
        "partial": bool(state and state.info.partial and state.target_id),
        "commands": [*_views.open_websocket_commands(state), *state.commands] if state else [],
        "wsMaxBytes": options.websocket_max_message_bytes,
        "wsHeartbeat": [options.websocket_heartbeat_interval * 1000, options.websocket_heartbeat_timeout * 1000],
    }


def client_head(request: HttpRequest, state: ViewState | None = None) -> str:
    """The <script> tags that load the client and hand it the page's configuration."""
    config = dumps(client_config(request, state))
    # \\u003c keeps "</script>" and "<!--" out of the JSON; JSON.parse reads it as "<".
    config = config.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return str(script(src=static(CLIENT_SCRIPT), defer=True)) + str(
        script(config, type="application/json", id="hypergen-config")
    )


def _with_client_head(request: HttpRequest, state: ViewState) -> str:
    """The page with the client's script tags at the end of <head>, or where <head> would start."""
    html = state.html()
    head = client_head(request, state)
    position = html.find("</head>")
    if position == -1:
        # No <head>: after the doctype (never before it: that would put the page in quirks mode).
        position = html.find(">") + 1 if html[:9].upper() == "<!DOCTYPE" else 0
    return html[:position] + head + html[position:]


def _partial_response(state: ViewState, content_range: tuple[int, int]) -> HttpResponse:
    # The target element's children, base template parts inside it included; else what the view wrote.
    start, end = state.target_range or content_range
    commands: list = [["hypergen.morph", state.target_id, "".join(state.out[start:end])]]
    title = _TITLE.search("".join(state.out[:start]))
    if title:
        commands.append(["hypergen.setTitle", _views.unescape(title.group(1))])
    commands.extend(_views.open_websocket_commands(state))
    commands.extend(state.commands)
    response = HttpResponse(dumps(commands), content_type="application/json")
    response[PARTIAL_HEADER] = state.target_id
    response["Vary"] = PARTIAL_HEADER
    return response
