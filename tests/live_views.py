"""Liveviews and actions the browser and integration tests drive."""

import time
from contextlib import contextmanager
from datetime import date, datetime
from datetime import time as time_of_day
from decimal import Decimal

from django.http import HttpResponse, HttpResponseRedirect

from hypergen import js
from hypergen.imports import *


@contextmanager
def base_template(title_text="Live tests"):
    doctype()
    with html(lang="en"):
        with head():
            meta(charset="utf-8")
            title(title_text)
            link(rel="icon", href="data:,")
        with body():
            with nav(id="nav"):
                a("Page one", href=page_one.reverse(), id="link-one")
                a("Page two", href=page_two.reverse(), id="link-two")
                a("Plain Django page", href="/test/escaping/", id="link-plain")
            with div(id="content"):
                yield


base_template.target_id = "content"


def appstate_counter():
    return {"count": 0, "calls": 0}


# The seed's counter, over HTTP ---------------------------------------------------------


def counter_template(n):
    count = input_(id="count", value=n, disabled=True)
    button("Increment", onclick=callback(increment, count), id="increment")


@liveview(perm=NO_PERM_REQUIRED, base_template=base_template)
def counter(request):
    counter_template(0)


@action(perm=NO_PERM_REQUIRED, base_template=base_template)
def increment(request, n):
    counter_template(n + 1)


# Every input type, round-tripped ----------------------------------------------------------

INPUTS = [
    ("text", lambda: input_(type="text", value="hello")),
    ("number", lambda: input_(type="number", value=3)),
    ("range", lambda: input_(type="range", min=0, max=10, step=0.5, value=2.5)),
    ("range-whole", lambda: input_(type="range", min=0, max=10, value=3)),
    ("coerce-float", lambda: input_(type="text", value="4", coerce_to=float)),
    ("checkbox", lambda: input_(type="checkbox", checked=True)),
    ("date", lambda: input_(type="date", value="2026-11-24")),
    ("time", lambda: input_(type="time", value="10:30")),
    ("datetime-local", lambda: input_(type="datetime-local", value="2026-11-24T10:30")),
    ("month", lambda: input_(type="month", value="2026-11")),
    ("week", lambda: input_(type="week", value="2026-W48")),
    ("email", lambda: input_(type="email", value="ann@example.com")),
    ("color", lambda: input_(type="color", value="#ff0000")),
    ("textarea", lambda: textarea("two\nlines")),
    ("select", lambda: select(option("A", value="a"), option("B", value="b", selected=True))),
    (
        "select-multiple",
        lambda: select(
            option("A", value="a", selected=True),
            option("B", value="b"),
            option("C", value="c", selected=True),
            multiple=True,
        ),
    ),
    ("coerce-int", lambda: input_(type="text", value="42", coerce_to=int)),
    ("coerce-decimal", lambda: input_(type="text", value="3.10", coerce_to=Decimal)),
    ("value-int", lambda: input_(type="hidden", value=7)),
    ("contenteditable", lambda: div("edit <me>", contenteditable="true")),
]


# What each of INPUTS arrives as, in an action (the browser tests and hypergen.testing's check both).
EXPECTED_VALUES = {
    "text": "str: 'hello'",
    "number": "int: 3",
    "range": "float: 2.5",
    "range-whole": "float: 3.0",
    "coerce-float": "float: 4.0",
    "checkbox": "bool: True",
    "date": "date: datetime.date(2026, 11, 24)",
    "time": "time: datetime.time(10, 30)",
    "datetime-local": "datetime: datetime.datetime(2026, 11, 24, 10, 30)",
    "month": "date: datetime.date(2026, 11, 1)",
    "week": "date: datetime.date(2026, 11, 23)",
    "email": "str: 'ann@example.com'",
    "color": "str: '#ff0000'",
    "textarea": "str: 'two\\nlines'",
    "select": "str: 'b'",
    "select-multiple": "list: ['a', 'c']",
    "coerce-int": "int: 42",
    "coerce-decimal": "Decimal: Decimal('3.10')",
    "value-int": "int: 7",
    "contenteditable": "str: 'edit &lt;me&gt;'",
}


