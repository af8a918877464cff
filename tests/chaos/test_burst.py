"""A burst of pushes from another process: every message arrives, in order, and nothing is lost silently.

Regression: each push() from a script paid for a new event loop and new Redis connections
(about 120 pushes/s), and channels_redis dropped what it could not queue with nothing but an
INFO line. bench/load.py measures the push rate; this checks what arrives.
"""

from __future__ import annotations

import subprocess
import sys

from tests.servers import ROOT, AsgiServer
from tests.swarm import Swarm

PUSHES = 3000

# Pushes the first half one by one, the second in a push_batch(); prints both rates (bench/load.py reads them).
PUSHER = """
import json
import sys
import time
import django

django.setup()
from hypergen.websocket import push, push_batch
from tests import ws_views

count = int(sys.argv[1])
started = time.perf_counter()
for n in range(count // 2):
    push(ws_views.any_room, [["hypergen.append", "messages", f"<li>{n}</li>"]], room="burst")
middle = time.perf_counter()
with push_batch():
    for n in range(count // 2, count):
        push(ws_views.any_room, [["hypergen.append", "messages", f"<li>{n}</li>"]], room="burst")
ended = time.perf_counter()
print(json.dumps({"push": (count // 2) / (middle - started), "push_batch": (count - count // 2) / (ended - middle)}))
"""


def test_a_burst_of_pushes_from_another_process_arrives_complete_and_in_order(
    cluster: list[AsgiServer], redis_env: dict[str, str]
) -> None:
    url = cluster[0].url.replace("http://", "ws://") + "/ws/rooms/burst/"
    swarm = Swarm([url, url], not_reading=(1,))  # The second socket's client stalls.
    try:
        subprocess.run([sys.executable, "-c", PUSHER, str(PUSHES)], env=redis_env, cwd=ROOT, check=True, timeout=120)
        reader, staller = swarm.peers
        swarm.wait_until(lambda: len(reader.commands_frames()) == PUSHES, timeout=60, what="every push to arrive")
        assert reader.texts() == [f"<li>{n}</li>" for n in range(PUSHES)]
        seqs = [frame["seq"] for frame in reader.commands_frames()]
        assert seqs == list(range(seqs[0], seqs[0] + PUSHES))

        # The stalled client catches up: whatever it gets is in order, and it gets the last
        # message, so a loss on the way would show as a gap in seq.
        swarm.start_reading(1)
        swarm.wait_until(lambda: staller.commands_frames()[-1:] == reader.commands_frames()[-1:], timeout=60)
        stalled_seqs = [frame["seq"] for frame in staller.commands_frames()]
        assert stalled_seqs == sorted(set(stalled_seqs))
        assert swarm.closed() == []
    finally:
        swarm.close()
