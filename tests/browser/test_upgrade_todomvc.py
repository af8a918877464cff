"""django-hypergen 1.x's todomvc, ported by ``python -m hypergen.upgrade`` alone, used in a browser.

tests/hypergen15/todomvc is the app as upstream wrote it. The module fixture copies it, runs the
codemod on the copy in a subprocess, and serves the result (no hand edits) with the test project
plus that app (tests/hypergen15_host).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.servers import ROOT, AsgiServer, manage, project_env

FIXTURE = ROOT / "tests" / "hypergen15" / "todomvc"
HOST = ROOT / "tests" / "hypergen15_host"


@pytest.fixture(scope="module")
def ported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A copy of the 1.x app after the codemod, and what the codemod printed."""
    site = tmp_path_factory.mktemp("ported")
    shutil.copytree(FIXTURE, site / "todomvc")
    upgrade = subprocess.run(
        [sys.executable, "-m", "hypergen.upgrade", str(site / "todomvc")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return site, upgrade.stdout


@pytest.fixture(scope="module")
def todomvc_server(ported: tuple[Path, str]) -> Iterator[AsgiServer]:
    site, _ = ported
    settings = "tests.hypergen15_host.settings"
    env = project_env(DJANGO_SETTINGS_MODULE=settings, HYPERGEN_TEST_DB=str(site / "db.sqlite3"))
    env["PYTHONPATH"] = os.pathsep.join([str(site), str(HOST), env["PYTHONPATH"]])
    manage("migrate", "--noinput", env=env)
    server = AsgiServer(env, log_path=site / "daphne.log").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def todo_page(browser: Browser, todomvc_server: AsgiServer) -> Iterator[tuple[Page, list[str]]]:
    context = browser.new_context(base_url=todomvc_server.url)
    # The app's base template loads highlight.js from a CDN; the test machine has no internet.
    context.route("https://cdnjs.cloudflare.com/**", lambda route: route.fulfill(status=200, body=""))
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, errors
    context.close()


def add_todo(page: Page, description: str) -> None:
    page.fill("#new-todo", description)
    page.press("#new-todo", "Enter")
    expect(page.locator(".todo-list label", has_text=description)).to_be_visible()
    expect(page.locator("#new-todo")).to_have_value("")  # clear=True


def item(page: Page, description: str):
    return page.locator(".todo-list li", has=page.locator("label", has_text=description))


def test_the_codemod_rewrote_the_app_and_listed_what_it_could_not(ported: tuple[Path, str]) -> None:
    site, report = ported
    assert "from hypergen.liveview import autourls" in (site / "todomvc" / "urls.py").read_text()
    assert "context.appstate" not in (site / "todomvc" / "views.py").read_text().replace("context.hypergen.", "")
    assert "rewrote 3 file(s)" in report
    assert "views.py:25: check: client command 'alert'" in report
    assert "docs/migrating.md#autofocus" in report


def test_the_ported_todomvc_works_in_a_browser(todo_page: tuple[Page, list[str]]) -> None:
    page, errors = todo_page
    page.goto("/todomvc/")
    # link(static("todomvc.css")) was a stylesheet in 1.5; after the codemod it still is.
    expect(page.locator(".todoapp h1")).to_have_css("color", "rgb(184, 63, 69)")

    add_todo(page, "Buy milk")
    add_todo(page, "Write docs")
    expect(page.locator(".todo-count")).to_have_text("2 items")

    item(page, "Buy milk").locator(".toggle").click()
    expect(item(page, "Buy milk")).to_have_class("completed")

    # The filters are links between pages of one liveview: a partial load, its URL in the address bar.
    page.click("#filter-active")
    expect(page).to_have_url(f"{page.url.split('/todomvc/')[0]}/todomvc/active")
    expect(page.locator(".todo-list label")).to_have_text(["Write docs"])
    # base_view=todomvc re-renders the page with its URL argument: still only the active ones.
    add_todo(page, "Walk the dog")
    expect(page.locator(".todo-list label")).to_have_text(["Write docs", "Walk the dog"])

    page.goto("/todomvc/completed")
    expect(page.locator(".todo-list label")).to_have_text(["Buy milk"])
    page.click("#clear-completed")
    expect(page.locator(".todo-list li")).to_have_count(0)

    page.click("#filter-all")
    expect(page.locator(".todo-list label")).to_have_text(["Write docs", "Walk the dog"])
    # Double-click to edit: the app state (appstate=) remembers which item is being edited.
    item(page, "Write docs").locator("label").dblclick()
    page.fill("#edit-item", "Write the migration guide")
    page.locator("#edit-item").blur()
    expect(page.locator(".todo-list label")).to_have_text(["Write the migration guide", "Walk the dog"])

    item(page, "Walk the dog").hover()  # The delete button shows on hover (todomvc.css).
    item(page, "Walk the dog").locator(".destroy").click()
    expect(page.locator(".todo-list label")).to_have_text(["Write the migration guide"])
    expect(page.locator(".todo-count")).to_have_text("1 item")
    assert errors == []
