"""Client commands as Python functions: ``js.append("messages", html)`` queues ``hypergen.append``.

Each function here is equal to ``command("hypergen.<name>", ...)`` with that client
command's arguments, and the browser client defines exactly these commands
(tests/unit/test_js.py keeps the two lists equal). ``id`` is an element's id.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from hypergen.callbacks import command
from hypergen.context import context
from hypergen.safeurl import UnsafeURL, url_problem
from hypergen.template import Element, _take, escape

__all__ = [
    "UnsafeURL",
    "add_class",
    "append",
    "blur",
    "dispatch",
    "display",
    "focus",
    "hidden",
    "hide",
    "morph",
    "prepend",
    "redirect",
    "reload",
    "remove",
    "remove_attribute",
    "remove_class",
    "scroll_into_view",
    "set_attribute",
    "set_client_state",
    "set_text",
    "set_title",
    "set_value",
    "toggle_class",
    "visible",
]

#: Python function name -> client command name, for every command defined here.
CLIENT_COMMANDS: dict[str, str] = {}


def _client_command(name: str) -> Callable[[Callable], Callable]:
    def register(func: Callable) -> Callable:
        CLIENT_COMMANDS[func.__name__] = name
        return func

    return register


#: Attributes whose value the browser loads or navigates to.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite", "ping", "codebase"}
)
#: Attributes set_attribute() refuses whatever the value: they hold HTML (srcdoc) or script (on*).
_SCRIPT_ATTRIBUTE = re.compile(r"on|srcdoc\Z", re.IGNORECASE)
_UNSAFE_URL_OPTION = {"unsafe_url": True}  # Tells the client, which checks URLs too, that this one was meant.


def _html(value: Any) -> str:
    """HTML for the page: elements and safe HTML as they are, a plain str as (escaped) text."""
    if isinstance(value, Element):
        return _take(value)  # Taken out of the page being rendered: it goes where the command says.
    if hasattr(value, "__html__"):  # hypergen(), raw(), Django's mark_safe()
        return str(value.__html__())
    if isinstance(value, str):
        return escape(value)
    raise TypeError(f"Expected HTML (from hypergen(...), raw(...) or an element) or text (a str), got {value!r}.")


def _own_host() -> str | None:
    request = context.get("request")
    try:
        return request.get_host() if request is not None else None
    except Exception:  # DisallowedHost: then no host is this site's.
        return None


def _checked_url(function: str, url: str) -> list:
    """The command arguments for ``url``: refused when unsafe, unless it is an UnsafeURL."""
    if isinstance(url, UnsafeURL):
        return [str(url), _UNSAFE_URL_OPTION]
    problem = url_problem(url, _own_host())
    if problem is not None:
        raise ValueError(
            f"{function}({url!r}): refused, {problem}. Give an http(s), mailto:, tel: or relative URL, or "
            "js.UnsafeURL(url) if you trust this one."
        )
    return [url]


@_client_command("hypergen.morph")
def morph(id: str, html: str | Element) -> None:
    """Replace the children of element ``id`` with ``html``, morphing (focus and caret are kept).

    ``html`` is what ``hypergen()`` or ``raw()`` return, or an element; a plain str is text.
    """
    command("hypergen.morph", id, _html(html))


@_client_command("hypergen.append")
def append(id: str, html: str | Element) -> None:
    """Add ``html`` (from ``hypergen()``, ``raw()``, an element; a plain str is text) at the end of ``id``."""
    command("hypergen.append", id, _html(html))


@_client_command("hypergen.prepend")
def prepend(id: str, html: str | Element) -> None:
    """Add ``html`` (from ``hypergen()``, ``raw()``, an element; a plain str is text) at the start of ``id``."""
    command("hypergen.prepend", id, _html(html))


@_client_command("hypergen.remove")
def remove(id: str) -> None:
    """Remove element ``id`` from the page."""
    command("hypergen.remove", id)


@_client_command("hypergen.hide")
def hide(id: str) -> None:
    """Hide element ``id`` (``display: none``)."""
    command("hypergen.hide", id)


@_client_command("hypergen.display")
def display(id: str, value: str = "block") -> None:
    """Show element ``id`` with ``display: value``."""
    command("hypergen.display", id, value)


@_client_command("hypergen.visible")
def visible(id: str) -> None:
    """Make element ``id`` visible (``visibility: visible``)."""
    command("hypergen.visible", id)


@_client_command("hypergen.hidden")
def hidden(id: str) -> None:
    """Make element ``id`` invisible but keep its space (``visibility: hidden``)."""
    command("hypergen.hidden", id)


@_client_command("hypergen.redirect")
def redirect(url: str) -> None:
    """Load ``url`` in the browser: http(s), mailto:, tel: or relative; ``js.UnsafeURL(url)`` for others."""
    command("hypergen.redirect", *_checked_url("js.redirect", url))


@_client_command("hypergen.reload")
def reload() -> None:
    """Reload the page."""
    command("hypergen.reload")


@_client_command("hypergen.setClientState")
def set_client_state(path: str, value: Any) -> None:
    """Store ``value`` at ``path`` (dotted) in ``hypergen.clientState`` in the browser."""
    command("hypergen.setClientState", path, value)


@_client_command("hypergen.addClass")
def add_class(id: str, name: str) -> None:
    """Add CSS class ``name`` to element ``id``."""
    command("hypergen.addClass", id, name)


@_client_command("hypergen.removeClass")
def remove_class(id: str, name: str) -> None:
    """Remove CSS class ``name`` from element ``id``."""
    command("hypergen.removeClass", id, name)


@_client_command("hypergen.toggleClass")
def toggle_class(id: str, name: str) -> None:
    """Toggle CSS class ``name`` on element ``id``."""
    command("hypergen.toggleClass", id, name)


@_client_command("hypergen.setAttribute")
def set_attribute(id: str, name: str, value: str) -> None:
    """Set attribute ``name`` of element ``id``; URL attributes (href, src, ...) get checked URLs.

    Event handler attributes (``on*``) and ``srcdoc`` are refused: bind events with
    ``callback()`` or ``call_js()`` in the template.
    """
    if not isinstance(name, str) or _SCRIPT_ATTRIBUTE.match(name):
        raise ValueError(
            f"js.set_attribute({id!r}, {name!r}, ...): refused, that attribute runs script or holds HTML. "
            "Bind events with callback() or call_js() in the template instead."
        )
    if name.lower() in URL_ATTRIBUTES:
        command("hypergen.setAttribute", id, name, *_checked_url("js.set_attribute", value))
    else:
        command("hypergen.setAttribute", id, name, value)


@_client_command("hypergen.removeAttribute")
def remove_attribute(id: str, name: str) -> None:
    """Remove attribute ``name`` from element ``id``."""
    command("hypergen.removeAttribute", id, name)


@_client_command("hypergen.setValue")
def set_value(id: str, value: Any) -> None:
    """Set the value of form element ``id`` (a bool checks a checkbox)."""
    command("hypergen.setValue", id, value)


@_client_command("hypergen.setText")
def set_text(id: str, text: str) -> None:
    """Replace the content of element ``id`` with ``text`` (as text, never HTML)."""
    command("hypergen.setText", id, text)


@_client_command("hypergen.focus")
def focus(id: str) -> None:
    """Move keyboard focus to element ``id``."""
    command("hypergen.focus", id)


@_client_command("hypergen.blur")
def blur(id: str) -> None:
    """Take keyboard focus away from element ``id``."""
    command("hypergen.blur", id)


@_client_command("hypergen.scrollIntoView")
def scroll_into_view(id: str) -> None:
    """Scroll the page so element ``id`` is visible."""
    command("hypergen.scrollIntoView", id)


@_client_command("hypergen.setTitle")
def set_title(title: str) -> None:
    """Set the document's title."""
    command("hypergen.setTitle", title)


@_client_command("hypergen.dispatch")
def dispatch(id: str, name: str, detail: Any = None) -> None:
    """Fire a DOM ``CustomEvent(name, {detail, bubbles: true})`` on element ``id`` (for hooks to hear).

    ``detail`` is any wire value: ``js.dispatch("chart", "chart:point", {"x": 3, "y": 1.5})``.
    """
    if not isinstance(name, str) or not name or any(c.isspace() for c in name):
        raise TypeError(
            f"js.dispatch({id!r}, {name!r}): an event name is one word, such as 'chart:point' or 'refresh'."
        )
    command("hypergen.dispatch", id, name, detail)
