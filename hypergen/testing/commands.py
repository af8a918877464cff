"""The client's commands (client/src/commands.js) run on a test page's in-memory document.

Each handler takes the page and the command's arguments, decoded the way client/src/wire.js
decodes them: dates, times and decimals as their ISO text, tuples and sets as lists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hypergen.callbacks import _COMMAND_NAME
from hypergen.testing import dom
from hypergen.testing.errors import CommandError, UnknownCommandError

if TYPE_CHECKING:
    from hypergen.testing.page import Page

_AS_TEXT = {"date", "datetime", "time", "decimal", "month", "week"}
_AS_LIST = {"tuple", "set", "frozenset", "deque"}


def decode(value: Any) -> Any:
    """A wire value as the browser client sees it (``decode`` in client/src/wire.js)."""
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "_t" not in value:
        return {key: decode(item) for key, item in value.items()}
    tag, raw = value["_t"], value.get("v")
    if tag in _AS_TEXT and isinstance(raw, str):
        return raw
    if tag in _AS_LIST and isinstance(raw, list):
        return [decode(item) for item in raw]
    if tag == "range" and isinstance(raw, list) and len(raw) == 3:
        return list(range(*raw))
    if tag == "dict" and isinstance(raw, list):
        return {js_string(decode(key)): decode(item) for key, item in raw}
    raise CommandError(f"The server sent a wire value the client cannot read: {value!r:.80}")


def js_string(value: Any) -> str:
    """``String(value)`` in JavaScript, for values that came through JSON."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        return ",".join("" if item is None else js_string(item) for item in value)
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)


# The handlers ------------------------------------------------------------------------------


def _morph(page: Page, element_id: str, html: str) -> None:
    node = page._node_by_id(element_id)
    if node is not None:
        page._morph(node, html)


def _morph_page(page: Page, html: str) -> None:
    new = dom.parse(html)
    title = dom.title_of(new)
    if title:
        dom.set_title(page._document, title)
    body = page._document.body
    if body is not None and new.body is not None:
        page._morph(body, dom.inner_html(new.body))


def _insert(at_end: bool) -> Callable:
    def insert(page: Page, element_id: str, html: str) -> None:
        node = page._node_by_id(element_id)
        if node is not None:
            current = dom.inner_html(node)
            dom.set_inner_html(node, current + html if at_end else html + current)

    return insert


def _remove(page: Page, element_id: str) -> None:
    node = page._node_by_id(element_id)
    if node is not None:
        dom.remove(node)


def _style(prop: str, fixed: str | None = None) -> Callable:
    def set_style(page: Page, element_id: str, value: str = "block") -> None:
        node = page._node_by_id(element_id)
        if node is not None:
            dom.set_style(node, prop, fixed if fixed is not None else js_string(value))

    return set_style


def _redirect(page: Page, url: str) -> None:
    page.redirected_to = js_string(url)


def _reload(page: Page) -> None:
    page.reload_requested = True


def _set_client_state(page: Page, path: str, value: Any) -> None:
    *keys, last = path.split(".")
    target = page.client_state
    for key in keys:
        target = target.setdefault(key, {})
    target[last] = value


def _class_command(change: Callable[[list[str], str], list[str]]) -> Callable:
    def run(page: Page, element_id: str, name: str) -> None:
        node = page._node_by_id(element_id)
        if node is not None:
            dom.set_classes(node, change(dom.classes(node), js_string(name)))

    return run


def _toggled(names: list[str], name: str) -> list[str]:
    return [n for n in names if n != name] if name in names else [*names, name]


def _set_attribute(page: Page, element_id: str, name: str, value: Any) -> None:
    node = page._node_by_id(element_id)
    if node is not None:
        dom.set_attribute(node, name, js_string(value))


def _remove_attribute(page: Page, element_id: str, name: str) -> None:
    node = page._node_by_id(element_id)
    if node is not None:
        dom.remove_attribute(node, name)


def _set_value(page: Page, element_id: str, value: Any) -> None:
    node = page._node_by_id(element_id)
    if node is None:
        return
    if dom.input_type(node) in ("checkbox", "radio"):
        dom.set_checked(node, bool(value), page._document)
    else:
        dom.set_value(node, "" if value is None else js_string(value))
    page._forget_typed(element_id)


