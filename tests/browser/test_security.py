"""The browser as the victim: hostile data in commands, templates and scripts must not run."""

import pytest
from playwright.sync_api import Page, expect

RECORD_ERRORS = """window.errorCodes = [];
document.addEventListener("hypergen:error", (e) => window.errorCodes.push(e.detail.code));"""


@pytest.fixture
def hostile_page(page: Page) -> Page:
    page.add_init_script(RECORD_ERRORS)
    page.goto("/live/hostile_commands/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.wait_for_function("window.hypergen !== undefined")
    return page


def sentinel(page: Page, expected: str = "sentinel") -> None:
    """A later command that must come next: what was refused before it had its chance to run."""
    page.click("#sentinel" if expected == "sentinel" else "#action-sentinel")
    expect(page.locator("#status")).to_have_text(expected)
    # The action round trip gives a javascript: navigation queued before it time to run too.
    page.click("#action-sentinel")
    expect(page.locator("#status")).to_have_text("action sentinel")


def test_a_javascript_url_given_to_redirect_does_not_run(hostile_page: Page) -> None:
    hostile_page.click("#js-redirect")
    sentinel(hostile_page)
    assert hostile_page.evaluate("window.pwned") is None
    assert hostile_page.evaluate("window.errorCodes") == ["command.unsafe-url"]


def test_set_attribute_cannot_add_an_event_handler(hostile_page: Page) -> None:
    hostile_page.click("#js-on")
    hostile_page.click("#target")
    sentinel(hostile_page)
    assert hostile_page.evaluate("window.pwned") is None
    assert hostile_page.get_attribute("#target", "onclick") is None
    assert hostile_page.evaluate("window.errorCodes") == ["command.unsafe-attribute"]


def test_set_attribute_cannot_put_a_javascript_url_in_a_link(hostile_page: Page) -> None:
    hostile_page.click("#js-href")
    hostile_page.click("#link")
    sentinel(hostile_page)
    assert hostile_page.evaluate("window.pwned") is None
    assert hostile_page.get_attribute("#link", "href") == "#start"
    assert hostile_page.evaluate("window.errorCodes") == ["command.unsafe-url"]


@pytest.mark.parametrize("button", ["#js-proto", "#js-ctor"])
def test_client_state_cannot_pollute_object_prototypes(hostile_page: Page, button: str) -> None:
    hostile_page.click(button)
    sentinel(hostile_page)
    assert hostile_page.evaluate("({}).polluted") is None
    assert hostile_page.evaluate("window.errorCodes") == ["command.unsafe-key"]


def test_plain_text_appended_by_an_action_is_shown_as_text(hostile_page: Page) -> None:
    hostile_page.click("#append-text")
    expect(hostile_page.locator("#list")).to_have_text("<img src=x onerror=\"window.pwned='append'\">")
    sentinel(hostile_page)
    assert hostile_page.locator("#list img").count() == 0
    assert hostile_page.evaluate("window.pwned") is None


def test_user_data_in_a_template_callback_is_sent_as_text_not_as_another_fields_value(page: Page) -> None:
    # Regression (security review): "#private-note" typed by one user made another user's click
    # send the value of the field with that id.
    page.goto("/test/django-template/")
    page.click("#send-user-data")
    expect(page.locator("#result-user-data")).to_have_text("str: '#private-note'")


def test_a_script_split_over_children_cannot_close_its_element(page: Page) -> None:
    # Regression (security review): each child of <script> was made safe on its own, so "<" and
    # "/script>" in two children wrote a working </script>.
    page.goto("/test/escaping/")
    expect(page.locator("#raw b")).to_have_text("raw")  # The page was parsed to its end.
    assert page.evaluate("window.split") == '</script><img src=x onerror="window.pwned=3">'
    assert page.locator("img").count() == 0
    assert page.evaluate("window.pwned") is None
