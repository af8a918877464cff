"""Pages rendered by the template engine, as a person's browser sees them."""

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
