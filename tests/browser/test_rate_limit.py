"""A page whose socket keeps sending past its rate limit is closed with 4429, for the page load."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.servers import AsgiServer, running_server


@pytest.fixture
def strict_server(tmp_path) -> Iterator[AsgiServer]:
    with running_server(tmp_path, HYPERGEN_TEST_RATE="0.5,2,3") as server:
        yield server


@pytest.mark.server_errors(r"closed with 4429")
def test_a_flooding_page_is_told_and_then_closed_for_good(browser: Browser, strict_server) -> None:
    context = browser.new_context(base_url=strict_server.url)
    page = context.new_page()
    page.add_init_script(
        "window.codes = []; document.addEventListener('hypergen:error', e => codes.push(e.detail.code))"
    )
    try:
        page.goto("/ws/socket_features/")
        expect(page.locator("html")).to_have_class(re.compile(r"\bhypergen-ws-open\b"))
        for _ in range(8):
            page.click("#fast")
        # Final: the page shows the socket closed (not reconnecting) and says why.
        expect(page.locator("html")).to_have_class(re.compile(r"\bhypergen-ws-closed\b"))
        page.wait_for_function("codes.includes('websocket.refused')")
        assert "websocket.rate-limited" in page.evaluate("codes")
    finally:
        context.close()
