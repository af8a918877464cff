"""Port a django-hypergen 1.5 project: ``python -m hypergen.upgrade PATH [PATH ...]``.

Rewrites the renames that are mechanical, in place (``--diff`` shows them instead, ``--check`` only
reports), and prints one line for each place it cannot rewrite, naming the section of
docs/migrating.md that says what to do. Files that do not use Hypergen are left as they are.
Needs libcst: ``pip install 'hypergen-live[upgrade]'``.
"""

from __future__ import annotations

import argparse
import codecs
import difflib
import functools
import importlib
import io
import os
import re
import sys
import tokenize
import types
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Note", "Upgraded", "main", "upgrade_file", "upgrade_source"]

DOC = "docs/migrating.md"
INSTALL_HINT = (
    "python -m hypergen.upgrade needs libcst, which is not installed. "
    "Install it with: pip install 'hypergen-live[upgrade]'   (or: pip install libcst)"
)
#: Directories never walked into (named as a PATH, they are).
SKIP_DIRS = {".git", ".hg", ".venv", "venv", "env", "node_modules", "__pycache__", ".tox", ".mypy_cache", "build"}
#: Of those, the ones never a project's own code, so not worth a mention in the summary.
QUIET_SKIP_DIRS = {".git", ".hg", "__pycache__", ".tox", ".mypy_cache"}
#: Files other than Python that may hold 1.5 client JavaScript.
SCRIPT_SUFFIXES = {".js", ".html", ".htm"}
#: django-hypergen 1.5's modules, whose names the codemod follows through ``module.name``.
MODULES_15 = frozenset(
    {
        "hypergen.context",
        "hypergen.hypergen",
        "hypergen.imports",
        "hypergen.liveview",
        "hypergen.template",
        "hypergen.websocket",
    }
)


#: The sections of docs/migrating.md that notes point to (tests/unit/test_upgrade.py checks they exist).
SECTIONS = frozenset(
    {
        "app-state",
        "autofocus",
        "base-view",
        "callbacks",
        "client-commands",
        "client-javascript",
        "context",
        "django-templates",
        "imports-and-names",
        "link",
        "plugins",
        "reading-input-values",
        "settings",
        "template-helpers",
        "websockets",
    }
)


@dataclass(frozen=True)
class Note:
    """One thing the codemod did (``kind="changed"``), that needs a person (``kind="check"``), or a file it could
    not upgrade (``kind="error"``)."""

    path: str
    line: int
    kind: str
    message: str
    section: str | None = None

    def __post_init__(self) -> None:
        if self.section is not None and self.section not in SECTIONS:
            raise ValueError(f"Note(section={self.section!r}): not a section of {DOC}")

    def __str__(self) -> str:
        where = f" ({DOC}#{self.section})" if self.section else ""
        return f"{self.path}:{self.line}: {self.kind}: {self.message}{where}"


@dataclass
class Upgraded:
    """The result for one file: its new text and the notes about it."""

    path: str
    source: str
    code: str
    notes: list[Note] = field(default_factory=list)
    #: callback(...) calls that give no blocks= (1.5 blocked a second event to the same URL; ours does not).
    callbacks_without_blocks: int = 0

    @property
    def changed(self) -> bool:
        return self.code != self.source

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.source.splitlines(keepends=True),
                self.code.splitlines(keepends=True),
                fromfile=f"a/{self.path}",
                tofile=f"b/{self.path}",
            )
        )


# What 1.5 had and what to do about it -------------------------------------------------------------

#: Names imported from a 1.5 module that now live elsewhere: (old module, name) -> new module.
MOVED = {
    ("hypergen.hypergen", "autourls"): "hypergen.liveview",
    # compat keeps 1.5's signature (dumps(data, default, indent=)); hypergen.serialization.dumps has no indent=.
    ("hypergen.liveview", "dumps"): "hypergen.compat",
    ("hypergen.liveview", "loads"): "hypergen.compat",
    ("hypergen.imports", "dumps"): "hypergen.compat",
    ("hypergen.imports", "loads"): "hypergen.compat",
    ("hypergen.websocket", "group_send"): "hypergen.compat",
    ("hypergen.imports", "group_send"): "hypergen.compat",
    ("hypergen.template", "hypergen_to_response"): "hypergen.compat",
    ("hypergen.imports", "hypergen_to_response"): "hypergen.compat",
}
#: Names renamed as well as moved: old name -> (new module, new name).
RENAMED = {"ws_url": ("hypergen.websocket", "websocket_url")}
#: Names that ``from hypergen.imports import *`` gave in 1.5 and ours does not: name -> new module.
STAR_MOVED = {
    "dumps": "hypergen.compat",
    "loads": "hypergen.compat",
    "group_send": "hypergen.compat",
    "hypergen_to_response": "hypergen.compat",
}
#: 1.5 names with no mechanical replacement: name -> (what to do, section).
GONE = {
    "HypergenWebsocketConsumer": (
        "the class-based HypergenWebsocketConsumer is gone: write a @consumer function, or keep a plain Channels "
        "consumer and serve it with get_asgi_application(websocket_urlpatterns=[...])",
        "websockets",
    ),
    "COERCE": ("the COERCE table is gone: give coerce_to=int|float|str on the element", "reading-input-values"),
    "JS_VALUE_FUNCS": ("the value-reader tables are gone: inputs are read by their type", "reading-input-values"),
    "JS_COERCE_FUNCS": ("the value-reader tables are gone: inputs are read by their type", "reading-input-values"),
    "EVENT": ("EVENT (the browser event as an argument) is gone: pass the values you need", "callbacks"),
    "url_is_active": ("url_is_active() is gone: compare request.resolver_match yourself", "template-helpers"),
    "on_url": ("on_url() is gone: compare request.resolver_match yourself", "template-helpers"),
    "rst": ("rst() is gone: render reStructuredText with docutils and write it with raw()", "template-helpers"),
    "hprint": ("hprint() is gone: write(pformat(value)) inside pre() does the same", "template-helpers"),
    "HTML": ("hypergen(..., settings=...) and its HTML/FULL/COMMANDS returns are gone", "template-helpers"),
    "FULL": ("hypergen(..., settings=...) and its HTML/FULL/COMMANDS returns are gone", "template-helpers"),
    "COMMANDS": ("hypergen(..., settings=...) and its HTML/FULL/COMMANDS returns are gone", "template-helpers"),
    "contextlist": ("contextlist is internal to 1.5 and gone", "context"),
    "ContextMiddleware": ("use the function middleware 'hypergen.context.context_middleware'", "settings"),
    "wrap2": ("hypergen.hypergen's helpers are internal to 1.5 and gone", "imports-and-names"),
    "check_perms": ("check_perms() is gone: perm= on the decorator checks permissions", "imports-and-names"),
    "metastr": ("metastr is gone: view.reverse() returns a plain str", "imports-and-names"),
    "liveview_resolver_match": ("liveview_resolver_match() is gone: see base_view=", "base-view"),
    "django_template": ("django_template is gone: see Django templates", "django-templates"),
    "render_to_hypergen": ("render_to_hypergen() is gone: raw(render_to_string(...))", "django-templates"),
    "base_element": (
        'base_element (1.5\'s element class) is gone: a custom element is Tag("my-widget"), called like any element',
        "template-helpers",
    ),
    "base_element_void": (
        'base_element_void (1.5\'s void element class) is gone: a custom void element is Tag("my-widget", void=True)',
        "template-helpers",
    ),
    "join_html": (
        "join_html() is gone: hypergen(template) returns a template's HTML, str(element) an element's",
        "template-helpers",
    ),
    "Component": (
        "Component (what a 1.5 @component returned) is gone: a @component returns an Element",
        "template-helpers",
    ),
}
#: Attributes of 1.5's ``context.hypergen`` map that are gone: name -> what to do.
GONE_RENDER_STATE = {
    "into": "context.hypergen.into (1.5's list of output parts) is gone: write HTML with raw() and write(), and "
    "render a template to a string with hypergen(template)",
    "event_handler_callbacks": "context.hypergen.event_handler_callbacks is gone: callbacks are rendered into their "
    "event attributes, with no table to read or change",
}
#: Elements 1.5 had that HTML5 made obsolete, and ours does not.
OBSOLETE_ELEMENTS = ("acronym", "applet", "basefont", "big", "center", "dir_", "font", "frame", "frameset", "noframes",
                     "param", "strike", "tt")  # fmt: skip
