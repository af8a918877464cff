"""The ASGI app the benchmarks measure: the test project, plus raw Channels consumers to compare with.

Run by bench/ws.py under daphne as ``ws_app:application`` (bench/ on PYTHONPATH), by bench/load.py
as ``bench.ws_app:application``.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

from channels.auth import AuthMiddlewareStack
from channels.generic.websocket import AsyncJsonWebsocketConsumer, JsonWebsocketConsumer
from channels.routing import ProtocolTypeRouter, URLRouter
from django.urls import path, re_path

from hypergen.asgi import SameOriginWebsockets, WebsocketRouter, get_asgi_application

hypergen_application = get_asgi_application()

if os.environ.get("HYPERGEN_BENCH_TELEMETRY") != "1":
    # The test project holds the demo, whose /stats/ page counts every socket and event through
    # hypergen.signals: that app's own telemetry (about 5 us an event), which no raw peer does. The
    # benchmarks measure the framework, so it is off here; HYPERGEN_BENCH_TELEMETRY=1 keeps it.
    from demo import stats
    from hypergen import signals

    for signal, receiver in (
        (signals.socket_connected, stats._connected),
        (signals.socket_disconnected, stats._disconnected),
        (signals.event_finished, stats._finished),
        (signals.event_failed, stats._failed),
        (signals.broadcast, stats._broadcast),
        (signals.replayed, stats._replayed),
        (signals.rate_limited, stats._rate_limited),
    ):
        if not signal.disconnect(receiver):
            raise RuntimeError(f"demo.stats no longer has {receiver.__name__} on that signal: update bench/ws_app.py")


class RawEcho(JsonWebsocketConsumer):
    """The reference: a plain sync Channels JSON consumer echoing what it gets."""

    def receive_json(self, content, **kwargs):
        self.send_json(content)


class RawAsyncEcho(AsyncJsonWebsocketConsumer):
    async def receive_json(self, content, **kwargs):
        await self.send_json(content)


class RawFanout(AsyncJsonWebsocketConsumer):
    """The fan-out reference: every message goes to the group with a plain group_send."""

    async def connect(self):
        await self.channel_layer.group_add("raw-fanout", self.channel_name)
        await self.accept()

    async def receive_json(self, content, **kwargs):
        await self.channel_layer.group_send("raw-fanout", {"type": "fanout.message", "content": content})

    async def fanout_message(self, event):
        await self.send_json(event["content"])


class RawRoom(AsyncJsonWebsocketConsumer):
    """The Channels tutorial's chat room: joins the room's group on connect, leaves it on disconnect."""

    async def connect(self):
        self.group = "raw-room-" + self.scope["url_route"]["kwargs"]["room"]
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        await self.channel_layer.group_send(self.group, {"type": "room.message", "content": content})

    async def room_message(self, event):
        await self.send_json(event["content"])


websockets = URLRouter(
    [
        path("raw/echo/", RawEcho.as_asgi()),
        path("raw/async-echo/", RawAsyncEcho.as_asgi()),
        path("raw/fanout/", RawFanout.as_asgi()),
        path("raw/room/<str:room>/", RawRoom.as_asgi()),
        re_path(r"", WebsocketRouter()),
    ]
)
application = ProtocolTypeRouter(
    # Hypergen's Host and Origin checks, for ours and the raw consumers alike: they let clients that
    # send no Origin (the benchmarks' clients, like any non-browser) in. Channels' own
    # AllowedHostsOriginValidator refuses those.
    {"http": hypergen_application, "websocket": SameOriginWebsockets(AuthMiddlewareStack(websockets))}
)