@liveview(perm=NO_PERM_REQUIRED, base_template=base_template)
def inputs(request):
    with table(id="inputs"):
        for name, make in INPUTS:
            with tr(id_=("row", name)):
                td(name)
                with td():
                    element = make()
                td(button("Send", onclick=callback(receive_value, name, element), id_=("send", name)))
                td(id_=("result", name))
    with div(id="radios"):
        radios = [
            input_(type="radio", name="colour", value=colour, id_=("colour", colour), checked=colour == "green")
            for colour in ("red", "green", "blue")
        ]
        # Any radio of the group stands for the group: its value is the chosen one's.
        button("Send radio", onclick=callback(receive_value, "radio", radios[0]), id="send-radio")
        span(id="result-radio")
    # THIS reads the element the event fired on, typed by its coerce_to= like any reference.
    with select(id="this-select", coerce_to=int, onchange=callback(receive_value, "this-select", THIS)):
        option("one", value="1")
        option("two", value="2")
    span(id="result-this-select")
    button("Send typed args", id="send-typed", onclick=callback(receive_typed, *TYPED_ARGS))
    span(id="result-typed")


@action(perm=NO_PERM_REQUIRED)
def receive_value(request, name, value):
    js.set_text(f"result-{name}", f"{type(value).__name__}: {value!r}")


TYPED_ARGS = (
    date(2026, 11, 24),
    datetime(2026, 11, 24, 10, 30),
    time_of_day(10, 30),
    Decimal("1.50"),
    (1, 2),
    {3},
    frozenset({4}),
    range(0, 3),
    {"a": [1, None, True]},
)


@action(perm=NO_PERM_REQUIRED)
def receive_typed(request, *args):
    same = tuple(args) == TYPED_ARGS and all(type(a) is type(b) for a, b in zip(args, TYPED_ARGS, strict=True))
    js.set_text("result-typed", "same types" if same else f"different: {args!r}")


# Callback options -----------------------------------------------------------------------


def options_template(state):
    p("calls: ", state["calls"], id="calls")
    input_(id="typing", onkeyup=callback(record_call, THIS, debounce=300))
    input_(id="enter-only", onkeyup=callback(record_call, THIS, when=["hypergen.when.keycode", "Enter"]))
    button("Confirm me", id="confirm", onclick=callback(record_call, "confirmed", confirm="Really?"))
    button("Slow and blocking", id="blocking", onclick=callback(slow_call, blocks=True))
    message = input_(id="message")
    button("Send and clear", id="send-clear", onclick=callback(record_call, message, clear=True))
    # The tests' sentinel: a plain call, whose answer shows every call made before it was counted.
    button("Sentinel", id="sentinel", onclick=callback(record_call, "sentinel"))
    p(state.get("last", ""), id="last")


@liveview(perm=NO_PERM_REQUIRED, base_template=base_template, appstate=appstate_counter)
def options(request):
    options_template(context.hypergen.appstate)


@action(perm=NO_PERM_REQUIRED, base_template=base_template, appstate=appstate_counter)
def record_call(request, value):
    state = context.hypergen.appstate
    state["calls"] += 1
    state["last"] = value
    options_template(state)


@action(perm=NO_PERM_REQUIRED)
async def async_action(request, text):
    """An async action: awaited on an event loop, rendering as usual."""
    import asyncio

    await asyncio.sleep(0)
    js.set_text("echo", text.upper())


@liveview(perm=NO_PERM_REQUIRED, appstate=appstate_counter)
def count_and_redirect(request):
    """Changes the app state, then sends the browser elsewhere: the change is kept."""
    context.hypergen.appstate["calls"] += 1
    return HttpResponseRedirect("/live/options/")


@action(perm=NO_PERM_REQUIRED, appstate=appstate_counter)
def count_and_download(request):
    """Changes the app state and answers with a file of its own: the change is kept."""
    context.hypergen.appstate["calls"] += 1
    return HttpResponse("calls.csv", content_type="text/csv")


