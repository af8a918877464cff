"""Telemetry signals: sockets coming and going, events run (timed), broadcasts, replays."""

import json
from contextlib import contextmanager

import pytest
from channels.testing import WebsocketCommunicator

from hypergen import signals
from hypergen.asgi import get_asgi_application
from hypergen.serialization import dumps

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def recorded(*watched):
    """Everything the watched signals send inside the block: (signal name, sender name, details)."""
    seen = []
    receivers = []
    for signal in watched:
        name = next(key for key, value in vars(signals).items() if value is signal)

        def receiver(sender, signal=None, name=name, **details):
            seen.append((name, getattr(sender, "name", sender), details))

        signal.connect(receiver, weak=False)
        receivers.append((signal, receiver))
    try:
        yield seen
    finally:
        for signal, receiver in receivers:
            signal.disconnect(receiver)


def post(client, url, args):
    return client.post(url, dumps({"args": args, "meta": {}}), content_type="application/json")


def test_an_action_is_reported_started_and_finished_with_its_duration(client):
    with recorded(signals.event_started, signals.event_finished) as seen:
        assert post(client, "/live/increment/", [1]).status_code == 200
        assert post(client, "/live/increment/", []).status_code == 400
    assert [(name, sender) for name, sender, _ in seen] == [
        ("event_started", "increment"),
        ("event_finished", "increment"),
        ("event_started", "increment"),
        ("event_finished", "increment"),
    ]
    finished = [details for name, _, details in seen if name == "event_finished"]
    assert [(d["transport"], d["code"]) for d in finished] == [("http", None), ("http", "bad-arguments")]
    assert all(d["duration"] > 0 for d in finished)


def test_a_receiver_that_raises_never_fails_the_event(client, caplog):
    def broken_receiver(sender, **details):
        raise RuntimeError("a bug in the project's metrics")

    signals.event_finished.connect(broken_receiver, weak=False)
    try:
        assert post(client, "/live/increment/", [1]).status_code == 200
    finally:
        signals.event_finished.disconnect(broken_receiver)
    assert "A receiver of a Hypergen signal failed" in caplog.text


@pytest.mark.asyncio
async def test_a_socket_reports_its_life_its_events_and_its_broadcasts():
    watched = (
        signals.socket_connected,
        signals.socket_disconnected,
        signals.event_finished,
        signals.event_failed,
        signals.broadcast,
        signals.replayed,
    )
    with recorded(*watched) as seen:
        client = WebsocketCommunicator(
            get_asgi_application(), "/ws/rooms/signals/?hg_epoch=unknown&hg_seq=3", headers=[(b"host", b"127.0.0.1")]
        )
        assert (await client.connect())[0]
        assert json.loads(await client.receive_from(timeout=3))["t"] == "resync"
        await client.send_to(text_data=dumps({"id": 1, "sid": "s", "args": ["hi"], "meta": {}}))
        for _ in range(2):  # The ack and the group message, in either order.
            await client.receive_from(timeout=3)
        broken = WebsocketCommunicator(get_asgi_application(), "/ws/broken/", headers=[(b"host", b"127.0.0.1")])
        await broken.connect()
        await broken.send_to(text_data=dumps({"id": 1, "sid": "s", "args": [], "meta": {}}))
        assert json.loads(await broken.receive_from(timeout=3))["code"] == "server-error"
        await client.disconnect()
        await broken.disconnect()
    names = [(name, sender) for name, sender, _ in seen]
    assert names[:4] == [
        ("socket_connected", "any_room"),
        ("replayed", "any_room"),
        ("broadcast", None),
        ("event_finished", "any_room"),
    ] or names[:4] == [
        ("socket_connected", "any_room"),
        ("replayed", "any_room"),
        ("event_finished", "any_room"),
        ("broadcast", None),
    ]
    details = dict((name, d) for name, _, d in seen)
    assert details["replayed"]["messages"] is None  # A resync.
    assert details["broadcast"]["messages"] == 1
    assert details["event_finished"]["transport"] == "websocket"
    assert ("socket_connected", "broken") in names and ("event_failed", "broken") in names
    assert isinstance(details["event_failed"]["exception"], ValueError)
    assert {name for name, _ in names if name == "socket_disconnected"} == {"socket_disconnected"}
    assert sum(1 for name, _ in names if name == "socket_disconnected") == 2


def test_a_receiver_connected_after_events_ran_unheard_gets_the_next_ones(client):
    assert post(client, "/live/increment/", [1]).status_code == 200  # No receiver of event_started yet.
    with recorded(signals.event_started, signals.event_finished) as seen:
        assert post(client, "/live/increment/", [2]).status_code == 200
    assert [name for name, _, _ in seen] == ["event_started", "event_finished"]


@pytest.mark.asyncio
async def test_receivers_of_an_async_consumers_events_may_use_the_orm(monkeypatch):
    """An async def consumer's events run on the event loop; its receivers still run in a thread."""
    from django.contrib.auth.models import User

    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)  # tests/conftest.py allows it.
    counted = []

    def count_users(sender, **details):
        counted.append(User.objects.count())  # Telemetry kept in the database, say.

    signals.event_started.connect(count_users, weak=False)
    signals.event_finished.connect(count_users, weak=False)
    try:
        client = WebsocketCommunicator(get_asgi_application(), "/ws/async_counted/", headers=[(b"host", b"127.0.0.1")])
        assert (await client.connect())[0]
        await client.send_to(text_data=dumps({"id": 1, "sid": "s", "args": [0, "x"], "meta": {}}))
        answer = json.loads(await client.receive_from(timeout=3))
        await client.disconnect()
    finally:
        signals.event_started.disconnect(count_users)
        signals.event_finished.disconnect(count_users)
    assert answer["ack"] == 1
    assert counted == [0, 0], "a receiver failed (SynchronousOnlyOperation on the event loop)"
