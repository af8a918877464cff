"""Binding browser events to Python: ``callback()``, ``call_js()``, ``command()`` and ``THIS``."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from hypergen.routing import view_info
from hypergen.serialization import WireError, dumps_encoded, encode
from hypergen.template import COERCE_NAMES, Element, coerce_name, current_render_state

__all__ = ["THIS", "builtin_commands", "by_id", "call_js", "callback", "command"]

#: A client command name: identifiers joined by dots, at least two ("myapp.showToast").
_COMMAND_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+\Z")
#: Built-in commands that have no js.* function: the server sends them itself, or they are websocket ones.
_OTHER_BUILTINS = frozenset({"hypergen.morphPage", "hypergen.websocket.open", "hypergen.websocket.close"})


@cache
def builtin_commands() -> frozenset[str]:
    """The names of the commands the browser client defines itself (all start with ``hypergen.``)."""
    from hypergen.js import CLIENT_COMMANDS  # hypergen.js builds on this module.

    return frozenset(CLIENT_COMMANDS.values()) | _OTHER_BUILTINS


def _check_command_name(function: str, name: Any) -> None:
    """Refuse a name the client cannot run: a misspelt built-in, or not a dotted identifier."""
    if isinstance(name, str) and name.startswith("hypergen."):
        if name not in builtin_commands():
            raise TypeError(
                f"{function}({name!r}): {name!r} is not a built-in client command. Built-in ones: "
                f"{', '.join(sorted(builtin_commands()))}. Name your own commands outside 'hypergen.', e.g. "
                "'myapp.showToast', and register them in the browser with hypergen.registerCommand()."
            )
        return
    if not isinstance(name, str) or not _COMMAND_NAME.match(name):
        raise TypeError(
            f"{function}({name!r}): name a client command: a built-in one such as 'hypergen.hide', or your own "
            "registered in the browser with hypergen.registerCommand(), named like 'myapp.showToast' (letters, "
            "digits and _, at least two parts joined by dots)."
        )


class _This:
    """``callback(action, THIS)``: the value of the element the event fired on."""

    def __repr__(self) -> str:
        return "THIS"


THIS = _This()

_TYPED_INPUTS = {"number", "range", "checkbox", "radio", "date", "time", "datetime-local", "month", "week", "file"}


def _coerce_hint(element: Element) -> str | None:
    """How the browser should type the element's value, when its input type does not say."""
    coerce_to = getattr(element, "coerce_to", None)
    if coerce_to is not None:
        return coerce_name(coerce_to, element.tag.name)
    input_type = element.attrs.get("type", element.attrs.get("type_"))
    if input_type in _TYPED_INPUTS:
        return None  # The browser types these values itself.
    hint = COERCE_NAMES.get(type(element.attrs.get("value")))
    return None if hint == "str" else hint


def _encode_reference(value: Any) -> Any:
    if type(value) is Element:
        return {"_t": "element", "v": [value.ensure_id(), _coerce_hint(value)]}
    if type(value) is ById:
        return {"_t": "element", "v": [value.id, value.coerce_hint]}
    if value is THIS:
        return {"_t": "this", "v": None}
    raise WireError(
        f"callback(): cannot send a {type(value).__name__} ({value!r}). Arguments may be JSON values, date, "
        "datetime, time, Decimal, tuple, set, frozenset, deque, range, THIS, or elements."
    )


class ById:
    """``by_id("q")``: the element with that id, read when the event fires (see by_id())."""

    __slots__ = ("coerce_hint", "id")

    def __init__(self, element_id: str, coerce_hint: str | None) -> None:
        self.id = element_id
        self.coerce_hint = coerce_hint

    def __repr__(self) -> str:
        return f"by_id({self.id!r})"


def by_id(element_id: str, coerce_to: type | None = None) -> ById:
    """The element with id ``element_id`` as a callback argument, for one the template writes later.

    ``callback(search, by_id("q"))`` sends the value of ``<input id="q">`` when the event fires,
    typed by its input type, or by ``coerce_to`` (int, float, str, Decimal, date, datetime, time).
    """
    if not isinstance(element_id, str) or not element_id or any(c.isspace() for c in element_id):
        raise TypeError(f'by_id({element_id!r}): give the id of an element, e.g. by_id("q") for <input id="q">.')
    hint = coerce_name(coerce_to, f"by_id({element_id!r})") if coerce_to is not None else None
    return ById(element_id, hint)


def _target_url(target: Any) -> str:
    if isinstance(target, str):
        if not target:
            raise TypeError("callback(): the URL is empty.")
        return target
    info = view_info(target)
    if info is None:
        raise TypeError(
            f"callback(): the first argument must be an @action, a @consumer or a URL string, got {target!r}."
        )
    if info.kind == "liveview":
        raise TypeError(
            f'callback(): "{info.name}" is a @liveview; callbacks need an @action or @consumer. Link to a '
            "liveview with a(href=view.reverse()) instead."
        )
    return info.reverse()


