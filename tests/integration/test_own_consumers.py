"""get_asgi_application(websocket_urlpatterns=...): a project's own Channels consumers beside ours."""

import pytest
from channels.testing import WebsocketCommunicator

from hypergen.asgi import get_asgi_application
from tests.foreign_consumers import websocket_urlpatterns
from tests.integration.test_websockets import frames_until_ack, send_event, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

application = get_asgi_application(websocket_urlpatterns=websocket_urlpatterns)


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def communicator(path, origin="http://127.0.0.1", cookie=None):
    headers = [(b"host", b"127.0.0.1"), (b"origin", origin.encode())]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, path, headers=headers)


@pytest.mark.asyncio
async def test_a_projects_own_consumer_is_served_with_its_url_kwargs():
    client = communicator("/own/notes/python/")
    assert (await client.connect())[0]
    await client.send_json_to({"note": "hello"})
    assert await client.receive_json_from(timeout=3) == {
        "you_said": {"note": "hello"},
        "user": None,
        "kwargs": {"topic": "python"},
    }
    await client.disconnect()


@pytest.mark.asyncio
async def test_a_projects_own_consumer_gets_the_user_of_the_session():
    cookie, _ = await session_cookie("writer")
    client = communicator("/own/raw/", cookie=cookie)
    assert (await client.connect())[0]
    await client.send_json_to({})
    assert (await client.receive_json_from(timeout=3))["user"] == "writer"
    await client.disconnect()


@pytest.mark.asyncio
async def test_a_projects_own_consumer_gets_the_origin_check_too():
    client = communicator("/own/notes/python/", origin="https://evil.example")
    assert (await client.connect())[0]  # Accepted, then closed with the final code.
    assert await client.receive_output(timeout=3) == {"type": "websocket.close", "code": 4403}


@pytest.mark.asyncio
async def test_hypergen_consumers_still_work_beside_them():
    client = communicator("/ws/echo/")
    assert (await client.connect())[0]
    await send_event(client, ["x"])
    commands, _ = await frames_until_ack(client)
    assert commands["commands"] == [["hypergen.setText", "echo", "False /ws/echo/ x"]]
    await client.disconnect()


@pytest.mark.asyncio
async def test_a_path_neither_routes_to_is_closed_with_4404():
    client = communicator("/own/nowhere/")
    assert (await client.connect())[0]
    assert await client.receive_output(timeout=3) == {"type": "websocket.close", "code": 4404}


def test_websocket_urlpatterns_must_be_a_list_of_patterns():
    with pytest.raises(TypeError, match="websocket_urlpatterns"):
        get_asgi_application(websocket_urlpatterns="own/notes/")
