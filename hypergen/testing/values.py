"""Reading element values when an event fires, exactly as client/src/values.js does.

The result is what the browser would send: plain JSON, with tagged values (``{"_t": "date",
"v": "2026-11-24"}``) for the typed inputs, and numbers that are whole sent as integers
(JavaScript has one number type; ``JSON.stringify(3.0)`` is ``"3"``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from selectolax.lexbor import LexborNode

from hypergen.testing import dom

_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_JS_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?Infinity$")
_TAGGED_INPUTS = {"date": "date", "time": "time", "datetime-local": "datetime", "month": "month", "week": "week"}


def to_number(text: str, integer: bool) -> int | float | None:
    """JavaScript's ``Number(text)``, as values.js uses it: None for empty, invalid or infinite."""
    text = text.strip()
    if not text or not _JS_NUMBER.match(text) or "Infinity" in text:
        return None
    number = float(text)
    if not math.isfinite(number) or (integer and not number.is_integer()):
        return None
    return json_number(number)


def json_number(number: float) -> int | float:
    """What a JavaScript number becomes through JSON: whole numbers have no fraction."""
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def as_float(number: int | float | None) -> dict | None:
    """A float tagged as values.js tags it, so that a whole one arrives as 3.0, not 3."""
    return None if number is None else {"_t": "float", "v": number}


def coerced(text: str, coerce: str | None) -> Any:
    if coerce == "int":
        return to_number(text, True)
    if coerce == "float":
        return as_float(to_number(text, False))
    if coerce == "decimal":
        return {"_t": "decimal", "v": text.strip()} if _DECIMAL.match(text.strip()) else None
    if coerce in ("date", "datetime", "time"):
        return {"_t": coerce, "v": text} if text else None
    return text


def element_value(node: LexborNode, document: Any, files: Callable[[LexborNode], list] | None = None, coerce=None):
    """The value the browser sends for ``node`` (``elementValue`` in values.js)."""
    kind = dom.input_type(node)
    if node.tag == "select" and "multiple" in node.attrs:
        return [coerced(dom.option_value(option), coerce) for option in dom.selected_options(node)]
    if kind == "checkbox":
        return dom.is_checked(node)
    if kind == "radio":
        chosen = next((radio for radio in dom.radio_group(node, document) if dom.is_checked(radio)), None)
        return coerced(dom.raw_value(chosen), coerce) if chosen is not None else None
    if kind == "file":
        names = [name for name, _content in (files(node) if files else [])]
        return names if "multiple" in node.attrs else (names[0] if names else None)
    if node.tag not in dom.FIELD_TAGS and dom.is_content_editable(node):
        return dom.inner_html(node)
    text = dom.raw_value(node)
    if coerce:
        return coerced(text, coerce)
    if kind == "number":
        return to_number(text, False)
    if kind == "range":
        return as_float(to_number(text, False))
    if kind in _TAGGED_INPUTS:
        return {"_t": _TAGGED_INPUTS[kind], "v": text} if text else None
    return text


class ArgumentReader:
    """Resolves a callback's arguments (``resolveArgs``): element references and THIS become values.

    The elements read are kept in ``refs`` (for ``clear=`` and uploads); an element that is not
    in the page is read as None and reported through ``missing(id)``, as the browser logs it.
    """

    def __init__(self, document: Any, this: LexborNode | None, files: Callable, missing: Callable[[str], None]):
        self.document = document
        self.this = this
        self.files = files
        self.missing = missing
        self.refs: list[LexborNode] = []

    def read(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.read(item) for item in value]
        if not isinstance(value, dict):
            return value
        if "_t" not in value:
            return {key: self.read(item) for key, item in value.items()}
        if value["_t"] == "this":
            if self.this is None:
                return None
            self.refs.append(self.this)
            return element_value(self.this, self.document, self.files, self.this.attrs.get("data-hypergen-coerce"))
        if value["_t"] == "element":
            element_id, coerce = value["v"]
            node = dom.by_id(self.document, element_id)
            if node is None:
                self.missing(element_id)
                return None
            self.refs.append(node)
            return element_value(node, self.document, self.files, coerce)
        if isinstance(value.get("v"), list):
            return {"_t": value["_t"], "v": self.read(value["v"])}
        return value


def clear_value(node: LexborNode) -> None:
    """``clearValue`` in values.js: what ``callback(clear=True)`` does to the elements it read."""
    kind = dom.input_type(node)
    if kind in ("checkbox", "radio"):
        dom.set_flag(node, "checked", False)
    elif node.tag == "select":
        for option in dom.options_of(node):
            dom.set_flag(option, "selected", False)
    elif node.tag in ("input", "textarea"):
        dom.set_value(node, "")
    elif dom.is_content_editable(node):
        dom.set_inner_html(node, "")
