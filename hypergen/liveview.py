"""Liveviews and actions: pages rendered in Python whose events call Python over HTTP.

``@liveview`` renders a whole page (GET) and puts the client script and the first
commands into its ``<head>``. ``@action`` is called from the browser (POST) through
``callback(action, *args)``; the HTML it writes is morphed into the page and the
commands it queues run in the browser.
"""

from __future__ import annotations

import html
import logging
import re
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.views.decorators.csrf import csrf_protect

from hypergen import compression, core
from hypergen.appstate import save_appstate
from hypergen.callbacks import THIS, call_js, callback, command
from hypergen.conf import hypergen_settings
from hypergen.core import ViewState
from hypergen.permissions import NO_PERM_REQUIRED, describe, matched_perms, user_of
from hypergen.routing import ViewInfo, autourls, view_decorator
from hypergen.serialization import WireError, dumps, loads
from hypergen.template import script

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
#: The salt of page tokens; hypergen.websocket.state reads them (liveviews must not import Channels).
PAGE_SALT = "hypergen.websocket.page"
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
    return view_decorator(
        "liveview",
        _page_view,
        perm=perm,
        path=path,
        re_path=re_path,
        base_template=base_template,
        any_perm=any_perm,
        login_url=login_url,
        raise_exception=raise_exception,
        redirect_field_name=redirect_field_name,
        autourl=autourl,
        partial=partial,
        target_id=target_id,
        appstate=appstate,
    )


def _page_view(info: ViewInfo) -> Callable:
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return error_response(405, f"{info.name} is a @liveview: it answers GET requests only.")
        matched = _page_permission(request, info)
        if isinstance(matched, HttpResponse):
            return matched
        state = ViewState(request, info, matched)
        wants_partial = request.headers.get(PARTIAL_HEADER)
        content_range = core.render(state, lambda: info.func(request, *args, **kwargs))
        if info.appstate is not None:
            save_appstate(request, info, state.appstate)
        if isinstance(state.result, HttpResponse):
            return state.result
        if wants_partial and info.partial and wants_partial == state.target_id:
            return _partial_response(state, content_range)
        response = HttpResponse(_with_client_head(request, state))
        response["Vary"] = PARTIAL_HEADER
        return response

    return view


def _page_permission(request: HttpRequest, info: ViewInfo) -> tuple[str, ...] | HttpResponse:
    """The matched permissions, or the response refusing the page.

    An anonymous user goes to the login page, unless ``raise_exception``; a user who is logged
    in gets 403.
    """
    if not info.perms:
        return ()
    user = user_of(request)
    matched = matched_perms(user, info)
    if matched is not None:
        return matched
    if user.is_authenticated or info.raise_exception:
        raise PermissionDenied(f"{info.name} needs {describe(info)}.")
    from django.contrib.auth.views import redirect_to_login  # Imports auth models: not at module level.

    return redirect_to_login(
        request.get_full_path(),
        info.login_url or settings.LOGIN_URL,
        info.redirect_field_name or "next",
    )


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
    denied_message: str | None = None,
) -> Callable[[Callable], Callable]:
    """Make ``func(request, *args)`` callable from the browser with ``callback(func, *args)``."""
    return view_decorator(
        "action",
        _action_view,
        perm=perm,
        path=path,
        re_path=re_path,
        base_template=base_template,
        target_id=target_id,
        any_perm=any_perm,
        autourl=autourl,
        partial=partial,
        base_view=base_view,
        appstate=appstate,
        denied_message=denied_message,
    )


def _action_view(info: ViewInfo) -> Callable:
    @csrf_protect
    def view(request: HttpRequest, *url_args: Any, **url_kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return error_response(405, f"{info.name} is an @action: the browser calls it with POST.")
        try:
            event = _read_event(request)
        except WireError as error:
            return error_response(400, f"{info.name}: {error}")
        outcome = core.run_event(
            info,
            request,
            event["args"],
            event["meta"],
            transport="http",
            leading=(request, *url_args),
            url_kwargs=url_kwargs,
            page=event["page"],
        )
        if outcome.response is not None:
            return outcome.response
        if outcome.code:
            return error_response(outcome.status, outcome.error)
        return HttpResponse(outcome.commands_json or "[]", content_type="application/json")

    return view


def error_response(status: int, message: str) -> JsonResponse:
    """A refused request: the client shows ``message`` and the page keeps working."""
    return JsonResponse({"error": message}, status=status)


def _read_event(request: HttpRequest) -> dict:
    """The event the browser sent: ``{"args": [...], "meta": {...}, "page": "/path/"}`` as JSON or a multipart field."""
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
    return {"args": event["args"], "meta": meta, "page": event.get("page")}


def client_config(request: HttpRequest, state: ViewState | None = None) -> dict:
    """What the client script needs to know about the page, as sent in its <head>."""
    compression.enable_for_daphne()  # Before this page's sockets connect.
    options = hypergen_settings()
    return {
        "csrfToken": get_token(request),
        "debug": settings.DEBUG,
        "logLevel": options.client_log_level or ("debug" if settings.DEBUG else "error"),
        "targetId": state.target_id if state else None,
        "partial": bool(state and state.info.partial and state.target_id),
        "commands": [*core.open_websocket_commands(state, positions=True), *state.commands] if state else [],
        "wsMaxBytes": options.websocket_max_message_bytes,
        "wsHeartbeat": [options.websocket_heartbeat_interval * 1000, options.websocket_heartbeat_timeout * 1000],
        # Names this page load to its sockets: what consumers keep for the page is kept under it.
        "page": signing.TimestampSigner(salt=PAGE_SALT).sign(secrets.token_urlsafe(18)),
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
    page = state.html()
    head = client_head(request, state)
    position = page.find("</head>")
    if position == -1:
        # No <head>: after the doctype (never before it: that would put the page in quirks mode).
        position = page.find(">") + 1 if page[:9].upper() == "<!DOCTYPE" else 0
    return page[:position] + head + page[position:]


def _partial_response(state: ViewState, content_range: tuple[int, int]) -> HttpResponse:
    # The target element's children, base template parts inside it included; else what the view wrote.
    start, end = state.target_range or content_range
    commands: list = [["hypergen.morph", state.target_id, "".join(state.out[start:end])]]
    title = _TITLE.search("".join(state.out[:start]))
    if title:
        commands.append(["hypergen.setTitle", html.unescape(title.group(1))])
    commands.extend(core.open_websocket_commands(state, positions=True))
    commands.extend(state.commands)
    response = HttpResponse(dumps(commands), content_type="application/json")
    response[PARTIAL_HEADER] = state.target_id
    response["Vary"] = PARTIAL_HEADER
    return response
