"""hypergen.testing: the test client users drive their own pages with, tested on the suite's pages."""

import subprocess
import sys

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client as DjangoClient

from hypergen.testing import (
    ActionError,
    Client,
    ElementNotFound,
    HandlerError,
    HypergenTestError,
    PageError,
    PageLoadError,
    UnknownCommandError,
)
from tests.integration.test_websockets import fresh_channel_layer  # noqa: F401 (an autouse fixture)
from tests.live_views import EXPECTED_VALUES  # The same as a real browser sends.

sockets = pytest.mark.django_db(transaction=True)  # Consumers run in another thread: see docs/testing.md.


@pytest.fixture
def hclient():
    with Client() as client:
        yield client


def user_with(username, *codenames):
    user = User.objects.create_user(username)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


# Pages and actions over HTTP ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_counter_increments_over_http(hclient):
    page = hclient.get("/live/counter/")
    page.assert_value("#count", "0")
    page.click("#increment").click("#increment")
    page.assert_value("#count", "2").assert_no_errors()
    assert page.title == "Live tests"


@pytest.mark.django_db
def test_finding_elements_and_reading_them(hclient):
    page = hclient.get("/templates/")
    items = page.find_all("#shopping li")
    assert [item.text for item in items] == ["Milk", "Bread <fresh>", "Tea & biscuits"]
    assert items[1].inner_html == "Bread &lt;fresh&gt;"
    assert page.find("#squares").tag == "table"
    assert page.find("#square-3")["id"] == "square-3"
    assert page.find("#square-3").outer_html.startswith('<tr id="square-3">')
    assert page.text("#square-3") == "39"  # textContent, as in the browser
    assert page.exists("#badges") and not page.exists("#nothing-here")


@pytest.mark.django_db
def test_every_input_type_is_sent_as_the_browser_sends_it(hclient):
    page = hclient.get("/live/inputs/")
    for name, expected in EXPECTED_VALUES.items():
        page.click(f"#send-{name}")
        page.assert_text(f"#result-{name}", expected)
    page.click("#send-typed").assert_text("#result-typed", "same types")
    page.change("#this-select", "2").assert_text("#result-this-select", "int: 2")  # THIS, typed by coerce_to.


@pytest.mark.django_db
def test_changed_values_are_read_when_the_event_fires(hclient):
    page = hclient.get("/live/inputs/")
    page.fill("#row-number input", "12.5").click("#send-number")
    page.assert_text("#result-number", "float: 12.5")
    page.fill("#row-number input", "12").click("#send-number")
    page.assert_text("#result-number", "int: 12")  # A whole number is an int in JSON, as in the browser.
    page.click("#row-checkbox input").click("#send-checkbox")
    page.assert_text("#result-checkbox", "bool: False")
    page.fill("#row-date input", "2025-02-03").click("#send-date")
    page.assert_text("#result-date", "date: datetime.date(2025, 2, 3)")
    page.change("#row-select-multiple select", ["b"]).click("#send-select-multiple")
    page.assert_text("#result-select-multiple", "list: ['b']")
    page.change("#row-select select", "a").click("#send-select")
    page.assert_text("#result-select", "str: 'a'")
    page.fill("#row-coerce-int input", "not a number").click("#send-coerce-int")
    page.assert_text("#result-coerce-int", "NoneType: None")
    page.fill("#row-textarea textarea", "new <text>").click("#send-textarea")
    page.assert_text("#result-textarea", "str: 'new <text>'")


@pytest.mark.django_db
def test_a_radio_group_sends_the_chosen_value(hclient):
    page = hclient.get("/live/inputs/")
    page.click("#send-radio").assert_text("#result-radio", "str: 'green'")
    page.click("#colour-blue").click("#send-radio").assert_text("#result-radio", "str: 'blue'")
    assert not page.find("#colour-green").checked


