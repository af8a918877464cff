"""Churn (the class of Channels issue 1683): steady clients lose nothing while others come and go.

STEADY clients each get every group message, numbered without a gap and in order, while CHURNERS
connect and disconnect in a loop: in memory, and on two processes over Redis. bench/load.py runs
it longer and larger.
"""

from __future__ import annotations

import asyncio
import random
import time

import pytest
import websockets

from tests.servers import ws_url
from tests.swarm import Swarm

STEADY, CHURNERS = 20, 50
RATE, SECONDS = 10, 15  # Group messages per second, for this long.


async def churn(urls: list[str], until: float, churners: int = CHURNERS) -> int:
    """Connect and disconnect ``churners`` sockets in a loop until ``until``; returns how many came and went."""
    cycles = 0

    async def one(url: str) -> None:
        nonlocal cycles
        while time.monotonic() < until:
            try:
                ws = await websockets.connect(url, open_timeout=10)
                await asyncio.sleep(random.uniform(0, 0.2))
                await ws.close()
                cycles += 1
            except (OSError, websockets.WebSocketException):
                await asyncio.sleep(0.1)

    await asyncio.gather(*(one(urls[n % len(urls)]) for n in range(churners)))
    return cycles


@pytest.mark.parametrize("layer", ["memory", "redis"])
def test_steady_clients_get_every_message_in_order_while_others_churn(start_servers, redis_url, layer) -> None:
    servers = start_servers(2, redis_url) if layer == "redis" else start_servers(1)
    urls = [ws_url(server, "/ws/rooms/churn/") for server in servers]
    steady = Swarm([urls[n % len(urls)] for n in range(STEADY)])
    try:
        until = time.monotonic() + SECONDS
        churning = asyncio.run_coroutine_threadsafe(churn(urls, until), steady.loop)
        sent = 0
        while time.monotonic() < until:
            steady.send(sent % STEADY, f"message {sent}")  # From a steady client, on either process.
            sent += 1
            time.sleep(1 / RATE)
        cycles = churning.result(timeout=60)
        expected = [f"<li>message {n}</li>" for n in range(sent)]
        steady.wait_until(
            lambda: all(len(peer.texts()) >= sent for peer in steady.peers), timeout=30, what="every message"
        )
        for peer in steady.peers:
            seqs = [frame["seq"] for frame in peer.commands_frames()]
            assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), "a gap or a reordering in seq"
            # Messages from different senders may interleave differently than they were sent, but
            # every client sees all of them, and the same order as every other client.
            assert sorted(peer.texts()) == sorted(expected)
            assert peer.texts() == steady.peers[0].texts()
        assert steady.closed() == []
        print(f"\n{layer}: {sent} messages to {STEADY} steady clients while {cycles} sockets came and went")
    finally:
        steady.close()
