"""The machinery shared by liveviews, actions and consumers: render state, rendering, app state."""

from __future__ import annotations

import html
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse

from hypergen.context import context
from hypergen.permissions import require_base_view
from hypergen.routing import ViewInfo
from hypergen.serialization import WireError, dumps, loads
from hypergen.template import Element, RenderState


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
        self.appstate = load_appstate(request, info) if info.appstate is not None else None


def error_response(status: int, message: str) -> JsonResponse:
    """A refused request: the client shows ``message`` and the page keeps working."""
    return JsonResponse({"error": message}, status=status)


def arguments_problem(
    func: Callable, signature: inspect.Signature, args: tuple, kwargs: dict, leading: int = 1
) -> str | None:
    """Why ``func(*args, **kwargs)`` cannot be called; None if it can.

    The first ``leading`` arguments (request, consumer) are Hypergen's own. With DEBUG the
    signature is shown; without, only the name and counts (a default value may be a secret).
    """
    try:
        signature.bind(*args, **kwargs)
    except TypeError as error:
        if settings.DEBUG:
            return f"{func.__name__}{signature} cannot take the arguments the browser sent: {error}."
        return f"{func.__name__} was sent {len(args) - leading} arguments; it takes {_takes(signature, leading)}."
    return None


def _takes(signature: inspect.Signature, leading: int) -> str:
    """How many positional arguments a function takes after its leading ones: "1", "1 to 2", "1 or more"."""
    positional = [p for p in signature.parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)][
        leading:
    ]
    required = sum(1 for p in positional if p.default is p.empty)
    if any(p.kind is p.VAR_POSITIONAL for p in signature.parameters.values()):
        return f"{required} or more"
    return str(required) if required == len(positional) else f"{required} to {len(positional)}"


@contextmanager
def request_context(request: Any) -> Iterator[None]:
    with context(request=request, user=getattr(request, "user", None)):
        yield


@contextmanager
def _target_scope(state: ViewState) -> Iterator[None]:
    if state.target_id is None:
        yield
    else:
        with state.id_scope(state.target_id):
            yield


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
    require_base_view(getattr(state.request, "user", None), state.info)  # Before the action changes anything.
    start = len(state.out)
    with _target_scope(state):
        result = call()
        base_view = state.info.base_view
        if base_view is not None:
            del state.out[start:]  # The base view's page replaces whatever the action wrote.
            base_view.hypergen.func(state.request)
    return result


def run_action(state: ViewState, call: Callable[[], Any]) -> list:
    """Run an action and return the commands for the browser: the morph of what it wrote, then its own.

    Raises PermissionDenied when the user may not see its base_view's page.
    """
    info = state.info
    commands: list = []
    base_template = info.resolved_base_template
    if not info.partial and base_template is not None:
        with base_template():
            state.result = _action_content(state, call)
        commands.append(["hypergen.morphPage", state.html()])
    else:
        state.result = _action_content(state, call)
        written = state.html()
        if written:
            if state.target_id is None:
                raise ImproperlyConfigured(
                    f"{info.name} wrote HTML but has nowhere to put it: give @{info.kind}() a target_id=, "
                    "a base_template with a target_id attribute, or a base_view."
                )
            commands.append(["hypergen.morph", state.target_id, written])
    commands.extend(state.commands)
    commands.extend(_result_commands(info, state.result))
    return [*open_websocket_commands(state), *commands]


def open_websocket_commands(state: ViewState) -> list:
    """Commands opening the sockets the rendered callbacks send to (opening is idempotent)."""
    own = getattr(state, "own_websocket_url", None)  # A consumer's answer needs not reopen its own socket.
    return [["hypergen.websocket.open", url] for url in dict.fromkeys(state.websocket_urls) if url != own]


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


# App state ------------------------------------------------------------------------


def _appstate_key(info: ViewInfo) -> str:
    factory = info.appstate
    return f"hypergen_appstate:{factory.__module__}.{factory.__qualname__}"


def _session(request: Any) -> Any:
    session = getattr(request, "session", None)
    if session is None:
        raise ImproperlyConfigured(
            "appstate= keeps state in the session: add 'django.contrib.sessions.middleware.SessionMiddleware' "
            "to MIDDLEWARE."
        )
    return session


def load_appstate(request: Any, info: ViewInfo) -> Any:
    """This user's app state for ``info.appstate``; the factory's value on first use."""
    stored = _session(request).get(_appstate_key(info))
    if stored is not None:
        try:
            return loads(stored)
        except WireError:
            pass  # Written by an older version of the app: start over.
    return info.appstate()


def save_appstate(request: Any, state: ViewState) -> None:
    """Store the (possibly changed) app state back in the session."""
    if state.info.appstate is None:
        return
    session = _session(request)
    key = _appstate_key(state.info)
    serialized = dumps(state.appstate)
    if session.get(key) != serialized:
        session[key] = serialized


def unescape(text: str) -> str:
    return html.unescape(text)
