"""Abuse over sockets: the per-socket rate limit, logout and lost permissions, signed consumer URLs."""

import json
import time

import pytest
from channels.db import database_sync_to_async
from django.contrib.sessions.backends.db import SessionStore

from hypergen.websocket import protocol
from tests.integration.test_websockets import (  # noqa: F401 - fresh_channel_layer is an autouse fixture
    communicator,
    connected,
    frames_until_ack,
    fresh_channel_layer,
    send_event,
    session_cookie,
)
from tests.sessions import logged_in_session

pytestmark = pytest.mark.django_db(transaction=True)

FLOOD = 3000


async def frames_until_close(client, timeout=5):
    """Every frame a socket gets until the server closes it, and the close code."""
    frames = []
    while True:
        output = await client.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return frames, output.get("code")
        frames.append(json.loads(output["text"]))


@pytest.mark.asyncio
async def test_a_flooding_socket_is_rate_limited_then_closed_and_its_group_stays_answered():
    flooder, other = await connected("/ws/rooms/flood/"), await connected("/ws/rooms/flood/")
    for event_id in range(1, FLOOD + 1):
        await send_event(flooder, [f"spam {event_id}"], event_id=event_id, sid="flooder")

    started = time.monotonic()
    await send_event(other, ["hello"], sid="other")
    while True:  # The flooder's broadcasts before it was limited, then the other socket's own ack.
        frame = json.loads(await other.receive_from(timeout=3))
        if frame == {"t": "ack", "id": 1}:
            break
    assert time.monotonic() - started < 1.0

    frames, code = await frames_until_close(flooder)
    assert code == protocol.CLOSE_RATE_LIMITED == 4429
    refused = [frame for frame in frames if frame["t"] == "error"]
    assert {frame["code"] for frame in refused} == {"rate-limited"}
    assert len(refused) >= 50
    # Each refused event is answered with its own id (not run), after the burst that ran.
    assert all(frame["id"] > 60 for frame in refused)
    assert [frame["id"] for frame in refused] == sorted(frame["id"] for frame in refused)
    acked = [frame["id"] for frame in frames if frame["t"] == "ack"]
    assert 60 <= len(acked) < 80
    await other.disconnect()


@pytest.mark.asyncio
async def test_a_person_typing_and_clicking_is_never_rate_limited():
    client = await connected("/ws/private_echo/")
    for event_id in range(1, 41):  # 40 events at once: a burst well within the default.
        await send_event(client, [str(event_id)], event_id=event_id)
    answers = [json.loads(await client.receive_from(timeout=3)) for _ in range(40)]
    assert [answer.get("ack") for answer in answers] == list(range(1, 41))
    await client.disconnect()


@pytest.mark.asyncio
async def test_the_rate_limit_follows_the_settings(settings):
    from hypergen import signals

    settings.HYPERGEN = {**settings.HYPERGEN, "WEBSOCKET_RATE": 1, "WEBSOCKET_BURST": 2}
    reported = []

    def count(sender, path, closed, **details):
        reported.append((sender.name, path, closed))

    signals.rate_limited.connect(count)
    client = await connected("/ws/private_echo/")
    for event_id in (1, 2, 3):
        await send_event(client, [str(event_id)], event_id=event_id)
    answers = [json.loads(await client.receive_from(timeout=3)) for _ in range(3)]
    signals.rate_limited.disconnect(count)
    assert reported == [("private_echo", "/ws/private_echo/", False)]  # Telemetry: docs/telemetry.md.
    assert [answer.get("ack") for answer in answers[:2]] == [1, 2]
    assert answers[2] == {
        "t": "error",
        "id": 3,
        "code": "rate-limited",
        "message": "Too many messages: at most 2 at once and 1 a second. This one was not run.",
    }
    await client.send_to(text_data=protocol.PING_FRAME)  # The heartbeat is answered even over the limit.
    assert await client.receive_from(timeout=3) == protocol.PONG_FRAME
    await client.disconnect()


