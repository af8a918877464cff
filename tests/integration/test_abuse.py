"""Abuse over sockets: the per-socket rate limit, logout and lost permissions, signed consumer URLs."""

import json
import time

import pytest

from hypergen.websocket import protocol
from tests.integration.test_websockets import communicator, connected, fresh_channel_layer, send_event  # noqa: F401

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
    settings.HYPERGEN = {**settings.HYPERGEN, "WEBSOCKET_RATE": 1, "WEBSOCKET_BURST": 2}
    client = await connected("/ws/private_echo/")
    for event_id in (1, 2, 3):
        await send_event(client, [str(event_id)], event_id=event_id)
    answers = [json.loads(await client.receive_from(timeout=3)) for _ in range(3)]
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
