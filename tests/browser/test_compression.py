"""With permessage-deflate on under daphne, pages update exactly as without it."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.servers import AsgiServer, running_server

OPEN = re.compile(r"\bhypergen-ws-open\b")
# What a person sees of the list: each item's id, class, text and whether its box is ticked.
SNAPSHOT = """[...document.querySelectorAll('#todos li')].map(
    li => [li.id, li.className, li.textContent, li.querySelector('input').checked])"""


@pytest.fixture
def compressing_server(tmp_path) -> Iterator[AsgiServer]:
    with running_server(tmp_path, HYPERGEN_TEST_COMPRESSION="1") as server:
        yield server


def test_a_compressed_socket_leaves_the_page_as_a_fresh_render_would(browser: Browser, compressing_server) -> None:
    context = browser.new_context(base_url=compressing_server.url)
    page = context.new_page()
    try:
        page.goto("/ws/wire_todos/")
        expect(page.locator("html")).to_have_class(OPEN)
        for n in (5, 50, 5, 99):
            page.click(f"#todo-{n} input")
        expect(page.locator("#todos li.done")).to_have_count(2)  # 5 twice (undone), 50 and 99 once.
        expect(page.locator("#todo-99")).to_have_class("done")
        updated = page.evaluate(SNAPSHOT)
        page.reload()  # A fresh render of the same state.
        assert page.evaluate(SNAPSHOT) == updated
    finally:
        context.close()
