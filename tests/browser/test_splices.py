"""The page is the same whichever way its updates travelled: over HTTP, as an answer over a socket
(spliced), as a group message to another tab (spliced), over a compressed socket, or replayed to a
tab that was offline; each time just as a fresh render of the page shows it."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.servers import AsgiServer, running_server

OPEN = re.compile(r"\bhypergen-ws-open\b")
# The same updates every way: ticks far apart in the list of 100 (and one undone), chat messages
# with astral characters (two UTF-16 code units each in the browser, one character in Python).
UPDATES = [
    "toggle:5",
    "say:hello \N{WAVING HAND SIGN}\N{EMOJI MODIFIER FITZPATRICK TYPE-4}",
    "toggle:50",
    "toggle:99",
    "say:second \N{GRINNING FACE} message, <b>escaped</b> & all",
    "toggle:5",
    "toggle:0",
]
# The target and the whole body as HTML. The client leaves class="" on a button whose event it
# sent (its loading state came and went); a fresh render has none.
SNAPSHOT = """() => {
    const body = document.body.cloneNode(true);
    body.querySelectorAll('[class=""]').forEach(el => el.removeAttribute("class"));
    return {board: document.getElementById("board").outerHTML, body: body.outerHTML};
}"""


class Tab:
    """A page of its own browser context, with the text of every socket frame it received."""

    def __init__(self, browser: Browser, server: AsgiServer, room: str) -> None:
        self.context: BrowserContext = browser.new_context(base_url=server.url)
        self.page: Page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.received: list[str] = []
        self.page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: self.received.append(frame)))
        self.page.goto(f"/ws/diff_board/{room}/")
        expect(self.page.locator("html")).to_have_class(OPEN)

    def send(self, what: str, via: str) -> None:
        self.page.fill("#what", what)
        self.page.click(f"#via-{via}")

    def wait_for(self, updates: int) -> None:
        expect(self.page.locator("#updates")).to_have_text(f"{updates} updates")

    def splices(self, since: int = 0) -> int:
        return sum("hypergen.morphSplice" in frame for frame in self.received[since:])

    def snapshot(self) -> dict:
        return self.page.evaluate(SNAPSHOT)


@pytest.fixture
def tabs(browser: Browser) -> Iterator:
    opened = []

    def open_tab(server: AsgiServer, room: str) -> Tab:
        opened.append(Tab(browser, server, room))
        return opened[-1]

    yield open_tab
    for tab in opened:
        tab.context.close()


@pytest.fixture
def compressing_server(tmp_path) -> Iterator[AsgiServer]:
    with running_server(tmp_path, HYPERGEN_TEST_COMPRESSION="1") as server:
        yield server


def send_all(sender: Tab, via: str, receivers: list[Tab], updates: list[str], done: int = 0) -> None:
    for n, what in enumerate(updates, done + 1):
        sender.send(what, via)
        for tab in receivers:
            tab.wait_for(n)


def assert_as_freshly_rendered(tabs, server: AsgiServer, room: str, *updated: Tab) -> None:
    fresh = tabs(server, room).snapshot()
    assert f">{len(UPDATES)} updates<" in fresh["board"]
    for tab in updated:
        assert tab.snapshot() == fresh


def test_over_http(tabs, asgi_server) -> None:
    tab = tabs(asgi_server, "way-http")
    send_all(tab, "http", [tab], UPDATES)
    assert tab.splices() == 0
    assert_as_freshly_rendered(tabs, asgi_server, "way-http", tab)


def test_as_answers_over_a_socket(tabs, asgi_server) -> None:
    tab = tabs(asgi_server, "way-answer")
    send_all(tab, "answer", [tab], UPDATES)
    assert tab.splices() == len(UPDATES) - 1  # All but the first: the socket had sent no board before.
    assert_as_freshly_rendered(tabs, asgi_server, "way-answer", tab)


def test_as_group_messages_to_another_tab(tabs, asgi_server) -> None:
    sender, other = tabs(asgi_server, "way-group"), tabs(asgi_server, "way-group")
    send_all(sender, "group", [sender, other], UPDATES)
    assert other.splices() == sender.splices() == len(UPDATES) - 1
    assert_as_freshly_rendered(tabs, asgi_server, "way-group", sender, other)


def test_over_compressed_sockets(tabs, compressing_server) -> None:
    sender, other = tabs(compressing_server, "way-deflate"), tabs(compressing_server, "way-deflate")
    send_all(sender, "answer", [sender], UPDATES[:3])
    send_all(sender, "group", [sender, other], UPDATES[3:], done=3)
    assert sender.splices() >= len(UPDATES) - 2 and other.splices() >= len(UPDATES) - 5
    assert_as_freshly_rendered(tabs, compressing_server, "way-deflate", sender, other)


def test_replayed_to_a_tab_that_was_offline(tabs, asgi_server) -> None:
    sender, away = tabs(asgi_server, "way-replay"), tabs(asgi_server, "way-replay")
    send_all(sender, "group", [sender, away], UPDATES[:3])
    assert away.splices() == 2
    away.context.set_offline(True)
    expect(away.page.locator("html")).to_have_class(re.compile(r"\bhypergen-ws-reconnecting\b"))
    send_all(sender, "group", [sender], UPDATES[3:], done=3)
    expect(away.page.locator("#updates")).to_have_text("3 updates")  # It missed them all.
    back_at = len(away.received)
    away.context.set_offline(False)
    away.wait_for(len(UPDATES))
    # Its new consumer sent the first missed message whole, the others as splices of it.
    assert away.splices(back_at) == len(UPDATES) - 4
    assert_as_freshly_rendered(tabs, asgi_server, "way-replay", sender, away)


# The base length of a splice of the board, in a frame's text.
BASE_LENGTH = re.compile(r'("hypergen\.morphSplice","board",)(\d+)')


@pytest.mark.parametrize("via", ["group", "answer"])
def test_a_splice_whose_base_the_tab_lacks_is_never_guessed_at(tabs, asgi_server, via) -> None:
    room = f"way-stale-{via}"
    sender, other = tabs(asgi_server, room), tabs(asgi_server, room)
    tab = other if via == "group" else sender
    tampered = []

    def give_a_wrong_base_length(route) -> None:
        """Between the tab and the server: the first splice says its base is one code unit longer."""
        server = route.connect_to_server()
        route.on_message(server.send)

        def to_the_tab(message) -> None:
            if "hypergen.morphSplice" in message and not tampered:
                tampered.append(message)
                message = BASE_LENGTH.sub(lambda match: f"{match[1]}{int(match[2]) + 1}", message, count=1)
            route.send(message)

        server.on_message(to_the_tab)

    tab.page.route_web_socket(re.compile(r"/ws/diff_socket/"), give_a_wrong_base_length)
    tab.page.add_init_script("window.opened = 0; addEventListener('hypergen:websocket-open', () => opened++)")
    tab.page.reload()  # Its socket now goes through the route.
    expect(tab.page.locator("html")).to_have_class(OPEN)
    receivers = [sender, other] if via == "group" else [sender]
    send_all(sender, via, receivers, UPDATES)
    assert tampered
    if via == "group":
        assert tab.page.evaluate("opened") == 2  # It connected afresh, and got the message again in full.
    # An answer is not kept for replay: the page re-rendered (here a reload: no base template).
    assert_as_freshly_rendered(tabs, asgi_server, room, *receivers)
