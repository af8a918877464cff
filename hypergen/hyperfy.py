"""Turn HTML into Hypergen Python: ``python -m hypergen.hyperfy page.html > page.py``.

The HTML is parsed with the standard library's ``html.parser`` into a small tree, and the
tree is written out as a template function: a ``with el():`` block for an element holding
other elements, one call for an element holding only text (or a short mix that fits on a
line), text as string literals, attributes as keyword arguments spelled the way
``hypergen.template`` reads them back (``class_``, ``data_id``, ``**{"xlink:href": ...}``).
The code is laid out as ruff formats it and passes ruff check with this project's rules (an
element holding only another with block shares its with statement, a literal too long for a
line is split into adjacent ones); docs/hyperfy.md says exactly what is promised.

Rendering the result with ``hypergen()`` gives back the same HTML, byte for byte, for HTML
written the way Hypergen writes it (double-quoted attributes, the five escaped characters,
end tags present), which is what tests/integration/test_hyperfy_demo.py checks on every demo
page. docs/hyperfy.md lists what other HTML loses on the way (quoting style, entity
spelling, comments and indentation unless asked to keep them).
"""

from __future__ import annotations

import argparse
import ast
import bisect
import html.parser
import keyword
import re
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from hypergen import template

__all__ = ["HyperfyError", "hyperfy", "main"]

_LINE_LENGTH = 120
_INDENT = "    "
# Python compiles at most 20 nested blocks in one function (each element of a with statement is
# one): a with statement inside 15 of them continues in a function of its own.
_MAX_BLOCKS = 15
# Calls nest at most 200 parentheses deep in Python: an element holding deeper ones is a with block.
_MAX_CALL_DEPTH = 100
# Deeper than this, hyperfy refuses the page rather than crash (the code it would write is unreadable
# anyway, and it is almost always end tags left out). Browsers stop nesting at 512.
_MAX_DEPTH = 200


class HyperfyError(ValueError):
    """HTML that Hypergen cannot write, with the line it is on."""


# The tree -------------------------------------------------------------------------


@dataclass
class _Element:
    tag: str  # As written in HTML (lowercase, SVG's camelCase kept).
    attrs: list[tuple[str, str | None]]
    line: int
    start_text: str
    children: list = field(default_factory=list)


@dataclass
class _Text:
    text: str


@dataclass
class _Comment:
    text: str


@dataclass
class _Raw:
    """HTML written as it is, with ``raw()``, and why (a comment above it)."""

    html: str
    why: str | None = None


@dataclass
class _Note:
    """Something the conversion changed, left as a comment where it happened."""

    text: str


# Python's name for each element hypergen.template has, by its HTML name.
_FUNCTIONS = {getattr(template, name).name: name for name in template.ELEMENT_NAMES if name != "input"}
_KNOWN_TAGS = {tag.lower(): tag for tag in _FUNCTIONS}
_VOID = frozenset(template.VOID_ELEMENTS)
_FOREIGN = frozenset({"svg", "math"})
# Keyword arguments an element function takes for itself: an attribute of that name is written `end_=`.
_OPTIONS = frozenset({"sep", "end", "coerce_to", "hook"})
# Text inside these is kept exactly, whitespace included.
_PREFORMATTED = frozenset({"pre", "textarea", "script", "style", "listing", "plaintext", "xmp"})
_PHRASING = frozenset(
    {
        "a", "abbr", "audio", "b", "bdi", "bdo", "br", "button", "canvas", "cite", "code", "data", "datalist",
        "del", "dfn", "em", "embed", "i", "iframe", "img", "input", "ins", "kbd", "label", "map", "mark", "math",
        "meter", "noscript", "object", "output", "picture", "progress", "q", "ruby", "s", "samp", "script",
        "select", "slot", "small", "span", "strong", "sub", "sup", "svg", "template", "textarea", "time", "u",
        "var", "video", "wbr",
    }
)  # fmt: skip