for _name in OBSOLETE_ELEMENTS:
    GONE[_name] = (f"the obsolete element {_name}() is gone: use its modern equivalent and CSS", "template-helpers")
#: Modules gone entirely: module prefix -> (message, section).
GONE_MODULES = {
    "hypergen.plugins": ("1.5 plugins (AlertifyPlugin, AppstatePlugin, user_plugins=) are gone", "plugins"),
    "hypergen.core": ("hypergen.core is django-hypergen 0.x: port it to 1.5 names first", "imports-and-names"),
    "hypergen.contrib": ("hypergen.contrib is django-hypergen 0.x: port it to 1.5 names first", "imports-and-names"),
}
#: What ``from <module> import *`` gave in django-hypergen 1.5 (each module's ``__all__``).
# "time" is the standard library's module, which 1.5 exported by mistake.
_TEMPLATE_15 = frozenset({
    "a", "abbr", "acronym", "address", "applet", "area", "article", "aside", "audio", "b", "base", "basefont", "bdi",
    "bdo", "big", "blockquote", "body", "br", "button", "canvas", "caption", "center", "cite", "code", "col",
    "colgroup", "data", "datalist", "dd", "del_", "details", "dfn", "dialog", "dir_", "div", "dl", "doctype", "dt",
    "em", "embed", "fieldset", "figcaption", "figure", "font", "footer", "form", "frame", "frameset", "h1", "h2",
    "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "i", "iframe", "img", "input_", "ins", "kbd", "label",
    "legend", "li", "link", "main", "map_", "mark", "meta", "meter", "nav", "noframes", "noscript", "object_", "ol",
    "optgroup", "option", "output", "p", "param", "picture", "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp",
    "script", "section", "select", "small", "source", "span", "strike", "strong", "style", "sub", "summary", "sup",
    "svg", "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track",
    "tt", "u", "ul", "var", "video", "wbr", "component", "hypergen", "raw", "write", "rst", "hprint", "HTML", "FULL",
    "COMMANDS", "OMIT", "hypergen_to_response", "on_url"
})  # fmt: skip
_LIVEVIEW_15 = frozenset({"command", "call_js", "callback", "THIS", "dumps", "loads", "liveview", "action",
                          "NO_PERM_REQUIRED"})  # fmt: skip
_WEBSOCKET_15 = frozenset({"HypergenWebsocketConsumer", "ws_url", "group_send"})
STAR_15 = {
    "hypergen.template": _TEMPLATE_15,
    "hypergen.liveview": _LIVEVIEW_15,
    "hypergen.context": frozenset({"context"}),
    "hypergen.websocket": _WEBSOCKET_15,
    "hypergen.imports": _TEMPLATE_15 | _LIVEVIEW_15 | {"context"} | _WEBSOCKET_15,
}
#: Where each public name of ``hypergen.imports`` is documented, for the notes.
_PUBLIC_MODULES = (
    "hypergen.template",
    "hypergen.liveview",
    "hypergen.callbacks",
    "hypergen.context",
    "hypergen.websocket",
)

#: Strings rewritten wherever they appear whole (settings.py's MIDDLEWARE).
STRINGS = {"hypergen.context.ContextMiddleware": "hypergen.context.context_middleware"}
#: Script paths 1.5 or 0.x apps put in <script src=...> by hand.
OLD_CLIENT_PATHS = (
    "hypergen/dist/hypergen.js",
    "hypergen/v2/hypergen",
    "hypergen/hypergen.min.js",
    "hypergen/hypergen.js",
)
_READY_PARTIAL = re.compile(r"hypergen\.ready\([^)]*partial", re.DOTALL)
_READY = re.compile(r"\bhypergen\.ready\s*\(")
_JS_CALLBACK_15 = re.compile(r"\bhypergen\.callback\(\s*['\"`]")  # 1.5's (url, ...); ours starts with the event.
_COMMAND_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+\Z")


@functools.cache
def _star_names(module: str) -> frozenset[str]:
    """What ``from <module> import *`` gives now."""
    return frozenset(importlib.import_module(module).__all__)


def _describe(module: str, name: str) -> str:
    """What ``name`` from ``from <module> import *`` is, for a note: "the <math> element", "hypergen.js"."""
    value = getattr(importlib.import_module(module), name)
    if isinstance(value, types.ModuleType):
        return f"the module {value.__name__}"
    if type(getattr(value, "tag", None)).__name__ == "Tag":
        return f"the <{value.name}> element"
    public = next((m for m in _PUBLIC_MODULES if name in _star_names(m)), module)
    return f"{public}.{name}"


def _compat_accepts(name: str, keyword: str) -> bool:
    """Whether ``hypergen.compat.<name>`` takes ``keyword=``."""
    import inspect

    from hypergen import compat

    return keyword in inspect.signature(getattr(compat, name)).parameters


def _builtin_commands() -> frozenset[str]:
    try:
        from hypergen.callbacks import builtin_commands

        return builtin_commands()
    except Exception:  # Checking names is a courtesy; the rewrite does not depend on it.
        return frozenset()


def _command_problem(name: str) -> str | None:
    """Why ``name`` will not run as a client command of ours, or None."""
    if name.startswith("hypergen."):
        builtins = _builtin_commands()
        if builtins and name not in builtins:
            return f"{name!r} is not a client command of ours: see the table of commands"
        return None
    if not _COMMAND_NAME.match(name):
        return (
            f"client command {name!r}: 1.5 ran any window function; ours runs only registered commands, "
            "named like 'myapp.alert': hypergen.registerCommand('myapp.alert', fn) in your JavaScript"
        )
    return (
        f"client command {name!r}: 1.5 ran any window function; register it in your JavaScript with "
        f"hypergen.registerCommand({name!r}, fn)"
    )


def _check_text(text: str) -> list[tuple[str, str]]:
    """Notes about 1.5 client JavaScript or script tags in ``text``: (message, section)."""
    found = []
    if _READY_PARTIAL.search(text):
        found.append(
            (
                "hypergen.ready(fn, {partial: true}) is gone: listen for the hypergen:navigated DOM event "
                "(after partial loads) besides hypergen:ready",
                "client-javascript",
            )
        )
    elif _READY.search(text):  # A function holding `)` before its {partial: true}, a call over lines, or none.
        found.append(
            (
                "hypergen.ready(fn) is gone (our client has no hypergen.ready): listen for the hypergen:ready DOM "
                "event, and for hypergen:navigated too where it passed {partial: true}",
                "client-javascript",
            )
        )
    if _JS_CALLBACK_15.search(text):
        found.append(
            (
                "hypergen.callback(url, args, options) from your own JavaScript is 1.5's: ours takes "
                "(event, url, args, options) and serves the attributes Python renders; render the callback into "
                "a data- attribute of a hooked element and call this.pushEvent(name, ...args)",
                "client-javascript",
            )
        )
    if "hypergen.pushstate" in text:
        found.append(("the hypergen.pushstate event is now hypergen:navigated", "client-javascript"))
    if "hypergen_media_header" in text or "hypergen_media_footer" in text:
        found.append(("{% hypergen_media_header %} and {% hypergen_media_footer %} are now {% hypergen_head %}",
                      "django-templates"))  # fmt: skip
    if re.search(r"{%\s*callback\b[^%]*\bevent=", text):
        found.append(("{% callback %} is now the attribute's value; id= and event= are gone", "django-templates"))
    if any(path in text for path in OLD_CLIENT_PATHS):
        found.append(("@liveview adds the client script itself: remove this script tag", "client-javascript"))
    return found