@pytest.mark.django_db
def test_every_client_command_runs_on_the_page(hclient):
    page = hclient.get("/live/client_commands/")
    page.click("#run")
    assert [li.text for li in page.find_all("#list li")] == ["first", "last"]
    page.assert_attribute("#box", "class", "highlight")
    page.assert_attribute("#box", "data-state", "done")
    page.assert_attribute("#box", "style", "display: none;")
    page.assert_value("#field", "new value")
    assert page.focused == "field"
    assert page.title == "Commands ran"
    page.click("#toggle").assert_attribute("#box", "class", "highlight open")
    page.click("#toggle").assert_attribute("#box", "class", "highlight")
    page.click("#store")
    assert page.client_state == {"picked": {"value": "7"}}


@pytest.mark.django_db
def test_a_redirect_is_recorded_and_can_be_followed(hclient):
    page = hclient.get("/live/redirecting/")
    page.click("#go")
    assert page.redirected_to == "/live/page-two/"
    page.goto(page.redirected_to)
    assert page.url == "http://testserver/live/page-two/"
    page.assert_text("#heading", "Page two")


@pytest.mark.django_db
def test_a_link_is_followed(hclient):
    page = hclient.get("/live/page_one/")
    page.click("#link-two")
    assert page.url.endswith("/live/page-two/")
    assert page.title == "Second page"


@pytest.mark.django_db
def test_a_whole_page_action_morphs_the_body(hclient):
    page = hclient.get("/live/counter/")
    page._post("/live/whole_page/", {"args": [], "meta": {}}, [], {})
    page.assert_text("#heading", "Whole page")
    page.assert_exists("#nav")


@pytest.mark.django_db
def test_options_clear_when_and_confirm(hclient):
    page = hclient.get("/live/options/")
    page.fill("#message", "hello").click("#send-clear")
    page.assert_text("#last", "hello").assert_value("#message", "")
    page.fill("#enter-only", "typed")
    page.assert_text("#calls", "calls: 1")  # The keyup of a letter does not get through when=Enter.
    page.press("#enter-only", "Enter").assert_text("#last", "typed")
    page.click("#confirm", confirm=False).assert_text("#calls", "calls: 2")
    page.click("#confirm").assert_text("#last", "confirmed")
    assert page.dialogs == ["Really?", "Really?"]


@pytest.mark.django_db
def test_morphing_keeps_what_the_user_typed_where_the_browser_keeps_it(hclient):
    page = hclient.get("/live/options/")
    page.fill("#message", "half a thought")  # Typed, not sent; the next morph renders #message unchanged.
    page.click("#sentinel").assert_text("#last", "sentinel")
    page.assert_value("#message", "half a thought")
    page.fill("#typing", "abc")  # Sends on keyup; the morph keeps the focused field's value.
    page.assert_text("#last", "abc").assert_value("#typing", "abc")


@pytest.mark.django_db
def test_headers_meta_and_uploads_are_sent(hclient):
    page = hclient.get("/live/request_options/")
    page.click("#echo-button")
    page.assert_text("#echo", "yes {'source': 'button', 'when': datetime.date(2026, 1, 2)}")
    page = hclient.get("/live/upload/")
    page.set_files("#file", ("notes.txt", b"twelve bytes"))
    page.click("#upload").assert_text("#uploaded", "notes.txt: 12 bytes")


@pytest.mark.django_db
def test_the_csrf_token_is_sent_like_the_browser_sends_it():
    page = Client(DjangoClient(enforce_csrf_checks=True)).get("/live/counter/")
    page.click("#increment").assert_value("#count", "1")


@pytest.mark.django_db
def test_logging_in_through_the_django_client():
    client = client_of(user_with("viewer", "view_user"))
    page = client.get("/live/members_only/")
    page.assert_text("#welcome", "Welcome, viewer")
    page.click("#secret").assert_text("#secret-result", "matched ('auth.view_user',)")


@pytest.mark.django_db
def test_an_anonymous_user_follows_the_redirect_to_the_login_page(hclient):
    page = hclient.get("/live/members_only/")
    assert page.url == "http://testserver/login/?next=/live/members_only/"


@pytest.mark.django_db
def test_a_page_that_answers_an_error_status_raises(hclient):
    hclient.force_login(User.objects.create_user("nobody"))
    with pytest.raises(PageLoadError, match="GET /live/members_only/ answered 403"):
        hclient.get("/live/members_only/")


