"""HTML templates as Python calls: ``p("hi")``, ``with ul(): li(x)``.

How rendering works: while ``hypergen(func)`` runs, a render state (held in a
``ContextVar``, so threads and asyncio tasks never share one) collects HTML
strings in a flat list. Every element call renders itself to a string at once
and appends it. An element passed as a child to another element is taken back
out of that list (its slots are blanked) and becomes part of the parent's
string. ``with div():`` splits the already rendered string into its start tag,
written at once, and its end tag, written when the block exits.

Nothing builds a tree, and the only per-element object is the small
:class:`Element` handle returned to the caller, garbage as soon as it is
dropped. That keeps the hot path to a few string operations per element.

The hot path is the function behind each element name (``_element_function()``),
measured on bench/render.py's standard page: it is a plain function, not an object
with ``__call__``; a str attribute's rendered text is cached by key and value (ids
excepted: each is checked for duplicates); escaping a text child and taking an
element child are inlined; the pieces are joined once; and the :class:`Element`
handle is filled in without calling ``__init__``. Everything less common (``sep=``,
``end=``, ``coerce_to=``, <script> and <style>, other child types) takes the plain
functions below it (``_render_attributes()``, ``_render_children()``).
"""

from __future__ import annotations

import functools
import itertools
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time
from decimal import Decimal
from types import GeneratorType
from typing import Any

__all__ = [
    "OMIT",
    "DuplicateIdError",
    "Element",
    "RenderState",
    "SafeHTML",
    "Tag",
    "component",
    "doctype",
    "hypergen",
    "raw",
    "write",
]


class DuplicateIdError(ValueError):
    """Two elements in one render were given the same id."""


class _Omit:
    """Attribute value meaning "leave this attribute out"."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "OMIT"

    def __bool__(self) -> bool:
        return False


OMIT = _Omit()


class RenderState:
    """What one ``hypergen(...)`` call collects: the HTML parts and the ids used.

    Other parts of Hypergen (liveviews, consumers) add their own attributes,
    which is why this is a plain class and not a slotted one.
    """

    #: Commands queued with ``command()``; None where nothing would send them.
    commands: list | None = None
    #: Websocket URLs that callbacks in this render send to (the page opens them).
    websocket_urls: list | None = None
    #: The id of the element whose children a liveview's partial load replaces, and
    #: where those children are in ``out`` once rendered (found by ``with``).
    target_id: str | None = None
    target_range: tuple[int, int] | None = None
    _target_element: Element | None = None

    def __init__(self) -> None:
        self.out: list[str] = []
        self.ids: set[str] = set()
        self.id_prefix = "hg-"
        self.generated_id_count = 0

    def html(self) -> str:
        return "".join(self.out)

    def generate_id(self) -> str:
        """A new id, the same for the same element of the same template on every render."""
        self.generated_id_count += 1
        return f"{self.id_prefix}{self.generated_id_count}"

    @contextmanager
    def id_scope(self, name: str) -> Iterator[None]:
        """Generate ids inside the block from their own counter, prefixed with ``name``.

        A liveview renders its content inside the scope of its target id, and so
        does an action re-rendering that target: the content's generated ids are
        then the same in both, and never clash with ids generated outside it.
        """
        saved = self.id_prefix, self.generated_id_count
        self.id_prefix, self.generated_id_count = f"hg-{name}-", 0
        try:
            yield
        finally:
            self.id_prefix, self.generated_id_count = saved


#: The types ``coerce_to=`` takes, by the names the client knows them by (client/src/values.js).
COERCE_NAMES = {
    int: "int",
    float: "float",
    str: "str",
    Decimal: "decimal",
    date: "date",
    datetime: "datetime",
    time: "time",
}


_HOOK_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\Z")


def _hook_name(hook: Any, tag_name: str) -> str:
    """``hook=`` names a client hook (client/src/hooks.js): an identifier, dotted or not."""
    if not isinstance(hook, str) or not _HOOK_NAME.match(hook):
        raise TypeError(
            f"<{tag_name} hook={hook!r}>: a hook name is an identifier such as 'Chart' or 'myapp.Chart', "
            "registered in the browser with hypergen.registerHook()."
        )
    return hook


def coerce_name(coerce_to: Any, tag_name: str) -> str:
    """The client's name for ``coerce_to``; a clear error for a type it cannot coerce to."""
    name = COERCE_NAMES.get(coerce_to)
    if name is None:
        raise TypeError(
            f"coerce_to={coerce_to!r} on <{tag_name}>: use one of int, float, str, Decimal, date, datetime or time."
        )
    return name


