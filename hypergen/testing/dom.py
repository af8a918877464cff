"""The in-memory document of a test page: parsing, CSS selectors and the few DOM operations the
client's commands need, on selectolax's lexbor parser (a real HTML5 parser).

Form state lives in the markup: a field's current value is its ``value`` attribute (a textarea's
text, a select's ``selected`` options, a checkbox's ``checked``), so it shows in ``outer_html``.
"""

from __future__ import annotations

import html as html_module
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

FIELD_TAGS = {"input", "textarea", "select"}


def parse(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(html)


def is_element(node: LexborNode | None) -> bool:
    """An element, not the document, a text or a comment (tagged "-document", "-text", ...; "" or
    "#document" for the document in some selectolax versions, whose attrs must not be touched)."""
    return node is not None and bool(node.tag) and not node.tag.startswith(("-", "#", "!"))


def by_id(document: LexborHTMLParser, element_id: str) -> LexborNode | None:
    escaped = element_id.replace("\\", "\\\\").replace('"', '\\"')
    return document.css_first(f'[id="{escaped}"]')


def path_of(node: LexborNode) -> list[int]:
    """Where ``node`` is: child indexes from the ``<html>`` element down.

    A node must not be used once a command may have replaced it (selectolax would read freed
    memory), so code that runs handlers keeps paths and finds the node again with ``node_at``.
    """
    path = []
    while is_element(node.parent):
        index, sibling = 0, node.prev
        while sibling is not None:
            index, sibling = index + 1, sibling.prev
        path.append(index)
        node = node.parent
    return path[::-1]


def node_at(document: LexborHTMLParser, path: list[int]) -> LexborNode | None:
    node = document.root
    for index in path:
        if node is None:
            return None
        node = node.child
        for _step in range(index):
            node = node.next if node is not None else None
    return node if is_element(node) else None


def select_all(scope: Any, selector: str) -> list[LexborNode]:
    """``scope.css(selector)`` with an error that names the selector when it is not valid CSS."""
    try:
        return list(scope.css(selector))
    except Exception as error:  # selectolax raises ValueError or SelectolaxError for bad CSS.
        raise ValueError(f"{selector!r} is not a CSS selector the test page understands: {error}") from None


# Reading -------------------------------------------------------------------------------------


def input_type(node: LexborNode) -> str:
    return (node.attrs.get("type") or "text").lower() if node.tag == "input" else ""


def options_of(select: LexborNode) -> list[LexborNode]:
    return select_all(select, "option")


def option_value(option: LexborNode) -> str:
    value = option.attrs.get("value")
    return value if value is not None else " ".join(option.text().split())


def selected_options(select: LexborNode) -> list[LexborNode]:
    """The chosen options; a single select with none marked shows (and sends) its first option."""
    options = options_of(select)
    chosen = [option for option in options if "selected" in option.attrs]
    if "multiple" in select.attrs:
        return chosen
    return chosen[-1:] if chosen else options[:1]


def raw_value(node: LexborNode) -> str:
    """What ``element.value`` is in the browser, as text ("" where the element has none)."""
    if node.tag == "textarea":
        return node.text()
    if node.tag == "select":
        chosen = selected_options(node)
        return option_value(chosen[0]) if chosen else ""
    if node.tag == "option":
        return option_value(node)
    if node.tag == "input":
        value = node.attrs.get("value")
        if value is None and input_type(node) in ("checkbox", "radio"):
            return "on"
        return value or ""
    if node.tag in ("button", "data", "output", "param"):
        return node.attrs.get("value") or ""
    return ""


def is_checked(node: LexborNode) -> bool:
    return "checked" in node.attrs


def is_content_editable(node: LexborNode | None) -> bool:
    while is_element(node):
        value = node.attrs.get("contenteditable")
        if value is not None:
            return value.lower() in ("", "true", "plaintext-only")
        node = node.parent
    return False


def inner_html(node: LexborNode) -> str:
    return node.inner_html or ""


def outer_html(node: LexborNode) -> str:
    return node.html or ""


# Writing -------------------------------------------------------------------------------------


def set_inner_html(node: LexborNode, html: str) -> None:
    """Replace the children of ``node`` with ``html``, parsed in its context (``<tr>`` in a ``<tbody>``)."""
    node.inner_html = html


def set_text(node: LexborNode, text: str) -> None:
    node.inner_html = html_module.escape(text, quote=False)


def set_attribute(node: LexborNode, name: str, value: str) -> None:
    node.attrs[name] = value


def remove_attribute(node: LexborNode, name: str) -> None:
    if name in node.attrs:
        del node.attrs[name]


def set_flag(node: LexborNode, name: str, on: bool) -> None:
    """A boolean attribute: ``checked``, ``selected``."""
    if on:
        node.attrs[name] = ""
    else:
        remove_attribute(node, name)


def set_style(node: LexborNode, prop: str, value: str) -> None:
    """``el.style[prop] = value``: the ``style`` attribute as the browser writes it back."""
    styles: dict[str, str] = {}
    for declaration in (node.attrs.get("style") or "").split(";"):
        name, _, current = declaration.partition(":")
        if name.strip():
            styles[name.strip().lower()] = current.strip()
    styles[prop] = value
    styles = {name: current for name, current in styles.items() if current}
    if styles:
        node.attrs["style"] = " ".join(f"{name}: {current};" for name, current in styles.items())
    else:
        remove_attribute(node, "style")


def classes(node: LexborNode) -> list[str]:
    return (node.attrs.get("class") or "").split()


def set_classes(node: LexborNode, names: list[str]) -> None:
    node.attrs["class"] = " ".join(names)


def set_value(node: LexborNode, value: str) -> None:
    """``el.value = value`` for an input, a textarea or a select."""
    if node.tag == "textarea":
        set_text(node, value)
    elif node.tag == "select":
        choose_options(node, [value])
    else:
        node.attrs["value"] = value


def choose_options(select: LexborNode, values: list[str]) -> None:
    """Select the options whose values are ``values`` (only the first match in a single select)."""
    multiple = "multiple" in select.attrs
    found = False
    for option in options_of(select):
        chosen = option_value(option) in values and (multiple or not found)
        found = found or chosen
        set_flag(option, "selected", chosen)


def set_checked(node: LexborNode, checked: bool, document: LexborHTMLParser) -> None:
    """Check or uncheck a checkbox or radio; checking a radio unchecks the others of its group."""
    if checked and input_type(node) == "radio":
        for radio in radio_group(node, document):
            set_flag(radio, "checked", False)
    set_flag(node, "checked", checked)


def form_of(node: LexborNode) -> LexborNode | None:
    while is_element(node):
        if node.tag == "form":
            return node
        node = node.parent
    return None


def radio_group(node: LexborNode, document: LexborHTMLParser) -> list[LexborNode]:
    """The radios of ``node``'s group: same name, same form (or the document)."""
    name = node.attrs.get("name")
    if not name:
        return [node]
    scope = form_of(node) or document
    escaped = name.replace("\\", "\\\\").replace('"', '\\"')
    return select_all(scope, f'input[type=radio][name="{escaped}"]')


def remove(node: LexborNode) -> None:
    node.decompose()


def title_of(document: LexborHTMLParser) -> str:
    title = document.css_first("title")
    return " ".join(title.text().split()) if title is not None else ""


def set_title(document: LexborHTMLParser, text: str) -> None:
    title = document.css_first("title")
    if title is None:
        head = document.head
        if head is None:
            return
        set_inner_html(head, inner_html(head) + "<title></title>")
        title = document.css_first("title")
    set_text(title, text)


# Snapshots for the tests -------------------------------------------------------------------


@dataclass(frozen=True)
class Element:
    """An element of a test page as it was when found (later commands do not change it).

    ``text`` is its text content with whitespace collapsed; ``value`` what ``element.value`` is
    in the browser; ``checked`` for checkboxes and radios; ``selected`` the values of a select's
    chosen options.
    """

    tag: str
    attrs: dict[str, str | None] = field(repr=False)
    text: str
    inner_html: str = field(repr=False)
    outer_html: str = field(repr=False)
    value: str = field(repr=False)
    checked: bool = field(repr=False)
    selected: list[str] = field(repr=False)

    @property
    def id(self) -> str | None:
        return self.attrs.get("id")

    def __getitem__(self, name: str) -> str | None:
        """``element["href"]``: an attribute's value (KeyError if it has none)."""
        return self.attrs[name]

    def __repr__(self) -> str:
        return f"<Element {shorten(self.outer_html)}>"


def snapshot(node: LexborNode) -> Element:
    return Element(
        tag=node.tag,
        attrs=dict(node.attributes),
        text=" ".join(node.text().split()),
        inner_html=inner_html(node),
        outer_html=outer_html(node),
        value=raw_value(node),
        checked=is_checked(node),
        selected=[option_value(o) for o in selected_options(node)] if node.tag == "select" else [],
    )


def shorten(html: str, limit: int = 300) -> str:
    html = " ".join(html.split())
    return html if len(html) <= limit else html[: limit - 3] + "..."
