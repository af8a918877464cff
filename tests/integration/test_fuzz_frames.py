"""10,000 random frames at live consumers: every one gets an answer, never a 1011 or a traceback."""

import json
import random

import pytest
from channels.testing import WebsocketCommunicator

from hypergen.asgi import get_asgi_application

pytestmark = pytest.mark.django_db(transaction=True)

FRAME_TYPES = {"ack", "error", "commands", "pong", "hello", "resync"}
NASTY_STRINGS = ["", "#", "<script>", "\ud800", "\x00", "a" * 3000, '{"_t":"pickle"}', "NaN", "\U0001d54f"]


def random_value(rng: random.Random, depth: int = 0):
    kind = rng.randrange(12 if depth < 4 else 6)
    if kind == 0:
        return rng.choice([None, True, False])
    if kind == 1:
        return rng.choice([0, -1, 2**53, 10**30, rng.randrange(-1000, 1000)])
    if kind == 2:
        return rng.choice([0.5, -1e300, 1e-300, 3.0])
    if kind in (3, 4, 5):
        return rng.choice(NASTY_STRINGS)
    if kind in (6, 7):
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if kind == 8:
        tag = rng.choice(["date", "decimal", "tuple", "set", "range", "dict", "float", "week", "month", "element", "x"])
        return {"_t": tag, "v": random_value(rng, depth + 1)}
    return {rng.choice(["a", "_t", "v", "args", "id"]): random_value(rng, depth + 1) for _ in range(rng.randrange(3))}


def random_frame(rng: random.Random, event_id: int) -> str:
    """A frame as a confused or hostile client might send: mostly event-shaped, often not."""
    shape = rng.randrange(10)
    if shape < 5:
        event = {"id": event_id, "sid": "fuzz", "args": [random_value(rng) for _ in range(rng.randrange(3))]}
        if rng.random() < 0.3:
            event["meta"] = random_value(rng)
        if rng.random() < 0.2:
            event[rng.choice(["id", "sid", "args"])] = random_value(rng)
        text = json.dumps(event)
    elif shape == 5:
        text = json.dumps(random_value(rng))
    elif shape == 6:
        text = rng.choice(['{"t":"ping"}', '{"t":"replay","epoch":"x","seq":1}', '{"t":"replay"}', '{"t":"pong"}'])
    elif shape == 7:
        text = "[" * rng.randrange(1, 5000) + "]" * rng.randrange(3)
    elif shape == 8:
        text = f'{{"id": {event_id}, "args": [{"9" * rng.randrange(1, 2000)}]}}'
    else:
        valid = json.dumps({"id": event_id, "sid": "fuzz", "args": ["x"]})
        cut = rng.randrange(len(valid))
        text = valid[:cut] + rng.choice(["", "\\", '"', "}", "\ud800"]) + valid[cut + 1 :]
    return text


@pytest.mark.parametrize("path", ["/ws/rooms/fuzz/?hg_epoch=", "/seed/increment/"])
@pytest.mark.asyncio
async def test_random_frames_get_answers_and_the_socket_lives(path, settings):
    # What is fuzzed here is the handling, not the limits on how much a socket may send or queue.
    unlimited = ("WEBSOCKET_RATE", "WEBSOCKET_MAX_WAITING_EVENTS", "WEBSOCKET_MAX_WAITING_BYTES")
    settings.HYPERGEN = dict.fromkeys(unlimited)
    rng = random.Random(f"fuzz {path}")
    client = WebsocketCommunicator(get_asgi_application(), path, headers=[(b"host", b"127.0.0.1")])
    connected, _ = await client.connect()
    assert connected
    for n in range(1, 5001):
        await client.send_to(text_data=random_frame(rng, n))
    # The sentinel: a good event after all of that; frames are handled in order, so its answer
    # comes after every other answer.
    await client.send_to(text_data=json.dumps({"id": 10**6, "sid": "sentinel", "args": ["last"]}))
    answered = 0
    while True:
        frame = await client.receive_output(timeout=10)
        assert frame["type"] == "websocket.send", f"the socket was closed after {answered} answers: {frame}"
        decoded = json.loads(frame["text"])
        assert decoded["t"] in FRAME_TYPES, decoded
        assert "Traceback" not in decoded.get("message", "")
        answered += 1
        if decoded.get("id") == 10**6 or decoded.get("ack") == 10**6:
            break
    assert answered > 4000
    await client.disconnect()