class SafeHTML(str):
    """HTML that is safe to put in a page as it is: what ``hypergen()`` returns.

    ``js.append()``, ``js.morph()`` and element children treat it as HTML, and a plain ``str``
    as text (escaped). Joining it with a plain ``str`` gives a plain ``str`` again.
    """

    __slots__ = ()

    def __html__(self) -> str:
        return self


_state: ContextVar[RenderState | None] = ContextVar("hypergen_render_state", default=None)


def current_render_state() -> RenderState | None:
    """The render state of the ``hypergen(...)`` call running now, or None."""
    return _state.get()


# Fragment id prefixes: a counter, after a random part that tells this process's from another's.
_FRAGMENT_SALT = secrets.token_hex(2)
_fragment_numbers = itertools.count(1)


def hypergen(func: Callable[..., Any], *args: Any, **kwargs: Any) -> SafeHTML:
    """Call ``func(*args, **kwargs)`` and return the HTML it wrote (a :class:`SafeHTML` string).

    Works anywhere: in a view, a consumer, a task, a test. Each call is an
    independent render, so calls may be nested.
    """
    state = RenderState()
    # Its HTML is often added to a page that has ids already (js.append, push()): its generated ids
    # are unique to this call, never the hg-1, hg-2 of the page or of another fragment.
    state.id_prefix = f"hg-{_FRAGMENT_SALT}{next(_fragment_numbers)}-"
    token = _state.set(state)
    try:
        func(*args, **kwargs)
    finally:
        _state.reset(token)
    return SafeHTML("".join(state.out))


@contextmanager
def render_into(state: RenderState) -> Iterator[RenderState]:
    """Make ``state`` the active render state inside the block."""
    token = _state.set(state)
    try:
        yield state
    finally:
        _state.reset(token)


# Escaping ----------------------------------------------------------------------


