"""Liveviews, actions and callbacks, as a person uses them in the browser."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.live_views import EXPECTED_VALUES


def test_counter_increments_through_an_action(page: Page, console_errors: list) -> None:
    page.goto("/live/counter/")
    expect(page.locator("#count")).to_have_value("0")
    page.click("#increment")
    expect(page.locator("#count")).to_have_value("1")
    page.click("#increment")  # Each click reads the field, so wait for each answer to be in it.
    expect(page.locator("#count")).to_have_value("2")
    page.click("#increment")
    expect(page.locator("#count")).to_have_value("3")
    assert console_errors == []


def test_every_input_type_arrives_as_its_python_type(page: Page, console_errors: list) -> None:
    page.goto("/live/inputs/")
    for name, expected in EXPECTED_VALUES.items():
        page.click(f"#send-{name}")
        expect(page.locator(f"#result-{name}")).to_have_text(expected)
    assert console_errors == []


def test_this_is_typed_by_the_elements_coerce_to(page: Page, console_errors: list) -> None:
    page.goto("/live/inputs/")
    page.select_option("#this-select", "2")
    expect(page.locator("#result-this-select")).to_have_text("int: 2")
    assert console_errors == []


def test_changed_values_are_read_when_the_event_fires(page: Page) -> None:
    page.goto("/live/inputs/")
    page.fill("#row-number input", "12.5")
    page.click("#send-number")
    expect(page.locator("#result-number")).to_have_text("float: 12.5")
    page.uncheck("#row-checkbox input")
    page.click("#send-checkbox")
    expect(page.locator("#result-checkbox")).to_have_text("bool: False")
    page.fill("#row-date input", "2025-02-03")
    page.click("#send-date")
    expect(page.locator("#result-date")).to_have_text("date: datetime.date(2025, 2, 3)")
    page.select_option("#row-select-multiple select", ["b"])
    page.click("#send-select-multiple")
    expect(page.locator("#result-select-multiple")).to_have_text("list: ['b']")
    page.fill("#row-coerce-int input", "not a number")
    page.click("#send-coerce-int")
    expect(page.locator("#result-coerce-int")).to_have_text("NoneType: None")


def test_radio_group_sends_the_chosen_value(page: Page) -> None:
    page.goto("/live/inputs/")
    page.click("#send-radio")
    expect(page.locator("#result-radio")).to_have_text("str: 'green'")
    page.check("#colour-blue")
    page.click("#send-radio")
    expect(page.locator("#result-radio")).to_have_text("str: 'blue'")


def test_callback_arguments_of_every_wire_type_arrive_with_their_types(page: Page) -> None:
    page.goto("/live/inputs/")
    page.click("#send-typed")
    expect(page.locator("#result-typed")).to_have_text("same types")


def test_debounce_sends_once_after_typing_stops(page: Page) -> None:
    page.goto("/live/options/")
    page.locator("#typing").press_sequentially("hello", delay=40)
    expect(page.locator("#last")).to_have_text("hello")
    page.click("#sentinel")
    expect(page.locator("#last")).to_have_text("sentinel")
    expect(page.locator("#calls")).to_have_text("calls: 2")  # "hello" once, then the sentinel.


def test_when_filters_keys(page: Page) -> None:
    page.goto("/live/options/")
    page.locator("#enter-only").press_sequentially("abc", delay=20)
    page.locator("#enter-only").press("Enter")
    expect(page.locator("#last")).to_have_text("abc")
    page.click("#sentinel")
    expect(page.locator("#last")).to_have_text("sentinel")
    expect(page.locator("#calls")).to_have_text("calls: 2")  # Enter, then the sentinel: no a, b or c.


def test_confirm_accepted_sends_and_dismissed_does_not(page: Page) -> None:
    page.goto("/live/options/")
    messages = []

    def answer(dialog):
        messages.append(dialog.message)
        dialog.dismiss() if len(messages) == 1 else dialog.accept()

    page.on("dialog", answer)
    page.click("#confirm")
    page.click("#confirm")
    expect(page.locator("#last")).to_have_text("confirmed")
    page.click("#sentinel")
    expect(page.locator("#last")).to_have_text("sentinel")
    expect(page.locator("#calls")).to_have_text("calls: 2")  # The accepted one, then the sentinel.
    assert messages == ["Really?", "Really?"]


def test_blocks_ignores_clicks_while_the_call_is_in_flight(page: Page) -> None:
    page.goto("/live/options/")
    page.click("#blocking")
    expect(page.locator("html")).to_have_class(re.compile("hypergen-blocked"))
    expect(page.locator("#blocking")).to_have_class(re.compile("hypergen-loading"))
    page.click("#blocking")
    page.click("#confirm")  # Another callback: blocked too, so no dialog opens.
    expect(page.locator("#calls")).to_have_text("calls: 1")
    expect(page.locator("html")).not_to_have_class(re.compile("hypergen-blocked"))
    page.click("#sentinel")
    expect(page.locator("#last")).to_have_text("sentinel")
    expect(page.locator("#calls")).to_have_text("calls: 2")  # The blocking call once, then the sentinel.


def test_clear_empties_the_sent_field(page: Page) -> None:
    page.goto("/live/options/")
    page.fill("#message", "hi there")
    page.click("#send-clear")
    expect(page.locator("#last")).to_have_text("hi there")
    expect(page.locator("#message")).to_have_value("")


def test_morph_keeps_focus_and_what_is_being_typed(page: Page) -> None:
    page.goto("/live/options/")
    page.locator("#typing").press_sequentially("abc", delay=20)
    expect(page.locator("#calls")).to_have_text("calls: 1")  # The debounced call morphed the content.
    page.keyboard.type("d")
    assert page.evaluate("document.activeElement.id") == "typing"
    expect(page.locator("#typing")).to_have_value("abcd")


def test_partial_loading_morphs_the_content_and_keeps_history(page: Page, console_errors: list) -> None:
    page.goto("/live/page_one/")
    page.evaluate("window.marker = 'same document'")
    page.fill("#keep-me", "typed")
    page.click("#link-two")
    expect(page.locator("#heading")).to_have_text("Page two")
    expect(page).to_have_url(re.compile("/live/page-two/$"))
    expect(page).to_have_title("Second page")
    assert page.evaluate("window.marker") == "same document"
    page.go_back()
    expect(page.locator("#heading")).to_have_text("Page one")
    expect(page).to_have_url(re.compile("/live/page_one/$"))
    page.go_forward()
    expect(page.locator("#heading")).to_have_text("Page two")
    assert page.evaluate("window.marker") == "same document"
    assert console_errors == []


def test_links_to_other_pages_load_normally(page: Page) -> None:
    page.goto("/live/page_one/")
    page.evaluate("window.marker = 'old document'")
    page.click("#link-plain")
    expect(page.locator("#heading")).to_have_text("Escaping")
    assert page.evaluate("window.marker") is None


def test_upload_shows_progress_and_arrives(page: Page) -> None:
    page.goto("/live/upload/")
    page.evaluate(
        """() => { window.progressEvents = [];
        document.addEventListener('hypergen:upload-progress', e => window.progressEvents.push(e.detail.percent)); }"""
    )
    page.set_input_files(
        "#file", files=[{"name": "big.bin", "mimeType": "application/octet-stream", "buffer": b"x" * 3_000_000}]
    )
    page.click("#upload")
    expect(page.locator("#uploaded")).to_have_text("big.bin: 3000000 bytes")
    assert page.evaluate("document.getElementById('progress').value") == 100
    events = page.evaluate("window.progressEvents")
    assert events and events[-1] == 100


def test_an_action_can_redirect(page: Page) -> None:
    page.goto("/live/redirecting/")
    page.click("#go")
    expect(page).to_have_url(re.compile("/live/page-two/$"))
    expect(page.locator("#heading")).to_have_text("Page two")


@pytest.mark.server_errors(r"failed on purpose")
def test_a_failing_action_shows_a_short_message_without_a_traceback(page: Page) -> None:
    page.goto("/live/failing/")
    page.click("#fail")
    notice = page.locator("#hypergen-error")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("500")
    expect(notice).not_to_contain_text("ValueError")
    assert page.locator("#hypergen-error iframe").count() == 0
    page.click("#works")
    expect(page.locator("#status")).to_have_text("still working")


def test_anonymous_users_are_sent_to_log_in(page: Page) -> None:
    page.goto("/live/members_only/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/live/members_only/"))


def test_an_action_refuses_users_without_the_permission(page: Page, login) -> None:
    login(page, "nobody", perms=[])
    page.goto("/live/forbidden_button/")
    page.click("#try")
    expect(page.locator("#hypergen-error")).to_contain_text("You do not have permission to do that.")


def test_an_anonymous_visitor_refused_by_an_action_goes_to_log_in_and_back(page: Page) -> None:
    page.goto("/live/forbidden_button/")
    page.click("#try")
    expect(page).to_have_url(re.compile(r"/login/\?next=/live/forbidden_button/$"))


def test_a_user_with_the_permission_gets_in(page: Page, login) -> None:
    login(page, "viewer", perms=["auth.view_user"])
    page.goto("/live/members_only/")
    expect(page.locator("#welcome")).to_have_text("Welcome, viewer")
    page.click("#secret")
    expect(page.locator("#secret-result")).to_have_text("matched ('auth.view_user',)")


@pytest.mark.server_errors(r"Forbidden \(Permission denied\)")
def test_a_logged_in_user_without_the_permission_gets_403(page: Page, login) -> None:
    login(page, "nobody", perms=[])
    response = page.goto("/live/members_only/")
    assert response.status == 403


def test_django_templates_use_callbacks_through_template_tags(page: Page, console_errors: list) -> None:
    page.goto("/test/django-template/")
    page.click("#increment")
    expect(page.locator("#count")).to_have_value("6")
    page.click("#increment")  # Now the button rendered by the action itself.
    expect(page.locator("#count")).to_have_value("7")
    page.click("#send-note")
    expect(page.locator("#result-note")).to_have_text("str: 'typed in a template'")
    assert console_errors == []


def test_headers_and_meta_reach_the_action(page: Page) -> None:
    page.goto("/live/request_options/")
    page.click("#echo-button")
    expect(page.locator("#echo")).to_have_text("yes {'source': 'button', 'when': datetime.date(2026, 1, 2)}")


def test_a_timeout_shows_a_message(page: Page) -> None:
    page.goto("/live/request_options/")
    page.click("#too-slow")
    expect(page.locator("#hypergen-error")).to_contain_text("did not answer within 0.1 s")


def test_commands_from_an_action_change_the_page(page: Page, console_errors: list) -> None:
    page.goto("/live/client_commands/")
    page.click("#run")
    expect(page.locator("#list li")).to_have_text(["first", "last"])
    expect(page.locator("#box")).to_have_class("highlight")
    expect(page.locator("#box")).to_have_attribute("data-state", "done")
    expect(page.locator("#box")).to_be_hidden()
    expect(page.locator("#field")).to_have_value("new value")
    expect(page.locator("#field")).to_be_focused()
    expect(page).to_have_title("Commands ran")
    assert console_errors == []


def test_call_js_runs_client_commands_without_the_server(page: Page) -> None:
    page.goto("/live/client_commands/")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.click("#toggle")
    expect(page.locator("#box")).to_have_class("plain open")
    page.click("#store")
    assert page.evaluate("hypergen.clientState.picked.value") == "7"
    assert requests == []


def test_base_view_renders_the_page_again_with_its_own_url_arguments(page: Page, console_errors: list) -> None:
    page.goto("/live/shelf/poetry/3/")
    expect(page.locator("#shelf")).to_have_text("shelf poetry, page 3, bumps 0")
    page.click("#bump")
    expect(page.locator("#shelf")).to_have_text("shelf poetry, page 3, bumps 1")
    page.click("#bump")
    expect(page.locator("#shelf")).to_have_text("shelf poetry, page 3, bumps 2")
    assert console_errors == []
