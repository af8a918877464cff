"""Many sockets on one process: held idle, then all talking at once; none dropped, no reply lost.

bench/load.py runs 1,000 sockets held for 60 s; this is the size that fits CI.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.servers import ws_url
from tests.swarm import Swarm

SOCKETS, HELD_SECONDS, MESSAGES_EACH = 300, 10, 20


def resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def test_many_sockets_held_then_all_talking_lose_nothing(start_servers) -> None:
    [server] = start_servers(1)
    before = resident_kib(server.process.pid)
    swarm = Swarm([ws_url(server, "/ws/private_echo/")] * SOCKETS)
    try:
        time.sleep(HELD_SECONDS)  # Holding them is the behaviour under test.
        per_socket = (resident_kib(server.process.pid) - before) / SOCKETS
        assert swarm.closed() == []
        for n in range(MESSAGES_EACH):
            for index in range(SOCKETS):
                swarm.send(index, f"{index}.{n}")
        swarm.wait_until(
            lambda: all(len(peer.commands_frames()) == MESSAGES_EACH for peer in swarm.peers),
            timeout=120,
            what="every reply",
        )
        for index, peer in enumerate(swarm.peers):
            assert peer.texts() == [f"only you: {index}.{n}" for n in range(MESSAGES_EACH)]
        assert swarm.closed() == []
        print(f"\n{SOCKETS} sockets: {per_socket:.1f} KiB of server memory each; {SOCKETS * MESSAGES_EACH} replies")
    finally:
        swarm.close()