@action(perm=NO_PERM_REQUIRED, base_template=base_template, appstate=appstate_counter)
def slow_call(request):
    time.sleep(0.6)
    state = context.hypergen.appstate
    state["calls"] += 1
    options_template(state)


# Partial loading ------------------------------------------------------------------------


@liveview(perm=NO_PERM_REQUIRED, base_template=base_template)
def page_one(request):
    h1("Page one", id="heading")
    input_(id="keep-me", placeholder="state outside the content survives")


def second_base_template():
    return base_template("Second page")


second_base_template.target_id = "content"


@liveview(perm=NO_PERM_REQUIRED, base_template=second_base_template, path="page-two/")
def page_two(request):
    h1("Page two", id="heading")


# Upload, redirect, errors, permissions ------------------------------------------------


@liveview(perm=NO_PERM_REQUIRED, base_template=base_template)
def upload(request):
    files = input_(type="file", id="file")
    progress(id="progress", value=0, max=100, data_hypergen_upload_progress=True)
    button("Upload", id="upload", onclick=callback(receive_upload, files, upload_files=True))
    p(id="uploaded")


@action(perm=NO_PERM_REQUIRED)
def receive_upload(request, name):
    uploaded = request.FILES["file"]
    js.set_text("uploaded", f"{name}: {uploaded.size} bytes")


@liveview(perm=NO_PERM_REQUIRED, base_template=base_template)
def redirecting(request):
    button("Go", id="go", onclick=callback(go_elsewhere))


@action(perm=NO_PERM_REQUIRED)
def go_elsewhere(request):
    return HttpResponseRedirect(page_two.reverse())


@liveview(perm=NO_PERM_REQUIRED, base_template=base_template)
def failing(request):
    button("Fail", id="fail", onclick=callback(fail))
    button("Still works", id="works", onclick=callback(works))
    p(id="status")


@action(perm=NO_PERM_REQUIRED)
def fail(request):
    raise ValueError("the action failed on purpose")


@action(perm=NO_PERM_REQUIRED)
def works(request):
    js.set_text("status", "still working")


@liveview(perm="auth.view_user", base_template=base_template)
def members_only(request):
    p("Welcome, ", request.user.username, id="welcome")
    button("Secret", id="secret", onclick=callback(secret_action))
    p(id="secret-result")


@action(perm="auth.view_user")
def secret_action(request):
    js.set_text("secret-result", f"matched {context.hypergen.matched_perms}")


@action(perm="auth.view_user", denied_message="Only staff may leave notes.")
def staff_note(request):
    pass


@liveview(perm=NO_PERM_REQUIRED, base_template=base_template)
def forbidden_button(request):
    button("Try", id="try", onclick=callback(secret_action))


@liveview(perm=NO_PERM_REQUIRED, base_template=base_template)
def request_options(request):
    button(
        "Echo",
        id="echo-button",
        onclick=callback(echo_request, headers={"X-Demo": "yes"}, meta={"source": "button", "when": date(2026, 1, 2)}),
    )
    button("Too slow", id="too-slow", onclick=callback(slow_call, timeout=100))
    p(id="echo")


@action(perm=NO_PERM_REQUIRED)
def echo_request(request):
    js.set_text("echo", f"{request.headers.get('X-Demo')} {context.hypergen.meta!r}")


@action(perm=NO_PERM_REQUIRED, base_template=base_template, partial=False)
def whole_page(request):
    h1("Whole page", id="heading")


@liveview(perm=NO_PERM_REQUIRED, base_template=base_template)
def client_commands(request):
    with ul(id="list"):
        li("middle", id="middle")
    p("box", id="box", class_="plain")
    input_(id="field", value="x")
    button("Run commands", id="run", onclick=callback(run_commands))
    button("Toggle locally", id="toggle", onclick=call_js("hypergen.toggleClass", "box", "open"))
    button("Store locally", id="store", onclick=call_js("hypergen.setClientState", "picked.value", THIS), value="7")