class Callback:
    """An event attribute value: ``onclick=callback(action, *args)``."""

    __slots__ = ("args", "options", "url")

    def __init__(self, url: str, args: list, options: dict) -> None:
        self.url = url
        self.args = args
        self.options = options

    def __hypergen_attribute__(self, name: str, attrs: dict) -> str:
        # args and options are encoded already (element references included): plain JSON from here.
        call = dumps_encoded([self.url, self.args, self.options])
        if name.startswith("data-"):
            return call  # For a hook to fire: this.pushEvent("zoom") reads data-zoom (client/src/hooks.js).
        return f"hypergen.callback(event,{call[1:-1]})"

    def __str__(self) -> str:
        return self.__hypergen_attribute__("", {})

    def __repr__(self) -> str:
        return f"<hypergen callback {self.url}>"


def callback(
    target: Callable | str,
    *args: Any,
    debounce: int = 0,
    confirm: bool | str = False,
    blocks: bool = False,
    upload_files: bool = False,
    clear: bool = False,
    headers: dict[str, str] | None = None,
    meta: dict[str, Any] | None = None,
    when: list | None = None,
    timeout: int = 20000,
) -> Callback:
    """Bind an event attribute to an @action, a @consumer or a URL: ``button(onclick=callback(save, field))``.

    Elements among ``args`` are read when the event fires; ``THIS`` is the element
    the event fired on. See docs/liveviews.md for the options.
    """
    url = _target_url(target)
    over_socket = url.startswith(("ws:", "wss:"))  # ws:/path is a socket on the page's own host.
    if over_socket and (upload_files or headers):
        option = "upload_files=True" if upload_files else "headers="
        raise TypeError(
            f"callback({url!r}, {option}): a websocket carries neither files nor HTTP headers. Send uploads "
            "and headers to an @action."
        )
    if over_socket:
        # The page listens on every socket it can send to, so it hears its group from the start.
        state = current_render_state()
        if state is not None and state.websocket_urls is not None:
            state.websocket_urls.append(url)
    encoded_args = encode(list(args), _encode_reference)
    options: dict[str, Any] = {}
    if debounce:
        if not isinstance(debounce, int) or debounce < 0:
            raise TypeError(f"callback(debounce={debounce!r}): give milliseconds as a positive int.")
        options["debounce"] = debounce
    if confirm:
        options["confirm"] = confirm if isinstance(confirm, str) else True
    if blocks:
        options["blocks"] = True
    if upload_files:
        options["uploadFiles"] = True
    if clear:
        options["clear"] = True
    if headers:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in headers.items()):
            raise TypeError("callback(headers=...): header names and values must be strings.")
        options["headers"] = headers
    if meta:
        options["meta"] = encode(meta)
    if when:
        if not isinstance(when, (list, tuple)) or not when or not isinstance(when[0], str):
            raise TypeError(
                "callback(when=...): give a client function name, then its arguments: "
                '["hypergen.when.keycode", "Enter"].'
            )
        options["when"] = encode(list(when))
    if timeout != 20000:
        if not isinstance(timeout, int) or timeout <= 0:
            raise TypeError(f"callback(timeout={timeout!r}): give milliseconds as a positive int.")
        options["timeout"] = timeout
    return Callback(url, encoded_args, options)


class CallJs:
    """An event attribute value that runs a client command without a server round trip."""

    __slots__ = ("args", "path")

    def __init__(self, path: str, args: list) -> None:
        self.path = path
        self.args = args

    def __hypergen_attribute__(self, name: str, attrs: dict) -> str:
        return f"hypergen.callJs(event,{dumps_encoded(self.path)},{dumps_encoded(self.args)})"


def call_js(path: str, *args: Any) -> CallJs:
    """Bind an event to a client command: ``button(onclick=call_js("hypergen.hide", "menu"))``.

    ``path`` is a built-in command or one registered with ``hypergen.registerCommand()``.
    """
    _check_command_name("call_js", path)
    return CallJs(path, encode(list(args), _encode_reference))


def command(path: str, *args: Any) -> None:
    """Queue a command for the browser: ``command("hypergen.websocket.open", url)``.

    ``path`` is a built-in command or one registered with ``hypergen.registerCommand()``.
    """
    _check_command_name("command", path)
    state = current_render_state()
    if state is None or state.commands is None:
        raise RuntimeError(
            f"command({path!r}) queues a command for the browser, so it must run inside a @liveview, @action "
            "or @consumer. To send commands from elsewhere, see hypergen.websocket.push()."
        )
    encode(list(args))  # Fail here, where the bad value was given, not when the response is sent.
    state.commands.append([path, *args])
