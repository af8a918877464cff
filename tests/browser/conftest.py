"""Browser fixtures: the project under daphne, and Debian's chromium driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page

from tests.conftest import launched_browser
from tests.servers import AsgiServer, create_session, running_server

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-output"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def asgi_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AsgiServer]:
    with running_server(tmp_path_factory.mktemp("asgi_server")) as server:
        yield server


@pytest.fixture
def login(asgi_server: AsgiServer):
    """``login(page, username, perms=[...])``: that user, with those permissions, is logged in on ``page``."""

    def log_in(page: Page, username: str, perms: list[str]) -> None:
        session_key = create_session(asgi_server.env, username, perms)
        page.context.add_cookies([{"name": "sessionid", "value": session_key, "url": asgi_server.url}])

    return log_in


class ConsoleErrors(list):
    """Console errors and uncaught page errors seen during a test."""


@pytest.fixture
def console_errors() -> ConsoleErrors:
    return ConsoleErrors()


@pytest.fixture
def page(browser: Browser, asgi_server: AsgiServer, console_errors: ConsoleErrors, request) -> Iterator[Page]:
    context = browser.new_context(base_url=asgi_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            console_errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    finally:
        context.close()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with launched_browser() as browser:
        yield browser
