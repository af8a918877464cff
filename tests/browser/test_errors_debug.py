"""With DEBUG=True, a failing action shows Django's debug page in an overlay."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.servers import AsgiServer, running_server


@pytest.fixture(scope="module")
def debug_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AsgiServer]:
    with running_server(tmp_path_factory.mktemp("debug_server"), DJANGO_DEBUG="1") as server:
        yield server


@pytest.mark.server_errors(r"failed on purpose")
def test_debug_overlay_shows_the_exception(browser: Browser, debug_server: AsgiServer) -> None:
    context = browser.new_context(base_url=debug_server.url)
    page: Page = context.new_page()
    try:
        page.goto("/live/failing/")
        page.click("#fail")
        overlay = page.locator("#hypergen-error")
        expect(overlay).to_be_visible()
        frame = page.frame_locator("#hypergen-error iframe")
        expect(frame.locator("body")).to_contain_text("the action failed on purpose")
        overlay.get_by_role("button", name="Close").click()
        expect(overlay).to_have_count(0)
    finally:
        context.close()