@pytest.mark.asyncio
async def test_no_rate_limit_when_the_rate_is_none(settings):
    settings.HYPERGEN = {**settings.HYPERGEN, "WEBSOCKET_RATE": None, "WEBSOCKET_BURST": 1}
    client = await connected("/ws/private_echo/")
    for event_id in range(1, 6):
        await send_event(client, [str(event_id)], event_id=event_id)
    answers = [json.loads(await client.receive_from(timeout=3)) for _ in range(5)]
    assert [answer.get("ack") for answer in answers] == [1, 2, 3, 4, 5]
    await client.disconnect()


# Auth follows the user: logout, a flushed session, a password change, a lost permission ------------


def _user(username):
    from django.contrib.auth.models import User

    return User.objects.get(username=username)


def _log_out(session_key, username):
    """What django.contrib.auth.views.LogoutView does to the request of that session."""
    from django.contrib.auth import logout
    from django.http import HttpRequest

    request = HttpRequest()
    request.session = SessionStore(session_key)
    request.user = _user(username)
    logout(request)


def _change_password(username):
    user = _user(username)
    user.set_password("a new secret")
    user.save()


def _remove_permission(username, perm):
    from django.contrib.auth.models import Permission

    app_label, codename = perm.split(".")
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    _user(username).user_permissions.remove(permission)


async def chat_socket(username, perms=("chat.can_chat",)):
    cookie, session_key = await session_cookie(username, list(perms))
    return await connected("/chat/lobby", cookie=cookie), session_key


async def still_answered(client, event_id=1):
    """The sentinel: this socket is open and answered (its own message comes back)."""
    await send_event(client, ["ping"], event_id=event_id)
    frames = await frames_until_ack(client, event_id)
    assert frames[0]["commands"] == [["hypergen.append", "messages", "<li>ping</li>"]], frames


async def closed_with(client):
    while True:
        output = await client.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            return output["code"]


@pytest.mark.asyncio
async def test_logging_out_closes_the_sockets_of_that_session_with_4401():
    mine, my_session = await chat_socket("leaver")
    my_other_browser, _ = await chat_socket("leaver")
    await database_sync_to_async(_log_out)(my_session, "leaver")
    assert await closed_with(mine) == protocol.CLOSE_UNAUTHENTICATED == 4401
    await still_answered(my_other_browser)  # Logging out ends one session, not the others.
    await my_other_browser.disconnect()


@pytest.mark.asyncio
async def test_a_flushed_session_closes_its_sockets_with_4401():
    mine, my_session = await chat_socket("flushed")
    others, _ = await chat_socket("bystander")
    await database_sync_to_async(SessionStore(my_session).flush)()
    assert await closed_with(mine) == 4401
    await still_answered(others)
    await others.disconnect()


@pytest.mark.asyncio
async def test_a_password_change_closes_every_session_of_that_user_with_4401():
    first, _ = await chat_socket("rotator")
    second, _ = await chat_socket("rotator")
    others, _ = await chat_socket("bystander")
    await database_sync_to_async(_change_password)("rotator")
    assert await closed_with(first) == 4401
    assert await closed_with(second) == 4401
    await still_answered(others)
    await others.disconnect()


@pytest.mark.asyncio
async def test_a_user_who_loses_the_permission_gets_no_more_group_messages_and_is_closed_with_4403(settings):
    settings.HYPERGEN = {**settings.HYPERGEN, "WEBSOCKET_PERMISSION_RECHECK_SECONDS": 0}
    demoted, _ = await chat_socket("demoted")
    speaker, _ = await chat_socket("speaker")
    await database_sync_to_async(_remove_permission)("demoted", "chat.can_chat")
    await still_answered(speaker)
    assert await closed_with(demoted) == protocol.CLOSE_PERMISSION_DENIED  # Instead of the speaker's message.
    await speaker.disconnect()


