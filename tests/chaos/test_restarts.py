"""Servers that restart, stop or refuse: pages notice in a bounded time and recover without a reload."""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.servers import AsgiServer, running_server
from tests.swarm import Swarm

OPEN = re.compile(r"\bhypergen-ws-open\b")
RECONNECTING = re.compile(r"\bhypergen-ws-reconnecting\b")
CLOSED = re.compile(r"\bhypergen-ws-closed\b")
HEARTBEAT_INTERVAL, HEARTBEAT_TIMEOUT = 1, 1  # Seconds; the default is 25 and 10.
STOPPED_SECONDS = 10  # bench/load.py stops it for 60.

# What the page saw: the close codes of its sockets, and how often one opened. A reload would
# start these afresh, so they also prove that the page was never reloaded.
WATCH_SOCKETS = """
window.hypergenSeen = {closes: [], opens: 0, loadedAt: performance.timeOrigin};
document.addEventListener("hypergen:websocket-reconnecting", e => hypergenSeen.closes.push(e.detail.code));
document.addEventListener("hypergen:websocket-closed", e => hypergenSeen.closes.push(e.detail.code));
document.addEventListener("hypergen:websocket-open", () => hypergenSeen.opens++);
"""


@pytest.fixture
def server(tmp_path) -> Iterator[AsgiServer]:
    heartbeat = f"{HEARTBEAT_INTERVAL},{HEARTBEAT_TIMEOUT}"
    with running_server(tmp_path, HYPERGEN_TEST_HEARTBEAT=heartbeat) as server:
        yield server


@pytest.fixture
def page(browser: Browser, server: AsgiServer) -> Iterator[Page]:
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    page.add_init_script(WATCH_SOCKETS)
    page.goto("/ws/board/chaos/")
    expect(page.locator("html")).to_have_class(OPEN)
    page.click("#click-A")
    expect(page.locator("#log li")).to_have_text(["A"])
    yield page
    context.close()


def seen(page: Page) -> dict:
    return page.evaluate("hypergenSeen")


# daphne 4.2's own shutdown hook fails with this when SIGTERM comes within a second of a websocket
# handshake (a bookkeeping entry of the upgraded HTTP request); it does not affect the sockets.
@pytest.mark.server_errors(r"KeyError: 'application_instance'")
def test_sigterm_closes_every_socket_with_1012(server: AsgiServer) -> None:
    swarm = Swarm([server.url.replace("http://", "ws://") + "/ws/rooms/restart/"] * 30)
    try:
        server.stop()  # SIGTERM, as systemd and every process manager send.
        swarm.wait_until(lambda: len(swarm.closed()) == 30, what="every socket to be closed")
        assert {code for _, code in swarm.closed()} == {1012}
    finally:
        swarm.close()


def test_after_a_restart_the_page_comes_straight_back_without_a_reload(page: Page, server: AsgiServer) -> None:
    loaded_at = seen(page)["loadedAt"]
    server.stop()
    page.wait_for_function("hypergenSeen.closes.length > 0")
    assert seen(page)["closes"][0] == 1012  # Then 1006s while nothing listens.
    expect(page.locator("html")).to_have_class(RECONNECTING)
    page.click("#click-B")  # Queued while the server is down.
    server.start()
    # Retried about every half second while the server restarts, instead of backing off to 10 s.
    expect(page.locator("html")).to_have_class(OPEN, timeout=3000)
    expect(page.locator("#log li")).to_have_text(["A", "B"])
    page.click("#click-C")
    expect(page.locator("#log li")).to_have_text(["A", "B", "C"])
    assert seen(page)["loadedAt"] == loaded_at


def test_a_stopped_server_is_noticed_by_the_heartbeat_and_the_page_recovers(page: Page, server: AsgiServer) -> None:
    loaded_at = seen(page)["loadedAt"]
    os.kill(server.process.pid, signal.SIGSTOP)  # The process hangs; its sockets stay open.
    try:
        # Noticed within one heartbeat interval plus its timeout (and a second for the timers).
        expect(page.locator("html")).to_have_class(
            RECONNECTING, timeout=(HEARTBEAT_INTERVAL + HEARTBEAT_TIMEOUT + 1) * 1000
        )
        assert seen(page)["closes"] == [4000]
        page.click("#click-B")  # Queued while the server hangs.
        page.wait_for_timeout(STOPPED_SECONDS * 1000)  # The outage itself is what is tested.
    finally:
        os.kill(server.process.pid, signal.SIGCONT)
    expect(page.locator("html")).to_have_class(OPEN, timeout=15_000)
    expect(page.locator("#log li")).to_have_text(["A", "B"])
    page.click("#click-C")
    expect(page.locator("#log li")).to_have_text(["A", "B", "C"])
    assert seen(page)["loadedAt"] == loaded_at


def test_a_socket_refused_as_cross_site_is_final_and_never_retried(browser: Browser, server: AsgiServer) -> None:
    page = browser.new_context(base_url=server.url).new_page()
    page.add_init_script(WATCH_SOCKETS)
    try:
        page.goto("/ws/board/refused/")
        expect(page.locator("html")).to_have_class(OPEN)
        # The page is served from 127.0.0.1; a socket to "localhost" is a socket to another origin.
        url = server.url.replace("http://127.0.0.1", "ws://localhost") + "/ws/clicks/refused/"
        page.evaluate("url => hypergen.commands['hypergen.websocket.open'](url)", url)
        expect(page.locator("html")).to_have_class(CLOSED)
        # The client decides in the close handler: a retry would have been announced in the same
        # call as a "reconnecting" event with the same code.
        assert seen(page)["closes"] == [4403]
    finally:
        page.context.close()


def test_a_consumer_slower_than_the_heartbeat_keeps_the_socket_open(browser: Browser, server: AsgiServer) -> None:
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    page.add_init_script(WATCH_SOCKETS)
    page.goto("/ws/socket_features/")
    expect(page.locator("html")).to_have_class(OPEN)
    opened = seen(page)["opens"]  # One per consumer URL the page calls.
    page.click("#long")  # 3 s, while the page pings every second and gives up after one more.
    expect(page.locator("#log li")).to_have_text(["long"], timeout=10_000)
    page.click("#fast")  # The sentinel: answered on the same socket, after the long event.
    expect(page.locator("#log li")).to_have_text(["long", "fast"])
    assert seen(page)["closes"] == [], "the page thought its socket dead while the consumer ran"
    assert seen(page)["opens"] == opened
    context.close()
