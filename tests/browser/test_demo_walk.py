"""A walk through the demo site as a newcomer would take it: every page from the home page loads
without console errors, its main interaction works, and a screenshot of it is written to
test-output/demo-*.png."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ARTIFACTS

OPEN = re.compile(r"\bhypergen-ws-open\b")


@pytest.fixture
def demo_page(browser: Browser, asgi_server):
    """A fresh browser context logged in as the demo user; console errors fail the test."""
    subprocess.run(
        [sys.executable, "-m", "django", "create_demo_user"], env=asgi_server.env, check=True, capture_output=True
    )
    contexts = []

    def open_page(log_in: bool = True) -> Page:
        context = browser.new_context(base_url=asgi_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.errors = []
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        if log_in:
            page.goto("/login/")
            page.fill("#id_username", "demo")
            page.fill("#id_password", "demo")
            page.get_by_role("button", name="Log in").click()
            expect(page).to_have_url(re.compile(r"/$"))
        return page

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"demo-{name}.png"), full_page=True)
    assert page.errors == [], f"console errors on {page.url}: {page.errors}"


def test_every_page_linked_from_home_loads_cleanly(demo_page) -> None:
    page = demo_page()
    links = page.locator("ul.cards a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(links) >= 12
    links.append(page.get_by_role("link", name="(their source)").get_attribute("href"))
    links.remove("/stats/")  # For admins only; the demo user is none (tests/integration/test_demo_pages.py).
    for href in links:
        response = page.goto(href)
        assert response.status == 200, href
        expect(page.locator("body")).not_to_be_empty()
        screenshot(page, href.strip("/").replace("/", "-") or "home")


def test_todos(demo_page) -> None:
    page = demo_page()
    page.goto("/todos/")
    for title in ("Buy milk", "Write docs", "Ship it"):
        page.fill("#new-todo", title)
        page.keyboard.press("Enter")
        expect(page.locator("#todo-list li").last).to_contain_text(title)
    expect(page.locator("#todo-count")).to_have_text("3 items left")
    page.locator("#todo-list li", has_text="Write docs").get_by_role("checkbox").check()
    expect(page.locator("#todo-count")).to_have_text("2 items left")
    page.click("#filter-active")
    expect(page.locator("#todo-list li")).to_have_count(2)
    page.click("#filter-completed")
    expect(page.locator("#todo-list li")).to_have_text([re.compile("Write docs")])
    page.click("#clear-completed")
    page.click("#filter-all")
    expect(page.locator("#todo-list li")).to_have_count(2)
    page.reload()  # Kept in SQLite.
    expect(page.locator("#todo-list li")).to_have_count(2)
    page.locator("#todo-list li", has_text="Buy milk").get_by_role("button", name="Delete").click()
    expect(page.locator("#todo-list li")).to_have_text([re.compile("Ship it")])
    screenshot(page, "todos-used")


def test_chat_room_between_two_tabs(demo_page) -> None:
    ann, bob = demo_page(), demo_page()
    for page in (ann, bob):
        page.goto("/rooms/walk/")
        expect(page.locator("html")).to_have_class(OPEN)
    ann.fill("#message", "Roses are blooming")
    ann.keyboard.press("Enter")
    for page in (ann, bob):
        expect(page.locator("#messages li").last).to_have_text("demoRoses are blooming")
    bob.reload()  # The history is in the database.
    expect(bob.locator("#messages li").last).to_have_text("demoRoses are blooming")
    screenshot(ann, "chat-used")


def test_shared_counter_between_two_tabs(demo_page) -> None:
    one, two = demo_page(log_in=False), demo_page(log_in=False)
    for page in (one, two):
        page.goto("/shared-counter/")
        expect(page.locator("html")).to_have_class(OPEN)
    before = int(one.locator("#shared-count").inner_text())
    one.click("#shared-increment")
    for page in (one, two):
        expect(page.locator("#shared-count")).to_have_text(str(before + 1))
    screenshot(two, "shared-counter-used")


def test_dashboard_is_pushed_and_shows_reconnecting(demo_page) -> None:
    page = demo_page(log_in=False)
    page.goto("/dashboard/")
    pushed = page.locator("#metric-updates-pushed")
    first = int(pushed.inner_text())
    expect(pushed).not_to_have_text(str(first), timeout=5_000)  # Pushed by the background job.
    expect(page.locator("#reconnecting")).to_be_hidden()
    page.context.set_offline(True)
    expect(page.locator("#reconnecting")).to_be_visible()
    page.context.set_offline(False)
    expect(page.locator("#reconnecting")).to_be_hidden(timeout=15_000)
    latest = int(pushed.inner_text())
    expect(pushed).not_to_have_text(str(latest), timeout=5_000)
    # Chromium itself logs the reconnection attempts made while offline.
    page.errors[:] = [error for error in page.errors if "ERR_INTERNET_DISCONNECTED" not in error]
    screenshot(page, "dashboard-used")


def last_point_drawn(page: Page) -> int:
    """The x of the newest point the live chart's hook has drawn."""
    return int(page.locator("#chart svg").get_attribute("data-last-x"))


def test_live_chart_draws_the_points_the_server_pushes(demo_page) -> None:
    page, other_tab = demo_page(log_in=False), demo_page(log_in=False)
    for tab in (page, other_tab):
        tab.goto("/chart/")
        expect(tab.locator("html")).to_have_class(OPEN)
    before = last_point_drawn(page)
    page.click("#chart-add")
    for tab in (page, other_tab):  # Pushed to every tab on the page.
        expect(tab.locator("#chart svg")).to_have_attribute("data-last-x", str(before + 1))
    page.click("#chart-start")
    expect(page.locator("#chart-status")).to_have_text("The feed is running.")
    page.wait_for_function("x => Number(document.querySelector('#chart svg').dataset.lastX) >= x", arg=before + 3)
    page.click("#chart-stop")
    expect(other_tab.locator("#chart-status")).to_have_text("The feed is stopped.")
    screenshot(page, "chart-used")
    assert other_tab.errors == []


def test_signup_validates_as_you_type(demo_page) -> None:
    page = demo_page(log_in=False)
    page.goto("/signup/")
    page.locator("#username").press_sequentially("d", delay=30)
    expect(page.locator("#username-feedback")).to_have_text("3 to 30 letters, digits or . @ + - _")
    page.locator("#username").press_sequentially("emo", delay=30)
    expect(page.locator("#username-feedback")).to_have_text("demo is taken")
    page.fill("#username", "")
    page.locator("#username").press_sequentially("newcomer", delay=30)
    expect(page.locator("#username-feedback")).to_have_text("looks good")
    page.locator("#password").press_sequentially("short", delay=30)
    expect(page.locator("#password-feedback")).to_have_text("5 more characters, please")
    page.locator("#password").press_sequentially("-and-long-2", delay=10)
    expect(page.locator("#password-feedback")).to_have_text("looks good")
    page.click("#create")
    expect(page.locator("#signup-result")).to_contain_text("Welcome, newcomer!")
    screenshot(page, "signup-used")


def test_upload_with_progress(demo_page) -> None:
    page = demo_page(log_in=False)
    page.goto("/upload/")
    page.set_input_files(
        "#upload-file",
        files=[
            {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": b"j" * 2_000_000},
            {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"},
        ],
    )
    page.click("#upload")
    expect(page.locator("#uploaded li")).to_have_text(["photo.jpg: 2,000,000 bytes", "notes.txt: 5 bytes"])
    assert page.evaluate("document.getElementById('upload-progress').value") == 100
    screenshot(page, "upload-used")
