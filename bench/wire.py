"""Bytes on the wire per update: what one change costs over HTTP and over a websocket.

    .venv/bin/python bench/wire.py

(a) one todo toggled in a list of 100, the list re-rendered into its target (as apps do);
(b) one chat message appended to a room (the append carries the new message only, whatever the
    room's size).
Measured through a byte-counting TCP proxy in front of daphne: the bytes the server sends for one
update, after the first (averaged over 20). Websockets with splices (the default: a morph of a
target the socket was sent before travels as what changed, hypergen/websocket/diff.py) and without
(HYPERGEN["WEBSOCKET_DIFF_BYTES"] = 0, every morph whole, as before splices), each with and
without permessage-deflate (HYPERGEN["WEBSOCKET_COMPRESSION"] under daphne; uvicorn negotiates it
by itself). HTTP as daphne sends it, and the body gzipped as nginx would (computed with gzip -6;
the shipped nginx config compresses application/json).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import sys
import tempfile
import urllib.request
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from tests.servers import running_server  # noqa: E402

UPDATES = 20


class CountingProxy:
    """A TCP proxy counting the bytes the server sends back, per connection."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.received = 0

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def _serve(self, client_reader, client_writer) -> None:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.target_port)

        async def pipe(reader, writer, count: bool) -> None:
            while data := await reader.read(65536):
                if count:
                    self.received += len(data)
                writer.write(data)
                await writer.drain()
            writer.close()

        await asyncio.gather(pipe(client_reader, server_writer, False), pipe(server_reader, client_writer, True))

    def close(self) -> None:
        self.server.close()


async def socket_bytes_per_update(port: int, path: str, args_of, compression: str | None) -> float:
    proxy = CountingProxy(port)
    proxy_port = await proxy.start()
    async with websockets.connect(f"ws://127.0.0.1:{proxy_port}{path}", compression=compression) as ws:

        async def update(n: int) -> None:
            await ws.send(json.dumps({"id": n, "sid": "wire", "args": args_of(n), "meta": {}}))
            answered = 0
            while answered < 2:  # The ack and the group message.
                frame = json.loads(await ws.recv())
                answered += frame["t"] in ("ack", "commands")

        await update(1)  # The first: a compressor has nothing to refer back to yet.
        before = proxy.received
        for n in range(2, UPDATES + 2):
            await update(n)
        measured = (proxy.received - before) / UPDATES
    proxy.close()
    return measured


def http_bytes_per_update(url: str, args_of) -> tuple[float, float]:
    """Response bytes as sent (headers and body), and the body as nginx would gzip it."""
    sent, gzipped = 0, 0
    cookies = urllib.request.HTTPCookieProcessor()
    opener = urllib.request.build_opener(cookies)
    opener.open(url.rsplit("/", 2)[0] + "/inputs/").read()  # A page: the CSRF cookie.
    token = next(cookie.value for cookie in cookies.cookiejar if cookie.name == "csrftoken")
    for n in range(UPDATES):
        body = json.dumps({"args": args_of(n), "meta": {}}).encode()
        request = urllib.request.Request(url, body, {"Content-Type": "application/json", "X-CSRFToken": token})
        with opener.open(request) as response:
            content = response.read()
            header_bytes = len(str(response.headers)) + len(f"HTTP/1.1 {response.status} OK\r\n")
        sent += header_bytes + len(content)
        gzipped += header_bytes + len(gzip.compress(content, 6))
    return sent / UPDATES, gzipped / UPDATES


#: The row every other is compared with: a socket sending whole morphs, uncompressed.
BASELINE = "websocket, splices off"
SOCKET_SETUPS = [  # (how, server environment, permessage-deflate)
    (BASELINE, {"HYPERGEN_TEST_DIFF_BYTES": "0"}, None),
    ("websocket (splices: the default)", {}, None),
    ("websocket, deflate, splices off", {"HYPERGEN_TEST_DIFF_BYTES": "0", "HYPERGEN_TEST_COMPRESSION": "1"}, "deflate"),
    ("websocket, deflate (with splices)", {"HYPERGEN_TEST_COMPRESSION": "1"}, "deflate"),
]


