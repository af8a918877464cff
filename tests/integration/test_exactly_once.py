"""Each event runs once, also while it is still running when its page reconnects and sends it again.

A page whose heartbeat went unanswered (or whose network blinked) drops its socket and resends
every event not yet acknowledged on a new one: the server must neither run such an event a second
time nor let the new socket overtake it. And a ping is answered while an event runs, so a slow
consumer does not make the page think its connection is dead in the first place.
"""

import asyncio
import json

import pytest

from tests import ws_views
from tests.integration.test_websockets import connected, fresh_channel_layer, send_event  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

CONSUMERS = ["/ws/counted/", "/ws/async_counted/"]


@pytest.fixture(autouse=True)
def no_runs_counted():
    ws_views.RUNS.clear()
    yield
    ws_views.RUNS.clear()


async def next_frame(client, timeout=5):
    return json.loads(await client.receive_from(timeout=timeout))


async def wait_until_running(label):
    """Until ``label``'s event has been taken off the socket (it sleeps inside the consumer)."""
    await asyncio.sleep(0.2)
    assert ws_views.RUNS.get(label, 0) == 0, "the event finished before the test could race it"


@pytest.mark.asyncio
@pytest.mark.parametrize("path", CONSUMERS)
async def test_a_ping_is_answered_while_an_event_runs(path):
    client = await connected(path)
    await send_event(client, [1.0, "slow"], event_id=1, sid="tab")
    await wait_until_running("slow")
    await client.send_to(text_data='{"t":"ping"}')
    assert await next_frame(client) == {"t": "pong"}, "the pong waited for the running event"
    answer = await next_frame(client)
    assert answer["ack"] == 1 and answer["t"] == "commands"
    await client.disconnect()


@pytest.mark.asyncio
@pytest.mark.parametrize("path", CONSUMERS)
async def test_an_event_resent_while_it_still_runs_runs_once(path):
    first = await connected(path)
    await send_event(first, [1.0, "order"], event_id=1, sid="tab")
    await wait_until_running("order")
    # The page gave up on the first socket and sends what it has not seen acknowledged again.
    second = await connected(path)
    await send_event(second, [1.0, "order"], event_id=1, sid="tab")
    assert await next_frame(second) == {"t": "ack", "id": 1}
    assert ws_views.RUNS == {"order": 1}
    # The next event of the page runs after the first, and once.
    await send_event(second, [0, "next"], event_id=2, sid="tab")
    answer = await next_frame(second)
    assert (answer["t"], answer["ack"]) == ("commands", 2)
    assert ws_views.RUNS == {"order": 1, "next": 1}
    await first.disconnect()
    await second.disconnect()


@pytest.mark.asyncio
@pytest.mark.parametrize("path", CONSUMERS)
async def test_a_newer_event_waits_for_an_older_one_still_running(path):
    first = await connected(path)
    await send_event(first, [0.8, "older"], event_id=1, sid="tab")
    await wait_until_running("older")
    second = await connected(path)
    await send_event(second, [0, "newer"], event_id=2, sid="tab")
    answer = await next_frame(second)
    assert (answer["t"], answer["ack"]) == ("commands", 2)
    assert ws_views.RUNS == {"older": 1, "newer": 1}, "the newer event overtook the older one"
    # The older event finishing does not take the page's handled events back to 1.
    await send_event(second, [0, "newer"], event_id=2, sid="tab")
    assert await next_frame(second) == {"t": "ack", "id": 2}
    assert ws_views.RUNS == {"older": 1, "newer": 1}
    await first.disconnect()
    await second.disconnect()


@pytest.mark.asyncio
@pytest.mark.parametrize("path", CONSUMERS)
async def test_an_event_waiting_for_an_older_one_is_dropped_with_its_socket_and_runs_when_sent_again(path):
    first = await connected(path)
    await send_event(first, [0.8, "older"], event_id=1, sid="tab")
    await wait_until_running("older")
    second = await connected(path)
    await send_event(second, [0, "newer"], event_id=2, sid="tab")  # Waits for event 1.
    await asyncio.sleep(0.1)
    await second.disconnect()  # The page gave up on this socket too, before event 2 ran.
    third = await connected(path)
    await send_event(third, [0, "newer"], event_id=2, sid="tab")
    answer = await next_frame(third)
    assert (answer["t"], answer["ack"]) == ("commands", 2), "event 2 ran for a socket that was gone"
    assert ws_views.RUNS == {"older": 1, "newer": 1}
    await first.disconnect()
    await third.disconnect()


@pytest.mark.asyncio
async def test_an_event_running_when_the_server_cancels_its_connection_still_reaches_the_group():
    other = await connected("/ws/slow_broadcast/")
    first = await connected("/ws/slow_broadcast/")
    await send_event(first, [0.5, "hello"], event_id=1, sid="tab")
    await asyncio.sleep(0.1)
    await first.disconnect(timeout=0.05)  # Not done in time: the ASGI server cancels the connection.
    frame = await next_frame(other)
    assert frame["t"] == "commands" and "hello" in json.dumps(frame["commands"])
    await other.disconnect()
