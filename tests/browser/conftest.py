"""Browser fixtures: the project under daphne, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from tests.servers import AsgiServer, manage, project_env

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-output"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def asgi_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AsgiServer]:
    tmp = tmp_path_factory.mktemp("asgi_server")
    env = project_env(HYPERGEN_TEST_DB=str(tmp / "db.sqlite3"))
    manage("migrate", "--noinput", env=env)
    server = AsgiServer(env, log_path=tmp / "daphne.log").start()
    yield server
    server.stop()


# Package scope: Playwright's sync API keeps an event loop running in this thread,
# which must be gone before any test outside tests/browser calls asyncio.run().
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run the README's test command, which installs Debian's chromium.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


LOGIN_SCRIPT = """
import sys
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Permission, User
from django.contrib.sessions.backends.db import SessionStore
username, perms = sys.argv[1], sys.argv[2:]
user, _ = User.objects.get_or_create(username=username)
for perm in perms:
    app_label, codename = perm.split(".")
    user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


@pytest.fixture
def login(asgi_server: AsgiServer):
    """``login(page, username, perms=[...])``: that user, with those permissions, is logged in on ``page``."""

    def log_in(page: Page, username: str, perms: list[str]) -> None:
        result = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()\n" + LOGIN_SCRIPT, username, *perms],
            env=asgi_server.env,
            capture_output=True,
            text=True,
            check=True,
        )
        session_key = result.stdout.strip().splitlines()[-1]
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