@pytest.mark.asyncio
async def test_the_permission_recheck_before_group_messages_is_cached():
    keeper, _ = await chat_socket("cached")
    speaker, _ = await chat_socket("speaker2")
    await still_answered(speaker)  # The first group message checks (and caches) the permission.
    assert json.loads(await keeper.receive_from(timeout=3))["commands"][0][2] == "<li>ping</li>"
    await database_sync_to_async(_remove_permission)("cached", "chat.can_chat")
    await still_answered(speaker, event_id=2)  # Within the cache's seconds: still delivered.
    assert json.loads(await keeper.receive_from(timeout=3))["commands"][0][2] == "<li>ping</li>"
    await keeper.disconnect()
    await speaker.disconnect()


# Signed consumer URLs ------------------------------------------------------------------------


def _page_request(username=None):
    """An HTTP request of a page, logged in as ``username`` (anonymous, with a session, if None)."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    if username is not None:
        session_key = logged_in_session(username)
        user = _user(username)
    else:
        session = SessionStore()
        session.create()
        session_key, user = session.session_key, AnonymousUser()
    request = RequestFactory().get("/page/")
    request.session, request.user = SessionStore(session_key), user
    return request, f"sessionid={session_key}"


def _signed_path(request, **kwargs):
    """``signed_room.reverse(**kwargs)`` rendered in ``request``, as path and query."""
    from hypergen.context import context
    from tests.ws_views import signed_room

    with context(request=request):
        url = signed_room.reverse(**kwargs)
    assert url.startswith("ws://testserver/ws/signed/") and "?hg_sig=" in url, url
    return url.removeprefix("ws://testserver")


async def refused_with(path, cookie):
    client = communicator(path, cookie=cookie)
    ok, _ = await client.connect()
    assert ok
    return (await client.receive_output(timeout=3)).get("code")


async def answered(path, cookie, text="hi"):
    client = await connected(path, cookie=cookie)
    await send_event(client, [text])
    frames = await frames_until_ack(client)
    await client.disconnect()
    return frames[0]["commands"]


def _signed_for(username=None, **kwargs):
    request, cookie = _page_request(username)
    return _signed_path(request, **kwargs), cookie, request


@pytest.mark.asyncio
async def test_a_signed_consumers_url_lets_its_user_in():
    path, cookie, _ = await database_sync_to_async(_signed_for)("signer", room="lobby")
    assert await answered(path, cookie) == [["hypergen.setText", "echo", "lobby: hi"]]


@pytest.mark.asyncio
async def test_an_anonymous_visitors_signed_url_is_bound_to_their_session():
    path, cookie, _ = await database_sync_to_async(_signed_for)(None, room="lobby")
    assert await answered(path, cookie) == [["hypergen.setText", "echo", "lobby: hi"]]
    _, someone_else, _ = await database_sync_to_async(_signed_for)(None, room="lobby")
    assert await refused_with(path, someone_else) == 4403


@pytest.mark.asyncio
async def test_a_changed_kwarg_another_users_signature_or_none_at_all_is_refused_with_4403():
    path, cookie, _ = await database_sync_to_async(_signed_for)("owner", room="lobby")
    _, other_cookie, _ = await database_sync_to_async(_signed_for)("intruder", room="lobby")
    assert await refused_with(path.replace("/lobby/", "/vault/"), cookie) == 4403
    assert await refused_with(path, other_cookie) == 4403
    assert await refused_with(path, None) == 4403
    assert await refused_with(path.split("?")[0], cookie) == 4403
    assert await refused_with(path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB"), cookie) == 4403


@pytest.mark.asyncio
async def test_an_expired_signature_is_refused_with_4403(settings, monkeypatch):
    settings.HYPERGEN = {**settings.HYPERGEN, "WEBSOCKET_SIGNED_URL_MAX_AGE": 3600}
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - 3601)  # Rendered over an hour ago.
    path, cookie, _ = await database_sync_to_async(_signed_for)("sleeper", room="lobby")
    monkeypatch.setattr(time, "time", real)
    assert await refused_with(path, cookie) == 4403


@pytest.mark.asyncio
async def test_the_replay_parameters_beside_the_signature_do_not_break_it():
    path, cookie, _ = await database_sync_to_async(_signed_for)("resumer", room="lobby")
    client = await connected(path + "&hg_epoch=&hg_seq=0", cookie=cookie)
    assert json.loads(await client.receive_from(timeout=3))["t"] == "hello"
    await client.disconnect()


def test_a_callback_to_a_signed_consumer_sends_to_its_signed_url(db):
    from hypergen.context import context
    from hypergen.liveview import callback
    from hypergen.websocket.signing import refusal
    from tests.ws_views import signed_echo

    request, _ = _page_request("caller")
    with context(request=request):
        bound = callback(signed_echo, "hi")
    path, _, query = bound.url.removeprefix("ws://testserver").partition("?")
    assert path == "/ws/signed_echo/" and query.startswith("hg_sig=")
    scope = {"path": path, "query_string": query.encode(), "user": request.user, "session": request.session}
    assert refusal(signed_echo.hypergen, scope) is None


def test_a_signed_consumer_cannot_be_reversed_outside_a_request():
    from tests.ws_views import signed_room

    with pytest.raises(RuntimeError, match=r"signed_room is @consumer\(signed=True\)"):
        signed_room.reverse(room="lobby")


@pytest.mark.asyncio
async def test_events_waiting_for_a_slow_consumer_are_bounded_even_without_a_rate_limit(settings):
    from tests import ws_views

    settings.HYPERGEN = {**settings.HYPERGEN, "WEBSOCKET_RATE": None}
    ws_views.RUNS.clear()
    client = await connected("/ws/counted/")
    total = 100 + 50  # WEBSOCKET_MAX_WAITING_EVENTS' default, and more.
    for event_id in range(1, total + 1):
        await send_event(client, [0.01, "flood"], event_id=event_id, sid="flooder")
    frames = [json.loads(await client.receive_from(timeout=10)) for _ in range(total)]
    refused = [frame["id"] for frame in frames if frame["t"] == "error"]
    assert {frame["code"] for frame in frames if frame["t"] == "error"} == {"rate-limited"}
    assert len(refused) >= 40, "a client could queue events without bound"
    assert ws_views.RUNS["flood"] == total - len(refused)
    await send_event(client, [0, "after"], event_id=total + 1, sid="flooder")  # The socket still runs events.
    assert json.loads(await client.receive_from(timeout=3))["ack"] == total + 1
    await client.disconnect()


@pytest.mark.asyncio
async def test_a_frame_over_the_size_limit_is_refused_in_its_turn(settings):
    settings.HYPERGEN = {**settings.HYPERGEN, "WEBSOCKET_MAX_MESSAGE_BYTES": 1000}
    client = await connected("/ws/counted/")
    await send_event(client, [0.5, "slow"], event_id=1, sid="s")
    await send_event(client, [0, "x" * 2000], event_id=2, sid="s")
    assert json.loads(await client.receive_from(timeout=3))["ack"] == 1
    assert json.loads(await client.receive_from(timeout=3))["code"] == "too-large"
    await client.disconnect()


@pytest.mark.asyncio
async def test_the_bytes_waiting_for_a_slow_consumer_are_bounded(settings):
    from tests import ws_views

    settings.HYPERGEN = {**settings.HYPERGEN, "WEBSOCKET_RATE": None}
    ws_views.RUNS.clear()
    client = await connected("/ws/counted/")
    big = "x" * 400_000  # Under the 512 KiB a message may hold; 20 of them are 8 MB, 2 MiB may wait.
    for event_id in range(1, 21):
        await send_event(client, [0.05, big], event_id=event_id, sid="s")
    frames = [json.loads(await client.receive_from(timeout=10)) for _ in range(20)]
    refused = [frame for frame in frames if frame["t"] == "error"]
    assert len(refused) >= 10 and {frame["code"] for frame in refused} == {"rate-limited"}
    assert ws_views.RUNS[big] == 20 - len(refused)
    await client.disconnect()