def _set_text(page: Page, element_id: str, text: Any) -> None:
    node = page._node_by_id(element_id)
    if node is not None:
        dom.set_text(node, "" if text is None else js_string(text))


def _focus(page: Page, element_id: str) -> None:
    if page._node_by_id(element_id) is not None:
        page.focused = element_id


def _blur(page: Page, element_id: str) -> None:
    if page._node_by_id(element_id) is not None and page.focused == element_id:
        page.focused = None


def _scroll_into_view(page: Page, element_id: str) -> None:
    if page._node_by_id(element_id) is not None:
        page.scrolled_to = element_id


def _set_title(page: Page, title: Any) -> None:
    dom.set_title(page._document, js_string(title))


def _dispatch(page: Page, element_id: str, name: str, detail: Any = None) -> None:
    if page._node_by_id(element_id) is not None:
        page.dispatched.append((element_id, name, decode(detail)))


def _open_socket(page: Page, url: str, resume: dict | None = None) -> None:
    # ``resume`` (where the group stood at render) matters to a page that can miss messages between
    # render and join; the test client joins before anything else happens.
    page._open_socket(url)


def _close_socket(page: Page, url: str) -> None:
    page._close_socket(url, for_good=True)


#: Every command the browser client defines, by name (client/src/commands.js and websocket.js).
COMMANDS: dict[str, Callable[..., None]] = {
    "hypergen.morph": _morph,
    "hypergen.morphPage": _morph_page,
    "hypergen.append": _insert(at_end=True),
    "hypergen.prepend": _insert(at_end=False),
    "hypergen.remove": _remove,
    "hypergen.hide": _style("display", "none"),
    "hypergen.display": _style("display"),
    "hypergen.visible": _style("visibility", "visible"),
    "hypergen.hidden": _style("visibility", "hidden"),
    "hypergen.redirect": _redirect,
    "hypergen.reload": _reload,
    "hypergen.setClientState": _set_client_state,
    "hypergen.addClass": _class_command(lambda names, name: names if name in names else [*names, name]),
    "hypergen.removeClass": _class_command(lambda names, name: [n for n in names if n != name]),
    "hypergen.toggleClass": _class_command(_toggled),
    "hypergen.setAttribute": _set_attribute,
    "hypergen.removeAttribute": _remove_attribute,
    "hypergen.setValue": _set_value,
    "hypergen.setText": _set_text,
    "hypergen.focus": _focus,
    "hypergen.blur": _blur,
    "hypergen.scrollIntoView": _scroll_into_view,
    "hypergen.setTitle": _set_title,
    "hypergen.dispatch": _dispatch,
    "hypergen.websocket.open": _open_socket,
    "hypergen.websocket.close": _close_socket,
}


def run_command(page: Page, command: Any) -> None:
    """Run one ``[name, *args]`` command; a name the client does not define is an error."""
    if not isinstance(command, list) or not command or not isinstance(command[0], str):
        raise CommandError(f"The server sent a command that is not [name, *args]: {command!r:.200}")
    name, *args = command
    handler = COMMANDS.get(name)
    if handler is None and is_custom_command(name):
        page.custom_commands.append([name, *decode(args)])  # The page's own script would run it.
        return
    if handler is None:
        raise UnknownCommandError(
            f"The server sent the command {name!r}, which the browser client does not define, so a browser "
            f"would ignore it. Known commands: {', '.join(sorted(COMMANDS))}."
        )
    try:
        handler(page, *args)
    except TypeError as error:
        raise CommandError(f"{name} cannot take the arguments {args!r:.200}: {error}") from None


def is_custom_command(name: str) -> bool:
    """A command the page's own script may register (hypergen.registerCommand), not a built-in one."""
    return not name.startswith("hypergen.") and _COMMAND_NAME.match(name) is not None


def run_commands(page: Page, commands: Any) -> None:
    if not isinstance(commands, list):
        raise CommandError(f"The server sent commands that are not a list: {commands!r:.200}")
    for command in commands:
        run_command(page, command)