@action(perm=NO_PERM_REQUIRED)
def run_commands(request):
    js.append("list", hypergen(lambda: li("last", id="last")))
    js.prepend("list", li("first", id="first"))
    js.remove("middle")
    js.add_class("box", "highlight")
    js.remove_class("box", "plain")
    js.set_attribute("box", "data-state", "done")
    js.hide("box")
    js.set_value("field", "new value")
    js.focus("field")
    js.set_title("Commands ran")


# base_view= renders another page: only for users that page lets in -------------------------


@action(perm=NO_PERM_REQUIRED, base_view=members_only)
def public_action_on_members_page(request):
    pass


# Hostile command arguments: the browser must not run them (tests/browser/test_security.py) ------

REDIRECT_SCRIPT = "javascript:void(window.pwned='redirect')"
HREF_SCRIPT = "javascript:void(window.pwned='href')"
HOSTILE_TEXT = "<img src=x onerror=\"window.pwned='append'\">"


@liveview(perm=NO_PERM_REQUIRED, base_template=base_template)
def hostile_commands(request):
    ul(id="list")
    a("a link", id="link", href="#start")
    button("a target", id="target")
    p(id="status")
    button("redirect", id="js-redirect", onclick=call_js("hypergen.redirect", REDIRECT_SCRIPT))
    button("on*", id="js-on", onclick=call_js("hypergen.setAttribute", "target", "onclick", "window.pwned='on'"))
    button(
        "href",
        id="js-href",
        onclick=call_js("hypergen.setAttribute", "link", "href", HREF_SCRIPT),
    )
    button("proto", id="js-proto", onclick=call_js("hypergen.setClientState", "__proto__.polluted", "yes"))
    button("ctor", id="js-ctor", onclick=call_js("hypergen.setClientState", "constructor.prototype.polluted", "yes"))
    button("append text", id="append-text", onclick=callback(append_text, HOSTILE_TEXT))
    button("sentinel", id="sentinel", onclick=call_js("hypergen.setText", "status", "sentinel"))
    button("action sentinel", id="action-sentinel", onclick=callback(set_status, "action sentinel"))


@action(perm=NO_PERM_REQUIRED)
def append_text(request, text):
    js.append("list", text)


@action(perm=NO_PERM_REQUIRED)
def set_status(request, text):
    js.set_text("status", text)


@action(perm=NO_PERM_REQUIRED)
def with_secret_default(request, n, api_key="sk-live-SECRET"):
    js.set_text("status", n)


# For hypergen.testing's own tests ------------------------------------------------------


@liveview(perm=NO_PERM_REQUIRED, base_template=base_template)
def unknown_command_page(request):
    button("Send an unknown command", id="unknown", onclick=callback(send_unknown_command))
    p("before", id="status")


@action(perm=NO_PERM_REQUIRED)
def send_unknown_command(request):
    js.set_text("status", "after")
    return [["hypergen.doesNotExist", "status"]]


# Used by bench/wire.py: the same todo list over HTTP -------------------------------------------


@action(perm=NO_PERM_REQUIRED, target_id="todos")
def wire_toggle_http(request, n):
    from tests.ws_views import WIRE_TODOS, wire_todo_list

    WIRE_TODOS[n] = not WIRE_TODOS[n]
    wire_todo_list()


# base_view= on a page with URL arguments: the page the event came from is rendered again -----


@liveview(perm=NO_PERM_REQUIRED, base_template=base_template, path="shelf/<slug:shelf>/<int:number>/")
def shelf(request, shelf, number):
    p(f"shelf {shelf}, page {number}, bumps {request.session.get('bumps', 0)}", id="shelf")
    button("Bump", id="bump", onclick=callback(bump_shelf))


@action(perm=NO_PERM_REQUIRED, base_view=shelf)
def bump_shelf(request):
    request.session["bumps"] = request.session.get("bumps", 0) + 1


# by_id(): a callback reading an element the template writes after it ----------------------


@liveview(perm=NO_PERM_REQUIRED, base_template=base_template)
def search_first(request):
    button("Search", id="search", onclick=callback(search_for, by_id("query")))
    input_(id="query", type="search", value="tea")
    p(id="found")


@action(perm=NO_PERM_REQUIRED)
def search_for(request, query):
    js.set_text("found", f"searched for {query}")