# Errors -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_refused_action_raises_with_the_servers_message(hclient):
    hclient.force_login(User.objects.create_user("nobody"))
    page = hclient.get("/live/forbidden_button/")
    with pytest.raises(ActionError, match=r"server\.403: You do not have permission to do that\."):
        page.click("#try")
    assert page.errors == [PageError("server.403", "You do not have permission to do that.", 403)]


@pytest.mark.django_db
def test_errors_are_recorded_without_raising_when_asked():
    client = Client(raise_errors=False)
    client.force_login(User.objects.create_user("nobody"))
    page = client.get("/live/forbidden_button/")
    page.click("#try")
    assert [error.code for error in page.errors] == ["server.403"]
    with pytest.raises(AssertionError, match="Expected no errors, the page has:\n  server.403: You do not have"):
        page.assert_no_errors()


@pytest.mark.django_db
def test_an_action_that_raises_raises_in_the_test(hclient):
    page = hclient.get("/live/failing/")
    with pytest.raises(ValueError, match="the action failed on purpose"):
        page.click("#fail")  # Django's test client re-raises the view's exception.
    quiet = DjangoClient(raise_request_exception=False)
    page = Client(quiet).get("/live/failing/")
    with pytest.raises(ActionError, match=r"server\.500: The server could not handle this \(500"):
        page.click("#fail")
    page.click("#works").assert_text("#status", "still working")


@pytest.mark.django_db
def test_a_command_the_client_does_not_know_raises(hclient):
    page = hclient.get("/live/unknown_command_page/")
    with pytest.raises(UnknownCommandError, match="'hypergen.doesNotExist', which the browser client does not"):
        page.click("#unknown")


@pytest.mark.django_db
def test_assert_text_on_a_wrong_value_fails_with_what_the_page_has(hclient):
    page = hclient.get("/live/counter/").click("#increment")
    with pytest.raises(AssertionError) as failure:
        page.assert_text("#heading-that-is-not-there", "1")
    assert str(failure.value).startswith(
        "No element matches '#heading-that-is-not-there'. The page (http://testserver/live/counter/) has the ids: "
        "#nav, #link-one, #link-two, #link-plain, #content, #count, #increment."
    )
    page = hclient.get("/counter/").click("#increment")
    with pytest.raises(AssertionError, match=r"Expected the text of '#counter-example' to be '3', but it is 'Incr"):
        page.assert_text("#counter-example", "3")
    with pytest.raises(AssertionError, match="Expected the value of '#count' to be '3', but it is '1'"):
        page.assert_value("#count", "3")
    with pytest.raises(AssertionError, match=r"Expected 2 element\(s\) matching '#count', found 1:\n  <input"):
        page.assert_count("#count", 2)
    with pytest.raises(AssertionError, match="attribute 'disabled' of '#count' to be None, but it is ''"):
        page.assert_attribute("#count", "disabled", None)
    with pytest.raises(AssertionError, match="Expected no element matching '#count', found 1"):
        page.assert_missing("#count")


@pytest.mark.django_db
def test_firing_needs_exactly_one_element_with_a_handler(hclient):
    page = hclient.get("/live/counter/")
    with pytest.raises(ElementNotFound, match=r"page.click\('#nothing'\): no element matches it"):
        page.click("#nothing")
    with pytest.raises(ElementNotFound, match=r"page.click\('#nav a'\): 3 elements match it"):
        page.click("#nav a")
    with pytest.raises(HandlerError, match=r"nothing handles a click on <div id=\"content\">"):
        page.click("#content")
    with pytest.raises(HandlerError, match=r"<input id=\"count\" value=\"0\" disabled(=\"\")?> is disabled"):
        page.fill("#count", "1")


@pytest.mark.django_db
def test_waiting_for_what_never_comes_fails_with_what_the_page_has(hclient):
    page = hclient.get("/live/counter/")
    assert page.receive(timeout=0.1) == []
    with pytest.raises(ElementNotFound, match=r"nothing matched '#count' containing 'x' within 0.2 s"):
        page.wait_for("#count", text="x", timeout=0.2)