def escape(text: str) -> str:
    """Escape text for use in HTML content and in quoted attribute values."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


_RAWTEXT_END = {
    "script": re.compile(r"</(script)|<!--", re.IGNORECASE),
    "style": re.compile(r"</(style)|<!--", re.IGNORECASE),
}


def _rawtext_safe(tag_name: str, text: str) -> str:
    """Make the whole content of a <script> or <style> safe, where HTML escaping does not apply.

    The browser ends these elements at the first ``</script`` (or ``</style``)
    whatever surrounds it, so data must never contain one. ``<\\/`` means the
    same as ``</`` inside JavaScript strings, regular expressions and CSS. Only the
    joined content can be checked: ``"<"`` and ``"/script>"`` are harmless apart.
    """
    if "<" not in text:
        return text
    return _RAWTEXT_END[tag_name].sub(lambda m: "<\\/" + m.group(1) if m.group(1) else "<\\!--", text)


# Attributes --------------------------------------------------------------------

_VALID_ATTRIBUTE_NAME = re.compile(r"[A-Za-z_:@][A-Za-z0-9_:.@\-]*\Z")
_attribute_names: dict[str, str] = {}
_MAX_CACHED_ATTRIBUTE_NAMES = 4096


def _attribute_name(key: str) -> str:
    """Turn a keyword argument name into an HTML attribute name (``class_`` -> ``class``)."""
    name = key[:-1] if key.endswith("_") and len(key) > 1 else key
    name = name.replace("_", "-")
    if not _VALID_ATTRIBUTE_NAME.match(name):
        raise ValueError(
            f"Invalid HTML attribute name {key!r}: attribute names may contain only letters, "
            "digits and the characters _ - : . @, and must not start with a digit or '-'."
        )
    if len(_attribute_names) < _MAX_CACHED_ATTRIBUTE_NAMES:
        _attribute_names[key] = name
    return name


# A str attribute renders to the same text every time (`` class="item"``), and keys and values
# repeat a lot (class names, types, hrefs), so the rendered text is cached by key, then value: two
# dict lookups are the whole hot path. Bounded, so that user data cannot grow it without limit;
# ids are never cached (each one must be checked for duplicates).
_rendered_str_attributes: dict[str, dict[str, str]] = {}
_NOT_CACHED: dict[str, str] = {}
_cached_str_attributes = 0
_MAX_CACHED_STR_ATTRIBUTES = 8192


def _str_attribute(key: str, value: str, state: RenderState | None) -> str:
    """Render ``key=value`` for a str value (`` name="escaped value"``), caching it where it may be."""
    global _cached_str_attributes
    name = _attribute_names.get(key) or _attribute_name(key)
    rendered = f' {name}="{escape(value)}"'
    if name == "id":
        if state is not None:
            _register_id(value, state)
    elif _cached_str_attributes < _MAX_CACHED_STR_ATTRIBUTES and len(value) < 64:
        _rendered_str_attributes.setdefault(key, {})[value] = rendered
        _cached_str_attributes += 1
    return rendered


def _style_value(style: dict[str, Any]) -> str:
    parts = []
    for key, value in style.items():
        if value is None or value is False or value is OMIT:
            continue
        parts.append(f"{key.replace('_', '-')}:{value}")
    return ";".join(parts)


def _join_value(name: str, values: Any) -> str:
    separator = "-" if name == "id" else " "
    return separator.join(str(v) for v in values if v is not None and v is not False and v is not OMIT)


def _register_id(value: str, state: RenderState) -> None:
    if value in state.ids:
        raise DuplicateIdError(
            f'Duplicate id "{value}": an id must be unique within one render. '
            "Give the element a different id, or leave it out."
        )
    state.ids.add(value)


def _attribute(name: str, value: Any, attrs: dict[str, Any], state: RenderState | None) -> str:
    """Render one attribute whose value is not a plain str (the hot path handles those)."""
    kind = type(value)
    if value is True:
        return " " + name
    if value is False or value is None or value is OMIT:
        return ""
    if kind is int or kind is float:
        text = str(value)
    elif kind is dict and name == "style":
        text = _style_value(value)
    elif kind is list or kind is tuple:
        text = _join_value(name, value)
    else:
        attribute = getattr(value, "__hypergen_attribute__", None)
        text = attribute(name, attrs) if attribute is not None else str(value)
    if name == "id" and state is not None:
        _register_id(text, state)
    return f' {name}="{escape(text)}"'


def _render_attributes(attrs: dict[str, Any], state: RenderState | None) -> str:
    """All attributes, rendered (the element functions inline this loop: it is the hot path)."""
    html = ""
    for key, value in attrs.items():
        if type(value) is str:
            rendered = _rendered_str_attributes.get(key, _NOT_CACHED).get(value)
            html += rendered if rendered is not None else _str_attribute(key, value, state)
        else:
            html += _attribute(_attribute_names.get(key) or _attribute_name(key), value, attrs, state)
    return html


# Children ----------------------------------------------------------------------


def _take(element: Element) -> str:
    """Remove an element's HTML from where it was written and return it."""
    if element._html is not None:
        return element._html  # Already placed once: a second use is a copy.
    out = element._out
    start, end = element._start, element._end
    if end - start == 1:
        html = out[start]
        out[start] = ""
    else:
        html = "".join(out[start:end])
        out[start:end] = [""] * (end - start)
    element._html = html
    return html


def _render_children(children: tuple | list, state: RenderState | None, text_tag: str | None) -> list[str]:
    """The HTML of each child; inside <script>/<style> (``text_tag``) text is left as it is, for
    the caller to make the joined content safe with _rawtext_safe()."""
    parts: list[str] = []
    for child in children:
        kind = type(child)
        if kind is str:
            if child:
                parts.append(child if text_tag else escape(child))
        elif kind is Element:
            parts.append(_take(child))
        elif child is None:
            continue
        elif kind is int or kind is float:
            parts.append(str(child))
        elif hasattr(child, "__html__"):
            parts.append(child.__html__())
        elif isinstance(child, str):
            parts.append(child if text_tag else escape(child))
        elif kind is list or kind is tuple or kind is GeneratorType:
            parts.extend(_render_children(child, state, text_tag))
        elif callable(child):
            parts.extend(_render_callable(child, state, text_tag))
        elif isinstance(child, (bytes, bytearray, dict)):
            raise TypeError(
                f"Cannot render a {kind.__name__} as an HTML child: pass a str (decode bytes first, "
                "format dicts yourself)."
            )
        elif hasattr(child, "__iter__"):
            parts.extend(_render_children(list(child), state, text_tag))
        else:
            text = str(child)
            parts.append(text if text_tag else escape(text))
    return parts


