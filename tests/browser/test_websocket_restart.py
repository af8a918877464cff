"""The server process restarts mid-session: the page reconnects by itself and keeps working.

On the in-memory layer a restart starts the group's numbering over (a new epoch): the page cannot
know what it missed, so it re-renders its content from the server, then goes on.
"""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.servers import AsgiServer, running_server


@pytest.fixture
def restartable_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AsgiServer]:
    with running_server(tmp_path_factory.mktemp("restartable")) as server:
        yield server


def test_the_page_reconnects_after_a_server_restart(browser: Browser, restartable_server: AsgiServer) -> None:
    context = browser.new_context(base_url=restartable_server.url)
    page = context.new_page()
    try:
        page.goto("/ws/board/restart/")
        expect(page.locator("html")).to_have_class(re.compile(r"\bhypergen-ws-open\b"))
        page.click("#click-A")
        expect(page.locator("#log li")).to_have_text(["A"])

        restartable_server.stop()
        expect(page.locator("html")).to_have_class(re.compile(r"\bhypergen-ws-reconnecting\b"))
        page.click("#click-B")  # Queued while the server is down.
        restartable_server.start()

        expect(page.locator("html")).to_have_class(re.compile(r"\bhypergen-ws-open\b"), timeout=15_000)
        expect(page.locator("#log li")).to_have_text(["A", "B"])  # B ran once, and the page shows it.
        page.click("#click-C")
        expect(page.locator("#log li")).to_have_text(["A", "B", "C"])
    finally:
        context.close()
