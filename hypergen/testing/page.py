"""A test page: one browser tab's document, its events, its sockets. See docs/testing.md."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from selectolax.lexbor import LexborNode

from hypergen.testing import dom
from hypergen.testing.assertions import Assertions
from hypergen.testing.commands import COMMANDS, decode, is_custom_command, run_command, run_commands
from hypergen.testing.dom import Element
from hypergen.testing.errors import ActionError, ElementNotFound, HandlerError, HypergenTestError, PageError
from hypergen.testing.events import CallbackHandler, Event, parse_handler, passes_filter
from hypergen.testing.sockets import CLOSE_MEANINGS, SocketClosed, TestSocket
from hypergen.testing.values import ArgumentReader, clear_value

if TYPE_CHECKING:
    from hypergen.testing.client import Client

_UNSET: Any = object()
_FOCUSABLE = {"a", "button", "input", "select", "textarea"}
_FINAL_CLOSE_CODES = (4403, 4404, 4429)
_ENVELOPE_BYTES = 64  # What the client adds to an event's payload on a socket (its id and sid).


class Page(Assertions):
    """A page loaded by ``Client.get()``: find elements, fire their events, watch the commands run.

    What the browser client would show or log is recorded: ``errors`` (its error overlay),
    ``console`` (its logged problems, ``(code, message)``), ``redirected_to``, ``reload_requested``,
    ``focused``, ``scrolled_to``, ``client_state`` and ``dialogs`` (confirm() questions asked).
    ``custom_commands`` holds the commands for the page's own script (``[name, *args]``; the test
    client runs no JavaScript) and ``dispatched`` the ``js.dispatch()`` events (``(id, name, detail)``).
    """

    def __init__(self, client: Client, url: str, response: HttpResponse) -> None:
        self.client = client
        self._sockets: dict[str, TestSocket] = {}
        self._load(url, response)

    # Loading -----------------------------------------------------------------------------------

    def _load(self, url: str, response: HttpResponse) -> None:
        self.url = url
        self.response = response
        self.errors: list[PageError] = []
        self.console: list[tuple[str, str]] = []
        self.redirected_to: str | None = None
        self.reload_requested = False
        self.focused: str | None = None
        self.scrolled_to: str | None = None
        self.client_state: dict = {}
        self.dialogs: list[str] = []
        self.custom_commands: list[list] = []
        self.dispatched: list[tuple[str, str, Any]] = []
        self._closed_for_good: set[str] = set()
        self._files: dict[str, list[tuple[str, bytes]]] = {}
        self._typed: dict[str, str] = {}  # id -> its markup before the user changed its value
        self._document = dom.parse(response.content.decode(response.charset or "utf-8"))
        self.config = self._read_config()
        run_commands(self, decode(self.config.get("commands", [])))

    def _read_config(self) -> dict:
        script = dom.by_id(self._document, "hypergen-config")
        return json.loads(script.text()) if script is not None else {}

    def goto(self, url: str) -> Page:
        """Load another URL in this tab (closing its sockets), as following a link does."""
        self._close_sockets()
        url = urljoin(self.url, url)
        response = self.client._load(url)
        self._load(response.final_url, response)
        return self

    def close(self) -> None:
        """Close the page's sockets (the page can still be read)."""
        self._close_sockets()
        self.client._forget(self)

    def __enter__(self) -> Page:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Page {self.url}>"

    # Reading -----------------------------------------------------------------------------------

    @property
    def html(self) -> str:
        """The whole document as it is now."""
        return self._document.html or ""

    @property
    def title(self) -> str:
        return dom.title_of(self._document)

    @property
    def sockets(self) -> dict[str, int | None]:
        """The page's sockets: URL -> None while open, else the code they were closed with."""
        return {url: socket.close_code for url, socket in self._sockets.items()}

    def find(self, selector: str) -> Element:
        """The first element matching the CSS ``selector``; ElementNotFound if none does."""
        nodes = self._select(selector)
        if not nodes:
            raise ElementNotFound(f"No element matches {selector!r}.{self._hint(selector)}")
        return dom.snapshot(nodes[0])

    def find_all(self, selector: str) -> list[Element]:
        """Every element matching ``selector``, in document order (maybe none)."""
        return [dom.snapshot(node) for node in self._select(selector)]

    def exists(self, selector: str) -> bool:
        return bool(self._select(selector))

    def text(self, selector: str) -> str:
        """The text of the first element matching ``selector``, whitespace collapsed."""
        return self.find(selector).text

    def _select(self, selector: str) -> list[LexborNode]:
        return dom.select_all(self._document, selector)

    def _node_by_id(self, element_id: str) -> LexborNode | None:
        node = dom.by_id(self._document, element_id)
        if node is None:
            self._log("dom.missing-id", f'no element has the id "{element_id}"')
        return node

    def _one(self, target: str | Element, action: str) -> LexborNode:
        selector = _selector_of(target, action)
        nodes = self._select(selector)
        if len(nodes) != 1:
            found = "no element matches it" if not nodes else f"{len(nodes)} elements match it"
            raise ElementNotFound(f"page.{action}({selector!r}): {found}; name exactly one.{self._hint(selector)}")
        return nodes[0]

    def _hint(self, selector: str) -> str:
        ids = [node.attrs.get("id") for node in self._select("[id]")]
        ids = [i for i in ids if i and i != "hypergen-config"]
        shown = ", ".join(f"#{i}" for i in ids[:30]) + (", ..." if len(ids) > 30 else "")
        return f" The page ({self.url}) has the ids: {shown or 'none'}."

    def _log(self, code: str, message: str) -> None:
        self.console.append((code, message))

    # Firing events -----------------------------------------------------------------------------

    def click(self, target: str | Element, *, confirm: bool = True) -> Page:
        """Click the element: toggles a checkbox, checks a radio, runs ``onclick`` handlers (bubbling),
        follows a link. ``confirm`` answers ``callback(confirm=...)``'s question."""
        node = self._one(target, "click")
        self._check_enabled(node, "click")
        self.receive(timeout=0)
        node = self._one(target, "click")  # Found again: what was received may have replaced it.
        self.focused = node.attrs.get("id") if node.tag in _FOCUSABLE else None
        kind = dom.input_type(node)
        changed = kind in ("checkbox", "radio") and not (kind == "radio" and dom.is_checked(node))
        if changed:
            self._remember_typed(node)
            dom.set_checked(node, not dom.is_checked(node) if kind == "checkbox" else True, self._document)
        link = _closest(node, "a")
        href = link.attrs.get("href") if link is not None else None
        shown, path = dom.shorten(dom.outer_html(node), 160), dom.path_of(node)
        handled = self._dispatch(path, Event("click"), confirm)
        if changed:
            handled += self._dispatch(path, Event("input"), confirm)
            handled += self._dispatch(path, Event("change"), confirm)
        if href and not href.startswith(("#", "javascript:")):
            return self.goto(href)
        if not handled and not changed:
            raise HandlerError(
                f"page.click({_selector_of(target, 'click')!r}): nothing handles a click on {shown}: no onclick "
                "on it or its ancestors, and it is no link."
            )
        return self

    def fill(self, target: str | Element, text: str) -> Page:
        """Type ``text`` into a field (replacing its value): runs ``oninput`` and ``onkeyup`` handlers."""
        node = self._one(target, "fill")
        self._check_enabled(node, "fill")
        if not (node.tag in ("input", "textarea") or dom.is_content_editable(node)):
            raise HandlerError(f"page.fill(): {dom.shorten(dom.outer_html(node), 160)} is not a text field.")
        if dom.input_type(node) in ("checkbox", "radio", "file", "button", "submit"):
            raise HandlerError(f"page.fill(): use page.click() or page.change() for a {dom.input_type(node)}.")
        self.receive(timeout=0)
        node = self._one(target, "fill")
        self.focused = node.attrs.get("id")
        self._remember_typed(node)
        if node.tag in ("input", "textarea"):
            dom.set_value(node, text)
        else:
            dom.set_text(node, text)
        path = dom.path_of(node)
        self._dispatch(path, Event("input"), True)
        self._dispatch(path, Event("keyup", text[-1:] or None), True)
        return self

    def change(self, target: str | Element, value: Any = _UNSET) -> Page:
        """Set a field's value, then run its ``onchange`` handlers (as leaving an edited field does).

        ``value``: text for inputs and textareas, True/False for a checkbox or radio, an option's value
        (a list of them for ``multiple``) for a select; leave it out to keep the current value.
        """
        node = self._one(target, "change")
        self._check_enabled(node, "change")
        self.receive(timeout=0)
        node = self._one(target, "change")
        if value is not _UNSET:
            self._remember_typed(node)
            _set_field(node, value, self._document)
        path = dom.path_of(node)
        self._dispatch(path, Event("input"), True)
        self._dispatch(path, Event("change"), True)
        return self

    def press(self, target: str | Element, key: str) -> Page:
        """Press a key in the element (``"Enter"``, ``"a"``): runs ``onkeydown`` then ``onkeyup`` handlers."""
        node = self._one(target, "press")
        self._check_enabled(node, "press")
        self.receive(timeout=0)
        node = self._one(target, "press")
        self.focused = node.attrs.get("id")
        path = dom.path_of(node)
        self._dispatch(path, Event("keydown", key), True)
        self._dispatch(path, Event("keyup", key), True)
        return self

    def submit(self, target: str | Element) -> Page:
        """Submit a form (or the form of the element given): runs its ``onsubmit`` handlers."""
        node = self._one(target, "submit")
        form = node if node.tag == "form" else dom.form_of(node)
        if form is None:
            raise HandlerError(f"page.submit(): {dom.shorten(dom.outer_html(node), 160)} is not in a <form>.")
        shown, path = dom.shorten(dom.outer_html(form), 160), dom.path_of(form)
        self.receive(timeout=0)
        if not self._dispatch(path, Event("submit"), True):
            raise HandlerError(f"page.submit(): nothing handles the submit of {shown}.")
        return self

    def fire(self, target: str | Element, event: str, key: str | None = None) -> Page:
        """Fire any event (``"mouseover"``, ``"blur"``, ...) on the element; its handlers must exist."""
        self.receive(timeout=0)
        node = self._one(target, "fire")
        shown = dom.shorten(dom.outer_html(node), 160)
        if not self._dispatch(dom.path_of(node), Event(event, key), True):
            raise HandlerError(f"page.fire(): nothing handles {event!r} on {shown}.")
        return self

    def set_files(self, target: str | Element, *files: tuple[str, bytes]) -> Page:
        """Choose files in an ``<input type=file>``: ``("notes.txt", b"...")`` each; runs ``onchange``."""
        node = self._one(target, "set_files")
        if dom.input_type(node) != "file":
            raise HandlerError(f"page.set_files(): {dom.shorten(dom.outer_html(node), 160)} is not a file input.")
        self._files[node.attrs.get("id") or ""] = [(name, bytes(content)) for name, content in files]
        self._dispatch(dom.path_of(node), Event("change"), True)
        return self

    def _check_enabled(self, node: LexborNode, action: str) -> None:
        if "disabled" in node.attrs and node.tag in ("button", "input", "select", "textarea", "option", "fieldset"):
            raise HandlerError(f"page.{action}(): {dom.shorten(dom.outer_html(node), 160)} is disabled.")

    def _dispatch(self, path: list[int], event: Event, confirm: bool) -> int:
        """Run the ``on<event>`` handlers of the element at ``path`` and its ancestors (bubbling).

        Returns how many ran. Each handler's element is found again before it runs: the commands
        of the one before may have replaced it (then it runs only if the new one has the same handler).
        """
        attribute = f"on{event.type}"
        handlers = []
        current = dom.node_at(self._document, path)
        while dom.is_element(current):
            code = current.attrs.get(attribute)
            if code:
                handlers.append((dom.path_of(current), code, parse_handler(attribute, code)))
            current = current.parent
        ran = 0
        for element_path, code, handler in handlers:
            element = dom.node_at(self._document, element_path)
            if element is not None and element.attrs.get(attribute) == code:
                self._run_handler(element, handler, event, confirm)
                ran += 1
        return ran

    def _run_handler(self, element: LexborNode, handler: Any, event: Event, confirm: bool) -> None:
        if not isinstance(handler, CallbackHandler):
            if handler.name not in COMMANDS and not is_custom_command(handler.name):
                raise HandlerError(f'call_js("{handler.name}"): the client has no such command.')
            reader = self._reader(element)
            run_command(self, [handler.name, *reader.read(handler.args)])
            return
        options = handler.options
        if not passes_filter(options.get("when"), event):
            return
        if options.get("confirm"):
            self.dialogs.append("Are you sure?" if options["confirm"] is True else str(options["confirm"]))
            if not confirm:
                return
        reader = self._reader(element)
        parts = urlsplit(self.url)
        page = parts.path + (f"?{parts.query}" if parts.query else "")
        payload = {"args": reader.read(handler.args), "meta": options.get("meta") or {}, "page": page}
        if options.get("clear"):
            for ref in reader.refs:
                clear_value(ref)
        if handler.url.startswith(("ws://", "wss://")):
            self._send_over_socket(handler.url, payload, options)
        else:
            self._post(handler.url, payload, reader.refs, options)

    def _reader(self, element: LexborNode) -> ArgumentReader:
        def missing(element_id: str) -> None:
            self._log("dom.missing-id", f'the callback reads the element "{element_id}", which is not in the page')

        return ArgumentReader(self._document, element, self._files_of, missing)

    def _files_of(self, node: LexborNode) -> list[tuple[str, bytes]]:
        return self._files.get(node.attrs.get("id") or "", [])

    # Over HTTP ---------------------------------------------------------------------------------

    def _post(self, url: str, payload: dict, refs: list[LexborNode], options: dict) -> None:
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        headers = {"X-CSRFToken": self._csrf_token(), "Accept": "application/json, text/html;q=0.5"}
        headers.update(options.get("headers") or {})
        files = self._uploads(refs) if options.get("uploadFiles") else []
        django = self.client.django
        url = urljoin(self.url, url)
        if files:
            data: dict[str, Any] = {"hypergen_data": body}
            for name, upload in files:
                data.setdefault(name, []).append(upload)
            response = django.post(url, data, headers=headers)
        else:
            response = django.post(url, body, content_type="application/json", headers=headers)
        if 200 <= response.status_code < 300:
            try:
                commands = decode(json.loads(response.content))
            except ValueError:
                return self._fail(url, PageError("server.malformed", "The server's answer could not be read."))
            run_commands(self, commands)
            return None
        self._fail(url, _http_failure(response))

    def _csrf_token(self) -> str:
        cookie = self.client.django.cookies.get("csrftoken")
        return self.config.get("csrfToken") or (cookie.value if cookie is not None else "")

    def _uploads(self, refs: list[LexborNode]) -> list[tuple[str, SimpleUploadedFile]]:
        uploads = []
        for node in refs:
            if dom.input_type(node) == "file":
                field = node.attrs.get("id") or node.attrs.get("name") or "file"
                uploads += [(field, SimpleUploadedFile(name, content)) for name, content in self._files_of(node)]
        return uploads

    def _fail(self, url: str, error: PageError) -> None:
        """Record an error the browser would show; raise it if the client raises errors."""
        self.errors.append(error)
        if self.client.raise_errors:
            raise ActionError(f"{url}: {error}", error)

    # Over websockets ---------------------------------------------------------------------------

    def _open_socket(self, url: str) -> TestSocket:
        self._closed_for_good.discard(url)
        socket = self._sockets.get(url)
        if socket is None:
            socket = self._sockets[url] = self.client._socket(url, origin=self._origin())
            self._apply_frames(socket, socket.connect(self.client.timeout))
        return socket

    def _close_socket(self, url: str, for_good: bool = False) -> None:
        if for_good:
            self._closed_for_good.add(url)
        socket = self._sockets.pop(url, None)
        if socket is not None:
            socket.close()

    def _close_sockets(self) -> None:
        for url in list(self._sockets):
            self._close_socket(url)

    def _origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    def _send_over_socket(self, url: str, payload: dict, options: dict) -> None:
        if url in self._closed_for_good:
            self._log("websocket.closed", f"{url} was closed by the page; open it again to send")
            return
        size = len(json.dumps(payload, ensure_ascii=False).encode()) + _ENVELOPE_BYTES
        if size > self.config.get("wsMaxBytes", 524288):
            message = f"This message is too large to send ({size} bytes)."
            return self._fail(url, PageError("websocket.too-large", message))
        socket = self._open_socket(url)
        if not socket.is_open:
            return self._fail(url, _closed_error(url, socket.close_code))
        timeout = options.get("timeout", 20000) / 1000
        try:
            event_id, frames = socket.send_event(payload, timeout)
        except TimeoutError:
            return self._fail(url, PageError("websocket.timeout", f"The server did not answer within {timeout:g} s."))
        self._apply_frames(socket, frames, event_id)
        return None

    def _apply_frames(self, socket: TestSocket, frames: list[dict], event_id: int | None = None) -> list:
        """Apply frames in order (readFrame in client/src/frames.js); then raise the event's own error."""
        applied: list = []
        own_error = None
        for frame in frames:
            kind = frame.get("t")
            if kind == "commands":
                applied += self._group_or_answer(socket, frame)
            elif kind == "error":
                error = PageError(f"websocket.{frame.get('code')}", str(frame.get("message")))
                self.errors.append(error)
                own_error = own_error or (error if event_id is not None and frame.get("id") == event_id else None)
            elif kind == "close":
                own_error = own_error or self._closed(socket, event_id)
            elif kind == "bad":
                self._log("websocket.malformed", frame["message"])
            elif kind not in ("ack", "pong"):
                self._log("websocket.unknown-frame", f'unknown frame type "{kind}"')
        if own_error is not None and self.client.raise_errors:
            raise ActionError(f"{socket.url}: {own_error}", own_error)
        return applied

    def _group_or_answer(self, socket: TestSocket, frame: dict) -> list:
        commands = frame.get("commands")
        # In arrival order and before the values are decoded, as client/src/diff.js.
        stale = socket.received_html.expand(commands)
        if stale is not None:
            self._log("websocket.stale", f"{socket.url}: no base for the splice of {stale!r}")
            return []
        commands = decode(commands)
        seq = frame.get("seq")
        if seq is not None:
            last = getattr(socket, "last_seq", 0)
            if seq <= last:
                return []  # Seen already.
            if seq > last + 1 and last:
                self._log("websocket.gap", f"{socket.url}: missed group messages {last + 1} to {seq - 1}")
            socket.last_seq = seq
        run_commands(self, commands)
        return commands

    def _closed(self, socket: TestSocket, event_id: int | None) -> PageError | None:
        code = socket.close_code
        if code in _FINAL_CLOSE_CODES:
            self._log("websocket.refused", f"{socket.url}: {CLOSE_MEANINGS.get(code, code)} ({code})")
        if event_id is None:
            return None
        error = _closed_error(socket.url, code)
        self.errors.append(error)
        return error

    def receive(self, timeout: float = 3.0) -> list:
        """Apply the frames the page's sockets received; wait up to ``timeout`` seconds for one if none
        has arrived. Returns the commands run (an empty list if nothing came)."""
        deadline = time.monotonic() + timeout
        while True:
            applied, got_any = [], False
            for socket in list(self._sockets.values()):
                if not socket.is_open:
                    continue
                frames = self._receive_from(socket, min(0.05, max(deadline - time.monotonic(), 0)))
                got_any = got_any or bool(frames)
                applied += self._apply_frames(socket, frames)
            if got_any or time.monotonic() >= deadline or not self._open_sockets():
                return applied

    def _receive_from(self, socket: TestSocket, timeout: float) -> list[dict]:
        try:
            return socket.receive(timeout)
        except SocketClosed:
            return []

    def _open_sockets(self) -> list[TestSocket]:
        return [socket for socket in self._sockets.values() if socket.is_open]

    def wait_for(self, selector: str, text: str | None = None, timeout: float = 3.0) -> Element:
        """Apply arriving frames until an element matches ``selector`` (and contains ``text``, if given)."""
        deadline = time.monotonic() + timeout
        while True:
            for node in self._select(selector):
                if text is None or text in " ".join(node.text().split()):
                    return dom.snapshot(node)
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self.receive(timeout=min(left, 0.2))
        wanted = f"{selector!r}" + (f" containing {text!r}" if text is not None else "")
        matches = [repr(element) for element in self.find_all(selector)][:5]
        raise ElementNotFound(
            f"page.wait_for(): nothing matched {wanted} within {timeout:g} s. Sockets: {self.sockets or 'none'}. "
            f"Elements matching the selector: {', '.join(matches) or 'none'}. Errors: {self.errors or 'none'}."
        )

    # Form state across morphs --------------------------------------------------------------------

    def _remember_typed(self, node: LexborNode) -> None:
        element_id = node.attrs.get("id")
        if element_id and element_id not in self._typed:
            self._typed[element_id] = dom.outer_html(node)

    def _forget_typed(self, element_id: str) -> None:
        self._typed.pop(element_id, None)

    def _morph(self, container: LexborNode, html: str) -> None:
        """Replace the children of ``container``, keeping what the user typed where morphdom keeps it:
        in the field being typed in, and in fields the new HTML renders as they were before the typing."""
        kept = {}
        for element_id, before in self._typed.items():
            node = dom.by_id(self._document, element_id)
            if node is not None and _inside(node, container):
                kept[element_id] = (before, _field_state(node))
        dom.set_inner_html(container, html)
        for element_id, (before, state) in kept.items():
            node = dom.by_id(self._document, element_id)
            unchanged = node is not None and dom.outer_html(node) == before
            if node is not None and (unchanged or element_id == self.focused):
                self._typed[element_id] = dom.outer_html(node)
                _set_field(node, state, self._document)
            else:
                self._forget_typed(element_id)