def measure(quick: bool) -> list[tuple[str, str, float]]:
    global UPDATES
    if quick:
        UPDATES = 5
    toggle = lambda n: [n % 100]  # noqa: E731
    chat = lambda n: [f"message number {n} in a busy room"]  # noqa: E731
    rows = []
    with tempfile.TemporaryDirectory() as plain_dir, running_server(Path(plain_dir)) as server:
        http_todo, http_todo_gzip = http_bytes_per_update(server.url + "/live/wire_toggle_http/", toggle)
        rows += [
            ("(a) toggle 1 of 100 todos", "HTTP", http_todo),
            ("(a) toggle 1 of 100 todos", "HTTP, nginx gzip", http_todo_gzip),
        ]
    for how, environment, compression in SOCKET_SETUPS:
        with tempfile.TemporaryDirectory() as directory, running_server(Path(directory), **environment) as server:
            urllib.request.urlopen(server.url + "/ws/socket_features/").read()  # A page turns compression on.
            for update, path, args_of in (
                ("(a) toggle 1 of 100 todos", "/ws/wire_toggle/", toggle),
                ("(b) 1 chat message", "/ws/rooms/wire/", chat),
            ):
                size = asyncio.run(socket_bytes_per_update(server.port, path, args_of, compression))
                rows.append((update, how, size))
    order = ["(a) toggle 1 of 100 todos", "(b) 1 chat message"]
    return sorted(rows, key=lambda row: order.index(row[0]))  # Stable: the setups stay in their order.


SOCKETS_FOR_MEMORY = 200


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def memory_per_socket(server, compression: str | None, count: int, path: str, updates: list) -> float:
    """Server memory per socket that has sent and received updates (compressors exist by then)."""
    before = rss_kib(server.process.pid)
    url = server.url.replace("http://", "ws://") + path
    sockets = [await websockets.connect(url, compression=compression) for _ in range(count)]
    for n, args in enumerate(updates, 1):
        await sockets[0].send(json.dumps({"id": n, "sid": "m", "args": args, "meta": {}}))
        for socket in sockets:
            while json.loads(await socket.recv())["t"] != "commands":
                pass
    after = rss_kib(server.process.pid)
    for socket in sockets:
        await socket.close()
    return (after - before) / count


MEMORY_SETUPS = [  # (label, server environment, permessage-deflate, path, the updates sent)
    ("websocket", {}, None, "/ws/rooms/memory/", [["x" * 2000]]),
    ("websocket, deflate", {"HYPERGEN_TEST_COMPRESSION": "1"}, "deflate", "/ws/rooms/memory/", [["x" * 2000]]),
    # Every socket remembers the list for its splices: one string shared by a group's sockets.
    ("websocket, sent the 24 KB todo list twice", {}, None, "/ws/wire_toggle/", [[0], [0]]),
    (
        "websocket, sent the 24 KB todo list twice, splices off",
        {"HYPERGEN_TEST_DIFF_BYTES": "0"},
        None,
        "/ws/wire_toggle/",
        [[0], [0]],
    ),
]


def memory_rows(count: int) -> list[tuple[str, str, float]]:
    rows = []
    for label, environment, compression, path, updates in MEMORY_SETUPS:
        with tempfile.TemporaryDirectory() as directory, running_server(Path(directory), **environment) as server:
            urllib.request.urlopen(server.url + "/ws/socket_features/").read()
            size = asyncio.run(memory_per_socket(server, compression, count, path, updates))
            rows.append(("server KiB per socket", label, size))
    return rows


def table(rows: list[tuple[str, str, float]]) -> str:
    baseline = {update: size for update, how, size in rows if how == BASELINE}
    lines = [f"| update | how | bytes per update | vs {BASELINE} |", "|---|---|---|---|"]
    for update, how, size in rows:
        base = baseline.get(update)
        ratio = f"{base / size:.1f}x fewer" if base and how != BASELINE and size < base else "-"
        lines.append(f"| {update} | {how} | {size:,.0f} | {ratio} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 updates per row instead of 20")
    options = parser.parse_args(argv)
    print(table(measure(options.quick)))
    print()
    for what, how, size in memory_rows(20 if options.quick else SOCKETS_FOR_MEMORY):
        print(f"{what}, {how}: {size:,.0f}")


if __name__ == "__main__":
    main()