# The transformer ----------------------------------------------------------------------------------


def _transformer_class():  # The classes need libcst: built on first use.
    import libcst as cst
    from libcst.helpers import get_full_name_for_node
    from libcst.metadata import (
        BaseAssignment,
        BuiltinAssignment,
        GlobalScope,
        ImportAssignment,
        PositionProvider,
        ScopeProvider,
    )

    # Comments in a call's arguments or an import's names live in the whitespace of their commas: the
    # rewrites keep the original commas, and these move a list's closing line when its last item goes.

    def own_comment(comma: cst.Comma | cst.MaybeSentinel) -> bool:
        """Whether ``comma`` is followed by a comment on its line (the comment of the item before it)."""
        whitespace = getattr(comma, "whitespace_after", None)
        return isinstance(whitespace, cst.ParenthesizedWhitespace) and whitespace.first_line.comment is not None

    def closing_comma(comma: cst.Comma | cst.MaybeSentinel, closing: cst.Comma | cst.MaybeSentinel):
        """The comma of an item that becomes the last one of its list, where the last one had ``closing``.

        It keeps the item's own comment (a trailing comma is valid in calls and imports) and takes the
        list's closing line from ``closing``."""
        if not own_comment(comma):
            return closing
        if isinstance(closing, cst.Comma) and isinstance(closing.whitespace_after, cst.ParenthesizedWhitespace):
            end = closing.whitespace_after
            return comma.with_changes(
                whitespace_after=comma.whitespace_after.with_changes(
                    empty_lines=end.empty_lines, indent=end.indent, last_line=end.last_line
                )
            )
        return comma.with_changes(
            whitespace_after=comma.whitespace_after.with_changes(
                empty_lines=[], indent=True, last_line=cst.SimpleWhitespace("")
            )
        )

    def own_lines(comma: cst.Comma | cst.MaybeSentinel) -> list:
        """The comment lines after ``comma`` that stand on their own (about the item that follows)."""
        whitespace = getattr(comma, "whitespace_after", None)
        return list(whitespace.empty_lines) if isinstance(whitespace, cst.ParenthesizedWhitespace) else []

    def without(items: list, drop: set[int]) -> list:
        """``items`` (call arguments, import names) without the indices in ``drop``, keeping comments: the
        comment lines above the next item, and the list's closing line when the last items go."""
        kept: list = []
        carried: list = []  # comment lines that stood above a dropped item's successor
        for index, item in enumerate(items):
            if index in drop:
                carried.extend(own_lines(item.comma))
                continue
            if carried and kept and isinstance(kept[-1].comma, cst.Comma):
                whitespace = kept[-1].comma.whitespace_after
                if isinstance(whitespace, cst.ParenthesizedWhitespace):
                    whitespace = whitespace.with_changes(empty_lines=[*whitespace.empty_lines, *carried])
                    kept[-1] = kept[-1].with_changes(comma=kept[-1].comma.with_changes(whitespace_after=whitespace))
            carried = []
            kept.append(item)
        if kept and len(items) - 1 in drop:
            last = items[-1]
            kept[-1] = kept[-1].with_changes(comma=closing_comma(kept[-1].comma, last.comma))
            if isinstance(kept[-1], cst.Arg) and kept[-1].comma is last.comma:
                kept[-1] = kept[-1].with_changes(whitespace_after_arg=last.whitespace_after_arg)
        return kept

    def append_arg(call: cst.Call, args: list, new: cst.Arg) -> list:
        """``args`` and then ``new``, laid out like the call's other arguments, its comments kept."""
        if not args:
            return [new]
        last = args[-1]
        comma = last.comma
        if isinstance(comma, cst.Comma) and isinstance(comma.whitespace_after, cst.ParenthesizedWhitespace):
            # One argument a line, with a trailing comma: the new one gets a line of its own.
            end = comma.whitespace_after
            indent = call.whitespace_before_args
            for arg in args[:-1]:
                if isinstance(arg.comma, cst.Comma) and isinstance(
                    arg.comma.whitespace_after, cst.ParenthesizedWhitespace
                ):
                    indent = arg.comma.whitespace_after
            last_line = indent.last_line if isinstance(indent, cst.ParenthesizedWhitespace) else end.last_line
            args = [
                *args[:-1],
                last.with_changes(
                    comma=comma.with_changes(
                        whitespace_after=end.with_changes(empty_lines=[], indent=True, last_line=last_line)
                    )
                ),
            ]
            return [
                *args,
                new.with_changes(
                    comma=cst.Comma(whitespace_after=end.with_changes(first_line=cst.TrailingWhitespace()))
                ),
            ]
        space = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        if isinstance(comma, cst.Comma):  # f(a, ): the trailing comma stays last.
            return [*args[:-1], last.with_changes(comma=space), new.with_changes(comma=comma)]
        # The whitespace before `)`, a comment perhaps, now follows the new argument.
        head = last.with_changes(comma=space, whitespace_after_arg=cst.SimpleWhitespace(""))
        return [*args[:-1], head, new.with_changes(whitespace_after_arg=last.whitespace_after_arg)]

    class Bindings(cst.CSTVisitor):
        """Which names of a module come from Hypergen, and which the module binds itself."""

        def __init__(self) -> None:
            self.star = False
            self.star_modules: set[str] = set()
            self.imported: dict[str, tuple[str, str]] = {}  # local name -> (module, name)
            self.modules: dict[str, str] = {}  # local dotted name -> a 1.5 module (`import hypergen.template as t`)
            self.bound: set[str] = set()
            self.used: set[str] = set()  # every name the module binds or reads (not attributes or keywords)
            self._not_names: set[int] = set()

        def visit_Attribute(self, node: cst.Attribute) -> None:
            self._not_names.add(id(node.attr))

        def visit_Arg(self, node: cst.Arg) -> None:
            if node.keyword is not None:
                self._not_names.add(id(node.keyword))

        def visit_Name(self, node: cst.Name) -> None:
            if id(node) not in self._not_names:
                self.used.add(node.value)

        def free(self, *candidates: str) -> str | None:
            """The first of ``candidates`` that the module neither binds nor reads."""
            return next((name for name in candidates if name not in self.used and name not in self.bound), None)

        def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
            module = get_full_name_for_node(node.module) if node.module and not node.relative else None
            if isinstance(node.names, cst.ImportStar):
                if module and module.split(".")[0] == "hypergen":
                    self.star = True
                    self.star_modules.add(module)
                return False
            for alias in node.names:
                name = get_full_name_for_node(alias.name)
                local = alias.evaluated_alias or name
                if module and f"{module}.{name}" in MODULES_15:  # from hypergen import template as t
                    self.modules[local] = f"{module}.{name}"
                elif module and module.split(".")[0] == "hypergen":
                    self.imported[local] = (module, name)
                else:
                    self.bound.add(local)
            return False

        def visit_Import(self, node: cst.Import) -> bool:
            for alias in node.names:
                module = get_full_name_for_node(alias.name) or ""
                if module in MODULES_15:  # import hypergen.template [as t]
                    self.modules[alias.evaluated_alias or module] = module
                self.bound.add((alias.evaluated_alias or module).split(".")[0])
            return False

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.bound.add(node.name.value)

        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            self.bound.add(node.name.value)

        def visit_Param(self, node: cst.Param) -> None:
            self.bound.add(node.name.value)

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            self._targets(node.target)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            self._targets(node.target)

        def visit_For(self, node: cst.For) -> None:
            self._targets(node.target)

        def visit_AsName(self, node: cst.AsName) -> None:
            self._targets(node.name)

        def _targets(self, target: cst.BaseExpression) -> None:
            if isinstance(target, cst.Name):
                self.bound.add(target.value)
            elif isinstance(target, (cst.Tuple, cst.List)):
                for element in target.elements:
                    self._targets(element.value)

    # A plain CSTTransformer: libcst's codemod classes list their instance's attributes at start-up,
    # which fails once Twisted (daphne's) has marked abc.ABC with zope.interface.
    class Upgrade(cst.CSTTransformer):
        METADATA_DEPENDENCIES = (PositionProvider, ScopeProvider)

        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path
            self.notes: list[Note] = []
            self.names = Bindings()
            self.not_names: set[int] = set()  # ids of Name nodes that are attributes, keywords, ...
            self.import_of: dict[int, tuple[str, str]] = {}  # id(Name read) -> the Hypergen import it reads
            self.resolved: set[int] = set()  # ids of Name reads that libcst tied to a binding of the module
            self.rename_nodes: dict[int, str] = {}  # id(Name read) -> its new name
            self.import_locals: dict[tuple[int, str], tuple[str, str]] = {}  # (id(ImportFrom), name) -> (local, why)
            #: (module, name, local name) to import after the module's imports; module None for `import name`.
            self.imports_needed: list[tuple[str | None, str, str]] = []
            self.star_locals: dict[str, str] = {}  # a renamed name from 1.5's star import -> its local name now
            self.event_params: list[set[str]] = []  # parameters of the @action/@consumer functions we are in
            self.callbacks_without_blocks = 0
            self.global_scope: GlobalScope | None = None
            self.global_renames: dict[str, str] = {}  # module-level names renamed: old -> new
            self.all_strings: set[int] = set()  # ids of the strings in the module's __all__

        # Bookkeeping

        def upgrade(self, tree: cst.Module) -> cst.Module:
            tree.visit(self.names)
            return cst.MetadataWrapper(tree).visit(self)

        def visit_Module(self, node: cst.Module) -> None:
            """Tie each name read to what it reads, through libcst's scopes: a name imported from Hypergen is
            rewritten only where it reads that import, not where a parameter or a local of the same name hides it."""
            scopes = {scope for scope in self.metadata[ScopeProvider].values() if scope is not None}
            origins = {}
            for scope in scopes:
                for assignment in scope.assignments:
                    origin = self.import_origin(assignment)
                    if origin is not None:
                        origins[assignment] = origin
            ambiguous: set[BaseAssignment] = set()  # imports read somewhere that may read another binding
            for scope in scopes:
                for access in scope.accesses:
                    referents = [a for a in access.referents if not isinstance(a, BuiltinAssignment)]
                    if not isinstance(access.node, cst.Name) or not referents:
                        continue
                    self.resolved.add(id(access.node))
                    found = {origins.get(assignment) for assignment in referents}
                    if None not in found and len({name for _, name in found}) == 1:  # try/except imports too
                        self.import_of[id(access.node)] = min(found)
                    else:
                        ambiguous.update(assignment for assignment in referents if assignment in origins)
            for assignment, (module, name) in origins.items():
                self.plan_rename(assignment, module, name, assignment in ambiguous)
            global_scope = self.metadata[ScopeProvider].get(node)
            self.global_scope = global_scope
            for statement in node.body:
                if isinstance(statement, cst.SimpleStatementLine):
                    self.mark_all(statement)
                    for small in statement.body:
                        if isinstance(small, cst.ImportFrom) and isinstance(small.names, cst.ImportStar):
                            self.star_replaces(small, global_scope, origins)

        def star_replaces(self, star: cst.ImportFrom, scope: GlobalScope, origins: dict) -> None:
            """Report the module's names bound before ``star`` (and not again after it) that the star import
            replaces now and did not in 1.5, or replaced in 1.5 and does not now."""
            module = get_full_name_for_node(star.module) if star.module and not star.relative else None
            if module not in STAR_15 or scope is None:
                return
            ours, old = _star_names(module), STAR_15[module]
            star_line = self.line(star)
            for name in sorted((ours - old) | (old - ours)):
                lines = sorted(
                    self.line(assignment.node)
                    for assignment in scope.assignments[name]
                    if assignment not in origins and not (name not in ours and self.imports_module(assignment, name))
                )
                if not lines or lines[-1] > star_line:
                    continue  # Not bound, or bound again after the star import: the module's own name wins.
                if name in ours:
                    message = (
                        f"{name} bound here is replaced by {_describe(module, name)} from `from {module} import *` "
                        f"(line {star_line}), which 1.5's did not export: import yours after the star import, or "
                        f"import from {module} only what you use"
                    )
                else:
                    message = (
                        f"{name} bound here, before `from {module} import *` (line {star_line}): 1.5's star import "
                        f"replaced it with its own {name}, ours exports none, so yours is used now; check that is "
                        "what the code expects"
                    )
                self.notes.append(Note(self.path, lines[-1], "check", message, "imports-and-names"))

        def mark_all(self, line: cst.SimpleStatementLine) -> None:
            """Note the strings of ``__all__ = [...]`` (or ``+=``, a tuple) at module level."""
            for small in line.body:
                if isinstance(small, cst.Assign):
                    targets, value = [target.target for target in small.targets], small.value
                elif isinstance(small, (cst.AugAssign, cst.AnnAssign)):
                    targets, value = [small.target], small.value
                else:
                    continue
                if any(isinstance(target, cst.Name) and target.value == "__all__" for target in targets) and isinstance(
                    value, (cst.List, cst.Tuple)
                ):
                    self.all_strings.update(
                        id(element.value) for element in value.elements if isinstance(element.value, cst.SimpleString)
                    )

        def exported(
            self, original_node: cst.SimpleString, updated_node: cst.SimpleString, name: str
        ) -> cst.SimpleString:
            """A name in ``__all__``: follows the rename of what it names, and is imported where it came from
            1.5's star import."""
            new = self.global_renames.get(name)
            bound = self.global_scope is not None and name in self.global_scope.assignments
            if new is None and self.names.star and not bound:
                if name in RENAMED:
                    new_module, new_name = RENAMED[name]
                    new = self.star_locals.setdefault(name, self.renamed_local(name))
                    self.add_import(new_module, new_name, new)
                elif name in STAR_MOVED:
                    self.add_import(STAR_MOVED[name], name)
                    self.changed(original_node, f"imported {name} from {STAR_MOVED[name]}", "imports-and-names")
            if new is None or new == name:
                return updated_node
            self.changed(original_node, f"__all__ names {new} now, for {name}", "websockets")
            quote = original_node.quote
            return updated_node.with_changes(value=f"{original_node.prefix}{quote}{new}{quote}")

        @staticmethod
        def imports_module(assignment: BaseAssignment, name: str) -> bool:
            """Whether ``assignment`` is ``import name`` (1.5's star import gave the module ``time`` itself)."""
            node = getattr(assignment, "node", None)
            return isinstance(node, cst.Import) and any(
                get_full_name_for_node(alias.name) == name and alias.asname is None for alias in node.names
            )

        @staticmethod
        def import_origin(assignment: BaseAssignment) -> tuple[str, str] | None:
            """(module, name) when ``assignment`` is a ``from hypergen... import name`` of a name (not a module)."""
            node = getattr(assignment, "node", None)
            if not isinstance(assignment, ImportAssignment) or not isinstance(node, cst.ImportFrom):
                return None
            if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
                return None
            module = get_full_name_for_node(node.module) or ""
            if module.split(".")[0] != "hypergen":
                return None
            for alias in node.names:
                name = get_full_name_for_node(alias.name) or ""
                if (alias.evaluated_alias or name) == assignment.name and f"{module}.{name}" not in MODULES_15:
                    return module, name
            return None

        def plan_rename(self, assignment: BaseAssignment, module: str, name: str, ambiguous: bool) -> None:
            """Choose the local name of an explicitly imported name that was renamed, and mark its reads."""
            node = assignment.node
            if name not in RENAMED or module not in ("hypergen.websocket", "hypergen.imports"):
                return
            if any(alias.asname is not None for alias in node.names if get_full_name_for_node(alias.name) == name):
                return  # `ws_url as w`: the local name stays.
            # Read somewhere that may also read another binding of the name (a try/except import, say): keep
            # the local name, so that nothing but the import changes.
            if ambiguous or len(assignment.scope.assignments[name]) > 1:
                local, why = name, f"{name} is also bound another way here"
            else:
                local = self.renamed_local(name)
                why = self.why_renamed_local(name, local)
            self.import_locals[(id(node), name)] = local, why
            if local != name and isinstance(assignment.scope, GlobalScope):
                self.global_renames[name] = local
            if local != name:
                for access in assignment.references:
                    if self.import_of.get(id(access.node)) == (module, name):
                        self.rename_nodes[id(access.node)] = local

        def add_import(self, module: str | None, name: str, local: str | None = None) -> None:
            if (module, name, local or name) not in self.imports_needed:
                self.imports_needed.append((module, name, local or name))

        def renamed_local(self, old: str) -> str:
            """The name a renamed 1.5 name is imported under: the new name, or, where the module has a name
            of its own spelled so, ``hypergen_<new name>``, or else the old name."""
            new_name = RENAMED[old][1]
            return self.names.free(new_name, f"hypergen_{new_name}") or old

        @staticmethod
        def why_renamed_local(old: str, local: str) -> str:
            new_name = RENAMED[old][1]
            if local == new_name:
                return ""
            if local == old:
                return f"this module has a {new_name} and a hypergen_{new_name} of its own"
            return f"this module has a {new_name} of its own"

        def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
            """Add the imports that names from 1.5's star import now need, after the module's imports."""
            body = list(updated_node.body)
            last_import = -1
            for index, statement in enumerate(body):
                if isinstance(statement, cst.SimpleStatementLine) and all(
                    isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
                ):
                    last_import = index
                elif not (index == 0 and self.is_docstring(statement)):
                    break
            lines = [
                cst.parse_statement(
                    (f"from {module} import {name}" if module else f"import {name}")
                    + ("" if local == name else f" as {local}")
                    + "\n"
                )
                for module, name, local in self.imports_needed
            ]
            if not lines:
                return updated_node
            return updated_node.with_changes(body=[*body[: last_import + 1], *lines, *body[last_import + 1 :]])

        @staticmethod
        def is_docstring(statement: cst.BaseStatement) -> bool:
            return (
                isinstance(statement, cst.SimpleStatementLine)
                and len(statement.body) == 1
                and isinstance(statement.body[0], cst.Expr)
                and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
            )

        def line(self, node: cst.CSTNode) -> int:
            try:
                return self.get_metadata(PositionProvider, node).start.line
            except KeyError:
                return 0

        def changed(self, node: cst.CSTNode, message: str, section: str | None = None) -> None:
            self.notes.append(Note(self.path, self.line(node), "changed", message, section))

        def check(self, node: cst.CSTNode, message: str, section: str) -> None:
            self.notes.append(Note(self.path, self.line(node), "check", message, section))

        def original(self, name: cst.BaseExpression) -> str | None:
            """The 1.5 name that ``name`` (``link``, or ``t.link`` after ``from hypergen import template as t``)
            refers to, if it is Hypergen's."""
            if isinstance(name, cst.Attribute):
                return name.attr.value if self.module_of(name.value) else None
            if not isinstance(name, cst.Name):
                return None
            local = name.value
            if id(name) in self.import_of:
                return self.import_of[id(name)][1]
            if local in self.names.imported:
                # Read before its import (libcst tied it to nothing), or where another binding hides the import.
                return None if id(name) in self.resolved else self.names.imported[local][1]
            if self.names.star and not self.shadowed(name):
                return local
            return None

        def module_of(self, node: cst.BaseExpression) -> str | None:
            """The 1.5 module that ``node`` (``t``, ``hypergen.template``) names, or None."""
            if not isinstance(node, (cst.Name, cst.Attribute)):
                return None
            dotted = get_full_name_for_node(node)
            if dotted not in self.names.modules:
                return None
            first = node
            while isinstance(first, cst.Attribute):
                first = first.value
            return None if isinstance(first, cst.Name) and self.shadowed_locally(first) else self.names.modules[dotted]

        def shadowed_locally(self, name: cst.Name) -> bool:
            """Whether ``name`` is bound in a function or class around it (a parameter, an assignment)."""
            try:
                scope = self.get_metadata(ScopeProvider, name)
            except KeyError:
                return False
            return scope is not None and not isinstance(scope, GlobalScope) and name.value in scope.assignments

        def shadowed(self, name: cst.Name) -> bool:
            """Whether ``name`` is bound where it is used (a star import binds nothing libcst can see)."""
            try:
                scope = self.get_metadata(ScopeProvider, name)
            except KeyError:
                scope = None
            if scope is None:
                return name.value in self.names.bound
            return any(not isinstance(assignment, BuiltinAssignment) for assignment in scope[name.value])

        def is_context(self, node: cst.BaseExpression) -> bool:
            return self.original(node) == "context"

        # Names that are not references

        def visit_Attribute(self, node: cst.Attribute) -> None:
            self.not_names.add(id(node.attr))

        def visit_Arg(self, node: cst.Arg) -> None:
            if node.keyword is not None:
                self.not_names.add(id(node.keyword))

        def visit_Param(self, node: cst.Param) -> None:
            self.not_names.add(id(node.name))

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.not_names.add(id(node.name))
            params = set()
            for decorator in node.decorators:
                self.inline_appstate(decorator.decorator)
                called = decorator.decorator
                called = called.func if isinstance(called, cst.Call) else called
                if isinstance(called, cst.Name) and self.original(called) in ("action", "consumer"):
                    params = {param.name.value for param in node.params.params}
            self.event_params.append(params)

        def inline_appstate(self, decorator: cst.BaseExpression) -> None:
            """``@action(appstate=lambda: ...)``: its own state now, where 1.5 shared one per namespace."""
            if not isinstance(decorator, cst.Call):
                return
            if self.original(decorator.func) not in ("liveview", "action", "consumer"):
                return
            for arg in decorator.args:
                keyword = arg.keyword.value if arg.keyword is not None else None
                if keyword == "appstate" and not isinstance(arg.value, (cst.Name, cst.Attribute)):
                    self.check(
                        arg,
                        "appstate= given inline: 1.5 shared one state between the views of a URL namespace, "
                        "ours between the views given the same factory, so this view has a state of its own; "
                        "if its liveview and actions (base_view=) should share it, define the factory once "
                        "(def make_state(): ...) and give it to each",
                        "app-state",
                    )

        def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
            self.event_params.pop()
            return updated_node

        def leave_Comparison(self, original_node: cst.Comparison, updated_node: cst.Comparison) -> cst.BaseExpression:
            params = self.event_params[-1] if self.event_params else set()
            left = original_node.left
            for target in original_node.comparisons:
                right = target.comparator
                if isinstance(target.operator, (cst.Is, cst.IsNot, cst.Equal, cst.NotEqual)):
                    for value, other in ((left, right), (right, left)):  # `x is None` and `None is x`
                        if (
                            isinstance(value, cst.Name)
                            and value.value in params
                            and isinstance(other, cst.Name)
                            and other.value == "None"
                        ):
                            self.check(
                                original_node,
                                f'{value.value} compared with None: an empty input arrives as "" now (1.5: None); '
                                f"test `not {value.value}`",
                                "reading-input-values",
                            )
                left = right  # a < b is None: each comparison is between neighbours
            return updated_node

        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            self.not_names.add(id(node.name))

        def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
            return False  # Handled whole in leave_SimpleStatementLine.

        def visit_Import(self, node: cst.Import) -> bool:
            return False

        # Imports

        def leave_SimpleStatementLine(
            self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
        ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
            body: list[tuple[cst.BaseSmallStatement, str | None]] = []  # statements, and a comment for each line
            for statement in updated_node.body:
                if isinstance(statement, cst.ImportFrom):
                    body.extend(self.import_from(statement, original_node))
                else:
                    if isinstance(statement, cst.Import):
                        self.plain_import(statement, original_node)
                    body.append((statement, None))
            if len(body) == len(updated_node.body):
                return updated_node.with_changes(body=[statement for statement, _ in body])
            if not body:
                return cst.RemoveFromParent()
            (first, comment), *rest = body
            lines = [self.with_comment(updated_node.with_changes(body=[first]), comment)]
            lines.extend(
                self.with_comment(cst.SimpleStatementLine(body=[statement]), comment) for statement, comment in rest
            )
            return cst.FlattenSentinel(lines)

        @staticmethod
        def with_comment(line: cst.SimpleStatementLine, comment: str | None) -> cst.SimpleStatementLine:
            if comment is None:
                return line
            trailing = line.trailing_whitespace
            if trailing.comment is not None:
                comment = f"{comment}  {trailing.comment.value}"
            return line.with_changes(
                trailing_whitespace=trailing.with_changes(
                    whitespace=cst.SimpleWhitespace("  "), comment=cst.Comment(comment)
                )
            )

        def plain_import(self, statement: cst.Import, where: cst.CSTNode) -> None:
            for alias in statement.names:
                module = get_full_name_for_node(alias.name) or ""
                if module == "hypergen.hypergen" or module.startswith("hypergen.hypergen."):
                    message = "hypergen.hypergen is gone: see where each of its names went"
                    self.check(where, message, "imports-and-names")
                for prefix, (message, section) in GONE_MODULES.items():
                    if module == prefix or module.startswith(prefix + "."):
                        self.check(where, message, section)

        def import_from(self, statement: cst.ImportFrom, where: cst.CSTNode) -> list[tuple[cst.ImportFrom, str | None]]:
            """The statements ``statement`` becomes, each with a comment for its line (or None)."""
            if statement.relative or statement.module is None:
                return [(statement, None)]
            module = get_full_name_for_node(statement.module) or ""
            if module.split(".")[0] != "hypergen":
                return [(statement, None)]
            for prefix, (message, section) in GONE_MODULES.items():
                if module == prefix or module.startswith(prefix + "."):
                    self.check(where, message, section)  # `from hypergen.core import *` too.
                    return [(statement, None)]
            if isinstance(statement.names, cst.ImportStar):
                if module == "hypergen.hypergen":
                    message = (
                        "hypergen.hypergen is gone: see where each of its names went; "
                        "from hypergen.imports import * gives the public ones"
                    )
                    self.check(where, message, "imports-and-names")
                return [(statement, None)]
            names = list(statement.names)  # each name as it will be imported, in its place
            keep: list[int] = []
            moved: dict[str, list[int]] = {}
            for index, alias in enumerate(statement.names):
                name = get_full_name_for_node(alias.name) or ""
                if name in RENAMED and module in ("hypergen.websocket", "hypergen.imports"):
                    new_module, new_name = RENAMED[name]
                    new_alias = alias.with_changes(name=cst.Name(new_name))
                    local, why = self.import_locals.get((id(statement), name), (new_name, ""))
                    message = f"{module}.{name} is now {new_module}.{new_name}"
                    if alias.asname is None and local != new_name:
                        new_alias = new_alias.with_changes(asname=cst.AsName(name=cst.Name(local)))
                        message += f", imported as {local}: {why}"
                    names[index] = new_alias
                    moved.setdefault(new_module, []).append(index)
                    self.changed(where, message, "websockets")
                elif (module, name) in MOVED:
                    new_module = MOVED[(module, name)]
                    moved.setdefault(new_module, []).append(index)
                    section = "websockets" if name == "group_send" else "imports-and-names"
                    self.changed(where, f"{module}.{name} is now {new_module}.{name}", section)
                    if new_module == "hypergen.compat":
                        self.check(where, f"{name} keeps working from hypergen.compat, with a warning", section)
                else:
                    if name in GONE:
                        self.check(where, *GONE[name])
                    elif module == "hypergen.hypergen":
                        self.check(where, f"hypergen.hypergen.{name} is gone", "imports-and-names")
                    keep.append(index)
            if not moved:
                return [(statement, None)]
            groups = [(module, keep)] if keep else []
            groups.extend(moved.items())
            return [
                self.import_group(statement, names, new_module, group, first=number == 0)
                for number, (new_module, group) in enumerate(groups)
            ]

        @staticmethod
        def import_group(
            statement: cst.ImportFrom, names: list[cst.ImportAlias], module: str, group: list[int], first: bool
        ) -> tuple[cst.ImportFrom, str | None]:
            """``from module import`` the names at the indices ``group`` of ``statement``, keeping their comments.

            A comment right after the opening parenthesis is about the whole import: the ``first`` statement
            keeps it."""
            aliases = without(names, set(range(len(names))) - set(group))
            new = statement.with_changes(module=cst.parse_expression(module))
            lead = statement.lpar.whitespace_after if statement.lpar else None
            if not isinstance(lead, cst.ParenthesizedWhitespace):
                lead = None
            if len(aliases) == 1:
                # One name: no parentheses, and the comments end the line.
                comments = [lead.first_line.comment.value] if first and lead and lead.first_line.comment else []
                if own_comment(aliases[0].comma):
                    comments.append(aliases[0].comma.whitespace_after.first_line.comment.value)
                alias = aliases[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                return new.with_changes(names=[alias], lpar=None, rpar=None), "  ".join(comments) or None
            if statement.lpar is None:
                aliases[-1] = aliases[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                return new.with_changes(names=aliases), None
            layout = lead
            if group[0] > 0:  # Its first name was not the first: it takes the layout of the line it was on.
                before = names[group[0] - 1].comma
                if isinstance(before, cst.Comma) and isinstance(before.whitespace_after, cst.ParenthesizedWhitespace):
                    layout = before.whitespace_after
            if layout is None:
                return new.with_changes(names=aliases), None
            opening = lead.first_line if first and lead else cst.TrailingWhitespace()
            lpar = statement.lpar.with_changes(whitespace_after=layout.with_changes(first_line=opening))
            return new.with_changes(names=aliases, lpar=lpar), None

        # Names

        def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
            if id(original_node) in self.not_names:
                return updated_node
            local = original_node.value
            if id(original_node) in self.rename_nodes:
                return updated_node.with_changes(value=self.rename_nodes[id(original_node)])
            if not self.names.star or local in self.names.imported or self.shadowed(original_node):
                return updated_node
            if local in RENAMED:
                new_module, new_name = RENAMED[local]
                new_local = self.star_locals.setdefault(local, self.renamed_local(local))
                self.add_import(new_module, new_name, new_local)
                message = f"{local} is now {new_module}.{new_name}"
                if new_local != new_name:
                    message += f", imported as {new_local}: {self.why_renamed_local(local, new_local)}"
                self.changed(original_node, message, "websockets")
                return updated_node.with_changes(value=new_local)
            if local == "time" and self.names.star_modules & {"hypergen.imports", "hypergen.template"}:
                self.add_import(None, "time")
                message = "1.5's star import gave the time module (by mistake); ours does not: imported time"
                self.changed(original_node, message, "imports-and-names")
            if local in STAR_MOVED:
                new_module = STAR_MOVED[local]
                self.add_import(new_module, local)
                self.changed(original_node, f"imported {local} from {new_module}", "imports-and-names")
                if new_module == "hypergen.compat":
                    message = f"{local} keeps working from hypergen.compat, with a warning"
                    self.check(original_node, message, "websockets" if local == "group_send" else "imports-and-names")
            elif local in GONE:
                self.check(original_node, *GONE[local])
            return updated_node

        # Calls

        def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
            func = original_node.func
            name = self.original(func)
            keywords = {arg.keyword.value: arg for arg in original_node.args if arg.keyword is not None}
            if name is None:
                return updated_node
            for keyword in ("js_value_func", "js_coerce_func"):
                if keyword in keywords:
                    self.check(
                        original_node,
                        f"{keyword}= is gone: inputs are read by their type; coerce_to= still works",
                        "reading-input-values",
                    )
            if "autofocus" in keywords and name != "hypergen":
                self.check(
                    original_node,
                    "autofocus works on page loads only; after an action's morph focus the element with js.focus(id)",
                    "autofocus",
                )
            if name == "link":
                return self.link(original_node, updated_node)
            if name == "callback":
                if "blocks" not in keywords and not any(arg.star == "**" for arg in original_node.args):
                    self.callbacks_without_blocks += 1
                return self.callback(original_node, updated_node, keywords)
            if name in ("command", "call_js"):
                if original_node.args and isinstance(original_node.args[0].value, cst.SimpleString):
                    problem = _command_problem(original_node.args[0].value.evaluated_value)
                    if problem:
                        self.check(original_node, problem, "client-commands")
                for keyword in ("prepend", "return_"):
                    if keyword in keywords:
                        self.check(original_node, f"command({keyword}=...) is gone", "client-commands")
            if name in ("liveview", "action") and "user_plugins" in keywords:
                self.check(original_node, "user_plugins= is gone", "plugins")
            if name == "loads" and "integer_keys" in keywords and not _compat_accepts("loads", "integer_keys"):
                self.check(
                    original_node,
                    "loads(integer_keys=...): 1.5 turned keys made of digits into ints; hypergen.compat.loads "
                    "takes no integer_keys=: convert them after loading ({int(k) if k.isdigit() else k: v ...})",
                    "imports-and-names",
                )
            if name == "hypergen" and "settings" in keywords:
                self.check(original_node, "hypergen(..., settings=...) is gone", "template-helpers")
            if name == "a" and "class_active" in keywords:
                self.check(original_node, "a(class_active=...) is gone: set class_ yourself", "template-helpers")
            return updated_node

        def link(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
            args = list(updated_node.args)
            positional = [arg for arg in args if arg.keyword is None and not arg.star]
            if len(positional) > 2:
                return updated_node
            rest = [arg for arg in args if arg not in positional]
            keywords = {arg.keyword.value for arg in rest if arg.keyword is not None}
            if "rel" in keywords and not positional:
                return updated_node
            if keywords.intersection(("href", "rel")[: len(positional)]):
                return updated_node  # link(x, href=y): a TypeError in 1.5 too; naming x would hide it.
            if any(arg.star for arg in rest):
                message = 'link(*/**...): 1.5 made every <link> a stylesheet; add rel="stylesheet" where it is one'
                self.check(original_node, message, "link")
                return updated_node
            tight = cst.AssignEqual(
                whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
            )
            new_args = [
                arg.with_changes(keyword=cst.Name(keyword), equal=tight)
                for keyword, arg in zip(("href", "rel"), positional, strict=False)
            ]
            new_args.extend(rest)
            if "rel" not in keywords and len(positional) < 2:
                rel = cst.Arg(value=cst.SimpleString('"stylesheet"'), keyword=cst.Name("rel"), equal=tight)
                new_args = append_arg(updated_node, new_args, rel)
            message = 'link(): 1.5 made every <link> a stylesheet; now rel="stylesheet" says so'
            self.changed(original_node, message, "link")
            return updated_node.with_changes(args=new_args)

        def callback(self, original_node: cst.Call, updated_node: cst.Call, keywords: dict) -> cst.Call:
            rename_confirm = "confirm_" in keywords and "confirm" not in keywords
            if "confirm_" in keywords and not rename_confirm:
                message = "callback() has both confirm_= and confirm=: keep one, confirm= (1.5 read confirm_=)"
                self.check(original_node, message, "callbacks")
            args = []
            drop = set()
            for index, arg in enumerate(updated_node.args):
                keyword = arg.keyword.value if arg.keyword is not None else None
                if keyword == "confirm_" and rename_confirm:
                    arg = arg.with_changes(keyword=cst.Name("confirm"))
                    self.changed(original_node, "callback(confirm_=...) is now confirm=", "callbacks")
                elif keyword == "each_url_blocks":
                    self.changed(original_node, "callback(each_url_blocks=...) removed", "callbacks")
                    message = "each_url_blocks= is gone: blocks=True blocks every callback"
                    self.check(original_node, message, "callbacks")
                    drop.add(index)
                args.append(arg)
            if not drop and not rename_confirm:
                return updated_node
            return updated_node.with_changes(args=without(args, drop))

        # context.appstate, context.hypergen

        def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
            module = self.module_of(original_node.value)
            if module is not None:
                self.module_attribute(original_node, module)
            if self.is_context(original_node.value):
                if original_node.attr.value == "appstate":
                    self.changed(original_node, "context.appstate is now context.hypergen.appstate", "app-state")
                    return updated_node.with_changes(
                        value=cst.Attribute(value=updated_node.value, attr=cst.Name("hypergen"))
                    )
            elif (
                isinstance(original_node.value, cst.Attribute)
                and self.is_context(original_node.value.value)
                and original_node.value.attr.value == "hypergen"
                and original_node.attr.value in GONE_RENDER_STATE
            ):
                self.check(original_node, GONE_RENDER_STATE[original_node.attr.value], "context")
            elif (
                isinstance(original_node.value, cst.Attribute)
                and self.is_context(original_node.value.value)
                and original_node.value.attr.value == "hypergen"
                and original_node.attr.value in ("set", "get", "update", "remove", "discard")
            ):
                self.check(
                    original_node,
                    f"context.hypergen.{original_node.attr.value}(): context.hypergen is no longer a map; "
                    "set attributes on it, or use `with context(name=value):`",
                    "context",
                )
            return updated_node

        def module_attribute(self, node: cst.Attribute, module: str) -> None:
            """``lv.dumps``: a name that moved or went, read through its 1.5 module, is reported (not rewritten:
            the module may still be needed for its other names)."""
            name = node.attr.value
            if name in RENAMED:
                new_module, new_name = RENAMED[name]
                self.check(node, f"{module}.{name} is now {new_module}.{new_name}: import it from there", "websockets")
            elif (module, name) in MOVED or (module == "hypergen.imports" and name in STAR_MOVED):
                new_module = MOVED.get((module, name)) or STAR_MOVED[name]
                section = "websockets" if name == "group_send" else "imports-and-names"
                self.check(node, f"{module}.{name} is now {new_module}.{name}: import it from there", section)
            elif name in GONE:
                self.check(node, *GONE[name])

        def leave_Subscript(self, original_node: cst.Subscript, updated_node: cst.Subscript) -> cst.BaseExpression:
            value = original_node.value
            if isinstance(value, cst.Attribute) and self.is_context(value.value) and value.attr.value == "hypergen":
                self.check(original_node, "context.hypergen[...]: read attributes: context.hypergen.name", "context")
            return updated_node

        # Strings and returned commands

        def leave_SimpleString(
            self, original_node: cst.SimpleString, updated_node: cst.SimpleString
        ) -> cst.BaseExpression:
            try:
                value = original_node.evaluated_value
            except Exception:
                return updated_node
            if not isinstance(value, str):
                return updated_node
            if id(original_node) in self.all_strings:
                return self.exported(original_node, updated_node, value)
            if value in STRINGS:
                self.changed(original_node, f"{value!r} is now {STRINGS[value]!r}", "settings")
                quote = original_node.quote
                return updated_node.with_changes(value=f"{original_node.prefix}{quote}{STRINGS[value]}{quote}")
            for message, section in _check_text(value):
                self.check(original_node, message, section)
            return updated_node

        def leave_Return(self, original_node: cst.Return, updated_node: cst.Return) -> cst.Return:
            value = original_node.value
            if isinstance(value, cst.List):
                for element in value.elements:
                    item = element.value
                    if isinstance(item, (cst.List, cst.Tuple)) and item.elements:
                        first = item.elements[0].value
                        if isinstance(first, cst.SimpleString) and isinstance(first.evaluated_value, str):
                            problem = _command_problem(first.evaluated_value)
                            if problem:
                                self.check(original_node, problem, "client-commands")
            return updated_node

    return cst, Upgrade


# Running it ---------------------------------------------------------------------------------------


def upgrade_source(source: str, path: str = "<source>") -> Upgraded:
    """Upgrade one module's source; raises ImportError (with the pip command) when libcst is missing."""
    try:
        cst, Upgrade = _transformer_class()
    except ImportError as error:
        raise ImportError(INSTALL_HINT) from error
    result = Upgraded(path=path, source=source, code=source)
    if "hypergen" not in source:
        return result
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        message = f"not upgraded: it does not parse ({error.message}); fix it and run the codemod again"
        result.notes.append(Note(path, error.raw_line, "error", message))
        return result
    transformer = Upgrade(path)
    try:
        result.code = transformer.upgrade(module).code
    except RecursionError:  # libcst walks the tree recursively: a generated 5000-term expression is too deep.
        message = (
            "not upgraded: it nests too deeply for libcst (a generated file?); upgrade it by hand if it uses hypergen"
        )
        result.notes = [Note(path, 1, "error", message)]
        return result
    result.notes = sorted(set(transformer.notes), key=lambda note: (note.line, note.kind, note.message))
    result.callbacks_without_blocks = transformer.callbacks_without_blocks
    return result


def _check_script(text: str, path: str) -> Upgraded:
    result = Upgraded(path=path, source=text, code=text)
    for number, line in enumerate(text.splitlines(), 1):
        for message, section in _check_text(line):
            result.notes.append(Note(path, number, "check", message, section))
    return result


def upgrade_file(path: Path, write: bool = True) -> Upgraded:
    """Upgrade one file (rewritten in place when ``write`` and something changed).

    A Python file is read and written in the encoding its coding line declares (PEP 263; UTF-8 without
    one, a byte order mark kept). A file that cannot be read, or is not in that encoding, is left alone
    with an ``error`` note. Line endings are kept as they are (``\r\n`` stays ``\r\n``).
    """

    def error(message: str) -> Upgraded:
        return Upgraded(str(path), "", "", [Note(str(path), 1, "error", f"not upgraded: {message}")])

    try:
        data = path.read_bytes()
    except OSError as problem:
        return error(f"cannot read it ({problem.strerror or problem})")
    if path.suffix in SCRIPT_SUFFIXES:
        # JavaScript and HTML are only read, for the checks: a byte that is not UTF-8 in a vendored script
        # is no reason to skip it.
        return _check_script(data.decode("utf-8", errors="replace"), str(path))
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)  # "utf-8-sig" with a BOM
    except SyntaxError as problem:
        return error(f"its coding declaration cannot be used ({problem.msg}); fix it first")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as problem:
        if codecs.lookup(encoding).name in ("utf-8", "utf-8-sig"):
            return error(f"it is not UTF-8 (byte {problem.start}); convert it to UTF-8 first")
        return error(f"it is not {encoding}, as its coding line says (byte {problem.start}); fix the file or the line")
    result = upgrade_source(text, str(path))
    if write and result.changed:
        try:
            new = result.code.encode(encoding)
        except UnicodeEncodeError:
            return error(f"the upgraded code cannot be written in {encoding}; convert the file to UTF-8 first")
        path.write_bytes(new)
    return result


def _files(paths: Iterable[Path], skipped: list[Path] | None = None) -> Iterable[Path]:
    """The files to upgrade: each file named, and the Python, JavaScript and HTML files in each directory.

    Symbolic links inside a directory are not followed (pathlib does not walk into linked directories
    either): a link to a file elsewhere would be rewritten outside the project, and one to a file inside
    it would be read twice. Each file is visited once. The folders of SKIP_DIRS inside a directory are
    not walked; those a project could name so (build, env) are added to ``skipped``.
    """
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            children = []
            for folder, subfolders, names in os.walk(path):  # Does not follow linked directories.
                for name in [name for name in subfolders if name in SKIP_DIRS]:
                    subfolders.remove(name)
                    if skipped is not None and name not in QUIET_SKIP_DIRS:
                        skipped.append(Path(folder, name))
                for name in names:
                    child = Path(folder, name)
                    wanted = child.suffix == ".py" or child.suffix in SCRIPT_SUFFIXES
                    if wanted and not child.is_symlink() and child.is_file():
                        children.append(child)
            children.sort()
        else:
            children = [path]
        for child in children:
            if child.resolve() not in seen:
                seen.add(child.resolve())
                yield child


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: 0 when done; 1 when a file could not be upgraded, or with --check while
    something is left to rewrite; 2 for a usage error or a missing libcst."""
    parser = argparse.ArgumentParser(
        prog="python -m hypergen.upgrade",
        description="Port a django-hypergen 1.5 project to Hypergen: rewrite the mechanical renames in place and "
        f"list what needs a person ({DOC}).",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="a file or a directory")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--diff", action="store_true", help="print the changes as a diff; write nothing")
    what.add_argument("--check", action="store_true", help="only report; exit 1 if anything would be rewritten")
    options = parser.parse_args(argv)
    try:
        _transformer_class()
    except ImportError:
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    missing = [str(path) for path in options.paths if not path.exists()]
    if missing:
        parser.error(f"no such file or directory: {', '.join(missing)}")
    write = not (options.diff or options.check)
    changed_files = checks = errors = unblocked = unblocked_files = 0
    skipped: list[Path] = []
    for path in _files(options.paths, skipped):
        result = upgrade_file(path, write=write)
        if options.diff and result.changed:
            sys.stdout.write(result.diff())
        for note in result.notes:
            print(note)
        changed_files += result.changed
        checks += sum(note.kind == "check" for note in result.notes)
        errors += any(note.kind == "error" for note in result.notes)
        unblocked += result.callbacks_without_blocks
        unblocked_files += result.callbacks_without_blocks > 0
    if unblocked:
        # One line, not one per call: most callbacks are fine as they are, and the reader decides which are not.
        print(
            f"hypergen.upgrade: note: {unblocked} callback(s) in {unblocked_files} file(s) have no blocks=: 1.5 "
            "ignored a second event to the same URL while the first was answered, ours sends both (a double-click "
            "on an add button adds twice); give blocks=True to callbacks of actions that must not run twice "
            f"({DOC}#callbacks)."
        )
    if skipped:
        names = ", ".join(map(str, sorted(skipped)))
        print(
            f"hypergen.upgrade: skipped {len(skipped)} folder(s) named like a virtualenv, dependencies or build "
            f"output: {names}; name one as PATH to upgrade it."
        )
    verb = "rewrote" if write else "would rewrite"
    failed = f"; {errors} file(s) not upgraded" if errors else ""
    print(f"hypergen.upgrade: {verb} {changed_files} file(s); {checks} place(s) to check by hand{failed} ({DOC}).")
    return 1 if errors or (options.check and changed_files) else 0


if __name__ == "__main__":
    sys.exit(main())