def _selector_of(target: str | Element, action: str) -> str:
    if isinstance(target, Element):
        if not target.id:
            raise HypergenTestError(f"page.{action}(): {target!r} has no id; pass a CSS selector instead.")
        return f'[id="{target.id}"]'
    return target


def _closest(node: LexborNode, tag: str) -> LexborNode | None:
    current: LexborNode | None = node
    while dom.is_element(current):
        if current.tag == tag:
            return current
        current = current.parent
    return None


def _inside(node: LexborNode, container: LexborNode) -> bool:
    current = node.parent
    while current is not None:
        if current.mem_id == container.mem_id:
            return True
        current = current.parent
    return False


def _field_state(node: LexborNode) -> Any:
    if dom.input_type(node) in ("checkbox", "radio"):
        return dom.is_checked(node)
    if node.tag == "select":
        return [dom.option_value(option) for option in dom.selected_options(node)]
    return dom.raw_value(node)


def _set_field(node: LexborNode, value: Any, document: Any) -> None:
    """Give a field a value as a user would: checked state, chosen options, or text."""
    kind = dom.input_type(node)
    if kind in ("checkbox", "radio"):
        if not isinstance(value, bool):
            raise HandlerError(f"A {kind} takes True or False, not {value!r}.")
        dom.set_checked(node, value, document)
    elif node.tag == "select":
        values = [value] if isinstance(value, str) else list(value)
        known = [dom.option_value(option) for option in dom.options_of(node)]
        unknown = [v for v in values if v not in known]
        if unknown:
            raise HandlerError(f"The select has no option {unknown[0]!r}; its options: {known}.")
        dom.choose_options(node, values)
    elif node.tag in ("input", "textarea"):
        dom.set_value(node, str(value))
    else:
        raise HandlerError(f"{dom.shorten(dom.outer_html(node), 160)} is not a form field.")


def _http_failure(response: HttpResponse) -> PageError:
    """What the client shows for an action's error answer (``failure`` in client/src/http.js)."""
    status = response.status_code
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            message = json.loads(response.content).get("error")
        except (ValueError, AttributeError):
            message = None
        if message:
            return PageError(f"server.{status}", message, status)
    reason = getattr(response, "reason_phrase", "")
    where = f" (redirected to {response['Location']})" if response.has_header("Location") else ""
    return PageError(f"server.{status}", f"The server could not handle this ({status} {reason}){where}.", status)


def _closed_error(url: str, code: int | None) -> PageError:
    meaning = CLOSE_MEANINGS.get(code, "closed")
    return PageError("websocket.closed", f"The socket to {url} is closed ({code}: {meaning}).")
