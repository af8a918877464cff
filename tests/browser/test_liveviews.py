"""Liveviews, actions and callbacks, as a person uses them in the browser."""

import re

from playwright.sync_api import Page, expect


def test_counter_increments_through_an_action(page: Page, console_errors: list) -> None:
    page.goto("/live/counter/")
    expect(page.locator("#count")).to_have_value("0")
    page.click("#increment")
    expect(page.locator("#count")).to_have_value("1")
    page.click("#increment")
    page.click("#increment")
    expect(page.locator("#count")).to_have_value("3")
    assert console_errors == []