def _rawtext_content(tag_name: str, children: tuple, sep: str | None, end: str | None, state: Any) -> str:
    """The content of a <script> or <style>: children, sep and end joined, then made safe as a whole."""
    content = (sep or "").join(_render_children(children, state, tag_name)) + (end or "")
    return _rawtext_safe(tag_name, content)


def _render_callable(func: Callable[[], Any], state: RenderState | None, text_tag: str | None) -> list[str]:
    """A callable child: what it writes while called, then what it returns."""
    if state is None:
        html = hypergen(func)
        return [html] if html else []
    out = state.out
    start = len(out)
    result = func()
    written = out[start:]
    out[start:] = [""] * len(written)
    parts = ["".join(written)] if written else []
    # A returned element that the callable itself wrote is already in `written`.
    already_written = type(result) is Element and result._out is out and result._start >= start
    if result is not None and not already_written:
        parts.extend(_render_children((result,), state, text_tag))
    return parts


# Elements ----------------------------------------------------------------------


def _make_written_rawtext_safe(tag_name: str, out: list[str], start: int) -> None:
    """What a ``with script():`` block wrote, made safe as one text (slots keep their count)."""
    if len(out) <= start:
        return
    content = "".join(out[start:])
    safe = _rawtext_safe(tag_name, content)
    if safe != content:
        out[start:] = [safe] + [""] * (len(out) - start - 1)


class Element:
    """What calling a tag returns: the element's place in the output.

    Use it as a child of another element (it moves there), in a ``with``
    block (its children are written inside), as a decorator, or ``str()`` it.
    """

    __slots__ = ("_end", "_html", "_out", "_start", "attrs", "children", "coerce_to", "tag")

    def __init__(self, tag: Tag | None, children: tuple, attrs: dict, out: list[str], start: int) -> None:
        self.tag = tag
        self.children = children
        self.attrs = attrs
        self._out = out
        self._start = start
        self._end = start + 1
        self._html = None

    def __enter__(self) -> Element:
        tag = self.tag
        if tag is None or tag.void:
            raise TypeError(f"{self!r} cannot be used in a with block: it has no children.")
        state = _state.get()
        if state is None or state.out is not self._out:
            raise RuntimeError(
                f"with {tag.name}(): there is no active render. Render templates through hypergen(func) "
                "or a @liveview/@action/@consumer."
            )
        if self._html is not None or self._end != len(self._out):
            raise RuntimeError(f"with {tag.name}(): enter the element right where it is created.")
        out = self._out
        out[self._start] = out[self._start][: -len(tag.end_tag)]
        if state.target_id is not None and state.target_range is None and self.id == state.target_id:
            state._target_element = self
        return self

    def __exit__(self, *exc_info: Any) -> None:
        out = self._out
        if self.tag.rawtext is not None:
            _make_written_rawtext_safe(self.tag.rawtext, out, self._start)  # Its own start tag has no "<" to find.
        state = _state.get()
        if state is not None and state._target_element is self:
            state.target_range = (self._start + 1, len(out))
        out.append(self.tag.end_tag)
        self._end = len(out)

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Use an element as a decorator: the function's output is written inside it."""
        if not callable(func):
            raise TypeError(f"{self!r} used as a decorator needs a function, got {func!r}.")
        if self.tag is None:
            raise TypeError("Only elements can be used as decorators.")
        # The element written at decoration time is not part of the page, nor is its id.
        _take(self)
        state = _state.get()
        element_id = self.id
        if state is not None and self._out is state.out and element_id is not None:
            state.ids.discard(element_id)
        tag, children, attrs = self.tag, self.children, self.attrs

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with tag(*children, **attrs):
                return func(*args, **kwargs)

        return wrapper

    @property
    def id(self) -> str | None:
        """The element's id attribute as rendered, or None."""
        for key in ("id", "id_"):
            value = self.attrs.get(key)
            if value is not None and value is not False and value is not OMIT:
                return _join_value("id", value) if type(value) in (list, tuple) else str(value)
        return None

    def ensure_id(self) -> str:
        """The element's id; one is generated (and written into the element) if it has none."""
        existing = self.id
        if existing is not None:
            return existing
        if self.tag is None:
            raise TypeError("Only elements have ids; raw(), write() and components do not.")
        state = _state.get()
        if state is None or state.out is not self._out:
            raise RuntimeError(
                f"<{self.tag.name}> needs an id to be referenced, but its render has ended. Give it an explicit id=."
            )
        new_id = state.generate_id()
        start_tag = self.tag.start_tag
        if self._html is None:
            _register_id(new_id, state)
            self._out[self._start] = f'{start_tag} id="{new_id}"' + self._out[self._start][len(start_tag) :]
        else:
            self._add_id_where_placed(state, new_id)
        self.attrs["id"] = new_id
        return new_id

    def _add_id_where_placed(self, state: RenderState, new_id: str) -> None:
        """Write a generated id into an element that already moved inside another one."""
        html = self._html
        places = [index for index, slot in enumerate(self._out) if html in slot]
        if len(places) != 1 or self._out[places[0]].count(html) != 1:
            raise RuntimeError(
                f"<{self.tag.name}> needs an id to be referenced, and the page holds {len(places) or 'no'} "
                f"identical copies of it, so a generated id could land on the wrong one. Give it an explicit id=."
            )
        _register_id(new_id, state)
        start_tag = self.tag.start_tag
        with_id = f'{start_tag} id="{new_id}"' + html[len(start_tag) :]
        self._out[places[0]] = self._out[places[0]].replace(html, with_id, 1)
        self._html = with_id

    def __str__(self) -> str:
        if self._html is not None:
            return self._html
        return "".join(self._out[self._start : self._end])

    __html__ = __str__

    def __repr__(self) -> str:
        name = self.tag.name if self.tag is not None else "fragment"
        return f"<hypergen element {name}>"


