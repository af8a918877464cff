"""Pages rendered by the template engine, as a person's browser sees them."""

import re

from playwright.sync_api import Page, expect


def test_demo_template_gallery_renders_the_list_and_table(page: Page, console_errors: list) -> None:
    page.goto("/templates/")
    expect(page.locator("h1")).to_have_text("Templates")
    expect(page.locator("#shopping li")).to_have_text(["Milk", "Bread <fresh>", "Tea & biscuits"])
    expect(page.locator("#square-3 td")).to_have_text(["3", "9"])
    expect(page.locator("#badges .badge")).to_have_count(2)
    expect(page.locator(".source-panel pre")).to_contain_text("def shopping_list():")
    assert console_errors == []


def test_home_page_links_to_the_examples(page: Page, console_errors: list) -> None:
    page.goto("/")
    page.get_by_role("link", name="Templates").first.click()
    expect(page).to_have_url("/templates/")
    assert console_errors == []


def test_hostile_data_is_shown_as_text_and_never_runs(page: Page) -> None:
    hostile = '<img src=x onerror="window.pwned=1"></script><script>window.pwned=2</script>'
    page.goto("/test/escaping/")
    expect(page.locator("#text")).to_have_text(hostile)
    expect(page.locator("#field")).to_have_value(hostile)
    expect(page.locator("#attr")).to_have_attribute("data-payload", hostile)
    assert page.title() == hostile
    assert page.evaluate("window.pwned") is None
    assert page.evaluate("window.fromScript") == hostile
    assert page.locator("img").count() == 0
    expect(page.locator("#list > li")).to_have_count(3)
    expect(page.locator("#item-2 .n")).to_have_text("2")
    expect(page.locator("#raw b")).to_have_text("raw")


def test_demo_counter_counts(page: Page, console_errors: list) -> None:
    page.goto("/counter/")
    page.click("#increment")
    page.click("#increment")
    expect(page.locator("#count")).to_have_value("2")
    expect(page.locator(".source-panel pre")).to_contain_text("def increment(request, n):")
    assert console_errors == []


def test_demo_inputs_show_python_values(page: Page, console_errors: list) -> None:
    page.goto("/inputs/")
    page.locator("#inputs tr", has_text="Select many").get_by_role("button").click()
    expect(page.locator("#received")).to_have_text("Select many: ['Red', 'Blue'] (list)")
    page.locator("#inputs tr", has_text="Date and time").get_by_role("button").click()
    expect(page.locator("#received")).to_have_text("Date and time: datetime.datetime(2026, 11, 24, 9, 30) (datetime)")
    assert console_errors == []


def test_demo_navigation_loads_pages_partially(page: Page, console_errors: list) -> None:
    page.goto("/")
    page.evaluate("window.marker = 1")
    page.locator("header nav").get_by_role("link", name="Counter").click()
    expect(page).to_have_title("Counter")
    page.locator("header nav").get_by_role("link", name="Inputs").click()
    expect(page.locator("h1")).to_have_text("Inputs")
    page.go_back()
    expect(page.locator("h1")).to_have_text("Counter")
    assert page.evaluate("window.marker") == 1
    assert console_errors == []


def test_demo_login_then_chat(page: Page, asgi_server, console_errors: list) -> None:
    import subprocess
    import sys

    subprocess.run(
        [sys.executable, "-m", "django", "create_demo_user"], env=asgi_server.env, check=True, capture_output=True
    )
    page.goto("/chat/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/chat/"))
    page.fill("#id_username", "demo")
    page.fill("#id_password", "demo")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/chat/$"))
    page.fill("#message", "hello demo")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#messages li")).to_have_text(["hello demo"])
    assert console_errors == []
