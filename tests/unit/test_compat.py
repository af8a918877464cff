"""hypergen.compat: each 1.5 name still works, and warns with the name of its replacement."""

import asyncio
from datetime import date

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.test import RequestFactory

from hypergen import compat
from hypergen.context import context
from hypergen.template import p


def test_ws_url_gives_the_websocket_url_of_a_path_and_names_websocket_url():
    with context(request=RequestFactory().get("/chat/")), pytest.warns(DeprecationWarning, match="websocket_url"):
        url = compat.ws_url("/chat/lobby/")
    assert url == "ws://testserver/chat/lobby/"


def test_ws_url_is_wss_on_a_secure_request():
    request = RequestFactory().get("/", secure=True)
    with context(request=request), pytest.warns(DeprecationWarning):
        assert compat.ws_url("/chat/") == "wss://testserver/chat/"


def test_group_send_delivers_a_channels_event_to_the_group_and_names_push():
    layer = get_channel_layer()

    async def scenario():
        channel = await layer.new_channel()
        await layer.group_add("compat-group", channel)
        await sync_to_async(compat.group_send)("compat-group", {"type": "chat.message", "text": "hi"})
        return await asyncio.wait_for(layer.receive(channel), 5)

    with pytest.warns(DeprecationWarning, match=r"hypergen\.websocket\.push\(\)"):
        received = asyncio.run(scenario())
    assert received == {"type": "chat.message", "text": "hi"}


def test_dumps_and_loads_round_trip_wire_values_and_name_hypergen_serialization():
    value = {"when": date(2024, 1, 2), "tags": ("a", "b"), "n": 3}
    with pytest.warns(DeprecationWarning, match=r"hypergen\.serialization\.dumps"):
        text = compat.dumps(value)
    with pytest.warns(DeprecationWarning, match=r"hypergen\.serialization\.loads"):
        assert compat.loads(text) == value


def test_dumps_indents_as_1_5_did_when_asked():
    with pytest.warns(DeprecationWarning):
        text = compat.dumps({"a": [1, 2]}, indent=2)
    assert text == '{\n  "a": [\n    1,\n    2\n  ]\n}'


def test_hypergen_to_response_renders_the_template_into_a_response():
    with pytest.warns(DeprecationWarning, match=r"HttpResponse\(hypergen\(template"):
        response = compat.hypergen_to_response(p, "Hello ", "world")
    assert response.status_code == 200
    assert response.content == b"<p>Hello world</p>"


def test_the_warning_points_at_the_caller():
    with pytest.warns(DeprecationWarning) as caught:
        compat.loads("1")
    assert caught[0].filename == __file__


def test_loads_turns_digit_keys_into_ints_with_integer_keys_as_1_5_did():
    text = '{"1": {"20": "a", "x": ["b", {"3": 4}]}, "²": 5, "-1": 6}'
    with pytest.warns(DeprecationWarning):
        assert compat.loads(text, integer_keys=True) == {1: {20: "a", "x": ["b", {3: 4}]}, "²": 5, "-1": 6}
    with pytest.warns(DeprecationWarning):
        assert compat.loads(text) == {"1": {"20": "a", "x": ["b", {"3": 4}]}, "²": 5, "-1": 6}