class Tag:
    """An HTML element type: call it to write an element (``Tag("my-widget")("hi")``).

    ``p``, ``div`` and the other element names are its ``.function``: a plain function,
    because calling a function is about twice as fast as calling an object with
    ``__call__`` (CPython builds the arguments twice for the latter). Each has its Tag
    as ``.tag``, and ``.name`` and ``.void`` like a Tag.
    """

    __slots__ = ("__name__", "__qualname__", "end_tag", "function", "name", "rawtext", "start_tag", "void")

    def __init__(self, name: str, void: bool = False, python_name: str | None = None) -> None:
        self.name = name
        self.void = void
        self.start_tag = "<" + name
        self.end_tag = "" if void else "</" + name + ">"
        self.rawtext = name if name in _RAWTEXT_END else None
        self.__name__ = self.__qualname__ = python_name or name
        self.function = _element_function(self)

    def __call__(self, *children: Any, **kwargs: Any) -> Element:
        return self.function(*children, **kwargs)

    def _render_with_options(
        self,
        state: RenderState | None,
        children: tuple,
        sep: str | None,
        end: str | None,
        coerce_to: Any,
        attrs: dict,
        hook: str | None = None,
    ) -> Element:
        """An element with ``sep=``, ``end=``, ``coerce_to=`` or ``hook=``, or a <script> or <style>."""
        if coerce_to is not None:
            # Read by the client for THIS; element references carry the same hint themselves.
            attrs["data_hypergen_coerce"] = coerce_name(coerce_to, self.name)
        if hook is not None:
            attrs["data_hypergen_hook"] = _hook_name(hook, self.name)
        html = self.start_tag + _render_attributes(attrs, state) + ">"
        if children and self.void:
            raise TypeError(f"<{self.name}> is a void element and cannot have children; got {children!r}.")
        if self.rawtext is not None:
            if children or end:
                html += _rawtext_content(self.rawtext, children, sep, end, state)
        else:
            parts = _render_children(children, state, None)
            html += escape(sep).join(parts) if sep else "".join(parts)
            if end:
                html += escape(end)
        html += self.end_tag
        if state is None:
            element = Element(self, children, attrs, [html], 0)
        else:
            out = state.out
            start = len(out)
            out.append(html)
            element = Element(self, children, attrs, out, start)
        if coerce_to is not None:
            element.coerce_to = coerce_to
        return element

    def __repr__(self) -> str:
        return f"<hypergen tag {self.name}>"


