"""Consumers through Channels' WebsocketCommunicator: connect, broadcast, groups, state, bad input."""

import json
import re

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from hypergen.asgi import get_asgi_application
from hypergen.serialization import dumps
from hypergen.websocket import Group, apush, group_name, push, push_batch
from tests.sessions import logged_in_session

pytestmark = pytest.mark.django_db(transaction=True)

application = get_asgi_application()


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    """Each test runs its own event loop; the in-memory layer's queues belong to the loop that made them."""
    from channels.layers import channel_layers

    from hypergen.websocket import delivery

    channel_layers.backends.clear()
    delivery._handled.clear()  # The handled-event ids of earlier tests.
    delivery._running.clear()
    yield
    channel_layers.backends.clear()


def communicator(path, origin="http://127.0.0.1", cookie=None, host="127.0.0.1"):
    headers = [(b"host", host.encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def connected(path, **kwargs):
    client = communicator(path, **kwargs)
    ok, code = await client.connect()
    assert ok, code
    return client


async def send_event(client, args, event_id=1, sid=None):
    sid = sid or f"socket-{id(client)}"  # The browser client picks a random one per socket.
    await client.send_to(text_data=dumps({"id": event_id, "sid": sid, "args": args, "meta": {}}))


async def frames_until_ack(client, event_id=1, answers=1):
    """The sender's frames for one event: its answers (commands or error), then the ack.

    The ack is sent straight back while a broadcast travels through the channel layer,
    so the two may arrive in either order; they are returned answers first.
    """
    answered, ack = [], None
    while ack is None or len(answered) < answers:
        frame = json.loads(await client.receive_from(timeout=3))
        if frame["t"] == "ack" and frame.get("id") == event_id:
            ack = frame
        else:
            answered.append(frame)
    return [*answered, ack]


async def session_cookie(username, perms=()):
    session_key = await database_sync_to_async(logged_in_session)(username, perms)
    return f"sessionid={session_key}", session_key


@pytest.mark.asyncio
async def test_the_seed_counter_increments_over_the_socket():
    client = await connected("/seed/increment/")
    await send_event(client, [1])
    commands, ack = await frames_until_ack(client)
    assert ack == {"t": "ack", "id": 1}
    assert commands["t"] == "commands" and commands["seq"] >= 1
    [[name, target, html]] = commands["commands"]
    assert (name, target) == ("hypergen.morph", "content")
    assert 'id="count" value="2" disabled' in html
    await client.disconnect()


@pytest.mark.asyncio
async def test_everything_on_the_same_url_hears_a_message_and_other_urls_do_not():
    lobby_a, lobby_b = await connected("/ws/rooms/lobby/"), await connected("/ws/rooms/lobby/")
    kitchen = await connected("/ws/rooms/kitchen/")
    await send_event(lobby_a, ["hello"])
    await frames_until_ack(lobby_a)
    frame = json.loads(await lobby_b.receive_from(timeout=3))
    assert frame["commands"] == [["hypergen.append", "messages", "<li>hello</li>"]]
    # Sentinel: the kitchen's own next message is the first thing it hears, not the lobby's.
    await send_event(kitchen, ["sentinel"])
    assert (await frames_until_ack(kitchen))[0]["commands"] == [["hypergen.append", "messages", "<li>sentinel</li>"]]
    for client in (lobby_a, lobby_b, kitchen):
        await client.disconnect()


@pytest.mark.asyncio
async def test_group_sequence_numbers_increase():
    a = await connected("/ws/rooms/seq/")
    await send_event(a, ["1"], event_id=1)
    first = (await frames_until_ack(a, 1))[0]["seq"]
    await send_event(a, ["2"], event_id=2)
    second = (await frames_until_ack(a, 2))[0]["seq"]
    assert second == first + 1
    await a.disconnect()


@pytest.mark.asyncio
async def test_a_custom_group_name_spans_urls():
    gold, silver = await connected("/vip/gold/send"), await connected("/vip/silver/send")
    await send_event(gold, ["champagne"])
    await frames_until_ack(gold)
    frame = json.loads(await silver.receive_from(timeout=3))
    assert frame["commands"] == [["hypergen.append", "messages", "<li>gold: champagne</li>"]]
    await gold.disconnect()
    await silver.disconnect()


@pytest.mark.asyncio
async def test_state_set_on_the_consumer_lasts_for_the_connection_only():
    first = await connected("/seed/my_consumer/")
    for event_id, expected in ((1, "<li>3</li></ul>"), (2, "<li>4</li></ul>")):
        await send_event(first, [], event_id=event_id)
        frames = await frames_until_ack(first, event_id)
        assert expected in frames[0]["commands"][0][2]
    second = await connected("/seed/my_consumer/")
    await send_event(second, [])
    html = (await frames_until_ack(second))[-2]["commands"][0][2]
    assert "<li>3</li></ul>" in html and "<li>4</li>" not in html
    await first.disconnect()
    await second.disconnect()


@pytest.mark.asyncio
async def test_broadcast_false_answers_only_the_sender():
    me, other = await connected("/ws/private_echo/"), await connected("/ws/private_echo/")
    await send_event(me, ["psst"])
    answer = json.loads(await me.receive_from(timeout=3))
    assert answer == {"t": "commands", "commands": [["hypergen.setText", "echo", "only you: psst"]], "ack": 1}
    await send_event(other, ["sentinel"])  # The other socket's own answer is the first thing it gets.
    assert json.loads(await other.receive_from(timeout=3))["commands"] == [
        ["hypergen.setText", "echo", "only you: sentinel"]
    ]
    await me.disconnect()
    await other.disconnect()


@pytest.mark.asyncio
async def test_a_consumer_can_choose_per_call_whom_to_answer():
    me, other = await connected("/ws/choose/"), await connected("/ws/choose/")
    await send_event(me, ["secret", True])
    assert json.loads(await me.receive_from(timeout=3))["ack"] == 1
    await send_event(me, ["public"], event_id=2)  # The sentinel: the other socket hears this first.
    await frames_until_ack(me, 2)
    assert json.loads(await other.receive_from(timeout=3))["commands"] == [["hypergen.setText", "echo", "public"]]
    await me.disconnect()
    await other.disconnect()


@pytest.mark.asyncio
async def test_the_request_behaves_like_a_django_request():
    client = await connected("/ws/echo/")
    await send_event(client, ["x"])
    commands, _ = await frames_until_ack(client)
    assert commands["commands"] == [["hypergen.setText", "echo", "False /ws/echo/ x"]]
    await client.disconnect()


@pytest.mark.asyncio
async def test_a_user_without_the_permission_is_refused_with_4403():
    client = communicator("/chat/lobby")
    ok, _ = await client.connect()
    assert ok  # Accepted, then closed with an application code the client treats as final.
    assert await client.receive_output(timeout=3) == {"type": "websocket.close", "code": 4403}


def _lose_permission(username, perm):
    from django.contrib.auth.models import Permission, User

    app_label, codename = perm.split(".")
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    User.objects.get(username=username).user_permissions.remove(permission)


@pytest.mark.asyncio
async def test_a_user_with_the_permission_connects_and_is_rechecked_on_every_message():
    cookie, _ = await session_cookie("chatter", ["chat.can_chat"])
    client = await connected("/chat/lobby", cookie=cookie)
    await send_event(client, ["hi"])
    commands, _ = await frames_until_ack(client)
    assert commands["commands"] == [["hypergen.append", "messages", "<li>hi</li>"]]
    await database_sync_to_async(_lose_permission)("chatter", "chat.can_chat")  # Taken away meanwhile.
    await send_event(client, ["still there?"], event_id=2)
    error = json.loads(await client.receive_from(timeout=3))
    assert error == {
        "t": "error",
        "id": 2,
        "code": "permission-denied",
        "message": "You do not have permission to do that.",
    }
    await client.disconnect()


@pytest.mark.asyncio
async def test_a_consumers_base_view_is_rendered_only_for_users_its_permission_lets_in():
    # Regression (security review): a public consumer with base_view= sent the HTML of a page
    # that answers 403 to the same user.
    cookie, _ = await session_cookie("nobody")
    client = await connected("/ws/public_consumer_on_members_page/", cookie=cookie)
    await send_event(client, [])
    error = json.loads(await client.receive_from(timeout=3))
    assert error == {
        "t": "error",
        "id": 1,
        "code": "permission-denied",
        "message": "You do not have permission to do that.",
    }
    await client.disconnect()
    cookie, _ = await session_cookie("viewer", ["auth.view_user"])
    client = await connected("/ws/public_consumer_on_members_page/", cookie=cookie)
    await send_event(client, [])
    commands, _ = await frames_until_ack(client)
    assert "Welcome, viewer" in commands["commands"][0][2]
    await client.disconnect()


@pytest.mark.asyncio
async def test_permission_denied_raised_by_a_consumer_is_a_permission_denied_error():
    client = await connected("/ws/refusing/")
    await send_event(client, [])
    error = json.loads(await client.receive_from(timeout=3))
    assert (error["code"], error["message"]) == ("permission-denied", "You do not have permission to do that.")
    await client.disconnect()


@pytest.mark.parametrize(
    "frame, code, message",
    [
        ("{not json", "bad-message", "Malformed JSON"),
        ('["args"]', "bad-message", 'JSON object with an "args" list'),
        ('{"id": "x", "args": []}', "bad-message", '"id" must be an integer'),
        ('{"id": 1, "args": [{"_t": "pickle", "v": 1}]}', "bad-message", "Unknown wire type 'pickle'"),
        ('{"id": 1, "args": []}', "bad-arguments", "increment was sent 0 arguments; it takes 1"),
        ('{"id": 1, "args": [1, 2, 3]}', "bad-arguments", "increment was sent 3 arguments; it takes 1"),
    ],
)
@pytest.mark.asyncio
async def test_bad_messages_get_an_error_and_the_connection_keeps_working(frame, code, message):
    client = await connected("/seed/increment/")
    await client.send_to(text_data=frame)
    error = json.loads(await client.receive_from(timeout=3))
    assert error["t"] == "error" and error["code"] == code and message in error["message"]
    await send_event(client, [5], event_id=7)
    commands, _ = await frames_until_ack(client, 7)
    assert 'value="6"' in commands["commands"][0][2]
    await client.disconnect()


@pytest.mark.parametrize(
    "frame, event_id, message",
    [
        ('{"id": 3, "args": [' + "[" * 100_000, 3, "nested deeper than 100"),
        ("[" * 100_000, None, "nested deeper than 100"),
        ('{"id": 4, "args": [' + "1" * 5000 + "]}", 4, "more than 300 digits"),
        ('{"id": 5, "args": [-Infinity]}', 5, "not valid JSON"),
        ('{"id": 6, "args": ["\\udc00"]}', 6, "lone surrogate"),
    ],
)
@pytest.mark.asyncio
async def test_hostile_frames_get_an_error_with_their_event_id_and_the_socket_lives(frame, event_id, message):
    # Regression (security review): these killed the socket (RecursionError, ValueError).
    client = await connected("/seed/increment/")
    await client.send_to(text_data=frame)
    error = json.loads(await client.receive_from(timeout=3))
    assert (error["t"], error["id"], error["code"]) == ("error", event_id, "bad-message")
    assert message in error["message"]
    await send_event(client, [5], event_id=7)
    commands, _ = await frames_until_ack(client, 7)
    assert 'value="6"' in commands["commands"][0][2]
    await client.disconnect()


def test_the_event_id_of_a_frame_too_deep_to_parse_is_read_without_recursing():
    from hypergen.websocket.protocol import event_id_of

    assert event_id_of("[" * 100_000) is None
    assert event_id_of('{"id":12,"sid":"x","args":' + "[" * 100_000) == 12
    assert event_id_of('{"args":[{"id":99}],"id":13}') == 13


@pytest.mark.asyncio
async def test_a_malformed_frame_is_logged_as_a_bounded_excerpt_with_its_length(caplog):
    # Regression (security review): every malformed frame was logged in full (20 frames of
    # 500 KB wrote 10 MB of log).
    frame = '{"id": 8, "args": [{"_t": "range", "v": [' + "1," * 200_000 + "1]}]}"
    client = await connected("/seed/increment/")
    with caplog.at_level("WARNING", logger="hypergen"):
        await client.send_to(text_data=frame)
        error = json.loads(await client.receive_from(timeout=3))
    assert (error["id"], error["code"]) == (8, "bad-message")
    assert len(error["message"]) < 1000
    [record] = [r for r in caplog.records if r.name.startswith("hypergen")]
    logged = record.getMessage()
    assert len(logged) < 1000
    assert frame[:200] in logged and f"{len(frame)} characters" in logged
    await client.disconnect()


@pytest.mark.asyncio
async def test_oversized_and_binary_frames_are_refused(settings):
    settings.HYPERGEN = {"WEBSOCKET_MAX_MESSAGE_BYTES": 1000}
    client = await connected("/ws/echo/")
    await send_event(client, ["x" * 2000])
    assert json.loads(await client.receive_from(timeout=3))["code"] == "too-large"
    await client.send_to(bytes_data=b"\x00\x01")
    assert json.loads(await client.receive_from(timeout=3))["code"] == "bad-message"
    await client.disconnect()


@pytest.mark.asyncio
async def test_a_failing_consumer_sends_no_traceback_and_keeps_the_connection():
    client = await connected("/ws/broken/")
    await send_event(client, [])
    error = json.loads(await client.receive_from(timeout=3))
    assert error == {"t": "error", "id": 1, "code": "server-error", "message": "broken failed."}
    await send_event(client, [], event_id=2)
    assert json.loads(await client.receive_from(timeout=3))["id"] == 2  # Nothing else came between.
    await client.disconnect()


@pytest.mark.parametrize("path", ["/ws/async_cancelled/", "/ws/sync_cancelled/"])
@pytest.mark.asyncio
async def test_a_consumer_raising_cancelled_error_fails_that_event_only(path):
    client = await connected(path)
    await send_event(client, [], sid="s")
    error = json.loads(await client.receive_from(timeout=3))
    assert (error["t"], error["id"], error["code"]) == ("error", 1, "server-error")
    await send_event(client, [], event_id=2, sid="s")  # The socket still runs its events.
    assert json.loads(await client.receive_from(timeout=3))["id"] == 2
    await client.disconnect()


@pytest.mark.parametrize("private", [True, False])
@pytest.mark.asyncio
async def test_an_answer_the_wire_cannot_carry_gets_an_error_frame_and_the_socket_lives(private):
    client = await connected("/ws/unencodable/")
    await send_event(client, [private], event_id=1, sid="s")
    error = json.loads(await client.receive_from(timeout=3))
    assert (error["t"], error["id"], error["code"]) == ("error", 1, "server-error")
    await send_event(client, [True], event_id=2, sid="s")  # The sentinel: the next frame answers it.
    assert json.loads(await client.receive_from(timeout=3))["id"] == 2
    await client.send_to(text_data=dumps({"id": 1, "sid": "s", "args": [private], "meta": {}}))
    assert json.loads(await client.receive_from(timeout=3)) == {"t": "ack", "id": 1}  # Answered: not run again.
    await client.disconnect()


@pytest.mark.asyncio
async def test_a_message_nested_too_deep_for_python_gets_an_error_frame():
    client = await connected("/seed/increment/")
    await client.send_to(text_data="[" * 100_000)
    error = json.loads(await client.receive_from(timeout=3))
    assert error["t"] == "error" and error["code"] == "bad-message"
    await send_event(client, [1], event_id=2)
    commands, _ = await frames_until_ack(client, 2)
    assert 'value="2"' in commands["commands"][0][2]
    await client.disconnect()


@pytest.mark.asyncio
async def test_an_update_that_cannot_reach_the_group_is_reported_to_the_sender(monkeypatch):
    from hypergen.websocket import connection

    async def failing_send(group, bodies):
        raise RuntimeError("the layer broke")

    client = await connected("/ws/echo/")
    monkeypatch.setattr(connection, "send_to_group", failing_send)
    await send_event(client, ["lost"], event_id=1)
    error = json.loads(await client.receive_from(timeout=3))
    assert (error["t"], error["id"], error["code"]) == ("error", 1, "unavailable")
    monkeypatch.undo()
    await send_event(client, ["found"], event_id=2)
    commands, _ = await frames_until_ack(client, 2)
    assert commands["commands"][0][2].endswith("found")
    await client.disconnect()


@pytest.mark.asyncio
async def test_an_event_sent_again_after_a_reconnect_runs_once():
    client = await connected("/ws/rooms/dedupe/")
    await send_event(client, ["once"], event_id=1, sid="flaky")
    assert len(await frames_until_ack(client)) == 2
    await client.disconnect()
    client = await connected("/ws/rooms/dedupe/")  # The same socket of the page, reconnected.
    await send_event(client, ["once"], event_id=1, sid="flaky")
    assert await frames_until_ack(client, answers=0) == [{"t": "ack", "id": 1}]
    await send_event(client, ["next"], event_id=2, sid="flaky")  # Sentinel: the next event is what comes.
    [answer, _ack] = await frames_until_ack(client, event_id=2)
    assert answer["commands"] == [["hypergen.append", "messages", "<li>next</li>"]]
    await client.disconnect()


@pytest.mark.asyncio
async def test_each_socket_of_a_page_numbers_its_events_from_1_and_every_one_runs():
    # Regression: events were remembered per page, numbered per socket: a page's second socket (or
    # a socket opened again) had its events acknowledged and never run.
    first, second = await connected("/ws/rooms/page-a/"), await connected("/ws/rooms/page-b/")
    for client, sid in ((first, "page-socket-1"), (second, "page-socket-2")):
        await send_event(client, ["hello"], event_id=1, sid=sid)
        [answer, _ack] = await frames_until_ack(client)
        assert answer["commands"] == [["hypergen.append", "messages", "<li>hello</li>"]]
    await first.disconnect()
    await second.disconnect()


@pytest.mark.asyncio
async def test_a_socket_id_used_on_another_path_or_by_another_user_does_not_suppress_events():
    for path, cookie in (("/ws/rooms/one/", None), ("/ws/rooms/two/", None), ("/ws/rooms/two/", "other")):
        if cookie:
            cookie, _ = await session_cookie("someone-else")
        client = await connected(path, cookie=cookie)
        await send_event(client, ["runs"], event_id=9, sid="the-same-id")
        [answer, _ack] = await frames_until_ack(client, event_id=9)
        assert answer["commands"] == [["hypergen.append", "messages", "<li>runs</li>"]], (path, cookie)
        await client.disconnect()


@pytest.mark.asyncio
async def test_unknown_paths_and_non_consumers_are_refused_with_4404():
    for path in ("/nowhere/", "/live/counter/"):
        client = communicator(path)
        ok, _ = await client.connect()
        assert ok
        assert await client.receive_output(timeout=3) == {"type": "websocket.close", "code": 4404}


async def refused_with(path, **kwargs):
    """The close code a socket gets right after its handshake."""
    client = communicator(path, **kwargs)
    ok, _ = await client.connect()
    assert ok, "a refused handshake reads as a network error in the browser, which retries forever"
    output = await client.receive_output(timeout=3)
    assert output["type"] == "websocket.close", output
    return output["code"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example",
        "http://127.0.0.1:8001",  # Another port of the same host is another site.
        "https://127.0.0.1",  # So is another scheme.
        "null",  # A sandboxed iframe or a file:// page.
    ],
)
async def test_a_socket_from_another_site_is_refused_with_a_final_4403(origin, caplog):
    assert await refused_with("/ws/echo/", origin=origin) == 4403
    assert "is another site" in caplog.text


@pytest.mark.asyncio
async def test_a_host_outside_allowed_hosts_is_refused_with_a_final_4403(caplog):
    code = await refused_with("/ws/echo/", host="evil.example", origin="http://evil.example")
    assert code == 4403
    assert "'evil.example' is not in ALLOWED_HOSTS" in caplog.text


@pytest.mark.asyncio
@pytest.mark.parametrize("origin", ["http://127.0.0.1", None])
async def test_the_sites_own_pages_and_clients_that_are_not_browsers_are_welcome(origin):
    client = await connected("/ws/echo/", origin=origin)
    await send_event(client, ["hi"])
    frames = await frames_until_ack(client)
    assert frames[0]["commands"] == [["hypergen.setText", "echo", "False /ws/echo/ hi"]]
    await client.disconnect()


@pytest.mark.asyncio
async def test_an_origin_in_csrf_trusted_origins_is_welcome(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.example.com"]
    client = await connected("/ws/echo/", origin="https://app.example.com")
    await client.disconnect()


@pytest.mark.asyncio
async def test_a_pushed_fragment_may_call_a_consumer_though_no_request_names_the_host():
    """A worker has no request, so no host: the socket URL is relative to the page that gets it."""
    from asgiref.sync import sync_to_async

    from hypergen import js
    from hypergen.imports import button, callback, hypergen
    from tests import ws_views

    def reply_button():
        button("Reply", onclick=callback(ws_views.echo, "reply"))

    client = await connected("/ws/rooms/replies/")
    await sync_to_async(push)(ws_views.any_room, js.append, "messages", hypergen(reply_button), room="replies")
    frame = json.loads(await client.receive_from(timeout=3))
    assert "&quot;ws:/ws/echo/&quot;" in frame["commands"][0][2]
    await client.disconnect()


@pytest.mark.asyncio
async def test_push_from_sync_and_async_code_reaches_the_group():
    from asgiref.sync import sync_to_async

    from hypergen import js
    from hypergen.template import hypergen, li
    from tests import ws_views

    a, b = await connected("/ws/rooms/news/"), await connected("/ws/rooms/news/")
    await sync_to_async(push)(ws_views.any_room, js.append, "messages", hypergen(li, "from sync"), room="news")
    await apush(ws_views.any_room.group(room="news"), [["hypergen.append", "messages", "<li>from async</li>"]])
    for client in (a, b):
        first = json.loads(await client.receive_from(timeout=3))
        second = json.loads(await client.receive_from(timeout=3))
        assert first["commands"] == [["hypergen.append", "messages", "<li>from sync</li>"]]
        assert second["commands"] == [["hypergen.append", "messages", "<li>from async</li>"]]
        await client.disconnect()


@pytest.mark.asyncio
async def test_a_push_batch_sends_its_pushes_in_order_and_a_failed_block_sends_nothing():
    from asgiref.sync import sync_to_async

    from tests import ws_views

    def one(n):
        return [["hypergen.append", "messages", f"<li>{n}</li>"]]

    def sync_pushes():
        with push_batch():
            for n in range(3):
                push(ws_views.any_room, one(n), room="batch")
        with pytest.raises(ZeroDivisionError), push_batch():
            push(ws_views.any_room, one("never"), room="batch")
            1 / 0  # noqa: B018

    listener = await connected("/ws/rooms/batch/")
    await sync_to_async(sync_pushes)()
    async with push_batch():
        await apush(ws_views.any_room, one(3), room="batch")
        await apush(ws_views.any_room, one(4), room="batch")
    frames = [json.loads(await listener.receive_from(timeout=3)) for _ in range(5)]
    assert [frame["commands"] for frame in frames] == [one(n) for n in range(5)]
    assert [frame["seq"] for frame in frames] == list(range(frames[0]["seq"], frames[0]["seq"] + 5))
    await listener.disconnect()


@pytest.mark.asyncio
async def test_push_to_a_named_group():
    gold = await connected("/vip/gold/send")
    await apush(Group("vip_group"), [["hypergen.setText", "x", "to every vip"]])
    assert json.loads(await gold.receive_from(timeout=3))["commands"] == [["hypergen.setText", "x", "to every vip"]]
    await gold.disconnect()


@pytest.mark.asyncio
async def test_group_names_are_valid_for_every_layer_whatever_the_url_holds():
    from channels.layers import InMemoryChannelLayer

    # group_add() applies Channels' own name rules and raises TypeError on a bad name. (The check
    # itself is valid_group_name() before channels 4.2.2 and require_valid_group_name() since.)
    layer = InMemoryChannelLayer()
    for raw in ["/chat/lobby/", "/rooms/ünïcødé spaces/", "/x/" + "a" * 500, "vip_group", "%00/../\n"]:
        await layer.group_add(group_name(raw), "test-channel")
    assert group_name("/a b/") != group_name("/a_b/")


def test_consumer_urls_answer_plain_http_with_426(client):
    response = client.get("/ws/echo/")
    assert response.status_code == 426
    assert "connect to it with a websocket" in response.json()["error"]


# Replay of missed group messages -----------------------------------------------------------


async def commands_frame(client):
    frame = json.loads(await client.receive_from(timeout=3))
    while frame["t"] == "ack":  # A sender's own acks are not what these tests look at.
        frame = json.loads(await client.receive_from(timeout=3))
    return frame


async def say(client, *texts, first_id=1):
    for event_id, text in enumerate(texts, first_id):
        await send_event(client, [text], event_id=event_id, sid="speaker")


@pytest.mark.asyncio
async def test_a_new_page_learns_the_groups_epoch_and_position():
    listener = await connected("/ws/rooms/replay-new/?hg_epoch=")
    hello = json.loads(await listener.receive_from(timeout=3))
    assert hello["t"] == "hello" and hello["seq"] == 0 and len(hello["epoch"]) >= 8
    speaker = await connected("/ws/rooms/replay-new/")
    await say(speaker, "one")
    assert (await commands_frame(listener))["seq"] == 1
    again = await connected("/ws/rooms/replay-new/?hg_epoch=")
    assert json.loads(await again.receive_from(timeout=3)) == {"t": "hello", "epoch": hello["epoch"], "seq": 1}
    for client in (listener, speaker, again):
        await client.disconnect()


@pytest.mark.asyncio
async def test_a_page_that_comes_back_gets_what_it_missed_in_order_before_live_messages():
    speaker = await connected("/ws/rooms/replay-back/")
    listener = await connected("/ws/rooms/replay-back/?hg_epoch=")
    epoch = json.loads(await listener.receive_from(timeout=3))["epoch"]
    await say(speaker, "one", "two")
    assert [(await commands_frame(listener))["seq"] for _ in range(2)] == [1, 2]
    await listener.disconnect()
    await say(speaker, "three", "four", "five", first_id=3)
    for _ in range(3):
        await commands_frame(speaker)  # The speaker hears its own messages: they went out.
    back = await connected(f"/ws/rooms/replay-back/?hg_epoch={epoch}&hg_seq=2")
    assert json.loads(await back.receive_from(timeout=3)) == {"t": "hello", "epoch": epoch, "seq": 2}
    replayed = [json.loads(await back.receive_from(timeout=3)) for _ in range(3)]
    assert [frame["seq"] for frame in replayed] == [3, 4, 5]
    assert replayed[0]["commands"][0][2] == "<li>three</li>"
    await say(speaker, "six", first_id=6)  # The sentinel: live traffic follows the replay.
    assert (await commands_frame(back))["seq"] == 6
    for client in (speaker, back):
        await client.disconnect()


@pytest.mark.parametrize("resume", ["hg_epoch=another&hg_seq=1", "hg_epoch={epoch}&hg_seq=99"])
@pytest.mark.asyncio
async def test_a_page_from_another_epoch_or_ahead_of_the_group_is_told_to_re_render(resume):
    room = f"/ws/rooms/replay-epoch-{len(resume)}/"  # Numbering lives as long as the process: a room per case.
    speaker = await connected(room)
    first = await connected(room + "?hg_epoch=")
    epoch = json.loads(await first.receive_from(timeout=3))["epoch"]
    await say(speaker, "one")
    await commands_frame(first)
    stranger = await connected(room + "?" + resume.format(epoch=epoch))
    assert json.loads(await stranger.receive_from(timeout=3)) == {"t": "resync", "epoch": epoch, "seq": 1}
    for client in (speaker, first, stranger):
        await client.disconnect()


@pytest.mark.asyncio
async def test_a_page_away_longer_than_the_history_keeps_is_told_to_re_render(settings):
    settings.HYPERGEN = {**settings.HYPERGEN, "WEBSOCKET_HISTORY_SIZE": 2}
    speaker = await connected("/ws/rooms/replay-window/")
    first = await connected("/ws/rooms/replay-window/?hg_epoch=")
    epoch = json.loads(await first.receive_from(timeout=3))["epoch"]
    await say(speaker, "one", "two", "three", "four")
    assert [(await commands_frame(first))["seq"] for _ in range(4)] == [1, 2, 3, 4]
    back = await connected(f"/ws/rooms/replay-window/?hg_epoch={epoch}&hg_seq=1")  # Missed 2, 3, 4; kept 3, 4.
    assert json.loads(await back.receive_from(timeout=3)) == {"t": "resync", "epoch": epoch, "seq": 4}
    within = await connected(f"/ws/rooms/replay-window/?hg_epoch={epoch}&hg_seq=2")
    assert json.loads(await within.receive_from(timeout=3))["t"] == "hello"
    assert [json.loads(await within.receive_from(timeout=3))["seq"] for _ in range(2)] == [3, 4]
    for client in (speaker, first, back, within):
        await client.disconnect()


@pytest.mark.asyncio
async def test_a_page_that_noticed_a_gap_asks_and_gets_the_missing_messages():
    speaker = await connected("/ws/rooms/replay-gap/")
    listener = await connected("/ws/rooms/replay-gap/?hg_epoch=")
    epoch = json.loads(await listener.receive_from(timeout=3))["epoch"]
    await say(speaker, "one", "two", "three")
    assert [(await commands_frame(listener))["seq"] for _ in range(3)] == [1, 2, 3]
    await listener.send_to(text_data=json.dumps({"t": "replay", "epoch": epoch, "seq": 1}))
    assert json.loads(await listener.receive_from(timeout=3)) == {"t": "hello", "epoch": epoch, "seq": 1}
    assert [json.loads(await listener.receive_from(timeout=3))["seq"] for _ in range(2)] == [2, 3]
    await listener.send_to(text_data='{"t":"replay","epoch":5}')
    error = json.loads(await listener.receive_from(timeout=3))
    assert error["t"] == "error" and error["code"] == "bad-message"
    for client in (speaker, listener):
        await client.disconnect()


# What a consumer keeps, kept for the page ----------------------------------------------------


def page_token():
    from django.core import signing

    from hypergen.liveview import PAGE_SALT

    return signing.TimestampSigner(salt=PAGE_SALT).sign("a-page-of-the-tests")


async def app_state_items(client, event_id, sid="state"):
    await send_event(client, [], event_id=event_id, sid=sid)
    frame, _ = await frames_until_ack(client, event_id)
    return re.findall(r"<li>(\d+)</li>", frame["commands"][0][2])


@pytest.mark.asyncio
async def test_what_the_seeds_consumer_keeps_survives_the_page_reconnecting():
    path = f"/seed/my_consumer/?hg_page={page_token()}"
    first = await connected(path)
    assert await app_state_items(first, 1) == ["1", "2", "3"]
    assert await app_state_items(first, 2) == ["1", "2", "3", "4"]
    await first.disconnect()
    again = await connected(path)  # The same page, its socket back (on this process or another).
    assert await app_state_items(again, 3) == ["1", "2", "3", "4", "5"]
    await again.disconnect()


@pytest.mark.parametrize("query", ["", "?hg_page=forged-token", "?hg_page={token}x"])
@pytest.mark.asyncio
async def test_a_page_without_a_valid_token_starts_fresh(query):
    kept = await connected(f"/seed/my_consumer/?hg_page={page_token()}")
    await app_state_items(kept, 1)
    await kept.disconnect()
    other = await connected("/seed/my_consumer/" + query.format(token=page_token()))
    assert await app_state_items(other, 1, sid="another page") == ["1", "2", "3"]
    await other.disconnect()


@pytest.mark.asyncio
async def test_a_value_that_cannot_be_kept_is_an_error_naming_the_attribute():
    client = await connected(f"/ws/keeps_unkeepable/?hg_page={page_token()}")
    await send_event(client, [], event_id=1, sid="state")
    error = json.loads(await client.receive_from(timeout=3))
    assert error["code"] == "server-error" and "consumer.handle" in error["message"]
    await client.disconnect()


@pytest.mark.asyncio
async def test_a_page_back_after_a_restart_gets_the_new_numberings_messages_not_a_resync():
    speaker = await connected("/ws/rooms/replay-restart/")
    first = await connected("/ws/rooms/replay-restart/?hg_epoch=")
    epoch = json.loads(await first.receive_from(timeout=3))["epoch"]
    await say(speaker, "one")
    assert (await commands_frame(first))["seq"] == 1
    # "The process restarted": the page's epoch is not the group's. After a 1012 close it says so.
    back = await connected("/ws/rooms/replay-restart/?hg_epoch=an-older-epoch&hg_seq=7&hg_restart=1")
    assert json.loads(await back.receive_from(timeout=3)) == {"t": "hello", "epoch": epoch, "seq": 0}
    assert json.loads(await back.receive_from(timeout=3))["seq"] == 1
    for client in (speaker, first, back):
        await client.disconnect()


# Consumers of different sockets run at the same time; each socket's in order -----------------


@pytest.mark.asyncio
async def test_slow_consumers_on_four_sockets_run_at_the_same_time():
    import time

    clients = [await connected("/ws/slow/") for _ in range(4)]
    started = time.monotonic()
    for n, client in enumerate(clients):
        await send_event(client, [0.5, f"sleeper {n}"], event_id=1, sid=f"s{n}")
    for client in clients:
        answer = json.loads(await client.receive_from(timeout=3))
        assert answer["ack"] == 1
    elapsed = time.monotonic() - started
    assert elapsed < 1.5, f"four 0.5 s consumers took {elapsed:.2f} s: they ran one after another"
    for client in clients:
        await client.disconnect()


@pytest.mark.asyncio
async def test_one_sockets_events_still_run_in_order():
    client = await connected("/ws/slow/")
    await send_event(client, [0.3, "slow first"], event_id=1, sid="ordered")
    await send_event(client, [0, "fast second"], event_id=2, sid="ordered")
    first = json.loads(await client.receive_from(timeout=3))
    second = json.loads(await client.receive_from(timeout=3))
    assert (first["ack"], second["ack"]) == (1, 2)
    await client.disconnect()


# Presence ------------------------------------------------------------------------------------


async def online(client):
    """The names in the next "who is online" update the client gets."""
    while True:
        frame = json.loads(await client.receive_from(timeout=3))
        if frame["t"] == "commands" and frame["commands"][0][:2] == ["hypergen.morph", "online"]:
            return re.findall(r"<li[^>]*>([^<]*)</li>", frame["commands"][0][2])


@pytest.mark.asyncio
async def test_who_is_in_a_room_is_told_to_everyone_as_they_come_and_go():
    from asgiref.sync import sync_to_async

    from hypergen.websocket import members
    from tests import ws_views

    cookie, _ = await session_cookie("ann")
    anonymous = await connected("/ws/present/hall/?mood=sleepy")
    assert await online(anonymous) == ["anonymous"]
    ann = await connected("/ws/present/hall/", cookie=cookie)
    assert await online(anonymous) == ["anonymous", "ann"]
    assert await online(ann) == ["anonymous", "ann"]
    listed = await sync_to_async(members)(ws_views.present, room="hall")
    assert [(m.user, m.meta) for m in listed] == [(None, {"mood": "sleepy"}), ("ann", {"mood": "calm"})]
    await anonymous.disconnect()
    assert await online(ann) == ["ann"]
    assert await sync_to_async(members)(ws_views.present, room="elsewhere") == []
    await ann.disconnect()


def test_presence_options_are_checked_when_the_consumer_is_defined():
    from hypergen.imports import NO_PERM_REQUIRED
    from hypergen.websocket import consumer

    with pytest.raises(TypeError, match="needs presence=True"):
        consumer(perm=NO_PERM_REQUIRED, on_presence=lambda members: None)(lambda consumer, request: None)
    with pytest.raises(TypeError, match="presence="):
        consumer(perm=NO_PERM_REQUIRED, presence="yes")(lambda consumer, request: None)


@pytest.mark.asyncio
async def test_an_async_consumer_awaits_on_the_loop_and_uses_the_async_orm():
    clients = [await connected("/ws/async_echo/") for _ in range(2)]
    for n, client in enumerate(clients):
        await send_event(client, [0.2, f"async {n}"], event_id=1, sid=f"a{n}")
    for n, client in enumerate(clients):
        answer = json.loads(await client.receive_from(timeout=3))
        assert answer["commands"] == [["hypergen.setText", "echo", f"async {n} (0 users)"]]
    for client in clients:
        await client.disconnect()


@pytest.mark.asyncio
async def test_an_async_consumer_keeps_its_state_for_the_page_and_runs_each_event_once():
    path = f"/ws/async_counter/?hg_page={page_token()}"
    first = await connected(path)
    for event_id, step, count in ((1, 1, 1), (2, 10, 11)):
        await send_event(first, [step], event_id=event_id, sid="counting")
        assert json.loads(await first.receive_from(timeout=3))["commands"] == [["hypergen.setText", "count", count]]
    await first.disconnect()
    again = await connected(path)  # The page's socket back: its state too, and what already ran.
    await send_event(again, [10], event_id=2, sid="counting")
    assert json.loads(await again.receive_from(timeout=3)) == {"t": "ack", "id": 2}
    await send_event(again, [100], event_id=3, sid="counting")
    assert json.loads(await again.receive_from(timeout=3))["commands"] == [["hypergen.setText", "count", 111]]
    await again.disconnect()


@pytest.mark.asyncio
async def test_an_async_consumer_on_the_loop_drops_old_database_connections_before_each_event(monkeypatch):
    # As Channels' own async consumers do: the async ORM's thread must not keep a broken connection.
    from hypergen.websocket import connection

    calls = []

    async def counting_aclose_old_connections():
        calls.append(1)

    monkeypatch.setattr(connection, "aclose_old_connections", counting_aclose_old_connections)
    client = await connected("/ws/async_counter/")
    for event_id in (1, 2):
        await send_event(client, [1], event_id=event_id, sid="hygiene")
        await client.receive_from(timeout=3)
    await send_event(client, [1], event_id=2, sid="hygiene")  # Handled before: not run, nothing to clean.
    assert json.loads(await client.receive_from(timeout=3)) == {"t": "ack", "id": 2}
    assert len(calls) == 2
    await client.disconnect()


@pytest.mark.asyncio
async def test_group_messages_are_forwarded_without_a_thread_hop_per_recipient(monkeypatch):
    from channels import consumer as channels_consumer

    calls = []

    async def counting_aclose_old_connections():
        calls.append(1)

    listeners = [await connected("/ws/rooms/no-hops/") for _ in range(3)]
    # Channels 4.2 and later hop to a thread in dispatch(); 4.0 and 4.1 have no such call to count.
    monkeypatch.setattr(channels_consumer, "aclose_old_connections", counting_aclose_old_connections, raising=False)
    await say(listeners[0], "one")
    for listener in listeners:
        assert (await commands_frame(listener))["seq"] == 1
    assert calls == []  # Channels' dispatch (a thread hop for aclose_old_connections) was not used.
    for listener in listeners:
        await listener.disconnect()


@pytest.mark.asyncio
async def test_an_async_consumer_that_raises_answers_a_server_error_and_the_socket_lives(caplog):
    client = await connected("/ws/async_counter/")
    await send_event(client, ["fail"], event_id=1, sid="failing")
    error = json.loads(await client.receive_from(timeout=3))
    assert (error["code"], error["id"]) == ("server-error", 1)
    assert "secret detail" not in error["message"] and "secret detail" in caplog.text
    await send_event(client, [5], event_id=2, sid="failing")
    assert json.loads(await client.receive_from(timeout=3))["commands"] == [["hypergen.setText", "count", 5]]
    await client.disconnect()


@pytest.mark.asyncio
async def test_an_async_consumer_with_a_permission_is_rechecked_on_every_message():
    cookie, _ = await session_cookie("async-chatter", ["chat.can_chat"])
    client = await connected("/ws/async_guarded/", cookie=cookie)
    await send_event(client, ["hi"])
    answer = json.loads(await client.receive_from(timeout=3))
    assert answer["commands"] == [["hypergen.setText", "echo", "async-chatter: hi"]]
    await database_sync_to_async(_lose_permission)("async-chatter", "chat.can_chat")
    await send_event(client, ["still there?"], event_id=2)
    error = json.loads(await client.receive_from(timeout=3))
    assert (error["code"], error["id"]) == ("permission-denied", 2)
    await client.disconnect()


@pytest.mark.asyncio
async def test_a_consumers_base_view_renders_the_page_the_event_came_from_with_its_url_arguments():
    client = await connected("/ws/bump_shelf_over_socket/")
    event = {"id": 1, "sid": "s", "args": [], "meta": {}, "page": "/live/shelf/novels/2/"}
    await client.send_to(text_data=dumps(event))
    answer = json.loads(await client.receive_from(timeout=3))
    assert "shelf novels, page 2" in answer["commands"][0][2]
    event = {**event, "id": 2, "page": "/live/counter/"}
    await client.send_to(text_data=dumps(event))
    error = json.loads(await client.receive_from(timeout=3))
    assert (error["code"], error["id"]) == ("bad-message", 2)
    assert "the event came from /live/counter/, which is counter" in error["message"]
    await client.disconnect()


@pytest.mark.asyncio
async def test_listen_perm_lets_everyone_watch_while_only_perm_holders_act():
    watcher = await connected("/ws/poll/")  # Anonymous: may listen.
    cookie, _ = await session_cookie("onlooker")  # Logged in, without the permission.
    onlooker = await connected("/ws/poll/", cookie=cookie)
    cookie, _ = await session_cookie("voter", ["auth.change_user"])
    voter = await connected("/ws/poll/", cookie=cookie)
    await send_event(onlooker, ["no"])
    error = json.loads(await onlooker.receive_from(timeout=3))
    assert (error["t"], error["id"], error["code"]) == ("error", 1, "permission-denied")
    await send_event(voter, ["yes"])
    await frames_until_ack(voter)
    # The refused vote reached no one: the first group message is the voter's.
    for client in (watcher, onlooker):
        frame = json.loads(await client.receive_from(timeout=3))
        assert frame["commands"] == [["hypergen.setText", "votes", "voter voted yes"]]
    for client in (watcher, onlooker, voter):
        await client.disconnect()


@pytest.mark.asyncio
async def test_a_group_name_a_visitor_chooses_never_reaches_a_consumer_urls_group():
    insider = await connected("/ws/rooms/private/")
    intruder = await connected("/ws/named//ws/rooms/private/")  # Names its group after that URL's path.
    await send_event(intruder, ["injected"], event_id=1, sid="intruder")
    assert (await commands_frame(intruder))["commands"][0][2] == "<li>injected</li>"  # Its own group heard it.
    await send_event(insider, ["private"], event_id=1, sid="insider")
    # The sentinels: each one's next message is its own, never the other group's.
    assert (await commands_frame(insider))["commands"][0][2] == "<li>private</li>"
    await send_event(intruder, ["second"], event_id=2, sid="intruder")
    assert (await commands_frame(intruder))["commands"][0][2] == "<li>second</li>"
    for client in (insider, intruder):
        await client.disconnect()


def test_url_groups_named_groups_and_users_groups_never_share_a_name():
    from hypergen.websocket.groups import group_name

    assert len({group_name("/a/", kind) for kind in ("url", "named", "user")}) == 3
