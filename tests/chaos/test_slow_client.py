"""A client that stops reading is cut off, not buffered without bound, and does not slow its group.

Under daphne what is sent to a socket whose client does not read piles up in the server (Twisted's
transport buffer). Hypergen closes such a socket with 4408 once more than
WEBSOCKET_MAX_PENDING_BYTES wait there (set low here, to see it with CI-sized traffic).
"""

from __future__ import annotations

import re
import time

from tests.chaos.test_load import resident_kib
from tests.servers import ws_url
from tests.swarm import Swarm

GROUP, MESSAGES, TEXT_BYTES, ROUNDS = 200, 100, 1000, 3
BOUND = 64 * 1024


def broadcast_rate(swarm: Swarm, readers: list[int], messages: int, text_bytes: int, label: str = "") -> float:
    """Messages a second delivered to every reader: the sender (peer 0) sends ``messages`` at once."""
    expected = {index: len(swarm.peers[index].frames) + messages for index in readers}
    started = time.monotonic()
    for n in range(messages):
        swarm.send(0, f"{label}{n:05d}" + "x" * text_bytes)
    swarm.wait_until(
        lambda: all(len(swarm.peers[index].frames) >= expected[index] for index in readers),
        timeout=120,
        what="every message at every reader",
    )
    return messages / (time.monotonic() - started)


def test_one_reader_that_stalls_leaves_its_group_served(start_servers) -> None:
    # How fast, with and without a staller, is bench/load.py's "slow" scenario: on 2 busy cores the
    # noise is larger than the 10% it is measured against, so this test checks what can fail.
    [server] = start_servers(1, HYPERGEN_TEST_NO_RATE_LIMIT="1", HYPERGEN_TEST_MAX_PENDING_BYTES=str(BOUND))
    stalled = Swarm([ws_url(server, "/ws/rooms/stalled/")] * GROUP, not_reading=(GROUP - 1,))
    try:
        rate = broadcast_rate(stalled, list(range(GROUP - 1)), MESSAGES, TEXT_BYTES)
        print(f"\nbroadcast to {GROUP - 1} readers beside a stalled one: {rate:.1f} msg/s")
        assert [index for index, _ in stalled.closed() if index != GROUP - 1] == []  # Every reader served.
    finally:
        stalled.close()


def _growth_mib(server, swarm: Swarm, messages: int, size: int) -> float:
    before = resident_kib(server.process.pid)
    for n in range(messages):
        swarm.send(0, f"{n} " + "x" * size)
    swarm.wait_until(lambda: len(swarm.peers[0].frames) >= messages, timeout=120, what="every message")
    return (resident_kib(server.process.pid) - before) / 1024


def test_a_stalled_reader_costs_the_server_a_bounded_amount_of_memory(start_servers) -> None:
    # Each room's history keeps its messages (WEBSOCKET_HISTORY_SIZE) either way: compared with a
    # room where both read, the stalled reader may add little.
    [server] = start_servers(1, HYPERGEN_TEST_NO_RATE_LIMIT="1", HYPERGEN_TEST_MAX_PENDING_BYTES=str(BOUND))
    reading = Swarm([ws_url(server, "/ws/rooms/reading/")] * 2)
    stalled = Swarm([ws_url(server, "/ws/rooms/memory/")] * 2, not_reading=(1,))
    try:
        baseline = _growth_mib(server, reading, 300, 100_000)
        grown = _growth_mib(server, stalled, 300, 100_000)  # 30 MB for a reader that does not read.
        print(f"\n30 MB to two readers: +{baseline:.1f} MiB; to a reader and a stalled one: +{grown:.1f} MiB")
        assert grown - baseline < 10
        stalled.start_reading(1)
        stalled.wait_until(lambda: stalled.peers[1].closed, timeout=30, what="the stalled socket to be closed")
        assert len(stalled.peers[1].frames) < 300  # Cut off, not buffered to the end.
        assert re.search(r"closed with 4408: its client is not reading", server.read_log()[0])
        assert reading.closed() == []
    finally:
        reading.close()
        stalled.close()
