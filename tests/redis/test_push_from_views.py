"""push() from a sync view, as Django runs one under ASGI, on a layer that numbers from Python."""

from __future__ import annotations

import asyncio
import threading
import uuid

import pytest
from asgiref.sync import ThreadSensitiveContext, sync_to_async
from channels.layers import channel_layers

from hypergen import signals
from hypergen.websocket import Group, push


@pytest.fixture
def plain_channels_redis(redis_url, settings):
    """The project's own channels_redis layer (not Hypergen's): messages are numbered in Python."""
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [redis_url], "prefix": f"hypergen-push-test-{uuid.uuid4().hex[:8]}:"},
        }
    }
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def test_push_from_a_sync_view_with_a_sync_broadcast_receiver_returns(plain_channels_redis) -> None:
    received = []

    def count_broadcasts(sender, **details):  # Telemetry, as the demo's /stats/ keeps it.
        received.append(details["group"])

    def view():
        push(Group("lobby"), [["hypergen.append", "log", "hi"]])
        return "pushed"

    async def request():
        async with ThreadSensitiveContext():  # What Django's ASGIHandler does around each request.
            return await sync_to_async(view)()

    outcome = []
    signals.broadcast.connect(count_broadcasts, weak=False)
    try:
        # In a thread of its own, so that a deadlock fails this test instead of hanging the suite.
        thread = threading.Thread(target=lambda: outcome.append(asyncio.run(request())), daemon=True)
        thread.start()
        thread.join(10)
    finally:
        signals.broadcast.disconnect(count_broadcasts)
    assert outcome == ["pushed"], "push() from the view never returned"
    assert len(received) == 1 and ".lobby." in received[0]
