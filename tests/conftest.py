import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.servers import LOG_PROBLEM, WATCHED_SERVERS

# Playwright's sync API runs an event loop in the test thread; Django's async-safety
# check would then refuse the ORM calls that integration tests make in that thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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


@contextmanager
def launched_browser() -> Iterator[Browser]:
    """Debian's chromium under Playwright. Used by package-scoped ``browser`` fixtures: Playwright's
    sync API keeps an event loop running in this thread, which must be gone before tests of other
    packages call asyncio.run()."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run the README's test command, which installs Debian's chromium.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


# A log record of daphne's (and Django's) loggers starts with its time: "2026-11-25 05:20:46,267 ".
_RECORD_START = re.compile(r"^(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} )", re.MULTILINE)


_log_checked_up_to: dict[int, int] = {}

# Logged by asyncio, not raised in any code of ours: Django's ASGIHandler (5.2) leaves the
# RequestAborted of its disconnect listener unretrieved when the browser drops an HTTP request
# (a navigation while a fetch is in flight). Seen once in CI's browser tests; the page is unaffected.
KNOWN_SERVER_NOISE = [
    re.compile(
        r"Task exception was never retrieved\nfuture: <Task finished name='Task-\d+' "
        r"coro=<ASGIHandler\.listen_for_disconnect\(\).*exception=RequestAborted\(\)>",
        re.DOTALL,
    ),
]


@pytest.fixture(autouse=True)
def server_logs_are_clean(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test during which any server it used logged a traceback or "Exception inside application".

    What a server logged since the previous check counts, so errors during the set-up of a
    module-scoped fixture fail the first test using it. A test that provokes a server error on
    purpose says which with ``@pytest.mark.server_errors("a regex matching each such log record")``.
    """
    yield
    expected = [re.compile(mark.args[0]) for mark in request.node.iter_markers("server_errors")]
    expected += KNOWN_SERVER_NOISE
    problems = []
    for server in WATCHED_SERVERS:
        logged, _log_checked_up_to[id(server)] = server.read_log(_log_checked_up_to.get(id(server), 0))
        for record in _RECORD_START.split(logged):
            if LOG_PROBLEM.search(record) and not any(pattern.search(record) for pattern in expected):
                problems.append(f"{server.log_path}:\n{record.strip()}")
    if problems:
        pytest.fail("A server logged an error during this test:\n\n" + "\n\n".join(problems), pytrace=False)