_new_object = object.__new__


def _element_function(tag: Tag) -> Callable[..., Element]:
    """The function that writes ``tag``'s elements: ``Tag("p").function`` is ``p``."""
    start_tag, end_tag, void, name = tag.start_tag, tag.end_tag, tag.void, tag.name
    render_with_options = tag._render_with_options

    def element(*children: Any, **attrs: Any) -> Element:
        # sep=, end= and coerce_to= are looked for in attrs: keyword-only parameters would cost
        # every call more (CPython compares each keyword given with each of their names).
        state = _state.get()
        if attrs and ("sep" in attrs or "end" in attrs or "coerce_to" in attrs or "hook" in attrs):
            sep, end, coerce_to = attrs.pop("sep", None), attrs.pop("end", None), attrs.pop("coerce_to", None)
            return render_with_options(state, children, sep, end, coerce_to, attrs, attrs.pop("hook", None))
        # The common case, with _render_attributes() and _render_children() inlined: the hot path.
        # The pieces are joined once at the end (adding to "" costs nothing: one attribute and
        # one child, the most common element, make a single string).
        attributes = ""
        for key in attrs:
            value = attrs[key]
            if type(value) is str:
                rendered = _rendered_str_attributes.get(key, _NOT_CACHED).get(value)
                attributes += rendered if rendered is not None else _str_attribute(key, value, state)
            else:
                attributes += _attribute(_attribute_names.get(key) or _attribute_name(key), value, attrs, state)
        content = ""
        if children:
            if void:
                raise TypeError(f"<{name}> is a void element and cannot have children; got {children!r}.")
            for child in children:
                kind = type(child)
                if kind is str:
                    # escape(), inlined.
                    content += (
                        child.replace("&", "&amp;")
                        .replace("<", "&lt;")
                        .replace(">", "&gt;")
                        .replace('"', "&quot;")
                        .replace("'", "&#x27;")
                    )
                elif kind is Element:
                    if child._html is None and child._end - child._start == 1:
                        # _take(), inlined for an element written in one piece (nearly all are).
                        out = child._out
                        child._html = taken = out[child._start]
                        out[child._start] = ""
                        content += taken
                    else:
                        content += _take(child)
                elif kind is int:
                    content += str(child)
                else:
                    content += "".join(_render_children((child,), state, None))
        html = f"{start_tag}{attributes}>{content}{end_tag}"
        if state is None:
            return Element(tag, children, attrs, [html], 0)
        out = state.out
        start = len(out)
        out.append(html)
        # Element(tag, children, attrs, out, start), without the cost of calling __init__.
        element = _new_object(Element)
        element.tag = tag
        element.children = children
        element.attrs = attrs
        element._out = out
        element._start = start
        element._end = start + 1
        element._html = None
        return element

    def rawtext_element(
        *children: Any,
        sep: str | None = None,
        end: str | None = None,
        coerce_to: type | None = None,
        hook: str | None = None,
        **attrs: Any,
    ) -> Element:
        return render_with_options(_state.get(), children, sep, end, coerce_to, attrs, hook)

    function = rawtext_element if tag.rawtext is not None else element
    function.__name__ = function.__qualname__ = tag.__name__
    function.__doc__ = (
        f"Write a <{name}> element: children are its content, keyword arguments its attributes "
        "(``sep=`` joins the children, ``end=`` is appended, ``coerce_to=`` sets the type the client sends)."
    )
    # What a Tag offers, for code that looks at an element name (``p.name``, ``br.void``).
    function.tag, function.name, function.void = tag, name, void
    return function


def _write(html: str) -> Element:
    state = _state.get()
    if state is None:
        return Element(None, (), {}, [html], 0)
    out = state.out
    out.append(html)
    return Element(None, (), {}, out, len(out) - 1)


