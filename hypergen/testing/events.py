"""Event attributes as Python's callback() and call_js() render them, read back for a test page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hypergen.testing.errors import HandlerError

_CALLBACK = "hypergen.callback(event,"
_CALL_JS = "hypergen.callJs(event,"


@dataclass(frozen=True)
class Event:
    """A DOM event fired by the test: its type, and the key of a keyboard event."""

    type: str
    key: str | None = None

    @property
    def code(self) -> str | None:
        """``event.code``: "KeyA" for "a", "Digit1" for "1", the key's name for the others."""
        if self.key is None or len(self.key) != 1:
            return self.key
        if self.key.isalpha():
            return f"Key{self.key.upper()}"
        return f"Digit{self.key}" if self.key.isdigit() else self.key


@dataclass(frozen=True)
class CallbackHandler:
    """``hypergen.callback(event, url, args, options)``."""

    url: str
    args: list
    options: dict


@dataclass(frozen=True)
class CallJsHandler:
    """``hypergen.callJs(event, name, args)``."""

    name: str
    args: list


def parse_handler(attribute: str, code: str) -> CallbackHandler | CallJsHandler:
    """The handler in an event attribute; anything but Hypergen's two forms is an error."""
    code = code.strip()
    for prefix, arity in ((_CALLBACK, 3), (_CALL_JS, 2)):
        if code.startswith(prefix) and code.endswith(")"):
            try:
                values = json.loads("[" + code[len(prefix) : -1] + "]")
            except ValueError:
                break
            if len(values) == arity:
                return CallbackHandler(*values) if arity == 3 else CallJsHandler(*values)
    raise HandlerError(
        f"{attribute}={code[:120]!r} is not a callback() or call_js() handler. The test client runs only "
        "Hypergen's handlers, not other JavaScript; test such pages in a browser (tests/browser)."
    )


def passes_filter(when: list | None, event: Event) -> bool:
    """``callback(when=[name, *args])``: whether the event gets through the client's filter."""
    if not when:
        return True
    name, *args = when
    if name == "hypergen.when.keycode":
        return any(key in (event.key, event.code) for key in args)
    raise HandlerError(f'callback(when=[{name!r}, ...]): "{name}" is not an event filter the client defines.')


def describe(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)[:200]
