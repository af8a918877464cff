"""hypergen.js and the client's command registry name the same commands."""

import re
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.utils.safestring import mark_safe

from hypergen import js
from hypergen.context import context
from hypergen.template import RenderState, hypergen, li, raw, render_into

CLIENT = Path(__file__).resolve().parent.parent.parent / "client" / "src"
# Commands the server sends itself and which have no js.* function of their own.
SERVER_ONLY = {"hypergen.morphPage"}


def client_command_names() -> set[str]:
    names = set()
    for source in CLIENT.glob("*.js"):
        text = source.read_text()
        names.update(re.findall(r'^\s*"(hypergen\.[A-Za-z.]+)":', text, re.MULTILINE))
        names.update(re.findall(r'commands\["(hypergen\.[A-Za-z.]+)"\] =', text))
    return names - {name for name in names if name.startswith("hypergen.when.")}


def test_the_websocket_commands_exist_on_the_client():
    assert websocket_commands() == {"hypergen.websocket.open", "hypergen.websocket.close"}


def test_every_js_function_has_a_client_command_and_back():
    assert set(js.CLIENT_COMMANDS.values()) == client_command_names() - SERVER_ONLY - websocket_commands()


def test_the_server_knows_exactly_the_client_s_built_in_commands():
    from hypergen.callbacks import builtin_commands

    assert builtin_commands() == client_command_names()


def websocket_commands() -> set[str]:
    return {name for name in client_command_names() if name.startswith("hypergen.websocket.")}


def test_every_js_function_is_public_and_documented():
    assert sorted(js.CLIENT_COMMANDS) == sorted(set(js.__all__) - {"UnsafeURL"})
    for name in js.__all__:
        assert getattr(js, name).__doc__, name


# What is HTML, what is a URL (security review, finding 2) ------------------------------------


def queued(func, *args):
    """The commands ``func(*args)`` queues, as a @liveview, @action or @consumer would send them."""
    state = RenderState()
    state.commands = []
    with render_into(state):
        func(*args)
    return state.commands


@pytest.mark.parametrize("func", [js.append, js.prepend, js.morph])
def test_a_plain_string_given_as_html_is_text(func):
    [[_name, _id, html]] = queued(func, "messages", '<img src=x onerror="alert(1)">')
    assert html == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"


def test_what_hypergen_raw_and_django_mark_safe_return_is_html():
    assert queued(js.append, "messages", hypergen(lambda: li("hi & bye")))[0][2] == "<li>hi &amp; bye</li>"
    assert queued(js.append, "messages", raw("<b>trusted</b>"))[0][2] == "<b>trusted</b>"
    assert queued(js.append, "messages", mark_safe("<i>marked</i>"))[0][2] == "<i>marked</i>"


def test_the_seed_chat_appends_its_message_as_html_with_the_text_escaped():
    message = "<script>alert(1)</script>"
    assert queued(js.append, "messages", hypergen(lambda: li(message))) == [
        ["hypergen.append", "messages", "<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>"]
    ]


UNSAFE_URLS = [
    "javascript:alert(1)",
    " JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
]


@pytest.mark.parametrize("url", [*UNSAFE_URLS, "//evil.example/", "\\\\evil.example/", "/\\evil.example/"])
def test_redirect_refuses_urls_that_run_script_or_leave_for_another_host(url):
    with pytest.raises(ValueError, match=r"js\.redirect\(.*js\.UnsafeURL"):
        queued(js.redirect, url)


@pytest.mark.parametrize(
    "url", ["/next/", "next/", "?page=2", "#top", "https://example.com/x", "http://a.b", "mailto:a@b.c", "tel:+4512"]
)
def test_redirect_accepts_http_relative_mailto_and_tel_urls(url):
    assert queued(js.redirect, url) == [["hypergen.redirect", url]]


def test_redirect_accepts_a_protocol_relative_url_to_the_same_host():
    with context(request=RequestFactory().get("/", HTTP_HOST="localhost")):
        assert queued(js.redirect, "//localhost/basket/") == [["hypergen.redirect", "//localhost/basket/"]]


def test_unsafe_url_is_the_explicit_opt_in_and_tells_the_client_so():
    url = js.UnsafeURL("javascript:void(0)")
    assert queued(js.redirect, url) == [["hypergen.redirect", "javascript:void(0)", {"unsafe_url": True}]]
    assert queued(js.set_attribute, "link", "href", url) == [
        ["hypergen.setAttribute", "link", "href", "javascript:void(0)", {"unsafe_url": True}]
    ]


@pytest.mark.parametrize("name", ["onclick", "ONMOUSEOVER", "onerror", "srcdoc"])
def test_set_attribute_refuses_event_handler_and_html_attributes(name):
    with pytest.raises(ValueError, match=r"js\.set_attribute\("):
        queued(js.set_attribute, "box", name, "alert(1)")


@pytest.mark.parametrize("name", ["href", "src", "action", "formaction", "xlink:href", "HREF"])
@pytest.mark.parametrize("url", UNSAFE_URLS)
def test_set_attribute_refuses_unsafe_urls_in_url_attributes(name, url):
    with pytest.raises(ValueError, match=r"js\.UnsafeURL"):
        queued(js.set_attribute, "link", name, url)


def test_set_attribute_sets_ordinary_attributes_and_safe_urls():
    assert queued(js.set_attribute, "box", "data-state", "javascript:is just text here") == [
        ["hypergen.setAttribute", "box", "data-state", "javascript:is just text here"]
    ]
    assert queued(js.set_attribute, "link", "href", "/docs/") == [["hypergen.setAttribute", "link", "href", "/docs/"]]


def test_the_test_client_runs_every_client_command():
    from hypergen.testing.commands import COMMANDS

    assert set(COMMANDS) == client_command_names()