def raw(*html: str) -> Element:
    """Write trusted HTML as is. Never pass it anything a user typed."""
    return _write("".join(str(h) for h in html))


def write(*text: Any) -> Element:
    """Write text (escaped) at the current position."""
    return _write("".join(_render_children(text, _state.get(), None)))


def doctype(kind: str = "html") -> Element:
    """Write the ``<!DOCTYPE html>`` declaration."""
    return _write(f"<!DOCTYPE {escape(kind)}>")


def component(func: Callable[..., Any]) -> Callable[..., Element]:
    """Decorate a template function so that calling it returns its output as one element.

    The result can be passed as a child: ``div(card("Title"))``. Called on its
    own, its output stays where it was written.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Element:
        state = _state.get()
        if state is None:
            html = hypergen(func, *args, **kwargs)
            return Element(None, (), {}, [html], 0)
        out = state.out
        start = len(out)
        func(*args, **kwargs)
        if len(out) == start:
            out.append("")
        element = Element(None, (), {}, out, start)
        element._end = len(out)
        return element

    return wrapper


# The elements ------------------------------------------------------------------


def _element(name: str, void: bool = False, python_name: str | None = None) -> Callable[..., Element]:
    return Tag(name, void, python_name).function


# Python names that differ from the HTML name, because the HTML name is a Python
# keyword, a builtin, a stdlib module or django.urls.path.
_RENAMED = {
    "del": "del_",
    "map": "map_",
    "object": "object_",
    "time": "time_",
    "filter": "filter_",
    "set": "set_",
    "path": "path_",
}

VOID_ELEMENTS = ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr")

HTML_ELEMENTS = (
    "a", "abbr", "address", "area", "article", "aside", "audio", "b", "base", "bdi", "bdo", "blockquote",
    "body", "br", "button", "canvas", "caption", "cite", "code", "col", "colgroup", "data", "datalist", "dd",
    "del", "details", "dfn", "dialog", "div", "dl", "dt", "em", "embed", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "i",
    "iframe", "img", "input", "ins", "kbd", "label", "legend", "li", "link", "main", "map", "mark", "math",
    "menu", "meta", "meter", "nav", "noscript", "object", "ol", "optgroup", "option", "output", "p",
    "picture", "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp", "script", "search", "section",
    "select", "slot", "small", "source", "span", "strong", "style", "sub", "summary", "sup", "table",
    "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track", "u", "ul",
    "var", "video", "wbr",
)  # fmt: skip

SVG_ELEMENTS = (
    "svg", "g", "path", "circle", "ellipse", "line", "polyline", "polygon", "rect", "text", "tspan",
    "textPath", "defs", "use", "symbol", "linearGradient", "radialGradient", "stop", "clipPath", "mask",
    "pattern", "marker", "filter", "feGaussianBlur", "feOffset", "feBlend", "feColorMatrix", "feMerge",
    "feMergeNode", "feFlood", "feComposite", "image", "foreignObject", "desc", "animate",
    "animateTransform", "animateMotion", "set", "switch", "view", "metadata",
)  # fmt: skip

a = _element("a")
abbr = _element("abbr")
address = _element("address")
area = _element("area", void=True)
article = _element("article")
aside = _element("aside")
audio = _element("audio")
b = _element("b")
base = _element("base", void=True)
bdi = _element("bdi")
bdo = _element("bdo")
blockquote = _element("blockquote")
body = _element("body")
br = _element("br", void=True)
button = _element("button")
canvas = _element("canvas")
caption = _element("caption")
cite = _element("cite")
code = _element("code")
col = _element("col", void=True)
colgroup = _element("colgroup")
data = _element("data")
datalist = _element("datalist")
dd = _element("dd")
del_ = _element("del", python_name="del_")
details = _element("details")
dfn = _element("dfn")
dialog = _element("dialog")
div = _element("div")
dl = _element("dl")
dt = _element("dt")
em = _element("em")
embed = _element("embed", void=True)
fieldset = _element("fieldset")
figcaption = _element("figcaption")
figure = _element("figure")
footer = _element("footer")
form = _element("form")
h1 = _element("h1")
h2 = _element("h2")
h3 = _element("h3")
h4 = _element("h4")
h5 = _element("h5")
h6 = _element("h6")
head = _element("head")
header = _element("header")
hgroup = _element("hgroup")
hr = _element("hr", void=True)
html = _element("html")
i = _element("i")
iframe = _element("iframe")
img = _element("img", void=True)
input = _element("input", void=True)
ins = _element("ins")
kbd = _element("kbd")
label = _element("label")
legend = _element("legend")
li = _element("li")
link = _element("link", void=True)
main = _element("main")
map_ = _element("map", python_name="map_")
mark = _element("mark")
math = _element("math")
menu = _element("menu")
meta = _element("meta", void=True)
meter = _element("meter")
nav = _element("nav")
noscript = _element("noscript")
object_ = _element("object", python_name="object_")
ol = _element("ol")
optgroup = _element("optgroup")
option = _element("option")
output = _element("output")
p = _element("p")
picture = _element("picture")
pre = _element("pre")
progress = _element("progress")
q = _element("q")
rp = _element("rp")
rt = _element("rt")
ruby = _element("ruby")
s = _element("s")
samp = _element("samp")
script = _element("script")
search = _element("search")
section = _element("section")
select = _element("select")
slot = _element("slot")
small = _element("small")
source = _element("source", void=True)
span = _element("span")
strong = _element("strong")
style = _element("style")
sub = _element("sub")
summary = _element("summary")
sup = _element("sup")
table = _element("table")
tbody = _element("tbody")
td = _element("td")
template = _element("template")
textarea = _element("textarea")
tfoot = _element("tfoot")
th = _element("th")
thead = _element("thead")
time_ = _element("time", python_name="time_")
title = _element("title")
tr = _element("tr")
track = _element("track", void=True)
u = _element("u")
ul = _element("ul")
var = _element("var")
video = _element("video")
wbr = _element("wbr", void=True)

# SVG
svg = _element("svg")
g = _element("g")
path_ = _element("path", python_name="path_")
circle = _element("circle")
ellipse = _element("ellipse")
line = _element("line")
polyline = _element("polyline")
polygon = _element("polygon")
rect = _element("rect")
text = _element("text")
tspan = _element("tspan")
textPath = _element("textPath")
defs = _element("defs")
use = _element("use")
symbol = _element("symbol")
linearGradient = _element("linearGradient")
radialGradient = _element("radialGradient")
stop = _element("stop")
clipPath = _element("clipPath")
mask = _element("mask")
pattern = _element("pattern")
marker = _element("marker")
filter_ = _element("filter", python_name="filter_")
feGaussianBlur = _element("feGaussianBlur")
feOffset = _element("feOffset")
feBlend = _element("feBlend")
feColorMatrix = _element("feColorMatrix")
feMerge = _element("feMerge")
feMergeNode = _element("feMergeNode")
feFlood = _element("feFlood")
feComposite = _element("feComposite")
image = _element("image")
foreignObject = _element("foreignObject")
desc = _element("desc")
animate = _element("animate")
animateTransform = _element("animateTransform")
animateMotion = _element("animateMotion")
set_ = _element("set", python_name="set_")
switch = _element("switch")
view = _element("view")
metadata = _element("metadata")
input_ = _element("input", void=True, python_name="input_")

ELEMENT_NAMES = (
    "a",
    "abbr",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "bdi",
    "bdo",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del_",
    "details",
    "dfn",
    "dialog",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map_",
    "mark",
    "math",
    "menu",
    "meta",
    "meter",
    "nav",
    "noscript",
    "object_",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "span",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time_",
    "title",
    "tr",
    "track",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
    "svg",
    "g",
    "path_",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "rect",
    "text",
    "tspan",
    "textPath",
    "defs",
    "use",
    "symbol",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "mask",
    "pattern",
    "marker",
    "filter_",
    "feGaussianBlur",
    "feOffset",
    "feBlend",
    "feColorMatrix",
    "feMerge",
    "feMergeNode",
    "feFlood",
    "feComposite",
    "image",
    "foreignObject",
    "desc",
    "animate",
    "animateTransform",
    "animateMotion",
    "set_",
    "switch",
    "view",
    "metadata",
    "input_",
)
__all__ += ELEMENT_NAMES
