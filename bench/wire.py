"""Bytes on the wire per update: what one change costs over HTTP and over a websocket.

    .venv/bin/python bench/wire.py

(a) one todo toggled in a list of 100, the list re-rendered into its target (as apps do);
(b) one chat message appended to a room (the append carries the new message only, whatever the
    room's size).
Measured through a byte-counting TCP proxy in front of daphne: the bytes the server sends for one
update, after the first (averaged over 20). Websockets with and without permessage-deflate
(HYPERGEN["WEBSOCKET_COMPRESSION"] under daphne; uvicorn negotiates it by itself). HTTP as daphne
sends it, and the body gzipped as nginx would (computed with gzip -6; the shipped nginx config
compresses application/json).
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


def measure(quick: bool) -> list[tuple[str, str, float]]:
    global UPDATES
    if quick:
        UPDATES = 5
    toggle = lambda n: [n % 100]  # noqa: E731
    chat = lambda n: [f"message number {n} in a busy room"]  # noqa: E731
    rows = []
    with tempfile.TemporaryDirectory() as plain_dir, running_server(Path(plain_dir)) as server:
        port = server.port
        http_todo, http_todo_gzip = http_bytes_per_update(server.url + "/live/wire_toggle_http/", toggle)
        rows += [
            ("(a) toggle 1 of 100 todos", "HTTP", http_todo),
            ("(a) toggle 1 of 100 todos", "HTTP, nginx gzip", http_todo_gzip),
        ]
        rows.append(
            (
                "(a) toggle 1 of 100 todos",
                "websocket",
                asyncio.run(socket_bytes_per_update(port, "/ws/wire_toggle/", toggle, None)),
            )
        )
        rows.append(
            (
                "(b) 1 chat message",
                "websocket",
                asyncio.run(socket_bytes_per_update(port, "/ws/rooms/wire/", chat, None)),
            )
        )
    with (
        tempfile.TemporaryDirectory() as compressed_dir,
        running_server(Path(compressed_dir), HYPERGEN_TEST_COMPRESSION="1") as server,
    ):
        urllib.request.urlopen(server.url + "/ws/socket_features/").read()  # A page turns compression on.
        rows.append(
            (
                "(a) toggle 1 of 100 todos",
                "websocket, deflate",
                asyncio.run(socket_bytes_per_update(server.port, "/ws/wire_toggle/", toggle, "deflate")),
            )
        )
        rows.append(
            (
                "(b) 1 chat message",
                "websocket, deflate",
                asyncio.run(socket_bytes_per_update(server.port, "/ws/rooms/wire/", chat, "deflate")),
            )
        )
    return rows


SOCKETS_FOR_MEMORY = 200


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def memory_per_socket(server, compression: str | None, count: int) -> float:
    """Server memory per socket that has sent and received an update (compressors exist by then)."""
    before = rss_kib(server.process.pid)
    url = server.url.replace("http://", "ws://") + "/ws/rooms/memory/"
    sockets = [await websockets.connect(url, compression=compression) for _ in range(count)]
    await sockets[0].send(json.dumps({"id": 1, "sid": "m", "args": ["x" * 2000], "meta": {}}))
    for socket in sockets:
        while json.loads(await socket.recv())["t"] != "commands":
            pass
    after = rss_kib(server.process.pid)
    for socket in sockets:
        await socket.close()
    return (after - before) / count


def memory_rows(count: int) -> list[tuple[str, str, float]]:
    rows = []
    for setting, compression, label in (("", None, "websocket"), ("1", "deflate", "websocket, deflate")):
        with (
            tempfile.TemporaryDirectory() as directory,
            running_server(Path(directory), HYPERGEN_TEST_COMPRESSION=setting) as server,
        ):
            urllib.request.urlopen(server.url + "/ws/socket_features/").read()
            rows.append(("server KiB per socket", label, asyncio.run(memory_per_socket(server, compression, count))))
    return rows


def table(rows: list[tuple[str, str, float]]) -> str:
    baseline = {update: size for update, how, size in rows if how in ("websocket",)}
    lines = ["| update | how | bytes per update | vs websocket uncompressed |", "|---|---|---|---|"]
    for update, how, size in rows:
        base = baseline.get(update)
        ratio = f"{base / size:.1f}x fewer" if base and how != "websocket" and size < base else "-"
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
