"""Client extensions in the browser: a command the page registers, and element hooks around morphs,
partial navigation, js.dispatch and a hook's own callback (pages: tests/hook_views.py)."""

from playwright.sync_api import Page, expect


def calls_until(page: Page, last: list) -> list:
    """``window.calls`` once ``last`` is in it: what the page's command and hooks were called with."""
    page.wait_for_function(
        "last => window.calls.some((call) => JSON.stringify(call) === JSON.stringify(last))", arg=last
    )
    return page.evaluate("window.calls")


def test_a_command_sent_before_its_registration_runs_once_registered(page: Page) -> None:
    page.goto("/hooks/probes/")
    assert calls_until(page, ["command", "initial"])[0] == ["command", "initial"]


def test_a_command_nobody_registers_is_reported_when_the_page_has_loaded(page: Page, console_errors: list) -> None:
    page.goto("/hooks/probes/")
    page.wait_for_function("window.errors.length > 0")
    assert page.evaluate("window.errors") == ["command.unknown"]
    assert len(console_errors) == 1
    assert '"tests.neverRegistered" was sent before the page loaded and no script registered it' in console_errors[0]


def test_call_js_runs_a_registered_command(page: Page) -> None:
    page.goto("/hooks/probes/")
    calls_until(page, ["mounted", "probe-c"])
    page.click("#record")
    assert calls_until(page, ["command", "clicked"])[-1] == ["command", "clicked"]


def test_hooks_are_mounted_updated_and_destroyed_around_morphs(page: Page) -> None:
    page.goto("/hooks/probes/")
    assert calls_until(page, ["mounted", "probe-c"]) == [
        ["command", "initial"],
        ["mounted", "probe-a"],
        ["mounted", "probe-b"],
        ["mounted", "probe-c"],
    ]
    page.click("#again")  # Probe A's text changes; B and C stay the same.
    assert calls_until(page, ["command", "rendered", 1])[4:] == [["updated", "probe-a"], ["command", "rendered", 1]]
    page.click("#again")  # Probe C is gone.
    assert calls_until(page, ["command", "rendered", 2])[6:] == [
        ["destroyed", "probe-c"],
        ["updated", "probe-a"],
        ["command", "rendered", 2],
    ]


def test_a_morph_into_a_hooked_element_updates_it_only_when_it_changed(page: Page) -> None:
    page.goto("/hooks/probes/")
    calls_until(page, ["mounted", "probe-c"])
    page.click("#morph-probes")
    assert calls_until(page, ["command", "morphed"])[4:] == [["updated", "probe-a"], ["command", "morphed"]]


def test_hooks_follow_partial_navigation_and_back(page: Page) -> None:
    page.goto("/hooks/probes/")
    calls_until(page, ["mounted", "probe-c"])
    page.evaluate("window.calls = []")  # Kept only if the next pages load partially, without a reload.
    page.click("#link-other")
    expect(page.locator("#probe-d")).to_be_visible()
    assert calls_until(page, ["mounted", "probe-d"]) == [
        ["destroyed", "probe-a"],
        ["destroyed", "probe-b"],
        ["destroyed", "probe-c"],
        ["mounted", "probe-d"],
    ]
    page.go_back()  # The page's content and its first commands again.
    assert calls_until(page, ["command", "initial"])[4:] == [
        ["destroyed", "probe-d"],
        ["mounted", "probe-a"],
        ["mounted", "probe-b"],
        ["mounted", "probe-c"],
        ["command", "initial"],
    ]


def test_a_hook_hears_an_event_the_server_dispatched(page: Page) -> None:
    page.goto("/hooks/probes/")
    calls_until(page, ["mounted", "probe-c"])
    page.click("#ping")
    assert calls_until(page, ["command", "pinged"])[-2:] == [["ping", "probe-a", {"n": 3}], ["command", "pinged"]]


def test_a_hook_fires_the_callback_rendered_into_its_element(page: Page) -> None:
    page.goto("/hooks/probes/")
    calls_until(page, ["mounted", "probe-c"])
    page.click("#reporter")
    expect(page.locator("#report-result")).to_have_text("the server's argument + from the hook")
