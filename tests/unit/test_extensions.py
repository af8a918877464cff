"""Client extension points, the Python half: custom command names, js.dispatch, hook= and hook callbacks."""

import html
import json
import re

import pytest

from hypergen import js
from hypergen.callbacks import builtin_commands, call_js, callback, command
from hypergen.serialization import WireError
from hypergen.template import RenderState, div, hypergen, input_, render_into


def queued(func, *args):
    state = RenderState()
    state.commands = []
    with render_into(state):
        func(*args)
    return state.commands


# Command names --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["myapp.showToast", "shop.cart.add", "_private.thing", "app2.v1_go"])
def test_command_accepts_a_dotted_name_of_your_own(name):
    assert queued(command, name, 1, "two") == [[name, 1, "two"]]


@pytest.mark.parametrize("name", ["myapp.showToast", "shop.cart.add"])
def test_call_js_accepts_a_dotted_name_of_your_own(name):
    assert call_js(name, 1).path == name


@pytest.mark.parametrize(
    "name", ["showToast", "myapp.", ".showToast", "my app.toast", "myapp..toast", "1app.toast", "window.alert()", ""]
)
@pytest.mark.parametrize("function", [command, call_js])
def test_a_name_that_is_not_a_dotted_identifier_is_refused(function, name):
    with pytest.raises(TypeError, match=rf"{function.__name__}\({re.escape(repr(name))}\): .*'myapp.showToast'"):
        queued(function, name)


@pytest.mark.parametrize("function", [command, call_js])
def test_a_hypergen_name_that_is_not_built_in_is_refused(function):
    with pytest.raises(TypeError, match=r"'hypergen.hid' is not a built-in client command.*outside 'hypergen.'"):
        queued(function, "hypergen.hid", "menu")


@pytest.mark.parametrize("function", [command, call_js])
def test_a_name_that_is_not_a_string_is_refused(function):
    with pytest.raises(TypeError, match="name a client command"):
        queued(function, None)


def test_every_built_in_name_is_accepted():
    for name in builtin_commands():
        call_js(name)


# js.dispatch ------------------------------------------------------------------------------------


def test_dispatch_queues_the_event_with_its_detail():
    assert queued(js.dispatch, "chart", "chart:point", {"x": 1, "y": 2.5}) == [
        ["hypergen.dispatch", "chart", "chart:point", {"x": 1, "y": 2.5}]
    ]


def test_dispatch_without_detail_sends_null():
    assert queued(js.dispatch, "chart", "refresh") == [["hypergen.dispatch", "chart", "refresh", None]]


@pytest.mark.parametrize("name", ["", "two words", None, 3])
def test_dispatch_refuses_an_event_name_that_is_not_one_word(name):
    with pytest.raises(TypeError, match=r"js.dispatch\('chart', .*\): an event name"):
        queued(js.dispatch, "chart", name)


def test_dispatch_refuses_a_detail_that_cannot_be_sent():
    with pytest.raises(WireError):
        queued(js.dispatch, "chart", "point", object())


# hook= -------------------------------------------------------------------------------------------


def test_hook_renders_a_data_attribute():
    assert hypergen(div, "", id="chart", hook="Chart") == '<div id="chart" data-hypergen-hook="Chart"></div>'


def test_a_dotted_hook_name_is_fine():
    assert 'data-hypergen-hook="myapp.Chart"' in hypergen(div, hook="myapp.Chart")


@pytest.mark.parametrize("name", ["", "my chart", "Chart()", "1Chart", 7])
def test_a_hook_name_that_is_not_an_identifier_is_refused(name):
    with pytest.raises(TypeError, match=r"<div hook=.*registerHook"):
        hypergen(div, hook=name)


# Callbacks for hooks --------------------------------------------------------------------------


def attribute(markup, name):
    return html.unescape(re.search(rf'{name}="([^"]*)"', markup).group(1))


def test_a_callback_in_a_data_attribute_is_json_a_hook_can_fire():
    markup = hypergen(div, hook="Chart", data_zoom=callback("/chart/zoom/", 1, debounce=50))
    assert json.loads(attribute(markup, "data-zoom")) == ["/chart/zoom/", [1], {"debounce": 50}]


def test_a_callback_in_a_data_attribute_carries_element_references():
    def template():
        field = input_(id="scale", value=2)
        div(hook="Chart", data_zoom=callback("/chart/zoom/", field))

    markup = hypergen(template)
    assert json.loads(attribute(markup, "data-zoom")) == [
        "/chart/zoom/",
        [{"_t": "element", "v": ["scale", "int"]}],
        {},
    ]


def test_a_callback_in_an_event_attribute_is_still_a_call():
    markup = hypergen(div, onclick=callback("/chart/zoom/", 1))
    assert attribute(markup, "onclick") == 'hypergen.callback(event,"/chart/zoom/",[1],{})'