# Elements that end an open <p> in a browser.
_BLOCKS_CLOSING_P = (
    "address", "article", "aside", "blockquote", "details", "dialog", "div", "dl", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "main", "menu",
    "nav", "ol", "p", "pre", "search", "section", "table", "ul",
)  # fmt: skip
# Elements whose end tag HTML lets you leave out: opening the key closes an open one of these.
_IMPLIED_END = {
    "li": {"li", "p"},
    "dt": {"dt", "dd", "p"},
    "dd": {"dt", "dd", "p"},
    "option": {"option"},
    "optgroup": {"option", "optgroup"},
    "tr": {"td", "th", "tr"},
    "td": {"td", "th"},
    "th": {"td", "th"},
    "thead": {"td", "th", "tr", "thead", "tbody", "tfoot"},
    "tbody": {"td", "th", "tr", "thead", "tbody", "tfoot"},
    "tfoot": {"td", "th", "tr", "thead", "tbody", "tfoot"},
    "rt": {"rt", "rp"},
    "rp": {"rt", "rp"},
    "p": {"p"},
}
_OPTIONAL_END = frozenset({"li", "dt", "dd", "p", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot"})
_OPTIONAL_END |= {"rt", "rp", "html", "head", "body", "colgroup", "caption"}


class _TreeBuilder(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root", [], 0, "")
        self.stack = [self.root]

    @property
    def current(self) -> _Element:
        return self.stack[-1]

    def _append(self, node: object) -> None:
        children = self.current.children
        if isinstance(node, _Text) and children and isinstance(children[-1], _Text):
            children[-1] = _Text(children[-1].text + node.text)
        else:
            children.append(node)

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> _Element:
        start_text = self.get_starttag_text() or ""
        closes = _IMPLIED_END.get(tag, ())
        while len(self.stack) > 1 and self.current.tag in closes:
            self.stack.pop()
        if tag in _BLOCKS_CLOSING_P and any(open_element.tag == "p" for open_element in self.stack):
            # Kept where it was written (Hypergen writes it back so), but the page will not show it there.
            self._append(_Note(f"<{tag}> on line {self.getpos()[0]} is inside a <p>: browsers end the <p> before it."))
        # HTML's names are case-insensitive and read best in lowercase (html.parser's); SVG's and
        # MathML's are not (viewBox, feDropShadow): inside those they are kept as written.
        foreign = tag in _FOREIGN or any(open_element.tag in _FOREIGN for open_element in self.stack)
        if foreign:
            name = _KNOWN_TAGS.get(tag) or _written_tag_name(start_text, tag)
            attrs = _written_attribute_names(start_text, attrs)
        else:
            name = _KNOWN_TAGS.get(tag, tag)
        element = _Element(name, attrs, self.getpos()[0], start_text)
        self._append(element)
        return element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = self._element(tag, attrs)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, and <circle/> in SVG: an element without children either way.
        self._element(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag.lower() == tag:
                for unclosed in self.stack[depth + 1 :]:
                    if unclosed.tag not in _OPTIONAL_END:
                        self._append(_Note(f"<{unclosed.tag}> on line {unclosed.line} had no end tag: closed here."))
                del self.stack[depth:]
                return
        if tag == "br":  # Browsers read </br> as <br>.
            self._append(_Element("br", [], self.getpos()[0], "<br>"))
            return
        self._append(_Note(f"</{tag}> on line {self.getpos()[0]} closed nothing open: left out."))

    def handle_data(self, data: str) -> None:
        self._append(_Text(data))

    def close(self) -> None:
        super().close()
        if self.rawdata:  # The text of a <script> or <style> never closed: html.parser holds it back.
            self.handle_data(self.rawdata)
            self.rawdata = ""
        while len(self.stack) > 1:  # Browsers close what is open at the end of the file, and so does hyperfy.
            # The note goes after the element, not in it: in a <script> it would make the text a write().
            unclosed = self.stack.pop()
            if unclosed.tag not in _OPTIONAL_END:
                note = f"<{unclosed.tag}> on line {unclosed.line} had no end tag: closed at the end of the file."
                self._append(_Note(note))

    def handle_comment(self, data: str) -> None:
        self._append(_Comment(data))

    def handle_decl(self, decl: str) -> None:
        self._append(_Raw(f"<!{decl}>"))

    def unknown_decl(self, data: str) -> None:
        # <![CDATA[...]]> (in SVG and MathML) ends with ]]>; IE's conditional <![if ...]> with ]>.
        end = "]]>" if data.lower().startswith(("cdata[", "temp[", "ignore[", "include[", "rcdata[")) else "]>"
        self._append(_Raw(f"<![{data}{end}"))

    def handle_pi(self, data: str) -> None:
        self._append(_Raw(f"<?{data}>"))


def _written_tag_name(start_text: str, tag: str) -> str:
    """An unknown element's name as written (html.parser lowercases it; SVG's names are case-sensitive)."""
    match = re.match(r"<([^\t\n\r\f />\x00]+)", start_text)
    return match.group(1) if match and match.group(1).lower() == tag else tag


def _written_attribute_names(start_text: str, attrs: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """``attrs`` with each name as written: html.parser lowercases them, and SVG's ``viewBox`` is not ``viewbox``.

    The start tag is read again with html.parser's own patterns; where that does not find the
    same attributes (a Python whose parser works differently), the lowercased names are kept.
    """
    tag_pattern = getattr(html.parser, "tagfind_tolerant", None)
    attribute_pattern = getattr(html.parser, "attrfind_tolerant", None)
    if tag_pattern is None or attribute_pattern is None or not start_text:
        return attrs
    match = tag_pattern.match(start_text, 1)
    names = []
    position = match.end() if match else len(start_text)
    while position < len(start_text):
        match = attribute_pattern.match(start_text, position)
        if not match or not match.group(1):
            break
        names.append(match.group(1))
        position = match.end()
    if [name.lower() for name in names] != [name for name, _ in attrs]:
        return attrs
    return [(name, value) for name, (_, value) in zip(names, attrs, strict=True)]


# Whitespace ------------------------------------------------------------------------


def _is_inline(node: object) -> bool:
    return isinstance(node, _Text) or (isinstance(node, _Element) and node.tag.lower() in _PHRASING)


def _drop_indentation(element: _Element) -> None:
    """Leave out whitespace-only text with a line break in it: the indentation between tags.

    Between two inline neighbours (``<b>a</b>⏎  <i>b</i>``) it shows as one space in the
    browser, so it becomes one. Inside <pre>, <textarea>, <script> and <style> nothing changes.
    """
    if element.tag.lower() in _PREFORMATTED:
        return
    children = element.children
    kept = []
    for index, child in enumerate(children):
        if isinstance(child, _Text) and not child.text.strip() and "\n" in child.text:
            before = children[index - 1] if index else None
            after = children[index + 1] if index + 1 < len(children) else None
            if element.tag != "#root" and _is_inline(before) and _is_inline(after):
                kept.append(_Text(" "))
            continue
        if isinstance(child, _Element):
            _drop_indentation(child)
        kept.append(child)
    element.children = kept


# Python source ---------------------------------------------------------------------


def _string(text: str) -> str:
    """A Python string literal for ``text``; triple-quoted when it spans several lines."""
    if text.count("\n") >= 2 or ("\n" in text and len(text) > 80):
        lines = _escape(text, multiline=True).split("\n")
        lines = [_visible_whitespace(line, last=n == len(lines) - 1) for n, line in enumerate(lines)]
        # The last line ends with the closing quotes and what follows them: \"\"\"), at most.
        lines = [_break_line(line, 0) for line in lines[:-1]] + [_break_line(lines[-1], len('"""),'))]
        literal = '"""\\\n' + "\n".join(lines) + '"""'
        if ast.literal_eval(literal) == text:
            return literal
    return _quoted(text)


def _visible_whitespace(line: str, last: bool) -> str:
    """A line of a triple-quoted literal with the space or tab ending it escaped (but on the
    ``last`` line, which the quotes end), and the tabs of an indentation of tabs and spaces: ruff
    check flags whitespace ending a line (W291, W293) and such indentation (E101), in a string too."""
    line = _unmixed(line)
    if last or not line.endswith((" ", "\t")):
        return line
    return line[:-1] + ("\\x20" if line.endswith(" ") else "\\t")


def _unmixed(line: str) -> str:
    """The line with the tabs escaped if it is indented with tabs and spaces both (E101)."""
    indentation = line[: len(line) - len(line.lstrip(" \t"))]
    if " " in indentation and "\t" in indentation:
        return indentation.replace("\t", "\\t") + line[len(indentation) :]
    return line


_BLANKS = re.compile(r"[^ \t]+[ \t]*|[ \t]+")  # A word with the spaces and tabs after it.


def _break_line(line: str, end: int) -> str:
    """A line of a triple-quoted literal too long for ruff check (E501) broken after its spaces with
    backslash-newlines, which are no part of the text; ``end`` columns follow the line."""
    if not _too_long(line + "x" * end):
        return line
    room = _LINE_LENGTH - max(end, 1)  # The backslash, or what follows the last line.
    lines = [""]
    for token in _BLANKS.findall(line):
        word = token.rstrip(" \t")
        # A word too long for any line goes on one of its own, the spaces after it on the next.
        for part in (token,) if _width(token) <= room or not word else (word, token[len(word) :]):
            if lines[-1] and _width(lines[-1] + part) > room:
                lines.append("")
            lines[-1] += part if lines[-1] else _unmixed(part)
    return "\\\n".join(lines)


def _quoted(text: str) -> str:
    """A string literal for ``text`` on one line."""
    # Like ruff and black: double quotes, unless the text holds more of them than of single quotes.
    quote = "'" if text.count('"') > text.count("'") else '"'
    return quote + _escape(text, multiline=False, quote=quote) + quote


def _fits(line: str) -> bool:
    """Does a line of source fit? A triple-quoted literal's lines after the first are text, not code."""
    return _width(line.split("\n", 1)[0]) <= _LINE_LENGTH


# ruff counts a line's length in the columns a terminal shows it in (Rust's unicode-width, one
# character at a time): most East Asian characters take two, combining marks none. Python's
# unicodedata says the same but for these, measured against ruff 0.17: (first, last, columns).
_COLUMNS = (
    (0x9BE, 0x9BE, 0), (0x9D7, 0x9D7, 0), (0xB3E, 0xB3E, 0), (0xB57, 0xB57, 0), (0xBBE, 0xBBE, 0),
    (0xBD7, 0xBD7, 0), (0xCC0, 0xCC0, 0), (0xCC2, 0xCC2, 0), (0xCC7, 0xCC8, 0), (0xCCA, 0xCCB, 0),
    (0xCD5, 0xCD6, 0), (0xD3E, 0xD3E, 0), (0xD4E, 0xD4E, 0), (0xD57, 0xD57, 0), (0xDCF, 0xDCF, 0),
    (0xDDF, 0xDDF, 0), (0x1160, 0x11FF, 0), (0x1715, 0x1715, 0), (0x1734, 0x1734, 0), (0x17A4, 0x17A4, 2),
    (0x17D8, 0x17D8, 3), (0x1B35, 0x1B35, 0), (0x1B3B, 0x1B3B, 0), (0x1B3D, 0x1B3D, 0), (0x1B43, 0x1B44, 0),
    (0x1BAA, 0x1BAA, 0), (0x1BF2, 0x1BF3, 0), (0x2630, 0x2637, 2), (0x268A, 0x268F, 2), (0x2D7F, 0x2D7F, 1),
    (0x302E, 0x302F, 0), (0x3164, 0x3164, 0), (0x4DC0, 0x4DFF, 2), (0xA8FA, 0xA8FA, 0), (0xA953, 0xA953, 0),
    (0xA9C0, 0xA9C0, 0), (0xD7B0, 0xD7C6, 0), (0xD7CB, 0xD7FB, 0), (0xFF9E, 0xFFA0, 0), (0x111C0, 0x111C0, 0),
    (0x111C2, 0x111C3, 0), (0x11235, 0x11235, 0), (0x1133E, 0x1133E, 0), (0x1134D, 0x1134D, 0),
    (0x11357, 0x11357, 0), (0x114B0, 0x114B0, 0), (0x114BD, 0x114BD, 0), (0x115AF, 0x115AF, 0),
    (0x116B6, 0x116B6, 0), (0x1171E, 0x1171E, 1), (0x11930, 0x11930, 0), (0x1193D, 0x1193D, 0),
    (0x1193F, 0x1193F, 0), (0x11941, 0x11941, 0), (0x11A84, 0x11A89, 0), (0x11D46, 0x11D46, 0),
    (0x16FF0, 0x16FF1, 0), (0x1D165, 0x1D166, 0), (0x1D16D, 0x1D172, 0), (0x1D300, 0x1D356, 2),
    (0x1D360, 0x1D376, 2),
)  # fmt: skip
_COLUMN_STARTS = [first for first, _, _ in _COLUMNS]


@lru_cache(maxsize=4096)
def _columns(char: str) -> int:
    code = ord(char)
    index = bisect.bisect_right(_COLUMN_STARTS, code) - 1
    if index >= 0 and code <= _COLUMNS[index][1]:
        return _COLUMNS[index][2]
    if unicodedata.category(char) in ("Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _width(text: str) -> int:
    """The columns ruff counts for a line of ``text``. A tab reaches the next multiple of four
    characters (ruff counts characters there, not columns)."""
    if text.isascii() and "\t" not in text:
        return len(text)
    width = characters = 0
    for char in text:
        if char == "\t":
            tab = 4 - characters % 4
            width, characters = width + tab, characters + tab
        else:
            width, characters = width + (1 if char.isascii() else _columns(char)), characters + 1
    return width


_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(text: str, multiline: bool, quote: str = '"') -> str:
    out = []
    for index, char in enumerate(text):
        if char == quote:
            # In a triple-quoted literal only a quote that could end it needs a backslash.
            following = text[index + 1 : index + 2]
            out.append("\\" + quote if not multiline or following in (quote, "") else quote)
        elif multiline and char in "\n\t":
            out.append(char)
        elif char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char != " " and not char.isprintable():
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


def _with_a_statement(body: list[str], indent: str) -> list[str]:
    """A block of only comments (or nothing) is no Python block: it needs a ``pass``."""
    if all(line.lstrip().startswith("#") for line in body):
        return [*body, f"{indent}pass"]
    return body


# A comment that tools read as an instruction: "ruff: noqa" turns ruff check off for the file,
# "fmt: off" ruff format. An HTML comment saying so keeps its <!-- --> to be read as one.
_DIRECTIVE = re.compile(
    r"\s*(noqa|(ruff|flake8|fmt|yapf|isort|type|pyright|mypy|pylint|pragma)\s*:|nosec)", re.IGNORECASE
)


def _comment_lines(text: str, indent: str) -> list[str]:
    """``text`` as # comments, a line too long for ruff check (E501) wrapped at its spaces."""
    # Python refuses a NUL byte anywhere in the source, comments included: write it, and its like, escaped.
    text = "".join(c if c.isprintable() or c.isspace() else f"\\x{ord(c):02x}" if ord(c) < 0x100 else c for c in text)
    lines = []
    for line in text.strip().splitlines():
        if not line.strip():
            continue
        line = f"<!-- {line.strip()} -->" if _DIRECTIVE.match(line) else line.strip()
        comment = f"{indent}# {line}"
        lines += _wrap_comment(line.split(), indent) if _too_long(comment) else [comment]
    return lines


def _wrap_comment(words: list[str], indent: str) -> list[str]:
    room = _LINE_LENGTH - _width(indent + "# ")
    lines: list[str] = []
    current = ""
    for index, word in enumerate(words):
        # A word too long for a line is cut (it is a comment), but for a URL, which E501 lets end a line.
        while _width(word) > room and "://" not in word:
            cut = next((n for n in range(min(len(word) - 1, _LINE_LENGTH), 0, -1) if _width(word[:n]) <= room), 1)
            lines += [current, word[:cut]] if current else [word[:cut]]
            current, word = "", word[cut:]
        if current and _width(f"{current} {word}") > room:
            # A line must not start as a directive would ("# type: ..."): it starts a word earlier.
            rest = " ".join(words[index + 1 :])
            while _DIRECTIVE.match(f"{word} {rest}") and " " in current:
                current, last = current.rsplit(" ", 1)
                word = f"{last} {word}"
            lines.append(current)
            current = ""
        current = f"{current} {word}" if current else word
        if _width(current) > room:
            lines.append(current)
            current = ""
    if current:
        lines.append(current)
    return [f"{indent}# {line}" for line in lines]


# Layout: the code as ruff formats it ---------------------------------------------------
#
# hyperfy writes few kinds of expression: calls, keyword arguments, **{} dicts and string
# literals. Each is laid out as ruff lays it out: on one line when it fits, else its opening
# bracket ends the line and each argument (or dict entry) gets a line of its own, with a comma
# after it when there are several.


class _Expression:
    @cached_property
    def flat(self) -> str | None:
        """The expression on one line, or None where ruff never writes it on one (below)."""
        raise NotImplementedError


@dataclass(eq=False)
class _Code(_Expression):
    code: str

    @cached_property
    def flat(self) -> str:
        return self.code


@dataclass(eq=False)
class _Str(_Expression):
    text: str

    @cached_property
    def flat(self) -> str:
        return _string(self.text)


@dataclass(eq=False)
class _Keyword(_Expression):
    name: str
    value: _Expression

    @cached_property
    def flat(self) -> str | None:
        value = self.value.flat
        return None if value is None or "\n" in value else f"{self.name}={value}"


@dataclass(eq=False)
class _Spread(_Expression):
    """``**{"@click": "go()"}``: attributes whose names Python cannot spell as keywords."""

    items: list[tuple[str, _Expression]]

    @cached_property
    def flat(self) -> str | None:
        items = []
        for key, value in self.items:
            flat = value.flat
            if flat is None or "\n" in flat:
                return None
            items.append(f"{_string(key)}: {flat}")
        return "**{" + ", ".join(items) + "}"


@dataclass(eq=False)
class _Call(_Expression):
    name: str
    arguments: list[_Expression]

    @cached_property
    def flat(self) -> str | None:
        arguments = []
        for argument in self.arguments:
            flat = argument.flat
            # A triple-quoted literal stays in its call's parentheses only as the call's one positional
            # argument (ruff and black hug it so); anywhere else the call around it is split.
            if flat is None or ("\n" in flat and not (len(self.arguments) == 1 and isinstance(argument, _Str))):
                return None
            arguments.append(flat)
        return f"{self.name}({', '.join(arguments)})"


def _layout(expression: _Expression, indent: str, prefix: str = "", suffix: str = "") -> list[str]:
    """``expression`` as lines of code: the first starts with ``indent`` and ``prefix`` (``with ``,
    ``title=``), the last ends with ``suffix`` (the comma after an argument, which counts too)."""
    flat = expression.flat
    # A call hugging its triple-quoted literal stays so, whatever its length, as in ruff.
    if flat is not None and ("\n" in flat or _fits(indent + prefix + flat + suffix)):
        return (indent + prefix + flat + suffix).split("\n")
    inner = indent + _INDENT
    if isinstance(expression, _Keyword):
        return _layout(expression.value, indent, f"{prefix}{expression.name}=", suffix)
    if isinstance(expression, _Spread):
        comma = "," if len(expression.items) > 1 else ""  # Like ruff: a trailing comma only after several.
        lines = [f"{indent}{prefix}**{{"]
        for key, value in expression.items:
            lines += _layout(value, inner, f"{_string(key)}: ", comma)
        return [*lines, f"{indent}}}{suffix}"]
    if isinstance(expression, _Call) and expression.arguments:
        comma = "," if len(expression.arguments) > 1 else ""
        lines = [f"{indent}{prefix}{expression.name}("]
        for argument in expression.arguments:
            lines += _layout(argument, inner, "", comma)
        return [*lines, f"{indent}){suffix}"]
    if isinstance(expression, _Str):
        return _split_literal(expression.text, indent, prefix, suffix)
    return [indent + prefix + (flat or "") + suffix]  # Too long, and nothing in it to split.


def _too_long(line: str) -> bool:
    """Does ruff check flag the line as too long (E501)? Not when it is one word, or ends with a URL
    that starts within the limit: there is nothing to split."""
    width = _width(line)
    chunks = line.split()
    if width <= _LINE_LENGTH or len(chunks) < 2:
        return False
    return not ("://" in chunks[-1] and width - _width(chunks[-1]) <= _LINE_LENGTH)


def _split_literal(text: str, indent: str, prefix: str, suffix: str) -> list[str]:
    """A string literal too long for a line as adjacent literals (Python joins them into one), one a
    line, as ruff keeps them when they do not fit on one."""
    line = indent + prefix + _quoted(text) + suffix
    if not _too_long(line):
        return [line]
    first, rest = _LINE_LENGTH - _width(indent + prefix), _LINE_LENGTH - _width(indent)
    pieces = _pieces(text, first, rest, _width(suffix), split_words=" " in prefix)
    if len(pieces) < 2:
        return [line]
    lines = [indent + prefix + _quoted(pieces[0]), *(indent + _quoted(piece) for piece in pieces[1:])]
    lines[-1] += suffix
    return lines


_WORDS = re.compile(r"[^ ]+ *| +")  # A word with the spaces after it, or the spaces a text starts with.


def _pieces(text: str, first: int, rest: int, end: int, split_words: bool) -> list[str]:
    """``text`` cut after spaces into pieces whose literals fit in ``first`` columns (the first piece)
    or ``rest`` (the others), the last one with ``end`` to spare (for the comma after it).

    A word wider than a line is a piece of its own, which E501 lets be, but for the first piece
    after a ``"key": `` (``split_words``): that line holds a space, so the word is cut where it must.
    """
    pieces: list[str] = []
    current = ""

    def fits(piece: str) -> bool:
        return _width(_quoted(piece)) <= (rest if pieces else first)

    def add(token: str) -> None:
        nonlocal current
        if fits(current + token):
            current += token
            return
        if current:
            pieces.append(current)
            current = ""
        while not fits(token) and (token[0] == " " or (split_words and not pieces)):
            cut = next((n for n in range(min(len(token) - 1, _LINE_LENGTH), 0, -1) if fits(token[:n])), 1)
            pieces.append(token[:cut])
            token = token[cut:]
        if fits(token):
            current = token
        else:
            pieces.append(token)

    for token in _WORDS.findall(text):
        word = token.rstrip(" ")
        if fits(current + token) or fits(token) or not word:
            add(token)
        else:  # The word is too wide for a line: the spaces after it must not share its line.
            add(word)
            add(token[len(word) :])
    if current:
        pieces.append(current)
    # The last piece has the comma after it: when that overflows, its last words get a line of their own.
    words = re.findall(r"[^ ]+| +", pieces[-1]) if pieces else []
    room = (rest if len(pieces) > 1 else first) - end
    moved: list[str] = []
    while len(words) > 1 and _width(_quoted("".join(words))) > room:
        moved.insert(0, words.pop())
    if moved:
        pieces[-1:] = ["".join(words), "".join(moved)]
    return pieces


def _statement(name: str, text: str, indent: str) -> list[str]:
    """``write("...")`` or ``raw("...")``."""
    return _layout(_Call(name, [_Str(text)]), indent)


class _Writer:
    """Writes one tree as the body of a template function."""

    def __init__(self, keep_comments: bool, name: str = "page") -> None:
        self.keep_comments = keep_comments
        self.name = name
        self.custom: dict[str, str] = {}  # HTML name -> Python name, for elements hypergen.template lacks.
        self.taken: set[str] = set()
        self.expressions: dict[int, _Call] = {}
        self.depths: dict[int, int] = {}
        self.parts: list[tuple[str, list[str]]] = []  # Functions continuing a page nested too deep for one.

    # Names

    def function_name(self, element: _Element) -> str:
        if element.tag in _FUNCTIONS:
            return _FUNCTIONS[element.tag]
        if element.tag not in self.custom:
            name = re.sub(r"\W", "_", element.tag)
            # ruff check flags l, I and O as names (E741): they read as 1 and 0.
            if keyword.iskeyword(name) or name in self.taken or not name.isidentifier() or name in ("l", "I", "O"):
                name += "_element"
            while name in self.taken:
                name += "_"
            self.taken.add(name)
            self.custom[element.tag] = name
        return self.custom[element.tag]

    def arguments(self, element: _Element) -> list[_Expression]:
        """The keyword arguments for the element's attributes, in their HTML order."""
        arguments: list[_Expression] = []
        unnamed: list[tuple[str, _Expression]] = []  # Attributes whose names are no Python identifier.
        seen = set()
        for name, value in element.attrs:
            if name.lower() in seen:
                continue  # Browsers keep the first of two same-named attributes, and so does hyperfy.
            seen.add(name.lower())
            literal = _Code("True") if value is None else _Str(value)
            key = self.keyword_argument(name, element)
            if key is None:
                unnamed.append((_dict_key(name, element), literal))
                continue
            if unnamed:
                arguments.append(_Spread(unnamed))
                unnamed = []
            arguments.append(_Keyword(key, literal))
        if unnamed:
            arguments.append(_Spread(unnamed))
        return arguments

    @staticmethod
    def keyword_argument(name: str, element: _Element) -> str | None:
        """``class`` -> ``class_``, ``data-id`` -> ``data_id``; None for a name Python cannot spell."""
        key = name.replace("-", "_")
        if key.endswith("_") or keyword.iskeyword(key) or key in _OPTIONS:
            key += "_"
        if not key.isidentifier() or not key.isascii():
            return None
        return key if _rendered_name(key, element) == name else None

    # Expressions and statements

    def is_expression(self, node: object) -> bool:
        """Can the node be written as one expression (a call argument)?"""
        if isinstance(node, _Text):
            return True
        if not isinstance(node, _Element) or self.rawtext_html(node) is not None:
            return False
        return all(self.is_expression(child) for child in node.children)

    def rawtext_html(self, element: _Element) -> str | None:
        """The HTML of a <script> or <style> that hypergen would change (it writes ``</script`` as
        ``<\\/script`` and ``<!--`` as ``<\\!--`` in them), to be written with raw(); else None."""
        if element.tag.lower() not in ("script", "style"):
            return None
        content = "".join(child.text for child in element.children if isinstance(child, _Text))
        if template._rawtext_safe(element.tag.lower(), content) == content:
            return None
        return f"{element.start_text}{content}</{element.tag}>"

    def expression(self, element: _Element) -> _Call:
        """The element as one call, its children and then its attributes as the arguments."""
        key = id(element)
        if key not in self.expressions:
            children: list[_Expression] = []
            for child in element.children:
                if isinstance(child, _Element):
                    children.append(self.expression(child))
                elif isinstance(child, _Text):
                    children.append(_Str(child.text))
            self.expressions[key] = _Call(self.function_name(element), [*children, *self.arguments(element)])
        return self.expressions[key]

    def flat(self, element: _Element) -> str | None:
        """The element as a call on one line (without indentation), or None when ruff would not write
        it on one: a triple-quoted text beside other arguments, or in a call inside the element."""
        return self.expression(element).flat

    def call(self, element: _Element, indent: str) -> list[str]:
        """The element as one call, laid out as ruff does."""
        return _layout(self.expression(element), indent)

    def with_head(self, elements: Sequence[_Element], comments: Sequence[list[str]], indent: str) -> list[str]:
        """``with a():``, or for several elements ``with a(), b():``, split over lines as ruff does."""
        items = [_Call(self.function_name(element), self.arguments(element)) for element in elements]
        if len(items) == 1:
            return _layout(items[0], indent, "with ", ":")
        flats = [flat for item in items if (flat := item.flat) is not None and "\n" not in flat]
        if len(flats) == len(items) and not any(comments) and _fits(line := f"{indent}with {', '.join(flats)}:"):
            return [line]
        lines = [f"{indent}with ("]
        for item, item_comments in zip(items, comments, strict=True):
            lines += [*item_comments, *_layout(item, indent + _INDENT, "", ",")]
        return [*lines, f"{indent}):"]

    def depth(self, element: _Element) -> int:
        """How deep elements nest inside this one (0 for an element holding only text)."""
        key = id(element)
        if key not in self.depths:
            children = [child for child in element.children if isinstance(child, _Element)]
            self.depths[key] = max((1 + self.depth(child) for child in children), default=0)
        return self.depths[key]

    def part(self, element: _Element, indent: str) -> list[str]:
        """The element written in a function of its own, called here: it nests too deep for one function."""
        number = 1
        while f"{self.name}_{number}" in self.taken:
            number += 1
        name = f"{self.name}_{number}"
        self.taken.add(name)
        index = len(self.parts)
        self.parts.append((name, []))  # In the order they are called.
        self.parts[index] = (name, self.element(element, _INDENT, 0))
        note = f"hyperfy: nested too deep for one Python function: continued in {name}()."
        return [*_comment_lines(note, indent), f"{indent}{name}()"]

    def statements(self, nodes: Sequence[object], indent: str, blocks: int) -> list[str]:
        """The nodes as statements inside ``blocks`` with statements' elements."""
        lines: list[str] = []
        deep = blocks >= _MAX_BLOCKS
        for node in nodes:
            if deep and isinstance(node, _Element) and self.with_block(node, indent):
                lines.extend(self.part(node, indent))
            elif isinstance(node, _Text):
                lines.extend(_statement("write", node.text, indent))
            elif isinstance(node, _Comment) and self.keep_comments:
                lines.extend(_statement("raw", f"<!--{node.text}-->", indent))
            elif isinstance(node, _Comment | _Note):
                lines.extend(self.comment(node, indent))
            elif isinstance(node, _Raw):
                lines.extend(self.raw(node, indent))
            else:
                lines.extend(self.element(node, indent, blocks))
        return lines

    def raw(self, node: _Raw, indent: str) -> list[str]:
        doctype = re.fullmatch(r"DOCTYPE\s+(.+)", node.html[2:-1], re.IGNORECASE)
        if doctype and template.escape(doctype.group(1)) == doctype.group(1):
            kind = doctype.group(1)
            return [f"{indent}doctype()" if kind == "html" else f"{indent}doctype({_string(kind)})"]
        why = _comment_lines(f"hyperfy: {node.why}", indent) if node.why else []
        return [*why, *_statement("raw", node.html, indent)]

    def with_block(self, element: _Element, indent: str) -> bool:
        """Is the element written as a with block?"""
        if self.rawtext_html(element) is not None or self.is_call(element, indent):
            return False
        # Not for children that are all # comments writing no line (<!---->): that is an empty call.
        return any(not self.is_comment(child) or self.comment(child, "") for child in element.children)

    def comment(self, node: _Comment | _Note, indent: str) -> list[str]:
        """A # comment; none for a kept HTML comment, which is written with raw()."""
        if isinstance(node, _Note):
            return _comment_lines(f"hyperfy: {node.text}", indent)
        return [] if self.keep_comments else _comment_lines(node.text, indent)

    def only_block(self, element: _Element, indent: str) -> tuple[_Element, list, list] | None:
        """The with block that is all the element holds but # comments, with the nodes before and after it."""
        statements = [i for i, child in enumerate(element.children) if not self.is_comment(child)]
        if len(statements) != 1:
            return None
        index = statements[0]
        child = element.children[index]
        if not isinstance(child, _Element) or not self.with_block(child, indent):
            return None
        return child, element.children[:index], element.children[index + 1 :]

    def is_comment(self, node: object) -> bool:
        """Is the node written as a # comment (else as a statement)?"""
        return isinstance(node, _Note) or (isinstance(node, _Comment) and not self.keep_comments)

    def is_call(self, element: _Element, indent: str) -> bool:
        """Is the element written as one call (else a with block, or raw())?

        A call when it holds only text, mixes text with inline elements (a paragraph), or fits on
        a line and nests little (``ul(li("a"), li("b"))``).
        """
        if not self.is_expression(element) or self.depth(element) >= _MAX_CALL_DEPTH:
            return False
        nested = [child for child in element.children if isinstance(child, _Element)]
        has_text = any(isinstance(child, _Text) for child in element.children)
        line = self.flat(element)
        inline = all(child.tag.lower() in _PHRASING for child in nested)
        short = line is not None and _fits(indent + line) and (inline or self.depth(element) <= 2)
        return short or not nested or (has_text and inline)

    def element(self, element: _Element, indent: str, blocks: int) -> list[str]:
        html = self.rawtext_html(element)
        if html is not None:
            why = f"<{element.tag}> on line {element.line} holds </{element.tag} or <!--, which hypergen would escape."
            return self.raw(_Raw(html, why), indent)
        if not self.with_block(element, indent):
            return self.call(element, indent)
        # An element holding only another with block (and comments) shares its with statement, as
        # ruff's SIM117 asks: `with div(), div():`. Comments before the inner one go with it in the
        # statement's parentheses; those after it, after the statement.
        inner = indent + _INDENT
        chain, leading, trailing = [element], [[]], []
        while blocks + len(chain) < _MAX_BLOCKS and (found := self.only_block(chain[-1], inner)):
            child, before, after = found
            chain.append(child)
            leading.append(self.statements(before, inner, blocks))
            trailing = self.statements(after, indent, blocks) + trailing
        body = _with_a_statement(self.statements(chain[-1].children, inner, blocks + len(chain)), inner)
        return [*self.with_head(chain, leading, indent), *body, *trailing]


def _elements(element: _Element) -> Iterator[_Element]:
    for child in element.children:
        if isinstance(child, _Element):
            yield child
            yield from _elements(child)


def _check_depth(root: _Element) -> None:
    """Refuse elements nested deeper than _MAX_DEPTH (the writer recurses once or twice per level)."""
    stack = [(root, 0)]
    while stack:
        element, depth = stack.pop()
        if depth > _MAX_DEPTH:
            raise HyperfyError(
                f"line {element.line}: elements nest more than {_MAX_DEPTH} deep here, more than hyperfy writes. "
                "Such pages almost always have end tags missing (a <div> never closed): close them and try again."
            )
        stack.extend((child, depth + 1) for child in element.children if isinstance(child, _Element))


def _check_ids(element: _Element, seen: dict[str, int]) -> None:
    """Hypergen refuses an id used twice in one render: say so now, with both lines, not when rendering."""
    for child in element.children:
        if not isinstance(child, _Element):
            continue
        value = next((v for k, v in child.attrs if k.lower() == "id"), None)
        if value is not None:
            if value in seen:
                raise HyperfyError(
                    f'line {child.line}: the id "{value}" is used on line {seen[value]} already. Hypergen refuses '
                    "an id used twice in one render: make the ids unique in the HTML first."
                )
            seen[value] = child.line
        _check_ids(child, seen)


def _rendered_name(key: str, element: _Element) -> str | None:
    try:
        return template._attribute_name(key)
    except ValueError:
        return None


_TEMPLATE_SYNTAX = re.compile(r"{%|%}|{{|}}")
_CONVERT_THE_PAGE = (
    "hyperfy reads HTML, not a Django or Jinja template: convert the page it renders "
    "(save it from the browser, or curl its URL)"
)


def _dict_key(name: str, element: _Element) -> str:
    """The key for an attribute given as ``**{"xlink:href": ...}``."""
    key = name + "_" if name in _OPTIONS or name.endswith("_") else name
    if _rendered_name(key, element) != name and _TEMPLATE_SYNTAX.search(element.start_text):
        tag = re.sub(r"\W.*", "", element.tag)  # <div{% if x %}> reads as the element "div{%".
        raise HyperfyError(
            f"line {element.line}: <{tag}> holds template syntax ({{% %}} or {{{{ }}}}): {_CONVERT_THE_PAGE}."
        )
    if _rendered_name(key, element) != name:
        if "_" in name:
            reason = "hypergen writes every _ in an attribute name as -"
        else:
            reason = "names may hold only ASCII letters, digits and _ - : . @, and start with a letter, _, : or @"
        raise HyperfyError(
            f"line {element.line}: <{element.tag}> has the attribute {name!r}, which hypergen cannot write: {reason}."
        )
    return key


def hyperfy(html: str, name: str = "page", *, keep_whitespace: bool = False, keep_comments: bool = False) -> str:
    """Python source for a template function ``name()`` that writes ``html`` with Hypergen.

    Indentation between tags is left out unless ``keep_whitespace``; comments become Python
    comments unless ``keep_comments``, which writes them to the page with ``raw()``.
    Raises HyperfyError for HTML that Hypergen cannot write (an attribute name with ``_``,
    a duplicate id).
    """
    if not name.isidentifier() or keyword.iskeyword(name):
        raise HyperfyError(f"the function name {name!r} is not a Python identifier: give one like 'page'.")
    from hypergen import imports

    if name in imports.__all__:
        raise HyperfyError(f"the function name {name!r} would hide hypergen's own {name!r}: choose another.")
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    root = builder.root
    _check_depth(root)
    _check_ids(root, {})
    if not keep_whitespace:
        _drop_indentation(root)
    writer = _Writer(keep_comments, name)
    writer.taken = {*imports.__all__, name}
    for element in _elements(root):  # Name the elements hypergen lacks in the order they appear.
        writer.function_name(element)
    body = _with_a_statement(writer.statements(root.children, _INDENT, 0), _INDENT)
    tag = re.search(r"{%.*?%}", html)
    if tag:
        line = html.count("\n", 0, tag.start()) + 1
        note = f"hyperfy: line {line} holds {{% ... %}}, template syntax: it is written as text."
        body[:0] = _comment_lines(note, _INDENT)
    lines = ["from hypergen.imports import *", ""]
    if writer.custom:
        for tag, python in writer.custom.items():
            lines += _layout(_Call("Tag", [_Str(tag)]), "", f"{python} = ")
        lines.append("")
    lines += ["", f"def {name}():", *body]
    for part, part_body in writer.parts:
        lines += ["", "", f"def {part}():", *_with_a_statement(part_body, _INDENT)]
    return "\n".join(lines) + "\n"


# The command -----------------------------------------------------------------------


def _default_name(path: str) -> str:
    if path == "-":
        return "page"
    from hypergen import imports

    name = re.sub(r"\W", "_", Path(path).stem).strip("_").lower() or "page"
    if name[0].isdigit():
        name = "page_" + name
    if keyword.iskeyword(name) or name in imports.__all__:
        name += "_page"
    return name


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m hypergen.hyperfy FILE``: print FILE's HTML as Hypergen Python."""
    parser = argparse.ArgumentParser(
        prog="python -m hypergen.hyperfy",
        description="Print an HTML file as a Hypergen template function (Python) on stdout.",
    )
    parser.add_argument("file", help="the HTML file to convert (UTF-8), or - to read standard input")
    parser.add_argument("--name", help="the generated function's name (default: from the file name, or 'page')")
    parser.add_argument(
        "--keep-whitespace",
        action="store_true",
        help="keep the indentation between tags too, so that rendering gives back every byte",
    )
    parser.add_argument(
        "--keep-comments", action="store_true", help="write HTML comments to the page with raw() (default: # comments)"
    )
    options = parser.parse_args(argv)
    try:
        source = sys.stdin.buffer.read() if options.file == "-" else Path(options.file).read_bytes()
    except OSError as error:
        print(f"hyperfy: cannot read {options.file}: {error.strerror or error}", file=sys.stderr)
        return 1
    try:
        html = source.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = source.count(b"\n", 0, error.start) + 1
        print(
            f"hyperfy: {options.file} is not UTF-8 (line {line}, byte {error.start}): convert it first, "
            "e.g. iconv -f latin1 -t utf-8.",
            file=sys.stderr,
        )
        return 1
    try:
        code = hyperfy(
            html,
            options.name or _default_name(options.file),
            keep_whitespace=options.keep_whitespace,
            keep_comments=options.keep_comments,
        )
    except HyperfyError as error:
        print(f"hyperfy: {options.file}: {error}", file=sys.stderr)
        return 1
    sys.stdout.write(code)
    return 0


if __name__ == "__main__":
    sys.exit(main())