def test_importing_without_selectolax_names_the_extra():
    code = (
        "import sys; sys.modules['selectolax'] = None; sys.modules['selectolax.lexbor'] = None\n"
        "try:\n    import hypergen.testing\nexcept ImportError as error:\n    print(error)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'hypergen-live[testing]'" in result.stdout


# The demo's pages -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_counter(hclient):
    page = hclient.get("/counter/")
    for expected in ("1", "2", "3"):
        page.click("#increment").assert_value("#count", expected)


@pytest.mark.django_db
def test_the_demo_todos(hclient):
    page = hclient.get("/todos/")
    page.assert_text("#todo-count", "0 items left")
    page.fill("#new-todo", "Buy milk").press("#new-todo", "Enter")  # THIS, when=Enter, clear=True
    page.fill("#new-todo", "Walk the dog").click("#add-todo")
    page.assert_value("#new-todo", "").assert_count("#todo-list li", 2)
    page.assert_text("#todo-count", "2 items left")
    assert [label.text for label in page.find_all("#todo-list label")] == ["Buy milk", "Walk the dog"]
    first, second = page.find_all("#todo-list li")
    page.click(f"#toggle-{first.id.split('-')[1]}")  # A checkbox's onchange.
    page.assert_text("#todo-count", "1 item left").assert_attribute(f"#{first.id}", "class", "done")
    page.click("#filter-active").assert_count("#todo-list li", 1)
    page.click("#filter-completed").assert_text("#todo-list label", "Buy milk")
    page.click("#clear-completed").assert_count("#todo-list li", 0)
    page.click("#filter-all").assert_text("#todo-list label", "Walk the dog")
    page.click(f"#delete-{second.id.split('-')[1]}").assert_count("#todo-list li", 0)


@pytest.mark.django_db
def test_the_demo_signup_form_validates_as_you_type(hclient):
    page = hclient.get("/signup/")
    page.fill("#username", "x").assert_text("#username-feedback", "3 to 30 letters, digits or . @ + - _")
    page.fill("#username", "ann").assert_text("#username-feedback", "looks good")
    page.assert_attribute("#username-feedback", "class", "ok")


# Consumers over websockets -----------------------------------------------------------------------


@sockets
def test_the_seed_counter_over_its_socket(hclient):
    page = hclient.get("/seed/counter/")
    assert page.sockets == {"ws://testserver/seed/increment/": None}
    page.click("button").assert_value("#count", "2")
    page.click("button").assert_value("#count", "3")
    page.close()
    assert page.sockets == {}


@sockets
def test_the_seed_chat_in_two_tabs_of_one_user():
    client = client_of(user_with("ann", "can_chat"))
    with client.get("/chat/") as first, client.get("/chat/") as second:
        first.fill("#message", "hello").click("button")
        first.assert_text("#messages", "hello")  # Its own group message, there when click() returns.
        second.wait_for("#messages li", text="hello")
        second.fill("#message", "hi there").click("button")
        first.receive()
        assert [li.text for li in first.find_all("#messages li")] == ["hello", "hi there"]


@sockets
def test_the_demo_chat_room_between_two_users_and_not_other_rooms():
    ann, bob = client_of(user_with("ann", "can_chat")), client_of(user_with("bob", "can_chat"))
    lobby_ann, lobby_bob, garden_bob = ann.get("/rooms/lobby/"), bob.get("/rooms/lobby/"), bob.get("/rooms/garden/")
    lobby_ann.fill("#message", "Hi Bob").press("#message", "Enter")
    lobby_ann.assert_value("#message", "")  # clear=True
    lobby_bob.wait_for("#messages li", text="annHi Bob")
    assert lobby_bob.scrolled_to == "message"
    # The sentinel: the garden's own next message comes, and the lobby's never did.
    garden_bob.fill("#message", "Roses").press("#message", "Enter")
    garden_bob.wait_for("#messages li", text="bobRoses")
    assert [li.text for li in garden_bob.find_all("#messages li")] == ["bobRoses"]
    assert ann.get("/rooms/lobby/").find_all("#messages li")[0].text == "annHi Bob"  # Kept in the database.
    for client in (ann, bob):
        client.close()


@sockets
def test_a_custom_group_spans_urls(hclient):
    gold, silver = hclient.get("/vip/gold/"), hclient.get("/vip/silver/")
    gold.fill("#message", "champagne").click("#send")
    silver.wait_for("#messages li", text="gold: champagne")


@sockets
def test_state_on_the_consumer_lasts_as_long_as_the_tabs_socket(hclient):
    first, second = hclient.get("/seed/app_state/"), hclient.get("/seed/app_state/")
    first.click("#add").click("#add")
    assert [li.text for li in first.find_all("li")] == ["1", "2", "3", "4"]
    second.click("#add")
    assert [li.text for li in second.find_all("li")] == ["1", "2", "3"]


@sockets
def test_an_answer_for_the_sender_only_with_typed_values(hclient):
    page = hclient.get("/ws/socket_features/")
    page.fill("#name", "Bo").click("#typed")
    page.assert_text("#echo", "{'name': 'Bo', 'n': 1}")
    page.assert_text("#when", "2026-11-24").assert_text("#price", "3.10")  # Decoded as the client decodes them.


@sockets
def test_a_consumer_that_answers_too_late_times_out(hclient):
    page = hclient.get("/ws/socket_features/")
    with pytest.raises(ActionError, match=r"websocket\.timeout: The server did not answer within 0.3 s"):
        page.click("#too-slow")


@sockets
def test_a_socket_refused_at_connect_is_logged_and_sending_raises(hclient):
    page = hclient.get("/ws/chat_without_permission/")
    assert page.sockets == {"ws://testserver/chat/lobby": 4403}
    assert page.console == [
        ("websocket.refused", "ws://testserver/chat/lobby: refused: permission, a Host not in ALLOWED_HOSTS, "
         "or another site's Origin (4403)")
    ]  # fmt: skip


@sockets
def test_consumer_errors_raise_and_the_socket_stays_usable(hclient):
    page = hclient.get("/ws/socket_errors/")
    with pytest.raises(ActionError, match=r"websocket\.server-error: broken failed"):
        page.click("#break")
    with pytest.raises(ActionError, match=r"websocket\.bad-arguments: echo was sent 0 arguments; it takes 1"):
        page.click("#wrong-arguments")
    page.click("#echo-button").assert_text("#echo", "False /ws/echo/ hi")
    assert [error.code for error in page.errors] == ["websocket.server-error", "websocket.bad-arguments"]


@sockets
def test_a_socket_closed_by_the_page_sends_nothing(hclient):
    page = hclient.get("/ws/board/one/")
    page.click("#click-A").assert_text("#log", "A")
    page.click("#close")
    assert page.sockets == {}
    page.click("#click-B").assert_text("#log", "A")
    assert page.console[-1][0] == "websocket.closed"


@pytest.mark.django_db
def test_a_socket_in_a_test_transaction_is_refused_with_the_fix(hclient):
    with pytest.raises(HypergenTestError, match=r"Mark the test @pytest.mark.django_db\(transaction=True\)"):
        hclient.get("/seed/counter/")


# Client extensions: commands the page registers, and js.dispatch ------------------------------------


@pytest.mark.django_db
def test_commands_of_the_page_s_own_script_are_recorded(hclient):
    page = hclient.get("/hooks/probes/")
    assert page.custom_commands == [["tests.record", "initial"], ["tests.neverRegistered"]]
    page.click("#record")
    assert page.custom_commands[-1] == ["tests.record", "clicked"]


@pytest.mark.django_db
def test_dispatched_events_are_recorded(hclient):
    page = hclient.get("/hooks/probes/").click("#ping")
    assert page.dispatched == [("probe-a", "probe:ping", {"n": 3})]


@pytest.mark.django_db
def test_a_base_view_is_rendered_with_the_url_arguments_of_the_page(hclient):
    page = hclient.get("/live/shelf/poetry/3/")
    page.click("#bump").assert_text("#shelf", "shelf poetry, page 3, bumps 1")


@pytest.mark.django_db
def test_by_id_reads_an_element_written_after_the_button(hclient):
    hclient.get("/live/search_first/").click("#search").assert_text("#found", "searched for tea")
